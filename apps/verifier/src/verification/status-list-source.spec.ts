import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FixedClock } from '@citycred/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FetchGuard } from '../outbound/fetch-guard.js';
import { HttpStatusListSource, type HttpStatusListSourceSettings } from './status-list-source.js';

/*
 * HttpStatusListSource against a real local HTTP server whose answers each test sets; the clock is injected, so
 * cache expiry is a clock step, not a wait.
 */

const LIST = 'eyJhbGciOiJFUzI1NksiLCJ0eXAiOiJ2Yytqd3QifQ.eyJpZCI6Imxpc3QifQ.c2lnbmF0dXJl';

describe('HttpStatusListSource', () => {
  let server: Server;
  let base: string;
  let clock: FixedClock;
  /** Requests the server saw: path and If-None-Match. */
  let requests: Array<{ path: string; ifNoneMatch: string | undefined }>;
  let handle: (req: IncomingMessage, res: ServerResponse) => void;

  beforeEach(async () => {
    requests = [];
    clock = new FixedClock(new Date('2026-03-02T09:00:00Z'));
    handle = (_req, res) => res.writeHead(200, { 'cache-control': 'public, max-age=300', etag: '"v1"' }).end(LIST);
    server = createServer((req, res) => {
      requests.push({ path: req.url ?? '', ifNoneMatch: req.headers['if-none-match'] });
      handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  // The test server's origin is allowed, as an internal issuer's would be (VERIFIER_FETCH_ALLOWED_ORIGINS).
  const source = (settings: Partial<HttpStatusListSourceSettings> = {}) =>
    new HttpStatusListSource(new FetchGuard(clock, { allowedOrigins: [base] }), clock, { timeoutMs: 2_000, maxCacheSeconds: 600, ...settings });

  it('serves a list from its cache while its max-age lasts, then revalidates with If-None-Match and keeps it on 304', async () => {
    const lists = source();
    expect(await lists.fetchList(`${base}/status-lists/a`)).toEqual({ kind: 'list', jwt: LIST });
    clock.advance(299_000);
    // The fragment an entry's id carries names no other resource.
    expect(await lists.fetchList(`${base}/status-lists/a#17`)).toEqual({ kind: 'list', jwt: LIST });
    expect(requests).toHaveLength(1);
    handle = (req, res) => (req.headers['if-none-match'] === '"v1"' ? res.writeHead(304, { 'cache-control': 'max-age=300', etag: '"v1"' }).end() : res.writeHead(500).end());
    clock.advance(2_000);
    expect(await lists.fetchList(`${base}/status-lists/a`)).toEqual({ kind: 'list', jwt: LIST });
    expect(requests.map((r) => r.ifNoneMatch)).toEqual([undefined, '"v1"']);
    // The 304 made it fresh again.
    clock.advance(200_000);
    await lists.fetchList(`${base}/status-lists/a`);
    expect(requests).toHaveLength(2);
  });

  it('takes a changed list when the ETag no longer matches', async () => {
    const lists = source();
    await lists.fetchList(`${base}/l`);
    handle = (_req, res) => res.writeHead(200, { 'cache-control': 'max-age=300', etag: '"v2"' }).end(`${LIST}x`);
    clock.advance(301_000);
    expect(await lists.fetchList(`${base}/l`)).toEqual({ kind: 'list', jwt: `${LIST}x` });
    expect(requests[1]!.ifNoneMatch).toBe('"v1"');
  });

  it('caps max-age at maxCacheSeconds, deducts Age, and asks every time on no-cache, without max-age, or with a cap of 0', async () => {
    handle = (_req, res) => res.writeHead(200, { 'cache-control': 'max-age=86400', etag: '"v1"' }).end(LIST);
    const capped = source({ maxCacheSeconds: 10 });
    await capped.fetchList(`${base}/l`);
    clock.advance(9_000);
    await capped.fetchList(`${base}/l`);
    expect(requests).toHaveLength(1);
    clock.advance(2_000);
    await capped.fetchList(`${base}/l`);
    expect(requests).toHaveLength(2);

    for (const headers of [{ 'cache-control': 'max-age=300', age: '300' }, { 'cache-control': 'no-cache' }, {}]) {
      requests = [];
      handle = (_req, res) => res.writeHead(200, headers).end(LIST);
      const lists = source();
      await lists.fetchList(`${base}/l`);
      await lists.fetchList(`${base}/l`);
      expect(requests, JSON.stringify(headers)).toHaveLength(2);
    }
    requests = [];
    handle = (_req, res) => res.writeHead(200, { 'cache-control': 'max-age=300' }).end(LIST);
    const never = source({ maxCacheSeconds: 0 });
    await never.fetchList(`${base}/l`);
    await never.fetchList(`${base}/l`);
    expect(requests).toHaveLength(2);
  });

  it('keeps nothing on no-store, so it has no ETag to send', async () => {
    handle = (_req, res) => res.writeHead(200, { 'cache-control': 'no-store', etag: '"v1"' }).end(LIST);
    const lists = source();
    await lists.fetchList(`${base}/l`);
    await lists.fetchList(`${base}/l`);
    expect(requests.map((r) => r.ifNoneMatch)).toEqual([undefined, undefined]);
  });

  it('shares one fetch among concurrent requests for one URL', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    handle = (_req, res) => void released.then(() => res.writeHead(200, { 'cache-control': 'max-age=0' }).end(LIST));
    const lists = source();
    const answers = Promise.all([lists.fetchList(`${base}/l`), lists.fetchList(`${base}/l`), lists.fetchList(`${base}/l#3`)]);
    await new Promise<void>((resolve) => {
      const wait = () => (requests.length > 0 ? resolve() : setImmediate(wait));
      wait();
    });
    release();
    expect(await answers).toEqual([0, 1, 2].map(() => ({ kind: 'list', jwt: LIST })));
    expect(requests).toHaveLength(1);
    // Once settled, a stale list is fetched again.
    await lists.fetchList(`${base}/l`);
    expect(requests).toHaveLength(2);
  });

  it('refuses a list over the size limit, declared or streamed', async () => {
    const big = 'a'.repeat(1_025);
    handle = (_req, res) => res.writeHead(200, { 'content-length': String(big.length) }).end(big);
    expect(await source({ maxListBytes: 1_024 }).fetchList(`${base}/l`)).toEqual({ kind: 'refused', reason: 'the list is larger than 1024 bytes' });
    handle = (_req, res) => {
      res.writeHead(200);
      res.write(big.slice(0, 600));
      res.end(big.slice(600));
    };
    expect(await source({ maxListBytes: 1_024 }).fetchList(`${base}/l`)).toMatchObject({ kind: 'refused' });
    handle = (_req, res) => res.writeHead(200).end(big.slice(1));
    expect(await source({ maxListBytes: 1_024 }).fetchList(`${base}/l`)).toEqual({ kind: 'list', jwt: big.slice(1) });
  });

  it('refuses URLs the fetch guard refuses without a request: other schemes, other local origins, redirects to them', async () => {
    const lists = source();
    const other = base.replace(/:(\d+)$/, (_, port: string) => `:${Number(port) === 65_535 ? 65_534 : Number(port) + 1}`);
    for (const url of ['file:///etc/passwd', 'data:application/vc+jwt,abc', 'ftp://127.0.0.1/list', 'javascript:alert(1)', 'not a url', `${other}/list`, 'https://169.254.169.254/latest']) {
      expect(await lists.fetchList(url), url).toMatchObject({ kind: 'url-refused' });
    }
    expect(requests).toEqual([]);
    handle = (_req, res) => res.writeHead(302, { location: 'http://10.0.0.1/admin' }).end();
    expect(await lists.fetchList(`${base}/moved`)).toEqual({ kind: 'url-refused', reason: 'it redirects to a URL that is refused: it names a private address' });
    expect(requests.map((r) => r.path)).toEqual(['/moved']);
  });

  it('reports server errors, limits and silence as unreachable, with Retry-After; a 404 as refused', async () => {
    const lists = source({ timeoutMs: 200 });
    handle = (_req, res) => res.writeHead(503, { 'retry-after': '30' }).end();
    expect(await lists.fetchList(`${base}/l`)).toEqual({ kind: 'unreachable', reason: 'the list server answered 503', retryAfterSeconds: 30 });
    handle = (_req, res) => res.writeHead(429, { 'retry-after': '999999' }).end();
    expect(await lists.fetchList(`${base}/l`)).toEqual({ kind: 'unreachable', reason: 'the list server answered 429', retryAfterSeconds: 3_600 });
    handle = (_req, res) => res.writeHead(500).end();
    expect(await lists.fetchList(`${base}/l`)).toEqual({ kind: 'unreachable', reason: 'the list server answered 500' });
    handle = (_req, res) => res.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"code":"status-list.not-found"}');
    expect(await lists.fetchList(`${base}/l`)).toEqual({ kind: 'refused', reason: 'the list URL answered 404' });
    handle = () => undefined; // never answers
    expect(await lists.fetchList(`${base}/l`)).toEqual({ kind: 'unreachable', reason: 'the list server did not answer in time' });
  });

  it('never uses a stale list when its server is gone, but a fresh one still answers', async () => {
    const lists = source();
    await lists.fetchList(`${base}/l`);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    expect(await lists.fetchList(`${base}/l`)).toEqual({ kind: 'list', jwt: LIST });
    expect(await lists.fetchList(`${base}/other`)).toEqual({ kind: 'unreachable', reason: 'the list server could not be reached' });
    clock.advance(301_000);
    expect(await lists.fetchList(`${base}/l`)).toEqual({ kind: 'unreachable', reason: 'the list server could not be reached' });
    server = createServer();
    server.listen(0, '127.0.0.1');
  });

  it('drops the least recently used lists beyond its byte bound', async () => {
    const lists = source({ maxCachedBytes: LIST.length * 2 });
    await lists.fetchList(`${base}/a`);
    await lists.fetchList(`${base}/b`);
    await lists.fetchList(`${base}/a`); // a is now the most recently used
    await lists.fetchList(`${base}/c`); // evicts b
    expect(requests.map((r) => r.path)).toEqual(['/a', '/b', '/c']);
    await lists.fetchList(`${base}/a`);
    await lists.fetchList(`${base}/b`);
    expect(requests.map((r) => r.path)).toEqual(['/a', '/b', '/c', '/b']);
  });
});
