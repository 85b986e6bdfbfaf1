import { Logger } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import type { AdminActor, ApiKeySummary, TenantAdministration, TenantOverview } from '@citycred/tenancy';
import type { ConsoleIdentity } from './console-sessions.js';
import type { ConsoleNewEmployer, ConsoleNewTenant, ConsoleTenantTypes } from './console-requests.js';

/** What the admin API is built from (wired by the issuer module). */
export interface ConsoleAdministration {
  /** The tenant administration over the issuer's database, chain and directory (its API keys' cache included). */
  readonly administration: TenantAdministration;
  /** The tenant whose `admin`s administer every tenant (`CITY_ADMIN_TENANT`); undefined: nobody does. */
  readonly cityAdminTenant?: string | undefined;
  /** Reads the registry again, so issuing follows an accreditation change at once (the issuer's `TenantAccreditations.refresh`). */
  readonly accreditationChanged: () => Promise<void>;
  /** Forgets which key a DID signs with (its key was rotated in this process). */
  readonly keyRotated: (did: string) => void;
}

/** A tenant's API key as the admin API shows it: never the key, never its hash. */
export type AdminApiKeyView = Pick<ApiKeySummary, 'id' | 'prefix' | 'label' | 'createdAt' | 'revokedAt'>;

const keyView = ({ id, prefix, label, createdAt, revokedAt }: AdminApiKeyView): AdminApiKeyView => ({ id, prefix, label, createdAt, revokedAt });

const cityAdminOnly = () => new AppError(ErrorCode.ConsoleCityAdminOnly, "Only the city's administrators (the admins of the tenant CITY_ADMIN_TENANT names) may do this.");
const notFound = () => new AppError(ErrorCode.TenantNotFound, 'There is no tenant with this slug.');

/**
 * The console's admin API (`/console/api/admin`, docs/console.md#admin-api), for operators with the role `admin`, on
 * the tenant administration shared with the platform CLI. Two kinds of admin:
 *
 * - the city's administrators (the admins of `CITY_ADMIN_TENANT`) see and administer every tenant: create tenants,
 *   change what they are accredited for, rotate keys, manage delegates and API keys;
 * - any other tenant's admin sees its own tenant only, and manages its key, delegates and API keys. Another tenant is
 *   answered exactly like one that does not exist (404 `tenant.not-found`); what only the city decides (creating
 *   tenants, accreditation) is 403 `console.city-admin-only`;
 * - besides, the admin of a department the city root delegated labour types to onboards employers it accredits itself
 *   ({@link onboardEmployer}) and lists them with their business registration numbers ({@link employers}).
 *
 * An employer's business registration number is in these answers only: for the city's administrators, the employer
 * itself and the department that accredits it.
 *
 * Changes are recorded in the changed tenant's audit log as done by the operator (by `<its tenant>/<username>` when it
 * belongs to another tenant, which then records it too).
 */
export class ConsoleAdmin {
  private readonly logger = new Logger('ConsoleAdmin');

  constructor(private readonly wiring: ConsoleAdministration) {}

  /** The tenants the operator may see, with their accreditation now (the city's administrators: all). */
  async list(identity: ConsoleIdentity): Promise<TenantOverview[]> {
    if (this.isCityAdmin(identity)) return this.wiring.administration.list();
    return [await this.wiring.administration.overview(identity.tenant.slug)];
  }

  /** One tenant the operator may see. @throws `tenant.not-found` */
  async tenant(identity: ConsoleIdentity, slug: string): Promise<TenantOverview> {
    this.assertVisible(identity, slug);
    return this.wiring.administration.overview(slug);
  }

  /**
   * Creates a tenant (the city's administrators only) and answers its first API key, once.
   * @throws `console.city-admin-only` (403) and what `TenantAdministration.onboard` throws
   */
  async create(identity: ConsoleIdentity, request: ConsoleNewTenant) {
    if (!this.isCityAdmin(identity)) throw cityAdminOnly();
    const made = await this.wiring.administration.onboard(
      {
        slug: request.slug,
        name: request.name,
        nameEn: request.nameEn,
        kind: request.kind,
        types: request.types,
        accreditedBy: request.accreditedBy,
        mayAccredit: request.mayAccredit,
        businessNumber: request.businessNumber,
        validUntil: unixSeconds(request.validUntil),
      },
      this.actor(identity, request.slug),
    );
    return this.created(made);
  }

  /**
   * The employers the operator's department accredits (those whose latest accreditation window it made), with their
   * business registration numbers; empty for a tenant that is not a department.
   * @throws what `TenantAdministration.employersOf` throws
   */
  async employers(identity: ConsoleIdentity): Promise<TenantOverview[]> {
    return this.wiring.administration.employersOf(identity.tenant.slug);
  }

  /**
   * The operator's department onboards an employer and accredits it with its own key, for the labour types the city
   * root delegated to it (default: all of them), after checking its business registration number; answers as
   * {@link create}.
   * @throws `tenant.business-number-invalid` (400, `reason` format|checksum), `tenant.accreditation-refused` (409: not a
   *   department delegated the types) and what `TenantAdministration.onboardEmployer` throws
   */
  async onboardEmployer(identity: ConsoleIdentity, request: ConsoleNewEmployer) {
    const made = await this.wiring.administration.onboardEmployer(
      identity.tenant.slug,
      { slug: request.slug, name: request.name, nameEn: request.nameEn, businessNumber: request.businessNumber, types: request.types, validUntil: unixSeconds(request.validUntil) },
      this.actor(identity, request.slug),
    );
    return this.created(made);
  }

  /** The answer of a creation: the tenant, its first API key (once), the window made and the types delegated. */
  private async created(made: Awaited<ReturnType<TenantAdministration['onboard']>>) {
    await this.accreditationChanged();
    const { tenant } = made;
    return {
      tenant: { slug: tenant.slug, name: tenant.name, nameEn: tenant.nameEn, kind: tenant.kind, did: tenant.did, address: tenant.address, types: tenant.credentialTypes, businessNumber: tenant.businessNumber },
      apiKey: made.apiKey,
      apiKeyInfo: keyView(made.apiKeySummary),
      accreditation: made.accreditation,
      delegated: made.delegated,
      resumed: made.resumed,
    };
  }

  /**
   * Sets a tenant's credential types and its accreditation to match (the city's administrators only); `anchorers` says
   * which anchorer registrations of the types dropped were ended, and which could not be.
   * @throws `tenant.not-found`, `console.city-admin-only` and what `TenantAdministration.setTypes` throws
   */
  async setTypes(identity: ConsoleIdentity, slug: string, request: ConsoleTenantTypes) {
    this.assertVisible(identity, slug);
    if (!this.isCityAdmin(identity)) throw cityAdminOnly();
    const change = await this.wiring.administration.setTypes(
      slug,
      { types: request.types, accreditedBy: request.accreditedBy, validUntil: unixSeconds(request.validUntil), reinstate: request.reinstate },
      this.actor(identity, slug),
    );
    await this.accreditationChanged();
    return { slug: change.tenant.slug, types: change.tenant.credentialTypes, accredited: change.accredited, revoked: change.revoked, reinstated: change.reinstated, unchanged: change.unchanged, anchorers: change.anchorers };
  }

  /**
   * Rotates a tenant's key; `anchorers` says which of the old key's anchorer registrations were ended, and which could
   * not be (`tenants withdraw-anchorers` retries them). @throws `tenant.not-found` and what
   * `TenantAdministration.rotateKey` throws
   */
  async rotateKey(identity: ConsoleIdentity, slug: string, force: boolean) {
    this.assertVisible(identity, slug);
    const rotation = await this.wiring.administration.rotateKey(slug, { force }, this.actor(identity, slug));
    this.wiring.keyRotated(rotation.tenant.did);
    return { did: rotation.tenant.did, identity: rotation.identity, previousOwner: rotation.previousOwner, newOwner: rotation.newOwner, transaction: rotation.transaction, anchorers: rotation.anchorers };
  }

  /**
   * Ends the anchorer registrations of a tenant's identity that outlived their right: the retry of withdrawals a type
   * change or a key rotation answered as `anchorers.failed`. @throws `tenant.not-found` and what
   * `TenantAdministration.withdrawAnchorers` throws
   */
  async withdrawAnchorers(identity: ConsoleIdentity, slug: string) {
    this.assertVisible(identity, slug);
    const { tenant, anchorers } = await this.wiring.administration.withdrawAnchorers(slug, this.actor(identity, slug));
    return { slug: tenant.slug, anchorers };
  }

  /** Adds or revokes a delegate of a tenant's identity. @throws `tenant.not-found` and what the administration throws */
  async delegate(identity: ConsoleIdentity, slug: string, request: { delegate: string; type?: 'veriKey' | 'sigAuth' | undefined; validDays?: number | undefined }, revoke: boolean) {
    this.assertVisible(identity, slug);
    const by = this.actor(identity, slug);
    const change = revoke ? await this.wiring.administration.revokeDelegate(slug, request, by) : await this.wiring.administration.addDelegate(slug, request, by);
    return { delegate: change.delegate, type: change.type, validDays: change.validDays, txHash: change.txHash, blockNumber: change.blockNumber };
  }

  /** A tenant's API keys. @throws `tenant.not-found` */
  async apiKeys(identity: ConsoleIdentity, slug: string): Promise<AdminApiKeyView[]> {
    this.assertVisible(identity, slug);
    return (await this.wiring.administration.apiKeys(slug)).map(keyView);
  }

  /** Issues an API key of a tenant, shown once. @throws `tenant.not-found`, `tenant.invalid` */
  async issueApiKey(identity: ConsoleIdentity, slug: string, label: string) {
    this.assertVisible(identity, slug);
    const issued = await this.wiring.administration.issueApiKey(slug, label, this.actor(identity, slug));
    return { apiKey: issued.apiKey, key: keyView(issued.key) };
  }

  /** Revokes an API key of a tenant. @throws `tenant.not-found`, `tenant.api-key-not-found` */
  async revokeApiKey(identity: ConsoleIdentity, slug: string, id: string) {
    this.assertVisible(identity, slug);
    const { key, wasLive } = await this.wiring.administration.revokeApiKey(slug, id, this.actor(identity, slug));
    return { key: keyView(key), revoked: true, wasLive };
  }

  /**
   * Whether the operator is one of the city's administrators (an `admin` of `CITY_ADMIN_TENANT`): it administers every
   * tenant. What `GET /console/api/me` answers as `cityAdmin`.
   */
  isCityAdmin(identity: ConsoleIdentity): boolean {
    return this.wiring.cityAdminTenant !== undefined && identity.tenant.slug === this.wiring.cityAdminTenant && identity.operator.role === 'admin';
  }

  /** @throws `tenant.not-found` for a tenant the operator may not see, exactly as for one that does not exist */
  private assertVisible(identity: ConsoleIdentity, slug: string): void {
    if (slug !== identity.tenant.slug && !this.isCityAdmin(identity)) throw notFound();
  }

  /** The operator as the changed tenant's audit log records it, and its own tenant's when that is another. */
  private actor(identity: ConsoleIdentity, slug: string): AdminActor {
    const { username } = identity.operator;
    if (slug === identity.tenant.slug) return { actor: { kind: 'operator', id: username } };
    return { actor: { kind: 'operator', id: `${identity.tenant.slug}/${username}` }, home: { tenantId: identity.tenant.id, actor: { kind: 'operator', id: username } } };
  }

  /** Refreshes the accreditation cache; a chain that fails now is caught up by the next poll. */
  private async accreditationChanged(): Promise<void> {
    try {
      await this.wiring.accreditationChanged();
    } catch (error) {
      this.logger.warn(`could not read the accreditation after a change (the next poll will): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** A window's end as the API takes it (a date is UTC midnight) in unix seconds. */
function unixSeconds(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  const at = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  return BigInt(Math.floor(at / 1000));
}
