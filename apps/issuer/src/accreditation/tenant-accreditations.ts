import { Logger } from '@nestjs/common';
import type { ChainBlock, CityChain, TypeAccreditation } from '@citycred/chain';
import { RepeatingTask, type Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import type { TenantEntity } from '@citycred/persistence';
import type { TenantDirectory } from '@citycred/tenancy';
import { accreditedNow, anchoringTypeNow, sameAccreditation, unixSeconds } from './accreditation-rules.js';

/** The chain reads the cache is filled from ({@link CityChain} provides them). */
export type AccreditationSource = Pick<CityChain, 'latestBlock' | 'blockHash' | 'accreditationOf' | 'accreditationChanges'>;

/** Where the list of tenants to follow comes from. */
export type TenantList = Pick<TenantDirectory, 'list'>;

/** Settings of {@link TenantAccreditations} (`ACCREDITATION_REFRESH_MS`, `ACCREDITATION_MAX_STALENESS_MS`). */
export interface AccreditationSettings {
  /** How often the registry's events are polled. */
  refreshMs: number;
  /** How long the last successful reading is trusted when the chain stops answering; after that every answer is unknown. */
  maxStalenessMs: number;
}

/** What the cache says about a tenant and a credential type now. */
export type AccreditationVerdict = 'accredited' | 'not-accredited' | 'unknown';

/**
 * The credential type a tenant's anchoring transaction names now ({@link TenantAccreditations.anchoringType}): one of
 * its configured types it is accredited for, or why there is none.
 */
export type AnchoringType = { verdict: 'accredited'; credentialType: string } | { verdict: 'not-accredited' } | { verdict: 'unknown' };

/** A tenant's accreditation as `/health` reports it. */
export interface TenantAccreditationReport {
  /** `accredited` for all its configured types, `partly-accredited`, `not-accredited` for none, `unknown` when the reading is too old or missing. */
  state: 'accredited' | 'partly-accredited' | 'not-accredited' | 'unknown';
  /** Configured types it is accredited for now. */
  accredited: string[];
  /** Configured types it is not accredited for now. */
  notAccredited: string[];
  /** Configured types whose state is unknown. */
  unknown: string[];
}

/** The `/health` detail of the accreditation cache. */
export interface AccreditationReport {
  /** False once the last successful reading is older than `ACCREDITATION_MAX_STALENESS_MS` (or there was none). */
  current: boolean;
  /** When the chain was last read successfully (ISO), or null. */
  readAt: string | null;
  /** The block the last reading reached, or null. */
  block: number | null;
  /** By tenant slug. */
  tenants: Record<string, TenantAccreditationReport>;
}

/** What is known of one tenant. */
interface TenantRecord {
  tenantId: string;
  slug: string;
  address: string;
  credentialTypes: readonly string[];
  /** What the registry says of the tenant's address, by configured credential type name. */
  accreditation: ReadonlyMap<string, TypeAccreditation>;
  /** The type anchoring would name at the last reading (null: none). */
  anchoringTypeAtReading: string | null;
  /** Moves whenever the registry's answer or the anchoring type changed between readings. */
  version: number;
}

/**
 * The tenants' accreditation on the city chain, answered from memory so that issuing adds no chain call.
 *
 * Filled by reading the IssuerRegistry for every tenant and each of its configured credential types (windows, whether
 * each window's accreditor still stands behind it, suspension), then kept current by polling the registry's events
 * that change its answer every `refreshMs`: a tenant named in `IssuerAccredited`, `AccreditationRevoked`,
 * `IssuerSuspended` or `IssuerReinstated` is read again, and so is every tenant holding a window made by the
 * department named in `AccreditorAuthorized` (withdrawing a delegation ends the windows made under it).
 * `RootProposed`/`RootTransferred` change who may accredit from now on, not an existing window. A chain that went
 * back (reset, redeployed, reorganised: the block last read has another hash or is gone) is read again in full.
 * Validity windows end by the injected clock, without a chain call.
 *
 * When the chain stops answering, the last reading is trusted for `maxStalenessMs`; after that every answer is
 * `unknown` and issuing answers 503 (fail closed: a credential issued while we cannot tell may never verify).
 */
export class TenantAccreditations {
  private readonly logger = new Logger('Accreditation');
  private records = new Map<string, TenantRecord>();
  private readBlock: ChainBlock | null = null;
  private readAt: Date | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly polling: RepeatingTask;
  private failing = false;

  constructor(
    private readonly chain: AccreditationSource,
    private readonly tenants: TenantList,
    private readonly clock: Clock,
    private readonly settings: AccreditationSettings,
  ) {
    this.polling = new RepeatingTask(() => this.poll(), settings.refreshMs, (error) => {
      if (!this.failing) this.logger.warn(`could not read accreditation from the city chain: ${error instanceof Error ? error.message : String(error)}`);
      this.failing = true;
    });
  }

  /**
   * Reads the chain now: the tenants named in registry events since the last reading (or every tenant, on the first
   * reading and after the chain went back). Calls are queued, so once it resolves the cache reflects the chain as
   * it was after the call was made.
   * @throws whatever the chain or the database throws; the previous reading is kept
   */
  refresh(): Promise<void> {
    const next = this.queue.catch(() => undefined).then(() => this.read());
    this.queue = next;
    return next;
  }

  /** Polls every `refreshMs` (readings never overlap); failures are logged and leave the last reading in place. */
  start(): void {
    this.polling.start();
  }

  /** Stops polling and waits for a reading in progress. */
  async stop(): Promise<void> {
    await this.polling.stop();
    await this.queue.catch(() => undefined);
  }

  /**
   * Whether `tenant` is accredited for `credentialType` now, from memory.
   * @returns `unknown` when the tenant was never read or the reading is older than `maxStalenessMs`
   */
  verdict(tenantId: string, credentialType: string): AccreditationVerdict {
    const record = this.currentRecord(tenantId);
    if (!record) return 'unknown';
    return accreditedNow(record.accreditation.get(credentialType), this.nowSeconds()) ? 'accredited' : 'not-accredited';
  }

  /**
   * Refuses issuing when the tenant is not accredited for the type now; never calls the chain.
   * @throws AppError `issuance.not-accredited` (403) when it is not; `service.unavailable` (503) when it is unknown
   */
  assertMayIssue(tenant: Pick<TenantEntity, 'id' | 'slug'>, credentialType: string): void {
    const verdict = this.verdict(tenant.id, credentialType);
    if (verdict === 'accredited') return;
    if (verdict === 'not-accredited') {
      throw new AppError(
        ErrorCode.IssuanceNotAccredited,
        `Tenant ${tenant.slug} is not accredited on the city chain for the requested credential type now; credentials it signed could not be anchored or verified.`,
      );
    }
    throw new AppError(ErrorCode.ServiceUnavailable, 'The tenant’s accreditation on the city chain could not be confirmed recently (the chain is not answering); try again later.');
  }

  /**
   * The credential type a tenant's anchoring transaction names now: the first of its configured types it is
   * accredited for (`CredentialAnchor` takes a root only from a key registered as the issuer's anchorer for the type
   * it names, which needs the issuer accredited for it).
   * @returns `not-accredited` when it is accredited for none of them; `unknown` when the tenant was never read or
   *   the reading is older than `maxStalenessMs`
   */
  anchoringType(tenantId: string): AnchoringType {
    const record = this.currentRecord(tenantId);
    if (!record) return { verdict: 'unknown' };
    const credentialType = anchoringTypeNow(record.accreditation, record.credentialTypes, this.nowSeconds());
    return credentialType ? { verdict: 'accredited', credentialType } : { verdict: 'not-accredited' };
  }

  /**
   * A number that moves whenever the tenant's accreditation changed between two readings (a window made or revoked,
   * a suspension, a delegation withdrawn, or the anchoring type changed by time). The anchoring worker retries a
   * set-aside batch only after it moved.
   * @returns undefined for a tenant never read
   */
  version(tenantId: string): number | undefined {
    return this.records.get(tenantId)?.version;
  }

  /** The state of every tenant now, for `/health`. */
  report(): AccreditationReport {
    const current = this.isCurrent();
    const now = this.nowSeconds();
    const tenants: Record<string, TenantAccreditationReport> = {};
    for (const record of [...this.records.values()].sort((a, b) => a.slug.localeCompare(b.slug))) {
      const types = [...record.credentialTypes];
      if (!current) {
        tenants[record.slug] = { state: 'unknown', accredited: [], notAccredited: [], unknown: types };
        continue;
      }
      const accredited = types.filter((t) => accreditedNow(record.accreditation.get(t), now));
      const notAccredited = types.filter((t) => !accredited.includes(t));
      const state = notAccredited.length === 0 ? 'accredited' : accredited.length === 0 ? 'not-accredited' : 'partly-accredited';
      tenants[record.slug] = { state, accredited, notAccredited, unknown: [] };
    }
    return { current, readAt: this.readAt?.toISOString() ?? null, block: this.readBlock?.number ?? null, tenants };
  }

  /** One scheduled reading; says so when the chain answers again after failures. */
  private async poll(): Promise<void> {
    await this.refresh();
    if (this.failing) this.logger.log('the city chain answers again; accreditation is current');
    this.failing = false;
  }

  private isCurrent(): boolean {
    return this.readAt !== null && this.clock.now().getTime() - this.readAt.getTime() <= this.settings.maxStalenessMs;
  }

  private currentRecord(tenantId: string): TenantRecord | undefined {
    return this.isCurrent() ? this.records.get(tenantId) : undefined;
  }

  private nowSeconds(): number {
    return unixSeconds(this.clock.now());
  }

  private async read(): Promise<void> {
    const tenants = await this.tenants.list();
    // The head is taken before the windows are read: a change mined meanwhile is both in what we read and in the
    // next poll's events, which only makes us read that tenant once more.
    const head = await this.chain.latestBlock();
    const toRead = new Set<string>();
    const previous = this.readBlock;
    const wentBack = !previous || head.number < previous.number || (await this.chain.blockHash(previous.number)) !== previous.hash;
    if (wentBack) {
      for (const tenant of tenants) toRead.add(tenant.id);
    } else {
      const byAddress = new Map(tenants.map((t) => [t.address.toLowerCase(), t.id]));
      if (head.number > previous.number) {
        for (const change of await this.chain.accreditationChanges(previous.number + 1, head.number)) {
          if (change.event === 'AccreditorAuthorized') {
            for (const id of this.accreditedBy(change.department)) toRead.add(id);
            continue;
          }
          const tenantId = byAddress.get(change.issuer.toLowerCase());
          if (tenantId) toRead.add(tenantId);
        }
      }
      for (const tenant of tenants) {
        const known = this.records.get(tenant.id);
        // a tenant seen for the first time, or whose configured types changed
        if (!known || JSON.stringify(known.credentialTypes) !== JSON.stringify(tenant.credentialTypes)) toRead.add(tenant.id);
      }
    }
    const readings = new Map<string, Map<string, TypeAccreditation>>();
    for (const tenant of tenants) {
      if (toRead.has(tenant.id)) readings.set(tenant.id, await this.chain.accreditationOf(tenant.address, tenant.credentialTypes, head.timestamp));
    }

    const now = this.nowSeconds();
    const next = new Map<string, TenantRecord>();
    for (const tenant of tenants) {
      const before = this.records.get(tenant.id);
      const read = readings.get(tenant.id) ?? before?.accreditation ?? new Map<string, TypeAccreditation>();
      const anchoringType = anchoringTypeNow(read, tenant.credentialTypes, now);
      const changed = !before || before.anchoringTypeAtReading !== anchoringType || !sameAccreditation(before.accreditation, read);
      const record: TenantRecord = {
        tenantId: tenant.id,
        slug: tenant.slug,
        address: tenant.address,
        credentialTypes: tenant.credentialTypes,
        accreditation: read,
        anchoringTypeAtReading: anchoringType,
        version: (before?.version ?? 0) + (changed ? 1 : 0),
      };
      if (before && changed) this.logChange(before, record, now);
      next.set(tenant.id, record);
    }
    this.records = next;
    this.readBlock = head;
    this.readAt = this.clock.now();
  }

  /** Tenants holding a window made by `department` (a change of its delegation changes their answer). */
  private accreditedBy(department: string): string[] {
    const ids: string[] = [];
    for (const record of this.records.values()) {
      const made = [...record.accreditation.values()].some((a) => a.windows.some((w) => w.accreditor.toLowerCase() === department.toLowerCase()));
      if (made) ids.push(record.tenantId);
    }
    return ids;
  }

  private logChange(before: TenantRecord, after: TenantRecord, now: number): void {
    const typesNow = (record: TenantRecord) => record.credentialTypes.filter((t) => accreditedNow(record.accreditation.get(t), now));
    const was = typesNow(before);
    const is = typesNow(after);
    const lost = was.filter((t) => !is.includes(t));
    const gained = is.filter((t) => !was.includes(t));
    if (lost.length > 0) this.logger.warn(`tenant ${after.slug} is no longer accredited for ${lost.join(', ')}: issuing those types is refused`);
    if (gained.length > 0) this.logger.log(`tenant ${after.slug} is accredited again for ${gained.join(', ')}`);
  }
}
