/* Live updates of the meeting room's pages (room/live.py): the members' vote, speakers and check-in
 * pages and the room screen follow the room without a reload.
 *
 * The page's element marked data-live-root says where to ask:
 * - data-stream-url (stream mode): an EventSource; each "state" event is the room's public state. When
 *   the stream is refused (404, 401) the page polls instead, and tries the stream again a minute later.
 * - otherwise data-state-url is asked every 2 s with If-None-Match: 304 while nothing changed.
 * On a new state the counters marked data-live="<key>" (e.g. "ballot.voted") are updated in place. When
 * a part named in data-live-phase changes (the ballot opened or closed, the floor given, the record
 * closed), the page fetches itself and replaces its live region ([data-live-region]), but never while
 * the member is typing in a field of a form or an action waits in actions.js's queue: then once they
 * leave the field or the action is sent.
 * The room screen (data-fragment-url) fetches its content again on every change instead (with
 * If-None-Match; in poll mode every 2 s, in stream mode on each state and every 30 s, since its
 * check-in code changes with the time alone).
 * Plain ES5 for old Android phones: no framework, no arrow functions, no optional chaining.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-root]");
  if (!root || !window.fetch) return;
  var POLL_MS = 2000;
  var stateUrl = root.getAttribute("data-state-url");
  var streamUrl = root.getAttribute("data-stream-url");
  var fragmentUrl = root.getAttribute("data-fragment-url");
  var fragmentTag = root.getAttribute("data-fragment-etag") || "";
  var phaseKeys = (root.getAttribute("data-live-phase") || "").split(/\s+/).filter(Boolean);
  var version = root.getAttribute("data-version") || "";  // the state the page shows
  var stateTag = version ? "\"" + version + "\"" : "";
  var phase = null;  // the phase of the last state, null before the first
  var pendingSwap = false;
  var swapping = false;
  var leaving = false;
  var polling = false;
  var pollTimer = null;

  function pick(state, path) {
    var value = state;
    var parts = path.split(".");
    for (var i = 0; i < parts.length; i++) {
      if (value === null || value === undefined) return null;
      value = value[parts[i]];
    }
    return value === undefined ? null : value;
  }

  function phaseOf(state) {
    return JSON.stringify(phaseKeys.map(function (key) { return pick(state, key); }));
  }

  function updateCounters(state) {
    var nodes = root.querySelectorAll("[data-live]");
    for (var i = 0; i < nodes.length; i++) {
      var value = pick(state, nodes[i].getAttribute("data-live"));
      if (value !== null && nodes[i].textContent !== String(value)) nodes[i].textContent = String(value);
    }
  }

  // The member is busy: typing in a field (or a choice made in the form), or an action waits.
  function busy() {
    if (leaving) return true;
    if (window.roomQueue && window.roomQueue.pending()) return true;
    var field = document.activeElement;
    if (!field || !field.form || !/^(INPUT|TEXTAREA|SELECT)$/.test(field.tagName)) return false;
    var type = (field.type || "").toLowerCase();
    if (type === "hidden" || type === "submit" || type === "button") return false;
    if (type === "radio" || type === "checkbox") {
      return !!field.form.querySelector("input[type=radio]:checked, input[type=checkbox]:checked");
    }
    return field.value !== "";
  }

  function swap() {
    if (swapping) { pendingSwap = true; return; }
    if (busy()) { pendingSwap = true; return; }
    pendingSwap = false;
    swapping = true;
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status !== 200 || response.redirected) throw new Error("not the page");
        return response.text();
      })
      .then(function (html) {
        if (busy()) { pendingSwap = true; return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-region]");
        var region = document.querySelector("[data-live-region]");
        if (!fresh || !region) return;
        region.innerHTML = fresh.innerHTML;
      })
      .catch(function () { pendingSwap = true; })
      .then(function () { swapping = false; });
  }

  function refreshFragment() {
    if (swapping) { pendingSwap = true; return; }
    swapping = true;
    pendingSwap = false;
    fetch(fragmentUrl, {
      headers: { "If-None-Match": fragmentTag }, cache: "no-store", credentials: "same-origin"
    }).then(function (response) {
      if (response.status !== 200) return null;
      fragmentTag = response.headers.get("ETag") || fragmentTag;
      return response.text().then(function (html) { root.innerHTML = html; });
    }).catch(function () { /* the next change or tick */ })
      .then(function () { swapping = false; });
  }

  function onState(state) {
    if (!state || !state.version) return;
    var next = phaseOf(state);
    var stale;
    if (phase === null) {
      stale = state.version !== version;  // changed between the page and its first state
    } else {
      if (state.version === version) return;
      stale = next !== phase;
    }
    phase = next;
    version = state.version;
    if (fragmentUrl) { refreshFragment(); return; }
    updateCounters(state);
    if (stale && phaseKeys.length) swap();
  }

  function pollState() {
    if (polling) return;
    polling = true;
    fetch(stateUrl, { headers: { "If-None-Match": stateTag }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status !== 200) return null;
        stateTag = response.headers.get("ETag") || stateTag;
        return response.json().then(onState);
      })
      .catch(function () { /* weak Wi-Fi: the next tick */ })
      .then(function () { polling = false; });
  }

  function tick() {
    if (fragmentUrl) refreshFragment();
    else pollState();
  }

  function startPolling() {
    if (pollTimer === null) pollTimer = setInterval(tick, POLL_MS);
  }

  function stopPolling() {
    if (pollTimer !== null) { clearInterval(pollTimer); pollTimer = null; }
  }

  function openStream() {
    var source = new EventSource(streamUrl);
    source.addEventListener("open", stopPolling);
    source.addEventListener("state", function (event) {
      var state = null;
      try { state = JSON.parse(event.data); } catch (e) { return; }
      onState(state);
    });
    source.addEventListener("error", function () {
      // CONNECTING: the browser reconnects by itself (after "retry"). CLOSED: refused; poll meanwhile.
      if (source.readyState === 2) {
        startPolling();
        setTimeout(openStream, 60000);
      }
    });
  }

  // A pending replacement waits for the member: when they leave the field, or the queue empties.
  document.addEventListener("focusout", function () {
    if (pendingSwap) setTimeout(function () { if (pendingSwap) swap(); }, 300);
  });
  // An ordinary form sent (not one actions.js queues): the page is being left, leave it as it is.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.hasAttribute || form.hasAttribute("data-room-queue")) return;
    setTimeout(function () { if (!event.defaultPrevented) leaving = true; }, 0);  // not a cancelled confirm
  });
  window.addEventListener("pageshow", function () { leaving = false; });
  setInterval(function () {
    if (!pendingSwap) return;
    if (fragmentUrl) refreshFragment();
    else swap();
  }, 1000);

  if (streamUrl && window.EventSource) {
    openStream();
    if (fragmentUrl) setInterval(refreshFragment, 30000);
  } else {
    startPolling();
    tick();
  }
})();
