import { credentialTypeInfo, isCatalogueType, type Labels } from '@citycred/credentials/catalogue';
import { CREDENTIAL_FORMAT_IDS, credentialFormat, detectFormat, type NormalisedCredential, type PublicJwk } from '@citycred/formats';
import { z } from 'zod';

const isoInstant = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'an ISO-8601 date and time');

/** What the wallet last learnt of a credential's status (filled by the receiving and presenting flows). */
export const statusSnapshotSchema = z.object({
  checkedAt: isoInstant,
  state: z.enum(['valid', 'revoked', 'suspended', 'unknown']),
});

/**
 * What the wallet last learnt of the issuer's signature: `verified` (a key the issuer's DID names signed it),
 * `unchecked` (its keys could not be had: `reason` `unavailable` — offline, the resolver or chain down: checked again
 * when the card opens — or `unsupported`, a DID this wallet cannot resolve), `invalid` (a later check found it does
 * not verify). A credential whose signature failed on receipt is never stored.
 */
export const issuerSignatureSnapshotSchema = z.object({
  checkedAt: isoInstant,
  state: z.enum(['verified', 'unchecked', 'invalid']),
  reason: z.string().max(100).optional(),
});

/** See {@link issuerSignatureSnapshotSchema}. */
export type IssuerSignatureSnapshot = z.infer<typeof issuerSignatureSnapshotSchema>;

/**
 * The snapshot a record keeps of a signature reading taken at `at`.
 * @param reading - `verified`, `invalid` (with the format library's reason) or `unchecked` (why)
 */
export function issuerSignatureSnapshot(reading: { readonly state: IssuerSignatureSnapshot['state']; readonly reason?: string }, at: Date): IssuerSignatureSnapshot {
  return { checkedAt: at.toISOString(), state: reading.state, ...(reading.state !== 'verified' && reading.reason !== undefined ? { reason: reading.reason } : {}) };
}

/**
 * One credential as the wallet keeps it (encrypted, one record each). The OpenID4VCI client fills it in when a
 * credential arrives; the display reads the credential from `encoded` through `@citycred/formats`.
 */
export const walletCredentialSchema = z.object({
  /** The wallet's own id for the record (random; not the credential's `jti`, which a credential may lack). */
  id: z.string().regex(/^[\w.:-]{1,128}$/),
  format: z.enum(CREDENTIAL_FORMAT_IDS),
  /** The credential exactly as issued: a compact JWT, or an SD-JWT with all its disclosures. */
  encoded: z.string().min(1).max(1_000_000),
  /** The issuer's DID. */
  issuer: z.string().min(1).max(2_000),
  /** The credential's primary type (`SeoulCitizenCard`, or an SD-JWT VC's `vct`). */
  type: z.string().min(1).max(2_000),
  receivedAt: isoInstant,
  /**
   * The OpenID4VCI credential issuer (`https://…/oid4vci/<slug>`) it came from, so its anchor proof can be asked for
   * later ({@link issuerServiceUrlOf}); absent for a credential that arrived otherwise (an old backup).
   */
  credentialIssuer: z.url({ protocol: /^https?$/ }).max(2_000).optional(),
  /** The issuer's anchor proof (Merkle path and root), once the wallet has fetched it. */
  anchorProof: z.record(z.string(), z.unknown()).optional(),
  status: statusSnapshotSchema.optional(),
  /** The issuer's signature as last checked; absent for a record made before the wallet checked signatures, or imported. */
  issuerSignature: issuerSignatureSnapshotSchema.optional(),
});

/** See {@link walletCredentialSchema}. */
export type WalletCredential = z.infer<typeof walletCredentialSchema>;

/**
 * A record for a credential just received, read from its bytes (format, issuer and type as the credential states
 * them; nothing verified here).
 * @param encoded - the credential as issued
 * @param receivedAt - when it arrived
 * @param extra - what the wallet knows besides the bytes: where it came from, its anchor proof and status
 * @throws FormatError from `@citycred/formats` for bytes that are no credential it reads
 */
export function credentialRecordOf(encoded: string, receivedAt: Date, extra: Pick<WalletCredential, 'anchorProof' | 'status' | 'credentialIssuer' | 'issuerSignature'> = {}): WalletCredential {
  const format = detectFormat(encoded);
  const decoded = credentialFormat(format).decode(encoded);
  return walletCredentialSchema.parse({
    id: globalThis.crypto.randomUUID(),
    format,
    encoded,
    issuer: decoded.issuer,
    type: decoded.primaryType,
    receivedAt: receivedAt.toISOString(),
    ...extra,
  });
}

/** Whom a credential is bound to, compared with this wallet's holder key. */
export type HolderBinding = 'this-wallet' | 'other-key' | 'unbound';

/** What a card shows: the credential read through its format (never a second parser). */
export interface CredentialView {
  readonly record: WalletCredential;
  readonly decoded: NormalisedCredential;
  /** The catalogue's labels of the type, when it is one of the city's; else undefined (show {@link typeName}). */
  readonly labels?: Labels;
  /** The type's name: a catalogue name, or the type as the credential states it. */
  readonly typeName: string;
  readonly binding: HolderBinding;
  /** Whether `now` lies outside the credential's validity period. */
  readonly expired: boolean;
  readonly notYetValid: boolean;
}

/**
 * Reads a stored credential for display with `credentialFormat(format).decode` from `@citycred/formats`.
 * @param holder - this wallet's holder key (its DID and public JWK), to tell whether the credential is bound to it
 * @param now - to tell expiry
 * @throws FormatError when the stored bytes do not decode (the app shows such a record as unreadable)
 */
export function viewCredential(record: WalletCredential, holder: { did: string; jwk: PublicJwk } | undefined, now: Date): CredentialView {
  const decoded = credentialFormat(record.format).decode(record.encoded);
  const typeName = catalogueName(decoded.primaryType) ?? decoded.primaryType;
  return {
    record,
    decoded,
    labels: isCatalogueType(typeName) ? credentialTypeInfo(typeName).labels : undefined,
    typeName,
    binding: bindingOf(decoded, holder),
    expired: decoded.validUntil !== undefined && decoded.validUntil.getTime() < now.getTime(),
    notYetValid: decoded.validFrom !== undefined && decoded.validFrom.getTime() > now.getTime(),
  };
}

/** The catalogue name of a type: itself, or the last path segment of an SD-JWT VC's `vct` URL. */
function catalogueName(type: string): string | undefined {
  if (isCatalogueType(type)) return type;
  const last = type.split('/').at(-1);
  return last !== undefined && isCatalogueType(last) ? last : undefined;
}

function bindingOf(decoded: NormalisedCredential, holder: { did: string; jwk: PublicJwk } | undefined): HolderBinding {
  const { id, jwk } = decoded.holder;
  if (id === undefined && jwk === undefined) return 'unbound';
  if (!holder) return 'other-key';
  if (id !== undefined && (id === holder.did || id.startsWith(`${holder.did}#`))) return 'this-wallet';
  if (jwk !== undefined && jwk.x === holder.jwk.x && jwk.y === holder.jwk.y && jwk.crv === holder.jwk.crv) return 'this-wallet';
  return 'other-key';
}
