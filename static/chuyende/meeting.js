/* Meeting mode: the record is saved as it is typed and survives a dropped connection.
 *
 * Every change (a text field, a member's attendance, a new speech) goes into a queue kept in the
 * phone's localStorage, then is sent in order. When the connection drops, the queue waits and is
 * sent again when it comes back (the "online" event, and every 15 seconds); a reload of the page
 * puts the unsent text back into its fields. A speech carries an id made on the phone, so sending it
 * twice saves it once. Other buttons (vote, quality, approve) are sent at once and, without a
 * connection, the form keeps what was typed and says so.
 */
(function () {
  "use strict";
  var root = document.querySelector(".meeting-mode");
  if (!root) return;
  var key = "chuyende:meeting:" + root.dataset.meeting + ":queue";
  var bar = document.getElementById("savebar");
  var sending = false;
  var timers = {};

  function csrf() {
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function store(queue) {
    try { localStorage.setItem(key, JSON.stringify(queue)); } catch (e) { /* private mode: memory only */ }
    memory = queue;
  }
  var memory = load();
  function queue() { return memory; }
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

  /* One entry per field or member: a newer change replaces the unsent older one. */
  function put(entry) {
    var q = queue().filter(function (e) { return e.id !== entry.id; });
    var old = queue().filter(function (e) { return e.id === entry.id; })[0];
    if (old && entry.kind === "field") entry.base = old.base;  // the value the server last had
    q.push(entry);
    store(q);
    flush();
  }

  function post(url, data) {
    var body = new FormData();
    Object.keys(data).forEach(function (name) {
      var value = data[name];
      if (value === null || value === undefined) return;
      body.append(name, value);
    });
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrf() }
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
      return post(root.dataset.attendanceUrl, data);
    }
    return post(entry.url, entry.data);
  }

  function done(entry, answer) {
    var rest = queue().filter(function (e) { return !(e.id === entry.id && e.seq === entry.seq); });
    if (entry.kind === "field" && answer && answer.ok) {
      // What the server holds now is the starting point of the next change of the same field.
      rest.forEach(function (e) { if (e.id === entry.id) e.base = entry.value; });
    }
    store(rest);
    if (answer && answer.summary) {
      var summary = document.getElementById("summary");
      if (summary) summary.outerHTML = answer.summary;
    }
    if (entry.kind === "field") {
      var field = root.querySelector('[data-field="' + entry.name + '"]');
      if (field && answer && answer.ok) field.dataset.base = entry.value;
      if (answer && answer.current !== undefined && field) {
        field.value = answer.current;
        field.dataset.base = answer.current;
        say(answer.error + " " + root.dataset.tYours + " " + entry.value, "error");
        return false;
      }
    }
    if (entry.kind === "speech") {
      var pending = document.getElementById("pending-" + entry.id);
      if (pending) pending.classList.remove("unsent");
    }
    if (answer && !answer.ok && answer.error) {
      say(answer.error, "error");
      return false;
    }
    return true;
  }

  function flush() {
    if (sending) return;
    var q = queue();
    if (!q.length) return;
    sending = true;
    say(root.dataset.tSaving, "busy");
    var entry = q[0];
    send(entry).then(function (response) {
      return response.json().catch(function () { return { ok: response.ok }; }).then(function (answer) {
        sending = false;
        var fine = done(entry, answer);
        if (!queue().length && fine) {
          var now = new Date();
          say(root.dataset.tSaved + " " + ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2), "ok");
        }
        flush();
      });
    }).catch(function () {
      sending = false;
      say(root.dataset.tOffline + " " + queue().length, "offline");
    });
  }

  /* Text fields and selects of the record. */
  function watchField(field) {
    var name = field.dataset.field;
    function change() {
      put({ id: "field:" + name, seq: Date.now(), kind: "field", name: name, value: field.value, base: field.dataset.base });
    }
    if (field.tagName === "SELECT" || field.type === "time") {
      field.addEventListener("change", change);
    } else {
      field.addEventListener("input", function () {
        // Kept on the phone at once, sent after a short pause in typing.
        var q = queue().filter(function (e) { return e.id !== "field:" + name; });
        var old = queue().filter(function (e) { return e.id === "field:" + name; })[0];
        q.push({ id: "field:" + name, seq: Date.now(), kind: "field", name: name, value: field.value, base: old ? old.base : field.dataset.base, waiting: true });
        store(q);
        clearTimeout(timers[name]);
        timers[name] = setTimeout(change, 800);
      });
      field.addEventListener("blur", function () { clearTimeout(timers[name]); if (queue().some(function (e) { return e.id === "field:" + name; })) change(); });
    }
  }

  function watchAttendance(select) {
    var member = select.dataset.attendance;
    var reason = root.querySelector('[data-reason="' + member + '"]');
    function change() {
      var needsReason = ["absent_excused", "suspended", "detained"].indexOf(select.value) >= 0;
      if (reason) reason.hidden = !needsReason;
      select.closest(".roll-row").classList.toggle("unmarked", !select.value);
      if (!select.value) return;
      put({ id: "attendance:" + member, seq: Date.now(), kind: "attendance", member: member, status: select.value, reason: reason ? reason.value : "" });
    }
    select.addEventListener("change", function () { change(); if (reason && !reason.hidden) reason.focus(); });
    if (reason) {
      reason.addEventListener("input", function () {
        clearTimeout(timers["r" + member]);
        timers["r" + member] = setTimeout(change, 800);
      });
    }
  }

  function watchSpeech(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = {};
      new FormData(form).forEach(function (value, name) { data[name] = value; });
      if (!data.summary || !data.summary.trim()) { form.querySelector("textarea").focus(); return; }
      if (!data.client_id) data.client_id = uuid();
      var who = form.querySelector("select[name=member]");
      var speaker = who && who.value ? who.options[who.selectedIndex].text : data.speaker_name;
      var list = document.getElementById("pending-speeches");
      var item = document.createElement("li");
      item.id = "pending-" + data.client_id;
      item.className = "unsent";
      var strong = document.createElement("strong");
      strong.textContent = speaker || "?";
      item.appendChild(strong);
      item.appendChild(document.createTextNode(": " + data.summary));
      list.appendChild(item);
      list.hidden = false;
      put({ id: data.client_id, seq: Date.now(), kind: "speech", url: form.action, data: data });
      form.querySelector("textarea[name=summary]").value = "";
      form.querySelector("[name=client_id]").value = uuid();
      if (who) who.value = "";
    });
  }

  /* Buttons that change the record's state: sent at once; the page is replaced by the answer. */
  function watchSubmit(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
      var body = new FormData(form);
      fetch(form.action, { method: "POST", body: body, credentials: "same-origin" }).then(function (response) {
        return response.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var main = page.querySelector("main");
          if (!main) { window.location.assign(response.url); return; }
          document.querySelector("main").innerHTML = main.innerHTML;
          document.title = page.title;
          if (response.url !== window.location.href.split("#")[0]) history.replaceState(null, "", response.url);
          var hash = response.url.split("#")[1] || (form.closest("section") || {}).id;
          var target = hash && document.getElementById(hash);
          if (target) target.scrollIntoView();
          init();
        });
      }).catch(function () { say(root.dataset.tFailed, "offline"); });
    });
  }

  function init() {
    root = document.querySelector(".meeting-mode");
    if (!root) return;
    bar = document.getElementById("savebar");
    // Text typed before a reload or a crash comes back into its field.
    queue().forEach(function (entry) {
      if (entry.kind === "field") {
        var field = root.querySelector('[data-field="' + entry.name + '"]');
        if (field) field.value = entry.value;
      } else if (entry.kind === "attendance") {
        var select = root.querySelector('[data-attendance="' + entry.member + '"]');
        if (select) select.value = entry.status;
      }
    });
    root.querySelectorAll("[data-field]").forEach(watchField);
    root.querySelectorAll("[data-attendance]").forEach(watchAttendance);
    root.querySelectorAll("form[data-speech]").forEach(watchSpeech);
    root.querySelectorAll("form[data-submit]").forEach(watchSubmit);
    root.querySelectorAll("[data-vote-mode]").forEach(function (radio) {
      radio.addEventListener("change", showMode);
    });
    showMode();
    flush();
  }

  function showMode() {
    var checked = root.querySelector("[data-vote-mode]:checked");
    var mode = checked ? checked.value : "counts";
    root.querySelectorAll("[data-mode]").forEach(function (part) { part.hidden = part.dataset.mode !== mode; });
  }

  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  init();
})();
