import { utf8Bytes } from '../base64url.js';
import { signCompactJws } from '../jws.js';
import type { JwsAlgorithm, JwsSigner, SignatureCrypto } from '../types.js';
import { FormatError, FormatErrorCode } from '../types.js';
import { sha256Base64url } from './encoding.js';
import { SdJwtFormatError } from './errors.js';
import { decodeSdJwtVc, type SdJwtVcCredential, splitSdJwt } from './sd-jwt-vc-format.js';
import { TRANSACTION_DATA_HASH_ALG, transactionDataHash } from './transaction-data.js';

/** The `typ` of a key-binding JWT (RFC 9901 §4.3). */
export const KB_JWT_TYP = 'kb+jwt';

/** What the holder discloses and how it binds the presentation to a verifier's request. */
export interface PresentSdJwtOptions {
  /**
   * Top-level claim names to disclose (`id` or `sub` for the subject id). Clear claims may be named and are shown
   * anyway; a name that is neither a clear claim nor a top-level disclosure is refused. Disclosures nested inside a
   * disclosed claim are not presented.
   */
  readonly disclose: readonly string[];
  /** Adds a key-binding JWT signed by the holder's `cnf` key, for this verifier (`aud`) and request (`nonce`). */
  readonly kb?: {
    readonly signer: JwsSigner;
    readonly nonce: string;
    readonly aud: string;
    /** When the holder presents (from the wallet's clock). */
    readonly iat: Date;
    /**
     * The request's `transaction_data` entries this presentation answers (OpenID4VP 1.0 §5.1, Appendix B.3.3): the
     * KB-JWT then carries `transaction_data_hashes` (one per entry, in order) and `transaction_data_hashes_alg`.
     */
    readonly transactionData?: readonly string[];
  };
}

/**
 * Builds a presentation of an issued SD-JWT VC: the issuer-signed JWT, only the chosen disclosures (in their issued
 * order) and, when asked, a key-binding JWT `{typ: 'kb+jwt', alg}` / `{iat, aud, nonce, sd_hash}` where `sd_hash` is
 * base64url(SHA-256) of the presented `<jwt>~<disclosures>~` (RFC 9901 §4.3.1). The SD-JWT is decoded (and so checked
 * structurally) first; its issuer signature is not checked here.
 * @param encoded - the SD-JWT as issued (without a key-binding JWT)
 * @param options - the claims to disclose and the key binding
 * @returns `<jwt>~<chosen disclosures>~[<kb-jwt>]`
 * @throws SdJwtFormatError `format.invalid-request` (`sd-jwt.request-invalid`) for an input that already carries a
 *   key-binding JWT, a name that cannot be disclosed, or a key binding asked of a credential without `cnf.jwk`; any
 *   decoding error of {@link decodeSdJwtVc}
 */
export async function presentSdJwt(encoded: string, options: PresentSdJwtOptions): Promise<string> {
  const sdJwt = selectSdJwtDisclosures(encoded, options.disclose);
  if (!options.kb) return sdJwt;
  const credential = decodeSdJwtVc(encoded);
  if (!credential.holder.jwk) throw invalidRequest('the credential has no cnf.jwk, so a key binding could not be checked');
  const { signer, nonce, aud, iat, transactionData } = options.kb;
  const bound = transactionData && transactionData.length > 0 ? { transaction_data_hashes: transactionData.map(transactionDataHash), transaction_data_hashes_alg: TRANSACTION_DATA_HASH_ALG } : {};
  const kbJwt = await signCompactJws(
    { alg: signer.alg, typ: KB_JWT_TYP },
    { iat: Math.floor(iat.getTime() / 1000), aud, nonce, sd_hash: sha256Base64url(sdJwt), ...bound },
    signer,
  );
  return sdJwt + kbJwt;
}

/**
 * The SD-JWT a presentation carries before its key binding: the issuer-signed JWT and only the top-level disclosures
 * named (in their issued order), `<jwt>~<chosen disclosures>~`. Decoding it ({@link decodeSdJwtVc}) gives exactly the
 * claims a verifier will see — the clear claims and the whole value of each disclosed one — which is what a consent
 * screen must show.
 * @param encoded - the SD-JWT as issued (without a key-binding JWT)
 * @param disclose - top-level claim names (`id` for `sub`); see {@link PresentSdJwtOptions.disclose}
 * @throws SdJwtFormatError as {@link presentSdJwt}
 */
export function selectSdJwtDisclosures(encoded: string, disclose: readonly string[]): string {
  const credential = decodeSdJwtVc(encoded);
  if (credential.keyBinding) throw invalidRequest('the SD-JWT already carries a key-binding JWT: present the issued SD-JWT');
  const topLevel = new Set(Array.isArray(credential.signedPayload._sd) ? (credential.signedPayload._sd as unknown[]) : []);
  const wanted = new Set(disclose.map((name) => (name === 'id' ? 'sub' : name)));
  const chosen = credential.disclosures.filter((d) => d.name !== undefined && topLevel.has(d.digest) && wanted.has(d.name));
  for (const name of wanted) {
    if (!chosen.some((d) => d.name === name) && !Object.hasOwn(credential.signedPayload, name)) {
      throw invalidRequest(`the claim ${JSON.stringify(name)} is neither a clear claim nor a top-level disclosure`);
    }
  }
  return [splitSdJwt(encoded).issuerJwt, ...chosen.map((d) => d.encoded)].join('~') + '~';
}

/** What a verifier expects of a key binding. */
export interface KeyBindingExpectation {
  /** The nonce the verifier put in its request. */
  readonly nonce: string;
  /** The verifier's own identifier (its `client_id`). */
  readonly aud: string;
  /** The verifier's clock. */
  readonly now: Date;
  /** How old the KB-JWT's `iat` may be. */
  readonly maxAgeSeconds: number;
  /** How far in the future `iat` may be, for clock drift between wallet and verifier. Default 60. */
  readonly clockSkewSeconds?: number;
}

/**
 * Why a key binding was refused. Stable.
 * - `kb.credential-malformed`: the SD-JWT itself could not be decoded.
 * - `kb.missing`: no key-binding JWT.
 * - `kb.malformed`: the KB-JWT is not a compact JWS, or its claims have the wrong types.
 * - `kb.typ-invalid`: its `typ` is not `kb+jwt`.
 * - `kb.alg-unsupported`: `none`, or an algorithm we do not check.
 * - `kb.no-holder-key`: the credential has no `cnf.jwk` to check it with.
 * - `kb.signature-invalid`: not signed by the `cnf.jwk` key.
 * - `kb.sd-hash-mismatch`: `sd_hash` is not the hash of the presented SD-JWT (disclosures added, removed or swapped).
 * - `kb.nonce-mismatch`, `kb.aud-mismatch`: made for another request or another verifier.
 * - `kb.iat-stale`, `kb.iat-future`: `iat` older than `maxAgeSeconds`, or ahead of the clock by more than the skew.
 */
export type KeyBindingRefusal =
  | 'kb.credential-malformed'
  | 'kb.missing'
  | 'kb.malformed'
  | 'kb.typ-invalid'
  | 'kb.alg-unsupported'
  | 'kb.no-holder-key'
  | 'kb.signature-invalid'
  | 'kb.sd-hash-mismatch'
  | 'kb.nonce-mismatch'
  | 'kb.aud-mismatch'
  | 'kb.iat-stale'
  | 'kb.iat-future';

/** The outcome of {@link verifyKeyBinding}. */
export type KeyBindingCheck =
  | { readonly valid: true; readonly credential: SdJwtVcCredential; readonly iat: Date }
  | { readonly valid: false; readonly reason: KeyBindingRefusal; readonly detail: string };

/**
 * Checks the key binding of a presented SD-JWT VC (RFC 9901 §7.3): the KB-JWT's `typ`, its signature by the
 * credential's `cnf.jwk`, `sd_hash` over exactly the presented `<jwt>~<disclosures>~`, the expected `nonce` and
 * `aud`, and `iat` within `[now - maxAgeSeconds, now + clockSkewSeconds]`. It does not check the issuer signature
 * (see `verifyProof`): `cnf.jwk` is only trustworthy once that passed.
 * @param presented - `<jwt>~<disclosures>~<kb-jwt>`
 * @param expected - the verifier's nonce, identifier, clock and tolerance
 * @param crypto - the signature port
 * @returns a result; never throws for a bad binding or a malformed presentation
 */
export async function verifyKeyBinding(presented: string, expected: KeyBindingExpectation, crypto: SignatureCrypto): Promise<KeyBindingCheck> {
  let credential: SdJwtVcCredential;
  try {
    credential = decodeSdJwtVc(presented);
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    if (error instanceof SdJwtFormatError && error.reason === 'sd-jwt.kb-malformed') {
      return refuse(error.code === FormatErrorCode.UnsupportedAlgorithm ? 'kb.alg-unsupported' : 'kb.malformed', error.message);
    }
    return refuse('kb.credential-malformed', error.message);
  }
  const kb = credential.keyBinding;
  if (!kb) return refuse('kb.missing', 'the presentation carries no key-binding JWT');
  if (kb.header.typ !== KB_JWT_TYP) return refuse('kb.typ-invalid', `typ ${JSON.stringify(kb.header.typ)} is not kb+jwt`);
  const jwk = credential.holder.jwk;
  if (!jwk) return refuse('kb.no-holder-key', 'the credential has no cnf.jwk');

  if (!(await crypto.verify(kb.header.alg as JwsAlgorithm, { kind: 'jwk', jwk }, utf8Bytes(kb.signingInput), kb.signature))) {
    return refuse('kb.signature-invalid', 'the KB-JWT is not signed by the cnf.jwk key');
  }

  const { iat, aud, nonce, sd_hash: sdHash } = kb.payload;
  if (typeof iat !== 'number' || !Number.isFinite(iat) || typeof aud !== 'string' || typeof nonce !== 'string' || typeof sdHash !== 'string') {
    return refuse('kb.malformed', 'the KB-JWT needs a numeric iat and string aud, nonce and sd_hash');
  }
  const withoutKb = presented.slice(0, presented.length - kb.jwt.length);
  if (sdHash !== sha256Base64url(withoutKb)) return refuse('kb.sd-hash-mismatch', 'sd_hash does not match the presented SD-JWT');
  if (nonce !== expected.nonce) return refuse('kb.nonce-mismatch', 'the KB-JWT was made for another nonce');
  if (aud !== expected.aud) return refuse('kb.aud-mismatch', 'the KB-JWT was made for another audience');
  const nowSeconds = expected.now.getTime() / 1000;
  if (iat < nowSeconds - expected.maxAgeSeconds) return refuse('kb.iat-stale', `the KB-JWT is older than ${expected.maxAgeSeconds} s`);
  if (iat > nowSeconds + (expected.clockSkewSeconds ?? 60)) return refuse('kb.iat-future', 'the KB-JWT was issued in the future');
  return { valid: true, credential, iat: new Date(iat * 1000) };
}

function refuse(reason: KeyBindingRefusal, detail: string): KeyBindingCheck {
  return { valid: false, reason, detail };
}

function invalidRequest(message: string): SdJwtFormatError {
  return new SdJwtFormatError(FormatErrorCode.InvalidRequest, 'sd-jwt.request-invalid', message);
}
