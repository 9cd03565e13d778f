// The console's service worker: keeps the pages, scripts, translations, map libraries and the city's base map
// so an inspector's phone opens the console without a connection (reports made then wait in the outbox).
// Network first, so a new version is used as soon as the server is reachable; the cache is only the fallback.
// Other API answers are never cached: they hold live and personal data.
const CACHE = 'cityloop-shell-v1';
const KEEP = [/^\/$/, /^\/index\.html$/, /^\/(js|css|i18n)\//, /^\/vendor\//, /^\/api\/v1\/map\/layers$/, /^\/api\/v1\/catalog$/, /^\/api\/v1\/console\/config$/];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(['/', '/js/app.js', '/js/core.js', '/js/map.js', '/css/app.css', '/i18n/zh.json', '/i18n/en.json'])).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== location.origin || !KEEP.some((re) => re.test(url.pathname))) return;
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((c) => c.put(event.request, copy));
        }
        return response;
      })
      .catch(() => caches.match(event.request, { ignoreSearch: url.pathname.startsWith('/vendor/') }).then((hit) => hit || Response.error())),
  );
});
