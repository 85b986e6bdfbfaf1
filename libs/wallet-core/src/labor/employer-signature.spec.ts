import { attendanceEventHash, contractHash, GENESIS_HASH, signDetached, type AttendanceEvent, type ContractDocument } from '@citycred/labor';
import { ethereumAddress, type JwsSigner } from '@citycred/formats';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { generateHolderKeyPair, holderKeyOf, publicJwkOf } from '../holder-key.js';
import type { WalletTransport } from '../oid4vci/http.js';
import { resolvingIssuerKeys } from '../oid4vci/issuer-keys.js';
import { checkEmployerSignatures, type LaborContractRecord } from './index.js';

const RESOLVER = 'https://verifier.example';
const NOW = new Date('2026-03-02T06:00:00Z');

/** An employer tenant as the city chain knows it: a did:ethr named by the address of its secp256k1 key, signing ES256K. */
function ethrEmployer(seed: number, did?: string): { did: string; address: string; signer: JwsSigner } {
  const privateKey = new Uint8Array(32).fill(seed);
  const address = ethereumAddress(secp256k1.getPublicKey(privateKey, true));
  const named = did ?? `did:ethr:citycred:${address}`;
  return { did: named, address, signer: { alg: 'ES256K', kid: `${named}#controller`, sign: (input) => secp256k1.sign(sha256(input), privateKey, { lowS: true }).toCompactRawBytes() } };
}

const cafe = ethrEmployer(7);
/** Someone who knows the café's DID but not its key. */
const forger = ethrEmployer(99, cafe.did);

/** The verifier's `GET /check/dids/{did}` as a script: the café's document, or no answer at all. */
function resolver(mode: 'answers' | 'offline'): { transport: WalletTransport; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    transport: {
      clock: { now: () => NOW },
      fetch: async (url) => {
        asked.push(url);
        if (mode === 'offline') throw new TypeError('fetch failed');
        const did = decodeURIComponent(url.slice(`${RESOLVER}/check/dids/`.length));
        if (did !== cafe.did) return new Response(JSON.stringify({ code: 'did.not-found' }), { status: 404, headers: { 'content-type': 'application/problem+json' } });
        const controller = { id: `${did}#controller`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: `eip155:31337:${cafe.address}` };
        const didDocument = { '@context': ['https://www.w3.org/ns/did/v1'], id: did, verificationMethod: [controller], assertionMethod: [controller.id] };
        return new Response(JSON.stringify({ didDocument, didDocumentMetadata: {}, didResolutionMetadata: {} }), { status: 200, headers: { 'content-type': 'application/did-resolution' } });
      },
    },
  };
}

const document = {
  v: 1,
  contractId: 'k-1',
  version: 1,
  employer: { id: cafe.did, name: '한강카페', businessRegistrationNumber: '123-45-67891' },
  worker: { name: '김서연' },
  workplace: { name: '한강카페 망원점', address: '서울특별시 마포구 포은로 12' },
  duties: '음료 제조',
  period: { start: '2026-03-02', end: '2026-08-31' },
  hourlyWageKrw: 10320,
  weeklyHours: 15,
  workDays: [{ day: 'mon', startTime: '09:00', endTime: '14:30' }],
  breaks: [{ startTime: '12:00', endTime: '12:30' }],
  weeklyHolidayAllowance: true,
  socialInsurance: { nationalPension: true, healthInsurance: true, employmentInsurance: true, industrialAccident: true },
} as unknown as ContractDocument;

const sign = (signer: JwsSigner, hash: string) => signDetached({ alg: signer.alg, kid: signer.kid }, hash, (input) => signer.sign(input));

/** A contract the café countersigned, with a check-in and a check-out it co-signed (`employerOf` picks each event's signer). */
async function record(employerOf: (seq: number) => JwsSigner = () => cafe.signer, contractSigner: JwsSigner | undefined = cafe.signer): Promise<LaborContractRecord> {
  const pair = await generateHolderKeyPair();
  const worker = holderKeyOf(pair.privateKey, await publicJwkOf(pair.publicKey));
  const hash = contractHash(document);
  const events: LaborContractRecord['events'] = [];
  for (const [seq, kind, at] of [
    [0, 'check-in', '2026-03-02T00:00:10.000Z'],
    [1, 'check-out', '2026-03-02T05:30:10.000Z'],
  ] as const) {
    const event: AttendanceEvent = { v: 1, contractId: 'k-1', seq, kind, at, workplaceNonce: { nonce: `nonce-${seq}`, issuedAt: at }, prevHash: seq === 0 ? GENESIS_HASH : attendanceEventHash(events[0]!.event as AttendanceEvent) };
    const eventHash = attendanceEventHash(event);
    events.push({ event, workerSignature: await sign(worker.signer, eventHash), employerSignature: await sign(employerOf(seq), eventHash) });
  }
  return {
    id: 'c-1',
    contractId: 'k-1',
    version: 1,
    reviewUrl: 'http://127.0.0.1:3001/labor/contracts/c-1?t=secret',
    employer: { name: '한강카페', did: cafe.did },
    document: document as unknown as Record<string, unknown>,
    hash,
    workerSignature: { signer: worker.did, signedAt: '2026-03-01T00:00:00.000Z', jws: await sign(worker.signer, hash) },
    ...(contractSigner ? { employerSignature: { signer: cafe.did, signedAt: '2026-03-01T01:00:00.000Z', jws: await sign(contractSigner, hash) } } : {}),
    state: 'active',
    receivedOffers: [],
    events,
    savedAt: '2026-03-01T00:00:00.000Z',
  };
}

describe('the employer’s countersignatures, checked against its did:ethr key on the city chain', () => {
  it('verifies the contract’s and every attendance event’s, resolving the employer’s DID through the verifier', async () => {
    const { transport, asked } = resolver('answers');
    expect(await checkEmployerSignatures(await record(), resolvingIssuerKeys(RESOLVER, transport))).toEqual({ state: 'verified', count: 3 });
    expect(asked).toEqual([`${RESOLVER}/check/dids/${encodeURIComponent(cafe.did)}`]);
  });

  it('finds an event the employer did not sign with its key (a forger who knows the DID)', async () => {
    const { transport } = resolver('answers');
    const forged = await record((seq) => (seq === 1 ? forger.signer : cafe.signer));
    expect(await checkEmployerSignatures(forged, resolvingIssuerKeys(RESOLVER, transport))).toEqual({ state: 'invalid', failed: [{ kind: 'event', seq: 1 }], count: 3 });
  });

  it('finds a contract countersignature by another key, and an event edited after it was co-signed', async () => {
    const { transport } = resolver('answers');
    const check = resolvingIssuerKeys(RESOLVER, transport);
    expect(await checkEmployerSignatures(await record(undefined, forger.signer), check)).toMatchObject({ state: 'invalid', failed: [{ kind: 'contract' }] });
    const held = await record();
    const edited = { ...held, events: [{ ...held.events[0]!, event: { ...held.events[0]!.event, at: '2026-03-01T23:00:00.000Z' } }, held.events[1]!] };
    expect(await checkEmployerSignatures(edited, check)).toMatchObject({ state: 'invalid', failed: [{ kind: 'event', seq: 0 }] });
    // A contract whose document (and so hash) changed after the employer signed it.
    expect(await checkEmployerSignatures({ ...held, hash: contractHash({ ...document, hourlyWageKrw: 10500 }) }, check)).toMatchObject({ state: 'invalid', failed: [{ kind: 'contract' }] });
  });

  it('refuses a signature in the right form by a key that is not the employer’s DID’s (a P-256 key)', async () => {
    const { transport } = resolver('answers');
    const pair = await generateHolderKeyPair();
    const stranger = holderKeyOf(pair.privateKey, await publicJwkOf(pair.publicKey));
    expect(await checkEmployerSignatures(await record(() => stranger.signer), resolvingIssuerKeys(RESOLVER, transport))).toMatchObject({ state: 'invalid', failed: [{ kind: 'event', seq: 0 }, { kind: 'event', seq: 1 }] });
  });

  it('says “not checked yet” when the resolver does not answer, or none is configured; “unsupported” for a DID it cannot resolve', async () => {
    const held = await record();
    expect(await checkEmployerSignatures(held, resolvingIssuerKeys(RESOLVER, resolver('offline').transport))).toEqual({ state: 'unchecked', reason: 'unavailable' });
    expect(await checkEmployerSignatures(held, resolvingIssuerKeys(undefined, resolver('answers').transport))).toEqual({ state: 'unchecked', reason: 'unavailable' });
    expect(await checkEmployerSignatures({ ...held, employer: { ...held.employer, did: 'did:web:cafe.example' } }, resolvingIssuerKeys(RESOLVER, resolver('answers').transport))).toEqual({ state: 'unchecked', reason: 'unsupported' });
  });

  it('has nothing to check before the employer countersigned', async () => {
    const held = await record(undefined, undefined);
    const { employerSignature: _none, ...awaiting } = { ...held, events: [] };
    const { transport, asked } = resolver('answers');
    expect(await checkEmployerSignatures(awaiting, resolvingIssuerKeys(RESOLVER, transport))).toEqual({ state: 'verified', count: 0 });
    expect(asked).toEqual([]);
  });
});
