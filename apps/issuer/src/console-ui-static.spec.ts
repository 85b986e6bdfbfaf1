import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, listen } from '@citycred/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, ConsoleUiModule } from './console-ui-static.js';

@Controller('console/api')
class PingController {
  @Get('ping')
  ping() {
    return { pong: true };
  }
}

/** A stand-in for Vite's output: the page and one hashed asset. */
function fakeBuild(): string {
  const dist = mkdtempSync(join(tmpdir(), 'console-ui-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title><script type="module" src="/console/assets/index-abc123.js"></script>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1);');
  mkdirSync(join(dist, 'employer', 'assets'), { recursive: true });
  writeFileSync(join(dist, 'employer', 'employer.html'), '<!doctype html><title>employer</title><script type="module" src="/employer/assets/employer-def456.js"></script>');
  writeFileSync(join(dist, 'employer', 'assets', 'employer-def456.js'), 'console.log(2);');
  return dist;
}

describe('the console served at /console (real Fastify server)', () => {
  let app: NestFastifyApplication;
  let url: string;
  let dist: string;
  beforeAll(async () => {
    dist = fakeBuild();
    @Module({ imports: [ConsoleUiModule.register(dist)], controllers: [PingController] })
    class TestModule {}
    app = await createHttpApp(TestModule, { logLevels: [] });
    url = await listen(app, 0, '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it.each(['/console', '/console/', '/console/credentials', '/console/audit?x=1'])('answers %s with the page, never cached, under a strict CSP', async (path) => {
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    expect(await res.text()).toContain('<title>console</title>');
  });

  it.each(['/employer', '/employer/', '/employer/?lang=en'])('answers %s with the employer console, under the same CSP', async (path) => {
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(await res.text()).toContain('<title>employer</title>');
  });

  it("serves the employer console's assets from its own build, and not the console's", async () => {
    const own = await fetch(`${url}/employer/assets/employer-def456.js`);
    expect(own.status).toBe(200);
    expect(own.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await own.text()).toBe('console.log(2);');
    const other = await fetch(`${url}/employer/assets/index-abc123.js`);
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
  });

  it('serves hashed assets cached for a year', async () => {
    const res = await fetch(`${url}/console/assets/index-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('console.log(1);');
  });

  it.each(['/console/assets/missing.js', '/console/api/unknown'])('answers %s 404 problem+json, not with the page', async (path) => {
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'request.not-found' });
  });

  it('answers a revalidation of an unchanged page 304', async () => {
    const first = await fetch(`${url}/console`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(`${url}/console/issue`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('keeps serving the build it started with when the files change (a rebuild)', async () => {
    unlinkSync(join(dist, 'assets', 'index-abc123.js'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>other</title>');
    expect(await (await fetch(`${url}/console`)).text()).toContain('<title>console</title>');
    expect((await fetch(`${url}/console/assets/index-abc123.js`)).status).toBe(200);
  });

  it('leaves the API routes to their controllers', async () => {
    const res = await fetch(`${url}/console/api/ping`);
    expect(await res.json()).toEqual({ pong: true });
  });
});

describe('an issuer whose console is not built', () => {
  it('starts, and answers /console and /employer 404 problem+json', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'console-ui-none-'));
    @Module({ imports: [ConsoleUiModule.register(empty)] })
    class BareModule {}
    const app = await createHttpApp(BareModule, { logLevels: [] });
    try {
      const url = await listen(app, 0, '127.0.0.1');
      for (const path of ['/console', '/employer']) {
        const res = await fetch(`${url}${path}`);
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ code: 'request.not-found' });
      }
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
