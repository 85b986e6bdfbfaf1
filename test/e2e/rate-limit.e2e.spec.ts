import { FixedClock } from '@citycred/config';
import { startIssuer } from '@citycred/issuer';
import { startVerifier } from '@citycred/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, send, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { openSocket, readAnswer, type RawAnswer } from '../support/raw-http.js';

/*
 * Issue 13 item 7: the unauthenticated, costly public endpoints are limited per client (429 problem+json with
 * Retry-After), other clients and other endpoints are not affected, and the client is let in again once its
 * bucket refilled. Time is a FixedClock, so nothing here sleeps. A second client is a second loopback address.
 */

/** Sends one request from `localAddress` (another client) with a fresh connection, and reads the answer. */
async function requestFrom(url: string, localAddress: string, method: string, path: string, options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<RawAnswer> {
  const socket = await openSocket(url, localAddress);
  try {
    const answer = readAnswer(socket);
    const body = options.raw ?? (options.body === undefined ? '' : JSON.stringify(options.body));
    const headers = { host: 'localhost', connection: 'close', ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}), ...options.headers };
    socket.write(`${method} ${path} HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n${body}`);
    return await answer;
  } finally {
    socket.destroy();
  }
}

function expectRateLimited(res: RawAnswer, retryAfter: string): void {
  expect(res.status, res.text).toBe(429);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 429, code: 'request.rate-limited', title: expect.any(String) });
  expect(res.body.type.endsWith('/request.rate-limited')).toBe(true);
  expect(res.headers['retry-after']).toBe(retryAfter);
}

describe('per-client rate limits on the public endpoints', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform('rate_limit');
  });
  afterAll(async () => p?.stop());

  it('verifier POST /credentials/verify: the request after the burst is 429 with Retry-After; other clients and endpoints are not affected; the client is let in again after the window', async () => {
    const clock = new FixedClock(new Date());
    const verifier = await startVerifier({ ...p.verifier.runtime.config, RATE_LIMIT_PER_MINUTE: 6, RATE_LIMIT_BURST: 3 }, clock, 0);
    try {
      const verify = (from: string, headers?: Record<string, string>) => requestFrom(verifier.url, from, 'POST', '/credentials/verify', { body: { verifiableCredential: 'garbage' }, headers });
      for (let i = 0; i < 3; i += 1) expect((await verify('127.0.0.1')).body.code).toBe('verification.failed');
      expectRateLimited(await verify('127.0.0.1'), '10');

      // Another client, and the same client on other endpoints, are not limited.
      expect((await verify('127.0.0.2')).body.code).toBe('verification.failed');
      expect((await requestFrom(verifier.url, '127.0.0.1', 'GET', '/health')).status).toBe(200);
      expect((await requestFrom(verifier.url, '127.0.0.1', 'GET', '/docs/json')).status).toBe(200);
      // X-Forwarded-For is not believed unless TRUST_PROXY says so: it does not make a new client.
      expectRateLimited(await verify('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), '10');

      clock.advance(9_000);
      expectRateLimited(await verify('127.0.0.1'), '1');
      clock.advance(1_000);
      expect((await verify('127.0.0.1')).body.code).toBe('verification.failed');
      expectRateLimited(await verify('127.0.0.1'), '10');
    } finally {
      await verifier.close();
    }
  });

  it('verifier wallet response routes, which also take a form body (direct_post): limited like the rest', async () => {
    const clock = new FixedClock(new Date());
    const verifier = await startVerifier({ ...p.verifier.runtime.config, RATE_LIMIT_PER_MINUTE: 6, RATE_LIMIT_BURST: 2 }, clock, 0);
    try {
      const respond = () =>
        requestFrom(verifier.url, '127.0.0.1', 'POST', `/presentation-requests/${'a'.repeat(43)}/response`, {
          raw: 'vp_token=x&state=y',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
      for (let i = 0; i < 2; i += 1) expect((await respond()).status).not.toBe(429);
      expectRateLimited(await respond(), '10');
    } finally {
      await verifier.close();
    }
  });

  it('issuer GET /anchors/proofs/{hash}: limited per client as given by a trusted proxy; issuing is not limited', async () => {
    const clock = new FixedClock(new Date());
    const issuer = await startIssuer({ ...p.issuer.runtime.config, RATE_LIMIT_PER_MINUTE: 60, RATE_LIMIT_BURST: 2, TRUST_PROXY: ['loopback'] }, clock, 0);
    try {
      const proof = (client: string) => requestFrom(issuer.url, '127.0.0.1', 'GET', `/anchors/proofs/${'ab'.repeat(32)}`, { headers: { 'x-forwarded-for': client } });
      expect((await proof('203.0.113.5')).status).toBe(404);
      expect((await proof('203.0.113.5')).status).toBe(404);
      expectRateLimited(await proof('203.0.113.5'), '1');
      expect((await proof('203.0.113.6')).status).toBe(404);

      const { apiKey, did } = p.tenants.get('seoul-citizen')!;
      for (let i = 0; i < 3; i += 1) {
        const issued = await requestFrom(issuer.url, '127.0.0.1', 'POST', '/credentials/issue', {
          body: issueBody(did, 'SeoulCitizenCard', citizenCardSubject),
          headers: { authorization: `Bearer ${apiKey}`, 'x-forwarded-for': '203.0.113.5' },
        });
        expect(issued.status, issued.text).toBe(201);
      }
      clock.advance(1_000);
      expect((await proof('203.0.113.5')).status).toBe(404);
    } finally {
      await issuer.close();
    }
  });

  describe('the verifier is one client of the issuer proof endpoint', () => {
    /** An issuer whose proof endpoint allows 2 requests at once, then one per 10 s; a verifier that asks it; a fresh credential. */
    async function issuerAndVerifier(issuerEnv: Record<string, unknown>) {
      const clock = new FixedClock(new Date());
      const issuer = await startIssuer({ ...p.issuer.runtime.config, RATE_LIMIT_PER_MINUTE: 6, RATE_LIMIT_BURST: 2, ...issuerEnv }, clock, 0);
      const verifier = await startVerifier({ ...p.verifier.runtime.config, ANCHOR_PROOF_URL: issuer.url }, clock, 0);
      const { apiKey, did } = p.tenants.get('seoul-citizen')!;
      const issued = await requestFrom(issuer.url, '127.0.0.1', 'POST', '/credentials/issue', {
        body: issueBody(did, 'SeoulCitizenCard', citizenCardSubject),
        headers: { authorization: `Bearer ${apiKey}` },
      });
      expect(issued.status, issued.text).toBe(201);
      const verify = () => requestFrom(verifier.url, '127.0.0.9', 'POST', '/credentials/verify', { body: { verifiableCredential: issued.body.verifiableCredential } });
      const flood = async (from: string) => {
        let last: RawAnswer | undefined;
        for (let i = 0; i < 3; i += 1) last = await requestFrom(issuer.url, from, 'GET', `/anchors/proofs/${'cd'.repeat(32)}`);
        return last!;
      };
      return { issuer, verifier, verify, flood, close: async () => (await verifier.close(), await issuer.close()) };
    }

    it('when a third party on the verifier host exhausts the limit, the verifier answers 503 with the issuer Retry-After passed on', async () => {
      const { verify, flood, close } = await issuerAndVerifier({});
      try {
        expectRateLimited(await flood('127.0.0.1'), '10');
        const res = await verify();
        expect(res.status, res.text).toBe(503);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body.code).toBe('service.unavailable');
        expect(res.headers['retry-after']).toBe('10');
      } finally {
        await close();
      }
    });

    it('RATE_LIMIT_EXEMPT on the issuer (the verifier address) keeps the verifier answering while others are limited', async () => {
      const { verify, flood, close } = await issuerAndVerifier({ RATE_LIMIT_EXEMPT: ['127.0.0.1'] });
      try {
        expect((await flood('127.0.0.1')).status).toBe(404);
        expectRateLimited(await flood('127.0.0.2'), '10');
        const res = await verify();
        expect(res.status, res.text).toBe(200);
        expect(res.body.checks.find((c: { id: string }) => c.id === 'anchor').status).toBe('pending');
      } finally {
        await close();
      }
    });
  });

  it('RATE_LIMIT_PER_MINUTE=0 turns the limit off (the test platform runs so)', async () => {
    expect(p.verifier.runtime.config.RATE_LIMIT_PER_MINUTE).toBe(0);
    const statuses = await Promise.all(
      Array.from({ length: 80 }, () =>
        send(`${p.verifier.url}/credentials/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiableCredential: 'garbage' }) }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 429)).toEqual([]);
  });
});
