import { credentialHash, rootFromProof, type AnchorLedger, type Hex32, type OnChainAnchor } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import { containsResidentRegistrationNumber, exampleSubject } from '@citycred/credentials';
import { Secp256k1Signer } from '@citycred/did';
import { vcJwtFormat } from '@citycred/formats';
import { bitstringStatusListCredential, bitstringStatusListEntry, createBitstring, type BitstringPurpose } from '@citycred/status-list';
import { disguisedResidentRegistrationNumbers } from '@citycred/testing';
import { createJWT, ES256KSigner } from 'did-jwt';
import type { DIDResolutionResult, Resolvable } from 'did-resolver';
import { AbiCoder, getBytes, Wallet } from 'ethers';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AnchorProofSource, ProofAnswer } from './anchor-proof-source.js';
import { CredentialVerifier } from './credential-verifier.js';
import { resultOf, WITHHELD_DETAIL, type CheckId, type VerificationPolicy, type VerificationResult } from './result.js';
import type { StatusListAnswer, StatusListSource } from './status-list-source.js';
import { CITY_DELEGATES_POLICY, CITY_POLICY, CITY_STRICT_POLICY } from './verification-policy.js';

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
/** Issue 13's 27 ways of writing a (fictitious) resident registration number. */
const DISGUISED_RRNS = disguisedResidentRegistrationNumbers().map((v) => [v.label, v.text] as const);

/** Asserts that nothing of `text` — neither as written nor as any number the detector sees — is in the result. */
function expectNoEcho(result: VerificationResult, text: string): void {
  const answer = JSON.stringify(result);
  expect(answer).not.toContain(text);
  expect(containsResidentRegistrationNumber(answer)).toBe(false);
}

/** What node's HTTP client throws when nothing listens on the chain's port (ethers passes it through). */
function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8545'), { code: 'ECONNREFUSED' });
}

/** A did:ethr issuer on the city network with a fresh secp256k1 key. */
function newIssuer() {
  const wallet = Wallet.createRandom();
  return { wallet, address: wallet.address, did: `did:ethr:citycred:${wallet.address}` };
}
type Issuer = ReturnType<typeof newIssuer>;

/**
 * Resolves the DIDs it was given like ethr-did-resolver on an address DID: `#controller` is the owner's address
 * (the DID's own until `changeOwner`), each delegate valid at the version asked is a `#delegate-N`. `<did>?versionId=<n>`
 * is the document as of block n, without it the latest. Records the DID URLs it was asked for.
 */
class InMemoryResolver implements Resolvable {
  readonly known = new Map<string, { owners: Array<{ fromBlock: number; address: string }>; delegates: Array<{ address: string; fromBlock: number; untilBlock: number }> }>();
  readonly asked: string[] = [];

  add(issuer: Issuer): void {
    this.known.set(issuer.did, { owners: [{ fromBlock: 0, address: issuer.address }], delegates: [] });
  }

  /** ERC-1056 `changeOwner` of `issuer`'s identity to `owner`, mined in block `atBlock`. */
  changeOwner(issuer: Issuer, atBlock: number, owner: string): void {
    this.known.get(issuer.did)!.owners.push({ fromBlock: atBlock, address: owner });
  }

  /** ERC-1056 `addDelegate(veriKey)` mined in block `fromBlock`, valid until block `untilBlock`. */
  addDelegate(issuer: Issuer, delegate: string, fromBlock: number, untilBlock: number): void {
    this.known.get(issuer.did)!.delegates.push({ address: delegate, fromBlock, untilBlock });
  }

  async resolve(didUrl: string): Promise<DIDResolutionResult> {
    this.asked.push(didUrl);
    const [did, query] = didUrl.split('#')[0]!.split('?') as [string, string?];
    const history = this.known.get(did);
    if (!history) return { didResolutionMetadata: { error: 'notFound' }, didDocument: null, didDocumentMetadata: {} };
    const versionId = query ? new URLSearchParams(query).get('versionId') : null;
    const block = versionId === null ? Number.POSITIVE_INFINITY : Number(versionId);
    const owner = history.owners.filter((o) => o.fromBlock <= block).at(-1)!.address;
    const controller = `${did}#controller`;
    const delegates = history.delegates
      .filter((d) => d.fromBlock <= block && block < d.untilBlock)
      .map((d, i) => ({ id: `${did}#delegate-${i + 1}`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: `eip155:${CHAIN_ID}:${d.address}` }));
    return {
      didResolutionMetadata: { contentType: 'application/did+ld+json' },
      didDocumentMetadata: {},
      didDocument: {
        '@context': ['https://www.w3.org/ns/did/v1'],
        id: did,
        verificationMethod: [{ id: controller, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: `eip155:${CHAIN_ID}:${owner}` }, ...delegates],
        authentication: [controller],
        assertionMethod: [controller, ...delegates.map((d) => d.id)],
      },
    };
  }
}

/**
 * The IssuerRegistry and CredentialAnchor as two maps. Setting `down` makes every read fail like an unreachable chain.
 * `isAccredited` encodes its time as the contract's `uint64` argument, as the ethers adapter does, so a time the
 * contract cannot take throws ethers' own INVALID_ARGUMENT error.
 */
class InMemoryLedger implements AnchorLedger {
  readonly chainId = CHAIN_ID;
  readonly anchorContract = '0x00000000000000000000000000000000000a0c40';
  readonly accreditations: Array<{ issuer: string; type: string; from: Date; until: Date }> = [];
  /** By `issuer address (lowercase):root`, as CredentialAnchor keys anchors. */
  readonly roots = new Map<string, OnChainAnchor>();
  down = false;

  accredit(issuer: string, type: string, from = new Date('2020-01-01T00:00:00Z'), until = new Date('2100-01-01T00:00:00Z')): void {
    this.accreditations.push({ issuer: issuer.toLowerCase(), type, from, until });
  }

  async findAnchor(issuer: string, root: Hex32): Promise<OnChainAnchor | null> {
    if (this.down) throw connectionRefused();
    return this.roots.get(`${issuer.toLowerCase()}:${root}`) ?? null;
  }

  async findAnchorTransaction(): Promise<null> {
    return null;
  }

  async isAccredited(issuer: string, credentialType: string, at: Date): Promise<boolean> {
    AbiCoder.defaultAbiCoder().encode(['uint64'], [BigInt(Math.floor(at.getTime() / 1000))]);
    if (this.down) throw connectionRefused();
    return this.accreditations.some((a) => a.issuer === issuer.toLowerCase() && a.type === credentialType && a.from <= at && at < a.until);
  }

  async isUp(): Promise<boolean> {
    return !this.down;
  }
}

/** Answers `pending` (queued 30 s before NOW) unless told otherwise for a hash. */
class InMemoryProofSource implements AnchorProofSource {
  readonly answers = new Map<string, ProofAnswer>();

  async fetchProof(hash: Hex32): Promise<ProofAnswer> {
    return this.answers.get(hash) ?? { kind: 'pending', enqueuedAt: new Date(NOW.getTime() - 30_000) };
  }
}

/** Serves the list bodies it was given per URL, `unreachable` for any other; records the URLs asked for. */
class InMemoryStatusListSource implements StatusListSource {
  readonly answers = new Map<string, StatusListAnswer>();
  readonly asked: string[] = [];

  async fetchList(url: string): Promise<StatusListAnswer> {
    this.asked.push(url);
    return this.answers.get(url) ?? { kind: 'unreachable', reason: 'the list server could not be reached' };
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
    ...(payload.jti ? { id: payload.jti } : {}),
    proof: { type: 'JwtProof2020', jwt },
  };
}

const statusOf = (result: VerificationResult, id: CheckId) => result.checks.find((c) => c.id === id)?.status;
const detailOf = (result: VerificationResult, id: CheckId) => result.checks.find((c) => c.id === id)?.detail ?? '';
const statuses = (result: VerificationResult) => Object.fromEntries(result.checks.map((c) => [c.id, c.status]));

/**
 * The invariants of every result: verified iff format passed and the policy accepts every check's status; `errors`
 * has one entry per check the policy does not accept, in check order; the result names the policy it applied.
 */
function expectConsistent(result: VerificationResult, policy: VerificationPolicy = CITY_POLICY): void {
  const refused = result.checks.filter((c) => !policy.accept[c.id].includes(c.status));
  expect(result.verified).toBe(refused.length === 0 && statusOf(result, 'format') === 'passed');
  if (statusOf(result, 'format') === 'passed') expect(result.errors.map((e) => e.split(':')[0])).toEqual(refused.map((c) => c.id));
  expect(result.policy).toEqual({ id: policy.id, accepted: policy.accept, acceptDelegates: policy.acceptDelegates, requireCityIssuer: policy.requireCityIssuer });
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
  let lists: InMemoryStatusListSource;
  let verifier: CredentialVerifier;
  let issuer: Issuer;

  beforeEach(() => {
    clock = new FixedClock(NOW);
    resolver = new InMemoryResolver();
    ledger = new InMemoryLedger();
    proofs = new InMemoryProofSource();
    lists = new InMemoryStatusListSource();
    verifier = new CredentialVerifier(resolver, ledger, proofs, clock, { didNetwork: 'citycred', anchorGraceSeconds: GRACE_S, clockSkewSeconds: SKEW_S }, lists);
    issuer = newIssuer();
    resolver.add(issuer);
    ledger.accredit(issuer.address, 'SeoulCitizenCard');
  });

  /** Signs a JWT VC as `by` (default: the accredited issuer); `claims` override the registered claims. */
  async function sign(
    options: { type?: unknown; credentialSubject?: unknown; context?: unknown; credentialStatus?: unknown; claims?: Record<string, unknown>; by?: Issuer; alg?: 'ES256K' | 'ES256K-R' } = {},
  ): Promise<string> {
    const by = options.by ?? issuer;
    const vc = {
      '@context': options.context ?? [VC_V1, CITYCRED],
      type: options.type ?? ['VerifiableCredential', 'SeoulCitizenCard'],
      credentialSubject: options.credentialSubject ?? subject,
      ...(options.credentialStatus === undefined ? {} : { credentialStatus: options.credentialStatus }),
    };
    const alg = options.alg ?? 'ES256K';
    return createJWT(
      { vc, nbf: NOW_S - 600, exp: NOW_S + 5 * 365 * 86_400, iat: undefined, ...options.claims },
      { issuer: by.did, signer: ES256KSigner(getBytes(by.wallet.privateKey), alg === 'ES256K-R') },
      { alg },
    );
  }

  /**
   * Anchors `jwt` alone in a batch on the in-memory chain (at NOW unless told: after every `nbf` these tests sign with)
   * and makes the proof source serve its (empty) proof.
   */
  function anchor(jwt: string, by = issuer.address, at = NOW, blockNumber = 42): Hex32 {
    const hash = credentialHash(jwt);
    const root = rootFromProof(hash, []);
    ledger.roots.set(`${by.toLowerCase()}:${root}`, { anchoredAt: at, blockNumber, leafCount: 1 });
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
        // The issuer is named once its signature verified, not while "iss" is only a claim.
        expect(detailOf(result, 'format')).not.toContain(issuer.did);
        expect(detailOf(result, 'signature')).toContain(issuer.did);
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

    it("refuses ES256K-R, did-jwt's recoverable variant, which no JOSE registry knows: ES256K only", async () => {
      expectFormatFailed(await verifier.verify(await sign({ alg: 'ES256K-R' })), /unsupported JWT alg \(not a registered JWS algorithm\)/);
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
      expectFormatFailed(await verifier.verify(input), /JWT|proof\.jwt|proof must be exactly/);
    });
  });

  describe('format check', () => {
    it.each(['ES256', 'EdDSA', 'HS256', 'RS256', 'none'])('refuses alg %s', async (alg) => {
      const jwt = rewriteJwt(await sign(), { header: (h) => ({ ...h, alg }) });
      expectFormatFailed(await verifier.verify(jwt), new RegExp(`unsupported JWT alg ${alg}; expected ES256K`));
    });

    it('refuses a header without alg', async () => {
      const jwt = rewriteJwt(await sign(), { header: ({ alg: _alg, ...h }) => h });
      expectFormatFailed(await verifier.verify(jwt), /no "alg"/);
    });

    it.each([
      ['missing', { nbf: undefined }],
      ['a string', { nbf: '2026-03-02T09:00:00Z' }],
      ['beyond the range of dates', { nbf: 9e15 }],
      ['negative (a time the registry cannot even be asked about)', { nbf: -1 }],
      ['0, the epoch', { nbf: 0 }],
      ['before 2000-01-01', { nbf: Date.UTC(1999, 11, 31, 23, 59, 59) / 1000 }],
      ['in the year 10000', { nbf: Date.UTC(10_000, 0, 1) / 1000, exp: undefined }],
      ['not a finite number', { nbf: Number.NaN }],
    ])('refuses an nbf that is %s as a format failure, never asking the chain', async (_label, claims) => {
      expectFormatFailed(await verifier.verify(await sign({ claims })), /"nbf"/);
    });

    it.each([
      ['a string', { exp: 'never' }],
      ['beyond the range of dates', { exp: 1e300 }],
      ['negative', { exp: -1 }],
      ['in the year 10000', { exp: Date.UTC(10_000, 0, 1) / 1000 }],
      ['equal to nbf', { nbf: NOW_S - 600, exp: NOW_S - 600 }],
      ['before nbf', { nbf: NOW_S - 600, exp: NOW_S - 601 }],
    ])('refuses an exp that is %s', async (_label, claims) => {
      expectFormatFailed(await verifier.verify(await sign({ claims })), /"exp"/);
    });

    it('accepts the edges of the date range', async () => {
      const earliest = await verifier.verify(await sign({ claims: { nbf: Date.UTC(2000, 0, 1) / 1000, exp: Date.UTC(10_000, 0, 1) / 1000 - 1 } }));
      expect(statusOf(earliest, 'format'), detailOf(earliest, 'format')).toBe('passed');
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
      ['AttendanceRecord, which is not a credential', ['VerifiableCredential', 'AttendanceRecord']],
      ['two CityCred types', ['VerifiableCredential', 'SeoulCitizenCard', 'EnrollmentStatus']],
    ])('refuses %s', async (_label, type) => {
      expectFormatFailed(await verifier.verify(await sign({ type })), /unknown credential type/);
    });

    it("reads a type outside the catalogue (an app operator's own), which verifies only for an issuer the city accredits for it", async () => {
      const result = await verifier.verify(await sign({ type: ['VerifiableCredential', 'DriverLicense'] }));
      expect(statusOf(result, 'format')).toBe('passed');
      expect(statusOf(result, 'schema')).toBe('skipped');
      expect(detailOf(result, 'schema')).toContain('no schema is known to this verifier for type DriverLicense');
      expect(statusOf(result, 'issuer-accreditation')).toBe('failed');
      expect(result.verified).toBe(false);
    });

    it('reads a plain VerifiableCredential as the type VerifiableCredential, accredited like any other', async () => {
      const result = await verifier.verify(await sign({ type: ['VerifiableCredential'] }));
      expect(statusOf(result, 'format')).toBe('passed');
      expect(detailOf(result, 'format')).toContain('of type VerifiableCredential');
      expect(statusOf(result, 'issuer-accreditation')).toBe('failed');
      ledger.accredit(issuer.address, 'VerifiableCredential');
      expect(statusOf(await verifier.verify(await sign({ type: ['VerifiableCredential'] })), 'issuer-accreditation')).toBe('passed');
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
      expectFormatFailed(await verifier.verify(await sign({ credentialSubject: [subject] })), /credentialSubject" must be one object/);
    });

    it.each([
      ['on another network', (address: string) => `did:ethr:0x1:${address}`],
      ['without a network', (address: string) => `did:ethr:${address}`],
      ['of another method', () => 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'],
      // Flipping the case of one letter of an EIP-55 address always breaks its checksum.
      ['with a bad address checksum', (address: string) => `did:ethr:citycred:${flipFirstLetterCase(address)}`],
      ['with a public key that is not on the curve', () => `did:ethr:citycred:0x02${'ff'.repeat(32)}`],
    ])('refuses an issuer %s', async (_label, didOf) => {
      const iss = didOf(issuer.address);
      const result = await verifier.verify(rewriteJwt(await sign(), { payload: (p) => ({ ...p, iss }) }));
      expectFormatFailed(result, /"iss" is not a did:ethr on network citycred/);
      // An unverified claim is named by its field, never repeated.
      expect(JSON.stringify(result)).not.toContain(iss);
    });

    it('accepts an issuer identified by its compressed public key', async () => {
      const compressed = issuer.wallet.signingKey.compressedPublicKey;
      const byKey = { ...issuer, did: `did:ethr:citycred:${compressed}` };
      const result = await verifier.verify(await sign({ by: byKey }));
      expect(statusOf(result, 'format')).toBe('passed');
      expect(statusOf(result, 'issuer-accreditation')).toBe('passed');
    });
  });

  describe('resident registration numbers in what it reads', () => {
    it.each(DISGUISED_RRNS)('a validly signed credential whose name is one (%s) fails its schema check, without echoing it', async (_label, text) => {
      const jwt = await sign({ credentialSubject: { ...subject, name: text } });
      anchor(jwt);
      const result = await verifier.verify(jwt);
      expectConsistent(result);
      expect(result.verified).toBe(false);
      expect(statusOf(result, 'signature')).toBe('passed');
      expect(statusOf(result, 'schema')).toBe('failed');
      expect(detailOf(result, 'schema')).toMatch(/\/name looks like a resident registration number/);
      expectNoEcho(result, text);
    });

    it.each(DISGUISED_RRNS)('one in the type, a context, the alg, the iss or a JSON member name (%s) fails the format check, never echoed', async (_label, text) => {
      const inputs: unknown[] = [
        await sign({ type: ['VerifiableCredential', text] }),
        await sign({ context: [VC_V1, CITYCRED, text] }),
        rewriteJwt(await sign(), { header: (h) => ({ ...h, alg: text }) }),
        rewriteJwt(await sign(), { payload: (p) => ({ ...p, iss: `did:ethr:citycred:${text}` }) }),
        { ...jsonForm(await sign()), [text]: true },
        { ...jsonForm(await sign()), credentialSubject: { ...subject, [text]: 'x' } },
      ];
      for (const input of inputs) {
        const result = await verifier.verify(input);
        expect(statusOf(result, 'format')).toBe('failed');
        expectNoEcho(result, text);
      }
    });

    it('withholds any detail that would carry one, whatever check wrote it', () => {
      const [, text] = DISGUISED_RRNS.find(([label]) => label === 'full-width digits and hyphen')!;
      const result = resultOf([{ id: 'format', status: 'failed', detail: `unknown thing ${text}` }], CITY_POLICY);
      expect(result.checks[0]!.detail).toBe(WITHHELD_DETAIL);
      expect(result.errors).toEqual([`format: ${WITHHELD_DETAIL}`]);
      expectNoEcho(result, text);
    });

    it('leaves out a summary whose claims or holder carry one, even split over two claims, and keeps a clean one', () => {
      const [, text] = DISGUISED_RRNS.find(([label]) => label === 'full-width digits and hyphen')!;
      const checks = [{ id: 'format' as const, status: 'passed' as const, detail: 'read' }];
      const summary = { format: 'jwt_vc', type: 'SeoulCitizenCard', issuer: 'did:ethr:citycred:0x02ab', hash: `0x${'12'.repeat(32)}`, claims: { name: '김민준', birthDate: '1990-01-01' }, holder: { id: 'did:jwk:abc' }, issuedAt: new Date(0), validUntil: null };
      expect(resultOf(checks, CITY_POLICY, [], summary).credential).toBe(summary);
      for (const claims of [{ note: text }, { first: '900101', second: '1234567' }]) {
        const result = resultOf(checks, CITY_POLICY, [], { ...summary, claims });
        expect(result.credential).toBeUndefined();
      }
      expect(resultOf(checks, CITY_POLICY, [], { ...summary, holder: { id: `did:example:${text}` } }).credential).toBeUndefined();
    });
  });

  describe('JSON form against its JWT', () => {
    it.each([
      ['the subject', (form: any) => ({ ...form, credentialSubject: { ...form.credentialSubject, ageOver19: false } }), /credentialSubject"? differs/],
      ['an added subject claim', (form: any) => ({ ...form, credentialSubject: { ...form.credentialSubject, photoHash: `0x${'00'.repeat(32)}` } }), /credentialSubject"? differs/],
      ['the issuer', (form: any) => ({ ...form, issuer: { id: newIssuer().did } }), /issuer"? differs/],
      ['the issuer as a string', (form: any) => ({ ...form, issuer: newIssuer().did }), /issuer"? differs/],
      ['the type', (form: any) => ({ ...form, type: ['VerifiableCredential', 'EnrollmentStatus'] }), /type"? differs/],
    ])('refuses a JSON form whose %s differs from the signed JWT', async (_label, tamper, detail) => {
      const result = await verifier.verify(tamper(jsonForm(await sign())));
      expectFormatFailed(result, detail);
      expect(detailOf(result, 'format')).toMatch(/does not match its signed JWT/);
    });

    it.each([
      ['another type and a verificationMethod', { type: 'Ed25519Signature2020', verificationMethod: 'did:example:evil#k' }],
      ['an added verificationMethod', { verificationMethod: 'did:example:evil#k' }],
      ['an added created date', { created: '2026-01-01T00:00:00Z' }],
      ['no type', { type: undefined }],
    ])('refuses a JSON form whose proof has %s: it must be exactly {type: JwtProof2020, jwt}', async (_label, change) => {
      const form = jsonForm(await sign());
      const proof = JSON.parse(JSON.stringify({ ...form.proof, ...change }));
      expectFormatFailed(await verifier.verify({ ...form, proof }), /proof must be exactly/);
    });

    it('refuses a JSON form nested too deeply to compare, without throwing', async () => {
      const form = jsonForm(await sign());
      let deep: Record<string, unknown> = { leaf: true };
      for (let i = 0; i < 50_000; i += 1) deep = { a: deep };
      expectFormatFailed(await verifier.verify({ ...form, credentialSubject: deep }), /does not match its signed JWT|nested too deeply/);
    });

    it.each(['@context', 'type', 'issuer', 'credentialSubject', 'issuanceDate', 'expirationDate', 'id'])(
      'refuses a JSON form that leaves out %s, which the JWT signs: every signed member must be present and equal',
      async (member) => {
        const form: Record<string, unknown> = jsonForm(await sign({ claims: { jti: 'urn:uuid:6a0f3f2e-5d3c-4f8e-9a51-0c2b7d1e4f10' } }));
        expect(form[member], `the JSON form carries ${member}`).toBeDefined();
        const { [member]: _left, ...rest } = form;
        const result = await verifier.verify(rest);
        expectFormatFailed(result, /is signed but left out/);
        expect(detailOf(result, 'format')).toContain(member);
      },
    );
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

    it('skips the status check and warns when the credential with credentialStatus has a bad signature, fetching no list', async () => {
      const jwt = await sign({ credentialStatus: bitstringStatusListEntry({ listUrl: 'https://issuer.example/status-lists/r', index: 7, purpose: 'revocation' }) });
      const withStatus = rewriteJwt(jwt, { payload: (p) => ({ ...p, vc: { ...p.vc, credentialSubject: { ...p.vc.credentialSubject, name: '박민준' } } }) });
      const result = await verifier.verify(withStatus);
      expect(statusOf(result, 'signature')).toBe('failed');
      expect(statusOf(result, 'status')).toBe('skipped');
      expect(result.warnings).toEqual(['credential status was not checked']);
      expect(lists.asked).toEqual([]);
    });
  });

  describe('status lists', () => {
    const REVOCATION_URL = 'https://issuer.example/status-lists/revocation-1';
    const SUSPENSION_URL = 'https://issuer.example/status-lists/suspension-1';
    const INDEX = 4242;
    const entries = [
      bitstringStatusListEntry({ listUrl: REVOCATION_URL, index: INDEX, purpose: 'revocation' }),
      bitstringStatusListEntry({ listUrl: SUSPENSION_URL, index: INDEX, purpose: 'suspension' }),
    ];

    /** Publishes a list signed by `by` (default: the issuer, with its owner key) with the given indexes set. */
    async function publish(url: string, purpose: BitstringPurpose, set: number[] = [], options: { by?: Issuer; issuerDid?: string; validUntil?: Date } = {}): Promise<void> {
      const by = options.by ?? issuer;
      const bits = createBitstring();
      for (const index of set) bits.set(index, 1);
      const credential = bitstringStatusListCredential({ url, issuer: options.issuerDid ?? by.did, purpose, list: bits, validFrom: new Date(NOW.getTime() - 60_000), ...(options.validUntil ? { validUntil: options.validUntil } : {}) });
      const signer = new Secp256k1Signer({ privateKey: getBytes(by.wallet.privateKey), kid: `${options.issuerDid ?? by.did}#controller` });
      const signed = await vcJwtFormat.sign({ credential: credential as unknown as Record<string, unknown> }, signer);
      lists.answers.set(url, { kind: 'list', jwt: signed.encoded });
    }

    it('passes when neither list sets the entry, reading each list whole once', async () => {
      await publish(REVOCATION_URL, 'revocation', [INDEX + 1]);
      await publish(SUSPENSION_URL, 'suspension');
      const result = await verifier.verify(await sign({ credentialStatus: entries }));
      expectConsistent(result);
      expect(statusOf(result, 'status'), detailOf(result, 'status')).toBe('passed');
      expect(detailOf(result, 'status')).toMatch(/not revoked, not suspended/);
      expect(result.verified).toBe(true);
      expect(lists.asked.sort()).toEqual([REVOCATION_URL, SUSPENSION_URL]);
    });

    it('fails a revoked and a suspended credential, saying which', async () => {
      await publish(REVOCATION_URL, 'revocation', [INDEX]);
      await publish(SUSPENSION_URL, 'suspension');
      const revoked = await verifier.verify(await sign({ credentialStatus: entries }));
      expectConsistent(revoked);
      expect(statusOf(revoked, 'status')).toBe('failed');
      expect(detailOf(revoked, 'status')).toMatch(/^revoked:/);
      await publish(REVOCATION_URL, 'revocation');
      await publish(SUSPENSION_URL, 'suspension', [INDEX]);
      const suspended = await verifier.verify(await sign({ credentialStatus: entries }));
      expect(statusOf(suspended, 'status')).toBe('failed');
      expect(detailOf(suspended, 'status')).toMatch(/^suspended:/);
      expect(suspended.verified).toBe(false);
    });

    it('fails on a list that is not the issuer\'s: signed by another key, naming another issuer, expired', async () => {
      const stranger = newIssuer();
      resolver.add(stranger);
      await publish(SUSPENSION_URL, 'suspension');
      await publish(REVOCATION_URL, 'revocation', [], { by: stranger, issuerDid: issuer.did });
      const forged = await verifier.verify(await sign({ credentialStatus: entries }));
      expect(statusOf(forged, 'status')).toBe('failed');
      expect(detailOf(forged, 'status')).toMatch(/signature does not verify/);
      await publish(REVOCATION_URL, 'revocation', [], { by: stranger });
      const foreign = await verifier.verify(await sign({ credentialStatus: entries }));
      expect(detailOf(foreign, 'status')).toMatch(/someone other than the credential's issuer/);
      await publish(REVOCATION_URL, 'revocation', [], { validUntil: new Date(NOW.getTime() - 3_600_000) });
      const expired = await verifier.verify(await sign({ credentialStatus: entries }));
      expect(detailOf(expired, 'status')).toMatch(/expired/);
      lists.answers.set(REVOCATION_URL, { kind: 'list', jwt: 'not a jwt' });
      const garbage = await verifier.verify(await sign({ credentialStatus: entries }));
      expect(statusOf(garbage, 'status')).toBe('failed');
      lists.answers.set(REVOCATION_URL, { kind: 'refused', reason: 'the list URL answered 404' });
      const missing = await verifier.verify(await sign({ credentialStatus: entries }));
      expect(statusOf(missing, 'status')).toBe('failed');
      expect(detailOf(missing, 'status')).toContain('404');
    });

    it('answers 503 when a list cannot be fetched and everything else passes; fails when another check fails anyway', async () => {
      await publish(SUSPENSION_URL, 'suspension');
      lists.answers.set(REVOCATION_URL, { kind: 'unreachable', reason: 'the list server answered 503', retryAfterSeconds: 30 });
      await expect(verifier.verify(await sign({ credentialStatus: entries }))).rejects.toMatchObject({ code: 'service.unavailable', retryAfterSeconds: 30 });
      const failsAnyway = await verifier.verify(await sign({ credentialStatus: entries, claims: { nbf: NOW_S - 7_200, exp: NOW_S - 3_600 } }));
      expectConsistent(failsAnyway);
      expect(statusOf(failsAnyway, 'validity')).toBe('failed');
      expect(statusOf(failsAnyway, 'status')).toBe('failed');
      expect(detailOf(failsAnyway, 'status')).toMatch(/could not be checked: .*fails anyway/);
      // A revocation read from the other list decides without the unreachable one.
      await publish(SUSPENSION_URL, 'suspension', [INDEX]);
      const suspended = await verifier.verify(await sign({ credentialStatus: entries }));
      expect(detailOf(suspended, 'status')).toMatch(/^suspended:/);
    });

    it('fails, saying why, when the fetch guard refused a list URL: never verified without its status', async () => {
      await publish(SUSPENSION_URL, 'suspension');
      lists.answers.set(REVOCATION_URL, { kind: 'url-refused', reason: 'its host resolves to a private address' });
      const result = await verifier.verify(await sign({ credentialStatus: entries }));
      expectConsistent(result);
      expect(result.verified).toBe(false);
      expect(statusOf(result, 'status')).toBe('failed');
      expect(detailOf(result, 'status')).toBe("the issuer's revocation list was not fetched: its URL is refused (its host resolves to a private address)");
    });

    it('fetches no list for an issuer the city does not accredit: anyone can make a DID and sign', async () => {
      const stranger = newIssuer();
      resolver.add(stranger);
      const result = await verifier.verify(await sign({ by: stranger, credentialStatus: bitstringStatusListEntry({ listUrl: 'http://10.0.0.1/admin', index: 1, purpose: 'revocation' }) }));
      expect(statusOf(result, 'signature')).toBe('passed');
      expect(statusOf(result, 'issuer-accreditation')).toBe('failed');
      expect(statusOf(result, 'status')).toBe('skipped');
      expect(lists.asked).toEqual([]);
    });

    it('fails a credentialStatus with more entries than a city credential has, fetching nothing', async () => {
      const many = Array.from({ length: 9 }, (_, i) => bitstringStatusListEntry({ listUrl: `https://issuer.example/status-lists/${i}`, index: 1, purpose: 'revocation' }));
      const result = await verifier.verify(await sign({ credentialStatus: many }));
      expect(statusOf(result, 'status')).toBe('failed');
      expect(lists.asked).toEqual([]);
    });

    it('skips entries of other types with a warning naming the type', async () => {
      const result = await verifier.verify(await sign({ credentialStatus: { id: 'https://issuer.example/s#1', type: 'StatusList2021Entry', statusPurpose: 'revocation' } }));
      expectConsistent(result);
      expect(statusOf(result, 'status')).toBe('skipped');
      expect(result.warnings).toEqual([expect.stringContaining('StatusList2021Entry')]);
      expect(lists.asked).toEqual([]);
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

  });

  describe('anchor', () => {
    it('gives the anchor it found as data on a passed anchor check: root, block, its time, chain and contract', async () => {
      const jwt = await sign();
      const anchoredAt = new Date(NOW.getTime() - 30_000);
      const root = anchor(jwt, issuer.address, anchoredAt, 77);
      const result = await verifier.verify(jwt);
      expect(result.verified).toBe(true);
      const check = result.checks.find((c) => c.id === 'anchor')!;
      expect(check.anchor).toEqual({ root, blockNumber: 77, anchoredAt: '2026-03-02T08:59:30.000Z', chainId: CHAIN_ID, contract: ledger.anchorContract });
      // Only the anchor check carries it, and it says what the detail says in words.
      expect(result.checks.filter((c) => c.anchor !== undefined).map((c) => c.id)).toEqual(['anchor']);
      expect(check.detail).toBe(`anchored in root ${root} at block 77 (2026-03-02T08:59:30.000Z) on chain ${CHAIN_ID}`);
      // A presented proof that holds gives the same.
      expect((await verifier.verify(jwt, { anchorProof: { root, proof: [], leafIndex: 0 } })).checks.find((c) => c.id === 'anchor')!.anchor).toEqual(check.anchor);
    });

    it('gives no anchor data unless the anchor check passed: pending, failed, or issued after its anchoring block', async () => {
      const queued = await sign();
      proofs.answers.set(credentialHash(queued), { kind: 'pending', enqueuedAt: NOW });
      const pending = await verifier.verify(queued);
      expect(statusOf(pending, 'anchor')).toBe('pending');
      expect(pending.checks.some((c) => 'anchor' in c)).toBe(false);

      const forgedProof = await sign();
      const leaf = rootFromProof(credentialHash(forgedProof), []);
      const notOnChain = await verifier.verify(forgedProof, { anchorProof: { root: leaf, proof: [], leafIndex: 0 } });
      expect(statusOf(notOnChain, 'anchor')).toBe('failed');
      expect(notOnChain.checks.some((c) => 'anchor' in c)).toBe(false);

      // Dated after its root was on chain: the block is known (the signature is judged at it), the check failed.
      const predated = await sign({ claims: { nbf: NOW_S } });
      anchor(predated, issuer.address, new Date(NOW.getTime() - 3_600_000));
      const late = await verifier.verify(predated);
      expect(detailOf(late, 'anchor')).toMatch(/^issued after it was anchored/);
      expect(late.checks.some((c) => 'anchor' in c)).toBe(false);
    });

    it('is pending, and does not fail verification under the city policy, while the issuer says it is queued within the grace period', async () => {
      const jwt = await sign({ claims: { nbf: NOW_S - 60 } });
      const result = await verifier.verify(jwt);
      expectConsistent(result);
      expect(statusOf(result, 'anchor')).toBe('pending');
      expect(detailOf(result, 'anchor')).toMatch(/queued by the issuer/);
      expect(result.verified).toBe(true);
      expect(result.policy.id).toBe('city');
      expect(result.policy.accepted.anchor).toEqual(['passed', 'pending']);
    });

    it('does not count pending under the city-strict policy, and says so in errors', async () => {
      const jwt = await sign({ claims: { nbf: NOW_S - 60 } });
      const result = await verifier.verify(jwt, { policy: CITY_STRICT_POLICY });
      expectConsistent(result, CITY_STRICT_POLICY);
      expect(statusOf(result, 'anchor')).toBe('pending');
      expect(result.verified).toBe(false);
      expect(result.errors).toEqual([expect.stringMatching(/^anchor: pending is not accepted by policy city-strict: /)]);
      expect(result.policy).toEqual({ id: 'city-strict', accepted: expect.objectContaining({ anchor: ['passed'], status: ['passed', 'skipped'] }), acceptDelegates: false, requireCityIssuer: true });
      anchor(jwt);
      const anchored = await verifier.verify(jwt, { policy: CITY_STRICT_POLICY });
      expect(anchored.verified).toBe(true);
    });

    it('fails once the grace period after issuance is over', async () => {
      const jwt = await sign({ claims: { nbf: NOW_S - GRACE_S } });
      const result = await verifier.verify(jwt);
      expectConsistent(result);
      expect(statusOf(result, 'anchor')).toBe('failed');
      expect(detailOf(result, 'anchor')).toMatch(new RegExp(`still not anchored ${GRACE_S} s after it was queued`));
      expect(result.verified).toBe(false);
      expect(result.errors).toEqual([expect.stringMatching(/^anchor: /)]);
    });

    it("measures the grace period from the issuer's enqueuedAt when it is earlier than the nbf the signer chose", async () => {
      const jwt = await sign({ claims: { nbf: NOW_S - 60 } });
      proofs.answers.set(credentialHash(jwt), { kind: 'pending', enqueuedAt: new Date((NOW_S - GRACE_S) * 1000) });
      const result = await verifier.verify(jwt);
      expect(statusOf(result, 'anchor')).toBe('failed');
      expect(result.verified).toBe(false);
      proofs.answers.set(credentialHash(jwt), { kind: 'pending', enqueuedAt: new Date((NOW_S - GRACE_S + 120) * 1000) });
      expect(statusOf(await verifier.verify(jwt), 'anchor')).toBe('pending');
    });

    it('fails a queued credential once its issuer is no longer accredited for the type now, though it was at nbf', async () => {
      ledger.accreditations.length = 0;
      ledger.accredit(issuer.address, 'SeoulCitizenCard', new Date((NOW_S - 3_000) * 1000), new Date((NOW_S - 5) * 1000));
      const result = await verifier.verify(await sign({ claims: { nbf: NOW_S - 60 } }));
      expectConsistent(result);
      expect(statusOf(result, 'issuer-accreditation')).toBe('passed');
      expect(statusOf(result, 'anchor')).toBe('failed');
      expect(detailOf(result, 'anchor')).toMatch(/no longer accredited for SeoulCitizenCard/);
      expect(result.verified).toBe(false);
    });

    it("fails a proof from the issuer's service that does not lead to the root it names, even when that root is on chain", async () => {
      const jwt = await sign();
      const root = anchor(jwt);
      // The anchored root, named by a proof whose sibling leads somewhere else: hashed up, it cannot reach that root.
      proofs.answers.set(credentialHash(jwt), { kind: 'proof', proof: { root, proof: [`0x${'77'.repeat(32)}` as Hex32], leafIndex: 0 } });
      const result = await verifier.verify(jwt);
      expect(statusOf(result, 'anchor')).toBe('failed');
      expect(detailOf(result, 'anchor')).toMatch(/does not lead from .* to root/);
      // The same proof from a source that computed it from the whole batch is taken as leading to its root.
      proofs.answers.set(credentialHash(jwt), { kind: 'proof', proof: { root, proof: [], leafIndex: 0 }, rootComputedHere: true });
      expect(statusOf(await verifier.verify(jwt), 'anchor')).toBe('passed');
    });

    it('fails a presented proof whose root is on no chain, however fresh the credential (a leaked key cannot skip anchoring)', async () => {
      const jwt = await sign({ claims: { nbf: NOW_S } });
      const leaf = rootFromProof(credentialHash(jwt), []);
      proofs.answers.set(credentialHash(jwt), { kind: 'unknown' });
      const result = await verifier.verify(jwt, { anchorProof: { root: leaf, proof: [], leafIndex: 0 } });
      expectConsistent(result);
      expect(statusOf(result, 'signature')).toBe('passed');
      expect(statusOf(result, 'issuer-accreditation')).toBe('passed');
      expect(statusOf(result, 'anchor')).toBe('failed');
      expect(detailOf(result, 'anchor')).toContain(`root ${leaf} of the presented proof is not on chain`);
      expect(result.verified).toBe(false);
    });

    it("fails a proof served by the issuer whose root the chain does not know, even inside the grace period", async () => {
      const jwt = await sign({ claims: { nbf: NOW_S - 60 } });
      const root = anchor(jwt);
      ledger.roots.delete(`${issuer.address.toLowerCase()}:${root}`);
      const result = await verifier.verify(jwt);
      expectConsistent(result);
      expect(statusOf(result, 'anchor')).toBe('failed');
      expect(detailOf(result, 'anchor')).toContain(`root ${root} of the issuer's proof is not on chain`);
      expect(result.verified).toBe(false);
    });

    it('fails at once when the issuer has no record of the credential, even inside the grace period', async () => {
      const jwt = await sign({ claims: { nbf: NOW_S - 60 } });
      proofs.answers.set(credentialHash(jwt), { kind: 'unknown' });
      const result = await verifier.verify(jwt);
      expect(statusOf(result, 'anchor')).toBe('failed');
      expect(detailOf(result, 'anchor')).toMatch(/no record of a credential/);
    });

    it('fails at once when the issuer set the credential aside because the chain refused its batch', async () => {
      const jwt = await sign({ claims: { nbf: NOW_S - 60 } });
      proofs.answers.set(credentialHash(jwt), { kind: 'refused' });
      const result = await verifier.verify(jwt);
      expectConsistent(result);
      expect(statusOf(result, 'anchor')).toBe('failed');
      expect(detailOf(result, 'anchor')).toMatch(/refused to anchor/);
      expect(result.verified).toBe(false);
    });

    it('answers service.unavailable when the proof service cannot be reached and every other check passes, for a fresh credential as for an old one', async () => {
      for (const nbf of [NOW_S - 60, NOW_S - 2 * GRACE_S]) {
        const jwt = await sign({ claims: { nbf } });
        proofs.answers.set(credentialHash(jwt), { kind: 'unreachable', reason: 'ECONNREFUSED' });
        await expect(verifier.verify(jwt)).rejects.toMatchObject({ code: 'service.unavailable', message: expect.stringContaining('ECONNREFUSED') });
      }
    });

    it('answers verified:false, not service.unavailable, for an expired credential while the proof service cannot be reached', async () => {
      const jwt = await sign({ claims: { nbf: NOW_S - 2 * GRACE_S, exp: NOW_S - GRACE_S } });
      proofs.answers.set(credentialHash(jwt), { kind: 'unreachable', reason: 'ECONNREFUSED' });
      const result = await verifier.verify(jwt);
      expectConsistent(result);
      expect(result.verified).toBe(false);
      expect(statusOf(result, 'validity')).toBe('failed');
      expect(statusOf(result, 'anchor')).toBe('failed');
      expect(detailOf(result, 'anchor')).toMatch(/^could not be checked: .*ECONNREFUSED.*\(the credential fails anyway\)$/);
      // the signature is judged as of the anchoring block, which the proof service would have led to
      expect(statusOf(result, 'signature')).toBe('failed');
      expect(detailOf(result, 'signature')).toMatch(/^could not be checked: .*anchored in.*\(the credential fails anyway\)$/);
      expect(resolver.asked).toEqual([]);
    });

    it('answers verified:false for a schema-invalid credential while the proof service cannot be reached', async () => {
      const jwt = await sign({ credentialSubject: { ...subject, birthDate: 'spring 2001' } });
      proofs.answers.set(credentialHash(jwt), { kind: 'unreachable', reason: 'timeout' });
      const result = await verifier.verify(jwt);
      expectConsistent(result);
      expect(result.verified).toBe(false);
      expect(statusOf(result, 'schema')).toBe('failed');
      expect(detailOf(result, 'anchor')).toMatch(/^could not be checked: .*timeout.*fails anyway/);
    });

    it("says when to retry (the proof service's Retry-After) in the service.unavailable it throws", async () => {
      const jwt = await sign({ claims: { nbf: NOW_S - 60 } });
      proofs.answers.set(credentialHash(jwt), { kind: 'unreachable', reason: 'proof service answered 429', retryAfterSeconds: 10 });
      await expect(verifier.verify(jwt)).rejects.toMatchObject({ code: 'service.unavailable', retryAfterSeconds: 10 });
    });

    it('fails when the root was anchored only by someone else: it is not on chain for this issuer', async () => {
      const jwt = await sign();
      const root = anchor(jwt, newIssuer().address);
      const result = await verifier.verify(jwt);
      expect(statusOf(result, 'anchor')).toBe('failed');
      expect(detailOf(result, 'anchor')).toContain(`root ${root} of the issuer's proof is not on chain for the issuer ${issuer.address}`);
      expect(result.verified).toBe(false);
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

    it('fails a credential issued after it was anchored (beyond the clock skew): a leaked key cannot pre-date, anchor, then outlive a rotation', async () => {
      const anchoredAt = new Date((NOW_S - 600) * 1000);
      // Dated 75 s after its anchoring block, under every policy, with the issuer's own (then current) key.
      const predated = await sign({ claims: { nbf: NOW_S - 525 } });
      const root = anchor(predated, issuer.address, anchoredAt, 42);
      for (const policy of [CITY_POLICY, CITY_STRICT_POLICY]) {
        const result = await verifier.verify(predated, { policy });
        expectConsistent(result, policy);
        expect(result.verified).toBe(false);
        expect(statusOf(result, 'signature')).toBe('passed');
        expect(result.errors.map((e) => e.split(':')[0])).toEqual(['anchor']);
        expect(detailOf(result, 'anchor')).toBe(
          `issued after it was anchored: issuance date ${new Date((NOW_S - 525) * 1000).toISOString()} is later than root ${root}'s anchoring at ${anchoredAt.toISOString()}`,
        );
      }
      expect(statusOf(await verifier.verify(predated, { anchorProof: { root, proof: [], leafIndex: 0 } }), 'anchor')).toBe('failed');
      // Within the clock skew of the anchoring block it still counts.
      const skewed = await sign({ claims: { nbf: NOW_S - 600 + SKEW_S } });
      anchor(skewed, issuer.address, anchoredAt, 42);
      expect((await verifier.verify(skewed, { policy: CITY_STRICT_POLICY })).verified).toBe(true);
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

    it('verifies with a presented proof whose root is on chain while the proof service cannot be reached', async () => {
      const jwt = await sign();
      const root = anchor(jwt);
      proofs.answers.set(credentialHash(jwt), { kind: 'unreachable', reason: 'ECONNREFUSED' });
      const result = await verifier.verify(jwt, { anchorProof: { root, proof: [], leafIndex: 0 } });
      expect(statusOf(result, 'anchor')).toBe('passed');
      expect(result.verified).toBe(true);
    });

    it('answers service.unavailable when the anchor contract cannot be read', async () => {
      const jwt = await sign();
      anchor(jwt);
      // the registry answers, the anchor contract does not
      ledger.findAnchor = async () => {
        throw connectionRefused();
      };
      await expect(verifier.verify(jwt)).rejects.toMatchObject({ code: 'service.unavailable' });
      // a credential that fails anyway is a result: its anchor could not be checked, and that is said
      clock.set(new Date((NOW_S + 6 * 365 * 86_400) * 1000));
      const expired = await verifier.verify(jwt);
      expectConsistent(expired);
      expect(expired.verified).toBe(false);
      expect(statusOf(expired, 'anchor')).toBe('failed');
      expect(detailOf(expired, 'anchor')).toBe('could not be checked: the city chain is not answering (the credential fails anyway)');
    });
  });

  describe("the issuer's keys as of the anchoring block (key rotation, delegates)", () => {
    /** A fresh key, signing under the accredited issuer's DID (a new owner after a rotation, or a delegate). */
    const keyOf = (wallet: Issuer['wallet']): Issuer => ({ wallet, address: wallet.address, did: issuer.did });
    const signer = () => keyOf(Wallet.createRandom());

    it('resolves the issuer DID at the block its anchor landed in: a credential anchored before a rotation keeps verifying', async () => {
      const jwt = await sign();
      anchor(jwt, issuer.address, undefined, 42);
      resolver.changeOwner(issuer, 50, Wallet.createRandom().address);
      const result = await verifier.verify(jwt);
      expectConsistent(result);
      expect(result.verified).toBe(true);
      expect(detailOf(result, 'signature')).toBe(`ES256K signature by ${issuer.did}#controller, keys as of block 42, when it was anchored`);
      expect(resolver.asked).toEqual([`${issuer.did}?versionId=42`]);
    });

    it('fails a credential signed with the old key after the rotation, pending or anchored by the new owner', async () => {
      const next = signer();
      resolver.changeOwner(issuer, 50, next.address);
      const jwt = await sign({ claims: { nbf: NOW_S - 60 } });
      const pending = await verifier.verify(jwt);
      expectConsistent(pending);
      expect(statusOf(pending, 'anchor')).toBe('pending');
      expect(statusOf(pending, 'signature')).toBe('failed');
      expect(detailOf(pending, 'signature')).toBe("signature does not verify against the issuer DID's owner key (policy city accepts no delegate), keys as of now (the credential is not anchored)");
      expect(resolver.asked).toEqual([issuer.did]);
      anchor(jwt, issuer.address, undefined, 60);
      const anchored = await verifier.verify(jwt);
      expect(statusOf(anchored, 'anchor')).toBe('passed');
      expect(statusOf(anchored, 'signature')).toBe('failed');
      expect(detailOf(anchored, 'signature')).toContain('keys as of block 60, when it was anchored');
      expect(anchored.verified).toBe(false);
      // The new owner's credential, anchored after the rotation, verifies.
      const fresh = await sign({ by: next, claims: { nbf: NOW_S - 60 } });
      anchor(fresh, issuer.address, undefined, 60);
      const renewed = await verifier.verify(fresh);
      expect(renewed.verified).toBe(true);
      expect(detailOf(renewed, 'signature')).toBe(`ES256K signature by ${issuer.did}#controller, keys as of block 60, when it was anchored`);
    });

    it("accepts a delegate's signature only under a policy that allows delegates, and only while the delegate was valid at the anchoring block", async () => {
      const delegate = signer();
      resolver.addDelegate(issuer, delegate.address, 10, 100);
      const inTime = await sign({ by: delegate });
      anchor(inTime, issuer.address, undefined, 42);
      const city = await verifier.verify(inTime);
      expectConsistent(city);
      expect(statusOf(city, 'signature')).toBe('failed');
      expect(detailOf(city, 'signature')).toContain('policy city accepts no delegate');
      const strict = await verifier.verify(inTime, { policy: CITY_STRICT_POLICY });
      expect(statusOf(strict, 'signature')).toBe('failed');
      const delegates = await verifier.verify(inTime, { policy: CITY_DELEGATES_POLICY });
      expectConsistent(delegates, CITY_DELEGATES_POLICY);
      expect(delegates.verified).toBe(true);
      expect(detailOf(delegates, 'signature')).toBe(`ES256K signature by ${issuer.did}#delegate-1, keys as of block 42, when it was anchored`);
      // An owner change does not move what was valid at block 42.
      resolver.changeOwner(issuer, 50, Wallet.createRandom().address);
      expect((await verifier.verify(inTime, { policy: CITY_DELEGATES_POLICY })).verified).toBe(true);
      // Anchored after the delegate's validity ended: no longer a key of the issuer at that block.
      const late = await sign({ by: delegate, claims: { nbf: NOW_S - 120 } });
      anchor(late, issuer.address, undefined, 100);
      const expired = await verifier.verify(late, { policy: CITY_DELEGATES_POLICY });
      expect(statusOf(expired, 'signature')).toBe('failed');
      expect(detailOf(expired, 'signature')).toBe("signature does not verify against the issuer DID's owner key or a delegate valid then, keys as of block 100, when it was anchored");
    });
  });

  describe('what may be called an outage', () => {
    it('rethrows a chain error that is not a transport failure as it is, never as service.unavailable', async () => {
      const jwt = await sign();
      anchor(jwt);
      let argumentError: unknown;
      try {
        AbiCoder.defaultAbiCoder().encode(['uint64'], [-1n]);
      } catch (error) {
        argumentError = error;
      }
      expect(argumentError).toMatchObject({ code: 'INVALID_ARGUMENT' });
      ledger.isAccredited = async () => {
        throw argumentError;
      };
      await expect(verifier.verify(jwt)).rejects.toBe(argumentError);
    });

    it('answers service.unavailable when the registry cannot be read, unless another check already fails the credential', async () => {
      const jwt = await sign();
      ledger.down = true;
      await expect(verifier.verify(jwt)).rejects.toMatchObject({ code: 'service.unavailable' });
      const result = await verifier.verify(await sign({ credentialSubject: { ...subject, birthDate: 'spring 2001' } }));
      expectConsistent(result);
      expect(result.verified).toBe(false);
      expect(statusOf(result, 'issuer-accreditation')).toBe('failed');
      expect(detailOf(result, 'issuer-accreditation')).toMatch(/^could not be checked: .*fails anyway/);
    });


    it('fails a signature that does not verify, without asking whether the chain is up', async () => {
      // the issuer's DID document resolves, but lists no key: did-jwt answers no_suitable_keys, not invalid_signature
      resolver.resolve = async (didUrl) => ({
        didResolutionMetadata: {},
        didDocumentMetadata: {},
        didDocument: { '@context': ['https://www.w3.org/ns/did/v1'], id: didUrl.split('#')[0]!, verificationMethod: [], assertionMethod: [] },
      });
      ledger.isUp = async () => false;
      const result = await verifier.verify(await sign());
      expect(statusOf(result, 'signature')).toBe('failed');
      expect(detailOf(result, 'signature')).toMatch(/does not verify/);
    });

    it("answers service.unavailable when the issuer's DID cannot be resolved because the chain is down", async () => {
      resolver.resolve = async () => {
        throw connectionRefused();
      };
      ledger.isUp = async () => false;
      const jwt = await sign();
      await expect(verifier.verify(jwt)).rejects.toMatchObject({ code: 'service.unavailable' });
      const expired = await sign({ claims: { nbf: NOW_S - 2 * GRACE_S, exp: NOW_S - GRACE_S } });
      anchor(expired);
      const result = await verifier.verify(expired);
      expectConsistent(result);
      expect(statusOf(result, 'signature')).toBe('failed');
      expect(detailOf(result, 'signature')).toMatch(/^could not be checked: .*DID.*fails anyway/);
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

/** The checksummed address with the case of its first hex letter flipped (so its EIP-55 checksum no longer holds). */
function flipFirstLetterCase(address: string): string {
  const i = [...address].findIndex((c, k) => k > 1 && /[a-fA-F]/.test(c));
  if (i < 0) throw new Error('an address without hex letters cannot carry a checksum');
  const c = address[i]!;
  return `${address.slice(0, i)}${c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()}${address.slice(i + 1)}`;
}
