import { randomBytes } from 'node:crypto';
import { encodeAnchorCode } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import { presentSdJwt, publicJwkOfDid } from '@citycred/formats';
import { startStallProxy, type StallProxy } from '@citycred/testing';
import { DEMO_TENANTS } from '@citycred/tenancy';
import { REFUSAL_TEXT, startVerifier, verifyBundle, verifyOffline, type OfflineBundlePayload, type VerifierServer } from '@citycred/verifier';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { anchorCodeOf, issueSdJwtCitizenCard, walletKey } from '../support/wallet.js';

/*
 * The employer scanner's offline bundle (docs/presentations.md, "Offline scanning") on a whole platform (SQLite or
 * PostgreSQL): GET /scan/offline-bundle is signed by the verifier's request-signing key, names the demo issuers with
 * their keys and accredited types from the chain and their names from the issuer's directory, carries their Token
 * Status Lists from the directory (a verifier just started too) and the lists the verifier has trusted — a revocation
 * shows in the next bundle — and the scanner's offline verifier, fed that bundle, decides as the verifier does.
 */

const PUBLIC_URL = 'https://jobs.seoul.example';
const walletNonce = () => randomBytes(16).toString('base64url');
/** Past the reuse of a built bundle (60 s). */
const NEXT_BUNDLE_MS = 61_000;

describe('GET /scan/offline-bundle', () => {
  let p: TestPlatform;
  const clock = new FixedClock(new Date());
  const holder = walletKey();
  let card: string;

  beforeAll(async () => {
    // Lists are asked of the issuer every time (no max-age kept), so a revocation shows in the next bundle built.
    p = await startTestPlatform('scan-offline-bundle', { clock, verifierEnv: { VERIFIER_PUBLIC_URL: PUBLIC_URL, STATUS_LIST_MAX_CACHE_SECONDS: '0' } });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    card = await issueSdJwtCitizenCard(p, holder.jwk);
    await p.worker.runOnce();
  });
  afterAll(async () => p?.stop());

  /** The verifier's key, from its OpenID4VP client identifier (`decentralized_identifier:did:jwk:…`), not from the bundle. */
  const verifierJwk = () => publicJwkOfDid(p.verifier.runtime.oid4vp.clientId.slice('decentralized_identifier:'.length));

  async function fetchBundle(): Promise<{ jws: string; payload: OfflineBundlePayload }> {
    const res = await send(`${p.verifier.url}/scan/offline-bundle`);
    expect(res.status, res.text).toBe(200);
    expect(res.type).toBe('application/jwt');
    expect(res.cacheControl).toBe('no-cache');
    const { payload } = await compactVerify(res.text, await importJWK(verifierJwk(), 'ES256'));
    return { jws: res.text, payload: JSON.parse(new TextDecoder().decode(payload)) as OfflineBundlePayload };
  }

  const cardQr = async (nonce = walletNonce()) =>
    `citycred-vp:${await presentSdJwt(card, { disclose: ['ageOver18'], kb: { signer: holder.signer, nonce, aud: `${PUBLIC_URL}/scan`, iat: clock.now() } })}`;

  it('is signed by the verifier’s request-signing key and lists the demo issuers with their keys and accredited types', async () => {
    const { jws, payload } = await fetchBundle();
    const did = p.verifier.runtime.oid4vp.clientId.slice('decentralized_identifier:'.length);
    expect(decodeProtectedHeader(jws)).toEqual({ alg: 'ES256', typ: 'citycred-scan-bundle+jwt', kid: `${did}#0` });
    expect(payload.iss).toBe(did);
    expect(payload.exp - payload.iat).toBe(86_400);
    expect(payload.iat).toBe(Math.floor(clock.now().getTime() / 1000));
    expect(payload.scan).toEqual({ audience: `${PUBLIC_URL}/scan`, maxAgeSeconds: 120, clockSkewSeconds: 60 });
    expect(payload.chain).toMatchObject({ chainId: p.deployment.chainId, didNetwork: 'citycred' });
    // The roots the issuers anchored lately, from the chain's events: the citizen card's batch among seoul-citizen's.
    expect(payload.anchoring).toEqual({ checked: true, days: 30, rootsPerIssuer: 200 });

    const byAddress = new Map(payload.issuers.map((issuer) => [issuer.address, issuer]));
    const expected: Record<string, string[]> = {
      'seoul-citizen': ['SeoulCitizenCard'],
      'education-office': ['EnrollmentStatus'],
      'health-insurance': ['IncomeBracket'],
      'employment-insurance': ['EmploymentInsuranceStatus', 'SocialInsuranceEnrollment'],
      'youth-policy': ['YouthAllowanceEligibility'],
      housing: ['RentalStatus'],
      'hangang-cafe': ['LaborContract', 'WorkExperience'],
      'mangwon-bakery': ['LaborContract', 'WorkExperience'],
    };
    for (const [slug, types] of Object.entries(expected)) {
      const tenant = p.tenants.get(slug)!;
      const issuer = byAddress.get(tenant.address.toLowerCase());
      expect(issuer, slug).toBeDefined();
      expect(issuer!.types.map((t) => t.name)).toEqual(types);
      expect(issuer!.keys.length, slug).toBeGreaterThan(0);
      expect(issuer!.keys.every((key) => key.id.startsWith(`${issuer!.did}#controller`))).toBe(true);
    }
    // The app operator is accredited for its own types only, none of the catalogue: not an issuer the scanner checks.
    expect(byAddress.has(p.tenants.get('open-issuer')!.address.toLowerCase())).toBe(false);
    expect(payload.issuers).toHaveLength(Object.keys(expected).length);
    const cardProof = await anchorCodeOf(p, card);
    const cityRoots = byAddress.get(p.tenants.get('seoul-citizen')!.address.toLowerCase())!.anchors!;
    expect(cityRoots.since).toBe(0);
    expect(cityRoots.roots).toContainEqual({ root: cardProof.proof.root, block: cardProof.proof.blockNumber, at: expect.any(Number), types: ['SeoulCitizenCard'] });
    // Each issuer carries its names from the issuer's directory (the chain holds none).
    for (const seed of DEMO_TENANTS.filter((t) => t.slug in expected)) {
      expect(byAddress.get(p.tenants.get(seed.slug)!.address.toLowerCase())!.name, seed.slug).toEqual({ ko: seed.name, en: seed.nameEn ?? null });
    }
    expect(payload.directory).toEqual({ fetchedAt: payload.iat, stale: false });
    // The verifier has checked nothing yet, and carries the status list of the citizen card issued before, which the
    // issuer's directory names (it is the only token list opened so far), as the issuer serves it.
    const cardPayload = JSON.parse(Buffer.from(card.split('.')[1]!, 'base64url').toString('utf8'));
    const served = await send(cardPayload.status.status_list.uri);
    expect(payload.statusLists).toEqual([{ uri: cardPayload.status.status_list.uri, issuer: cardPayload.iss, jwt: served.text }]);
    expect(payload.missing).toEqual([]);
    // The same bundle for everyone for a while.
    expect((await send(`${p.verifier.url}/scan/offline-bundle`)).text).toBe(jws);
  });

  it('carries the Bitstring Status List credentials of W3C credentials the verifier checked too', async () => {
    const city = p.tenants.get('seoul-citizen')!;
    const issued = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${city.apiKey}` });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    await p.worker.runOnce();
    const verified = await postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: issued.body.verifiableCredential });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    const entries = [issued.body.verifiableCredential.credentialStatus].flat() as Array<{ statusListCredential: string }>;
    clock.advance(NEXT_BUNDLE_MS);
    const { payload } = await fetchBundle();
    for (const entry of entries) expect(payload.statusLists.map((list) => list.uri)).toContain(entry.statusListCredential);
  });

  it('carries the status lists the verifier trusted, and verifies a worker’s QR code offline; a revocation shows in the next bundle', async () => {
    const online = await postJson(`${p.verifier.url}/scan/presentations`, { presentation: await cardQr(), policy: 'age-over-18' });
    expect(online.status, JSON.stringify(online.body)).toBe(200);

    clock.advance(NEXT_BUNDLE_MS);
    const { jws, payload } = await fetchBundle();
    const cardPayload = JSON.parse(Buffer.from(card.split('.')[1]!, 'base64url').toString('utf8'));
    const uri = cardPayload.status.status_list.uri as string;
    const listOf = (bundle: OfflineBundlePayload) => bundle.statusLists.find((list) => list.uri === uri);
    expect(listOf(payload)).toEqual({ uri, issuer: cardPayload.iss, jwt: expect.stringMatching(/^ey/) });

    const bundle = await verifyBundle(jws, verifierJwk());
    expect(bundle.valid).toBe(true);
    const seen = new Set<string>();
    const offline = await verifyOffline(await cardQr(), 'age-over-18', bundle, clock.now(), seen);
    expect(offline.errors).toEqual([]);
    expect(offline).toMatchObject({ verified: true, decision: { satisfied: true }, offline: { ageSeconds: 0 } });

    const revoked = await postJson(
      `${p.issuer.url}/credentials/status`,
      { credentialId: cardPayload.jti, credentialStatus: { type: 'TokenStatusList', statusPurpose: 'revocation' }, status: true },
      { authorization: `Bearer ${p.tenants.get('seoul-citizen')!.apiKey}` },
    );
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    // The bundle already handed out does not know yet; the next one does.
    const before = await verifyOffline(await cardQr(), 'age-over-18', bundle, clock.now(), seen);
    expect(before.verified).toBe(true);
    clock.advance(NEXT_BUNDLE_MS);
    const next = await fetchBundle();
    expect(listOf(next.payload)!.jwt).not.toBe(listOf(payload)!.jwt);
    const after = await verifyOffline(await cardQr(), 'age-over-18', await verifyBundle(next.jws, verifierJwk()), clock.now(), seen);
    expect(after.verified).toBe(false);
    expect(after.refusal).toEqual(REFUSAL_TEXT.revoked);
    // As the verifier itself says online.
    const onlineNow = await postJson(`${p.verifier.url}/scan/presentations`, { presentation: await cardQr(), policy: 'age-over-18' });
    expect(onlineNow.status).toBe(400);
  });

  it('checks offline the anchoring of a QR code that carries its anchor proof, against the bundle’s roots; an altered proof is refused', async () => {
    // The cases before moved the verifier's clock on: the chain catches up, so the card is not dated after its anchor.
    const lag = Math.floor(clock.now().getTime() / 1000) - Number((await p.provider.getBlock('latest'))!.timestamp);
    if (lag > 0) {
      await p.provider.send('evm_increaseTime', [lag]);
      await p.provider.send('evm_mine', []);
    }
    const fresh = walletKey();
    const ownCard = await issueSdJwtCitizenCard(p, fresh.jwk);
    await p.worker.runOnce();
    const { suffix, proof } = await anchorCodeOf(p, ownCard);
    clock.advance(NEXT_BUNDLE_MS);
    const { jws } = await fetchBundle();
    const bundle = await verifyBundle(jws, verifierJwk());
    const qr = async () => `citycred-vp:${await presentSdJwt(ownCard, { disclose: ['ageOver18'], kb: { signer: fresh.signer, nonce: walletNonce(), aud: `${PUBLIC_URL}/scan`, iat: clock.now() } })}`;
    const anchorOf = (verdict: Awaited<ReturnType<typeof verifyOffline>>) => verdict.credentials[0]!.checks.find((c) => c.id === 'anchor');

    const offline = await verifyOffline(`${await qr()}${suffix}`, 'age-over-18', bundle, clock.now(), new Set());
    expect(offline.errors).toEqual([]);
    expect(offline.verified).toBe(true);
    expect(anchorOf(offline)).toMatchObject({ status: 'passed', detail: expect.stringContaining(`anchored in root ${proof.root} at block ${proof.blockNumber}`) });
    expect(offline.anchoring.checked).toBe(true);

    // Another sibling (or the proof of another credential): it folds to a root the issuer did not anchor.
    const forged = `#${encodeAnchorCode({ leafIndex: proof.leafIndex, blockNumber: proof.blockNumber, proof: [`0x${'11'.repeat(32)}`, ...proof.proof.slice(1)] as Array<`0x${string}`> })}`;
    const refused = await verifyOffline(`${await qr()}${forged}`, 'age-over-18', bundle, clock.now(), new Set());
    expect([refused.verified, anchorOf(refused)?.status, refused.refusal]).toEqual([false, 'failed', REFUSAL_TEXT.anchor]);

    // Without the proof the anchoring is not checked offline (and says so); online the verifier finds it in the batches.
    const plain = await verifyOffline(await qr(), 'age-over-18', bundle, clock.now(), new Set());
    expect([plain.verified, anchorOf(plain)?.status, plain.anchoring.checked]).toEqual([true, 'skipped', false]);
  });

  it('refuses a revoked credential offline on a verifier just started, which has checked nothing', async () => {
    const revokedCard = await issueSdJwtCitizenCard(p, holder.jwk);
    const claims = JSON.parse(Buffer.from(revokedCard.split('.')[1]!, 'base64url').toString('utf8'));
    const revoked = await postJson(
      `${p.issuer.url}/credentials/status`,
      { credentialId: claims.jti, credentialStatus: { type: 'TokenStatusList', statusPurpose: 'revocation' }, status: true },
      { authorization: `Bearer ${p.tenants.get('seoul-citizen')!.apiKey}` },
    );
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const fresh = await startVerifier({ ...p.verifier.runtime.config }, clock, 0);
    try {
      const res = await send(`${fresh.url}/scan/offline-bundle`);
      expect(res.status, res.text).toBe(200);
      const jwk = publicJwkOfDid(fresh.runtime.oid4vp.clientId.slice('decentralized_identifier:'.length));
      const bundle = await verifyBundle(res.text, jwk);
      expect(bundle.valid).toBe(true);
      if (!bundle.valid) return;
      expect(bundle.bundle.statusLists.map((list) => list.uri)).toContain(claims.status.status_list.uri);
      const qr = `citycred-vp:${await presentSdJwt(revokedCard, { disclose: ['ageOver18'], kb: { signer: holder.signer, nonce: walletNonce(), aud: `${PUBLIC_URL}/scan`, iat: clock.now() } })}`;
      const offline = await verifyOffline(qr, 'age-over-18', bundle, clock.now(), new Set());
      expect(offline.verified).toBe(false);
      expect(offline.refusal).toEqual(REFUSAL_TEXT.revoked);
      // The issuer is the city's, and the page can say so by name.
      expect(offline.credentials[0]!.issuer).toEqual({ did: claims.iss, address: p.tenants.get('seoul-citizen')!.address.toLowerCase(), name: { ko: '서울특별시 주민등록과', en: 'Seoul Metropolitan Government — Resident Registration' } });
    } finally {
      await fresh.close();
    }
  });

  it('serves the offline verifier module with the scanner’s Content Security Policy', async () => {
    const res = await send(`${p.verifier.url}/scan/offline.js`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.text).toContain('verifyOffline');
    // It carries the notices of the MIT code bundled inside (NOTICE).
    expect(res.text.startsWith('/*! CityCred scanner offline verifier')).toBe(true);
    expect(res.text).toContain('Paul Miller, MIT License');
    expect(res.text).not.toMatch(/from\s*["']node:/);
  });

  describe('with the chain not answering', () => {
    let proxy: StallProxy;
    let second: VerifierServer;
    const secondClock = new FixedClock(new Date());

    beforeAll(async () => {
      secondClock.set(clock.now());
      proxy = await startStallProxy({ host: '127.0.0.1', port: Number(new URL(p.chain.rpcUrl).port) });
      second = await startVerifier({ ...p.verifier.runtime.config, CHAIN_RPC_URL: `http://127.0.0.1:${proxy.port}` }, secondClock, 0);
    });
    afterAll(async () => {
      await second?.close();
      await proxy?.close().catch(() => undefined);
    });

    it('hands out the last bundle until it expires, and answers 503 problem+json when it has none', async () => {
      const first = await send(`${second.url}/scan/offline-bundle`);
      expect(first.status).toBe(200);
      // The chain stops answering: connections are refused.
      await proxy.close();
      secondClock.advance(NEXT_BUNDLE_MS);
      const kept = await send(`${second.url}/scan/offline-bundle`);
      expect(kept.status).toBe(200);
      expect(kept.text).toBe(first.text);
      secondClock.advance(86_400_000);
      const none = await send(`${second.url}/scan/offline-bundle`);
      expect(none.status).toBe(503);
      expect(none.type).toContain('application/problem+json');
      expect(none.body).toMatchObject({ code: 'service.unavailable', status: 503 });
      expect(none.body.detail).toContain('chain');
    });
  });
});
