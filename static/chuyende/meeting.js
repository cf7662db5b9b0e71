/* Meeting mode: the record is saved as it is typed and survives a dropped connection.
 *
 * Every change (a text field, a member's attendance, a new speech) goes into a queue kept in the
 * phone's localStorage, then is sent in order. When the connection drops, the queue waits and is sent
 * again when it comes back (the "online" event, and every 15 seconds); a reload of the page puts the
 * unsent text back into its fields. A speech carries an id made on the phone, so sending it twice
 * saves it once. A text field carries the value the server last had ("base"): if another phone
 * changed it meanwhile the server refuses, the other text is shown and this phone's text can be put
 * back with one tap. Buttons that change the record's state (vote, approve…) first wait for the queue
 * to be sent, so they never act on an older record.
 *
 * An answer that is not the server's JSON (the sign-in page after the session expired, an error page)
 * keeps the change in the queue: nothing is dropped without the server having said why.
 */
(function () {
  "use strict";
  var root = document.querySelector(".meeting-mode");
  if (!root) return;
  var key = "chuyende:meeting:" + root.dataset.meeting + ":queue";
  var bar;
  var sending = false;
  var timers = {};
  var waiters = [];
  var memory = load();

  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function store(queue) {
    memory = queue;
    try { localStorage.setItem(key, JSON.stringify(queue)); } catch (e) { /* private mode: memory only */ }
  }
  function queue() { return memory; }
  function csrf() {
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function say(text, kind, action) {
    if (!bar) return;
    bar.hidden = !text;
    bar.textContent = text || "";
    bar.className = "savebar" + (kind ? " savebar-" + kind : "");
    if (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "linklike";
      button.textContent = action.label;
      button.addEventListener("click", action.run);
      bar.appendChild(document.createTextNode(" "));
      bar.appendChild(button);
    }
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
    });
  }
  function fieldOf(name) { return root && root.querySelector('[data-field="' + name + '"]'); }

  /* One entry per field or member: a newer change replaces the unsent older one (keeping its base). */
  function put(entry, later) {
    var old = queue().filter(function (e) { return e.id === entry.id; })[0];
    if (old && entry.kind === "field") entry.base = old.base;
    store(queue().filter(function (e) { return e.id !== entry.id; }).concat([entry]));
    if (!later) flush();
  }

  function post(url, data) {
    var body = new FormData();
    Object.keys(data).forEach(function (name) {
      if (data[name] !== null && data[name] !== undefined) body.append(name, data[name]);
    });
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, 20000);  // weak signal
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrf() }
    }).then(function (response) {
      clearTimeout(timer);
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.redirected || !json) {
        // The sign-in page (session expired), a CSRF or server error page: not saved.
        var error = new Error("not saved");
        error.login = response.redirected || response.status === 403;
        throw error;
      }
      return response.json().then(function (answer) { answer.status = response.status; return answer; });
    });
  }

  function send(entry) {
    if (entry.kind === "field") {
      return post(root.dataset.saveUrl, { name: entry.name, value: entry.value, base: entry.base });
    }
    if (entry.kind === "attendance") {
      var data = {};
      data["status-" + entry.member] = entry.status;
      data["reason-" + entry.member] = entry.reason;
      // What the page showed when the change was made: the server refuses it over someone else's mark.
      if (entry.base !== undefined) data["base-" + entry.member] = entry.base;
      return post(root.dataset.attendanceUrl, data);
    }
    return post(entry.url, entry.data);
  }

  function swap(id, html) {
    var old = document.getElementById(id);
    if (old && html) old.outerHTML = html;
    if (id === "problems") root.querySelectorAll("#problems form[data-submit]").forEach(watchSubmit);
    if (id === "basis") limitCounts();
  }

  /* No count can exceed the full members present who may vote (the server checks the same). */
  function limitCounts() {
    var basis = document.getElementById("basis");
    if (!basis || !basis.dataset.eligible) return;
    root.querySelectorAll("[data-mode=counts] input[type=number]").forEach(function (input) {
      input.max = basis.dataset.eligible;
    });
  }

  /* What the server said about one entry; false when the person must be told something. */
  function settle(entry, answer) {
    var rest = queue().filter(function (e) { return !(e.id === entry.id && e.seq === entry.seq); });
    var fine = true;
    if (entry.kind === "field") {
      var field = fieldOf(entry.name);
      if (answer.ok) {
        // What the server holds now is the starting point of the next change of the same field.
        if (field) field.dataset.base = answer.value;
        rest.forEach(function (e) { if (e.id === entry.id) e.base = answer.value; });
      } else if (answer.current !== undefined) {
        // Changed meanwhile on another phone: show theirs, keep ours one tap away.
        rest = rest.filter(function (e) { return e.id !== entry.id; });
        if (field) { field.value = answer.current; field.dataset.base = answer.current; }
        say(answer.error, "error", {
          label: root.dataset.tRestore,
          run: function () {
            if (!field) return;
            field.value = entry.value;
            put({ id: entry.id, seq: Date.now(), kind: "field", name: entry.name, value: entry.value, base: answer.current });
          }
        });
        fine = false;
      }
    }
    if (entry.kind === "attendance") {
      var select = root.querySelector('[data-attendance="' + entry.member + '"]');
      if (select && answer.ok) select.dataset.current = entry.status;
      if (select && !answer.ok && !rest.some(function (e) { return e.id === entry.id; })) {
        select.value = select.dataset.current || "";  // refused: show what the server still has
        mark(select);
      }
    }
    if (entry.kind === "speech") {
      var pending = document.getElementById("pending-" + entry.id);
      if (pending) {
        if (answer.ok) pending.classList.remove("unsent"); else pending.remove();
      }
    }
    store(rest);
    if (answer.summary) swap("summary", answer.summary);
    if (answer.problems) swap("problems", answer.problems);
    if (answer.basis) swap("basis", answer.basis);
    if (!answer.ok && fine) { say(answer.error, "error"); fine = false; }
    return fine;
  }

  function flush() {
    if (sending || !root) return;
    var q = queue();
    if (!q.length) { release(true); return; }
    sending = true;
    say(root.dataset.tSaving, "busy");
    var entry = q[0];
    send(entry).then(function (answer) {
      sending = false;
      var fine = settle(entry, answer);
      if (!queue().length) {
        if (fine) {
          var now = new Date();
          say(root.dataset.tSaved + " " + ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2), "ok");
        }
        release(true);
      } else {
        flush();
      }
    }).catch(function (error) {
      sending = false;
      say(error && error.login ? root.dataset.tLogin : root.dataset.tOffline + " " + queue().length, "offline");
      release(false);
    });
  }

  /* Resolves once every queued change is saved; rejects when they cannot be sent now. */
  function drain() {
    return new Promise(function (resolve, reject) {
      // Text typed a moment ago is already in the queue: it is sent now, not after the pause.
      Object.keys(timers).forEach(function (name) { clearTimeout(timers[name]); });
      timers = {};
      if (!queue().length && !sending) { resolve(); return; }
      waiters.push({ resolve: resolve, reject: reject });
      flush();
    });
  }
  function release(ok) {
    var list = waiters;
    waiters = [];
    list.forEach(function (w) { if (ok) w.resolve(); else w.reject(); });
  }

  /* Text fields and selects of the record. */
  function watchField(field) {
    var name = field.dataset.field;
    function change() {
      put({ id: "field:" + name, seq: Date.now(), kind: "field", name: name, value: field.value, base: field.dataset.base });
    }
    if (field.tagName === "SELECT" || field.type === "time") {
      field.addEventListener("change", change);
      return;
    }
    field.addEventListener("input", function () {
      // Kept on the phone at once, sent after a short pause in typing.
      put({ id: "field:" + name, seq: Date.now(), kind: "field", name: name, value: field.value, base: field.dataset.base }, true);
      clearTimeout(timers[name]);
      timers[name] = setTimeout(function () { delete timers[name]; flush(); }, 800);
    });
    field.addEventListener("blur", function () { clearTimeout(timers[name]); delete timers[name]; flush(); });
  }

  function mark(select) {
    var reason = root.querySelector('[data-reason="' + select.dataset.attendance + '"]');
    if (reason) reason.hidden = ["absent_excused", "suspended", "detained"].indexOf(select.value) < 0;
    var row = select.closest(".roll-row");
    if (row) row.classList.toggle("unmarked", !select.value);
  }

  function watchAttendance(select) {
    var member = select.dataset.attendance;
    var reason = root.querySelector('[data-reason="' + member + '"]');
    if (select.dataset.current === undefined) select.dataset.current = select.value;
    function change() {
      mark(select);
      if (!select.value) return;
      put({ id: "attendance:" + member, seq: Date.now(), kind: "attendance", member: member, status: select.value, reason: reason ? reason.value : "", base: select.dataset.current });
    }
    select.addEventListener("change", function () { change(); if (reason && !reason.hidden) reason.focus(); });
    if (reason) {
      reason.addEventListener("input", function () {
        put({ id: "attendance:" + member, seq: Date.now(), kind: "attendance", member: member, status: select.value, reason: reason.value, base: select.dataset.current }, true);
        clearTimeout(timers["r" + member]);
        timers["r" + member] = setTimeout(function () { delete timers["r" + member]; flush(); }, 800);
      });
    }
  }

  function showPendingSpeech(entry) {
    var list = document.getElementById("pending-speeches");
    if (!list || document.getElementById("pending-" + entry.id)) return;
    var item = document.createElement("li");
    item.id = "pending-" + entry.id;
    item.className = "unsent";
    var strong = document.createElement("strong");
    strong.textContent = entry.speaker || "?";
    item.appendChild(strong);
    item.appendChild(document.createTextNode(": " + entry.data.summary));
    list.appendChild(item);
    list.hidden = false;
  }

  function watchSpeech(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = {};
      new FormData(form).forEach(function (value, name) { data[name] = value; });
      if (!data.summary || !data.summary.trim()) { form.querySelector("textarea").focus(); return; }
      if (!data.client_id) data.client_id = uuid();
      var who = form.querySelector("select[name=member]");
      var entry = {
        id: data.client_id, seq: Date.now(), kind: "speech", url: form.action, data: data,
        speaker: who && who.value ? who.options[who.selectedIndex].text : data.speaker_name
      };
      showPendingSpeech(entry);
      put(entry);
      form.querySelector("textarea[name=summary]").value = "";
      form.querySelector("[name=client_id]").value = uuid();
      if (who) who.value = "";
    });
  }

  /* Buttons that change the record's state: sent once the queue is saved; the page is replaced by
   * the server's answer (which carries its message). */
  function watchSubmit(form) {
    if (form.dataset.watched) return;
    form.dataset.watched = "1";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // A data-confirm question was already asked by confirm.js (it listens first, on the document,
      // and stops a declined submit before it gets here): asking again showed it twice.
      var buttons = form.querySelectorAll("button");
      buttons.forEach(function (b) { b.disabled = true; });  // a double tap posts once
      var body = new FormData(form);
      var section = (form.closest("section") || {}).id;
      drain().then(function () {
        return fetch(form.action, { method: "POST", body: body, credentials: "same-origin" });
      }).then(function (response) {
        return response.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var main = page.querySelector("main");
          if (!main) { window.location.assign(response.url); return; }
          document.querySelector("main").innerHTML = main.innerHTML;
          document.title = page.title;
          // A refusal answers in place (the address of the form it posted to must not stay in the bar).
          if (response.redirected) history.replaceState(null, "", response.url);
          var hash = (response.redirected && response.url.split("#")[1]) || section;
          var target = hash && document.getElementById(hash);
          if (target) target.scrollIntoView();
          var marked = document.querySelector("main [autofocus]");
          if (marked) marked.focus({ preventScroll: true });
          init();
        });
      }).catch(function () {
        buttons.forEach(function (b) { b.disabled = false; });
        say(root ? root.dataset.tFailed : "", "offline");
      });
    });
  }

  function showMode() {
    var checked = root.querySelector("[data-vote-mode]:checked");
    var mode = checked ? checked.value : "counts";
    root.querySelectorAll("[data-mode]").forEach(function (part) { part.hidden = part.dataset.mode !== mode; });
  }

  function init() {
    root = document.querySelector(".meeting-mode");
    if (!root) return;  // the answer was another page (the meeting, after approval)
    bar = document.getElementById("savebar");
    // Changes not sent before a reload or a crash come back on the page.
    queue().forEach(function (entry) {
      if (entry.kind === "field") {
        var field = fieldOf(entry.name);
        if (field) field.value = entry.value;
      } else if (entry.kind === "attendance") {
        var select = root.querySelector('[data-attendance="' + entry.member + '"]');
        var reason = root.querySelector('[data-reason="' + entry.member + '"]');
        if (select) { select.dataset.current = select.value; select.value = entry.status; mark(select); }
        if (reason) reason.value = entry.reason;
      } else if (entry.kind === "speech") {
        showPendingSpeech(entry);
      }
    });
    root.querySelectorAll("[data-field]").forEach(watchField);
    root.querySelectorAll("[data-attendance]").forEach(watchAttendance);
    root.querySelectorAll("form[data-speech]").forEach(watchSpeech);
    root.querySelectorAll("form[data-submit]").forEach(watchSubmit);
    limitCounts();
    root.querySelectorAll("[data-vote-mode]").forEach(function (radio) { radio.addEventListener("change", showMode); });
    showMode();
    flush();
  }

  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  init();
})();
