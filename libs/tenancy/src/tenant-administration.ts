import { credentialTypeHash, issuerRegistryAt, type AccreditationView, type CityDeployment, type IssuerRegistryContract } from '@citycred/anchors';
import { CityChain, isChainUnavailable } from '@citycred/chain';
import { CREDENTIAL_TYPES, credentialTypeInfo, isAccreditedEmployerIssuer } from '@citycred/credentials';
import type { Clock } from '@citycred/config';
import { didRegistryAt, type DelegateType } from '@citycred/did';
import { AppError, ErrorCode } from '@citycred/errors';
import { inTransaction, isDatabaseUnavailable, isUniqueViolation, TenantEntity, type TenantKind } from '@citycred/persistence';
import { getAddress, isAddress, isError, Wallet, type Provider, type Signer } from 'ethers';
import type { DataSource, EntityManager } from 'typeorm';
import { accreditFromChainTime, chainTime, fundTenantAccounts, isoSeconds, registryRefusalName, revokeAccreditationWindow } from './accreditation.js';
import { recordAdminChange, type AdminActor } from './admin-actor.js';
import { ApiKeyAdministration } from './api-key-administration.js';
import type { ApiKeySummary } from './api-key-store.js';
import type { AuditDetails } from './audit-entry.js';
import type { AuditLog } from './audit-log.js';
import type { TenantSeed } from './demo-tenants.js';
import type { KeyRotation, TenantDirectory } from './tenant-directory.js';
import { checkedBusinessNumber, delegatedTypeIssues, invalidTenantRequest, nameIssues, slugIssues, TENANT_KINDS, TENANT_SLUG, typeIssues, type TenantRequestIssue } from './tenant-rules.js';

/** Length of an accreditation window when no end is given: a year. */
export const DEFAULT_ACCREDITATION_SECONDS = 365n * 86_400n;

/** How long a delegate is valid when no validity is given, and the longest it may be, in days. */
export const DEFAULT_DELEGATE_DAYS = 365;
export const MAX_DELEGATE_DAYS = 3650;

/** The label of the API key a new tenant is given. */
export const ONBOARDING_KEY_LABEL = 'onboarding';

/** The custom errors of the IssuerRegistry an administrator may meet, with what to do about them. */
const REGISTRY_REFUSALS: Readonly<Record<string, string>> = {
  NotRoot: "CITY_ROOT_KEY is not the registry's root",
  AccreditorNotAuthorized: 'the department is not delegated this type by the city root',
  IssuerIsSuspended: 'the city root suspended this issuer for the type (a revocation by the root does); reinstate it first',
  OverlappingWindow: 'the tenant already has a window for the type that has not ended',
  BackdatedAccreditation: "the chain's latest block is older than the registry allows: is the chain producing blocks?",
  NotAnEmployer: 'a department may accredit only employers (addresses the root never accredited or delegated to)',
  RootNotAllowed: 'the city root itself cannot be accredited',
  SelfAccreditation: 'a department cannot accredit itself',
  NotIdentityOwner: "the department's key does not own its identity on chain (ERC-1056): finish its key rotation first",
  NotTheAccreditor: 'a department revokes only the windows it made',
};

/**
 * Why an anchorer registration that should have ended did not: `unavailable` (the chain did not answer),
 * `insufficient-funds` (the key sending `withdrawAnchorer` cannot pay its gas), `refused` (the contract refused or the
 * transaction reverted) or `unknown`.
 */
export type AnchorerWithdrawalFailure = 'unavailable' | 'insufficient-funds' | 'refused' | 'unknown';

/**
 * What a change did to the anchorer registrations whose right it ended (CredentialAnchor's `registerAnchorer` lasts
 * until the accreditation window's end; a revocation, a type removed or a key rotation ends the right before that, and
 * `withdrawAnchorer` ends the registration: docs/anchoring.md#the-contract). Types are named; a type the sweep
 * ({@link TenantAdministration.withdrawAnchorers}) meets that neither the tenant nor the catalogue names is its hash.
 */
export interface AnchorerWithdrawals {
  /** Registrations ended: the key, the type and the `withdrawAnchorer` transaction. */
  withdrawn: { anchorer: string; type: string; txHash: string }[];
  /**
   * Registrations that should have ended and did not: the key can still anchor for the type (verifiers refuse what it
   * anchors, but the issuer's event log records it) until {@link TenantAdministration.withdrawAnchorers} (`tenants
   * withdraw-anchorers <slug>`) ends them. The change itself stands.
   */
  failed: { anchorer: string; type: string; reason: AnchorerWithdrawalFailure }[];
}

/** A tenant to create ({@link TenantAdministration.onboard}). */
export interface NewTenant {
  slug: string;
  /** The name as the city writes it (Korean for its departments). */
  name: string;
  nameEn?: string | undefined;
  kind: TenantKind;
  /** The credential types it issues and is accredited for; for an app operator its own types (open issuance). */
  types: readonly string[];
  /** For an employer: the department that accredits it (else the city root does). */
  accreditedBy?: string | undefined;
  /**
   * For a department: the labour types it may accredit employers for (the city root delegates them). A department
   * given some may have no `types` of its own (it only accredits employers, as the demo's `labor`).
   */
  mayAccredit?: readonly string[] | undefined;
  /**
   * For an employer (required): its business registration number, checked with `readBusinessNumber` (format and the
   * National Tax Service's check digit) and stored as `NNN-NN-NNNNN`.
   */
  businessNumber?: string | undefined;
  /** End of its accreditation window, unix seconds (default a year from the chain's present). */
  validUntil?: bigint | undefined;
}

/** An employer a department onboards and accredits itself ({@link TenantAdministration.onboardEmployer}). */
export interface NewEmployer {
  slug: string;
  name: string;
  nameEn?: string | undefined;
  businessNumber: string;
  /** The labour types it is accredited for; default every type delegated to the department now. */
  types?: readonly string[] | undefined;
  validUntil?: bigint | undefined;
}

/** One accreditation window made. */
export interface WindowMade {
  types: string[];
  /** The accrediting department's slug, or null for the city root. */
  accreditedBy: string | null;
  /** ISO 8601 UTC: the chain's latest block time when it was sent. */
  validFrom: string;
  /** ISO 8601 UTC, exclusive. */
  validUntil: string;
  txHash: string;
}

/** What {@link TenantAdministration.onboard} made. */
export interface OnboardedTenant {
  tenant: TenantEntity;
  /** The first API key, in full: shown once, only its SHA-256 is kept. */
  apiKey: string;
  apiKeySummary: Omit<ApiKeySummary, 'tenantSlug'>;
  /** The window made now; null when an interrupted onboarding had already accredited every type. */
  accreditation: WindowMade | null;
  /** Labour types the city root delegated to the new department. */
  delegated: string[];
  /** Whether its account was topped up from the city root (embedded local chain). */
  funded: boolean;
  /** Whether an earlier, interrupted onboarding of the slug had prepared its identity (and perhaps more). */
  resumed: boolean;
}

/** A tenant and what the IssuerRegistry says of it now. */
export interface TenantOverview {
  slug: string;
  name: string;
  nameEn: string | null;
  kind: TenantKind;
  did: string;
  address: string;
  types: string[];
  createdAt: string;
  /**
   * An employer's business registration number (`NNN-NN-NNNNN`), else null. An overview is for the city's
   * administrators, the tenant itself and (for an employer) its accrediting department only: never publish it.
   */
  businessNumber: string | null;
  /**
   * For an employer: the slug of the department that made its latest accreditation window (of any of its types), or
   * `city-root`; null when it was never accredited, and for other kinds.
   */
  accreditedBy: string | null;
  /** For a department: the labour types the city root delegates to it now (it may accredit employers for them); else []. */
  mayAccredit: string[];
  accreditation: {
    /** `accredited` for all its types, `partly-accredited`, or `not-accredited` for none. */
    state: 'accredited' | 'partly-accredited' | 'not-accredited';
    accredited: string[];
    notAccredited: string[];
    /** Types the city root suspended it for (a root revocation leaves a suspension until reinstated). */
    suspended: string[];
    /** The chain's latest block time the answer is as of, ISO 8601 UTC. */
    asOf: string;
  };
}

/** What {@link TenantAdministration.setTypes} changed. */
export interface TypesChange {
  tenant: TenantEntity;
  /** The window made for the types added (null: none needed one). */
  accredited: WindowMade | null;
  /** Types whose live windows were revoked. */
  revoked: string[];
  /** Types whose suspension was lifted. */
  reinstated: string[];
  /** Types the tenant was already accredited for. */
  unchanged: string[];
  /** The anchorer registrations of the types dropped, ended after their revocation. */
  anchorers: AnchorerWithdrawals;
}

/** One type's outcome of {@link TenantAdministration.revoke} or {@link TenantAdministration.reinstate}. */
export interface TypeOutcome {
  type: string;
  /** Windows revoked, or 1 / 0 for a suspension lifted or none to lift. */
  changed: number;
}

/** A delegate of a tenant's identity ({@link TenantAdministration.addDelegate}). */
export interface DelegateChange {
  tenant: TenantEntity;
  delegate: string;
  type: DelegateType;
  /** Days it is valid for (added), or null (revoked). */
  validDays: number | null;
  txHash: string;
  blockNumber: number | null;
}

/** Where a {@link TenantAdministration} works. */
export interface TenantAdministrationOptions {
  dataSource: DataSource;
  directory: TenantDirectory;
  /** The city chain: reads and the transactions sent. */
  provider: Provider;
  /** The city's contracts: the registries, the CredentialAnchor (anchorer registrations) and the block deployed at. */
  deployment: CityDeployment;
  audit: AuditLog;
  clock: Clock;
  /**
   * The city root's private key (the IssuerRegistry's root, `CITY_ROOT_KEY`): it signs onboarding and accrediting
   * departments and app operators, revocations and reinstatements. Without it those answer
   * `tenant.root-key-unavailable`; what a tenant's own key signs (key rotation, delegates, employers accredited by
   * their department) and API keys work without it.
   */
  rootKey?: string | undefined;
  /** Tops up new tenants' accounts from the city root (the embedded local chain's play money). */
  fundNewTenants?: boolean | undefined;
}

/**
 * The city's administration of tenants, shared by the issuer's admin API and the platform CLI (`tenants`): creates
 * tenants and accredits them on the IssuerRegistry, changes what they are accredited for, rotates their keys through
 * the ERC-1056 registry, manages their delegates and API keys. Every change enters the audit log of the tenant changed
 * (and of the acting operator's tenant), once what it records exists.
 *
 * Chain writes are sent one at a time per instance (they share the root's and the tenants' nonces). A refusal of the
 * registry is `tenant.accreditation-refused` (409, `refusal` names the contract's error); a chain that does not
 * answer is `service.unavailable` (503); the database's outage propagates (503 at the HTTP edge).
 *
 * Onboarding writes nothing a tenant could use until the chain has accredited it: the identity (its key, sealed in
 * the database) is prepared first, then funded and accredited, and only then are the tenant row, its first API key and
 * the audit entry written, in one transaction. If anything fails in between there is no tenant (no row, no API key,
 * nothing it can issue); onboarding the same slug again takes the prepared identity over and sends only what the
 * chain does not have yet (an accreditation already made is not made twice).
 *
 * A change that ends a right to anchor — a revocation, a type dropped, a key rotation — then ends the anchorer
 * registrations that stood for it (`withdrawAnchorer`, once the chain has made the change that allows it), so a key
 * that lost the right (a leaked one) cannot go on anchoring until the window's end. A withdrawal that fails does not
 * undo the change: the answer and the audit entry say so, and {@link withdrawAnchorers} retries it.
 */
export class TenantAdministration {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly registry: IssuerRegistryContract;
  private readonly chain: CityChain;
  private readonly keys: ApiKeyAdministration;

  constructor(private readonly options: TenantAdministrationOptions) {
    this.registry = issuerRegistryAt(options.deployment.issuerRegistry, options.provider);
    this.chain = new CityChain(options.provider, options.deployment);
    this.keys = new ApiKeyAdministration({ dataSource: options.dataSource, apiKeys: options.directory.apiKeys, audit: options.audit });
  }

  /** Every tenant, by slug, with what the registry says of it at the chain's present. */
  async list(): Promise<TenantOverview[]> {
    const tenants = await this.options.directory.list();
    return this.onChain(() => describeTenants(this.options, tenants));
  }

  /**
   * One tenant with what the registry says of it now.
   * @throws AppError `tenant.not-found` (404)
   */
  async overview(slug: string): Promise<TenantOverview> {
    const tenant = await this.tenant(slug);
    const departments = tenant.kind === 'employer' ? await this.options.directory.list() : [];
    return this.onChain(async () => overviewOf(this.registry, tenant, await chainTime(this.options.provider), departmentSlugs(departments)));
  }

  /**
   * The tenant with this slug.
   * @throws AppError `tenant.not-found` (404) for an unknown slug (and for a string that cannot be one)
   */
  async tenant(slug: string): Promise<TenantEntity> {
    const tenant = TENANT_SLUG.test(slug) ? await this.options.directory.findBySlug(slug) : null;
    if (!tenant) throw new AppError(ErrorCode.TenantNotFound, 'There is no tenant with this slug.');
    return tenant;
  }

  /**
   * Creates a tenant: checks everything it can first (the request, the slug free, the accreditor able to accredit the
   * types, the window's end after the chain's present), prepares its did:ethr identity, funds its account when so
   * configured, accredits it from the chain's present (a department also gets the labour types it may accredit
   * employers for), then writes the tenant, its first API key and `tenant.created` in one transaction. See the class
   * comment for what an interruption leaves and how a retry completes it.
   * @throws AppError `tenant.invalid` / `credential.unknown-type` (400) naming each issue; `tenant.slug-taken` (409);
   *   `tenant.accreditation-refused` (409: the department is not delegated a type, the registry refused);
   *   `tenant.root-key-unavailable` (503); `service.unavailable` (503: the chain does not answer)
   */
  async onboard(request: NewTenant, by: AdminActor): Promise<OnboardedTenant> {
    const issues = [
      ...slugIssues(request.slug),
      ...nameIssues(request.name, '/name'),
      ...(request.nameEn === undefined ? [] : nameIssues(request.nameEn, '/nameEn')),
      ...(TENANT_KINDS.includes(request.kind)
        ? typeIssues(request.types, request.kind, '/types', { allowNone: request.kind === 'department' && (request.mayAccredit?.length ?? 0) > 0 })
        : [{ pointer: '/kind', message: 'is department, employer or app (an app operator issuing its own types)' }]),
      ...(request.accreditedBy !== undefined && request.kind !== 'employer' ? [{ pointer: '/accreditedBy', message: 'is for employers: the city root accredits departments and app operators' }] : []),
      ...(request.mayAccredit !== undefined && request.kind !== 'department' ? [{ pointer: '/mayAccredit', message: 'is for departments: only they accredit employers' }] : []),
      ...(request.mayAccredit !== undefined && request.kind === 'department' ? delegatedTypeIssues(request.mayAccredit) : []),
    ];
    if (issues.length > 0) throw invalidTenantRequest(issues, 'The tenant cannot be created as asked');
    const businessNumber = checkedBusinessNumber(request.businessNumber, request.kind);
    return this.serially(() => this.onChain(() => this.create({ ...request, businessNumber: businessNumber ?? undefined }, by)));
  }

  /**
   * The labour types the city root delegates to the tenant now (`canAccredit`): what it may accredit employers for.
   * Empty for a tenant that is not a department.
   * @throws `tenant.not-found`; `service.unavailable` (503)
   */
  async delegatedTypes(departmentSlug: string): Promise<string[]> {
    const department = await this.tenant(departmentSlug);
    return this.onChain(() => delegatedTypesOf(this.registry, department));
  }

  /**
   * The employers the department accredits: those whose latest accreditation window it made, with their business
   * registration numbers and accreditation now (empty for a tenant that is not a department).
   * @throws `tenant.not-found`; `service.unavailable` (503)
   */
  async employersOf(departmentSlug: string): Promise<TenantOverview[]> {
    const department = await this.tenant(departmentSlug);
    if (department.kind !== 'department') return [];
    const overviews = await this.list();
    return overviews.filter((overview) => overview.kind === 'employer' && overview.accreditedBy === department.slug);
  }

  /**
   * A department onboards an employer and accredits it itself, with its own key, for labour types the city root
   * delegated to it (default: all of them) — {@link onboard} with `kind: 'employer'` and `accreditedBy` the
   * department, so the same checks apply (the business registration number first among them).
   * @throws as {@link onboard}; `tenant.accreditation-refused` (409, refusal `AccreditorNotAuthorized`) when the
   *   tenant is not a department or is delegated no labour type, or a type asked is not delegated to it
   */
  async onboardEmployer(departmentSlug: string, request: NewEmployer, by: AdminActor): Promise<OnboardedTenant> {
    const department = await this.tenant(departmentSlug);
    const delegated = department.kind === 'department' ? await this.delegatedTypes(departmentSlug) : [];
    if (delegated.length === 0) {
      throw new AppError(ErrorCode.TenantAccreditationRefused, `${department.slug} may not accredit employers: the city root has delegated no labour type to it.`, {
        extensions: { refusal: 'AccreditorNotAuthorized' },
      });
    }
    return this.onboard(
      {
        slug: request.slug,
        name: request.name,
        nameEn: request.nameEn,
        kind: 'employer',
        types: request.types ?? delegated,
        accreditedBy: department.slug,
        businessNumber: request.businessNumber,
        validUntil: request.validUntil,
      },
      by,
    );
  }

  /**
   * Accredits an existing tenant anew for `types` (default: its configured types) from the chain's present, by the
   * city root or, for an employer, by `accreditedBy`; types not configured yet are added to its configuration.
   * @throws as {@link onboard}; `tenant.not-found` (404); `tenant.accreditation-refused` `OverlappingWindow` while a
   *   window for a type has not ended
   */
  async accredit(slug: string, change: { types?: readonly string[] | undefined; accreditedBy?: string | undefined; validUntil?: bigint | undefined }, by: AdminActor): Promise<{ tenant: TenantEntity; window: WindowMade; added: string[] }> {
    return this.serially(() =>
      this.onChain(async () => {
        const tenant = await this.tenant(slug);
        const types = [...(change.types ?? tenant.credentialTypes)];
        this.checkTypes(tenant, types, change.accreditedBy);
        const validUntil = await this.checkEnd(change.validUntil);
        const accreditor = await this.accreditorFor(change.accreditedBy, types);
        const window = await this.accreditWindow(accreditor, tenant.address, types, validUntil);
        const added = types.filter((t) => !tenant.credentialTypes.includes(t));
        const updated = await inTransaction(this.options.dataSource, async (manager) => {
          if (added.length > 0) await manager.update(TenantEntity, { id: tenant.id }, { credentialTypesJson: JSON.stringify([...tenant.credentialTypes, ...added]) });
          await this.record(manager, tenant, by, 'tenant.accredited', { types: listed(types), accreditedBy: window.accreditedBy ?? 'city-root', validUntil: window.validUntil, txHash: window.txHash });
          return manager.findOneByOrFail(TenantEntity, { id: tenant.id });
        });
        if (added.length > 0) this.options.directory.tenantChanged(tenant.id);
        return { tenant: updated, window, added };
      }),
    );
  }

  /**
   * Ends, from the chain's present, the live windows of a tenant for `types` (default its configured types): the city
   * root's revocation, which also suspends the tenant for each type until {@link reinstate}; or, with `accreditedBy`,
   * the department's revocation of the windows it made for an employer (no suspension). Its configuration is kept.
   * Then ends, from the revoker's account, the anchorer registrations of the identity's owner key for each type revoked
   * (`anchorers`; one that fails is listed there and in the audit entry, and the revocation stands).
   * @throws `tenant.not-found`, `tenant.invalid`, `tenant.root-key-unavailable`, `tenant.accreditation-refused`,
   *   `service.unavailable`
   */
  async revoke(slug: string, change: { types?: readonly string[] | undefined; accreditedBy?: string | undefined }, by: AdminActor): Promise<{ tenant: TenantEntity; outcomes: TypeOutcome[]; anchorers: AnchorerWithdrawals }> {
    return this.serially(() =>
      this.onChain(async () => {
        const tenant = await this.tenant(slug);
        const types = [...(change.types ?? tenant.credentialTypes)];
        this.checkTypes(tenant, types, change.accreditedBy);
        const { outcomes, revoker } = await this.revokeTypes(tenant, types, change.accreditedBy);
        const revoked = outcomes.filter((o) => o.changed > 0).map((o) => o.type);
        const anchorers = await this.withdrawAfterRevocation(tenant, revoked, revoker);
        if (revoked.length > 0) {
          await inTransaction(this.options.dataSource, (manager) =>
            this.record(manager, tenant, by, 'tenant.accreditation-revoked', { types: listed(revoked), revokedBy: change.accreditedBy ?? 'city-root', ...withdrawalDetails(anchorers) }),
          );
        }
        return { tenant, outcomes, anchorers };
      }),
    );
  }

  /**
   * Lifts the suspensions the city root's revocations left on a tenant for `types` (default its configured types); it
   * needs a new accreditation to issue them again.
   * @throws `tenant.not-found`, `tenant.invalid`, `tenant.root-key-unavailable`, `service.unavailable`
   */
  async reinstate(slug: string, change: { types?: readonly string[] | undefined }, by: AdminActor): Promise<{ tenant: TenantEntity; outcomes: TypeOutcome[] }> {
    return this.serially(() =>
      this.onChain(async () => {
        const tenant = await this.tenant(slug);
        const types = [...(change.types ?? tenant.credentialTypes)];
        this.checkTypes(tenant, types, undefined);
        const outcomes = await this.reinstateTypes(tenant, types);
        const reinstated = outcomes.filter((o) => o.changed > 0).map((o) => o.type);
        if (reinstated.length > 0) {
          await inTransaction(this.options.dataSource, (manager) => this.record(manager, tenant, by, 'tenant.reinstated', { types: listed(reinstated) }));
        }
        return { tenant, outcomes };
      }),
    );
  }

  /**
   * Makes the tenant's credential types `types`, and its accreditation on the IssuerRegistry match them: each type it
   * is not accredited for now is accredited from the chain's present (suspended types only with `reinstate`, which
   * lifts the suspension first); each type dropped has its live windows revoked. The configuration — which the issuer
   * checks, beside the registry, at every issuance — is written only once the chain matches, with the audit entry, so
   * it never names a type the chain was not asked to accredit; after a failure half-way the same request completes it
   * (what the chain already has is not sent again).
   * @throws `tenant.not-found`; `tenant.invalid` / `credential.unknown-type` (400); `tenant.accreditation-refused`
   *   (409: a type added is suspended and `reinstate` was not asked, the department is not delegated it, the registry
   *   refused); `tenant.root-key-unavailable` (503); `service.unavailable` (503)
   */
  async setTypes(slug: string, change: { types: readonly string[]; accreditedBy?: string | undefined; validUntil?: bigint | undefined; reinstate?: boolean | undefined }, by: AdminActor): Promise<TypesChange> {
    return this.serially(() =>
      this.onChain(async () => {
        const tenant = await this.tenant(slug);
        const types = [...change.types];
        this.checkTypes(tenant, types, change.accreditedBy);
        const validUntil = await this.checkEnd(change.validUntil);
        const now = await chainTime(this.options.provider);
        const toAdd: string[] = [];
        const unchanged: string[] = [];
        const suspended: string[] = [];
        for (const type of types) {
          const hash = credentialTypeHash(type);
          if (await this.registry.isAccredited(tenant.address, hash, now)) unchanged.push(type);
          else {
            toAdd.push(type);
            if (await this.registry.isSuspended(tenant.address, hash, now)) suspended.push(type);
          }
        }
        const dropped = tenant.credentialTypes.filter((t) => !types.includes(t));
        if (toAdd.length === 0 && dropped.length === 0 && JSON.stringify(types) === JSON.stringify(tenant.credentialTypes)) {
          return { tenant, accredited: null, revoked: [], reinstated: [], unchanged, anchorers: noWithdrawals() };
        }
        if (suspended.length > 0 && !change.reinstate) {
          throw new AppError(ErrorCode.TenantAccreditationRefused, `The city root suspended ${tenant.slug} for ${suspended.join(', ')}; ask to reinstate it to accredit it again.`, {
            extensions: { refusal: 'IssuerIsSuspended', types: suspended },
          });
        }
        // Everything that can refuse is asked before anything is sent.
        const accreditor = toAdd.length > 0 ? await this.accreditorFor(change.accreditedBy, toAdd) : null;
        if (dropped.length > 0) await (change.accreditedBy === undefined ? this.rootSigner() : this.accreditorFor(change.accreditedBy, dropped));
        if (suspended.length > 0) await this.rootSigner();
        const reinstated = suspended.length > 0 ? (await this.reinstateTypes(tenant, suspended)).filter((o) => o.changed > 0).map((o) => o.type) : [];
        const accredited = accreditor ? await this.accreditWindow(accreditor, tenant.address, toAdd, validUntil) : null;
        let revoked: string[] = [];
        let anchorers = noWithdrawals();
        if (dropped.length > 0) {
          const revocation = await this.revokeTypes(tenant, dropped, change.accreditedBy);
          revoked = revocation.outcomes.filter((o) => o.changed > 0).map((o) => o.type);
          anchorers = await this.withdrawAfterRevocation(tenant, revoked, revocation.revoker);
        }
        const updated = await inTransaction(this.options.dataSource, async (manager) => {
          await manager.update(TenantEntity, { id: tenant.id }, { credentialTypesJson: JSON.stringify(types) });
          await this.record(manager, tenant, by, 'tenant.types-changed', {
            types: listed(types),
            added: listed(toAdd),
            dropped: listed(dropped),
            reinstated: listed(reinstated),
            txHash: accredited?.txHash ?? null,
            ...withdrawalDetails(anchorers),
          });
          return manager.findOneByOrFail(TenantEntity, { id: tenant.id });
        });
        this.options.directory.tenantChanged(tenant.id);
        return { tenant: updated, accredited, revoked, reinstated, unchanged, anchorers };
      }),
    );
  }

  /**
   * Rotates the tenant's key with {@link TenantDirectory.rotateKey} (ERC-1056 `changeOwner` to a new key, which then
   * signs its credentials and anchors; credentials anchored before keep verifying), then ends the old key's anchorer
   * registrations for every type the tenant has, sent from the new key (`anchorers`: one that fails is listed there and
   * in the audit entry, and the rotation stands), and records `key.rotated`.
   * @throws `tenant.not-found`; `tenant.unanchored-credentials` (409, unless `force`); `tenant.key-not-held` (409);
   *   `service.unavailable` (503)
   */
  async rotateKey(slug: string, options: { force?: boolean | undefined }, by: AdminActor): Promise<KeyRotation & { anchorers: AnchorerWithdrawals }> {
    return this.serially(() =>
      this.onChain(async () => {
        const tenant = await this.tenant(slug);
        const rotation = await this.options.directory.rotateKey(tenant, { force: options.force === true });
        const anchorers = await this.withdrawStale(
          tenant.credentialTypes.map((type) => ({ anchorer: rotation.previousOwner, type, credentialType: credentialTypeHash(type) })),
          tenant,
          () => this.options.directory.signerFor(tenant, this.options.provider),
        );
        await inTransaction(this.options.dataSource, (manager) =>
          this.record(manager, tenant, by, 'key.rotated', { previousOwner: rotation.previousOwner, newOwner: rotation.newOwner, forced: options.force === true, ...withdrawalDetails(anchorers) }, tenant.did),
        );
        return { ...rotation, anchorers };
      }),
    );
  }

  /**
   * Ends every anchorer registration of the tenant's identity that outlived its right — the retry of a withdrawal a
   * revocation, a type removal or a rotation could not make, and the clean-up of registrations left by changes made
   * before those withdrew them or outside this administration. Finds the keys that ever registered for the identity in
   * CredentialAnchor's `AnchorerRegistered` events since the deployment's block, and withdraws each registration still
   * live whose key no longer owns the identity or whose type the identity is no longer accredited for, sent from the
   * tenant's current key (which pays for its anchoring too). Records `tenant.anchorers-withdrawn` when it withdrew or
   * failed to withdraw anything.
   * @returns what it ended, and what it could not (`failed`: the chain did not answer or refused, the key cannot pay)
   * @throws `tenant.not-found`; `service.unavailable` (503) when the events cannot be read
   */
  async withdrawAnchorers(slug: string, by: AdminActor): Promise<{ tenant: TenantEntity; anchorers: AnchorerWithdrawals }> {
    return this.serially(() =>
      this.onChain(async () => {
        const tenant = await this.tenant(slug);
        const names = new Map([...CREDENTIAL_TYPES, ...tenant.credentialTypes].map((type) => [credentialTypeHash(type).toLowerCase(), type]));
        const registrations = await this.chain.registeredAnchorers(tenant.address, this.options.deployment.blockNumber);
        const anchorers = await this.withdrawStale(
          registrations.map(({ anchorer, credentialType }) => ({ anchorer, type: names.get(credentialType) ?? credentialType, credentialType })),
          tenant,
          () => this.options.directory.signerFor(tenant, this.options.provider),
        );
        if (anchorers.withdrawn.length > 0 || anchorers.failed.length > 0) {
          await inTransaction(this.options.dataSource, (manager) => this.record(manager, tenant, by, 'tenant.anchorers-withdrawn', withdrawalDetails(anchorers)));
        }
        return { tenant, anchorers };
      }),
    );
  }

  /**
   * Registers an ERC-1056 delegate of the tenant's identity (a key kept elsewhere, e.g. an HSM), signed by the tenant's
   * current key, valid `validDays` (default {@link DEFAULT_DELEGATE_DAYS}) from the block's time; records `delegate.added`.
   * @param delegate - an address, or a did:ethr DID naming one
   * @throws `tenant.not-found`; `tenant.invalid` (400: not an address, the tenant's own, a validity out of 1 to
   *   {@link MAX_DELEGATE_DAYS} days); `tenant.key-not-held` (409); `service.unavailable` (503)
   */
  async addDelegate(slug: string, request: { delegate: string; type?: DelegateType | undefined; validDays?: number | undefined }, by: AdminActor): Promise<DelegateChange> {
    const validDays = request.validDays ?? DEFAULT_DELEGATE_DAYS;
    const issues: TenantRequestIssue[] = Number.isInteger(validDays) && validDays >= 1 && validDays <= MAX_DELEGATE_DAYS ? [] : [{ pointer: '/validDays', message: `is a whole number of days from 1 to ${MAX_DELEGATE_DAYS}` }];
    return this.delegateChange(slug, request, issues, by, async (registry, tenant, delegate, type) => ({
      sent: await registry.addDelegate(tenant.address, type, delegate, BigInt(validDays) * 86_400n),
      action: 'delegate.added',
      validDays,
    }));
  }

  /**
   * Ends an ERC-1056 delegate's validity at the block's time, signed by the tenant's current key; records
   * `delegate.revoked`. Credentials it signed that were anchored while it was valid keep verifying under the policy
   * that accepts delegates.
   * @throws as {@link addDelegate}
   */
  async revokeDelegate(slug: string, request: { delegate: string; type?: DelegateType | undefined }, by: AdminActor): Promise<DelegateChange> {
    return this.delegateChange(slug, request, [], by, async (registry, tenant, delegate, type) => ({
      sent: await registry.revokeDelegate(tenant.address, type, delegate),
      action: 'delegate.revoked',
      validDays: null,
    }));
  }

  /** The tenant's API keys, live and revoked, oldest first (never the keys). @throws `tenant.not-found` */
  async apiKeys(slug: string): Promise<ApiKeySummary[]> {
    return this.keys.list(slug);
  }

  /**
   * Issues a new API key of the tenant, shown once; records `api-key.issued` (its prefix and label) in the same
   * transaction ({@link ApiKeyAdministration.issue}, which the `keys` CLI calls too).
   * @throws `tenant.not-found`; `tenant.invalid` (400: a label that is not 1 to 100 printable characters)
   */
  async issueApiKey(slug: string, label: string, by: AdminActor): Promise<{ tenant: TenantEntity; apiKey: string; key: Omit<ApiKeySummary, 'tenantSlug'> }> {
    return this.keys.issue(slug, label, by);
  }

  /**
   * Revokes one of the tenant's API keys, by id; the issuer holding this administration's directory refuses it from
   * the next request on. Records `api-key.revoked` in the same transaction (not for a key revoked before).
   * @returns the key, and whether it was live
   * @throws `tenant.not-found`; `tenant.api-key-not-found` (404: no key with this id, another tenant's included)
   */
  async revokeApiKey(slug: string, id: string, by: AdminActor): Promise<{ key: ApiKeySummary; wasLive: boolean }> {
    return this.keys.revoke(slug, id, by);
  }

  private async create(request: NewTenant, by: AdminActor): Promise<OnboardedTenant> {
    const { directory, dataSource } = this.options;
    if (await directory.findBySlug(request.slug)) throw slugTaken();
    const types = [...request.types];
    const mayAccredit = [...(request.mayAccredit ?? [])];
    const validUntil = await this.checkEnd(request.validUntil);
    const accreditor = await this.accreditorFor(request.accreditedBy, types);
    // The root delegates a department's types; it also funds new tenants where so configured and it is held.
    const root = mayAccredit.length > 0 || (this.options.fundNewTenants && this.options.rootKey) ? await this.rootSigner() : null;

    const identity = await directory.prepareIdentity(request.slug);
    const resumed = !identity.created;
    const now = await chainTime(this.options.provider);
    const funded = this.options.fundNewTenants && root ? (await fundTenantAccounts(root, this.options.provider, [identity.address])) > 0 : false;
    const missing: string[] = [];
    for (const type of types) if (!(await this.registry.isAccredited(identity.address, credentialTypeHash(type), now))) missing.push(type);
    const accreditation = missing.length > 0 ? await this.accreditWindow(accreditor, identity.address, missing, validUntil) : null;
    const delegated: string[] = [];
    for (const type of mayAccredit) if (!(await this.registry.canAccredit(identity.address, credentialTypeHash(type)))) delegated.push(type);
    if (delegated.length > 0 && root) await (await issuerRegistryAt(this.options.deployment.issuerRegistry, root).setAccreditorTypes(identity.address, delegated.map(credentialTypeHash), true)).wait();

    const seed: TenantSeed = {
      slug: request.slug,
      name: request.name,
      ...(request.nameEn !== undefined ? { nameEn: request.nameEn } : {}),
      kind: request.kind,
      credentialTypes: types,
      ...(request.accreditedBy !== undefined ? { accreditedBy: request.accreditedBy } : {}),
      ...(mayAccredit.length > 0 ? { delegatedTypes: mayAccredit } : {}),
      ...(request.businessNumber !== undefined ? { businessNumber: request.businessNumber } : {}),
    };
    try {
      return await inTransaction(dataSource, async (manager) => {
        const tenant = await directory.insertTenant(manager, seed, identity);
        const issued = await directory.issueApiKeyWithSummary(tenant.id, ONBOARDING_KEY_LABEL, manager);
        await this.record(manager, tenant, by, 'tenant.created', {
          kind: tenant.kind,
          types: listed(types),
          accreditedBy: request.accreditedBy ?? 'city-root',
          validUntil: accreditation?.validUntil ?? null,
          txHash: accreditation?.txHash ?? null,
          mayAccredit: listed(mayAccredit),
          businessNumber: request.businessNumber ?? null,
          apiKeyPrefix: issued.key.prefix,
          resumed,
        });
        return { tenant, apiKey: issued.apiKey, apiKeySummary: issued.key, accreditation, delegated, funded, resumed };
      });
    } catch (error) {
      // Two onboardings of one slug at once (two issuers): the unique index decides.
      if (isUniqueViolation(error)) throw slugTaken();
      throw error;
    }
  }

  /** Checks `types` for the tenant's kind and `accreditedBy` against it. @throws AppError 400 */
  private checkTypes(tenant: TenantEntity, types: readonly string[], accreditedBy: string | undefined): void {
    const issues = [
      ...typeIssues(types, tenant.kind),
      ...(accreditedBy !== undefined && tenant.kind !== 'employer' ? [{ pointer: '/accreditedBy', message: 'is for employers: the city root accredits departments and app operators' }] : []),
    ];
    if (issues.length > 0) throw invalidTenantRequest(issues);
  }

  /**
   * `validUntil` checked against the chain's present (where a window starts).
   * @throws AppError `tenant.invalid` when it is not after it
   */
  private async checkEnd(validUntil: bigint | undefined): Promise<bigint | undefined> {
    if (validUntil === undefined) return undefined;
    const now = await chainTime(this.options.provider);
    if (validUntil <= now) {
      throw invalidTenantRequest([{ pointer: '/validUntil', message: `must lie after the chain's latest block time, ${isoSeconds(now)}, where the window starts` }]);
    }
    return validUntil;
  }

  /**
   * The city root's signer, checked against the registry.
   * @throws AppError `tenant.root-key-unavailable` (503) when the key is missing or not the registry's root
   */
  private async rootSigner(): Promise<Wallet> {
    const key = this.options.rootKey;
    if (!key) throw new AppError(ErrorCode.TenantRootKeyUnavailable, "The city root signs this, and its key is not configured here: set CITY_ROOT_KEY (the IssuerRegistry root's key).");
    const root = new Wallet(key, this.options.provider);
    const registryRoot = getAddress(await this.registry.root());
    if (registryRoot !== root.address) {
      throw new AppError(ErrorCode.TenantRootKeyUnavailable, `CITY_ROOT_KEY is the account ${root.address}, but the IssuerRegistry's root is ${registryRoot}.`);
    }
    return root;
  }

  /**
   * Who accredits: the department `slug` with its current key (it must be a department delegated every type), or the
   * city root.
   * @throws AppError `tenant.invalid` (no such tenant, not a department), `tenant.accreditation-refused` (a type not
   *   delegated to it), `tenant.root-key-unavailable`
   */
  private async accreditorFor(slug: string | undefined, types: readonly string[]): Promise<Accreditor> {
    if (slug === undefined) return { department: null, signer: await this.rootSigner() };
    const department = TENANT_SLUG.test(slug) ? await this.options.directory.findBySlug(slug) : null;
    if (!department) throw invalidTenantRequest([{ pointer: '/accreditedBy', message: 'names no tenant' }]);
    if (department.kind !== 'department') throw invalidTenantRequest([{ pointer: '/accreditedBy', message: 'is not a department' }]);
    for (const type of types) {
      if (!(await this.registry.canAccredit(department.address, credentialTypeHash(type)))) {
        throw new AppError(ErrorCode.TenantAccreditationRefused, `${department.slug} may not accredit employers for ${type}: the city root has not delegated it (onboard the department with the types it may accredit).`, {
          extensions: { refusal: 'AccreditorNotAuthorized' },
        });
      }
    }
    return { department, signer: await this.options.directory.signerFor(department, this.options.provider) };
  }

  /** Accredits `issuer` for `types` from the chain's present until `validUntil` (default a year later). */
  private async accreditWindow(accreditor: Accreditor, issuer: string, types: string[], validUntil: bigint | undefined): Promise<WindowMade> {
    const made = await accreditFromChainTime({
      deployment: this.options.deployment,
      accreditor: accreditor.signer,
      department: accreditor.department?.address,
      issuer,
      types,
      ...(validUntil === undefined ? { validForSeconds: DEFAULT_ACCREDITATION_SECONDS } : { validUntil }),
    });
    return { types, accreditedBy: accreditor.department?.slug ?? null, validFrom: isoSeconds(made.validFrom), validUntil: isoSeconds(made.validUntil), txHash: made.txHash };
  }

  /** Revokes the live windows of `types`, by the root or the department `accreditedBy`; answers who signed. */
  private async revokeTypes(tenant: TenantEntity, types: readonly string[], accreditedBy: string | undefined): Promise<{ outcomes: TypeOutcome[]; revoker: Signer }> {
    const now = await chainTime(this.options.provider);
    const outcomes: TypeOutcome[] = [];
    if (accreditedBy !== undefined) {
      const department = await this.accreditorFor(accreditedBy, types);
      const madeByDepartment = (window: AccreditationView) => !window.byRoot && getAddress(window.accreditor) === getAddress(department.department!.address);
      for (const type of types) {
        const live = await this.liveWindows(tenant.address, credentialTypeHash(type), now, madeByDepartment);
        for (const index of live) {
          await revokeAccreditationWindow({ deployment: this.options.deployment, revoker: department.signer, department: department.department!.address, issuer: tenant.address, type, index });
        }
        outcomes.push({ type, changed: live.length });
      }
      return { outcomes, revoker: department.signer };
    }
    const root = await this.rootSigner();
    const asRoot = issuerRegistryAt(this.options.deployment.issuerRegistry, root);
    for (const type of types) {
      const hash = credentialTypeHash(type);
      const live = await this.liveWindows(tenant.address, hash, now);
      for (const index of live) await (await asRoot.revokeAccreditation(tenant.address, hash, index)).wait();
      outcomes.push({ type, changed: live.length });
    }
    return { outcomes, revoker: root };
  }

  /**
   * Ends the anchorer registrations for `types` just revoked: those of the identity's owner key on chain and of the
   * tenant's key here (the same key, unless someone else took the identity over), sent from `revoker`.
   */
  private async withdrawAfterRevocation(tenant: TenantEntity, types: readonly string[], revoker: Signer): Promise<AnchorerWithdrawals> {
    if (types.length === 0) return noWithdrawals();
    const keys = new Set<string>();
    try {
      keys.add(await (await this.options.directory.signerFor(tenant, this.options.provider)).getAddress());
    } catch {
      // No key here for the identity: the owner on chain is the one to look at.
    }
    try {
      keys.add(await didRegistryAt(this.options.deployment.didRegistry, this.options.provider).identityOwner(tenant.address));
    } catch {
      // The chain did not answer: the withdrawals of the key held here fail the same way and are reported.
    }
    if (keys.size === 0) keys.add(getAddress(tenant.address));
    return this.withdrawStale(
      [...keys].flatMap((anchorer) => types.map((type) => ({ anchorer, type, credentialType: credentialTypeHash(type) }))),
      tenant,
      async () => revoker,
    );
  }

  /**
   * Ends each registration of `candidates` that is live for the tenant's identity and whose right ended
   * ({@link CityChain.withdrawStaleAnchorer}), sent from `sender`. Never throws: what could not be done is in `failed`.
   */
  private async withdrawStale(
    candidates: readonly { anchorer: string; type: string; credentialType: string }[],
    tenant: TenantEntity,
    sender: () => Promise<Signer>,
  ): Promise<AnchorerWithdrawals> {
    const result = noWithdrawals();
    if (candidates.length === 0) return result;
    let signer: Signer | null = null;
    for (const { anchorer, type, credentialType } of candidates) {
      try {
        signer ??= await sender();
        const done = await this.chain.withdrawStaleAnchorer(signer, anchorer, tenant.address, credentialType);
        if (done.outcome === 'withdrawn') result.withdrawn.push({ anchorer, type, txHash: done.txHash });
      } catch (error) {
        result.failed.push({ anchorer, type, reason: withdrawalFailure(error) });
      }
    }
    return result;
  }

  private async reinstateTypes(tenant: TenantEntity, types: readonly string[]): Promise<TypeOutcome[]> {
    const asRoot = issuerRegistryAt(this.options.deployment.issuerRegistry, await this.rootSigner());
    const now = await chainTime(this.options.provider);
    const outcomes: TypeOutcome[] = [];
    for (const type of types) {
      const hash = credentialTypeHash(type);
      if (!(await this.registry.isSuspended(tenant.address, hash, now))) {
        outcomes.push({ type, changed: 0 });
        continue;
      }
      await (await asRoot.reinstateIssuer(tenant.address, hash)).wait();
      outcomes.push({ type, changed: 1 });
    }
    return outcomes;
  }

  /** Indexes of the windows of `issuer` for a type that are live at `now` (neither revoked nor ended) and that `include` accepts. */
  private async liveWindows(issuer: string, credentialType: string, now: bigint, include: (window: AccreditationView) => boolean = () => true): Promise<bigint[]> {
    const count = await this.registry.windowCount(issuer, credentialType);
    const live: bigint[] = [];
    for (let index = 0n; index < count; index += 1n) {
      const window = await this.registry.windowAt(issuer, credentialType, index);
      if (window.revokedAt === 0n && window.validUntil > now && include(window)) live.push(index);
    }
    return live;
  }

  private async delegateChange(
    slug: string,
    request: { delegate: string; type?: DelegateType | undefined },
    issues: TenantRequestIssue[],
    by: AdminActor,
    send: (
      registry: ReturnType<typeof didRegistryAt>,
      tenant: TenantEntity,
      delegate: string,
      type: DelegateType,
    ) => Promise<{ sent: Awaited<ReturnType<ReturnType<typeof didRegistryAt>['addDelegate']>>; action: 'delegate.added' | 'delegate.revoked'; validDays: number | null }>,
  ): Promise<DelegateChange> {
    const delegate = delegateAddress(request.delegate);
    const type = request.type ?? 'veriKey';
    const all = [
      ...(delegate ? [] : [{ pointer: '/delegate', message: 'is not an Ethereum address (0x and 40 hex digits) nor a did:ethr DID naming one' }]),
      ...(type === 'veriKey' || type === 'sigAuth' ? [] : [{ pointer: '/type', message: 'is veriKey (signs for the identity) or sigAuth (also authenticates as it)' }]),
      ...issues,
    ];
    if (all.length > 0) throw invalidTenantRequest(all, 'The delegate cannot be changed as asked');
    return this.serially(() =>
      this.onChain(async () => {
        const tenant = await this.tenant(slug);
        if (getAddress(tenant.address) === delegate) throw invalidTenantRequest([{ pointer: '/delegate', message: "is the tenant's own identity address: a delegate is another key" }]);
        const signer = await this.options.directory.signerFor(tenant, this.options.provider);
        await this.assertOwns(tenant, signer);
        const { sent, action, validDays } = await send(didRegistryAt(this.options.deployment.didRegistry, signer), tenant, delegate!, type);
        const receipt = await sent.wait();
        await inTransaction(this.options.dataSource, (manager) =>
          this.record(manager, tenant, by, action, { delegate: delegate!, delegateType: type, validDays, txHash: sent.hash }),
        );
        return { tenant, delegate: delegate!, type, validDays, txHash: sent.hash, blockNumber: receipt?.blockNumber ?? null };
      }),
    );
  }

  /** @throws AppError `tenant.key-not-held` when the tenant's key here does not own its identity on chain */
  private async assertOwns(tenant: TenantEntity, signer: Signer): Promise<void> {
    const owner = await didRegistryAt(this.options.deployment.didRegistry, this.options.provider).identityOwner(tenant.address);
    if (owner !== getAddress(await signer.getAddress())) {
      throw new AppError(ErrorCode.TenantKeyNotHeld, `The identity ${tenant.address} of ${tenant.slug} is owned on chain by ${owner}, which is not its key here.`);
    }
  }

  /** Appends `action` to the changed tenant's log, and to the acting operator's tenant's when that is another. */
  private record(manager: EntityManager, tenant: TenantEntity, by: AdminActor, action: string, details: AuditDetails, target: string = tenant.slug): Promise<void> {
    return recordAdminChange(this.options.audit, manager, tenant, by, action, details, target);
  }

  /** Runs chain writes one after another (they share nonces); a failure does not stop the next. */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.catch(() => undefined).then(work);
    this.queue = next;
    return next;
  }

  /**
   * Runs `work`, answering the registry's refusals and a chain that does not answer with their codes. A refused
   * connection says nothing of whose it was (ethers passes the socket's error on, as the database drivers do): when
   * the database is down too, the chain is asked whether it answers before the outage is put on it.
   */
  private async onChain<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isChainUnavailable(error) && isDatabaseUnavailable(error) && (await this.chainAnswers())) throw error;
      throw chainError(error);
    }
  }

  /** Whether the chain answers its latest block number within two seconds. */
  private async chainAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), 2_000);
    });
    try {
      return await Promise.race([this.options.provider.getBlockNumber().then(() => true, () => false), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Tenants with what the IssuerRegistry says of each at the chain's present (its latest block time): needs no key, so
 * the CLI's `tenants list` works without the key-encryption secret.
 * @throws the provider's error when the chain does not answer
 */
export async function describeTenants(chain: { provider: Provider; deployment: Pick<CityDeployment, 'issuerRegistry'> }, tenants: readonly TenantEntity[]): Promise<TenantOverview[]> {
  const registry = issuerRegistryAt(chain.deployment.issuerRegistry, chain.provider);
  const now = await chainTime(chain.provider);
  const departments = departmentSlugs(tenants);
  const overviews: TenantOverview[] = [];
  for (const tenant of tenants) overviews.push(await overviewOf(registry, tenant, now, departments));
  return overviews;
}

/** The departments' slugs by lowercase identity address. */
function departmentSlugs(tenants: readonly TenantEntity[]): Map<string, string> {
  return new Map(tenants.filter((t) => t.kind === 'department').map((t) => [t.address.toLowerCase(), t.slug]));
}

/** The catalogue's labour types (those employers issue, accredited by a department). */
const LABOUR_TYPES = CREDENTIAL_TYPES.filter((type) => isAccreditedEmployerIssuer(credentialTypeInfo(type).issuerTenants));

/** The labour types the city root delegates to `tenant` now; [] for a tenant that is not a department. */
async function delegatedTypesOf(registry: IssuerRegistryContract, tenant: TenantEntity): Promise<string[]> {
  if (tenant.kind !== 'department') return [];
  const types: string[] = [];
  for (const type of LABOUR_TYPES) if (await registry.canAccredit(tenant.address, credentialTypeHash(type))) types.push(type);
  return types;
}

/**
 * Who made an employer's latest accreditation window (of any of its types, the latest by start): a department's
 * slug (`departments` by lowercase address; its address when unknown here), `city-root`, or null when none was made.
 */
async function latestAccreditor(registry: IssuerRegistryContract, tenant: TenantEntity, departments: ReadonlyMap<string, string>): Promise<string | null> {
  let latest: { validFrom: bigint; by: string } | null = null;
  for (const type of tenant.credentialTypes) {
    const hash = credentialTypeHash(type);
    const count = await registry.windowCount(tenant.address, hash);
    if (count === 0n) continue;
    const window = await registry.windowAt(tenant.address, hash, count - 1n);
    const by = window.byRoot ? 'city-root' : (departments.get(window.accreditor.toLowerCase()) ?? getAddress(window.accreditor));
    if (!latest || window.validFrom > latest.validFrom) latest = { validFrom: window.validFrom, by };
  }
  return latest?.by ?? null;
}

async function overviewOf(registry: IssuerRegistryContract, tenant: TenantEntity, now: bigint, departments: ReadonlyMap<string, string>): Promise<TenantOverview> {
  const accredited: string[] = [];
  const notAccredited: string[] = [];
  const suspended: string[] = [];
  for (const type of tenant.credentialTypes) {
    const hash = credentialTypeHash(type);
    (await registry.isAccredited(tenant.address, hash, now) ? accredited : notAccredited).push(type);
    if (await registry.isSuspended(tenant.address, hash, now)) suspended.push(type);
  }
  const state = notAccredited.length === 0 ? 'accredited' : accredited.length === 0 ? 'not-accredited' : 'partly-accredited';
  return {
    slug: tenant.slug,
    name: tenant.name,
    nameEn: tenant.nameEn ?? null,
    kind: tenant.kind,
    did: tenant.did,
    address: tenant.address,
    types: tenant.credentialTypes,
    createdAt: tenant.createdAt,
    businessNumber: tenant.businessNumber ?? null,
    accreditedBy: tenant.kind === 'employer' ? await latestAccreditor(registry, tenant, departments) : null,
    mayAccredit: await delegatedTypesOf(registry, tenant),
    accreditation: { state, accredited, notAccredited, suspended, asOf: isoSeconds(now) },
  };
}

/** Who accredits: a department with its current key, or the city root. */
type Accreditor = { department: TenantEntity; signer: Signer } | { department: null; signer: Signer };

const slugTaken = () => new AppError(ErrorCode.TenantSlugTaken, 'There is already a tenant with this slug.');

/** Nothing withdrawn, nothing failed. */
const noWithdrawals = (): AnchorerWithdrawals => ({ withdrawn: [], failed: [] });

/** The audit details of withdrawals: the types whose registration ended, and those whose withdrawal failed. */
function withdrawalDetails(anchorers: AnchorerWithdrawals): AuditDetails {
  const types = (list: readonly { type: string }[]) => listed([...new Set(list.map((entry) => entry.type))]);
  return { anchorersWithdrawn: types(anchorers.withdrawn), anchorersNotWithdrawn: types(anchorers.failed) };
}

/** The stable reason of a withdrawal that failed. */
function withdrawalFailure(error: unknown): AnchorerWithdrawalFailure {
  if (isChainUnavailable(error)) return 'unavailable';
  if (isError(error, 'INSUFFICIENT_FUNDS')) return 'insufficient-funds';
  if (isError(error, 'CALL_EXCEPTION')) return 'refused';
  return 'unknown';
}

/** A list of types as an audit detail: joined with commas (at most 200 characters, else how many). */
function listed(types: readonly string[]): string {
  const joined = types.join(',');
  return joined.length <= 200 ? joined : `${types.length} types`;
}

/** The address a delegate is given as: `0x…`, or a did:ethr DID whose last part is one; null otherwise. */
function delegateAddress(value: string): string | null {
  const address = /^did:ethr:(?:[a-z0-9]+:)*(0x[0-9a-fA-F]{40})$/.exec(value)?.[1] ?? value;
  return typeof address === 'string' && /^0x[0-9a-fA-F]{40}$/.test(address) && isAddress(address) ? getAddress(address) : null;
}

/**
 * What an error of a chain step is answered as: an `AppError` as it is; the IssuerRegistry's custom error as
 * `tenant.accreditation-refused` naming it; a chain that does not answer as `service.unavailable`; a window that would
 * end before it starts as `tenant.invalid`. Anything else is a fault of ours and stays as it is.
 */
export function chainError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const refusal = registryRefusalName(error);
  if (refusal) {
    const why = REGISTRY_REFUSALS[refusal];
    return new AppError(ErrorCode.TenantAccreditationRefused, `The IssuerRegistry refused: ${refusal}${why ? ` (${why})` : ''}.`, { cause: error, extensions: { refusal } });
  }
  if (isChainUnavailable(error)) return new AppError(ErrorCode.ServiceUnavailable, 'Not answering: chain', { cause: error });
  if (error instanceof RangeError) return invalidTenantRequest([{ pointer: '/validUntil', message: error.message }]);
  return error;
}
