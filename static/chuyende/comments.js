/* Reading page: a comment written without signal is kept and sent when the connection comes back.
 *
 * The same approach as meeting mode (meeting.js): the comment goes into a queue kept in the phone's
 * localStorage, then is sent; when the connection drops, the queue waits and is sent again on the
 * "online" event, every 15 seconds and on the next load of the page. Each form carries a client_id
 * made when the page was drawn (a fresh one after every send), so a comment sent twice is stored
 * once. Once the server has it, the comment as the server shows it replaces the waiting one.
 *
 * Without JavaScript the forms post as plain forms. An answer that is not the server's JSON (the
 * sign-in page after the session expired, an error page) keeps the comment in the queue.
 */
(function () {
  "use strict";
  var bar = document.getElementById("comment-status");
  if (!bar) return;
  var key = "chuyende:comments:" + bar.dataset.session + ":queue";
  var sending = false;
  var memory = load();

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function store(queue) {
    memory = queue;
    try { localStorage.setItem(key, JSON.stringify(queue)); } catch (e) { /* private mode: memory only */ }
  }
  function say(text, kind) {
    bar.hidden = !text;
    bar.textContent = text || "";
    bar.className = "savebar" + (kind ? " savebar-" + kind : "");
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
    });
  }

  /* The form an entry was written in: the reply form of its comment, or the paragraph's form. */
  function formOf(entry) {
    var forms = document.querySelectorAll("form[data-queue]");
    for (var i = 0; i < forms.length; i++) {
      var f = forms[i];
      var parent = f.querySelector("[name=parent]");
      var anchor = f.querySelector("[name=anchor]");
      if (entry.data.parent ? parent && parent.value === entry.data.parent
                            : !parent && anchor && anchor.value === (entry.data.anchor || "")) return f;
    }
    return null;
  }

  /* A waiting comment, shown above its form until the server has it. */
  function showPending(entry) {
    if (document.getElementById("pending-" + entry.id)) return;
    var form = formOf(entry);
    if (!form) return;
    var item = document.createElement("article");
    item.id = "pending-" + entry.id;
    item.className = "comment pending";
    var text = document.createElement("p");
    text.textContent = entry.data.body;
    var state = document.createElement("p");
    state.className = "muted pending-state";
    state.textContent = bar.dataset.tQueued;
    item.appendChild(text);
    item.appendChild(state);
    var at = form.closest("details.reply-form") || form;
    at.parentNode.insertBefore(item, at);
    var box = form.closest("details.block-comments");
    if (box) box.open = true;
  }

  function post(entry) {
    var body = new FormData();
    Object.keys(entry.data).forEach(function (name) { body.append(name, entry.data[name]); });
    var token = entry.data.csrfmiddlewaretoken;
    var fresh = document.querySelector("[name=csrfmiddlewaretoken]");
    if (fresh) { token = fresh.value; body.set("csrfmiddlewaretoken", token); }
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, 20000);  // weak signal
    return fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": token }
    }).then(function (response) {
      clearTimeout(timer);
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.redirected || !json) {
        var error = new Error("not saved");
        error.login = response.redirected || response.status === 403;
        throw error;
      }
      return response.json();
    });
  }

  function settle(entry, answer) {
    store(memory.filter(function (e) { return e.id !== entry.id; }));
    var pending = document.getElementById("pending-" + entry.id);
    if (answer.ok) {
      var old = document.getElementById(answer.id);
      var holder = document.createElement("div");
      holder.innerHTML = answer.html;
      var shown = holder.firstElementChild;
      if (old) old.replaceWith(shown);
      else if (pending) pending.parentNode.insertBefore(shown, pending);
      if (pending) pending.remove();
      watchAll(shown);
      return true;
    }
    // Refused (the deadline passed, the paragraph is gone…): the text goes back into its form.
    if (pending) pending.remove();
    var form = formOf(entry);
    var field = form && form.querySelector("textarea[name=body]");
    if (field && !field.value) field.value = entry.data.body;
    say(answer.error, "error");
    return false;
  }

  function flush() {
    if (sending) return;
    if (!memory.length) return;
    sending = true;
    say(bar.dataset.tSending, "busy");
    var entry = memory[0];
    post(entry).then(function (answer) {
      sending = false;
      var fine = settle(entry, answer);
      if (memory.length) flush();
      else if (fine) say(bar.dataset.tSent, "ok");
    }).catch(function (error) {
      sending = false;
      say(error && error.login ? bar.dataset.tLogin : bar.dataset.tQueued, "offline");
    });
  }

  function watch(form) {
    if (form.dataset.watched) return;
    form.dataset.watched = "1";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = {};
      new FormData(form).forEach(function (value, name) { data[name] = value; });
      var field = form.querySelector("textarea[name=body]");
      if (!data.body || !data.body.trim()) { field.focus(); return; }
      if (!data.client_id) data.client_id = uuid();
      var entry = { id: data.client_id, url: form.action, data: data };
      store(memory.filter(function (e) { return e.id !== entry.id; }).concat([entry]));
      showPending(entry);
      field.value = "";
      form.querySelector("[name=client_id]").value = uuid();
      flush();
    });
  }
  function watchAll(scope) {
    scope.querySelectorAll("form[data-queue]").forEach(watch);
  }

  memory.forEach(showPending);  // written before a reload, not sent yet
  watchAll(document);
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  flush();
})();
