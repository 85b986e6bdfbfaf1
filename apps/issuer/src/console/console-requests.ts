import { CREDENTIAL_FORMAT_IDS } from '@citycred/formats';
import { MAX_PASSWORD_LENGTH, OPERATOR_ROLES } from '@citycred/tenancy';
import { z } from 'zod';

/** Body of `POST /console/api/session`. */
export const signInSchema = z
  .object({
    tenant: z.string().min(1).max(64),
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  })
  .strict();

/** A credential type name: a catalogue type or an open type (letters, digits, `_`, `.`, `-`). */
const typeName = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/);

/** Body of `POST /console/api/credentials`. */
export const issueSchema = z
  .object({
    type: typeName,
    subject: z.record(z.string(), z.unknown()),
    format: z.enum(CREDENTIAL_FORMAT_IDS).optional(),
    validUntil: z.iso.datetime({ offset: true }).optional(),
    holderDid: z.string().regex(/^did:[a-z0-9]+:\S{1,200}$/).optional(),
  })
  .strict();

/** A parsed console issue request. */
export type ConsoleIssueRequest = z.output<typeof issueSchema>;

/** Body of `POST /console/api/credentials/:id/status`. */
export const statusChangeSchema = z
  .object({
    action: z.enum(['revoke', 'suspend', 'reinstate']),
    reason: z.string().min(1).max(500),
  })
  .strict();

/** Body of `POST /console/api/offers`. */
export const offerSchema = z
  .object({
    type: typeName,
    claims: z.record(z.string(), z.unknown()),
    format: z.enum(['jwt_vc', 'dc+sd-jwt']).default('jwt_vc'),
  })
  .strict();

/** A parsed console offer request. */
export type ConsoleOfferRequest = z.output<typeof offerSchema>;

/** Body of `POST /console/api/operators` (the rules on each field are the operator store's). */
export const newOperatorSchema = z
  .object({
    username: z.string().min(1).max(64),
    displayName: z.string().min(1).max(100),
    role: z.enum(OPERATOR_ROLES as ['admin', 'issuer', 'auditor']),
    password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  })
  .strict();

/** Query of `GET /console/api/credentials`. */
export const credentialListQuerySchema = z
  .object({
    type: typeName.optional(),
    status: z.enum(['valid', 'suspended', 'revoked', 'expired']).optional(),
    q: z.string().min(1).max(100).optional(),
    cursor: z.string().min(1).max(400).optional(),
  })
  .strict();

/** A credential id in a console path. */
export const credentialIdSchema = z.string().min(1).max(100);
