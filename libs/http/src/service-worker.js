// A page's offline service worker, shared by the employer scanner (/scan/sw.js, docs/presentations.md "Offline
// scanning") and the citizen wallet (/sw.js, docs/wallet.md "Offline"). It keeps the page's own files so that the page,
// once opened online, opens again without network. The server serves it with `const APP_CACHE = {name, prefix, page,
// files}` put before this code (`offlineWorker` in libs/http/src/offline-worker.ts): the cache's name carries a hash of
// the files and of this code, so a deployment that changes one changes the worker's script, and the browser installs it
// again.
//
// Only the files listed are ever answered here, and only they are kept, once, when the worker is installed: nothing the
// page fetches later (requests to the services, presentations, the scanner's offline bundle) is written to the cache.
/* global APP_CACHE */

/** How long the network may take before a kept file is used instead. */
const NETWORK_TIMEOUT_MS = 3000;
const KEPT = new Set(APP_CACHE.files);

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(APP_CACHE.name);
      // Past the HTTP cache: the files as this deployment serves them now.
      await cache.addAll(APP_CACHE.files.map((path) => new Request(path, { cache: 'no-cache' })));
      // A new deployment's worker takes over at once: the files it keeps are those the server serves now.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(APP_CACHE.prefix) && name !== APP_CACHE.name) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // The page is kept whatever its query says (`?lang=en` is read by the page itself); a file only at its own address.
  const kept = url.origin === self.location.origin && KEPT.has(url.pathname) && (url.search === '' || url.pathname === APP_CACHE.page);
  if (!kept) return;
  event.respondWith(networkFirst(request, url.pathname));
});

/**
 * The file from the network, so that a new deployment shows while online; the kept copy when the network fails, takes
 * longer than {@link NETWORK_TIMEOUT_MS} to answer, or answers an error.
 */
async function networkFirst(request, path) {
  const cache = await caches.open(APP_CACHE.name);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), NETWORK_TIMEOUT_MS);
  try {
    const response = await fetch(request, { signal: timeout.signal });
    if (response.ok) return response;
    return (await cache.match(path)) ?? response;
  } catch (error) {
    const kept = await cache.match(path);
    if (kept) return kept;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
