import { credentialHash, rootFromProof, type AnchorLedger, type Hex32, type OnChainAnchor } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import { exampleSubject } from '@citycred/credentials';
import { createJWT, ES256KSigner } from 'did-jwt';
import type { DIDResolutionResult, Resolvable } from 'did-resolver';
import { getBytes, Wallet } from 'ethers';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AnchorProofSource, ProofAnswer } from './anchor-proof-source.js';
import { CredentialVerifier } from './credential-verifier.js';
import type { Check, CheckId, VerificationResult } from './result.js';

/*
 * Unit test of CredentialVerifier without a chain: the DID resolver, the ledger (IssuerRegistry + CredentialAnchor)
 * and the anchor proof source are small in-memory stand-ins for the ports, so each check's outcome can be set
 * precisely. The real adapters are exercised against a local chain by test/e2e/*.e2e.spec.ts.
 */

const VC_V1 = 'https://www.w3.org/2018/credentials/v1';
const CITYCRED = 'https://contexts.citycred.seoul.go.kr/v1';
const CHAIN_ID = 31337;
const NOW = new Date('2026-03-02T09:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const GRACE_S = 3_600;
const SKEW_S = 60;

const { id: _holder, ...subject } = exampleSubject('SeoulCitizenCard');

/** A did:ethr issuer on the city network with a fresh secp256k1 key. */
function newIssuer() {
  const wallet = Wallet.createRandom();
  return { wallet, address: wallet.address, did: `did:ethr:citycred:${wallet.address}` };
}
type Issuer = ReturnType<typeof newIssuer>;

/** Resolves the DIDs it was given as ERC-1056 default documents (what ethr-did-resolver returns for an untouched address). */
class InMemoryResolver implements Resolvable {
  readonly known = new Map<string, string>();

  add(issuer: Issuer): void {
    this.known.set(issuer.did, issuer.address);
  }

  async resolve(didUrl: string): Promise<DIDResolutionResult> {
    const did = didUrl.split('#')[0]!;
    const address = this.known.get(did);
    if (!address) return { didResolutionMetadata: { error: 'notFound' }, didDocument: null, didDocumentMetadata: {} };
    const controller = `${did}#controller`;
    return {
      didResolutionMetadata: { contentType: 'application/did+ld+json' },
      didDocumentMetadata: {},
      didDocument: {
        '@context': ['https://www.w3.org/ns/did/v1'],
        id: did,
        verificationMethod: [{ id: controller, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: `eip155:${CHAIN_ID}:${address}` }],
        authentication: [controller],
        assertionMethod: [controller],
      },
    };
  }
}

/** The IssuerRegistry and CredentialAnchor as two maps. Setting `down` makes every read fail like an unreachable chain. */
class InMemoryLedger implements AnchorLedger {
  readonly chainId = CHAIN_ID;
  readonly anchorContract = '0x00000000000000000000000000000000000a0c40';
  readonly accreditations: Array<{ issuer: string; type: string; from: Date; until: Date }> = [];
  readonly roots = new Map<string, OnChainAnchor>();
  down = false;

  accredit(issuer: string, type: string, from = new Date('2020-01-01T00:00:00Z'), until = new Date('2100-01-01T00:00:00Z')): void {
    this.accreditations.push({ issuer: issuer.toLowerCase(), type, from, until });
  }

  async findAnchor(root: Hex32): Promise<OnChainAnchor | null> {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:8545');
    return this.roots.get(root) ?? null;
  }

  async findAnchorTransaction(): Promise<null> {
    return null;
  }

  async isAccredited(issuer: string, credentialType: string, at: Date): Promise<boolean> {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:8545');
    return this.accreditations.some((a) => a.issuer === issuer.toLowerCase() && a.type === credentialType && a.from <= at && at < a.until);
  }

  async isUp(): Promise<boolean> {
    return !this.down;
  }
}

/** Answers `pending` unless told otherwise for a hash. */
class InMemoryProofSource implements AnchorProofSource {
  readonly answers = new Map<string, ProofAnswer>();

  async fetchProof(hash: Hex32): Promise<ProofAnswer> {
    return this.answers.get(hash) ?? { kind: 'pending' };
  }
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decodePart = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** Rewrites a compact JWT's header or payload, keeping the old signature. */
function rewriteJwt(jwt: string, edit: { header?: (h: any) => any; payload?: (p: any) => any }): string {
  const [h, p, s] = jwt.split('.') as [string, string, string];
  return `${b64url(edit.header ? edit.header(decodePart(h)) : decodePart(h))}.${b64url(edit.payload ? edit.payload(decodePart(p)) : decodePart(p))}.${s}`;
}

/** Veramo's JSON form of a JWT VC: the credential object with `proof: {type: 'JwtProof2020', jwt}`. */
function jsonForm(jwt: string): Record<string, any> {
  const payload = decodePart(jwt.split('.')[1]!);
  return {
    ...payload.vc,
    issuer: { id: payload.iss },
    issuanceDate: new Date(payload.nbf * 1000).toISOString(),
    ...(payload.exp ? { expirationDate: new Date(payload.exp * 1000).toISOString() } : {}),
    proof: { type: 'JwtProof2020', jwt },
  };
}

const statusOf = (result: VerificationResult, id: CheckId) => result.checks.find((c) => c.id === id)?.status;
const detailOf = (result: VerificationResult, id: CheckId) => result.checks.find((c) => c.id === id)?.detail ?? '';
const statuses = (result: VerificationResult) => Object.fromEntries(result.checks.map((c) => [c.id, c.status]));

/** The invariants of every result: verified iff nothing failed and format passed; `errors` is exactly the failed checks. */
function expectConsistent(result: VerificationResult): void {
  const failed = result.checks.filter((c: Check) => c.status === 'failed');
  expect(result.verified).toBe(failed.length === 0 && statusOf(result, 'format') === 'passed');
  expect(result.errors).toEqual(failed.map((c) => `${c.id}: ${c.detail}`));
  expect(result.checks.map((c) => c.id)).toEqual(['format', 'signature', 'validity', 'schema', 'status', 'issuer-accreditation', 'anchor']);
}

function expectFormatFailed(result: VerificationResult, detail: RegExp): void {
  expectConsistent(result);
  expect(result.verified).toBe(false);
  expect(statusOf(result, 'format')).toBe('failed');
  expect(detailOf(result, 'format')).toMatch(detail);
  expect(result.checks.slice(1).every((c) => c.status === 'skipped')).toBe(true);
  expect(result.errors).toHaveLength(1);
}

describe('CredentialVerifier (unit, in-memory ports)', () => {
  let clock: FixedClock;
  let resolver: InMemoryResolver;
  let ledger: InMemoryLedger;
  let proofs: InMemoryProofSource;
  let verifier: CredentialVerifier;
  let issuer: Issuer;

  beforeEach(() => {
    clock = new FixedClock(NOW);
    resolver = new InMemoryResolver();
    ledger = new InMemoryLedger();
    proofs = new InMemoryProofSource();
    verifier = new CredentialVerifier(resolver, ledger, proofs, clock, { didNetwork: 'citycred', anchorGraceSeconds: GRACE_S, clockSkewSeconds: SKEW_S });
    issuer = newIssuer();
    resolver.add(issuer);
    ledger.accredit(issuer.address, 'SeoulCitizenCard');
  });

  /** Signs a JWT VC as `by` (default: the accredited issuer); `claims` override the registered claims. */
  async function sign(options: { type?: unknown; credentialSubject?: unknown; context?: unknown; claims?: Record<string, unknown>; by?: Issuer; alg?: 'ES256K' | 'ES256K-R' } = {}): Promise<string> {
    const by = options.by ?? issuer;
    const vc = {
      '@context': options.context ?? [VC_V1, CITYCRED],
      type: options.type ?? ['VerifiableCredential', 'SeoulCitizenCard'],
      credentialSubject: options.credentialSubject ?? subject,
    };
    const alg = options.alg ?? 'ES256K';
    return createJWT(
      { vc, nbf: NOW_S - 600, exp: NOW_S + 5 * 365 * 86_400, iat: undefined, ...options.claims },
      { issuer: by.did, signer: ES256KSigner(getBytes(by.wallet.privateKey), alg === 'ES256K-R') },
      { alg },
    );
  }

  /** Anchors `jwt` alone in a batch on the in-memory chain and makes the proof source serve its (empty) proof. */
  function anchor(jwt: string, by = issuer.address, at = new Date(NOW.getTime() - 300_000)): Hex32 {
    const hash = credentialHash(jwt);
    const root = rootFromProof(hash, []);
    ledger.roots.set(root, { issuer: by, anchoredAt: at, blockNumber: 42, leafCount: 1 });
    proofs.answers.set(hash, { kind: 'proof', proof: { root, proof: [], leafIndex: 0 } });
    return root;
  }

  describe('forms of the credential', () => {
    it('verifies a bare compact JWT and the JSON form alike, every check passed once anchored', async () => {
      const jwt = await sign();
      anchor(jwt);
      for (const input of [jwt, ` ${jwt}\n`, jsonForm(jwt)]) {
        const result = await verifier.verify(input);
        expectConsistent(result);
        expect(result.verified).toBe(true);
        expect(result.errors).toEqual([]);
        expect(result.warnings).toEqual([]);
        expect(statuses(result)).toEqual({
          format: 'passed',
          signature: 'passed',
          validity: 'passed',
          schema: 'passed',
          status: 'skipped',
          'issuer-accreditation': 'passed',
          anchor: 'passed',
        });
        expect(detailOf(result, 'format')).toContain(issuer.did);
        expect(detailOf(result, 'anchor')).toContain('block 42');
      }
    });

    it('accepts the JSON form whatever the order of its subject keys', async () => {
      const jwt = await sign();
      const form = jsonForm(jwt);
      const reordered = Object.fromEntries(Object.entries(form.credentialSubject).reverse());
      const result = await verifier.verify({ ...form, credentialSubject: reordered });
      expect(statusOf(result, 'format')).toBe('passed');
    });

    it('accepts ES256K-R as well as ES256K', async () => {
      const result = await verifier.verify(await sign({ alg: 'ES256K-R' }));
      expect(statusOf(result, 'format')).toBe('passed');
      expect(statusOf(result, 'signature')).toBe('passed');
    });

    it.each([
      ['null', null],
      ['a number', 42],
      ['an empty string', ''],
      ['an empty object', {}],
      ['an array', ['a.b.c']],
      ['a credential object without proof', { type: ['VerifiableCredential', 'SeoulCitizenCard'] }],
      ['a proof without jwt', { proof: { type: 'JwtProof2020' } }],
      ['a proof whose jwt is not a string', { proof: { type: 'JwtProof2020', jwt: 42 } }],
      ['two parts', 'aGVsbG8.d29ybGQ'],
      ['three parts that are not base64url JSON', 'not.a.jwt'],
    ])('refuses %s as unreadable, without throwing', async (_label, input) => {
      expectFormatFailed(await verifier.verify(input), /JWT|proof\.jwt/);
    });
  });

  describe('format check', () => {
    it.each(['ES256', 'EdDSA', 'HS256', 'RS256', 'none'])('refuses alg %s', async (alg) => {
      const jwt = rewriteJwt(await sign(), { header: (h) => ({ ...h, alg }) });
      expectFormatFailed(await verifier.verify(jwt), new RegExp(`unsupported JWT alg ${alg}; expected ES256K`));
    });

    it('refuses a header without alg', async () => {
      const jwt = rewriteJwt(await sign(), { header: ({ alg: _alg, ...h }) => h });
      expectFormatFailed(await verifier.verify(jwt), /unsupported JWT alg undefined/);
    });

    it.each([
      ['missing', { nbf: undefined }],
      ['a string', { nbf: '2026-03-02T09:00:00Z' }],
      ['beyond the range of dates', { nbf: 9e15 }],
    ])('refuses an nbf that is %s', async (_label, claims) => {
      expectFormatFailed(await verifier.verify(await sign({ claims })), /"nbf"/);
    });

    it.each([
      ['a string', { exp: 'never' }],
      ['beyond the range of dates', { exp: 1e300 }],
    ])('refuses an exp that is %s', async (_label, claims) => {
      expectFormatFailed(await verifier.verify(await sign({ claims })), /"exp"/);
    });

    it('accepts a credential without exp (no expiry)', async () => {
      const result = await verifier.verify(await sign({ claims: { exp: undefined } }));
      expect(statusOf(result, 'validity')).toBe('passed');
      expect(detailOf(result, 'validity')).toContain('no expiry');
    });

    it('refuses a JWT without a vc claim, or without iss', async () => {
      expectFormatFailed(await verifier.verify(rewriteJwt(await sign(), { payload: ({ vc: _vc, ...p }) => p })), /"vc"/);
      expectFormatFailed(await verifier.verify(rewriteJwt(await sign(), { payload: ({ iss: _iss, ...p }) => p })), /"iss"/);
    });

    it.each([
      ['an unknown type', ['VerifiableCredential', 'DriverLicense']],
      ['AttendanceRecord, which is not a credential', ['VerifiableCredential', 'AttendanceRecord']],
      ['two CityCred types', ['VerifiableCredential', 'SeoulCitizenCard', 'EnrollmentStatus']],
      ['only VerifiableCredential', ['VerifiableCredential']],
    ])('refuses %s', async (_label, type) => {
      expectFormatFailed(await verifier.verify(await sign({ type })), /unknown credential type/);
    });

    it('refuses a type list without VerifiableCredential, and a type that is a string', async () => {
      expectFormatFailed(await verifier.verify(await sign({ type: ['SeoulCitizenCard'] })), /VerifiableCredential/);
      expectFormatFailed(await verifier.verify(await sign({ type: 'SeoulCitizenCard' })), /VerifiableCredential/);
    });

    it.each([
      ['without the CityCred context', [VC_V1], /must include/],
      ['with the base context not first', [CITYCRED, VC_V1], /first @context/],
      ['with an unknown context', [VC_V1, CITYCRED, 'https://example.com/ctx'], /unknown @context/],
    ])('refuses @context %s', async (_label, context, detail) => {
      expectFormatFailed(await verifier.verify(await sign({ context })), detail);
    });

    it('refuses a credentialSubject that is not an object', async () => {
      expectFormatFailed(await verifier.verify(await sign({ credentialSubject: [subject] })), /credentialSubject must be an object/);
    });

    it.each([
      ['on another network', (address: string) => `did:ethr:0x1:${address}`],
      ['without a network', (address: string) => `did:ethr:${address}`],
      ['of another method', () => 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
      ['with a bad address checksum', (address: string) => `did:ethr:citycred:${address.slice(0, 3)}${address[3] === 'a' ? 'A' : 'a'}${address.slice(4).toUpperCase()}`],
      ['with a public key that is not on the curve', () => `did:ethr:citycred:0x02${'ff'.repeat(32)}`],
    ])('refuses an issuer %s', async (_label, didOf) => {
      const iss = didOf(issuer.address);
      const result = await verifier.verify(rewriteJwt(await sign(), { payload: (p) => ({ ...p, iss }) }));
      expectFormatFailed(result, /is not a did:ethr on network citycred/);
      expect(detailOf(result, 'format')).toContain(iss);
    });

    it('accepts an issuer identified by its compressed public key', async () => {
      const compressed = issuer.wallet.signingKey.compressedPublicKey;
      const byKey = { ...issuer, did: `did:ethr:citycred:${compressed}` };
      const result = await verifier.verify(await sign({ by: byKey }));
      expect(statusOf(result, 'format')).toBe('passed');
      expect(statusOf(result, 'issuer-accreditation')).toBe('passed');
    });
  });

  describe('JSON form against its JWT', () => {
    it.each([
      ['the subject', (form: any) => ({ ...form, credentialSubject: { ...form.credentialSubject, ageOver19: false } }), /credentialSubject differs/],
      ['an added subject claim', (form: any) => ({ ...form, credentialSubject: { ...form.credentialSubject, photoHash: `0x${'00'.repeat(32)}` } }), /credentialSubject differs/],
      ['the issuer', (form: any) => ({ ...form, issuer: { id: newIssuer().did } }), /issuer differs/],
      ['the issuer as a string', (form: any) => ({ ...form, issuer: newIssuer().did }), /issuer differs/],
      ['the type', (form: any) => ({ ...form, type: ['VerifiableCredential', 'EnrollmentStatus'] }), /type differs/],
    ])('refuses a JSON form whose %s differs from the signed JWT', async (_label, tamper, detail) => {
      const result = await verifier.verify(tamper(jsonForm(await sign())));
      expectFormatFailed(result, detail);
      expect(detailOf(result, 'format')).toMatch(/does not match its signed JWT/);
    });

    it('refuses a JSON form nested too deeply to compare, without throwing', async () => {
      const form = jsonForm(await sign());
      let deep: Record<string, unknown> = { leaf: true };
      for (let i = 0; i < 50_000; i += 1) deep = { a: deep };
      expectFormatFailed(await verifier.verify({ ...form, credentialSubject: deep }), /does not match its signed JWT/);
    });
  });

  describe('signature, validity, schema, status', () => {
    it('fails the signature when one character of it changes', async () => {
      const jwt = await sign();
      const [h, p, s] = jwt.split('.') as [string, string, string];
      const tampered = `${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
      const result = await verifier.verify(tampered);
      expectConsistent(result);
      expect(statusOf(result, 'format')).toBe('passed');
      expect(statusOf(result, 'signature')).toBe('failed');
      expect(result.verified).toBe(false);
    });

    it('fails the signature when the payload is changed after signing', async () => {
      const result = await verifier.verify(rewriteJwt(await sign(), { payload: (p) => ({ ...p, vc: { ...p.vc, credentialSubject: { ...subject, name: '박민준' } } }) }));
      expect(statusOf(result, 'signature')).toBe('failed');
    });

    it('fails the signature with a detail naming resolution when the issuer DID does not resolve', async () => {
      resolver.known.delete(issuer.did);
      const result = await verifier.verify(await sign());
      expectConsistent(result);
      expect(statusOf(result, 'signature')).toBe('failed');
      expect(detailOf(result, 'signature')).toMatch(/could not resolve the issuer DID/);
    });

    it('fails the signature when another key signed for the issuer', async () => {
      const other = newIssuer();
      const forged = await sign({ by: { ...other, did: issuer.did } });
      expect(statusOf(await verifier.verify(forged), 'signature')).toBe('failed');
    });

    it('judges validity on the injected clock, with the configured skew', async () => {
      const jwt = await sign({ claims: { nbf: NOW_S + 30, exp: NOW_S + 3_600 } });
      expect(statusOf(await verifier.verify(jwt), 'validity')).toBe('passed');
      clock.set(new Date((NOW_S - 31) * 1000));
      expect(statusOf(await verifier.verify(jwt), 'validity')).toBe('failed');
      clock.set(new Date((NOW_S + 3_600 + SKEW_S - 1) * 1000));
      expect(statusOf(await verifier.verify(jwt), 'validity')).toBe('passed');
      clock.set(new Date((NOW_S + 3_600 + SKEW_S) * 1000));
      const expired = await verifier.verify(jwt);
      expectConsistent(expired);
      expect(statusOf(expired, 'validity')).toBe('failed');
      expect(detailOf(expired, 'validity')).toMatch(/expired at/);
      expect(expired.verified).toBe(false);
    });

    it('fails the schema check for a signed subject that breaks the schema, naming the path', async () => {
      const result = await verifier.verify(await sign({ credentialSubject: { ...subject, birthDate: 'spring 2001' } }));
      expectConsistent(result);
      expect(statusOf(result, 'format')).toBe('passed');
      expect(statusOf(result, 'signature')).toBe('passed');
      expect(statusOf(result, 'schema')).toBe('failed');
      expect(detailOf(result, 'schema')).toContain('/birthDate');
      expect(result.verified).toBe(false);
    });

    it('fails the schema check when age flags disagree with the birth date on the issuance day, but not because time passed since', async () => {
      const child = await verifier.verify(await sign({ credentialSubject: { ...subject, birthDate: '2015-01-01' } }));
      expect(statusOf(child, 'schema')).toBe('failed');
      expect(detailOf(child, 'schema')).toContain('/ageOver19');
      // issued two years ago to an 18-year-old (ageOver19 false), who is 20 now: still consistent, since the
      // flags are a snapshot at issuance
      const issued = new Date((NOW_S - 2 * 365 * 86_400) * 1000);
      const birthDate = new Date(Date.UTC(issued.getUTCFullYear() - 18, issued.getUTCMonth(), 1)).toISOString().slice(0, 10);
      const grownUp = await verifier.verify(
        await sign({ credentialSubject: { ...subject, birthDate, ageOver19: false }, claims: { nbf: Math.floor(issued.getTime() / 1000) } }),
      );
      expect(statusOf(grownUp, 'schema'), detailOf(grownUp, 'schema')).toBe('passed');
    });

    it('skips the status check and warns when credentialStatus is present', async () => {
      const jwt = await sign();
      const withStatus = rewriteJwt(jwt, { payload: (p) => ({ ...p, vc: { ...p.vc, credentialStatus: { id: 'https://issuer.example/status/1#7', type: 'BitstringStatusListEntry' } } }) });
      const result = await verifier.verify(withStatus);
      expect(statusOf(result, 'status')).toBe('skipped');
      expect(result.warnings).toEqual(['credential status was not checked']);
    });
  });

  describe('issuer accreditation', () => {
    it('fails when the issuer was never accredited for the type', async () => {
      const stranger = newIssuer();
      resolver.add(stranger);
      const result = await verifier.verify(await sign({ by: stranger }));
      expectConsistent(result);
      expect(statusOf(result, 'signature')).toBe('passed');
      expect(statusOf(result, 'issuer-accreditation')).toBe('failed');
      expect(result.verified).toBe(false);
    });

    it('is judged at issuance (nbf), not now', async () => {
      ledger.accreditations.length = 0;
      ledger.accredit(issuer.address, 'SeoulCitizenCard', new Date((NOW_S - 1_000) * 1000), new Date((NOW_S - 100) * 1000));
      const issuedWhileAccredited = await sign({ claims: { nbf: NOW_S - 500 } });
      expect(statusOf(await verifier.verify(issuedWhileAccredited), 'issuer-accreditation')).toBe('passed');
      const issuedAfterwards = await sign({ claims: { nbf: NOW_S - 50 } });
      expect(statusOf(await verifier.verify(issuedAfterwards), 'issuer-accreditation')).toBe('failed');
    });

    it('answers service.unavailable, rather than calling the credential bad, when the registry cannot be read', async () => {
      ledger.down = true;
      await expect(verifier.verify(await sign())).rejects.toMatchObject({ code: 'service.unavailable' });
    });
  });

  describe('anchor', () => {
    it('is pending, and does not fail verification, while the issuer has not anchored yet and the grace period runs', async () => {
      const jwt = await sign({ claims: { nbf: NOW_S - 60 } });
      const result = await verifier.verify(jwt);
      expectConsistent(result);
      expect(statusOf(result, 'anchor')).toBe('pending');
      expect(detailOf(result, 'anchor')).toMatch(/not anchored yet/);
      expect(result.verified).toBe(true);
    });

    it('fails once the grace period after issuance is over', async () => {
      const jwt = await sign({ claims: { nbf: NOW_S - GRACE_S } });
      const result = await verifier.verify(jwt);
      expectConsistent(result);
      expect(statusOf(result, 'anchor')).toBe('failed');
      expect(detailOf(result, 'anchor')).toMatch(new RegExp(`still not anchored ${GRACE_S} s after issuance`));
      expect(result.verified).toBe(false);
      expect(result.errors).toEqual([expect.stringMatching(/^anchor: /)]);
    });

    it('with a valid proof whose root the ledger does not know (null): pending inside the grace period, failed after', async () => {
      const jwt = await sign({ claims: { nbf: NOW_S - 60 } });
      const root = anchor(jwt);
      ledger.roots.delete(root);
      const inside = await verifier.verify(jwt);
      expect(statusOf(inside, 'anchor')).toBe('pending');
      expect(detailOf(inside, 'anchor')).toContain(`root ${root} is not on chain`);
      expect(inside.verified).toBe(true);
      clock.advance(GRACE_S * 1000);
      const after = await verifier.verify(jwt);
      expectConsistent(after);
      expect(statusOf(after, 'anchor')).toBe('failed');
      expect(detailOf(after, 'anchor')).toContain(`root ${root} is not on chain`);
      expect(after.verified).toBe(false);
    });

    it('fails at once when the issuer has no record of the credential, even inside the grace period', async () => {
      const jwt = await sign({ claims: { nbf: NOW_S - 60 } });
      proofs.answers.set(credentialHash(jwt), { kind: 'unknown' });
      const result = await verifier.verify(jwt);
      expect(statusOf(result, 'anchor')).toBe('failed');
      expect(detailOf(result, 'anchor')).toMatch(/no record of a credential/);
    });

    it('treats an issuer that cannot be reached like pending inside the grace period', async () => {
      const jwt = await sign({ claims: { nbf: NOW_S - 60 } });
      proofs.answers.set(credentialHash(jwt), { kind: 'unreachable', reason: 'timeout' });
      const result = await verifier.verify(jwt);
      expect(statusOf(result, 'anchor')).toBe('pending');
      expect(detailOf(result, 'anchor')).toMatch(/timeout/);
    });

    it('fails when the root was anchored by someone else', async () => {
      const jwt = await sign();
      anchor(jwt, newIssuer().address);
      const result = await verifier.verify(jwt);
      expect(statusOf(result, 'anchor')).toBe('failed');
      expect(detailOf(result, 'anchor')).toMatch(/not by the issuer/);
    });

    it('fails when the root was anchored while the issuer was not accredited', async () => {
      ledger.accreditations.length = 0;
      ledger.accredit(issuer.address, 'SeoulCitizenCard', new Date((NOW_S - 3_000) * 1000), new Date((NOW_S - 400) * 1000));
      const jwt = await sign({ claims: { nbf: NOW_S - 1_000 } });
      anchor(jwt, issuer.address, new Date((NOW_S - 100) * 1000));
      const result = await verifier.verify(jwt);
      expect(statusOf(result, 'issuer-accreditation')).toBe('passed');
      expect(statusOf(result, 'anchor')).toBe('failed');
      expect(detailOf(result, 'anchor')).toMatch(/was not accredited/);
    });

    it('checks a presented proof itself: malformed, or not leading to the credential, fails', async () => {
      const jwt = await sign();
      const root = anchor(jwt);
      expect(statusOf(await verifier.verify(jwt, { anchorProof: { root, proof: [], leafIndex: 0 } }), 'anchor')).toBe('passed');
      const malformed = await verifier.verify(jwt, { anchorProof: { root: 'nope', proof: 'nope' } });
      expect(statusOf(malformed, 'anchor')).toBe('failed');
      expect(detailOf(malformed, 'anchor')).toMatch(/malformed/);
      const wrong = await verifier.verify(jwt, { anchorProof: { root, proof: [`0x${'ab'.repeat(32)}`], leafIndex: 0 } });
      expect(statusOf(wrong, 'anchor')).toBe('failed');
      expect(detailOf(wrong, 'anchor')).toMatch(/does not lead/);
    });

    it('answers service.unavailable when the anchor contract cannot be read', async () => {
      const jwt = await sign();
      anchor(jwt);
      const read = ledger.isAccredited.bind(ledger);
      // the registry answers, the anchor contract does not
      ledger.isAccredited = async (...args) => read(...args);
      ledger.findAnchor = async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:8545');
      };
      await expect(verifier.verify(jwt)).rejects.toMatchObject({ code: 'service.unavailable' });
    });

    it('answers service.unavailable when the proof service is unreachable after the grace period, pending inside it', async () => {
      const old = await sign({ claims: { nbf: NOW_S - 2 * GRACE_S } });
      proofs.answers.set(credentialHash(old), { kind: 'unreachable', reason: 'ECONNREFUSED' });
      await expect(verifier.verify(old)).rejects.toMatchObject({ code: 'service.unavailable' });
      const fresh = await sign({ claims: { nbf: NOW_S - 60 } });
      proofs.answers.set(credentialHash(fresh), { kind: 'unreachable', reason: 'ECONNREFUSED' });
      expect(statusOf(await verifier.verify(fresh), 'anchor')).toBe('pending');
    });
  });

  it('reports every failed check in errors, in check order, and is not verified', async () => {
    const stranger = newIssuer();
    resolver.add(stranger);
    const jwt = await sign({ by: stranger, credentialSubject: { ...subject, birthDate: 'spring 2001' }, claims: { nbf: NOW_S - 2 * GRACE_S, exp: NOW_S - GRACE_S } });
    const result = await verifier.verify(jwt);
    expectConsistent(result);
    expect(result.verified).toBe(false);
    expect(statuses(result)).toEqual({
      format: 'passed',
      signature: 'passed',
      validity: 'failed',
      schema: 'failed',
      status: 'skipped',
      'issuer-accreditation': 'failed',
      anchor: 'failed',
    });
    expect(result.errors.map((e) => e.split(':')[0])).toEqual(['validity', 'schema', 'issuer-accreditation', 'anchor']);
  });
});
