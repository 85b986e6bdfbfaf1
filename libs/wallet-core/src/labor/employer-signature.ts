import { attendanceEventHash, verifyDetached, type AttendanceEvent, type DetachedJwsVerifier } from '@citycred/labor';
import { utf8Text, verifyJwsSignature, type VerificationKey } from '@citycred/formats';
import type { IssuerSignatureCheck } from '../oid4vci/issuer-keys.js';
import type { LaborContractRecord } from './record.js';

/** What an employer signature was over: the contract (its hash) or an attendance event (by its `seq`). */
export type EmployerSigned = { readonly kind: 'contract' } | { readonly kind: 'event'; readonly seq: number };

/**
 * The wallet's check of the employer's countersignatures on a remembered contract — the contract's hash and every
 * co-signed attendance event — against the keys of the employer's DID (its did:ethr on the city chain, resolved through
 * the city verifier's `GET /check/dids/{did}` as for issuers' signatures):
 * - `verified`: every employer signature the wallet holds verifies (`count` of them; 0 while the contract awaits the
 *   employer and nothing was co-signed yet);
 * - `invalid`: some do not (`failed`: which) — the employer did not sign them with its key, or they were changed;
 * - `unchecked`: the employer's keys could not be had now (`unavailable`: offline, the resolver or the chain down —
 *   checked again next time) or ever by this wallet (`unsupported`: a DID method it cannot resolve).
 */
export type EmployerSignatureReading =
  | { readonly state: 'verified'; readonly count: number }
  | { readonly state: 'invalid'; readonly failed: readonly EmployerSigned[]; readonly count: number }
  | { readonly state: 'unchecked'; readonly reason: 'unavailable' | 'unsupported' };

/**
 * A detached-JWS check (`verifyDetached` of `@citycred/labor`) by the keys that may sign for a DID: the format
 * library's `verifyJwsSignature` — ES256K against a did:ethr's address by public-key recovery, ES256 against a
 * did:jwk — with the given crypto.
 */
export function detachedVerifierOf(keys: readonly VerificationKey[], check: IssuerSignatureCheck): DetachedJwsVerifier {
  return async ({ header, signingInput, signature }) => (await verifyJwsSignature({ header, signingInput: utf8Text(signingInput), signature }, keys, check.crypto)).valid;
}

/**
 * Checks the employer's signatures a remembered contract carries: the contract's (`employerSignature`, over the hash the
 * worker signed) and each attendance event's (over `attendanceEventHash(event)`), with the keys of the employer's
 * DID as the wallet resolves issuers' DIDs ({@link IssuerSignatureCheck}: did:ethr through the city verifier). A
 * contract the employer countersigned whose signature the wallet does not hold (a record kept before it was read)
 * is not counted. Never throws.
 * @param record - the contract with the wallet's own copies of the co-signed events
 * @param check - how the wallet finds an issuer's keys and checks signatures (the browser's resolving check)
 */
export async function checkEmployerSignatures(record: LaborContractRecord, check: IssuerSignatureCheck): Promise<EmployerSignatureReading> {
  const signed: { what: EmployerSigned; jws: string; hash: string }[] = [];
  if (record.employerSignature) signed.push({ what: { kind: 'contract' }, jws: record.employerSignature.jws, hash: record.hash });
  for (const event of record.events) signed.push({ what: { kind: 'event', seq: event.event.seq }, jws: event.employerSignature, hash: attendanceEventHash(event.event as AttendanceEvent) });
  if (signed.length === 0) return { state: 'verified', count: 0 };
  let keys: Awaited<ReturnType<IssuerSignatureCheck['keysOf']>>;
  try {
    keys = await check.keysOf(record.employer.did);
  } catch {
    keys = { kind: 'unavailable', reason: 'the employer’s keys could not be read' };
  }
  if (keys.kind !== 'keys') return { state: 'unchecked', reason: keys.kind };
  const verify = detachedVerifierOf(keys.keys, check);
  const failed: EmployerSigned[] = [];
  for (const { what, jws, hash } of signed) if (!(await verifyDetached(jws, hash, verify)).valid) failed.push(what);
  return failed.length === 0 ? { state: 'verified', count: signed.length } : { state: 'invalid', failed, count: signed.length };
}
