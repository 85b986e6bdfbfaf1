import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { credentialHash } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import { exampleSubject } from '@citycred/credentials';
import { Secp256k1Signer } from '@citycred/did';
import { vcJwtFormat } from '@citycred/formats';
import { bitstringStatusListCredential, createBitstring } from '@citycred/status-list';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, getJson, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';

/*
 * Revocation and suspension end to end (product flow 6): the issuer publishes W3C Bitstring Status Lists at its
 * public URL, the verifier fetches them whole, checks they are the credential issuer's own (signed by its did:ethr
 * key) and reads the credential's bits. The issuer's public URL is a local relay in front of the issuer, so a case
 * can make the credential's list URL serve something else (another tenant's list, a list a stranger signed).
 * The verifier keeps a list at most STATUS_LIST_MAX_CACHE_SECONDS; issuer and verifier share one clock, which a case
 * moves past that time after a change instead of waiting. Each case issues its own credential; the last stops the
 * issuer.
 */

const MAX_CACHE_S = 5;
const { id: _holder, ...enrollment } = exampleSubject('EnrollmentStatus');

type Result = { status: number; type: string; body: any };
const statusOf = (res: Result, id: string): string | undefined => res.body?.checks?.find((c: { id: string }) => c.id === id)?.status;
const detailOf = (res: Result, id: string): string => res.body?.checks?.find((c: { id: string }) => c.id === id)?.detail ?? '';

/** What the relay answers for one path instead of asking the issuer. */
type Override = (req: IncomingMessage, res: ServerResponse) => void;

describe('revocation and suspension through status lists', () => {
  let p: TestPlatform;
  let relay: Server;
  let relayUrl: string;
  /** The issuer the relay forwards to (set once the platform runs). */
  let issuerUrl = '';
  const overrides = new Map<string, Override>();
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    relay = createServer((req, res) => {
      const override = overrides.get(req.url ?? '');
      if (override) return override(req, res);
      void forward(req, res);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
    p = await startTestPlatform('revocation', { clock, issuerEnv: { ISSUER_PUBLIC_URL: relayUrl }, verifierEnv: { STATUS_LIST_MAX_CACHE_SECONDS: String(MAX_CACHE_S) } });
    issuerUrl = p.issuer.url;
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
  });
  afterAll(async () => {
    relay?.closeAllConnections();
    await new Promise((resolve) => relay?.close(resolve));
    await p?.stop();
  });

  /** Relays a GET to the issuer with the headers caching depends on; 502 when the issuer does not answer, as a reverse proxy would. */
  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const answer = await fetch(`${issuerUrl}${req.url}`, { headers: req.headers['if-none-match'] ? { 'if-none-match': req.headers['if-none-match'] } : {} });
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'etag', 'cache-control']) {
        const value = answer.headers.get(name);
        if (value) headers[name] = value;
      }
      res.writeHead(answer.status, headers).end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      res.writeHead(502).end();
    }
  }

  async function issue(slug: string, type: string, subject: unknown): Promise<any> {
    const { apiKey, did } = p.tenants.get(slug)!;
    const res = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(did, type, subject), { authorization: `Bearer ${apiKey}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.verifiableCredential;
  }

  const issueCitizenCard = () => issue('seoul-citizen', 'SeoulCitizenCard', citizenCardSubject);

  async function setStatus(slug: string, credentialId: string, statusPurpose: 'revocation' | 'suspension', status: boolean): Promise<Result> {
    const body = { credentialId, credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose }, status };
    return postJson(`${p.issuer.url}/credentials/status`, body, { authorization: `Bearer ${p.tenants.get(slug)!.apiKey}` });
  }

  const verify = (vc: unknown, options?: Record<string, unknown>) => postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: vc, ...(options ? { options } : {}) });

  /** The credential's entry of `purpose` (its list URL is the relay's). */
  function entryOf(vc: any, purpose: string): { statusListCredential: string; statusListIndex: string } {
    const entries = Array.isArray(vc.credentialStatus) ? vc.credentialStatus : [vc.credentialStatus];
    return entries.find((e: { statusPurpose: string }) => e.statusPurpose === purpose);
  }

  /** Moves the shared clock past the verifier's cache time. */
  const afterCacheTime = () => clock.advance((MAX_CACHE_S + 1) * 1000);

  it('carries revocation and suspension entries pointing at the issuer\'s published lists', async () => {
    const vc = await issueCitizenCard();
    for (const purpose of ['revocation', 'suspension']) {
      const entry = entryOf(vc, purpose);
      expect(entry.statusListCredential.startsWith(`${relayUrl}/status-lists/`)).toBe(true);
    }
    const res = await verify(vc);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(statusOf(res, 'status')).toBe('passed');
    expect(detailOf(res, 'status')).toMatch(/not revoked, not suspended/);
    expect(res.body.warnings).toEqual([]);
  });

  it('fails a suspended credential after the cache time, passes it again once reinstated, fails it for good once revoked', async () => {
    const vc = await issueCitizenCard();
    expect((await verify(vc)).status).toBe(200);

    expect((await setStatus('seoul-citizen', vc.id, 'suspension', true)).body).toMatchObject({ status: 'suspended', changed: true });
    afterCacheTime();
    const suspended = await verify(vc);
    expect(suspended.status).toBe(400);
    expect(suspended.type).toContain('application/problem+json');
    expect(statusOf(suspended, 'status')).toBe('failed');
    expect(detailOf(suspended, 'status')).toMatch(/^suspended:/);
    expect(suspended.body.errors.join()).toContain('status: suspended');
    // Nothing of the person is in the answer.
    expect(JSON.stringify(suspended.body)).not.toContain(citizenCardSubject.name);

    expect((await setStatus('seoul-citizen', vc.id, 'suspension', false)).body).toMatchObject({ status: 'active', changed: true });
    afterCacheTime();
    const reinstated = await verify(vc);
    expect(reinstated.status).toBe(200);
    expect(statusOf(reinstated, 'status')).toBe('passed');

    expect((await setStatus('seoul-citizen', vc.id, 'revocation', true)).body).toMatchObject({ status: 'revoked', changed: true });
    afterCacheTime();
    const revoked = await verify(vc);
    expect(revoked.status).toBe(400);
    expect(detailOf(revoked, 'status')).toMatch(/^revoked:/);
    // Other credentials on the same lists are untouched.
    expect(statusOf(await verify(await issueCitizenCard()), 'status')).toBe('passed');
  });

  it('revalidates a stale list with its ETag and sees a change only after the cache time', async () => {
    const vc = await issueCitizenCard();
    const url = entryOf(vc, 'suspension').statusListCredential;
    let asked = 0;
    const path = new URL(url).pathname;
    overrides.set(path, (req, res) => {
      asked += 1;
      void forward(req, res);
    });
    try {
      afterCacheTime();
      expect((await verify(vc)).status).toBe(200);
      expect(asked).toBe(1);
      expect((await setStatus('seoul-citizen', vc.id, 'suspension', true)).status).toBe(200);
      // Within the cache time the verifier does not ask: the change is not seen yet.
      expect((await verify(vc)).status).toBe(200);
      expect(asked).toBe(1);
      afterCacheTime();
      expect(detailOf(await verify(vc), 'status')).toMatch(/^suspended:/);
      expect(asked).toBe(2);
      // The list the issuer serves is public, signed vc+jwt, with a strong ETag; a matching If-None-Match is a 304.
      const served = await fetch(url);
      expect(served.headers.get('content-type')).toContain('application/vc+jwt');
      const etag = served.headers.get('etag')!;
      expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    } finally {
      overrides.delete(path);
    }
  });

  it("fails a credential whose list URL serves another tenant's list, a list a stranger signed, or no list", async () => {
    const vc = await issueCitizenCard();
    const other = await issue('education-office', 'EnrollmentStatus', enrollment);
    const otherList = await fetch(entryOf(other, 'revocation').statusListCredential.replace(relayUrl, p.issuer.url)).then((r) => r.text());
    const listUrl = entryOf(vc, 'revocation').statusListCredential;
    const path = new URL(listUrl).pathname;
    afterCacheTime();
    try {
      overrides.set(path, (_req, res) => res.writeHead(200, { 'content-type': 'application/vc+jwt', 'cache-control': 'no-store' }).end(otherList));
      const foreign = await verify(vc);
      expect(foreign.status).toBe(400);
      expect(detailOf(foreign, 'status')).toMatch(/revocation list cannot be trusted: it was issued by someone other than the credential's issuer/);

      // A well-formed list claiming to be the issuer's, naming the issuer's key, signed by another key.
      const did = p.tenants.get('seoul-citizen')!.did;
      const forged = await vcJwtFormat.sign(
        { credential: bitstringStatusListCredential({ url: listUrl, issuer: did, purpose: 'revocation', list: createBitstring(), validFrom: clock.now() }) as unknown as Record<string, unknown> },
        new Secp256k1Signer({ privateKey: randomBytes(32), kid: `${did}#controllerKey` }),
      );
      overrides.set(path, (_req, res) => res.writeHead(200, { 'content-type': 'application/vc+jwt', 'cache-control': 'no-store' }).end(forged.encoded));
      const stranger = await verify(vc);
      expect(stranger.status).toBe(400);
      expect(detailOf(stranger, 'status')).toMatch(/signature does not verify against the issuer DID's keys/);

      overrides.set(path, (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>'));
      expect(statusOf(await verify(vc), 'status')).toBe('failed');
      overrides.set(path, (_req, res) => res.writeHead(404).end());
      expect(detailOf(await verify(vc), 'status')).toContain('404');
    } finally {
      overrides.delete(path);
    }
  });

  // Stops the issuer: keep this case last.
  it('answers 503 when the issuer is down and the list is not cached; a cached list still answers', async () => {
    const vc = await issueCitizenCard();
    // The anchor proof is presented, so the issuer's status lists are the one thing the verifier needs from it.
    expect(await p.worker.runOnce()).toMatchObject({ failed: 0 });
    const proof = await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(vc.proof.jwt)}`);
    expect(proof.status).toBe(200);
    const anchorProof = { root: proof.body.root, proof: proof.body.proof, leafIndex: proof.body.leafIndex };
    afterCacheTime();
    expect((await verify(vc, { anchorProof })).status).toBe(200);

    await p.issuer.close();
    const cached = await verify(vc, { anchorProof });
    expect(cached.status).toBe(200);
    expect(statusOf(cached, 'status')).toBe('passed');

    afterCacheTime();
    const down = await verify(vc, { anchorProof });
    expect(down.status).toBe(503);
    expect(down.type).toContain('application/problem+json');
    expect(down.body.code).toBe('service.unavailable');
    expect(down.body.detail).toMatch(/status list cannot be fetched/);
    expect(Number((await fetch(`${p.verifier.url}/credentials/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verifiableCredential: vc, options: { anchorProof } }) })).headers.get('retry-after'))).toBeGreaterThan(0);

    // A credential that fails another check is still answered (400), not 503.
    const tampered = { ...vc, proof: { ...vc.proof, jwt: vc.proof.jwt.slice(0, -4) + (vc.proof.jwt.endsWith('AAAA') ? 'BBBB' : 'AAAA') } };
    const bad = await verify(tampered, { anchorProof });
    expect(bad.status).toBe(400);
  });
});
