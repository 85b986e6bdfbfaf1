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
export const offerRequestSchema = z.object({ ...offerOptions, claims }).strict();

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
