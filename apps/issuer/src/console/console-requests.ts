import { CREDENTIAL_FORMAT_IDS } from '@citycred/formats';
import { MAX_PASSWORD_LENGTH, MAX_TENANT_TYPES, OPERATOR_ROLES } from '@citycred/tenancy';
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

/**
 * Body of `POST /console/api/offers/bulk`: the CSV as the clerk chose it (header of claim names, one line per citizen)
 * and the offers' lifetime in seconds (default and ceiling: the issuer's `OID4VCI_BULK_OFFER_TTL_SECONDS`).
 */
export const bulkOfferSchema = z
  .object({
    type: typeName,
    format: z.enum(['jwt_vc', 'dc+sd-jwt']).default('jwt_vc'),
    csv: z.string().min(1).max(512 * 1024),
    expiresIn: z.number().int().min(30).optional(),
  })
  .strict();

/** A parsed console bulk offer request. */
export type ConsoleBulkOfferRequest = z.output<typeof bulkOfferSchema>;

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

/** A tenant slug in a request (the tenant administration checks the slug rule; this bounds the size). */
const slug = z.string().min(1).max(64);
/** A credential type name in a request (the tenant administration checks it against the catalogue and the kind). */
const adminTypeName = z.string().min(1).max(64);
/** A window's end: a date (UTC midnight) or a date-time with offset. */
const windowEnd = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** Body of `POST /console/api/admin/tenants`. */
export const newTenantSchema = z
  .object({
    slug,
    name: z.string().min(1).max(200),
    nameEn: z.string().min(1).max(200).optional(),
    kind: z.enum(['department', 'employer', 'app']),
    types: z.array(adminTypeName).max(MAX_TENANT_TYPES),
    accreditedBy: slug.optional(),
    mayAccredit: z.array(adminTypeName).min(1).max(MAX_TENANT_TYPES).optional(),
    businessNumber: z.string().min(1).max(40).optional(),
    validUntil: windowEnd.optional(),
  })
  .strict()
  // No types only for a department that accredits employers for the types delegated to it (the tenant rules say so too).
  .refine((request) => request.types.length > 0 || (request.kind === 'department' && request.mayAccredit !== undefined), {
    path: ['types'],
    message: 'needs at least one type (none only for a department given mayAccredit)',
  });

/** A parsed admin request to create a tenant. */
export type ConsoleNewTenant = z.output<typeof newTenantSchema>;

/** Body of `POST /console/api/admin/employers`: an employer the admin's department onboards and accredits itself. */
export const newEmployerSchema = z
  .object({
    slug,
    name: z.string().min(1).max(200),
    nameEn: z.string().min(1).max(200).optional(),
    businessNumber: z.string().min(1).max(40),
    types: z.array(adminTypeName).min(1).max(MAX_TENANT_TYPES).optional(),
    validUntil: windowEnd.optional(),
  })
  .strict();

/** A parsed request of a department to onboard an employer. */
export type ConsoleNewEmployer = z.output<typeof newEmployerSchema>;

/** Body of `PUT /console/api/admin/tenants/:slug/accreditations`. */
export const tenantTypesSchema = z
  .object({
    types: z.array(adminTypeName).min(1).max(MAX_TENANT_TYPES),
    accreditedBy: slug.optional(),
    validUntil: windowEnd.optional(),
    reinstate: z.boolean().optional(),
  })
  .strict();

/** A parsed admin request to change a tenant's types. */
export type ConsoleTenantTypes = z.output<typeof tenantTypesSchema>;

/** Body of `POST /console/api/admin/tenants/:slug/rotate-key` (may be absent). */
export const rotateKeySchema = z.object({ force: z.boolean().optional() }).strict();

/** Body of `POST /console/api/admin/tenants/:slug/delegates`. */
export const newDelegateSchema = z
  .object({
    delegate: z.string().min(1).max(200),
    type: z.enum(['veriKey', 'sigAuth']).optional(),
    validDays: z.number().int().optional(),
  })
  .strict();

/** Body of `POST /console/api/admin/tenants/:slug/delegates/revoke`. */
export const delegateRevocationSchema = z
  .object({
    delegate: z.string().min(1).max(200),
    type: z.enum(['veriKey', 'sigAuth']).optional(),
  })
  .strict();

/** Body of `POST /console/api/admin/tenants/:slug/api-keys` (may be absent: label `console`). */
export const newApiKeySchema = z.object({ label: z.string().min(1).max(100).optional() }).strict();
