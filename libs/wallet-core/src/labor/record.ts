import { z } from 'zod';

const isoInstant = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'an ISO-8601 date and time');
const hash = z.string().regex(/^0x[0-9a-f]{64}$/);

/** A co-signed attendance event as the worker's wallet keeps it (`SignedAttendanceEvent` of `@citycred/labor`). */
export const signedAttendanceEventSchema = z.object({
  event: z
    .object({
      v: z.literal(1),
      contractId: z.string().min(1).max(200),
      seq: z.number().int().min(0),
      kind: z.enum(['check-in', 'check-out', 'correction']),
      at: z.string().max(64),
      workplaceNonce: z.object({ nonce: z.string().max(200), issuedAt: z.string().max(64) }).optional(),
      corrects: z.object({ eventHash: z.string().max(200), at: z.string().max(64), reason: z.string().max(2_000) }).optional(),
      prevHash: z.string().max(200),
    })
    .strict(),
  workerSignature: z.string().min(1).max(8_192),
  employerSignature: z.string().min(1).max(8_192),
});

/**
 * A labour contract the worker signed in the wallet (docs/wallet.md, "Labour contracts"): where its review is (the URL
 * with its token: the worker's read access to the contract, its offers and its attendance), the document and hash the
 * worker signed, the worker's own signature, the employer as the review named it, the offers received from it, and the
 * worker's own copies of the co-signed attendance events — enough to prove the hours even if the employer's data is
 * gone. Sealed in the vault like a credential (`labor/<id>`).
 */
export const laborContractRecordSchema = z.object({
  /** The contract version's id at the employer service (the review URL's path). */
  id: z.string().regex(/^[\w.:-]{1,128}$/),
  /** The contract lineage's id and this version (the document's `contractId`, `version`). */
  contractId: z.string().min(1).max(200),
  version: z.number().int().min(1),
  /** `<issuer>/labor/contracts/<id>?t=<token>`. */
  reviewUrl: z.string().url().max(4_000),
  employer: z.object({ name: z.string().max(500), did: z.string().max(4_000) }),
  /** The contract document exactly as signed (its canonical JSON hashes to {@link hash}). */
  document: z.record(z.string(), z.unknown()),
  hash,
  workerSignature: z.object({ signer: z.string().max(4_000), signedAt: isoInstant, jws: z.string().max(8_192) }),
  /** The employer's countersignature of the hash (its did:ethr key), once the review showed it. */
  employerSignature: z.object({ signer: z.string().max(4_000), signedAt: isoInstant, jws: z.string().max(8_192) }).optional(),
  /** The contract's state as the review last said (`awaiting-employer`, `active`, `ended`, `superseded`…). */
  state: z.string().max(64),
  /** Offer links received from this contract's review (not offered again). */
  receivedOffers: z.array(z.string().max(8_192)).max(100),
  /** The worker's copies of the co-signed attendance events, in chain order. */
  events: z.array(signedAttendanceEventSchema).max(20_000),
  savedAt: isoInstant,
  /** When the review or attendance was last read. */
  checkedAt: isoInstant.optional(),
});

/** See {@link laborContractRecordSchema}. */
export type LaborContractRecord = z.infer<typeof laborContractRecordSchema>;
