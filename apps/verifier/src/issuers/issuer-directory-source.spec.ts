import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FixedClock } from '@citycred/config';
import type { IssuerDirectory } from '@citycred/credentials';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FetchGuard } from '../outbound/fetch-guard.js';
import { HttpIssuerDirectorySource } from './issuer-directory-source.js';

/*
 * HttpIssuerDirectorySource against a real local HTTP server whose answers each test sets; the clock is injected, so
 * cache expiry is a clock step, not a wait.
 */

const directory = (ko: string): IssuerDirectory => ({
  version: 1,
  issuers: [
    {
      did: 'did:ethr:citycred:0x1111111111111111111111111111111111111111',
      address: '0x1111111111111111111111111111111111111111',
      slug: 'seoul-citizen',
      kind: 'department',
      name: { ko, en: 'Seoul' },
      credentialTypes: ['SeoulCitizenCard'],
      statusLists: { bitstring: { revocation: [], suspension: [] }, token: ['https://issuer.example/status-lists/1'] },
    },
  ],
});

describe('HttpIssuerDirectorySource', () => {
  let server: Server;
  let base: string;
  let clock: FixedClock;
  let requests: Array<{ path: string; ifNoneMatch: string | undefined }>;
  let handle: (req: IncomingMessage, res: ServerResponse) => void;

  beforeEach(async () => {
    requests = [];
    clock = new FixedClock(new Date('2026-03-02T09:00:00Z'));
    handle = (_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300', etag: '"v1"' }).end(JSON.stringify(directory('서울특별시')));
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

  const source = (issuerUrl = base, maxCacheSeconds = 600) => new HttpIssuerDirectorySource(issuerUrl, new FetchGuard(clock, { allowedOrigins: [base] }), clock, { timeoutMs: 2_000, maxCacheSeconds });

  it('reads /issuers once for every caller while its max-age lasts, then revalidates with If-None-Match', async () => {
    const names = source();
    const [first, second] = await Promise.all([names.current(), names.current()]);
    expect(first).toEqual({ directory: directory('서울특별시'), fetchedAt: clock.now(), stale: false });
    expect(second).toEqual(first);
    clock.advance(299_000);
    expect((await names.current())?.stale).toBe(false);
    expect(requests).toEqual([{ path: '/issuers', ifNoneMatch: undefined }]);
    handle = (req, res) => (req.headers['if-none-match'] === '"v1"' ? res.writeHead(304, { 'cache-control': 'max-age=300', etag: '"v1"' }).end() : res.writeHead(500).end());
    clock.advance(2_000);
    expect(await names.current()).toEqual({ directory: directory('서울특별시'), fetchedAt: clock.now(), stale: false });
    expect(requests.map((r) => r.ifNoneMatch)).toEqual([undefined, '"v1"']);
    expect(names.cacheCounts()).toEqual({ 'issuer-directory': { hits: 1, misses: 3 } });
  });

  it('takes a changed directory, caps max-age at maxCacheSeconds and keeps a path prefix of the issuer URL', async () => {
    const names = source(`${base}/city/`, 10);
    await names.current();
    handle = (_req, res) => res.writeHead(200, { 'cache-control': 'max-age=300', etag: '"v2"' }).end(JSON.stringify(directory('서울시 시민카드')));
    clock.advance(9_000);
    expect((await names.current())?.directory.issuers[0]?.name.ko).toBe('서울특별시');
    clock.advance(1_000);
    expect((await names.current())?.directory.issuers[0]?.name.ko).toBe('서울시 시민카드');
    expect(requests.map((r) => r.path)).toEqual(['/city/issuers', '/city/issuers']);
  });

  it('keeps working on its last copy while the issuer is down or answers something else, and has none before a first answer', async () => {
    handle = (_req, res) => res.writeHead(503).end();
    const names = source();
    expect(await names.current()).toBeUndefined();
    expect(names.lastFailure).toBe('the issuer answered 503');
    handle = (_req, res) => res.writeHead(200, { 'cache-control': 'no-cache' }).end(JSON.stringify(directory('서울특별시')));
    // A failed issuer is not asked again for 10 s.
    expect(await names.current()).toBeUndefined();
    expect(requests).toHaveLength(1);
    clock.advance(10_000);
    const fetchedAt = clock.now();
    expect((await names.current())?.stale).toBe(false);
    clock.advance(60_000);
    handle = (_req, res) => res.writeHead(200).end(JSON.stringify({ version: 2, issuers: [] }));
    expect(await names.current()).toEqual({ directory: directory('서울특별시'), fetchedAt, stale: true });
    expect(names.lastFailure).toContain('not an issuer directory');
    handle = (_req, res) => res.writeHead(200).end('<html>');
    clock.advance(10_000);
    expect((await names.current())?.stale).toBe(true);
    expect(names.lastFailure).toBe('the answer is not JSON');
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    clock.advance(10_000);
    expect(await names.current()).toEqual({ directory: directory('서울특별시'), fetchedAt, stale: true });
    expect(names.lastFailure).toBe('the issuer could not be reached');
    expect(requests).toHaveLength(4);
    // afterEach closes it again.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  it('sends nothing to an issuer URL the fetch guard refuses', async () => {
    const names = source('http://10.0.0.1:3001');
    expect(await names.current()).toBeUndefined();
    expect(names.lastFailure).toContain('refused');
    expect(requests).toEqual([]);
  });
});
