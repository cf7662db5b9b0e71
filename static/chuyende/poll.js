// A box that is still changing (a background job's progress) carries data-poll="<url>": every few
// seconds the box is fetched again and replaced; the finished box has no data-poll, so polling stops.
(function () {
  "use strict";
  var DELAY = 2000;
  function poll() {
    var box = document.querySelector("[data-poll]");
    if (!box) return;
    fetch(box.dataset.poll, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.firstElementChild;
        if (fresh) box.replaceWith(fresh);
        window.setTimeout(poll, DELAY);
      })
      .catch(function () { window.setTimeout(poll, DELAY * 3); });
  }
  window.setTimeout(poll, DELAY);
})();
