import { z } from 'zod';

const isoInstant = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'an ISO-8601 date and time');

/**
 * One time the citizen shared (or declined to share) something: with whom, when, which credentials and which of their
 * claims. Kept in the vault, sealed like a credential, on this device only (not in backups), until the citizen clears it.
 */
export const sharingRecordSchema = z.object({
  /** The wallet's own id for the entry (random). */
  id: z.string().regex(/^[\w.:-]{1,128}$/),
  at: isoInstant,
  /** How it was shared: an OpenID4VP request, or a `citycred-vp:` code shown to an employer's scanner. */
  channel: z.enum(['oid4vp', 'scan-qr']),
  /** Who asked: the verifier's client identifier, or the scanner's verifier URL. */
  verifier: z.string().min(1).max(4_000),
  /** Why, when the request said so. */
  purpose: z.string().max(2_000).optional(),
  /** `sent` (the verifier took it), `declined` (the citizen said no), `failed` (the verifier refused or was unreachable). */
  outcome: z.enum(['sent', 'declined', 'failed']),
  /** What went out: per credential its record id, its type and the claims disclosed (`*` for a whole JWT VC). */
  shared: z
    .array(z.object({ credentialId: z.string().max(128), type: z.string().max(2_000), claims: z.array(z.string().max(500)).max(200) }))
    .max(50),
});

/** See {@link sharingRecordSchema}. */
export type SharingRecord = z.infer<typeof sharingRecordSchema>;
