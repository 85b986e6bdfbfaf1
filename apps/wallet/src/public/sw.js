// The citizen wallet's service worker (docs/wallet.md, "Offline"): it keeps the app's own files so that the wallet,
// once opened online, opens again without network; the credentials themselves are in IndexedDB, encrypted, and need
// no network. The wallet server serves it at /sw.js with `const WALLET_CACHE = {name, prefix, page, files}` put before
// this code (apps/wallet/src/web-files.ts): the cache's name carries a hash of the files, so a deployment that changes
// one changes this script, and the browser installs it again. Only the listed files are answered here and kept.
/* global WALLET_CACHE */

/** How long the network may take before the kept file is used instead. */
const NETWORK_TIMEOUT_MS = 3000;
const KEPT = new Set(WALLET_CACHE.files);

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(WALLET_CACHE.name);
      await cache.addAll(WALLET_CACHE.files.map((path) => new Request(path, { cache: 'no-cache' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(WALLET_CACHE.prefix) && name !== WALLET_CACHE.name) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const kept = url.origin === self.location.origin && KEPT.has(url.pathname) && (url.search === '' || url.pathname === WALLET_CACHE.page);
  if (!kept) return;
  event.respondWith(networkFirst(request, url.pathname));
});

/** The file from the network, so a new deployment shows while online; the kept copy when the network fails or is slow. */
async function networkFirst(request, path) {
  const cache = await caches.open(WALLET_CACHE.name);
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
