import { ANCHOR_CODE_SEPARATOR, encodeAnchorCode, isHex32, verifyMerkleProof, type Hex32 } from '@citycred/anchoring/browser';
import { credentialFormat, detectFormat, encodeBase64url, utf8Bytes, type NormalisedCredential } from '@citycred/formats';
import { sha256 } from '@noble/hashes/sha2.js';
import type { HolderKey } from '../holder-key.js';
import { presentCredential } from './response.js';

/** The prefix of a presentation shown as a QR code to an employer's scanner (docs/presentations.md). */
export const SCAN_PRESENTATION_PREFIX = 'citycred-vp:';

/** How long the scanner accepts a code: `SCAN_PRESENTATION_MAX_AGE_SECONDS` is at most 120 s. */
export const SCAN_PRESENTATION_MAX_AGE_SECONDS = 120;

/** How often the wallet draws a new code while one is on screen (new nonce, new `iat`), well inside the 120 s. */
export const SCAN_QR_REDRAW_SECONDS = 60;

/**
 * What the wallet discloses for each of the scanner's policies (docs/presentations.md: only what the policy reads).
 * A policy not listed here is answered by the citizen's own choice of claims.
 */
export const SCAN_POLICY_CLAIMS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'age-over-18': ['ageOver18'],
  'age-over-19': ['ageOver19'],
  'seoul-resident': ['residence'],
});

/** A code to show: its text and until when the scanner accepts it. */
export interface ScanPresentation {
  /** `citycred-vp:<presentation>`, or `citycred-vp:<presentation>#<anchor code>` with the anchor proof: the QR code's text. */
  readonly text: string;
  /** Whether the code carries the credential's anchor proof (an SD-JWT VC whose record holds one that leads to its root). */
  readonly carriesAnchorProof: boolean;
  /** The wallet's nonce for this code (22 base64url characters of 16 random bytes). */
  readonly nonce: string;
  readonly issuedAt: Date;
  /** `issuedAt` + 120 s: after this the scanner refuses it — draw a new one before ({@link SCAN_QR_REDRAW_SECONDS}). */
  readonly expiresAt: Date;
}

/**
 * Draws the presentation an employer's scanner reads (`POST /scan/presentations`, docs/presentations.md "Showing a QR
 * to an employer's scanner"): with no request before it, the holder binds one credential to `aud` =
 * `<verifier public URL>/scan`, a nonce of the wallet's own (16 random bytes from `crypto.getRandomValues`, base64url)
 * and `iat` = now — an SD-JWT VC with only `disclose` disclosed and a key-binding JWT, or a JWT VC in a JWT VP.
 * A code is good for one scan and 120 s.
 * When the record keeps the credential's anchor proof (`anchorProof`, fetched once anchored) and the credential is an
 * SD-JWT VC, the code carries it after a `#` ({@link encodeAnchorCode}: leaf index, block and siblings; the root is
 * what they fold to), so the verifier need not look the credential up in the issuer's batches and the scanner can
 * check the anchoring offline. A proof that does not lead from the credential to its root is left out.
 * @param credential - the stored credential (its `encoded` bytes as issued, and its `anchorProof` when it has one)
 * @param options - the scanner's verifier URL (its `VERIFIER_PUBLIC_URL`, without trailing slash), the claims to
 *   disclose (SD-JWT VC; see {@link SCAN_POLICY_CLAIMS}), the holder key and the time
 * @throws Oid4vpError `oid4vp.credential-not-presentable` (not bound to this key, a claim it cannot disclose);
 *   FormatError when the stored bytes are not a credential
 */
export async function scanPresentation(
  credential: { readonly encoded: string; readonly anchorProof?: Readonly<Record<string, unknown>> },
  options: { readonly verifierUrl: string; readonly disclose: readonly string[]; readonly holder: HolderKey; readonly now: Date },
): Promise<ScanPresentation> {
  const decoded = credentialFormat(detectFormat(credential.encoded)).decode(credential.encoded);
  const nonce = encodeBase64url(globalThis.crypto.getRandomValues(new Uint8Array(16)));
  const audience = `${options.verifierUrl.replace(/\/+$/, '')}/scan`;
  const presentation = await presentCredential(decoded, credential.encoded, options.disclose, { holder: options.holder, nonce, audience, issuedAt: options.now });
  const issuedAt = new Date(Math.floor(options.now.getTime() / 1000) * 1000);
  const anchorCode = decoded.format === 'dc+sd-jwt' ? anchorCodeOf(decoded, credential.anchorProof) : undefined;
  return {
    text: `${SCAN_PRESENTATION_PREFIX}${presentation}${anchorCode === undefined ? '' : `${ANCHOR_CODE_SEPARATOR}${anchorCode}`}`,
    carriesAnchorProof: anchorCode !== undefined,
    nonce,
    issuedAt,
    expiresAt: new Date(issuedAt.getTime() + SCAN_PRESENTATION_MAX_AGE_SECONDS * 1000),
  };
}

/**
 * The anchor code of a record's proof (`{root, proof[], leafIndex, blockNumber, …}` as the issuer served it), or
 * undefined when it has none, or one that is malformed or does not lead from the credential's hash to its root.
 */
function anchorCodeOf(decoded: NormalisedCredential, anchorProof: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!anchorProof) return undefined;
  const { root, proof, leafIndex, blockNumber } = anchorProof;
  if (!isHex32(root) || !Array.isArray(proof) || !proof.every(isHex32) || !Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(blockNumber)) return undefined;
  const hash = `0x${Array.from(sha256(utf8Bytes(decoded.anchoredPart)), (byte) => byte.toString(16).padStart(2, '0')).join('')}` as Hex32;
  if (!verifyMerkleProof(hash, proof, root)) return undefined;
  try {
    return encodeAnchorCode({ leafIndex: leafIndex as number, blockNumber: blockNumber as number, proof });
  } catch {
    return undefined;
  }
}
