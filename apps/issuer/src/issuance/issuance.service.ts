import { randomUUID } from 'node:crypto';
import { credentialHash } from '@citycred/anchoring';
import type { Clock } from '@citycred/config';
import { checkAgeClaims, CITYCRED_CONTEXT_URL, credentialSchemaUrl, validateCredentialSubject, vctOf, type CredentialTypeInfo, type StatusPurpose } from '@citycred/credentials';
import { AppError, ErrorCode } from '@citycred/errors';
import { credentialFormat, FormatError, type CredentialFormatId, type JwsSigner, type PublicJwk } from '@citycred/formats';
import { insertRow, inTransaction, isUniqueViolation, IssuedCredentialEntity, type TenantEntity } from '@citycred/persistence';
import type { AuditLog } from '@citycred/tenancy';
import type { DataSource, EntityManager } from 'typeorm';
import type { AnchorQueue } from '../anchoring/anchor-queue.js';
import { completeCredential, type CompletedDraft, type DataModel } from './credential-draft.js';
import { TypeAuthority, type IssuableType } from './type-authority.js';
import type { TypeSchemas } from './type-schemas.js';

/** Who asked for a credential: recorded with it (and in the audit log). */
export interface IssuanceActor {
  readonly kind: 'api-key' | 'operator' | 'offer' | 'import';
  readonly id: string;
}

/** One request to issue, from any transport (VC-API, OpenID4VCI, the console, bulk import). */
export interface IssueCommand {
  /**
   * A W3C credential without proof: `@context` (its first entry picks VCDM 1.1 or 2.0), `type`, `issuer` (the
   * tenant's DID) and `credentialSubject` (with `id`: the holder's DID, when bound to one); `id`, dates and the
   * other data-model members are signed as given when valid. The service fills in only what is missing.
   */
  readonly credential: Readonly<Record<string, unknown>>;
  /** The format; default by data model: 1.1 → `jwt_vc`, 2.0 → `vc+jwt`. */
  readonly format?: CredentialFormatId;
  /** For `dc+sd-jwt`: the holder's public key, bound as `cnf.jwk`. */
  readonly holderJwk?: PublicJwk;
  readonly actor: IssuanceActor;
}

/** What issuing returns. */
export interface IssuedCredential {
  readonly id: string;
  /** The type accredited on chain for it (its catalogue type, or its most specific open type). */
  readonly type: string;
  readonly format: CredentialFormatId;
  /** The credential as it travels: a compact JWT, or an SD-JWT with every disclosure. */
  readonly encoded: string;
  /** 0x SHA-256 of the anchored part: what the chain will hold a Merkle root over. */
  readonly credentialHash: string;
  /** The VC-API JSON form (Veramo's JwtProof2020 form for `jwt_vc`, an EnvelopedVerifiableCredential otherwise). */
  readonly verifiableCredential: unknown;
}

/** Gives the JWS signer of a tenant's current key (held in memory once unsealed). */
export interface TenantSigners {
  signerFor(tenant: Pick<TenantEntity, 'did'>): Promise<JwsSigner>;
}

/** What a credential carries to have its status changed later: W3C status entries, or a Token Status List entry. */
export type StatusAssignment =
  | { readonly kind: 'bitstring'; readonly entries: readonly object[] }
  | { readonly kind: 'token'; readonly uri: string; readonly index: number };

/** Draws status-list entries for a credential inside its issuance transaction. */
export interface StatusAllocator {
  allocate(
    manager: EntityManager,
    tenant: TenantEntity,
    request: {
      readonly credentialId: string;
      readonly kind: 'bitstring' | 'token';
      readonly purposes: readonly StatusPurpose[];
      /** The signer the issuance holds, for a list the allocation opens (no second connection from inside the transaction). */
      readonly signer?: JwsSigner;
    },
  ): Promise<StatusAssignment>;
}

/** The audit log, as issuing writes it: one entry inside the issuance transaction. */
export type IssuanceAudit = Pick<AuditLog, 'append'>;

/** The issuer's public base URL and the skew allowed on client-given issuance dates. */
export interface IssuanceSettings {
  readonly publicUrl: string;
  readonly skewSeconds: number;
}

/**
 * The one issuance command: every transport (VC-API, OpenID4VCI, the console, bulk import) calls {@link issue}.
 * It decides the type through the {@link TypeAuthority} (catalogue rule, tenant configuration, on-chain
 * accreditation), completes the credential ({@link completeCredential}), checks the subject against the type's
 * schema, and in one transaction draws its status entries, signs it in the chosen format with the tenant's key,
 * stores it and queues its hash for anchoring. Independent of HTTP and of how keys are held.
 */
export class IssuanceService {
  private readonly authority: TypeAuthority;

  constructor(
    private readonly dataSource: DataSource,
    private readonly signers: TenantSigners,
    private readonly clock: Clock,
    authority: TypeAuthority,
    private readonly schemas: TypeSchemas,
    private readonly anchors: AnchorQueue,
    private readonly settings: IssuanceSettings,
    private readonly statuses: StatusAllocator | null = null,
    private readonly audit: IssuanceAudit | null = null,
  ) {
    this.authority = authority;
  }

  /**
   * @throws AppError `credential.invalid` (400), `credential.unknown-type` (400), `credential.schema-invalid` (422),
   *   `issuance.issuer-mismatch` (403), `issuance.type-not-allowed` (403), `issuance.not-accredited` (403),
   *   `issuance.unsupported-format` (400), `credential.id-taken` (409), `service.unavailable` (503)
   */
  async issue(tenant: TenantEntity, command: IssueCommand): Promise<IssuedCredential> {
    const issuable = this.authority.authorise(tenant, command.credential['type']);
    const now = this.clock.now();
    now.setMilliseconds(0);
    const schema = await this.subjectSchema(tenant, issuable);
    const draft = completeCredential(command.credential, {
      issuerDid: tenant.did,
      now,
      skewSeconds: this.settings.skewSeconds,
      maxValidity: issuable.catalogue?.validity ?? null,
      newId: () => `urn:uuid:${randomUUID()}`,
      extraContexts: issuable.catalogue ? [CITYCRED_CONTEXT_URL] : [],
      extensionMembers: issuable.catalogue === null,
      managed: { credentialStatus: issuable.catalogue !== null, ...(schema ? { credentialSchema: schema.reference } : {}) },
    });
    const format = this.formatFor(issuable, draft.dataModel, command);
    await this.checkSubject(tenant, issuable, schema, draft, now);

    const signer = await this.signers.signerFor(tenant);
    const idGiven = command.credential['id'] !== undefined;
    try {
      return await this.store(tenant, command, draft, issuable, format, signer, now, idGiven);
    } catch (error) {
      // The transaction was rolled back; an id the client chose that another credential holds is the client's to fix
      // (two requests racing for it meet on a unique key, in the status entries or the credentials).
      if (idGiven && isUniqueViolation(error)) throw idTaken(error);
      throw error;
    }
  }

  private store(
    tenant: TenantEntity,
    command: IssueCommand,
    draft: CompletedDraft,
    issuable: IssuableType,
    format: CredentialFormatId,
    signer: JwsSigner,
    now: Date,
    idGiven: boolean,
  ): Promise<IssuedCredential> {
    return inTransaction(this.dataSource, async (manager) => {
      if (idGiven && (await manager.existsBy(IssuedCredentialEntity, { id: draft.id }))) throw idTaken();
      const credential = { ...draft.credential };
      let tokenStatus: { uri: string; index: number } | undefined;
      if (issuable.catalogue && this.statuses && issuable.catalogue.statusPurposes.length > 0) {
        const kind = format === 'dc+sd-jwt' ? 'token' : 'bitstring';
        const assignment = await this.statuses.allocate(manager, tenant, { credentialId: draft.id, kind, purposes: issuable.catalogue.statusPurposes, signer });
        if (assignment.kind === 'token') tokenStatus = { uri: assignment.uri, index: assignment.index };
        else credential['credentialStatus'] = assignment.entries.length === 1 ? assignment.entries[0] : [...assignment.entries];
      }
      const signed = await this.sign(format, credential, signer, now, issuable, command, tokenStatus);
      const hash = credentialHash(signed.anchoredPart);
      await insertRow(manager, IssuedCredentialEntity, {
        id: draft.id,
        tenantId: tenant.id,
        type: issuable.accreditationType,
        format,
        credentialHash: hash,
        subjectId: draft.subjectId,
        issuedAt: now.toISOString(),
        expiresAt: draft.validUntil?.toISOString() ?? null,
        encoded: signed.encoded,
      });
      await this.anchors.enqueue(manager, { kind: 'credential', digest: hash, tenantId: tenant.id }, now);
      await this.audit?.append(manager, {
        tenantId: tenant.id,
        actor: command.actor,
        action: 'credential.issued',
        target: draft.id,
        details: { type: issuable.accreditationType, format, credentialHash: hash },
        at: now,
      });
      return {
        id: draft.id,
        type: issuable.accreditationType,
        format,
        encoded: signed.encoded,
        credentialHash: hash,
        verifiableCredential: credentialFormat(format).toJson(signed),
      };
    });
  }

  private async subjectSchema(tenant: TenantEntity, issuable: IssuableType) {
    if (issuable.catalogue) {
      return { reference: { id: credentialSchemaUrl(issuable.catalogue.type), type: 'JsonSchema' }, registered: null };
    }
    const registered = await this.schemas.find(tenant.id, issuable.accreditationType);
    if (!registered) return null;
    const url = `${this.settings.publicUrl}/credential-types/${encodeURIComponent(tenant.slug)}/${encodeURIComponent(issuable.accreditationType)}/schema`;
    return { reference: { id: url, type: 'JsonSchema' }, registered };
  }

  private async checkSubject(
    tenant: TenantEntity,
    issuable: IssuableType,
    schema: Awaited<ReturnType<IssuanceService['subjectSchema']>>,
    draft: CompletedDraft,
    now: Date,
  ): Promise<void> {
    const { id: _holder, ...claims } = draft.credential['credentialSubject'] as Record<string, unknown>;
    if (issuable.catalogue) {
      const validation = validateCredentialSubject(issuable.catalogue.type, claims);
      if (!validation.valid) {
        throw new AppError(ErrorCode.CredentialSchemaInvalid, `The ${issuable.catalogue.type} subject does not match its schema.`, { extensions: { errors: validation.errors } });
      }
      // Age flags are a snapshot at issuance: they must agree with the birth date on the issuance day.
      const ageErrors = checkAgeClaims(claims, now);
      if (ageErrors.length > 0) {
        throw new AppError(ErrorCode.CredentialSchemaInvalid, `The ${issuable.catalogue.type} age claims disagree with the birth date on the issuance day.`, { extensions: { errors: ageErrors } });
      }
    } else if (schema?.registered) {
      const violations = this.schemas.violations(tenant.id, issuable.accreditationType, schema.registered, claims);
      if (violations.length > 0) {
        throw new AppError(ErrorCode.CredentialSchemaInvalid, 'The subject does not match the schema registered for its type.', {
          extensions: { errors: violations.map((v) => ({ path: v.pointer, message: v.message })) },
        });
      }
    }
  }

  private formatFor(issuable: IssuableType, dataModel: DataModel, command: IssueCommand): CredentialFormatId {
    const format = command.format ?? (dataModel === '1.1' ? 'jwt_vc' : 'vc+jwt');
    if (format === 'jwt_vc' && dataModel !== '1.1') throw unsupported('jwt_vc signs VC Data Model 1.1 credentials; this one uses 2.0 (use vc+jwt)');
    if (format === 'vc+jwt' && dataModel !== '2.0') throw unsupported('vc+jwt signs VC Data Model 2.0 credentials; this one uses 1.1 (use jwt_vc)');
    if (format === 'dc+sd-jwt' && !sdJwtAllowed(issuable.catalogue)) {
      throw unsupported('dc+sd-jwt is offered for the catalogue types with selectively disclosable claims');
    }
    return format;
  }

  private async sign(
    format: CredentialFormatId,
    credential: Record<string, unknown>,
    signer: JwsSigner,
    issuedAt: Date,
    issuable: IssuableType,
    command: IssueCommand,
    tokenStatus: { uri: string; index: number } | undefined,
  ) {
    try {
      return await credentialFormat(format).sign(
        {
          credential,
          issuedAt,
          ...(format === 'dc+sd-jwt' && issuable.catalogue
            ? {
                vct: vctOf(issuable.catalogue.type),
                // Optional claims (a photo hash) may be absent: only what the subject has is disclosed separately.
                disclosable: issuable.catalogue.selectivelyDisclosable.filter((name) => name in (credential['credentialSubject'] as Record<string, unknown>)),
                ...(command.holderJwk ? { holderJwk: command.holderJwk } : {}),
                ...(tokenStatus ? { tokenStatus } : {}),
              }
            : {}),
        },
        signer,
      );
    } catch (error) {
      if (error instanceof FormatError) {
        throw new AppError(ErrorCode.CredentialInvalid, 'The credential cannot be signed in the requested format; see errors.', {
          cause: error,
          extensions: { errors: [{ pointer: '', message: error.message }] },
        });
      }
      throw error;
    }
  }
}

function idTaken(cause?: unknown): AppError {
  return new AppError(ErrorCode.CredentialIdTaken, 'A credential with this id was already issued; leave "id" out to have one assigned.', cause ? { cause } : {});
}

function sdJwtAllowed(catalogue: CredentialTypeInfo | null): boolean {
  return catalogue !== null && catalogue.formats.includes('sd-jwt');
}

function unsupported(detail: string): AppError {
  return new AppError(ErrorCode.IssuanceUnsupportedFormat, `${detail}.`);
}

