import { credentialTypeHash, issuerRegistryAt, type CityDeployment, type IssuerRegistryContract } from '@citycred/anchors';
import { getAddress, isError, parseEther, ZeroAddress, type Provider, type Signer } from 'ethers';
import type { TenantEntity } from '@citycred/persistence';
import type { TenantSeed } from './demo-tenants.js';

/** Balance below which a tenant account is topped up so it can pay for anchoring transactions (local chain only). */
export const MIN_TENANT_BALANCE = parseEther('1');
const TOP_UP = parseEther('10');

/** How long the demo tenants' accreditations last: five years from the block time they were made at. */
export const DEMO_ACCREDITATION_SECONDS = 5n * 365n * 86_400n;

/**
 * The chain's present: the timestamp of its latest block, in unix seconds. New accreditations start here — never
 * earlier, and never at the host's clock, which may disagree with the chain's.
 * @throws Error when the chain has no latest block; the provider's error when it does not answer
 */
export async function chainTime(provider: Provider): Promise<bigint> {
  const block = await provider.getBlock('latest');
  if (!block) throw new Error('the chain returned no latest block');
  return BigInt(block.timestamp);
}

/**
 * Tops up, from `funder`, each account whose balance is below {@link MIN_TENANT_BALANCE}, so tenants can pay
 * for their anchoring transactions (give the accounts that send them: a tenant's current key's). Meant for the embedded local chain, where the root holds play money.
 * @returns the number of transfers sent
 */
export async function fundTenantAccounts(funder: Signer, provider: Provider, addresses: readonly string[]): Promise<number> {
  let sent = 0;
  for (const address of addresses) {
    if ((await provider.getBalance(address)) >= MIN_TENANT_BALANCE) continue;
    await (await funder.sendTransaction({ to: address, value: TOP_UP })).wait();
    sent += 1;
  }
  return sent;
}

/** A new accreditation window as recorded. */
export interface AccreditationMade {
  /** Unix seconds: the chain's latest block time when it was sent. */
  validFrom: bigint;
  /** Unix seconds, exclusive. */
  validUntil: bigint;
  /** The transaction that recorded it. */
  txHash: string;
}

/** Options of {@link accreditFromChainTime}. */
export interface AccreditOptions {
  deployment: Pick<CityDeployment, 'issuerRegistry'>;
  /**
   * The city root, or a department's current key (`TenantDirectory.signerFor`) accrediting an employer for types
   * delegated to the department; connected to the chain.
   */
  accreditor: Signer;
  /** When a department accredits: its identity address, which `accreditor` acts for ({@link departmentActedFor}). */
  department?: string | undefined;
  /** The issuer's identity address (the did:ethr address). */
  issuer: string;
  /** Credential type names. */
  types: readonly string[];
  /** End of the window, unix seconds; must lie after the chain's present. */
  validUntil?: bigint;
  /** Length of the window when `validUntil` is not given, in seconds. */
  validForSeconds?: bigint;
}

/**
 * Accredits `issuer` for `types` from the chain's present ({@link chainTime}) on: never backdated, whatever the
 * host's clock says. Waits until the transaction is mined.
 * @throws RangeError when neither `validUntil` nor `validForSeconds` is given, or the window would be empty;
 *   the contract's error (`CALL_EXCEPTION`, decoded custom error in `revert`) when the registry refuses
 */
export async function accreditFromChainTime(options: AccreditOptions): Promise<AccreditationMade> {
  const provider = options.accreditor.provider;
  if (!provider) throw new Error('the accreditor must be connected to the chain');
  const validFrom = await chainTime(provider);
  const validUntil = options.validUntil ?? (options.validForSeconds === undefined ? undefined : validFrom + options.validForSeconds);
  if (validUntil === undefined) throw new RangeError('an accreditation needs an end: validUntil or validForSeconds');
  if (validUntil <= validFrom) throw new RangeError(`the accreditation would end (${isoSeconds(validUntil)}) before it starts at the chain's present (${isoSeconds(validFrom)})`);
  const registry = issuerRegistryAt(options.deployment.issuerRegistry, options.accreditor);
  const types = options.types.map(credentialTypeHash);
  const department = await departmentActedFor(options.accreditor, options.department);
  const sent = department === undefined ? registry.accreditIssuer(options.issuer, types, validFrom, validUntil) : registry.accreditIssuerAs(department, options.issuer, types, validFrom, validUntil);
  const receipt = await (await sent).wait();
  return { validFrom, validUntil, txHash: receipt?.hash ?? '' };
}

/** Options of {@link revokeAccreditationWindow}. */
export interface RevokeOptions {
  deployment: Pick<CityDeployment, 'issuerRegistry'>;
  /** The city root, or a department's current key revoking a window the department made; connected to the chain. */
  revoker: Signer;
  /** When a department revokes: its identity address, which `revoker` acts for ({@link departmentActedFor}). */
  department?: string | undefined;
  /** The issuer's identity address. */
  issuer: string;
  /** Credential type name. */
  type: string;
  /** The window's index, as `IssuerAccredited` announced it. */
  index: bigint;
}

/**
 * Revokes one accreditation window from the chain's present on (a root revocation also suspends the issuer for the
 * type). Waits until the transaction is mined.
 * @returns the transaction hash
 * @throws the contract's error (`CALL_EXCEPTION`; {@link registryRefusalName} names it) when the registry refuses
 */
export async function revokeAccreditationWindow(options: RevokeOptions): Promise<string> {
  const registry = issuerRegistryAt(options.deployment.issuerRegistry, options.revoker);
  const type = credentialTypeHash(options.type);
  const department = await departmentActedFor(options.revoker, options.department);
  const sent = department === undefined ? registry.revokeAccreditation(options.issuer, type, options.index) : registry.revokeAccreditationAs(department, options.issuer, type, options.index);
  return (await (await sent).wait())?.hash ?? '';
}

/**
 * Whom a department's key must name in the IssuerRegistry's `accreditIssuerAs` / `revokeAccreditationAs`: a
 * department's rights belong to its did:ethr identity, and after a key rotation (ERC-1056 `changeOwner`) its current
 * key is another address, which acts for the identity only through those functions. While the key is the identity's
 * own address, the plain functions act for it.
 * @param key - the key that sends (the city root's, or a department's current key)
 * @param department - the department's identity address; undefined for the root
 * @returns `department` when the `…As` form is needed, undefined when the plain functions are
 */
export async function departmentActedFor(key: Signer, department: string | undefined): Promise<string | undefined> {
  if (department === undefined) return undefined;
  return getAddress(await key.getAddress()) === getAddress(department) ? undefined : getAddress(department);
}

/**
 * The name of the IssuerRegistry custom error that refused a call or transaction (`IssuerIsSuspended`,
 * `AccreditorNotAuthorized`, …). A transaction refused while its gas is estimated carries only the raw revert data:
 * it is decoded with the registry's ABI.
 * @returns undefined when `error` is not such a refusal (an outage, another contract's error)
 */
export function registryRefusalName(error: unknown): string | undefined {
  if (!isError(error, 'CALL_EXCEPTION')) return undefined;
  if (error.revert) return error.revert.name;
  if (!error.data) return undefined;
  try {
    return issuerRegistryAt(ZeroAddress, null).interface.parseError(error.data)?.name;
  } catch {
    return undefined;
  }
}

/** Unix seconds as ISO-8601 UTC. */
export function isoSeconds(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString();
}

/** Options of {@link provisionDemoAccreditations}. */
export interface DemoAccreditationOptions {
  /** The city root account (owner of the IssuerRegistry), connected to the local chain. */
  root: Signer;
  provider: Provider;
  deployment: Pick<CityDeployment, 'issuerRegistry'>;
  /** Tenants with their seeds. */
  tenants: ReadonlyArray<{ tenant: TenantEntity; seed: TenantSeed }>;
  /**
   * The signer of a tenant's transactions (its current key): a department accredits its employers with it, and its
   * account — the identity's until a key rotation, the new key's after — is the one funded.
   */
  signerFor: (tenant: TenantEntity) => Promise<Signer>;
}

/** What {@link provisionDemoAccreditations} did. */
export interface DemoAccreditationReport {
  /** Transactions sent (funding, delegations, accreditations). */
  sent: number;
  /** `slug: Type` of each delegation made. */
  delegated: string[];
  /**
   * `slug: Type` of each delegation withdrawn because the seeds moved the type to another department (the demo's
   * labour types, from `employment-insurance` to `labor`): the windows the old department made end with it.
   */
  withdrawn: string[];
  /** `slug: Type` of each accreditation made. */
  accredited: string[];
  /** `slug: Type, Type (ErrorName)` of each accreditation the registry refused (e.g. the root suspended the tenant). */
  refused: string[];
}

/**
 * Whether provisioning accredits a demo tenant for `type`: when the registry never recorded a window of it for the
 * type, or when its latest window was made by another seeded department than the one its seed names now and no
 * longer counts (the seeds moved its accreditation, and the old department's delegation was withdrawn). A window the
 * root made, or one its department made and since revoked or let end, is left as it is.
 */
async function needsDemoWindow(registry: IssuerRegistryContract, issuer: string, type: string, accreditedBy: string | undefined, departments: ReadonlyMap<string, string>, now: bigint): Promise<boolean> {
  const hash = credentialTypeHash(type);
  const count = await registry.windowCount(issuer, hash);
  if (count === 0n) return true;
  if (accreditedBy === undefined) return false;
  const latest = await registry.windowAt(issuer, hash, count - 1n);
  if (latest.byRoot) return false;
  const madeBy = departments.get(latest.accreditor.toLowerCase());
  if (madeBy === undefined || madeBy === accreditedBy) return false;
  return !(await registry.isAccredited(issuer, hash, now));
}

/**
 * Embedded mode's demo seeding, once per tenant, type and registry: funds the tenant accounts (play money on the
 * local chain), delegates to a department the types it accredits employers for, and accredits each tenant for its
 * types and record types (`TenantSeed.recordTypes`; employers through their department), from the chain's present
 * for {@link DEMO_ACCREDITATION_SECONDS}.
 *
 * Only what the registry has never recorded is sent: a type the tenant ever had a window for — live, ended or
 * revoked — is never accredited again, and a delegation the root ever made is never made again, whatever
 * happened to it since — with one exception, a type the seeds moved from one department to another (the demo's labour
 * types, from `employment-insurance` to `labor`): the old department's delegation is withdrawn (ending the windows it
 * made) and its employers are accredited anew by the department their seed names. So what the city root revoked or
 * withdrew stays so across restarts; a tenant created
 * but not accredited (a crash in between), or a registry deployed anew, is completed. An accreditation the registry
 * refuses (the root suspended the tenant, withdrew its department's delegation) is reported, not retried.
 * @returns what was sent and what was refused
 * @throws the provider's error when the chain does not answer
 */
export async function provisionDemoAccreditations(options: DemoAccreditationOptions): Promise<DemoAccreditationReport> {
  const { root, provider, deployment } = options;
  const registry = issuerRegistryAt(deployment.issuerRegistry, provider);
  const bySlug = new Map(options.tenants.map((t) => [t.seed.slug, t]));
  const report: DemoAccreditationReport = { sent: 0, delegated: [], withdrawn: [], accredited: [], refused: [] };

  const senders = [];
  for (const { tenant } of options.tenants) senders.push(await (await options.signerFor(tenant)).getAddress());
  report.sent += await fundTenantAccounts(root, provider, senders);

  for (const { tenant, seed } of options.tenants) {
    const types = [];
    for (const type of seed.delegatedTypes ?? []) {
      if ((await registry.delegationsOf(tenant.address, credentialTypeHash(type))).length === 0) types.push(type);
    }
    if (types.length === 0) continue;
    await (await issuerRegistryAt(deployment.issuerRegistry, root).setAccreditorTypes(tenant.address, types.map(credentialTypeHash), true)).wait();
    report.sent += 1;
    report.delegated.push(...types.map((type) => `${seed.slug}: ${type}`));
  }

  // A type the seeds delegate to one department and another seeded department still holds was moved (a demo from
  // before): the root withdraws the old delegation, which ends every window that department made for the type (no
  // suspension: the employers it accredited are accredited anew by their department below).
  const delegatedBySeeds = new Set(options.tenants.flatMap(({ seed }) => seed.delegatedTypes ?? []));
  for (const { tenant, seed } of options.tenants) {
    if (seed.kind !== 'department') continue;
    const moved = [];
    for (const type of delegatedBySeeds) {
      if (!(seed.delegatedTypes ?? []).includes(type) && (await registry.canAccredit(tenant.address, credentialTypeHash(type)))) moved.push(type);
    }
    if (moved.length === 0) continue;
    await (await issuerRegistryAt(deployment.issuerRegistry, root).setAccreditorTypes(tenant.address, moved.map(credentialTypeHash), false)).wait();
    report.sent += 1;
    report.withdrawn.push(...moved.map((type) => `${seed.slug}: ${type}`));
  }
  const departmentAddresses = new Map(options.tenants.map(({ tenant, seed }) => [tenant.address.toLowerCase(), seed.slug]));
  const now = await chainTime(provider);

  for (const { tenant, seed } of options.tenants) {
    const types = [];
    for (const type of [...seed.credentialTypes, ...(seed.recordTypes ?? [])]) {
      if (await needsDemoWindow(registry, tenant.address, type, seed.accreditedBy, departmentAddresses, now)) types.push(type);
    }
    if (types.length === 0) continue;
    const department = seed.accreditedBy ? bySlug.get(seed.accreditedBy) : undefined;
    if (seed.accreditedBy && !department) throw new Error(`${seed.slug} is accredited by unknown tenant ${seed.accreditedBy}`);
    try {
      await accreditFromChainTime({
        deployment,
        accreditor: department ? await options.signerFor(department.tenant) : root,
        department: department?.tenant.address,
        issuer: tenant.address,
        types,
        validForSeconds: DEMO_ACCREDITATION_SECONDS,
      });
    } catch (error) {
      // The city's decisions stand (a suspension, a withdrawn delegation): the demo tenant stays unaccredited.
      const refusal = registryRefusalName(error);
      if (!refusal) throw error;
      report.refused.push(`${seed.slug}: ${types.join(', ')} (${refusal})`);
      continue;
    }
    report.sent += 1;
    report.accredited.push(...types.map((type) => `${seed.slug}: ${type}`));
  }
  return report;
}
