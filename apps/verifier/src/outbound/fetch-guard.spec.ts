import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FixedClock } from '@citycred/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FetchGuard, UrlRefusal, type FetchGuardSettings, type HostLookup } from './fetch-guard.js';

/*
 * FetchGuard against a real local HTTP server that records every request: a refused URL must leave no trace on it.
 * Names other than localhost resolve through an injected lookup (the guard's DNS port), so a test can say what a
 * name resolves to without a network; the clock is injected, so the DNS cache's expiry is a clock step.
 */

describe('FetchGuard', () => {
  let server: Server;
  let origin: string;
  let port: number;
  let clock: FixedClock;
  let hits: Array<{ path: string; host: string | undefined; acceptEncoding: string | undefined }>;
  let handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** Names the injected lookup knows, and how often it was asked. */
  let names: Map<string, string[]>;
  let lookups: string[];
  const guards: FetchGuard[] = [];

  const lookupHost: HostLookup = async (hostname) => {
    lookups.push(hostname);
    const addresses = names.get(hostname);
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

  const guard = (settings: Partial<FetchGuardSettings> = {}) => {
    const made = new FetchGuard(clock, { allowedOrigins: [origin], lookupHost, ...settings });
    guards.push(made);
    return made;
  };
  const get = (g: FetchGuard, url: string, maxBytes = 1_024) => g.fetch(url, { timeoutMs: 2_000, maxBytes });

  beforeEach(async () => {
    hits = [];
    names = new Map();
    lookups = [];
    clock = new FixedClock(new Date('2026-03-02T09:00:00Z'));
    handle = (_req, res) => res.writeHead(200, { 'content-type': 'text/plain', etag: '"v1"' }).end('the list');
    server = createServer((req, res) => {
      hits.push({ path: req.url ?? '', host: req.headers.host, acceptEncoding: req.headers['accept-encoding'] });
      handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    origin = `http://127.0.0.1:${port}`;
  });
  afterEach(async () => {
    for (const made of guards.splice(0)) made.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches from an allowed origin, over plain http and at a loopback address, asking for no compression', async () => {
    const answer = await guard().fetch(`${origin}/status-lists/a#7`, { timeoutMs: 2_000, maxBytes: 1_024, headers: { accept: 'application/vc+jwt' } });
    expect(answer).toMatchObject({ kind: 'response', status: 200 });
    if (answer.kind !== 'response') return;
    expect(answer.body.toString()).toBe('the list');
    expect(answer.headers.get('etag')).toBe('"v1"');
    expect(hits).toEqual([{ path: '/status-lists/a', host: `127.0.0.1:${port}`, acceptEncoding: 'identity' }]);
  });

  it.each([
    ['another local port over http', (p: number) => `http://127.0.0.1:${p + 1}/list`, UrlRefusal.Address, 'it names a loopback address'],
    ['a loopback address over https', (p: number) => `https://127.0.0.1:${p}/list`, UrlRefusal.Address, 'it names a loopback address'],
    ['the decimal form of 127.0.0.1', (p: number) => `http://2130706433:${p + 1}/list`, UrlRefusal.Address, 'it names a loopback address'],
    ['the octal form of 127.0.0.1', (p: number) => `http://0177.0.0.1:${p + 1}/list`, UrlRefusal.Address, 'it names a loopback address'],
    ['the hexadecimal short form of 127.0.0.1', (p: number) => `http://0x7f.1:${p + 1}/list`, UrlRefusal.Address, 'it names a loopback address'],
    ['127.0.0.1 mapped into IPv6', (p: number) => `http://[::ffff:127.0.0.1]:${p}/list`, UrlRefusal.Address, 'it names a loopback address'],
    ['IPv6 loopback', (p: number) => `https://[::1]:${p}/list`, UrlRefusal.Address, 'it names a loopback address'],
    ['the cloud metadata service', () => 'http://169.254.169.254/latest/meta-data/', UrlRefusal.Address, 'it names a link-local address'],
    ['a private network', () => 'https://10.0.0.5/status', UrlRefusal.Address, 'it names a private address'],
    ['a unique-local IPv6 address', () => 'https://[fd00::5]/status', UrlRefusal.Address, 'it names a unique-local address'],
    ['the unspecified address', (p: number) => `https://0.0.0.0:${p}/list`, UrlRefusal.Address, 'it names an unspecified address'],
    ['multicast', () => 'https://224.0.0.1/list', UrlRefusal.Address, 'it names a multicast address'],
    ['the database port of the host', () => 'http://localhost:5432/', UrlRefusal.PlainHttp, expect.stringContaining('plain http')],
    ['a user name and password, even at an allowed origin', (p: number) => `http://user:secret@127.0.0.1:${p}/list`, UrlRefusal.Credentials, 'it carries a user name or password'],
    ['a file', () => 'file:///etc/passwd', UrlRefusal.Scheme, 'it is not an http or https URL'],
    ['gopher', (p: number) => `gopher://127.0.0.1:${p}/_SET`, UrlRefusal.Scheme, 'it is not an http or https URL'],
    ['no URL', () => 'status list', UrlRefusal.NotAUrl, 'it is not a URL'],
  ])('refuses %s without sending anything', async (_what, url, code, reason) => {
    expect(await get(guard(), url(port))).toEqual({ kind: 'refused', code, reason });
    expect(hits).toEqual([]);
  });

  it('refuses localhost, which the system resolver answers with a loopback address', async () => {
    const system = guard({ lookupHost: undefined });
    expect(await get(system, `https://localhost:${port}/list`)).toEqual({ kind: 'refused', code: UrlRefusal.Address, reason: 'its host resolves to a loopback address' });
    expect(hits).toEqual([]);
  });

  it('refuses a name that resolves to a non-public address — any one of its addresses — and calls DNS for https names only', async () => {
    names.set('metadata.test', ['169.254.169.254']);
    names.set('mixed.test', ['93.184.215.14', '10.0.0.1']);
    names.set('v6.test', ['2606:4700::1', 'fe80::1']);
    const g = guard();
    expect(await get(g, 'https://metadata.test/latest')).toEqual({ kind: 'refused', code: UrlRefusal.Address, reason: 'its host resolves to a link-local address' });
    expect(await get(g, 'https://mixed.test/list')).toEqual({ kind: 'refused', code: UrlRefusal.Address, reason: 'its host resolves to a private address' });
    expect(await get(g, 'https://v6.test/list')).toEqual({ kind: 'refused', code: UrlRefusal.Address, reason: 'its host resolves to a link-local address' });
    // Plain http outside the allowed origins is refused before any lookup.
    expect(await get(g, 'http://mixed.test/list')).toMatchObject({ kind: 'refused', code: UrlRefusal.PlainHttp });
    expect(lookups).toEqual(['metadata.test', 'mixed.test', 'v6.test']);
  });

  it('connects to the address it checked, and resolves a name again only once its answer is older than the cache time', async () => {
    names.set('issuer.test', ['127.0.0.1']);
    const g = guard({ allowedOrigins: [`http://issuer.test:${port}`], hostCacheSeconds: 30 });
    expect(await get(g, `http://issuer.test:${port}/a`)).toMatchObject({ kind: 'response', status: 200 });
    // The name now points elsewhere, but the kept answer is used: the request still goes to the checked address.
    names.set('issuer.test', ['127.0.0.2']);
    clock.advance(29_000);
    expect(await get(g, `http://issuer.test:${port}/b`)).toMatchObject({ kind: 'response', status: 200 });
    expect(lookups).toEqual(['issuer.test']);
    expect(hits.map((h) => [h.path, h.host])).toEqual([
      ['/a', `issuer.test:${port}`],
      ['/b', `issuer.test:${port}`],
    ]);
    clock.advance(2_000);
    names.set('issuer.test', ['127.0.0.1']);
    await get(g, `http://issuer.test:${port}/c`);
    expect(lookups).toEqual(['issuer.test', 'issuer.test']);
  });

  it('follows redirects within what it allows, refuses one that leads elsewhere, and stops after three', async () => {
    handle = (req, res) => {
      if (req.url === '/moved') return res.writeHead(301, { location: '/here' }).end();
      if (req.url === '/to-metadata') return res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (req.url === '/to-database') return res.writeHead(307, { location: 'http://localhost:5432/' }).end();
      if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
      if (req.url === '/nowhere') return res.writeHead(302).end();
      return res.writeHead(200).end('here');
    };
    const g = guard();
    const moved = await get(g, `${origin}/moved`);
    expect(moved.kind === 'response' && moved.body.toString()).toBe('here');
    expect(await get(g, `${origin}/to-metadata`)).toEqual({ kind: 'refused', code: UrlRefusal.Address, reason: 'it redirects to a URL that is refused: it names a link-local address' });
    expect(await get(g, `${origin}/to-database`)).toMatchObject({ kind: 'refused', code: UrlRefusal.PlainHttp });
    expect(await get(g, `${origin}/loop`)).toEqual({ kind: 'refused', code: UrlRefusal.Redirects, reason: 'it redirects more than 3 times' });
    expect(await get(g, `${origin}/nowhere`)).toMatchObject({ kind: 'response', status: 302 });
    expect(hits.map((h) => h.path)).toEqual(['/moved', '/here', '/to-metadata', '/to-database', '/loop', '/loop', '/loop', '/loop', '/nowhere']);
  });

  it('cuts a body off beyond maxBytes, whether declared or streamed, and takes one of exactly maxBytes', async () => {
    const g = guard();
    handle = (_req, res) => res.writeHead(200, { 'content-length': '1025' }).end('a'.repeat(1_025));
    expect(await get(g, `${origin}/declared`)).toEqual({ kind: 'too-large', limit: 1_024 });
    handle = (_req, res) => {
      res.writeHead(200);
      res.write('a'.repeat(600));
      res.end('a'.repeat(600));
    };
    expect(await get(g, `${origin}/streamed`)).toEqual({ kind: 'too-large', limit: 1_024 });
    handle = (_req, res) => res.writeHead(200).end('a'.repeat(1_024));
    const exact = await get(g, `${origin}/exact`);
    expect(exact.kind === 'response' && exact.body.length).toBe(1_024);
  });

  it('reports silence as a timeout, and a host it cannot resolve or reach as unreachable', async () => {
    handle = () => undefined; // never answers
    expect(await guard().fetch(`${origin}/silent`, { timeoutMs: 200, maxBytes: 1_024 })).toEqual({ kind: 'failed', failure: 'timeout' });
    const closed = `http://127.0.0.1:${port}`;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    expect(await get(guard(), `${closed}/gone`)).toEqual({ kind: 'failed', failure: 'unreachable' });
    expect(await get(guard({ allowedOrigins: ['http://unknown.test'] }), 'http://unknown.test/list')).toEqual({ kind: 'failed', failure: 'unreachable' });
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  it('reports an answer that breaks off as interrupted', async () => {
    handle = (req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => req.socket.destroy());
    };
    expect(await get(guard(), `${origin}/broken`)).toEqual({ kind: 'failed', failure: 'interrupted' });
  });
});
