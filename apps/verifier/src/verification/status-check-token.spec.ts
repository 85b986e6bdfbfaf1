import type { AnchorLedger } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import { NodeSignatureCrypto, Secp256k1Signer } from '@citycred/did';
import { didJwkOf, signCompactJws, type PublicJwk, type JwsSigner } from '@citycred/formats';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { createTokenStatusList, statusListTokenPayload, TokenStatus } from '@citycred/status-list';
import type { DIDResolutionResult, Resolvable } from 'did-resolver';
import { getBytes, Wallet } from 'ethers';
import { beforeEach, describe, expect, it } from 'vitest';
import { CredentialStatusCheck, type StatusOutcome } from './status-check.js';
import type { StatusListAnswer, StatusListSource } from './status-list-source.js';

/*
 * Unit test of CredentialStatusCheck.checkToken (IETF Token Status List, as SD-JWT VCs reference it). The list source
 * and the DID resolver are in-memory stand-ins for the ports; tokens are signed for real with the issuer's secp256k1
 * key and checked with the verifier's NodeSignatureCrypto. The HTTP list source has its own spec.
 */

const CHAIN_ID = 31337;
const NOW = new Date('2026-03-02T09:00:00Z');
const SKEW_S = 60;
const URI = 'https://issuer.example/status-lists/token-1';
const OTHER_URI = 'https://issuer.example/status-lists/token-2';
/** Entries of the lists these tests publish (2 bits each: 256 bytes). */
const ENTRIES = 1024;
const INDEX = 777;
const OWNER_ONLY = { acceptDelegates: false };

/** A did:ethr identity on the city network with a fresh secp256k1 key. */
function newIdentity() {
  const wallet = Wallet.createRandom();
  return { wallet, address: wallet.address, did: `did:ethr:citycred:${wallet.address}` };
}
type Identity = ReturnType<typeof newIdentity>;

/**
 * Resolves the DIDs it was given as ethr-did-resolver does an address DID: `#controller` is the owner's address,
 * each delegate a `#delegate-N`. `down` makes it answer like ethr-did-resolver on a chain that does not answer.
 */
class InMemoryResolver implements Resolvable {
  readonly known = new Map<string, { owner: string; delegates: string[] }>();
  down = false;

  add(identity: Identity, delegates: string[] = []): void {
    this.known.set(identity.did, { owner: identity.address, delegates });
  }

  async resolve(didUrl: string): Promise<DIDResolutionResult> {
    const did = didUrl.split(/[?#]/)[0]!;
    const entry = this.known.get(did);
    if (this.down || !entry) return { didResolutionMetadata: { error: 'notFound' }, didDocument: null, didDocumentMetadata: {} };
    const controller = `${did}#controller`;
    const delegates = entry.delegates.map((address, i) => ({ id: `${did}#delegate-${i + 1}`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: `eip155:${CHAIN_ID}:${address}` }));
    return {
      didResolutionMetadata: { contentType: 'application/did+ld+json' },
      didDocumentMetadata: {},
      didDocument: {
        '@context': ['https://www.w3.org/ns/did/v1'],
        id: did,
        verificationMethod: [{ id: controller, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: `eip155:${CHAIN_ID}:${entry.owner}` }, ...delegates],
        authentication: [controller],
        assertionMethod: [controller, ...delegates.map((d) => d.id)],
      },
    };
  }
}

/** Serves the bodies it was given per URL, `unreachable` for any other; records the URLs asked for. */
class InMemoryStatusListSource implements StatusListSource {
  readonly answers = new Map<string, StatusListAnswer>();
  readonly asked: string[] = [];

  async fetchList(url: string): Promise<StatusListAnswer> {
    this.asked.push(url);
    return this.answers.get(url) ?? { kind: 'unreachable', reason: 'the list server could not be reached' };
  }
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const detailOf = (outcome: StatusOutcome) => ('detail' in outcome ? outcome.detail : `outage: ${outcome.outage.why}`);

describe('CredentialStatusCheck.checkToken (IETF Token Status List)', () => {
  let clock: FixedClock;
  let resolver: InMemoryResolver;
  let chain: { down: boolean } & Pick<AnchorLedger, 'isUp'>;
  let lists: InMemoryStatusListSource;
  let check: CredentialStatusCheck;
  let issuer: Identity;

  beforeEach(() => {
    clock = new FixedClock(NOW);
    resolver = new InMemoryResolver();
    chain = {
      down: false,
      async isUp() {
        return !this.down;
      },
    };
    lists = new InMemoryStatusListSource();
    check = new CredentialStatusCheck(resolver, chain, lists, new NodeSignatureCrypto(), clock, { clockSkewSeconds: SKEW_S });
    issuer = newIdentity();
    resolver.add(issuer);
  });

  /**
   * Signs a status list token about `uri` (default {@link URI}) with `statuses` set, as the issuer serves it: typ
   * `statuslist+jwt`, signed by `by` (default: the issuer's owner key) naming `kid`, issued a minute before NOW.
   */
  async function token(
    options: {
      uri?: string;
      statuses?: Record<number, number>;
      by?: Identity;
      kid?: string;
      header?: Record<string, unknown>;
      issuedAt?: Date;
      expiresAt?: Date;
      payload?: (payload: Record<string, unknown>) => Record<string, unknown>;
    } = {},
  ): Promise<string> {
    const list = createTokenStatusList(2, ENTRIES);
    for (const [index, value] of Object.entries(options.statuses ?? {})) list.set(Number(index), value);
    const base = statusListTokenPayload({
      uri: options.uri ?? URI,
      issuedAt: options.issuedAt ?? new Date(NOW.getTime() - 60_000),
      list,
      ttlSeconds: 300,
      ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
    }) as unknown as Record<string, unknown>;
    const payload = options.payload ? options.payload(base) : base;
    const by = options.by ?? issuer;
    const signer = new Secp256k1Signer({ privateKey: getBytes(by.wallet.privateKey), kid: options.kid ?? `${issuer.did}#controller` });
    return signCompactJws({ alg: 'ES256K', typ: 'statuslist+jwt', kid: signer.kid, ...options.header }, payload, signer);
  }

  async function publish(options: Parameters<typeof token>[0] = {}): Promise<void> {
    lists.answers.set(options.uri ?? URI, { kind: 'list', jwt: await token(options) });
  }

  function checkIndex(index = INDEX, uri = URI, rule = OWNER_ONLY): Promise<StatusOutcome> {
    return check.checkToken({ references: [{ uri, index }], issuerDid: issuer.did, rule });
  }

  describe('reads the entry of a token the issuer signed', () => {
    it('passes a VALID entry, having fetched the whole token once from the URI the credential names', async () => {
      await publish({ statuses: { [INDEX + 1]: TokenStatus.Invalid, [INDEX - 1]: TokenStatus.Suspended } });
      const outcome = await checkIndex();
      expect(outcome).toEqual({ status: 'passed', detail: "not revoked or suspended: read from the issuer's signed status list token", warnings: [] });
      expect(lists.asked).toEqual([URI]);
    });

    it('fails an INVALID entry as revoked', async () => {
      await publish({ statuses: { [INDEX]: TokenStatus.Invalid } });
      const outcome = await checkIndex();
      expect(outcome).toMatchObject({ status: 'failed', warnings: [] });
      expect(detailOf(outcome)).toMatch(/^revoked: /);
    });

    it('fails a SUSPENDED entry as suspended', async () => {
      await publish({ statuses: { [INDEX]: TokenStatus.Suspended } });
      const outcome = await checkIndex();
      expect(outcome).toMatchObject({ status: 'failed' });
      expect(detailOf(outcome)).toMatch(/^suspended: /);
    });

    it('fails a status value it does not know (3), naming the value', async () => {
      await publish({ statuses: { [INDEX]: 3 } });
      const outcome = await checkIndex();
      expect(outcome).toMatchObject({ status: 'failed' });
      expect(detailOf(outcome)).toMatch(/cannot be read from its status list token: Status value 3/);
    });

    it('fails an index beyond the list, and reads the last entry that is in it', async () => {
      await publish({ statuses: { [ENTRIES - 1]: TokenStatus.Invalid } });
      const outside = await checkIndex(ENTRIES);
      expect(outside).toMatchObject({ status: 'failed' });
      expect(detailOf(outside)).toMatch(new RegExp(`Index ${ENTRIES} is outside the list of ${ENTRIES} entries`));
      expect(detailOf(await checkIndex(ENTRIES - 1))).toMatch(/^revoked: /);
    });

    it('accepts a delegate’s signature only when the policy lets delegates sign', async () => {
      const delegate = newIdentity();
      resolver.add(issuer, [delegate.address]);
      await publish({ by: delegate, kid: `${issuer.did}#delegate-1` });
      expect(await checkIndex(INDEX, URI, { acceptDelegates: true })).toMatchObject({ status: 'passed' });
      const ownerOnly = await checkIndex(INDEX, URI, OWNER_ONLY);
      expect(ownerOnly).toMatchObject({ status: 'failed' });
      expect(detailOf(ownerOnly)).toMatch(/signature does not verify/);
    });

    it('reads the token of a did:jwk issuer (the open policy) with the key its DID is, and refuses one another key signed', async () => {
      /** A P-256 key and its did:jwk. */
      const p256Key = () => {
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const { kty, crv, x, y } = publicKey.export({ format: 'jwk' }) as PublicJwk;
        const did = didJwkOf({ kty, crv, x, y });
        const signer: JwsSigner = { alg: 'ES256', kid: `${did}#0`, sign: (input) => nodeSign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' }) };
        return { did, signer };
      };
      type P256Key = ReturnType<typeof p256Key>;
      const jwkIssuer = p256Key();
      const sign = async (by: P256Key, statuses: Record<number, number>) => {
        const list = createTokenStatusList(2, ENTRIES);
        for (const [index, value] of Object.entries(statuses)) list.set(Number(index), value);
        const payload = statusListTokenPayload({ uri: URI, issuedAt: new Date(NOW.getTime() - 60_000), list, ttlSeconds: 300 }) as unknown as Record<string, unknown>;
        return signCompactJws({ alg: 'ES256', typ: 'statuslist+jwt', kid: `${jwkIssuer.did}#0` }, payload, by.signer);
      };
      lists.answers.set(URI, { kind: 'list', jwt: await sign(jwkIssuer, { [INDEX]: TokenStatus.Invalid }) });
      const revoked = await check.checkToken({ references: [{ uri: URI, index: INDEX }], issuerDid: jwkIssuer.did, rule: OWNER_ONLY });
      expect(detailOf(revoked)).toMatch(/^revoked: /);
      expect(await check.checkToken({ references: [{ uri: URI, index: INDEX + 1 }], issuerDid: jwkIssuer.did, rule: OWNER_ONLY })).toMatchObject({ status: 'passed' });

      // A fresh check (nothing cached) fetching a token someone else signed in the issuer's name.
      const forgedLists = new InMemoryStatusListSource();
      forgedLists.answers.set(URI, { kind: 'list', jwt: await sign(p256Key(), {}) });
      const forged = new CredentialStatusCheck(resolver, chain, forgedLists, new NodeSignatureCrypto(), clock, { clockSkewSeconds: SKEW_S });
      const outcome = await forged.checkToken({ references: [{ uri: URI, index: INDEX }], issuerDid: jwkIssuer.did, rule: OWNER_ONLY });
      expect(outcome).toMatchObject({ status: 'failed' });
      expect(detailOf(outcome)).toMatch(/signature does not verify/);
    });

    it('fetches a token two references name once, and fails when either entry is set', async () => {
      await publish({ statuses: { 5: TokenStatus.Suspended } });
      const outcome = await check.checkToken({ references: [{ uri: URI, index: INDEX }, { uri: URI, index: 5 }], issuerDid: issuer.did, rule: OWNER_ONLY });
      expect(detailOf(outcome)).toMatch(/^suspended: /);
      expect(lists.asked).toEqual([URI]);
    });
  });

  describe('trusts only the issuer’s own, current token', () => {
    it.each([
      ['no typ', { typ: undefined }],
      ['typ JWT', { typ: 'JWT' }],
      ['typ vc+jwt (a bitstring list credential’s)', { typ: 'vc+jwt' }],
    ])('fails a token with %s, without repeating it', async (_label, header) => {
      await publish({ header });
      const outcome = await checkIndex();
      expect(outcome).toMatchObject({ status: 'failed' });
      expect(detailOf(outcome)).toBe("the issuer's status list token cannot be trusted: its typ is not statuslist+jwt");
    });

    it('fails a token signed by another key, even when its header carries that key', async () => {
      const stranger = newIdentity();
      resolver.add(stranger);
      const jwk = { kty: 'EC', crv: 'secp256k1', x: 'AA', y: 'AA' };
      await publish({ by: stranger, header: { jwk } });
      const outcome = await checkIndex();
      expect(outcome).toMatchObject({ status: 'failed' });
      expect(detailOf(outcome)).toMatch(/cannot be trusted: its signature does not verify against the issuer DID's keys/);
    });

    it('fails a token whose signature was kept while its list was changed', async () => {
      const revoked = await token({ statuses: { [INDEX]: TokenStatus.Invalid } });
      const cleared = await token();
      const [header, payload] = cleared.split('.') as [string, string];
      lists.answers.set(URI, { kind: 'list', jwt: `${header}.${payload}.${revoked.split('.')[2]!}` });
      expect(detailOf(await checkIndex())).toMatch(/signature does not verify/);
    });

    it('fails a token about another list: its sub is not the URI the credential names', async () => {
      lists.answers.set(URI, { kind: 'list', jwt: await token({ uri: OTHER_URI }) });
      const outcome = await checkIndex();
      expect(outcome).toMatchObject({ status: 'failed' });
      expect(detailOf(outcome)).toMatch(/its sub is not the URI the credential names/);
      expect(detailOf(outcome)).not.toContain(OTHER_URI);
    });

    it('fails a token naming another issuer in iss', async () => {
      const stranger = newIdentity();
      await publish({ payload: (p) => ({ ...p, iss: stranger.did }) });
      expect(detailOf(await checkIndex())).toMatch(/issued by someone other than the credential's issuer/);
      await publish({ payload: (p) => ({ ...p, iss: issuer.did }) });
      expect(await checkIndex()).toMatchObject({ status: 'passed' });
    });

    it('fails an expired token, beyond the clock skew; accepts one expired within it', async () => {
      await publish({ issuedAt: new Date(NOW.getTime() - 3_600_000), expiresAt: new Date(NOW.getTime() - (SKEW_S + 1) * 1000) });
      const expired = await checkIndex();
      expect(expired).toMatchObject({ status: 'failed' });
      expect(detailOf(expired)).toBe(`the issuer's status list token cannot be trusted: it expired at ${new Date(NOW.getTime() - (SKEW_S + 1) * 1000).toISOString()}`);
      await publish({ issuedAt: new Date(NOW.getTime() - 3_600_000), expiresAt: new Date(NOW.getTime() - (SKEW_S - 1) * 1000) });
      expect(await checkIndex()).toMatchObject({ status: 'passed' });
    });

    it('fails a token issued in the future beyond the clock skew; accepts one within it', async () => {
      await publish({ issuedAt: new Date(NOW.getTime() + (SKEW_S + 1) * 1000) });
      expect(detailOf(await checkIndex())).toMatch(/cannot be trusted: it is issued in the future/);
      await publish({ issuedAt: new Date(NOW.getTime() + (SKEW_S - 1) * 1000) });
      expect(await checkIndex()).toMatchObject({ status: 'passed' });
    });

    it.each([
      ['without iat', (p: Record<string, unknown>) => ({ ...p, iat: undefined }), /its iat is not a NumericDate/],
      ['with iat as a string', (p: Record<string, unknown>) => ({ ...p, iat: '2026-03-02T09:00:00Z' }), /its iat is not a NumericDate/],
      ['with exp beyond any date', (p: Record<string, unknown>) => ({ ...p, exp: 1e300 }), /its exp is not a NumericDate/],
    ])('fails a token %s, without throwing', async (_label, payload, detail) => {
      await publish({ payload });
      const outcome = await checkIndex();
      expect(outcome).toMatchObject({ status: 'failed' });
      expect(detailOf(outcome)).toMatch(detail);
    });

    it.each([
      ['not base64url', { bits: 2, lst: '***' }],
      ['not ZLIB', { bits: 2, lst: b64url('not compressed') }],
      ['with bits 3', { bits: 3, lst: 'eNrLZGAAAADXAFw' }],
      ['missing', undefined],
    ])('fails a signed token whose status_list is %s', async (_label, statusList) => {
      await publish({ payload: (p) => ({ ...p, status_list: statusList }) });
      const outcome = await checkIndex();
      expect(outcome).toMatchObject({ status: 'failed' });
      expect(detailOf(outcome)).toMatch(/^the credential's entry cannot be read from its status list token: /);
    });

    it.each([
      ['not a JWT', 'not a jwt'],
      ['an empty body', ''],
      ['a JWS with alg none', `${b64url({ alg: 'none', typ: 'statuslist+jwt' })}.${b64url({ sub: URI })}.`],
      ['a JWS whose payload is not JSON', `${b64url({ alg: 'ES256K', typ: 'statuslist+jwt' })}.${Buffer.from('{nope').toString('base64url')}.${Buffer.alloc(64).toString('base64url')}`],
    ])('fails a body that is %s', async (_label, jwt) => {
      lists.answers.set(URI, { kind: 'list', jwt });
      const outcome = await checkIndex();
      expect(outcome).toMatchObject({ status: 'failed' });
      expect(detailOf(outcome)).toMatch(/cannot be trusted: it is not a compact JWS \(format\./);
    });

    it('fails when the issuer DID cannot be resolved while the chain answers', async () => {
      await publish();
      resolver.known.delete(issuer.did);
      expect(detailOf(await checkIndex())).toMatch(/the issuer's DID document could not be resolved/);
    });
  });

  describe('fetching', () => {
    it('is an outage when the token cannot be fetched, passing on when to retry', async () => {
      lists.answers.set(URI, { kind: 'unreachable', reason: 'the list server answered 503', retryAfterSeconds: 30 });
      expect(await checkIndex()).toEqual({ outage: { why: "the issuer's status list cannot be fetched (the list server answered 503)", retryAfterSeconds: 30 }, warnings: [] });
    });

    it('is an outage when the issuer DID cannot be resolved because the chain does not answer', async () => {
      await publish();
      resolver.down = true;
      chain.down = true;
      expect(await checkIndex()).toMatchObject({ outage: { why: expect.stringMatching(/city chain is not answering/) } });
    });

    it('fails when the list URL is refused, saying why', async () => {
      lists.answers.set(URI, { kind: 'refused', reason: 'the list URL answered 404' });
      const outcome = await checkIndex();
      expect(outcome).toEqual({ status: 'failed', detail: "the issuer's status list token cannot be trusted: the list URL answered 404", warnings: [] });
    });

    it('fails, saying so, when the fetch guard refused the token URL: the credential names a list nobody may check', async () => {
      lists.answers.set(URI, { kind: 'url-refused', reason: 'it names a link-local address' });
      expect(await checkIndex()).toEqual({ status: 'failed', detail: "the issuer's status list token was not fetched: its URL is refused (it names a link-local address)", warnings: [] });
    });

    it('lets a revocation read from one token decide while another cannot be fetched', async () => {
      await publish({ statuses: { [INDEX]: TokenStatus.Invalid } });
      const outcome = await check.checkToken({ references: [{ uri: OTHER_URI, index: 1 }, { uri: URI, index: INDEX }], issuerDid: issuer.did, rule: OWNER_ONLY });
      expect(detailOf(outcome)).toMatch(/^revoked: /);
      await publish();
      expect(await check.checkToken({ references: [{ uri: OTHER_URI, index: 1 }, { uri: URI, index: INDEX }], issuerDid: issuer.did, rule: OWNER_ONLY })).toHaveProperty('outage');
    });
  });

  describe('references', () => {
    it('skips a credential that names no token, fetching nothing', async () => {
      expect(await check.checkToken({ references: [], issuerDid: issuer.did, rule: OWNER_ONLY })).toEqual({ status: 'skipped', detail: 'the credential names no status list token', warnings: [] });
      expect(lists.asked).toEqual([]);
    });

    it('fails more references than a city credential has, fetching nothing', async () => {
      const many = Array.from({ length: 9 }, (_, i) => ({ uri: `https://issuer.example/status-lists/${i}`, index: 1 }));
      expect(await check.checkToken({ references: many, issuerDid: issuer.did, rule: OWNER_ONLY })).toMatchObject({ status: 'failed' });
      expect(lists.asked).toEqual([]);
    });

    it.each([
      ['a negative index', [{ uri: URI, index: -1 }]],
      ['a fractional index', [{ uri: URI, index: 1.5 }]],
      ['an index as a string', [{ uri: URI, index: '1' }]],
      ['no uri', [{ index: 1 }]],
      ['null', [null]],
      ['no list at all', { uri: URI, index: 1 }],
    ])('fails %s without throwing or fetching', async (_label, references) => {
      const outcome = await check.checkToken({ references: references as never, issuerDid: issuer.did, rule: OWNER_ONLY });
      expect(outcome).toMatchObject({ status: 'failed', warnings: [] });
      expect(lists.asked).toEqual([]);
    });
  });
});
