import { decodeBase64url, encodeBase64url, parseJwsHeader, utf8Bytes, type JwsHeader } from '@citycred/formats';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from './canonical-json.js';
import type { BreakWindow, Weekday, WorkDay } from './contract-terms.js';

/**
 * A labour contract as both parties sign it (PRODUCT.md §7.2, docs/labor.md "Contract lifecycle"): every item the
 * Labor Standards Act Art. 17 requires in writing, the employer as the labour department knows it, and which version
 * of which contract it is. Its hash ({@link contractHash}) is what the worker's wallet and the employer sign; the
 * LaborContract credential carries the same members (without `v`) plus the two signatures, so anyone can recompute
 * the hash from the credential ({@link contractFromCredentialSubject}).
 */
export interface ContractDocument {
  /** The document format's version. Not a claim of the credential: {@link contractFromCredentialSubject} puts it back. */
  readonly v: 1;
  /** The contract's lineage: the id of its first version, the same in every revision. */
  readonly contractId: string;
  /** 1 for the first version, one more for each revision. */
  readonly version: number;
  /** The id of the version this one revises. */
  readonly previousVersion?: string;
  readonly employer: { readonly id: string; readonly name: string; readonly businessRegistrationNumber: string; readonly representative?: string };
  readonly worker: { readonly name: string };
  readonly workplace: { readonly name: string; readonly address: string };
  readonly duties: string;
  /** The worker's role (직무), e.g. 바리스타; WorkExperience names it. */
  readonly role?: string;
  readonly period: { readonly start: string; readonly end?: string };
  readonly hourlyWageKrw: number;
  readonly weeklyHours: number;
  readonly workDays: readonly WorkDay[];
  readonly breaks: readonly BreakWindow[];
  readonly weeklyHolidayAllowance: boolean;
  readonly weeklyHoliday?: Weekday | 'not-applicable';
  readonly annualLeave?: 'statutory' | 'not-applicable';
  readonly wagePayment?: { readonly payDay: number; readonly method: 'bank-transfer' | 'cash' };
  readonly socialInsurance: { readonly nationalPension: boolean; readonly healthInsurance: boolean; readonly employmentInsurance: boolean; readonly industrialAccident: boolean };
}

/** A contract hash: `0x` and 64 lower-case hex digits. */
export const CONTRACT_HASH_PATTERN = /^0x[0-9a-f]{64}$/;

/** `0x` + SHA-256 hex of the document's RFC 8785 canonical JSON: what both parties sign. */
export function contractHash(document: ContractDocument): string {
  return `0x${bytesToHex(sha256(utf8ToBytes(canonicalJson(document))))}`;
}

/** Members of a LaborContract credential subject that are not part of the signed document. */
const NOT_SIGNED = new Set(['id', 'workerSignature', 'employerSignature']);

/**
 * The signed document inside a LaborContract credential subject: the subject without `id`, `workerSignature` and
 * `employerSignature`, with `v: 1`. Its {@link contractHash} is the hash both signatures are over — a subject changed
 * after signing gives another hash, and the signatures no longer verify against it.
 * @param subject - the credential's `credentialSubject`
 */
export function contractFromCredentialSubject(subject: Readonly<Record<string, unknown>>): ContractDocument {
  const document: Record<string, unknown> = { v: 1 };
  for (const [name, value] of Object.entries(subject)) if (!NOT_SIGNED.has(name) && name !== 'v') document[name] = value;
  return document as unknown as ContractDocument;
}

/**
 * The JWS signing input of a signature with a detached payload over a hash (RFC 7515 Appendix F): the payload is
 * the UTF-8 of the `0x…` hash string, so the input is `<headerB64>.<base64url(hash)>` as ASCII.
 * @param headerB64 - the protected header, base64url
 * @param hash - the `0x…` hash signed
 */
export function detachedSigningInput(headerB64: string, hash: string): string {
  return `${headerB64}.${encodeBase64url(hash)}`;
}

/**
 * Signs a hash as a compact JWS with a detached payload: `header..signature`.
 * @param header - the protected header (`alg`, `kid`, …)
 * @param hash - the `0x…` hash
 * @param sign - makes the raw signature (ECDSA `r ‖ s`) over the signing input's bytes
 */
export async function signDetached(header: Readonly<Record<string, unknown>>, hash: string, sign: (signingInput: Uint8Array) => Uint8Array | Promise<Uint8Array>): Promise<string> {
  const headerB64 = encodeBase64url(JSON.stringify(header));
  const signature = await sign(utf8Bytes(detachedSigningInput(headerB64, hash)));
  return `${headerB64}..${encodeBase64url(signature)}`;
}

/** A detached JWS taken apart (nothing verified). */
export interface DetachedJws {
  readonly header: JwsHeader;
  /** The signing input's bytes for the hash it was checked against. */
  readonly signingInput: Uint8Array;
  readonly signature: Uint8Array;
}

/** Checks a signature: the caller knows the keys (a did:jwk, a tenant's did:ethr). */
export type DetachedJwsVerifier = (jws: DetachedJws) => boolean | Promise<boolean>;

/** Why a detached JWS was refused. */
export type DetachedJwsProblem = 'malformed' | 'not-detached' | 'signature';

/** The verdict on a detached JWS: its header when it verifies, else why not. */
export type DetachedJwsCheck = { readonly valid: true; readonly header: JwsHeader } | { readonly valid: false; readonly problem: DetachedJwsProblem; readonly reason: string };

const SECTION = /^[A-Za-z0-9_-]+$/;

/**
 * Checks a compact JWS with a detached payload over a hash: the form `header..signature`, a header with a supported
 * `alg`, and the signature by `verify` over {@link detachedSigningInput}. Never throws: a verifier that throws counts
 * as a signature that does not verify.
 * @param jws - `header..signature` (a JWS carrying its payload is refused as `not-detached`)
 * @param hash - the `0x…` hash it must be over
 * @param verify - checks the signature against the signer's key
 */
export async function verifyDetached(jws: string, hash: string, verify: DetachedJwsVerifier): Promise<DetachedJwsCheck> {
  if (typeof jws !== 'string' || jws.length > 8192) return { valid: false, problem: 'malformed', reason: 'not a compact JWS of at most 8192 characters' };
  const sections = jws.split('.');
  if (sections.length !== 3) return { valid: false, problem: 'malformed', reason: 'not a compact JWS: three sections separated by "."' };
  const [headerB64, payload, signatureB64] = sections as [string, string, string];
  if (payload !== '') return { valid: false, problem: 'not-detached', reason: 'the JWS carries a payload; the payload must be detached (header..signature)' };
  if (!SECTION.test(headerB64) || !SECTION.test(signatureB64)) return { valid: false, problem: 'malformed', reason: 'the header or signature is not base64url' };
  let header: JwsHeader;
  let signature: Uint8Array;
  try {
    header = parseJwsHeader(headerB64);
    signature = decodeBase64url(signatureB64);
  } catch (error) {
    return { valid: false, problem: 'malformed', reason: error instanceof Error ? error.message : 'the JWS cannot be read' };
  }
  let verified = false;
  try {
    verified = await verify({ header, signingInput: utf8Bytes(detachedSigningInput(headerB64, hash)), signature });
  } catch {
    verified = false;
  }
  return verified ? { valid: true, header } : { valid: false, problem: 'signature', reason: 'the signature does not verify over the contract hash with the signer\'s key' };
}
