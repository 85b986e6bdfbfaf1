import { randomBytes } from 'node:crypto';
import { buildMerkleTree, credentialHash, encodeAnchorCode, type Hex32 } from '@citycred/anchoring';
import { VCT_BASE_URL } from '@citycred/credentials';
import { didJwkOf, encodeBase64url, ethereumAddress, presentSdJwt, sdJwtVcFormat, signCompactJws, type JwsSigner, type PublicJwk } from '@citycred/formats';
import { createTokenStatusList, statusListTokenPayload, STATUS_LIST_JWT_TYP, TokenStatus } from '@citycred/status-list';
import { testJwsSigner } from '@citycred/testing';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { OFFLINE_BUNDLE_TYP, type OfflineBundlePayload } from './bundle-format.js';
import { bundleAge, verifierJwkOf, verifyBundle, type BundleCheck } from './bundle.js';
import { BUNDLE_TEXT, REFUSAL_TEXT } from './texts.js';
import { verifyOffline, type OfflineVerdict } from './verify-offline.js';

/*
 * The scanner's offline verifier, with real signatures made here: a did:ethr issuer's ES256K key (address and
 * public-key DID forms), a holder's P-256 key, a Token Status List token, and a bundle signed by a verifier's P-256
 * key — the pieces the verifier's bundle and a wallet's QR code are made of (test/e2e/scan-offline-bundle.e2e.spec.ts
 * and test/browser/scan-offline.browser.spec.ts check them against a real platform).
 */

const NETWORK = 'citycred';
const AUDIENCE = 'https://jobs.seoul.example/scan';
const LIST_URI = 'https://issuer.seoul.example/status-lists/6f1c0d4e-6a59-4c8e-9d0f-3a1b2c3d4e5f';
const NOW = new Date('2026-03-02T03:00:00Z');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const walletNonce = () => randomBytes(16).toString('base64url');

/** A did:ethr issuer: its key, address, DIDs (address form and public-key form) and signers. */
function ethrIssuer() {
  const privateKey = secp256k1.utils.randomPrivateKey();
  const publicKey = secp256k1.getPublicKey(privateKey, true);
  const address = ethereumAddress(publicKey);
  const did = `did:ethr:${NETWORK}:${address}`;
  const keyDid = `did:ethr:${NETWORK}:0x${hex(publicKey)}`;
  return {
    address,
    did,
    keyDid,
    signer: testJwsSigner('ES256K', hex(privateKey), `${did}#controller`) as JwsSigner,
    keySigner: testJwsSigner('ES256K', hex(privateKey), `${keyDid}#controllerKey`) as JwsSigner,
  };
}
type Issuer = ReturnType<typeof ethrIssuer>;

/** A P-256 key pair: its public JWK and a signer naming `kid`. */
function p256Key(kidOf: (jwk: PublicJwk) => string) {
  const privateKey = p256.utils.randomPrivateKey();
  const point = p256.getPublicKey(privateKey, false);
  const jwk: PublicJwk = { kty: 'EC', crv: 'P-256', x: encodeBase64url(point.subarray(1, 33)), y: encodeBase64url(point.subarray(33)) };
  return { jwk, signer: testJwsSigner('ES256', hex(privateKey), kidOf(jwk)) as JwsSigner };
}

const city = ethrIssuer();
const holder = p256Key((jwk) => `${didJwkOf(jwk)}#0`);
const verifier = p256Key((jwk) => `${didJwkOf(jwk)}#0`);
const typeHash = (name: string) => `0x${hex(keccak_256(new TextEncoder().encode(name)))}`;

/** The citizen card as the city issues it: an SD-JWT VC bound to the holder's key, on the status list at `index`. */
async function citizenCard(options: { issuer?: Issuer; keyForm?: boolean; index?: number; validUntil?: string } = {}): Promise<string> {
  const issuer = options.issuer ?? city;
  const iss = options.keyForm ? issuer.keyDid : issuer.did;
  const signed = await sdJwtVcFormat.sign(
    {
      credential: {
        issuer: iss,
        validFrom: '2026-01-05T00:00:00Z',
        validUntil: options.validUntil ?? '2030-01-05T00:00:00Z',
        credentialSubject: { personId: '3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b', name: '김서연', birthDate: '2001-04-12', ageOver15: true, ageOver18: true, ageOver19: true, residence: { city: '서울특별시', district: '마포구' } },
      },
      issuedAt: new Date('2026-01-05T00:00:00Z'),
      vct: `${VCT_BASE_URL}SeoulCitizenCard`,
      disclosable: ['name', 'birthDate', 'ageOver15', 'ageOver18', 'ageOver19', 'residence'],
      holderJwk: holder.jwk,
      tokenStatus: { uri: LIST_URI, index: options.index ?? 7 },
    },
    options.keyForm ? issuer.keySigner : issuer.signer,
  );
  return signed.encoded;
}

/** The issuer's status list token, with `revoked` indexes set INVALID. */
async function statusListToken(revoked: number[] = [], issuer: Issuer = city): Promise<string> {
  const list = createTokenStatusList(2, 1024);
  for (const index of revoked) list.set(index, TokenStatus.Invalid);
  return signCompactJws({ alg: 'ES256K', typ: STATUS_LIST_JWT_TYP, kid: issuer.signer.kid }, { ...statusListTokenPayload({ uri: LIST_URI, issuedAt: new Date('2026-03-01T00:00:00Z'), list }) }, issuer.signer);
}

/** A bundle payload as the verifier builds it, built at `iat`. */
async function payload(overrides: Partial<OfflineBundlePayload> = {}, iat = NOW.getTime() / 1000 - 3600): Promise<OfflineBundlePayload> {
  return {
    iss: didJwkOf(verifier.jwk),
    iat,
    exp: iat + 86_400,
    chain: { chainId: 31337, didNetwork: NETWORK, block: 120, blockTime: iat },
    scan: { audience: AUDIENCE, maxAgeSeconds: 120, clockSkewSeconds: 60 },
    vctBaseUrl: VCT_BASE_URL,
    issuers: [
      {
        did: city.did,
        address: city.address,
        keys: [{ id: `${city.did}#controller`, kind: 'ethereum-address', address: `eip155:31337:${city.address}` }],
        types: [{ name: 'SeoulCitizenCard', hash: typeHash('SeoulCitizenCard') }],
      },
    ],
    statusLists: [{ uri: LIST_URI, issuer: city.did, jwt: await statusListToken() }],
    missing: [],
    anchoring: { checked: false, why: 'not checked offline' },
    ...overrides,
  };
}

/** The payload signed as `GET /scan/offline-bundle` signs it (by `signer`, the verifier's key by default). */
function signBundle(body: OfflineBundlePayload, signer: JwsSigner = verifier.signer): Promise<string> {
  return signCompactJws({ alg: 'ES256', typ: OFFLINE_BUNDLE_TYP, kid: signer.kid }, body as unknown as Record<string, unknown>, signer);
}

/** The wallet's QR text for `card`: its ageOver18 disclosed, with a key-binding JWT for the scanner. */
async function qr(card: string, kb: { nonce?: string; aud?: string; iat?: Date; disclose?: string[] } = {}): Promise<string> {
  return `citycred-vp:${await presentSdJwt(card, {
    disclose: kb.disclose ?? ['ageOver18'],
    kb: { signer: holder.signer, nonce: kb.nonce ?? walletNonce(), aud: kb.aud ?? AUDIENCE, iat: kb.iat ?? new Date(NOW.getTime() - 10_000) },
  })}`;
}

/** A check of the credential (or, for holder-binding, of the presentation). */
const check = (verdict: OfflineVerdict, id: string) => [...verdict.credentials.flatMap((c) => c.checks), ...verdict.checks].find((c) => c.id === id);

describe('the offline bundle', () => {
  it('verifies against the verifier key it names, and says how old it is', async () => {
    const jws = await signBundle(await payload());
    expect(verifierJwkOf(jws)).toEqual(verifier.jwk);
    const checked = await verifyBundle(jws, verifier.jwk);
    expect(checked.valid).toBe(true);
    if (!checked.valid) return;
    expect(bundleAge(checked.bundle, NOW)).toEqual({ issuedAt: '2026-03-02T02:00:00.000Z', expiresAt: '2026-03-03T02:00:00.000Z', ageSeconds: 3600, old: false, expired: false });
    expect(bundleAge(checked.bundle, new Date(NOW.getTime() + 12 * 3600_000)).old).toBe(true);
    expect(bundleAge(checked.bundle, new Date(NOW.getTime() + 23 * 3600_000)).expired).toBe(true);
  });

  it('is refused when signed by another key, altered, of another typ or not a JWS', async () => {
    const other = p256Key((jwk) => `${didJwkOf(jwk)}#0`);
    const body = await payload();
    const byOther = await verifyBundle(await signBundle({ ...body, iss: didJwkOf(other.jwk) }, other.signer), verifier.jwk);
    expect(byOther).toMatchObject({ valid: false, reason: BUNDLE_TEXT.signature });
    const [header, , signature] = (await signBundle(body)).split('.');
    const altered = `${header}.${encodeBase64url(new TextEncoder().encode(JSON.stringify({ ...body, issuers: [] })))}.${signature}`;
    expect(await verifyBundle(altered, verifier.jwk)).toMatchObject({ valid: false, reason: BUNDLE_TEXT.signature });
    const otherTyp = await signCompactJws({ alg: 'ES256', typ: 'JWT', kid: verifier.signer.kid }, body as unknown as Record<string, unknown>, verifier.signer);
    expect(await verifyBundle(otherTyp, verifier.jwk)).toMatchObject({ valid: false, reason: BUNDLE_TEXT.malformed });
    expect(await verifyBundle('not a bundle', verifier.jwk)).toMatchObject({ valid: false, reason: BUNDLE_TEXT.malformed });
    const noIssuers = await verifyBundle(await signBundle({ ...body, issuers: 'none' } as unknown as OfflineBundlePayload), verifier.jwk);
    expect(noIssuers).toMatchObject({ valid: false, reason: BUNDLE_TEXT.malformed });
    const badRoots = { ...body, anchoring: { checked: true, days: 30, rootsPerIssuer: 200 }, issuers: body.issuers.map((issuer) => ({ ...issuer, anchors: { since: 0, roots: [{ root: 1 }] } })) };
    expect(await verifyBundle(await signBundle(badRoots as unknown as OfflineBundlePayload), verifier.jwk)).toMatchObject({ valid: false, reason: BUNDLE_TEXT.malformed });
  });
});

describe('verifyOffline', () => {
  let card: string;
  let bundle: BundleCheck;

  beforeAll(async () => {
    card = await citizenCard();
    bundle = await verifyBundle(await signBundle(await payload()), verifier.jwk);
  });

  it('verifies a worker’s citizen card and decides age-over-18: satisfied, with the bundle’s age', async () => {
    const seen = new Set<string>();
    const verdict = await verifyOffline(await qr(card), 'age-over-18', bundle, NOW, seen);
    expect(verdict.errors).toEqual([]);
    expect(verdict.verified).toBe(true);
    expect(verdict.decision).toMatchObject({ policy: { id: 'age-over-18', version: '1' }, satisfied: true, criteria: [{ id: 'age-over-18', result: 'passed' }] });
    expect(verdict.decision!.criteria[0]!.reason).toEqual({ ko: '만 18세 이상입니다.', en: 'The holder is 18 or older.' });
    expect(verdict.offline).toEqual({ bundleIssuedAt: '2026-03-02T02:00:00.000Z', ageSeconds: 3600 });
    expect(verdict.refusal).toBeUndefined();
    expect(verdict.policy.id).toBe('city-offline');
    expect(verdict.credentials[0]!.checks.map((c) => [c.id, c.status])).toEqual([
      ['format', 'passed'],
      ['signature', 'passed'],
      ['validity', 'passed'],
      ['schema', 'skipped'],
      ['status', 'passed'],
      ['issuer-accreditation', 'passed'],
      ['anchor', 'skipped'],
    ]);
    expect(seen.size).toBe(1);
    // The bundle gives the issuer no name (its directory could not be read): the issuer, without one.
    expect(verdict.credentials[0]!.issuer).toEqual({ did: city.did, address: city.address.toLowerCase(), name: null });
    // Nothing the credential says is in the answer.
    expect(JSON.stringify(verdict)).not.toMatch(/김서연|2001-04-12|마포구/);
  });

  it('verifies a credential whose issuer DID is in public-key form (the key the bundle lists by its address)', async () => {
    const verdict = await verifyOffline(await qr(await citizenCard({ keyForm: true })), 'age-over-18', bundle, NOW, new Set());
    expect(verdict.errors).toEqual([]);
    expect(verdict.verified).toBe(true);
  });

  it('refuses a QR code already seen on this device (a replay), and one with a nonce too short', async () => {
    const seen = new Set<string>();
    const text = await qr(card);
    expect((await verifyOffline(text, 'age-over-18', bundle, NOW, seen)).verified).toBe(true);
    const again = await verifyOffline(text, 'age-over-18', bundle, NOW, seen);
    expect(again.verified).toBe(false);
    expect(check(again, 'holder-binding')).toMatchObject({ status: 'failed', detail: expect.stringContaining('replay') });
    expect(again.refusal).toEqual(REFUSAL_TEXT.replay);
    const short = await verifyOffline(await qr(card, { nonce: 'abc' }), 'age-over-18', bundle, NOW, seen);
    expect(short.refusal).toEqual(REFUSAL_TEXT.badNonce);
  });

  it('refuses a tampered disclosure', async () => {
    const text = await qr(card);
    const parts = text.split('~');
    // The disclosed ageOver18 (parts[1]) rewritten to say something else: its digest is not among those signed.
    const disclosure = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown[];
    parts[1] = Buffer.from(JSON.stringify([disclosure[0], 'ageOver18', false])).toString('base64url');
    const verdict = await verifyOffline(parts.join('~'), 'age-over-18', bundle, NOW, new Set());
    expect(verdict.verified).toBe(false);
    expect(verdict.decision).toBeUndefined();
    expect(check(verdict, 'format')?.status).toBe('failed');
    expect(verdict.refusal).toEqual(REFUSAL_TEXT.unreadable);
    // A disclosure left out after the holder signed: the KB-JWT's sd_hash no longer matches.
    const withName = (await qr(card, { disclose: ['ageOver18', 'name'] })).split('~');
    const dropped = [withName[0], withName.find((d, i) => i > 0 && Buffer.from(d, 'base64url').toString('utf8').includes('ageOver18')), withName.at(-1)].join('~');
    const unsigned = await verifyOffline(dropped, 'age-over-18', bundle, NOW, new Set());
    expect(check(unsigned, 'holder-binding')).toMatchObject({ status: 'failed' });
    expect(unsigned.refusal).toEqual(REFUSAL_TEXT.disclosures);
  });

  it('refuses a QR code made for another verifier, one too old and one from the future', async () => {
    const elsewhere = await verifyOffline(await qr(card, { aud: 'https://elsewhere.example/scan' }), 'age-over-18', bundle, NOW, new Set());
    expect(elsewhere.verified).toBe(false);
    expect(elsewhere.refusal).toEqual(REFUSAL_TEXT.audience);
    const stale = await verifyOffline(await qr(card, { iat: new Date(NOW.getTime() - 121_000) }), 'age-over-18', bundle, NOW, new Set());
    expect(stale.verified).toBe(false);
    expect(stale.refusal).toEqual(REFUSAL_TEXT.stale);
    const future = await verifyOffline(await qr(card, { iat: new Date(NOW.getTime() + 61_000) }), 'age-over-18', bundle, NOW, new Set());
    expect(future.refusal).toEqual(REFUSAL_TEXT.future);
  });

  it('refuses a refused QR code without using its nonce', async () => {
    const seen = new Set<string>();
    const nonce = walletNonce();
    await verifyOffline(await qr(card, { nonce, aud: 'https://elsewhere.example/scan' }), 'age-over-18', bundle, NOW, seen);
    expect(seen.has(nonce)).toBe(false);
    expect((await verifyOffline(await qr(card, { nonce }), 'age-over-18', bundle, NOW, seen)).verified).toBe(true);
  });

  it('refuses a revoked credential: the bit is set in the bundle’s list', async () => {
    const revoked = await verifyBundle(await signBundle(await payload({ statusLists: [{ uri: LIST_URI, issuer: city.did, jwt: await statusListToken([7]) }] })), verifier.jwk);
    const verdict = await verifyOffline(await qr(card), 'age-over-18', revoked, NOW, new Set());
    expect(verdict.verified).toBe(false);
    expect(check(verdict, 'status')).toMatchObject({ status: 'failed', detail: expect.stringContaining('revoked') });
    expect(verdict.refusal).toEqual(REFUSAL_TEXT.revoked);
    // Another credential of the same list is not touched.
    expect((await verifyOffline(await qr(await citizenCard({ index: 8 })), 'age-over-18', revoked, NOW, new Set())).verified).toBe(true);
  });

  it('refuses when the bundle holds no list for the credential, or one not signed by its issuer', async () => {
    const none = await verifyBundle(await signBundle(await payload({ statusLists: [] })), verifier.jwk);
    const missing = await verifyOffline(await qr(card), 'age-over-18', none, NOW, new Set());
    expect(missing.verified).toBe(false);
    expect(check(missing, 'status')).toMatchObject({ status: 'failed', detail: expect.stringContaining('no status list') });
    expect(missing.refusal).toEqual(REFUSAL_TEXT.statusMissing);
    const forged = await verifyBundle(await signBundle(await payload({ statusLists: [{ uri: LIST_URI, issuer: city.did, jwt: await statusListToken([], ethrIssuer()) }] })), verifier.jwk);
    const untrusted = await verifyOffline(await qr(card), 'age-over-18', forged, NOW, new Set());
    expect(untrusted.verified).toBe(false);
    expect(untrusted.refusal).toEqual(REFUSAL_TEXT.statusUntrusted);
  });

  it('refuses a credential whose issuer is not in the bundle, or not accredited there for its type', async () => {
    const stranger = ethrIssuer();
    const verdict = await verifyOffline(await qr(await citizenCard({ issuer: stranger })), 'age-over-18', bundle, NOW, new Set());
    expect(verdict.verified).toBe(false);
    expect(check(verdict, 'signature')).toMatchObject({ status: 'failed', detail: expect.stringContaining('no keys for this issuer') });
    expect(check(verdict, 'issuer-accreditation')?.status).toBe('failed');
    expect(verdict.refusal).toEqual(REFUSAL_TEXT.unknownIssuer);
    const body = await payload();
    const otherType = await verifyBundle(await signBundle({ ...body, issuers: [{ ...body.issuers[0]!, types: [{ name: 'EnrollmentStatus', hash: typeHash('EnrollmentStatus') }] }] }), verifier.jwk);
    const unaccredited = await verifyOffline(await qr(card), 'age-over-18', otherType, NOW, new Set());
    expect(check(unaccredited, 'issuer-accreditation')?.status).toBe('failed');
    expect(unaccredited.refusal).toEqual(REFUSAL_TEXT.notAccredited);
  });

  it('names the issuer as the bundle names it, under the DID the credential uses, and names nobody for a forgery', async () => {
    const body = await payload();
    const name = { ko: '서울특별시 시민카드 발급처', en: 'Seoul Citizen Card Office' };
    const named = await verifyBundle(await signBundle({ ...body, issuers: [{ ...body.issuers[0]!, name }] }), verifier.jwk);
    const verdict = await verifyOffline(await qr(card), 'age-over-18', named, NOW, new Set());
    expect(verdict.verified).toBe(true);
    expect(verdict.credentials[0]!.issuer).toEqual({ did: city.did, address: city.address.toLowerCase(), name });
    const keyForm = await verifyOffline(await qr(await citizenCard({ keyForm: true })), 'age-over-18', named, NOW, new Set());
    expect(keyForm.credentials[0]!.issuer).toEqual({ did: city.keyDid, address: city.address.toLowerCase(), name });
    // A revoked credential is still the issuer's: its name is shown with the refusal.
    const revoked = await verifyBundle(await signBundle({ ...body, issuers: [{ ...body.issuers[0]!, name }], statusLists: [{ uri: LIST_URI, issuer: city.did, jwt: await statusListToken([7]) }] }), verifier.jwk);
    const refused = await verifyOffline(await qr(card), 'age-over-18', revoked, NOW, new Set());
    expect(refused.refusal).toEqual(REFUSAL_TEXT.revoked);
    expect(refused.credentials[0]!.issuer?.name).toEqual(name);
    // What someone else signed in the issuer's name carries no name, nor does an issuer the bundle does not list.
    const impostor = ethrIssuer();
    const forged = await citizenCard({ issuer: { ...impostor, did: city.did, signer: { ...impostor.signer, kid: `${city.did}#controller` } } });
    expect((await verifyOffline(await qr(forged), 'age-over-18', named, NOW, new Set())).credentials[0]!.issuer).toBeUndefined();
    expect((await verifyOffline(await qr(await citizenCard({ issuer: impostor })), 'age-over-18', named, NOW, new Set())).credentials[0]!.issuer).toBeUndefined();
    // A bundle whose issuer name is not {ko, en} is not read.
    const badName = await verifyBundle(await signBundle({ ...body, issuers: [{ ...body.issuers[0]!, name: { en: 'Seoul' } as never }] }), verifier.jwk);
    expect(badName).toMatchObject({ valid: false, reason: BUNDLE_TEXT.malformed });
  });

  it('refuses a credential signed by someone else in the issuer’s name', async () => {
    const impostor = ethrIssuer();
    const forged = await citizenCard({ issuer: { ...impostor, did: city.did, signer: { ...impostor.signer, kid: `${city.did}#controller` } } });
    const verdict = await verifyOffline(await qr(forged), 'age-over-18', bundle, NOW, new Set());
    expect(check(verdict, 'signature')?.status).toBe('failed');
    expect(verdict.refusal).toEqual(REFUSAL_TEXT.signature);
  });

  it('refuses an expired credential', async () => {
    const expired = await citizenCard({ validUntil: '2026-02-01T00:00:00Z' });
    const verdict = await verifyOffline(await qr(expired), 'age-over-18', bundle, NOW, new Set());
    expect(check(verdict, 'validity')).toMatchObject({ status: 'failed', detail: expect.stringContaining('expired') });
    expect(verdict.refusal).toEqual(REFUSAL_TEXT.expired);
  });

  it('refuses everything with an expired bundle, and with one whose signature failed', async () => {
    const expired = await verifyOffline(await qr(card), 'age-over-18', bundle, new Date(NOW.getTime() + 24 * 3600_000), new Set());
    expect(expired).toMatchObject({ verified: false, refusal: BUNDLE_TEXT.expired, offline: { bundleIssuedAt: '2026-03-02T02:00:00.000Z', ageSeconds: 25 * 3600 } });
    expect(expired.errors[0]).toContain('expired');
    const other = p256Key((jwk) => `${didJwkOf(jwk)}#0`);
    const badSignature = await verifyBundle(await signBundle(await payload(), other.signer), verifier.jwk);
    const refused = await verifyOffline(await qr(card), 'age-over-18', badSignature, NOW, new Set());
    expect(refused).toMatchObject({ verified: false, refusal: BUNDLE_TEXT.signature, offline: { bundleIssuedAt: null, ageSeconds: null } });
  });

  it('answers the policy’s criteria when the credential verified but the policy is not satisfied', async () => {
    const verdict = await verifyOffline(await qr(card), 'seoul-resident', bundle, NOW, new Set());
    expect(verdict.verified).toBe(false);
    expect(verdict.decision).toMatchObject({ satisfied: false, criteria: [{ id: 'seoul-resident', result: 'failed' }] });
    expect(verdict.refusal).toBeUndefined();
    const resident = await verifyOffline(await qr(card, { disclose: ['residence'] }), 'seoul-resident', bundle, NOW, new Set());
    expect(resident.verified).toBe(true);
  });

  it('refuses what it cannot check offline: a JWT VP, an unknown policy, text that is no presentation', async () => {
    const vp = await verifyOffline('citycred-vp:eyJhbGciOiJFUzI1NiJ9.eyJ2cCI6e319.c2ln', 'age-over-18', bundle, NOW, new Set());
    expect(vp).toMatchObject({ verified: false, refusal: REFUSAL_TEXT.notSdJwt });
    expect(await verifyOffline(await qr(card), 'city', bundle, NOW, new Set())).toMatchObject({ verified: false, refusal: REFUSAL_TEXT.unknownPolicy });
    const garbage = await verifyOffline('citycred-vp:abc~def~', 'age-over-18', bundle, NOW, new Set());
    expect(garbage).toMatchObject({ verified: false, refusal: REFUSAL_TEXT.unreadable });
  });
});

describe('verifyOffline with the anchor proof a QR code carries (citycred-vp:<presentation>#<anchor code>)', () => {
  let card: string;
  let tree: ReturnType<typeof buildMerkleTree>;
  const otherHash = credentialHash('another credential of the same batch');
  const ANCHORED_AT = Date.parse('2026-01-05T00:10:00Z') / 1000;

  /** A bundle that lists the city issuer's roots (`roots`; the batch's root anchored in block 110 by default). */
  async function anchoredBundle(options: { roots?: Array<{ root: string; block: number; at: number; types: string[] }>; since?: number } = {}): Promise<BundleCheck> {
    const body = await payload({ anchoring: { checked: true, days: 30, rootsPerIssuer: 200 } });
    const roots = options.roots ?? [{ root: tree.root, block: 110, at: ANCHORED_AT, types: ['SeoulCitizenCard'] }];
    const issuers = body.issuers.map((issuer) => ({ ...issuer, anchors: { since: options.since ?? 100, roots } }));
    return verifyBundle(await signBundle({ ...body, issuers }), verifier.jwk);
  }

  /** The QR text with an anchor code after `#`. */
  const withCode = async (proof: readonly string[], blockNumber = 110) => `${await qr(card)}#${encodeAnchorCode({ leafIndex: 1, blockNumber, proof: proof as Hex32[] })}`;

  beforeAll(async () => {
    card = await citizenCard();
    tree = buildMerkleTree([otherHash, credentialHash(card.slice(0, card.indexOf('~'))), credentialHash('a third'), credentialHash('a fourth')]);
  });

  it('checks the proof against the issuer’s roots in the bundle: passed, and the answer says anchoring was checked', async () => {
    const verdict = await verifyOffline(await withCode(tree.proofs[1]!), 'age-over-18', await anchoredBundle(), NOW, new Set());
    expect(verdict.errors).toEqual([]);
    expect(verdict.verified).toBe(true);
    expect(check(verdict, 'anchor')).toMatchObject({ status: 'passed', detail: expect.stringContaining(`anchored in root ${tree.root} at block 110`) });
    expect(verdict.anchoring).toEqual({ checked: true, detail: check(verdict, 'anchor')!.detail });
  });

  it('refuses a tampered proof, and the proof of another credential of the batch', async () => {
    const bundle = await anchoredBundle();
    const tampered: string[] = [...tree.proofs[1]!];
    tampered[0] = `${tampered[0]!.slice(0, -1)}${tampered[0]!.endsWith('0') ? '1' : '0'}`;
    for (const proof of [tampered, tree.proofs[0]!]) {
      const verdict = await verifyOffline(await withCode(proof), 'age-over-18', bundle, NOW, new Set());
      expect(verdict.verified).toBe(false);
      expect(check(verdict, 'anchor')).toMatchObject({ status: 'failed', detail: expect.stringContaining('did not anchor') });
      expect(verdict.refusal).toEqual(REFUSAL_TEXT.anchor);
      expect(verdict.anchoring.checked).toBe(true);
    }
    const unreadable = await verifyOffline(`${await qr(card)}#not-a-code`, 'age-over-18', bundle, NOW, new Set());
    expect([unreadable.verified, check(unreadable, 'anchor')?.status]).toEqual([false, 'failed']);
  });

  it('never passes a root the bundle does not list: failed inside its window, skipped (check online) outside it', async () => {
    const without = await anchoredBundle({ roots: [] });
    const inside = await verifyOffline(await withCode(tree.proofs[1]!), 'age-over-18', without, NOW, new Set());
    expect([inside.verified, check(inside, 'anchor')?.status]).toEqual([false, 'failed']);
    const older = await verifyOffline(await withCode(tree.proofs[1]!, 90), 'age-over-18', without, NOW, new Set());
    expect(check(older, 'anchor')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('last 30 days, at most 200 per issuer') });
    expect(older.anchoring.checked).toBe(false);
    const newer = await verifyOffline(await withCode(tree.proofs[1]!, 121), 'age-over-18', without, NOW, new Set());
    expect(check(newer, 'anchor')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('after the offline data was read') });
    expect(newer.anchoring.checked).toBe(false);
  });

  it('skips the check, saying why, for a code without a proof and for a bundle of an older verifier without roots', async () => {
    const none = await verifyOffline(await qr(card), 'age-over-18', await anchoredBundle(), NOW, new Set());
    expect([none.verified, check(none, 'anchor')?.status, none.anchoring.checked]).toEqual([true, 'skipped', false]);
    expect(none.anchoring.detail).toContain('carries no anchor proof');
    const oldBundle = await verifyBundle(await signBundle(await payload()), verifier.jwk);
    const old = await verifyOffline(await withCode(tree.proofs[1]!), 'age-over-18', oldBundle, NOW, new Set());
    expect([old.verified, check(old, 'anchor')?.status, old.anchoring.checked]).toEqual([true, 'skipped', false]);
    expect(old.anchoring.detail).toContain('no anchored roots');
  });

  it('refuses a credential issued after its root was anchored, and a root anchored when the issuer was not accredited for the type', async () => {
    const early = await anchoredBundle({ roots: [{ root: tree.root, block: 110, at: Date.parse('2026-01-04T00:00:00Z') / 1000, types: ['SeoulCitizenCard'] }] });
    const backdated = await verifyOffline(await withCode(tree.proofs[1]!), 'age-over-18', early, NOW, new Set());
    expect(check(backdated, 'anchor')).toMatchObject({ status: 'failed', detail: expect.stringContaining('issued after it was anchored') });
    const unaccredited = await anchoredBundle({ roots: [{ root: tree.root, block: 110, at: ANCHORED_AT, types: [] }] });
    const refused = await verifyOffline(await withCode(tree.proofs[1]!), 'age-over-18', unaccredited, NOW, new Set());
    expect(check(refused, 'anchor')).toMatchObject({ status: 'failed', detail: expect.stringContaining('not accredited for SeoulCitizenCard') });
    expect(refused.refusal).toEqual(REFUSAL_TEXT.notAccredited);
  });
});
