// The room screen's live updates (room/views.py screen_state): ask every 2 s with If-None-Match; the
// server answers 304 while nothing changed, or the new content. A failed request (weak Wi-Fi) is simply
// asked again at the next tick. No ASGI, no open connection per screen.
(function () {
  "use strict";
  var screen = document.getElementById("screen");
  if (!screen) return;
  var url = screen.getAttribute("data-state-url");
  var version = screen.getAttribute("data-version") || "";
  var busy = false;
  function tick() {
    if (busy) return;
    busy = true;
    fetch(url, { headers: { "If-None-Match": version }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 200) {
          version = response.headers.get("ETag") || version;
          return response.text().then(function (html) { screen.innerHTML = html; });
        }
        return null;
      })
      .catch(function () { /* next tick */ })
      .then(function () { busy = false; });
  }
  setInterval(tick, 2000);
})();
