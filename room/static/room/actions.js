/* The member's actions in the meeting room (check in, ask to speak, vote) survive a dropped connection.
 *
 * A form marked data-room-queue is not sent by the browser: it is put into a queue kept in the phone's
 * localStorage, then sent with fetch. When the connection drops, the queue waits and is sent again when
 * it comes back (the "online" event, and every 5 seconds), also after a reload. Sending twice is
 * harmless: the server refuses a second check-in, request or vote (unique constraints) and says so.
 * Once the server has answered, the page is shown again with its answer (the flash message). A page
 * answered with its own errors (a wrong check-in code) is sent once more as an ordinary form to show
 * them. Without JavaScript the forms are ordinary forms. While an action waits, live.js does not
 * replace the page's content (window.roomQueue.pending()).
 */
(function () {
  "use strict";
  var key = "chuyende:room:queue";
  var status = document.getElementById("room-queue");
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  var memory = load();
  function store(queue) {
    memory = queue;
    try { localStorage.setItem(key, JSON.stringify(queue)); } catch (e) { /* private mode: memory only */ }
  }
  function say(text) {
    if (!status) return;
    status.textContent = text;
    status.hidden = !text;
  }

  function flush() {
    if (sending || !memory.length) return;
    sending = true;
    var entry = memory[0];
    fetch(entry.url, {
      method: "POST",
      body: new URLSearchParams(entry.body),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (response) {
      sending = false;
      if (response.status >= 500) throw new Error("server");
      store(memory.filter(function (e) { return e.id !== entry.id; }));
      if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
        if (!memory.length) window.location.assign(entry.back);
        else flush();
        return;
      }
      if (response.status === 200 && entry.form && document.getElementById(entry.form)) {
        document.getElementById(entry.form).submit();  // shown with its errors
        return;
      }
      window.location.assign(entry.back);
    }).catch(function () {
      sending = false;
      say(status ? status.dataset.tOffline : "");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-room-queue") || form.dataset.sent) return;
    event.preventDefault();
    var body = [];
    new FormData(form).forEach(function (value, name) { body.push([name, String(value)]); });
    form.dataset.sent = "1";
    store(memory.concat([{
      id: String(Date.now()) + Math.random().toString(36).slice(2),
      url: form.action,
      body: body,
      back: window.location.pathname,
      form: form.id || ""
    }]));
    say(status ? status.dataset.tSending : "");
    flush();
  });

  // live.js asks before it replaces the page's content: never while an action waits to be sent.
  window.roomQueue = { pending: function () { return sending || memory.length > 0; } };

  window.addEventListener("online", flush);
  setInterval(flush, 5000);
  if (memory.length) { say(status ? status.dataset.tSending : ""); flush(); }
})();
