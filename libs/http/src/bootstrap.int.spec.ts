import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppError, ErrorCode } from '@citycred/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, listen } from './bootstrap.js';

@Controller()
class EchoController {
  @Post('echo')
  echo(@Body() body: unknown) {
    return { body };
  }

  @Get('fault')
  fault(): never {
    throw new Error('secret connection string postgres://u:p@db');
  }

  @Get('app-error')
  appError(): never {
    throw new AppError(ErrorCode.AnchorProofNotFound, 'nothing here');
  }

  @Get('outage')
  outage(): never {
    throw new AppError(ErrorCode.ServiceUnavailable, 'chain not answering');
  }

  @Get('throttled-dependency')
  throttledDependency(): never {
    throw new AppError(ErrorCode.ServiceUnavailable, 'proof service limited us', { retryAfterSeconds: 42 });
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('HTTP edge conventions (real Fastify server)', () => {
  let app: NestFastifyApplication;
  let url: string;
  beforeAll(async () => {
    app = await createHttpApp(EchoModule, { bodyLimit: 1024, logLevels: [] });
    url = await listen(app, 0, '127.0.0.1');
  });
  afterAll(async () => app?.close());

  const post = (body: string, type = 'application/json') => fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': type }, body });

  it('answers malformed JSON with request.malformed-json', async () => {
    const res = await post('{"a":');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'request.malformed-json', status: 400 });
  });

  it('accepts +json media types', async () => {
    const res = await post('{"a":1}', 'application/ld+json');
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ body: { a: 1 } });
  });

  it.each([
    ['bytes that are not UTF-8', Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xc0, 0xaf]), Buffer.from('"}')])],
    ['a leading byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')])],
  ])('answers a JSON body with %s with 400 request.invalid-encoding (application/json and +json alike)', async (_label, bytes) => {
    for (const type of ['application/json', 'application/ld+json']) {
      const res = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(bytes) });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'request.invalid-encoding' });
    }
  });

  it('reads UTF-8 beyond ASCII as it is, and still refuses prototype poisoning', async () => {
    const res = await post(JSON.stringify({ name: '김서연 🏙' }));
    expect(await res.json()).toEqual({ body: { name: '김서연 🏙' } });
    const poisoned = await post('{"__proto__":{"admin":true}}');
    expect(poisoned.status).toBe(400);
  });

  it('tells when to retry on every 503: what the error says, else 5 s', async () => {
    const outage = await fetch(`${url}/outage`);
    expect(outage.status).toBe(503);
    expect(outage.headers.get('retry-after')).toBe('5');
    const throttled = await fetch(`${url}/throttled-dependency`);
    expect(throttled.status).toBe(503);
    expect(throttled.headers.get('retry-after')).toBe('42');
  });

  it('answers an unsupported media type with 415 problem+json', async () => {
    const res = await post('a=1', 'text/plain');
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ code: 'request.unsupported-media-type' });
  });

  it('answers a body over the limit with 413 problem+json', async () => {
    const res = await post(JSON.stringify({ a: 'x'.repeat(2048) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'request.too-large' });
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await fetch(`${url}/nowhere`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'request.not-found' });
  });

  it('maps an AppError by its code and hides unexpected faults', async () => {
    const known = await fetch(`${url}/app-error`);
    expect(known.status).toBe(404);
    expect(await known.json()).toMatchObject({ code: 'anchor.proof-not-found', detail: 'nothing here' });
    const fault = await fetch(`${url}/fault`);
    expect(fault.status).toBe(500);
    const text = await fault.text();
    expect(text).not.toContain('postgres://');
    expect(text).not.toContain('at ');
  });
});
