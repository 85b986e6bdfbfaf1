import type { CredentialFormatId } from '@citycred/formats';
import type { StatusAction, TenantEntity } from '@citycred/persistence';

/**
 * The status-list context as the console uses it: the `StatusLists` facade (apps/issuer/src/status-list) fits as is.
 * `changeStatus` answers 404 `status.unknown-credential` for another tenant's credential.
 */
export interface ConsoleStatusChanges {
  changeStatus(
    tenant: Pick<TenantEntity, 'id' | 'did'>,
    request: { readonly credentialId: string; readonly action: StatusAction; readonly reason?: string | undefined; readonly actor: string },
  ): Promise<{ readonly status: 'active' | 'suspended' | 'revoked'; readonly changed: boolean }>;
}

/** An OpenID4VCI offer as made for the console. */
export interface ConsoleCreatedOffer {
  readonly credential_offer_link: string;
  readonly tx_code?: string;
  readonly expiresAt: string;
}

/** The OpenID4VCI context as the console uses it: the `Oid4vciService` (apps/issuer/src/oid4vci) fits as is. */
export interface ConsoleOffers {
  createOffer(
    tenant: TenantEntity,
    request: { credentialConfigurationId: string; claims: Record<string, unknown>; txCode: boolean; expiresInSeconds?: number | undefined },
    actor: { kind: 'api-key' | 'operator'; id: string },
  ): Promise<ConsoleCreatedOffer>;
}

/** The longest lifetimes of offers, in seconds (`OID4VCI_OFFER_TTL_SECONDS`, `OID4VCI_BULK_OFFER_TTL_SECONDS`). */
export interface ConsoleOfferLifetimes {
  readonly offerSeconds: number;
  readonly bulkOfferSeconds: number;
}

/** One row of a bulk offer as the OpenID4VCI context reports it: the offer made (secrets included, this once), or its error. */
export type ConsoleBulkRow =
  | ({ readonly row: number } & ConsoleCreatedOffer & { readonly offerId: string })
  | { readonly row: number; readonly error: { readonly code: string; readonly pointer: string } };

/**
 * The OpenID4VCI context's bulk offers as the console uses them: `Oid4vciBulkOffers` (apps/issuer/src/oid4vci) fits
 * as is. `rowsFromCsv` throws 400 `request.invalid` (`errors[].path` `/csv`) for CSV it cannot read.
 */
export interface ConsoleBulkOffers {
  /** The longest lifetimes of offers: a single offer's, and a bulk offer's (its default too). */
  offerLifetimes(): ConsoleOfferLifetimes;
  rowsFromCsv(tenant: TenantEntity, configurationId: string, csv: string): Array<Record<string, unknown>>;
  run(
    tenant: TenantEntity,
    rows: ReadonlyArray<{ credentialConfigurationId: string; claims: Record<string, unknown>; txCode: boolean; expiresInSeconds?: number | undefined }>,
    actor: { kind: 'api-key' | 'operator'; id: string },
  ): Promise<{ readonly jobId: string; readonly total: number; readonly rows: readonly ConsoleBulkRow[] }>;
}

/** What a certificate is printed from: the credential as issued (never re-signed); `IssuedCredentialEntity` fits. */
export interface CertificateSource {
  readonly id: string;
  readonly type: string;
  readonly format: CredentialFormatId;
  /** The credential as it travels (compact JWT or SD-JWT). */
  readonly encoded: string;
  readonly issuedAt: string;
  readonly expiresAt: string | null;
  readonly tenantId?: string;
}

/**
 * Port: renders the A4 Korean certificate of a credential with a QR anyone can check. The certificates context's
 * `CertificateRenderer` (apps/issuer/src/certificates) fits as is; without one wired the console's certificate route
 * answers 501 `console.feature-unavailable`.
 */
export interface ConsoleCertificates {
  /** @returns the PDF bytes */
  render(credential: CertificateSource, tenant: Pick<TenantEntity, 'name' | 'nameEn' | 'did'>): Promise<Uint8Array>;
}

/** Injection token of the {@link ConsoleStatusChanges} (null when the status-list module is not wired). */
export const CONSOLE_STATUS_CHANGES = Symbol.for('citycred.issuer.console.status-changes');
/** Injection token of the {@link ConsoleOffers} (null when the OpenID4VCI module is not wired). */
export const CONSOLE_OFFERS = Symbol.for('citycred.issuer.console.offers');
/** Injection token of the {@link ConsoleBulkOffers} (null when the OpenID4VCI module is not wired). */
export const CONSOLE_BULK_OFFERS = Symbol.for('citycred.issuer.console.bulk-offers');
/** Injection token of the {@link ConsoleCertificates} (null when no renderer is wired). */
export const CERTIFICATE_RENDERER = Symbol.for('citycred.issuer.console.certificate-renderer');
