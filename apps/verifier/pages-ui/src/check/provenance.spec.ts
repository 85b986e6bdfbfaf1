import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { anchoringOf, issuerNameFor, nameIn, readIssuerDirectory } from './provenance.js';

const key = new Wallet('0x' + '11'.repeat(32));
/** The demo issuer's DID in public-key form, as the issuer signs; its address computed by ethers, not by the page's code. */
const KEY_DID = `did:ethr:citycred:${key.signingKey.compressedPublicKey}`;
const ADDRESS_DID = `did:ethr:citycred:${key.address}`;
const SEOUL = { ko: '서울특별시 주민등록과', en: 'Seoul Metropolitan Government — Resident Registration' };

/** A `GET /check/issuers` answer naming the issuer under `did`. */
function directory(did: string, name: { ko: string; en: string | null } = SEOUL) {
  return { didNetwork: 'citycred', readAt: '2026-03-02T09:00:00.000Z', block: 12, directoryFetchedAt: '2026-03-02T08:58:00.000Z', issuers: [{ did, address: key.address, kind: 'department', name }] };
}

/** A verifier answer with every check passed except the ones given, the anchor check with `anchor` when given. */
function answer(changes: Record<string, string> = {}, anchor?: unknown) {
  const ids = ['format', 'signature', 'validity', 'schema', 'status', 'issuer-accreditation', 'anchor'];
  return { verified: true, checks: ids.map((id) => ({ id, status: changes[id] ?? 'passed', detail: '', ...(id === 'anchor' && anchor !== undefined ? { anchor } : {}) })) };
}

describe("the issuer's name on the check page (docs/certificates.md, Issuer names)", () => {
  it('finds the issuer by its DID, else by the address its did:ethr names', () => {
    expect(issuerNameFor(readIssuerDirectory(directory(KEY_DID)), answer(), KEY_DID)).toEqual(SEOUL);
    // The directory lists the public-key DID; a credential naming the address DID (or the other way round) is the same issuer.
    expect(issuerNameFor(readIssuerDirectory(directory(KEY_DID)), answer(), ADDRESS_DID)).toEqual(SEOUL);
    expect(issuerNameFor(readIssuerDirectory(directory(ADDRESS_DID)), answer(), KEY_DID)).toEqual(SEOUL);
  });

  it('names nobody for a signature that did not pass, an issuer it does not list, another network, or without a directory', () => {
    const names = readIssuerDirectory(directory(KEY_DID));
    expect(issuerNameFor(names, answer({ signature: 'failed' }), KEY_DID)).toBeNull();
    expect(issuerNameFor(names, answer({ format: 'failed', signature: 'skipped' }), KEY_DID)).toBeNull();
    expect(issuerNameFor(names, answer(), `did:ethr:citycred:${Wallet.createRandom().address}`)).toBeNull();
    expect(issuerNameFor(names, answer(), `did:ethr:mainnet:${key.address}`)).toBeNull();
    expect(issuerNameFor(names, answer(), undefined)).toBeNull();
    expect(issuerNameFor(null, answer(), KEY_DID)).toBeNull();
  });

  it('shows the Korean name, and in English the English one when there is one', () => {
    expect(nameIn(SEOUL, 'ko')).toBe(SEOUL.ko);
    expect(nameIn(SEOUL, 'en')).toBe(SEOUL.en);
    expect(nameIn({ ko: '마포구청', en: null }, 'en')).toBe('마포구청');
  });

  it('reads only what is well formed of the answer', () => {
    expect(readIssuerDirectory(null)).toBeNull();
    expect(readIssuerDirectory({ type: 'https://citycred.seoul.go.kr/problems/service.unavailable', status: 503 })).toBeNull();
    const mixed = { ...directory(KEY_DID), issuers: [{ did: 'did:ethr:citycred:0x1', address: '0x1', name: 'not an object' }, ...directory(KEY_DID).issuers] };
    expect(readIssuerDirectory(mixed)?.issuers).toEqual([{ did: KEY_DID, address: key.address.toLowerCase(), name: SEOUL }]);
  });
});

describe('the anchoring block on the check page', () => {
  const anchor = { root: `0x${'ab'.repeat(32)}`, blockNumber: 1234, anchoredAt: '2026-03-02T09:00:00.000Z', chainId: 31337, contract: `0x${'cd'.repeat(20)}` };

  it("reads the anchor check's anchor member when the check passed", () => {
    expect(anchoringOf(answer({}, anchor))).toEqual({ blockNumber: 1234, anchoredAt: new Date('2026-03-02T09:00:00.000Z'), chainId: 31337 });
  });

  it('shows none for an answer without it, a check that did not pass, or a member that is not well formed', () => {
    expect(anchoringOf(answer())).toBeNull();
    expect(anchoringOf(answer({ anchor: 'pending' }, anchor))).toBeNull();
    expect(anchoringOf(answer({ anchor: 'failed' }, anchor))).toBeNull();
    expect(anchoringOf(answer({}, { ...anchor, blockNumber: '1234' }))).toBeNull();
    expect(anchoringOf(answer({}, { ...anchor, anchoredAt: 'yesterday' }))).toBeNull();
    expect(anchoringOf({ checks: 'nonsense' })).toBeNull();
    expect(anchoringOf(null)).toBeNull();
  });
});
