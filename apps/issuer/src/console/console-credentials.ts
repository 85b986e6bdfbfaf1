import { commonSchema, COMMON_SCHEMA_URL, credentialSchema, credentialTypeInfo, isCredentialType, VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL } from '@citycred/credentials';
import { AppError, ErrorCode } from '@citycred/errors';
import type { CredentialFormatId } from '@citycred/formats';
import type { StatusAction, TenantEntity } from '@citycred/persistence';
import QRCode from 'qrcode';
import type { IssuanceService } from '../issuance/issuance.service.js';
import type { TypeSchemas } from '../issuance/type-schemas.js';
import { offerConfigurationId } from './console-offer-imports.js';
import type { ConsoleIdentity } from './console-sessions.js';
import type { ConsoleCertificates, ConsoleOffers, ConsoleStatusChanges } from './console-ports.js';
import type { ConsoleReadModel } from './console-read-model.js';
import type { ConsoleIssueRequest, ConsoleOfferRequest } from './console-requests.js';

/** A credential type as the console's issue form needs it. */
export interface ConsoleCredentialType {
  readonly type: string;
  readonly labels: { readonly ko: string; readonly en: string };
  readonly formats: readonly CredentialFormatId[];
  /** The JSON Schema of the subject, or null for an open type without a registered schema. */
  readonly schema: unknown;
  readonly disclosable: readonly string[];
  /** ISO-8601 duration from issuance to the latest expiry, or null. */
  readonly maxValidity: string | null;
}

/** A credential issued from the console. */
export interface ConsoleIssued {
  readonly id: string;
  readonly type: string;
  readonly format: CredentialFormatId;
  readonly credentialHash: string;
  readonly encoded: string;
}

/** An OpenID4VCI offer made from the console, ready for a QR on screen. */
export interface ConsoleOffer {
  readonly offerUri: string;
  readonly qrSvg: string;
  readonly txCode: string | null;
  readonly expiresAt: string;
}

const unavailable = (what: string) => new AppError(ErrorCode.ConsoleFeatureUnavailable, `${what} is not available on this issuer yet.`);

/**
 * What an operator does with credentials in the console, always as the signed-in operator of the signed-in tenant:
 * issue (the one issuance command), change a status (the status-list context), make an OpenID4VCI offer, print a
 * certificate, and which types the tenant issues. Contexts not wired into the issuer yet (offers, certificates,
 * status lists) answer 501 `console.feature-unavailable`.
 */
export class ConsoleCredentials {
  constructor(
    private readonly issuance: Pick<IssuanceService, 'issue'>,
    private readonly schemas: Pick<TypeSchemas, 'find'>,
    private readonly reads: Pick<ConsoleReadModel, 'issued'>,
    private readonly statuses: ConsoleStatusChanges | null,
    private readonly offers: ConsoleOffers | null,
    private readonly certificates: ConsoleCertificates | null,
  ) {}

  /** The tenant's types: catalogue types with their schema, or open types with the schema registered for them. */
  async types(tenant: TenantEntity): Promise<ConsoleCredentialType[]> {
    const types: ConsoleCredentialType[] = [];
    for (const type of tenant.credentialTypes) {
      if (isCredentialType(type)) {
        const info = credentialTypeInfo(type);
        types.push({
          type,
          labels: { ko: info.labels.ko, en: info.labels.en },
          formats: ['jwt_vc', 'vc+jwt', ...(info.formats.includes('sd-jwt') ? (['dc+sd-jwt'] as const) : [])],
          // One compound document (JSON Schema 2020-12 bundling): the browser resolves common.json's definitions without fetching.
          schema: { ...credentialSchema(type), $defs: { [COMMON_SCHEMA_URL]: commonSchema() } },
          disclosable: info.selectivelyDisclosable,
          maxValidity: info.validity,
        });
      } else {
        const registered = await this.schemas.find(tenant.id, type);
        types.push({ type, labels: { ko: type, en: type }, formats: ['jwt_vc', 'vc+jwt'], schema: registered?.document ?? null, disclosable: [], maxValidity: null });
      }
    }
    return types;
  }

  /**
   * Issues a credential through the one issuance command, as the operator (VCDM 1.1 for `jwt_vc` and `dc+sd-jwt`,
   * 2.0 for `vc+jwt`).
   * @throws what `IssuanceService.issue` throws (the type's rules, the schema, accreditation …)
   */
  async issue(identity: ConsoleIdentity, request: ConsoleIssueRequest): Promise<ConsoleIssued> {
    const format = request.format ?? 'jwt_vc';
    const v2 = format === 'vc+jwt';
    const credential: Record<string, unknown> = {
      '@context': [v2 ? VC_V2_CONTEXT_URL : VC_V1_CONTEXT_URL],
      type: request.type === 'VerifiableCredential' ? ['VerifiableCredential'] : ['VerifiableCredential', request.type],
      issuer: identity.tenant.did,
      credentialSubject: request.holderDid ? { ...request.subject, id: request.holderDid } : request.subject,
      ...(request.validUntil ? { [v2 ? 'validUntil' : 'expirationDate']: request.validUntil } : {}),
    };
    const issued = await this.issuance.issue(identity.tenant, { credential, format, actor: { kind: 'operator', id: identity.operator.username } });
    return { id: issued.id, type: issued.type, format: issued.format, credentialHash: issued.credentialHash, encoded: issued.encoded };
  }

  /**
   * Revokes, suspends or reinstates one of the tenant's credentials.
   * @throws AppError `console.feature-unavailable` (501) without the status-list context; what `changeStatus`
   *   throws (404 for another tenant's credential, 409 revoked …)
   */
  async changeStatus(identity: ConsoleIdentity, credentialId: string, action: StatusAction, reason: string): Promise<{ status: 'valid' | 'suspended' | 'revoked' }> {
    if (!this.statuses) throw unavailable('Changing a status');
    const change = await this.statuses.changeStatus(identity.tenant, { credentialId, action, reason, actor: `operator:${identity.operator.username}` });
    return { status: change.status === 'active' ? 'valid' : change.status };
  }

  /**
   * Makes an OpenID4VCI offer (by reference, with a transaction code) and its QR code.
   * @throws AppError `console.feature-unavailable` (501) without the OpenID4VCI context; what `createOffer` throws
   */
  async offer(identity: ConsoleIdentity, request: ConsoleOfferRequest): Promise<ConsoleOffer> {
    if (!this.offers) throw unavailable('Making OpenID4VCI offers');
    const credentialConfigurationId = offerConfigurationId(request.type, request.format);
    const offer = await this.offers.createOffer(identity.tenant, { credentialConfigurationId, claims: request.claims, txCode: true }, { kind: 'operator', id: identity.operator.username });
    const qrSvg = await QRCode.toString(offer.credential_offer_link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { offerUri: offer.credential_offer_link, qrSvg, txCode: offer.tx_code ?? null, expiresAt: offer.expiresAt };
  }

  /**
   * The PDF certificate of one of the tenant's credentials.
   * @throws AppError `credential.not-found` (404), `console.feature-unavailable` (501: no renderer wired)
   */
  async certificate(identity: ConsoleIdentity, credentialId: string): Promise<Uint8Array> {
    const issued = await this.reads.issued(identity.tenant.id, credentialId);
    if (!this.certificates) throw unavailable('Printing certificates');
    return this.certificates.render(issued, identity.tenant);
  }
}
