/* The "Nhận thông báo" button (push/_subscribe.html): asks for permission only when tapped, subscribes
   this browser with the site's VAPID key and tells the server; shows whether notifications are on, off,
   blocked by the browser or not possible here (iOS outside an app added to the home screen). */
(function () {
  'use strict';
  const box = document.querySelector('[data-push]');
  if (!box) return;
  const onLine = box.querySelector('[data-push-on]');
  const offLine = box.querySelector('[data-push-off]');
  const onButton = onLine.querySelector('button');
  const offButton = offLine.querySelector('button');
  const error = box.querySelector('[data-push-error]');

  function show(state, message) {
    box.dataset.state = state;
    box.querySelectorAll('[data-state]').forEach((line) => { line.hidden = line.dataset.state !== state; });
    onLine.hidden = state !== 'off';
    offLine.hidden = state !== 'on';
    error.hidden = !message;
    error.textContent = message || '';
  }

  function key(text) {
    const padded = (text + '='.repeat((4 - text.length % 4) % 4)).replace(/-/g, '+').replace(/_/g, '/');
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRFToken': box.querySelector('[name=csrfmiddlewaretoken]').value},
      body: JSON.stringify(body),
    }).then((response) => response.json().catch(() => ({})).then((data) => {
      // Redirected: the session ended and the sign-in page answered.
      if (response.redirected || (!response.ok && response.status !== 404)) {
        throw new Error(data.error || box.dataset.failed);
      }
      return data;
    }));
  }

  const ios = /iP(hone|ad|od)/.test(navigator.userAgent) ||
    (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
  const standalone = window.matchMedia('(display-mode: standalone)').matches || navigator.standalone === true;
  if (!box.dataset.key) { show('disabled'); return; }
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    show(ios && !standalone ? 'ios' : 'unsupported');
    return;
  }
  if (Notification.permission === 'denied') { show('blocked'); return; }

  navigator.serviceWorker.ready
    .then((registration) => registration.pushManager.getSubscription())
    .then((subscription) => show(subscription && Notification.permission === 'granted' ? 'on' : 'off'))
    .catch(() => show('off'));

  onButton.addEventListener('click', () => {
    onButton.disabled = true;
    Notification.requestPermission()
      .then((permission) => {
        if (permission !== 'granted') { show(permission === 'denied' ? 'blocked' : 'off'); return null; }
        return navigator.serviceWorker.ready
          .then((registration) => registration.pushManager.subscribe(
            {userVisibleOnly: true, applicationServerKey: key(box.dataset.key)}))
          .then((subscription) => post(box.dataset.subscribe, subscription.toJSON()))
          .then(() => show('on'));
      })
      .catch((problem) => show('off', problem && problem.message && box.dataset.failed ?
        box.dataset.failed + ' (' + problem.message + ')' : box.dataset.failed))
      .finally(() => { onButton.disabled = false; });
  });

  offButton.addEventListener('click', () => {
    offButton.disabled = true;
    navigator.serviceWorker.ready
      .then((registration) => registration.pushManager.getSubscription())
      .then((subscription) => subscription ?
        post(box.dataset.unsubscribe, {endpoint: subscription.endpoint}).then(() => subscription.unsubscribe()) :
        null)
      .then(() => show('off'))
      .catch(() => show('on', box.dataset.failedOff))
      .finally(() => { offButton.disabled = false; });
  });
})();
