import { decodeCompactJws, type DecodedJws } from '@citycred/formats';
import { WORKPLACE_NONCE_MAX_AGE_SECONDS } from './attendance.js';

/** The `typ` of a workplace QR's JWS. */
export const WORKPLACE_QR_TYP = 'citycred-workplace+jwt';

/**
 * What the workplace tablet's rotating QR carries (docs/labor.md), signed by the employer's key as a compact JWS
 * with `typ` {@link WORKPLACE_QR_TYP}: the employer's DID, the workplace (its tenant slug), a fresh nonce (base64url
 * of 16 random bytes), and when it was issued and expires (unix seconds, `exp = iat + 30`).
 */
export interface WorkplaceQrPayload {
  readonly iss: string;
  readonly workplace: string;
  readonly nonce: string;
  readonly iat: number;
  readonly exp: number;
}

/** A workplace QR read: its payload and the JWS parts for the caller to verify against the employer's key. */
export type WorkplaceQrReading =
  | { readonly ok: true; readonly payload: WorkplaceQrPayload; readonly jws: DecodedJws }
  | { readonly ok: false; readonly reason: string };

const NONCE = /^[A-Za-z0-9_-]{22}$/;
const DID = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/**
 * Reads a workplace QR's JWS and checks its shape only: a compact JWS with `typ` {@link WORKPLACE_QR_TYP}, a payload
 * of exactly `iss` (a DID), `workplace` (a slug), `nonce` (16 bytes base64url), whole-second `iat` and
 * `exp = iat + 30`. Whether the employer signed it, whether it is fresh now and whether the nonce was used are the
 * caller's checks. Never throws.
 * @param jws - the QR's content (the JWS itself, not the wallet link around it)
 */
export function readWorkplaceQr(jws: string): WorkplaceQrReading {
  let decoded: DecodedJws;
  try {
    decoded = decodeCompactJws(jws);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : 'not a compact JWS' };
  }
  if (decoded.header.typ !== WORKPLACE_QR_TYP) return { ok: false, reason: `the JWS typ is not ${WORKPLACE_QR_TYP}` };
  const p = decoded.payload;
  const extra = Object.keys(p).filter((k) => !['iss', 'workplace', 'nonce', 'iat', 'exp'].includes(k));
  if (extra.length > 0) return { ok: false, reason: `unexpected payload members: ${extra.join(', ')}` };
  if (typeof p['iss'] !== 'string' || !DID.test(p['iss'])) return { ok: false, reason: 'iss must be the employer\'s DID' };
  if (typeof p['workplace'] !== 'string' || !SLUG.test(p['workplace'])) return { ok: false, reason: 'workplace must be a tenant slug' };
  if (typeof p['nonce'] !== 'string' || !NONCE.test(p['nonce'])) return { ok: false, reason: 'nonce must be 16 bytes, base64url' };
  const { iat, exp } = p;
  if (typeof iat !== 'number' || !Number.isSafeInteger(iat) || iat <= 0) return { ok: false, reason: 'iat must be whole unix seconds' };
  if (exp !== iat + WORKPLACE_NONCE_MAX_AGE_SECONDS) return { ok: false, reason: `exp must be iat + ${WORKPLACE_NONCE_MAX_AGE_SECONDS}` };
  return { ok: true, payload: { iss: p['iss'], workplace: p['workplace'], nonce: p['nonce'], iat, exp }, jws: decoded };
}
