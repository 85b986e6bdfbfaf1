import { z } from 'zod';

const claims = z.record(z.string(), z.unknown());
const offerOptions = {
  credential_configuration_id: z.string().min(1).max(100),
  /** Whether the wallet must also enter a 6-digit transaction code (default true). */
  tx_code: z.boolean().default(true),
  /**
   * Seconds the offer stays redeemable; at most (and by default) `OID4VCI_OFFER_TTL_SECONDS`, for bulk offers
   * `OID4VCI_BULK_OFFER_TTL_SECONDS` (checked by `Oid4vciService.offerLifetime`).
   */
  expires_in: z.number().int().min(30).optional(),
};

/** Body of `POST /oid4vci/offers`. */
export const offerRequestSchema = z
  .object({
    ...offerOptions,
    claims,
    /**
     * The holder the offer is bound to: a did:jwk or did:key of a P-256 or secp256k1 key (checked by
     * `Oid4vciService.checkOffer`, 400 `oid4vci.invalid-holder`). Only that key's proofs get the credential.
     */
    holder: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .describe('bind the offer to this holder: a did:jwk or did:key (P-256 or secp256k1); every proof of the credential request must be signed by its key, and the credential names it as its subject (cnf for SD-JWT VC)'),
  })
  .strict();

/** Rows a bulk request may carry. */
export const MAX_BULK_ROWS = 1_000;

/**
 * Body of `POST /oid4vci/offers/bulk`: one configuration and options, and the rows' claims either as `rows` (one
 * claims object each) or as `csv` (a header line of claim names, dotted for nested claims, then one line per offer).
 */
export const bulkOfferRequestSchema = z
  .object({
    ...offerOptions,
    rows: z.array(z.object({ claims }).strict()).min(1).max(MAX_BULK_ROWS).optional(),
    csv: z.string().min(1).optional(),
  })
  .strict()
  .refine((body) => (body.rows === undefined) !== (body.csv === undefined), { message: 'give either rows or csv', path: ['rows'] });
