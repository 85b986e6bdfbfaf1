import { randomUUID } from 'node:crypto';
import { credentialHash } from '@citycred/anchoring';
import type { Clock } from '@citycred/config';
import {
  addDuration,
  checkAgeClaims,
  CITYCRED_CONTEXT_URL,
  credentialSchemaUrl,
  CREDENTIAL_TYPES,
  credentialTypeInfo,
  isCredentialType,
  VC_V1_CONTEXT_URL,
  validateCredentialSubject,
  type CredentialTypeName,
} from '@citycred/credentials';
import type { IssuerAgent } from '@citycred/did';
import { AppError, ErrorCode } from '@citycred/errors';
import { AnchorOutboxEntity, inTransaction, IssuedCredentialEntity, type TenantEntity } from '@citycred/persistence';
import type { VerifiableCredential } from '@veramo/core';
import type { DataSource } from 'typeorm';
import type { TenantAccreditations } from '../accreditation/tenant-accreditations.js';
import type { IssueRequest } from './issue-request.js';

const BASE_CONTEXTS = [VC_V1_CONTEXT_URL, CITYCRED_CONTEXT_URL];

/** What issuing returns: the credential in Veramo's JSON form and the hash that will be anchored. */
export interface IssuedCredential {
  verifiableCredential: VerifiableCredential;
  credentialHash: string;
}

/** What issuing asks of the accreditation cache: an answer from memory, no chain call. */
export type IssuanceAccreditation = Pick<TenantAccreditations, 'assertMayIssue'>;

/**
 * Issues credentials for a tenant: refuses a type the tenant is not accredited for on chain now (from the
 * accreditation cache), completes the request into a full credential, checks its subject against
 * the type's JSON Schema, signs it as a JWT with the tenant's did:ethr key, and stores it together with its
 * anchoring outbox row in one transaction.
 */
export class IssuanceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly agent: IssuerAgent,
    private readonly clock: Clock,
    private readonly accreditation: IssuanceAccreditation,
  ) {}

  /**
   * @throws AppError `credential.unknown-type` (400), `issuance.type-not-allowed` (403), `issuance.not-accredited` (403),
   *   `issuance.issuer-mismatch` (403), `issuance.unsupported-format` (400), `credential.schema-invalid` (422),
   *   `request.invalid` (400), `service.unavailable` (503: the accreditation could not be confirmed recently)
   */
  async issue(tenant: TenantEntity, request: IssueRequest): Promise<IssuedCredential> {
    const { credential, options } = request;
    const type = this.credentialType(credential.type);
    if (!tenant.credentialTypes.includes(type)) {
      throw new AppError(ErrorCode.IssuanceTypeNotAllowed, `Tenant ${tenant.slug} is not configured to issue ${type}.`);
    }
    this.accreditation.assertMayIssue(tenant, type);
    const requestedIssuer = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer?.id;
    if (requestedIssuer !== undefined && requestedIssuer !== tenant.did) {
      throw new AppError(ErrorCode.IssuanceIssuerMismatch, `The issuer is the calling tenant's DID ${tenant.did}; omit "issuer" or use that value.`);
    }
    this.checkContexts(credential['@context']);
    if (options.proofFormat !== 'jwt') {
      throw new AppError(ErrorCode.IssuanceUnsupportedFormat, `Proof format ${options.proofFormat} is not offered yet; use "jwt".`);
    }
    const issuedAt = this.clock.now();
    issuedAt.setMilliseconds(0);
    const validation = validateCredentialSubject(type, credential.credentialSubject);
    if (!validation.valid) {
      throw new AppError(ErrorCode.CredentialSchemaInvalid, `The ${type} subject does not match its schema.`, { extensions: { errors: validation.errors } });
    }
    // Age flags are a snapshot at issuance: they must agree with the birth date on the issuance day.
    const ageErrors = checkAgeClaims(credential.credentialSubject, issuedAt);
    if (ageErrors.length > 0) {
      throw new AppError(ErrorCode.CredentialSchemaInvalid, `The ${type} age claims disagree with the birth date on the issuance day.`, { extensions: { errors: ageErrors } });
    }
    const expiresAt = this.expiry(type, issuedAt, credential.expirationDate);
    const id = `urn:uuid:${randomUUID()}`;
    const verifiableCredential = await this.agent.createVerifiableCredential({
      proofFormat: 'jwt',
      credential: {
        '@context': BASE_CONTEXTS,
        id,
        type: ['VerifiableCredential', type],
        issuer: { id: tenant.did },
        issuanceDate: issuedAt.toISOString(),
        ...(expiresAt ? { expirationDate: expiresAt.toISOString() } : {}),
        credentialSchema: { id: credentialSchemaUrl(type), type: 'JsonSchema' },
        credentialSubject: credential.credentialSubject,
      },
    });
    const jwt = (verifiableCredential.proof as { jwt?: string }).jwt;
    if (!jwt) throw new Error('the agent returned a credential without a JWT proof');
    const hash = credentialHash(jwt);
    const subjectId = typeof credential.credentialSubject['id'] === 'string' ? credential.credentialSubject['id'] : null;

    await inTransaction(this.dataSource, async (manager) => {
      await manager.insert(IssuedCredentialEntity, {
        id,
        tenantId: tenant.id,
        type,
        format: 'jwt',
        credentialHash: hash,
        subjectId,
        issuedAt: issuedAt.toISOString(),
        expiresAt: expiresAt?.toISOString() ?? null,
        encoded: jwt,
      });
      await manager.insert(AnchorOutboxEntity, { credentialHash: hash, tenantId: tenant.id, enqueuedAt: issuedAt.toISOString(), batchId: null, leafIndex: null, proof: null });
    });
    return { verifiableCredential, credentialHash: hash };
  }

  private credentialType(type: string | string[]): CredentialTypeName {
    const types = (Array.isArray(type) ? type : [type]).filter((t) => t !== 'VerifiableCredential');
    if (types.length !== 1) {
      throw new AppError(ErrorCode.CredentialUnknownType, 'Give exactly one CityCred credential type besides "VerifiableCredential".');
    }
    const [name] = types as [string];
    if (!isCredentialType(name)) {
      // Named by its field, never by its content: the request may carry anything here, personal data included.
      throw new AppError(ErrorCode.CredentialUnknownType, `credential.type names no credential type this service issues; use one of: ${CREDENTIAL_TYPES.join(', ')}.`);
    }
    return name;
  }

  private checkContexts(context: IssueRequest['credential']['@context']): void {
    if (context === undefined) return;
    const list = Array.isArray(context) ? context : [context];
    const unknown = list.filter((c) => typeof c !== 'string' || !BASE_CONTEXTS.includes(c));
    if (unknown.length > 0) {
      throw new AppError(ErrorCode.RequestInvalid, `Only these @context entries are accepted: ${BASE_CONTEXTS.join(', ')}.`);
    }
  }

  private expiry(type: CredentialTypeName, issuedAt: Date, requested: string | undefined): Date | null {
    const validity = credentialTypeInfo(type).validity;
    const maximum = validity ? addDuration(issuedAt, validity) : null;
    if (requested === undefined) return maximum;
    const asked = new Date(requested);
    if (asked.getTime() <= issuedAt.getTime()) {
      throw new AppError(ErrorCode.RequestInvalid, 'expirationDate must be in the future.');
    }
    if (maximum && asked.getTime() > maximum.getTime()) {
      throw new AppError(ErrorCode.RequestInvalid, `expirationDate may not be later than ${maximum.toISOString()} for ${type}.`);
    }
    return asked;
  }
}
