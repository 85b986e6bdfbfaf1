import { existsSync } from 'node:fs';
import { credentialTypeHash, issuerRegistryAt, type AccreditationView, type CityDeployment, type IssuerRegistryContract } from '@citycred/anchors';
import { systemClock, type Clock } from '@citycred/config';
import { CREDENTIAL_TYPES } from '@citycred/credentials';
import { createIssuerDataSource, openDatabase, TenantEntity, type DatabaseLocation, type TenantKind } from '@citycred/persistence';
import { accreditFromChainTime, chainTime, fundTenantAccounts, isoSeconds, registryRefusalName, revokeAccreditationWindow, type TenantSeed } from '@citycred/tenancy';
import { getAddress, JsonRpcProvider, Wallet, type Signer } from 'ethers';
import { recordedDeployment } from './chain-setup.js';
import { DELEGATE_USAGE, runDelegateCommand } from './delegate-command.js';
import { ROTATE_KEY_USAGE, runRotateKeyCommand } from './rotate-key-command.js';
import { openTenantWorkspace, type TenantWorkspace } from './tenant-workspace.js';

/** How the `tenants` command is called. */
export const TENANTS_USAGE = [
  'usage: citycred tenants onboard <slug> --name <name> --kind department|employer|app --types <Type,…>',
  '                 [--accredited-by <department-slug>] [--may-accredit <Type,…>] [--valid-until <date>]',
  '                                      create a tenant (did:ethr key, database row), accredit it on chain from the',
  '                                      chain\'s latest block time, and print its DID and a first API key once; an app',
  '                                      operator (--kind app) issues its own types (open issuance), never catalogue ones',
  '       citycred tenants list          tenants, their DIDs, and the types they are accredited for now on chain',
  '       citycred tenants accredit <slug> [--types <Type,…>] [--accredited-by <department-slug>] [--valid-until <date>]',
  '       citycred tenants revoke <slug> [--types <Type,…>]      the city root ends its live windows now',
  '       citycred tenants revoke <slug> [--types <Type,…>] --accredited-by <department-slug>',
  '                                      the department ends the live windows it made (no suspension)',
  '       citycred tenants reinstate <slug> [--types <Type,…>]   the city root lifts the suspension a revocation left',
  ROTATE_KEY_USAGE,
  DELEGATE_USAGE,
  'The city root signs with CITY_ROOT_KEY; with --accredited-by, the department\'s current key (in the issuer database) signs.',
  '<date> is YYYY-MM-DD (UTC midnight) or an ISO 8601 date-time with offset; by default a window lasts 365 days.',
].join('\n');

/** Where the `tenants` command writes: the API key alone on `out` (so it can be captured), everything else on `err`. */
export interface TenantsCommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/** What the `tenants` command works on. */
export interface TenantsCommandContext {
  /** The issuer database; an SQLite file must already exist (run `npm start` once). */
  database: DatabaseLocation;
  rpcUrl: string;
  /** The embedded local chain (no `CHAIN_RPC_URL`): new tenants are funded from the root's play money. */
  embedded: boolean;
  deploymentsDir: string;
  didNetwork: string;
  /** Needed to create a tenant's key and to sign as a department. */
  keyEncryptionSecret?: string | undefined;
  /** Needed for what the city root signs. */
  cityRootKey?: string | undefined;
}

/** A refusal the operator can act on: printed as is, exit code 1. */
class Refused extends Error {}

/** A misuse of the command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

/** Length of a window when `--valid-until` is not given. */
const DEFAULT_VALIDITY_SECONDS = 365n * 86_400n;

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
/** Printable text: the name is shown to operators and stored in a 200-character column. */
const NAME = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]{1,200}$/u;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Flags each action accepts. */
const FLAGS: Record<string, readonly string[]> = {
  onboard: ['name', 'kind', 'types', 'accredited-by', 'may-accredit', 'valid-until'],
  list: [],
  accredit: ['types', 'accredited-by', 'valid-until'],
  revoke: ['types', 'accredited-by'],
  reinstate: ['types'],
};

/** The custom errors of the IssuerRegistry an operator may meet, with what to do about them. */
const REGISTRY_REFUSALS: Record<string, string> = {
  NotRoot: 'CITY_ROOT_KEY is not the registry\'s root',
  AccreditorNotAuthorized: 'the department is not delegated this type by the city root',
  IssuerIsSuspended: 'the city root suspended this issuer for the type (a revocation by the root does); run "tenants reinstate" first',
  OverlappingWindow: 'the tenant already has a window for the type that has not ended',
  BackdatedAccreditation: 'the chain\'s latest block is older than the registry allows: is the chain producing blocks?',
  NotAnEmployer: 'a department may accredit only employers (addresses the root never accredited or delegated to)',
  RootNotAllowed: 'the city root itself cannot be accredited',
  SelfAccreditation: 'a department cannot accredit itself',
  NotIdentityOwner: 'the department\'s key in the issuer database does not own its identity on chain (ERC-1056): finish its key rotation with "tenants rotate-key"',
  NotTheAccreditor: 'a department revokes only the windows it made',
};

/**
 * `citycred tenants …`: the operator's commands for tenants, on the issuer database and the city chain — the only
 * way tenants come to exist against a real chain (`npm start` seeds the demo tenants in embedded mode only).
 * `onboard` creates a tenant and accredits it from the chain's latest block time (never earlier), then prints its
 * DID and a first API key, once; `list` shows the tenants and what the registry says of them now; `accredit`,
 * `revoke` and `reinstate` are the city's explicit decisions about an existing tenant; `rotate-key` gives a tenant
 * a new signing key ({@link runRotateKeyCommand}); `add-delegate` and `revoke-delegate` manage the ERC-1056 delegates of
 * its identity ({@link runDelegateCommand}).
 * @param args - the words after `tenants`
 * @returns the process exit code: 0 done, 1 refused (a check failed, the chain refused), 2 usage
 * @throws whatever the driver or provider throws when the database or chain cannot be reached
 */
export async function runTenantsCommand(args: readonly string[], context: TenantsCommandContext, output: TenantsCommandOutput, clock: Clock = systemClock): Promise<number> {
  if (args[0] === 'rotate-key') return runRotateKeyCommand(args.slice(1), context, output, clock);
  if (args[0] === 'add-delegate' || args[0] === 'revoke-delegate') return runDelegateCommand(args[0], args.slice(1), context, output, clock);
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`${error.message}\n${TENANTS_USAGE}`);
    return 2;
  }
  if (!context.database.url && context.database.sqlitePath && !existsSync(context.database.sqlitePath)) {
    output.err(`no issuer database at ${context.database.sqlitePath}: run "npm start" once first, or set DATABASE_URL (and DATABASE_SCHEMA) to the issuer's database`);
    return 1;
  }
  const provider = new JsonRpcProvider(context.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    const deployment = await recordedDeployment(provider, context.deploymentsDir).catch((error: unknown) => {
      throw new Refused(error instanceof Error ? error.message : String(error));
    });
    const session: Session = { context, provider, deployment, output, clock, registry: issuerRegistryAt(deployment.issuerRegistry, provider) };
    switch (parsed.action) {
      case 'list':
        await list(session);
        return 0;
      case 'onboard':
        return await onboard(session, parsed);
      default:
        return await changeAccreditation(session, parsed);
    }
  } catch (error) {
    if (error instanceof Refused || error instanceof RangeError) {
      output.err(error.message);
      return 1;
    }
    const refusal = registryRefusal(error);
    if (refusal) {
      output.err(`the IssuerRegistry refused: ${refusal}`);
      return 1;
    }
    throw error;
  } finally {
    provider.destroy();
  }
}

interface ParsedArgs {
  action: 'onboard' | 'list' | 'accredit' | 'revoke' | 'reinstate';
  slug: string | undefined;
  flags: Map<string, string>;
}

interface Session {
  context: TenantsCommandContext;
  provider: JsonRpcProvider;
  deployment: CityDeployment;
  registry: IssuerRegistryContract;
  output: TenantsCommandOutput;
  clock: Clock;
}

/** @throws UsageError for an unknown action or flag, a missing slug or value, or a flag given twice */
function parseArgs(args: readonly string[]): ParsedArgs {
  const [action, ...rest] = args;
  if (action === undefined || !(action in FLAGS)) throw new UsageError(action === undefined ? 'no action given' : `unknown action "${action}"`);
  const allowed = FLAGS[action]!;
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i += 1) {
    const word = rest[i]!;
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!allowed.includes(name)) throw new UsageError(`"${action}" takes no option --${name}`);
    if (flags.has(name)) throw new UsageError(`--${name} is given twice`);
    const value = inline ?? rest[(i += 1)];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    flags.set(name, value);
  }
  const slugs = action === 'list' ? 0 : 1;
  if (positional.length !== slugs) throw new UsageError(slugs === 0 ? '"list" takes no arguments' : `"${action}" takes one tenant slug`);
  return { action: action as ParsedArgs['action'], slug: positional[0], flags };
}

/** A type an app operator issues under open issuance: a term, at most 64 characters (as the issuer accepts). */
const OPEN_TYPE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * Catalogue types for departments and employers; for an app operator (`--kind app`, open issuance) its own type
 * names (or plain `VerifiableCredential`), never a catalogue type.
 * @throws Refused naming the first unknown or repeated type
 */
function parseTypes(value: string, flag: string, kind?: string): string[] {
  const types = value.split(',').map((t) => t.trim());
  for (const type of types) {
    const catalogued = (CREDENTIAL_TYPES as readonly string[]).includes(type);
    if (kind === 'app') {
      if (catalogued) throw new Refused(`--${flag}: "${type}" is a catalogue type, which only the city's departments and accredited employers issue`);
      if (!OPEN_TYPE.test(type)) throw new Refused(`--${flag}: "${type}" is not a type name (a letter, then letters, digits, "_", "." or "-"; at most 64)`);
    } else if (!catalogued) throw new Refused(`--${flag}: "${type}" is not a credential type; known types: ${CREDENTIAL_TYPES.join(', ')}`);
  }
  if (new Set(types).size !== types.length) throw new Refused(`--${flag} names a type twice`);
  return types;
}

/** @throws Refused for a date that is not YYYY-MM-DD or an ISO 8601 date-time with offset */
function parseValidUntil(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  const at = DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) throw new Refused('--valid-until must be YYYY-MM-DD or an ISO 8601 date-time with offset (e.g. 2027-01-01T00:00:00Z)');
  return BigInt(Math.floor(at / 1000));
}

/** @throws Refused when `validUntil` is not after the chain's present (where the window would start) */
async function checkEnd(session: Session, validUntil: bigint | undefined): Promise<void> {
  if (validUntil === undefined) return;
  const now = await chainTime(session.provider);
  if (validUntil <= now) throw new Refused(`--valid-until must lie after the chain's latest block time, ${isoSeconds(now)}, where the window starts`);
}

/** The city root's signer, checked against the registry. @throws Refused when the key is missing or not the root */
async function rootSigner(session: Session): Promise<Wallet> {
  const key = session.context.cityRootKey;
  if (!key) throw new Refused(`the city root signs this: set CITY_ROOT_KEY${session.context.embedded ? ' (or run "npm start" once, which keeps the embedded root key in var/secrets.json)' : ''}`);
  const root = new Wallet(key, session.provider);
  const registryRoot = await session.registry.root();
  if (getAddress(registryRoot) !== root.address) throw new Refused(`CITY_ROOT_KEY is the account ${root.address}, but the IssuerRegistry's root is ${registryRoot}`);
  return root;
}

/** @throws Refused when the key-encryption secret is missing */
function keySecret(session: Session): string {
  const secret = session.context.keyEncryptionSecret;
  if (!secret) throw new Refused('tenant keys are kept encrypted in the issuer database: set KEY_ENCRYPTION_SECRET (the issuer\'s)');
  return secret;
}

async function withWorkspace<T>(session: Session, work: (workspace: TenantWorkspace) => Promise<T>): Promise<T> {
  const workspace = await openTenantWorkspace({
    database: session.context.database,
    keyEncryptionSecret: keySecret(session),
    rpcUrl: session.context.rpcUrl,
    didNetwork: session.context.didNetwork,
    deployment: session.deployment,
    clock: session.clock,
  });
  try {
    return await work(workspace);
  } finally {
    await workspace.close();
  }
}

/** Who accredits: a department (`--accredited-by`), or the city root. */
type Accreditor = { tenant: TenantEntity; signer: Signer } | { tenant: null; signer: Signer };

/** @throws Refused as {@link accreditingDepartment} does, or when the root key is needed and missing */
async function accreditorFor(session: Session, workspace: TenantWorkspace, department: string | undefined, types: readonly string[]): Promise<Accreditor> {
  return department !== undefined ? accreditingDepartment(session, workspace, department, types) : { tenant: null, signer: await rootSigner(session) };
}

/**
 * Accredits `issuer` for `types` from the chain's present until `validUntil` (default: {@link DEFAULT_VALIDITY_SECONDS}
 * later), signed by `accreditor`.
 * @returns the window in words: types, accreditor, start, end and transaction
 */
async function accreditWindow(session: Session, accreditor: Accreditor, issuer: string, types: string[], validUntil: bigint | undefined): Promise<string> {
  const made = await accreditFromChainTime({
    deployment: session.deployment,
    accreditor: accreditor.signer,
    department: accreditor.tenant?.address,
    issuer,
    types,
    ...(validUntil === undefined ? { validForSeconds: DEFAULT_VALIDITY_SECONDS } : { validUntil }),
  });
  return `for ${types.join(', ')} by ${accreditor.tenant?.slug ?? 'the city root'} from ${isoSeconds(made.validFrom)} until ${isoSeconds(made.validUntil)} (tx ${made.txHash})`;
}

/** A department tenant that may accredit employers for `types` now. @throws Refused otherwise */
async function accreditingDepartment(session: Session, workspace: TenantWorkspace, slug: string, types: readonly string[]): Promise<{ tenant: TenantEntity; signer: Signer }> {
  const department = await workspace.dataSource.getRepository(TenantEntity).findOneBy({ slug });
  if (!department) throw new Refused(`--accredited-by: there is no tenant "${slug}"`);
  if (department.kind !== 'department') throw new Refused(`--accredited-by: ${slug} is not a department`);
  for (const type of types) {
    if (!(await session.registry.canAccredit(department.address, credentialTypeHash(type)))) {
      throw new Refused(`${slug} may not accredit employers for ${type}: the city root has not delegated it (onboard the department with --may-accredit)`);
    }
  }
  return { tenant: department, signer: await workspace.directory.signerFor(department, session.provider) };
}

async function onboard(session: Session, args: ParsedArgs): Promise<number> {
  const { output, context } = session;
  const slug = args.slug!;
  const name = args.flags.get('name');
  const kind = args.flags.get('kind');
  const typesFlag = args.flags.get('types');
  if (!SLUG.test(slug)) throw new Refused('the slug is 1 to 64 lowercase letters, digits and inner hyphens (e.g. mapo-welfare)');
  if (name === undefined || !NAME.test(name)) throw new Refused('--name is required: 1 to 200 printable characters');
  if (kind !== 'department' && kind !== 'employer' && kind !== 'app') throw new Refused('--kind is required: department, employer or app (an app operator issuing its own types)');
  if (typesFlag === undefined) throw new Refused('--types is required: the credential types the tenant issues');
  const types = parseTypes(typesFlag, 'types', kind);
  const department = args.flags.get('accredited-by');
  const mayAccreditFlag = args.flags.get('may-accredit');
  if (department !== undefined && kind !== 'employer') throw new Refused('--accredited-by is for employers: the city root accredits departments');
  if (mayAccreditFlag !== undefined && kind !== 'department') throw new Refused('--may-accredit is for departments: only they accredit employers');
  const mayAccredit = mayAccreditFlag === undefined ? [] : parseTypes(mayAccreditFlag, 'may-accredit');
  const validUntil = parseValidUntil(args.flags.get('valid-until'));
  await checkEnd(session, validUntil);

  return withWorkspace(session, async (workspace) => {
    const repo = workspace.dataSource.getRepository(TenantEntity);
    if (await repo.findOneBy({ slug })) throw new Refused(`there is already a tenant "${slug}": "tenants accredit ${slug}" accredits it again, "keys issue ${slug}" gives it a new API key`);
    // Everything that can be checked is checked before the tenant exists.
    const accreditor = await accreditorFor(session, workspace, department, types);
    const root = mayAccredit.length > 0 && accreditor.tenant === null ? (accreditor.signer as Wallet) : undefined;
    const seed: TenantSeed = { slug, name, kind: kind as TenantKind, credentialTypes: types, ...(department ? { accreditedBy: department } : {}), ...(mayAccredit.length > 0 ? { delegatedTypes: mayAccredit } : {}) };
    const { tenant } = await workspace.directory.ensureTenant(seed);
    output.err(`created ${tenant.slug} (${tenant.kind}): ${tenant.did}, address ${tenant.address}`);
    try {
      if (context.embedded && context.cityRootKey) {
        const sender = await (await workspace.directory.signerFor(tenant, session.provider)).getAddress();
        await fundTenantAccounts(new Wallet(context.cityRootKey, session.provider), session.provider, [sender]);
      }
      output.err(`accredited ${await accreditWindow(session, accreditor, tenant.address, types, validUntil)}`);
      if (root) {
        await (await issuerRegistryAt(session.deployment.issuerRegistry, root).setAccreditorTypes(tenant.address, mayAccredit.map(credentialTypeHash), true)).wait();
        output.err(`may accredit employers for ${mayAccredit.join(', ')}`);
      }
    } catch (error) {
      output.err(`${tenant.slug} exists now but its accreditation was not completed: once the cause below is fixed, run "tenants accredit ${tenant.slug}"${mayAccredit.length > 0 ? ' (and delegate its types)' : ''}`);
      throw error;
    }
    if (!context.embedded) output.err(`if the chain charges gas, fund ${tenant.address}: it sends the tenant's anchoring transactions`);
    const apiKey = await workspace.directory.issueApiKey(tenant.id, 'onboarding');
    output.err(`first API key of ${tenant.slug} (shown only this once; only its SHA-256 is stored; "keys issue ${tenant.slug}" makes more):`);
    output.out(apiKey);
    return 0;
  });
}

async function list(session: Session): Promise<void> {
  const dataSource = await openDatabase(createIssuerDataSource(session.context.database));
  let tenants: TenantEntity[];
  try {
    tenants = await dataSource.getRepository(TenantEntity).find({ order: { slug: 'ASC' } });
  } finally {
    await dataSource.destroy();
  }
  const now = await chainTime(session.provider);
  const rows = [['SLUG', 'KIND', 'DID', 'ACCREDITED NOW', 'NOT ACCREDITED NOW']];
  for (const tenant of tenants) {
    const accredited: string[] = [];
    const not: string[] = [];
    for (const type of tenant.credentialTypes) (await session.registry.isAccredited(tenant.address, credentialTypeHash(type), now) ? accredited : not).push(type);
    rows.push([tenant.slug, tenant.kind, tenant.did, accredited.join(',') || '-', not.join(',') || '-']);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) session.output.out(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '));
  session.output.err(`accreditation as of the chain's latest block time, ${isoSeconds(now)}; ${tenants.length} tenant(s)`);
}

/** `accredit`, `revoke` and `reinstate` of an existing tenant. */
async function changeAccreditation(session: Session, args: ParsedArgs): Promise<number> {
  const { output, registry } = session;
  const validUntil = parseValidUntil(args.flags.get('valid-until'));
  await checkEnd(session, validUntil);
  const dataSource = await openDatabase(createIssuerDataSource(session.context.database));
  let tenant: TenantEntity | null;
  try {
    tenant = await dataSource.getRepository(TenantEntity).findOneBy({ slug: args.slug! });
  } finally {
    await dataSource.destroy();
  }
  if (!tenant) throw new Refused(`there is no tenant "${args.slug!}" ("tenants list" shows them)`);
  const typesFlag = args.flags.get('types');
  const types = typesFlag === undefined ? tenant.credentialTypes : parseTypes(typesFlag, 'types', tenant.kind);
  const department = args.flags.get('accredited-by');

  if (args.action === 'accredit') {
    if (department !== undefined && tenant.kind !== 'employer') throw new Refused('--accredited-by is for employers: the city root accredits departments');
    const found = tenant;
    return withWorkspace(session, async (workspace) => {
      const accreditor = await accreditorFor(session, workspace, department, types);
      const window = await accreditWindow(session, accreditor, found.address, types, validUntil);
      const added = types.filter((t) => !found.credentialTypes.includes(t));
      if (added.length > 0) {
        await workspace.dataSource.getRepository(TenantEntity).update({ id: found.id }, { credentialTypesJson: JSON.stringify([...found.credentialTypes, ...added]) });
      }
      output.out(`accredited ${found.slug} ${window}`);
      if (added.length > 0) output.out(`${found.slug} may now issue ${added.join(', ')} as well`);
      return 0;
    });
  }

  if (department !== undefined) {
    if (tenant.kind !== 'employer') throw new Refused('--accredited-by is for employers: the city root revokes departments');
    return revokeAsDepartment(session, tenant, department, types);
  }
  const root = await rootSigner(session);
  const asRoot = issuerRegistryAt(session.deployment.issuerRegistry, root);
  const now = await chainTime(session.provider);
  let changed = 0;
  for (const type of types) {
    const hash = credentialTypeHash(type);
    if (args.action === 'reinstate') {
      if (!(await registry.isSuspended(tenant.address, hash, now))) {
        output.out(`${tenant.slug} is not suspended for ${type}`);
        continue;
      }
      await (await asRoot.reinstateIssuer(tenant.address, hash)).wait();
      output.out(`reinstated ${tenant.slug} for ${type}: it needs a new accreditation ("tenants accredit ${tenant.slug} --types ${type}") to issue it again`);
      changed += 1;
      continue;
    }
    const live = await liveWindows(registry, tenant.address, hash, now);
    for (const index of live) await (await asRoot.revokeAccreditation(tenant.address, hash, index)).wait();
    const revoked = live.length;
    output.out(revoked === 0 ? `${tenant.slug} has no live window for ${type}: nothing to revoke` : `revoked ${tenant.slug} for ${type} from now on (its past stays on record; it is suspended for ${type} until "tenants reinstate")`);
    changed += revoked;
  }
  output.err(changed === 0 ? 'nothing changed' : 'a running issuer notices within ACCREDITATION_REFRESH_MS (5 s unless configured)');
  return 0;
}

/**
 * `revoke --accredited-by`: the department ends, from now on, the live windows of the employer that it made, signing
 * with its current key (after a key rotation through the registry's `revokeAccreditationAs`). No suspension follows:
 * the department may accredit the employer again.
 */
async function revokeAsDepartment(session: Session, employer: TenantEntity, slug: string, types: readonly string[]): Promise<number> {
  const { output, registry } = session;
  return withWorkspace(session, async (workspace) => {
    const department = await accreditingDepartment(session, workspace, slug, types);
    const now = await chainTime(session.provider);
    let changed = 0;
    for (const type of types) {
      const hash = credentialTypeHash(type);
      const madeByDepartment = (window: AccreditationView) => !window.byRoot && getAddress(window.accreditor) === getAddress(department.tenant.address);
      const live = await liveWindows(registry, employer.address, hash, now, madeByDepartment);
      for (const index of live) {
        await revokeAccreditationWindow({ deployment: session.deployment, revoker: department.signer, department: department.tenant.address, issuer: employer.address, type, index });
      }
      const revoked = live.length;
      output.out(revoked === 0 ? `${employer.slug} has no live window for ${type} made by ${slug}: nothing to revoke` : `${slug} revoked ${employer.slug} for ${type} from now on (its past stays on record; ${slug} may accredit it again)`);
      changed += revoked;
    }
    output.err(changed === 0 ? 'nothing changed' : 'a running issuer notices within ACCREDITATION_REFRESH_MS (5 s unless configured)');
    return 0;
  });
}

/**
 * Indexes of the windows of `issuer` for `credentialType` that are live at `now` (neither revoked nor ended) and that
 * `include` accepts (all of them by default), in registry order.
 */
async function liveWindows(
  registry: IssuerRegistryContract,
  issuer: string,
  credentialType: string,
  now: bigint,
  include: (window: AccreditationView) => boolean = () => true,
): Promise<bigint[]> {
  const count = await registry.windowCount(issuer, credentialType);
  const live: bigint[] = [];
  for (let index = 0n; index < count; index += 1n) {
    const window = await registry.windowAt(issuer, credentialType, index);
    if (window.revokedAt === 0n && window.validUntil > now && include(window)) live.push(index);
  }
  return live;
}

/** The IssuerRegistry's custom error behind a failed call or transaction, in words; undefined for anything else. */
function registryRefusal(error: unknown): string | undefined {
  const name = registryRefusalName(error);
  return name && `${name}${REGISTRY_REFUSALS[name] ? ` (${REGISTRY_REFUSALS[name]})` : ''}`;
}
