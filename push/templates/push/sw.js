{% autoescape off %}/* chuyende's service worker (push/views.py serves it at /sw.js; docs/pwa.md).

   Pages: network first. A reading page of a draft, a meeting's page and the home page (the member's
   tasks) are saved, when opened, in a cache named after the signed-in person; with the network cut,
   the saved copy is shown with the offline banner. Nothing else is saved: no POST answer, no page of
   another person (a page naming a new person empties the old one's cache), no redirect.
   Static files: cache first for hashed names (they never change); the few a saved page needs under a
   plain name (development, tests) network first, the saved copy offline.
   Sign-out (a POST to the sign-out address) empties the saved pages; the answer's Clear-Site-Data
   header removes the rest. Push: shows the notice and opens its page on a tap. */
'use strict';

const VERSION = {{ version }};
const STATIC_CACHE = 'static-v' + VERSION;
const PAGES_PREFIX = 'pages-v' + VERSION + '-';
const PRECACHE = [{% for url in precache %}'{{ url|escapejs }}'{% if not forloop.last %}, {% endif %}{% endfor %}];
const LOGOUT_PATH = '{{ logout_path|escapejs }}';
const STATIC_URL = '{{ static_url|escapejs }}';
const SAVED_PAGES = [/^\/$/, /^\/du-thao\/\d+\/doc\/$/, /^\/hop\/\d+\/$/];
const HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;
const USER_MARK = /data-offline-user="([0-9a-f]+)"/;
const OFFLINE_TITLE = '{{ offline_title|escapejs }}';
const OFFLINE_TEXT = '{{ offline_text|escapejs }}';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names
        .filter((name) => name !== STATIC_CACHE && !name.startsWith(PAGES_PREFIX))
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

function pageCaches() {
  return caches.keys().then((names) => names.filter((name) => name.startsWith(PAGES_PREFIX)));
}

function forgetPages(except) {
  return pageCaches().then((names) => Promise.all(
    names.filter((name) => name !== except).map((name) => caches.delete(name))));
}

// A new hashed file replaces the copies of the same file under older hashes (after a deployment).
function plainName(path) {
  return path.replace(/\.[0-9a-f]{12}(\.[a-z0-9]+)$/, '$1');
}

function dropOlder(cache, path) {
  return cache.keys().then((requests) => Promise.all(requests
    .filter((old) => {
      const oldPath = new URL(old.url).pathname;
      return oldPath !== path && HASHED.test(oldPath) && plainName(oldPath) === plainName(path);
    })
    .map((old) => cache.delete(old))));
}

function saved(path) {
  return SAVED_PAGES.some((pattern) => pattern.test(path));
}

// Save a page the person opened, under their name; a page naming someone else empties the old cache.
function keep(request, response) {
  if (response.status !== 200 || response.redirected || response.type !== 'basic') return Promise.resolve();
  if (!(response.headers.get('Content-Type') || '').startsWith('text/html')) return Promise.resolve();
  return response.clone().text().then((html) => {
    const mark = USER_MARK.exec(html);
    if (!mark) return null;
    const name = PAGES_PREFIX + mark[1];
    return forgetPages(name)
      .then(() => caches.open(name))
      .then((cache) => cache.put(request.url, new Response(html, {
        headers: {'Content-Type': response.headers.get('Content-Type'), 'X-Saved-At': new Date().toISOString()},
      })));
  });
}

function offlineCopy(request) {
  return pageCaches().then((names) => {
    if (names.length !== 1) return null;
    return caches.open(names[0]).then((cache) => cache.match(request.url));
  }).then((copy) => {
    if (!copy) return null;
    return copy.text().then((html) => new Response(
      html.replace('data-offline-banner hidden', 'data-offline-banner'),
      {headers: {'Content-Type': copy.headers.get('Content-Type')}}));
  });
}

function offlinePage() {
  const html = '<!doctype html><html><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>' + OFFLINE_TITLE +
    '</title></head><body><h1>' + OFFLINE_TITLE + '</h1><p>' + OFFLINE_TEXT + '</p></body></html>';
  return new Response(html, {status: 503, headers: {'Content-Type': 'text/html; charset=utf-8'}});
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname === LOGOUT_PATH) {
    event.respondWith(forgetPages(null).then(() => fetch(request)));
    return;
  }
  if (request.method !== 'GET') return;
  if (url.pathname.startsWith(STATIC_URL)) {
    if (HASHED.test(url.pathname)) {
      event.respondWith(caches.open(STATIC_CACHE).then((cache) => cache.match(request).then((hit) =>
        hit || fetch(request).then((response) => {
          if (response.ok) {
            event.waitUntil(cache.put(request, response.clone()).then(() => dropOlder(cache, url.pathname)));
          }
          return response;
        }))));
    } else if (PRECACHE.includes(url.pathname)) {
      // A plain name (development, tests) may change under it: the network first.
      event.respondWith(fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      }).catch(() => caches.match(request)));
    }
    return;
  }
  if (request.mode !== 'navigate' || !saved(url.pathname) || url.search) return;
  event.respondWith(
    fetch(request).then((response) => {
      event.waitUntil(keep(request, response));
      return response;
    }).catch(() => offlineCopy(request).then((copy) => copy || offlinePage()))
  );
});

// Brought back online, the page asks for the saved copies to be refreshed (or dropped when the
// person may no longer open them).
self.addEventListener('message', (event) => {
  if (!event.data || event.data.type !== 'refresh') return;
  event.waitUntil(pageCaches().then((names) => Promise.all(names.map((name) =>
    caches.open(name).then((cache) => cache.keys().then((requests) => Promise.all(requests.map((old) =>
      fetch(old.url, {credentials: 'same-origin', redirect: 'manual'}).then((response) => {
        if (response.status === 200) return keep(new Request(old.url), response);
        if (response.status >= 300 && response.status < 500 || response.type === 'opaqueredirect') {
          return cache.delete(old);
        }
        return null;
      }).catch(() => null)))))))));
});

self.addEventListener('push', (event) => {
  let notice = {};
  try {
    notice = event.data ? event.data.json() : {};
  } catch (error) {
    notice = {body: event.data ? event.data.text() : ''};
  }
  event.waitUntil(self.registration.showNotification(notice.title || 'chuyende', {
    body: notice.body || '',
    tag: notice.tag,
    icon: '{{ icon|escapejs }}',
    data: {url: notice.url || '/'},
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data && event.notification.data.url || '/', self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(self.clients.matchAll({type: 'window', includeUncontrolled: true}).then((windows) => {
    const open = windows.find((client) => client.url === target.href);
    if (open) return open.focus();
    return self.clients.openWindow(target.href);
  }));
});
{% endautoescape %}
