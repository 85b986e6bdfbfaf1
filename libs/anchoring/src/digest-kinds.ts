/**
 * Digests other services hand to the city issuer's anchoring (`POST /anchors/digests`, ADR 0015), by kind, with the
 * type the anchoring tenant must be accredited for in the IssuerRegistry: not credential types (nobody issues them),
 * record types the city accredits its tenant for so that anchors of these records are the city's.
 */
export const DIGEST_ANCHOR_TYPES = Object.freeze({
  /** `SHA-256(receipt)` of an e-signature receipt (docs/e-signature.md). */
  'signature-receipt': 'SignatureReceipt',
  /** The digest of a closed petition's tally (docs/petitions.md). */
  'petition-tally': 'PetitionTally',
} as const);

/** A kind of digest `POST /anchors/digests` takes. */
export type DigestAnchorKind = keyof typeof DIGEST_ANCHOR_TYPES;

/** Whether `value` is a {@link DigestAnchorKind}. */
export function isDigestAnchorKind(value: unknown): value is DigestAnchorKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DIGEST_ANCHOR_TYPES, value);
}
