import { Body, Controller, Get, Module, Post, Query } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { containsResidentRegistrationNumber } from '@citycred/credentials';
import { disguisedResidentRegistrationNumbers } from '@citycred/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, listen } from './bootstrap.js';
import { urlLocations } from './personal-data-guard.js';

/*
 * The personal-data guard on a real Fastify server built by createHttpApp: a tiny module whose handlers would
 * echo what they get, so anything that slips past the guard shows up in the answer.
 */

@Controller()
class EchoController {
  @Post('echo')
  echo(@Body() body: unknown) {
    return { body };
  }

  @Get('items/:id')
  item(@Query() query: unknown) {
    return { query };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

const variants = disguisedResidentRegistrationNumbers();
const VARIANTS = variants.map((v) => [v.label, v.text] as const);

describe('personal-data guard (real Fastify server)', () => {
  let app: NestFastifyApplication;
  let url: string;
  beforeAll(async () => {
    app = await createHttpApp(EchoModule, { logLevels: [] });
    url = await listen(app, 0, '127.0.0.1');
  });
  afterAll(async () => app?.close());

  /** Asserts the refusal: 400 request.personal-data naming `errors`, with nothing of the number in the answer. */
  async function expectRefused(res: Response, text: string, errors: { in: string; pointer: string }[]): Promise<void> {
    const answer = await res.text();
    expect(res.status, answer).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(answer);
    expect(problem).toMatchObject({ code: 'request.personal-data', status: 400 });
    expect(problem.errors).toEqual(errors);
    expect(answer).not.toContain(text);
    expect(answer).not.toContain(encodeURIComponent(text));
    expect(containsResidentRegistrationNumber(answer)).toBe(false);
  }

  const post = (body: unknown) => fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it.each(VARIANTS)('refuses one in a body value (%s)', async (_label, text) => {
    await expectRefused(await post({ credential: { credentialSubject: { name: text } } }), text, [{ in: 'body', pointer: '/credential/credentialSubject/name' }]);
  });

  it.each(VARIANTS)('refuses one in a body property name, redacted in the pointer (%s)', async (_label, text) => {
    await expectRefused(await post({ credential: { [text]: true } }), text, [{ in: 'body', pointer: '/credential/[redacted]' }]);
  });

  it.each(VARIANTS)('refuses one in an array item and in a type list (%s)', async (_label, text) => {
    await expectRefused(await post({ type: ['VerifiableCredential', text], '@context': ['https://example.com', text] }), text, [
      { in: 'body', pointer: '/type/1' },
      { in: 'body', pointer: '/@context/1' },
    ]);
  });

  it.each(VARIANTS)('refuses one in the path of a known route (%s)', async (_label, text) => {
    await expectRefused(await fetch(`${url}/items/${encodeURIComponent(text)}`), text, [{ in: 'path', pointer: '/1' }]);
  });

  it.each(VARIANTS)('refuses one in the path of an unknown route, before the 404 (%s)', async (_label, text) => {
    await expectRefused(await fetch(`${url}/residents/${encodeURIComponent(text)}`), text, [{ in: 'path', pointer: '/1' }]);
  });

  it.each(VARIANTS)('refuses one in a query value and a query name (%s)', async (_label, text) => {
    await expectRefused(await fetch(`${url}/items/1?q=${encodeURIComponent(text)}`), text, [{ in: 'query', pointer: '/q' }]);
    await expectRefused(await fetch(`${url}/items/1?${encodeURIComponent(text)}=1`), text, [{ in: 'query', pointer: '/[redacted]' }]);
  });

  it('refuses a number as a JSON number, and one spread over path segments or query parameters', async () => {
    await expectRefused(await post({ n: 9001011234567 }), '9001011234567', [{ in: 'body', pointer: '/n' }]);
    await expectRefused(await fetch(`${url}/items/900101/1234567`), '900101', [{ in: 'path', pointer: '' }]);
    await expectRefused(await fetch(`${url}/items/1?a=900101&b=1234567`), '900101', [{ in: 'query', pointer: '' }]);
  });

  it('lets clean requests through untouched, hashes, UUIDs, dates and a deep body included', async () => {
    const body = { id: '3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b', hash: `0x${'ab'.repeat(10)}9001011234567${'cd'.repeat(15)}a`, at: '2026-03-02T09:00:00Z', phone: '010-1234-5678' };
    const res = await post(body);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ body });
    const depth = 50_000;
    const deep = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `${'['.repeat(depth)}1${']'.repeat(depth)}` });
    expect(deep.status).not.toBe(400);
    const got = await fetch(`${url}/items/${'cd'.repeat(32)}?since=2026-03-02`);
    expect(got.status).toBe(200);
  });

  it('never repeats a query parameter or property name that is no plausible field name', async () => {
    const health = await fetch(`${url}/items/1?%3Cscript%3EZQXMARK=900101-1234567`);
    const answer = await health.text();
    expect(health.status, answer).toBe(400);
    expect(JSON.parse(answer).errors).toEqual([{ in: 'query', pointer: '/[unnamed]' }]);
    expect(answer).not.toMatch(/ZQXMARK|script/);
    const key = `<img src=x onerror=alert(1)>${'x'.repeat(5000)}`;
    const res = await post({ credential: { [key]: { name: '900101-1234567' } } });
    const text = await res.text();
    expect(res.status, text).toBe(400);
    expect(JSON.parse(text).errors).toEqual([{ in: 'body', pointer: '/credential/[unnamed]/name' }]);
    expect(text).not.toMatch(/img|onerror|xxxx/);
    expect(text.length).toBeLessThan(1000);
  });

  it('answers a 1 MiB body of the red team’s pattern (which once held the server for minutes) while serving others', async () => {
    const pattern = 'a9001011234567'.repeat(Math.floor((1024 * 1024 - 40) / 14));
    const [big, other] = await Promise.all([post({ verifiableCredential: pattern }), fetch(`${url}/items/1?q=ok`)]);
    expect(big.status).toBe(400);
    expect((await big.json()).errors).toEqual([{ in: 'body', pointer: '/verifiableCredential' }]);
    expect(other.status).toBe(200);
  });

  it('lists at most 20 places', async () => {
    const res = await post(Array.from({ length: 100 }, () => '900101-1234567'));
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toHaveLength(20);
  });
});

describe('urlLocations', () => {
  it('decodes percent-escapes leniently and names only places', () => {
    expect(urlLocations('/a/%EF%BC%99%EF%BC%90%EF%BC%90%EF%BC%91%EF%BC%90%EF%BC%91-1234567')).toEqual([{ in: 'path', pointer: '/1' }]);
    expect(urlLocations('/a/900101%FF1234567')).toEqual([{ in: 'path', pointer: '/1' }]);
    expect(urlLocations('/a/b?x=900101+1234567#frag')).toEqual([{ in: 'query', pointer: '/x' }]);
    expect(urlLocations('/anchors/proofs/0x' + 'ab'.repeat(32))).toEqual([]);
  });
});
