/* Registers the service worker (/sw.js) on every signed-in page (templates/base.html), and asks it to
   refresh the saved pages when the connection comes back. No permission is asked here: notifications
   are asked for only by the "Nhận thông báo" button (subscribe.js). */
(function () {
  'use strict';
  const script = document.currentScript;
  if (!('serviceWorker' in navigator) || !script) return;
  const url = script.dataset.sw;
  navigator.serviceWorker.register(url, {scope: '/'}).catch(() => {});
  window.addEventListener('online', () => {
    if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({type: 'refresh'});
  });
})();
