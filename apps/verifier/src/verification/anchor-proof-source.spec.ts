import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '@citycred/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchGuard } from '../outbound/fetch-guard.js';
import { HttpAnchorProofSource } from './anchor-proof-source.js';

const HASH = `0x${'11'.repeat(32)}` as const;
const ROOT = `0x${'22'.repeat(32)}`;

describe('HttpAnchorProofSource (against a real local HTTP server)', () => {
  let server: Server;
  let base: string;
  let guard: FetchGuard;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      const send = (status: number, body: unknown, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type });
        res.end(JSON.stringify(body));
      };
      if (req.url === `/issuer/anchors/proofs/${HASH}`) return send(200, { root: ROOT, proof: [], leafIndex: 0, txHash: '0xabc' });
      if (req.url === `/pending/anchors/proofs/${HASH}`) return send(202, { credentialHash: HASH, status: 'pending', enqueuedAt: '2026-03-02T09:00:00.000Z' });
      if (req.url === `/undated/anchors/proofs/${HASH}`) return send(202, { status: 'pending' });
      if (req.url === `/refused/anchors/proofs/${HASH}`) return send(409, { code: 'anchor.refused' }, 'application/problem+json');
      if (req.url === `/conflict/anchors/proofs/${HASH}`) return send(409, { message: 'conflict' });
      if (req.url === `/known/anchors/proofs/${HASH}`) return send(404, { code: 'anchor.proof-not-found' }, 'application/problem+json');
      if (req.url === `/broken/anchors/proofs/${HASH}`) return send(200, { root: 'not hex', proof: [] });
      if (req.url?.startsWith('/throttled/')) {
        res.setHeader('retry-after', decodeURIComponent(req.url.split('/')[2]!));
        return send(req.url.includes('/busy/') ? 503 : 429, { code: 'request.rate-limited' }, 'application/problem+json');
      }
      return send(404, { message: 'no such route' });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The issuer the verifier reads anchoring from is always an allowed origin (see fetchAllowedOrigins).
    guard = new FetchGuard(systemClock, { allowedOrigins: [base, 'http://127.0.0.1:9'] });
  });
  afterAll(() => {
    guard.close();
    return new Promise<void>((r) => server.close(() => r()));
  });

  it('keeps the path prefix of the base URL and parses the proof', async () => {
    expect(await new HttpAnchorProofSource(`${base}/issuer`, guard).fetchProof(HASH)).toEqual({ kind: 'proof', proof: { root: ROOT, proof: [], leafIndex: 0, txHash: '0xabc' } });
    expect(seen).toContain(`/issuer/anchors/proofs/${HASH}`);
  });

  it('maps 202 to pending since the issuer\'s enqueuedAt, and only the issuer\'s own not-found problem to unknown', async () => {
    expect(await new HttpAnchorProofSource(`${base}/pending/`, guard).fetchProof(HASH)).toEqual({ kind: 'pending', enqueuedAt: new Date('2026-03-02T09:00:00.000Z') });
    expect(await new HttpAnchorProofSource(`${base}/known`, guard).fetchProof(HASH)).toEqual({ kind: 'unknown' });
    expect(await new HttpAnchorProofSource(`${base}/elsewhere`, guard).fetchProof(HASH)).toMatchObject({ kind: 'unreachable' });
  });

  it('maps only the issuer\'s own anchor.refused problem (409) to refused', async () => {
    expect(await new HttpAnchorProofSource(`${base}/refused`, guard).fetchProof(HASH)).toEqual({ kind: 'refused' });
    expect(await new HttpAnchorProofSource(`${base}/conflict`, guard).fetchProof(HASH)).toMatchObject({ kind: 'unreachable' });
  });

  it('treats a 202 that does not say since when as unreachable, never as pending', async () => {
    expect(await new HttpAnchorProofSource(`${base}/undated`, guard).fetchProof(HASH)).toMatchObject({ kind: 'unreachable' });
  });

  it("passes the issuer's Retry-After on with a 429 or 503 (whole seconds, at most an hour), and nothing it cannot read", async () => {
    const answer = (retryAfter: string, busy = false) => new HttpAnchorProofSource(`${base}/throttled/${encodeURIComponent(retryAfter)}${busy ? '/busy' : ''}`, guard).fetchProof(HASH);
    expect(await answer('10')).toEqual({ kind: 'unreachable', reason: 'proof service answered 429', retryAfterSeconds: 10 });
    expect(await answer('7', true)).toEqual({ kind: 'unreachable', reason: 'proof service answered 503', retryAfterSeconds: 7 });
    expect(await answer('999999')).toMatchObject({ retryAfterSeconds: 3600 });
    for (const unreadable of ['-1', 'soon', '1.5', 'Wed, 21 Oct 2015 07:28:00 GMT']) {
      const result = await answer(unreadable);
      expect(result, unreadable).toMatchObject({ kind: 'unreachable' });
      expect(result, unreadable).not.toHaveProperty('retryAfterSeconds');
    }
  });

  it('treats a malformed proof and a dead server as unreachable, never as a proof', async () => {
    expect(await new HttpAnchorProofSource(`${base}/broken`, guard).fetchProof(HASH)).toMatchObject({ kind: 'unreachable' });
    expect(await new HttpAnchorProofSource('http://127.0.0.1:9', guard, 500).fetchProof(HASH)).toMatchObject({ kind: 'unreachable' });
  });
});
