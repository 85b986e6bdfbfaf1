import { existsSync } from 'node:fs';
import type { CityDeployment } from '@citycred/anchors';
import { systemClock, type Clock } from '@citycred/config';
import { ErrorCode } from '@citycred/errors';
import { createIssuerDataSource, openDatabase, TenantEntity, type DatabaseLocation, type TenantKind } from '@citycred/persistence';
import { describeTenants, type AdminActor, type TenantAdministration, type TypeOutcome, type WindowMade } from '@citycred/tenancy';
import { JsonRpcProvider } from 'ethers';
import { printWithdrawals } from './anchorer-withdrawals.js';
import { recordedDeployment } from './chain-setup.js';
import { DELEGATE_USAGE, runDelegateCommand } from './delegate-command.js';
import { isRefusal, refusalLines } from './refusals.js';
import { ROTATE_KEY_USAGE, runRotateKeyCommand } from './rotate-key-command.js';
import { openTenantWorkspace } from './tenant-workspace.js';

/** How the `tenants` command is called. */
export const TENANTS_USAGE = [
  'usage: citycred tenants onboard <slug> --name <name> [--name-en <English name>] --kind department|employer|app --types <Type,…>',
  '                 [--accredited-by <department-slug>] [--may-accredit <Type,…>] [--business-number <NNN-NN-NNNNN>] [--valid-until <date>]',
  '                                      an employer needs --business-number (format and check digit are checked); a',
  '                                      department given --may-accredit may omit --types (it only accredits employers)',
  '                                      create a tenant (did:ethr key, database row), accredit it on chain from the',
  '                                      chain\'s latest block time, and print its DID and a first API key once; an app',
  '                                      operator (--kind app) issues its own types (open issuance), never catalogue ones',
  '       citycred tenants list          tenants, their DIDs, and the types they are accredited for now on chain',
  '       citycred tenants accredit <slug> [--types <Type,…>] [--accredited-by <department-slug>] [--valid-until <date>]',
  '       citycred tenants revoke <slug> [--types <Type,…>]      the city root ends its live windows now',
  '       citycred tenants revoke <slug> [--types <Type,…>] --accredited-by <department-slug>',
  '                                      the department ends the live windows it made (no suspension)',
  '       citycred tenants reinstate <slug> [--types <Type,…>]   the city root lifts the suspension a revocation left',
  '       citycred tenants withdraw-anchorers <slug>   end the tenant\'s anchorer registrations that outlived their right',
  '                                      (a key rotated away, a type revoked): retries what revoke or rotate-key could not',
  ROTATE_KEY_USAGE,
  DELEGATE_USAGE,
  'The city root signs with CITY_ROOT_KEY; with --accredited-by, the department\'s current key (in the issuer database) signs.',
  '<date> is YYYY-MM-DD (UTC midnight) or an ISO 8601 date-time with offset; by default a window lasts 365 days.',
  'The issuer\'s admin API (/console/api/admin, docs/console.md) does the same for the city\'s console administrators.',
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

/** What the platform CLI is, in the audit logs it writes to. */
const CLI: AdminActor = { actor: { kind: 'platform', id: 'cli' } };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Flags each action accepts. */
const FLAGS: Record<string, readonly string[]> = {
  onboard: ['name', 'name-en', 'kind', 'types', 'accredited-by', 'may-accredit', 'business-number', 'valid-until'],
  list: [],
  accredit: ['types', 'accredited-by', 'valid-until'],
  revoke: ['types', 'accredited-by'],
  reinstate: ['types'],
  'withdraw-anchorers': [],
};

/**
 * `citycred tenants …`: the operator's commands for tenants, on the issuer database and the city chain, through the
 * tenant administration the issuer's admin API also uses (`TenantAdministration`, `@citycred/tenancy`); each change
 * enters the tenant's audit log as done by `platform/cli`. `onboard` creates a tenant and accredits it from the
 * chain's latest block time (never earlier), then prints its DID and a first API key, once; `list` shows the tenants
 * and what the registry says of them now; `accredit`, `revoke` and `reinstate` are the city's explicit decisions about
 * an existing tenant (`revoke` also ends the anchorer registrations of the types revoked); `rotate-key` gives a tenant
 * a new signing key ({@link runRotateKeyCommand}); `withdraw-anchorers` ends the anchorer registrations that outlived
 * their right (the retry of a withdrawal `revoke` or `rotate-key` could not make); `add-delegate` and
 * `revoke-delegate` manage the ERC-1056 delegates of its identity ({@link runDelegateCommand}).
 * @param args - the words after `tenants`
 * @returns the process exit code: 0 done (also when a withdrawal after a revocation failed: it is printed), 1 refused
 *   (a check failed, the chain refused or does not answer, a withdrawal of `withdraw-anchorers` failed), 2 usage
 * @throws whatever the driver throws when the database cannot be reached
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
  const given = givenRequest(parsed);
  try {
    const deployment = await recordedDeployment(provider, context.deploymentsDir).catch((error: unknown) => {
      throw new Refused(error instanceof Error ? error.message : String(error));
    });
    if (parsed.action === 'list') {
      await list(context, provider, deployment, output);
      return 0;
    }
    const session: Session = { context, deployment, output, clock, parsed };
    return await withAdministration(session, (administration) =>
      parsed.action === 'onboard' ? onboard(session, administration) : parsed.action === 'withdraw-anchorers' ? withdrawAnchorers(session, administration) : changeAccreditation(session, administration),
    );
  } catch (error) {
    if (error instanceof Refused) {
      output.err(error.message);
      return 1;
    }
    if (isRefusal(error)) {
      for (const line of describeRefusal(error, parsed, context, given)) output.err(line);
      return 1;
    }
    throw error;
  } finally {
    provider.destroy();
  }
}

interface ParsedArgs {
  action: 'onboard' | 'list' | 'accredit' | 'revoke' | 'reinstate' | 'withdraw-anchorers';
  slug: string | undefined;
  flags: Map<string, string>;
}

interface Session {
  context: TenantsCommandContext;
  deployment: CityDeployment;
  output: TenantsCommandOutput;
  clock: Clock;
  parsed: ParsedArgs;
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

/** A comma-separated list of types as given (the administration checks them). */
function typesOf(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((t) => t.trim());
}

/** The request as the command line gave it, by the member names the administration's refusals point to. */
function givenRequest(parsed: ParsedArgs): Record<string, unknown> {
  return {
    slug: parsed.slug,
    name: parsed.flags.get('name'),
    nameEn: parsed.flags.get('name-en'),
    kind: parsed.flags.get('kind'),
    types: typesOf(parsed.flags.get('types')),
    accreditedBy: parsed.flags.get('accredited-by'),
    mayAccredit: typesOf(parsed.flags.get('may-accredit')),
    businessNumber: parsed.flags.get('business-number'),
    validUntil: parsed.flags.get('valid-until'),
  };
}

/** @throws Refused for a date that is not YYYY-MM-DD or an ISO 8601 date-time with offset */
function parseValidUntil(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  const at = DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) throw new Refused('--valid-until must be YYYY-MM-DD or an ISO 8601 date-time with offset (e.g. 2027-01-01T00:00:00Z)');
  return BigInt(Math.floor(at / 1000));
}

/** What the operator is told of a refusal, with the command line's words for it. */
function describeRefusal(error: Parameters<typeof refusalLines>[0], parsed: ParsedArgs, context: TenantsCommandContext, given: Record<string, unknown>): string[] {
  const slug = parsed.slug ?? '';
  switch (error.code) {
    case ErrorCode.TenantSlugTaken:
      return [`there is already a tenant "${slug}": "tenants accredit ${slug}" accredits it again, "keys issue ${slug}" gives it a new API key`];
    case ErrorCode.TenantNotFound:
      return [`there is no tenant "${slug}" ("tenants list" shows them)`];
    case ErrorCode.TenantRootKeyUnavailable:
      return [`${error.message}${context.embedded && !context.cityRootKey ? ' (or run "npm start" once, which keeps the embedded root key in var/secrets.json)' : ''}`];
    case ErrorCode.TenantAccreditationRefused:
      return [error.extensions['refusal'] === 'IssuerIsSuspended' ? `${error.message} ("tenants reinstate ${slug}" lifts the suspension)` : error.message];
    case ErrorCode.TenantBusinessNumberInvalid:
      return [`--business-number "${String(given['businessNumber'] ?? '')}": ${error.message} (${String(error.extensions['reason'])})`];
    default:
      return refusalLines(error, given);
  }
}

/** Opens the workspace (the key-encryption secret is needed) and runs `work` on its administration. */
async function withAdministration<T>(session: Session, work: (administration: TenantAdministration) => Promise<T>): Promise<T> {
  const { context } = session;
  if (!context.keyEncryptionSecret) throw new Refused('tenant keys are kept encrypted in the issuer database: set KEY_ENCRYPTION_SECRET (the issuer\'s)');
  const workspace = await openTenantWorkspace({
    database: context.database,
    keyEncryptionSecret: context.keyEncryptionSecret,
    rpcUrl: context.rpcUrl,
    didNetwork: context.didNetwork,
    deployment: session.deployment,
    clock: session.clock,
    cityRootKey: context.cityRootKey,
    fundNewTenants: context.embedded,
  });
  try {
    return await work(workspace.administration);
  } finally {
    await workspace.close();
  }
}

/** A window in words: types, accreditor, start, end and transaction. */
function describeWindow(window: WindowMade): string {
  return `for ${window.types.join(', ')} by ${window.accreditedBy ?? 'the city root'} from ${window.validFrom} until ${window.validUntil} (tx ${window.txHash})`;
}

async function onboard(session: Session, administration: TenantAdministration): Promise<number> {
  const { output, context, parsed } = session;
  const name = parsed.flags.get('name');
  const kind = parsed.flags.get('kind');
  const mayAccredit = typesOf(parsed.flags.get('may-accredit'));
  const types = typesOf(parsed.flags.get('types')) ?? (kind === 'department' && mayAccredit !== undefined ? [] : undefined);
  if (name === undefined) throw new Refused('--name is required: 1 to 200 printable characters');
  if (kind !== 'department' && kind !== 'employer' && kind !== 'app') throw new Refused('--kind is required: department, employer or app (an app operator issuing its own types)');
  if (types === undefined) throw new Refused('--types is required: the credential types the tenant issues');
  if (kind === 'employer' && !parsed.flags.has('business-number')) throw new Refused('--business-number is required for an employer: its business registration number (사업자등록번호), e.g. 123-45-67891');
  const made = await administration.onboard(
    {
      slug: parsed.slug!,
      name,
      nameEn: parsed.flags.get('name-en'),
      kind: kind as TenantKind,
      types,
      accreditedBy: parsed.flags.get('accredited-by'),
      mayAccredit,
      businessNumber: parsed.flags.get('business-number'),
      validUntil: parseValidUntil(parsed.flags.get('valid-until')),
    },
    CLI,
  );
  const { tenant } = made;
  output.err(`created ${tenant.slug} (${tenant.kind}): ${tenant.did}, address ${tenant.address}${made.resumed ? ' (completing an onboarding that was interrupted)' : ''}`);
  if (made.funded) output.err(`funded ${tenant.address} from the city root's balance (it pays for the tenant's anchoring transactions)`);
  if (tenant.businessNumber) output.err(`business registration number ${tenant.businessNumber} (shown to the employer, its department and the city's administrators only)`);
  if (made.accreditation) output.err(`accredited ${describeWindow(made.accreditation)}`);
  else if (tenant.credentialTypes.length > 0) output.err(`already accredited for ${tenant.credentialTypes.join(', ')} by the interrupted onboarding`);
  if (made.delegated.length > 0) output.err(`may accredit employers for ${made.delegated.join(', ')}`);
  if (!context.embedded) output.err(`if the chain charges gas, fund ${tenant.address}: it sends the tenant's anchoring transactions`);
  output.err(`first API key of ${tenant.slug} (shown only this once; only its SHA-256 is stored; "keys issue ${tenant.slug}" makes more):`);
  output.out(made.apiKey);
  return 0;
}

async function list(context: TenantsCommandContext, provider: JsonRpcProvider, deployment: CityDeployment, output: TenantsCommandOutput): Promise<void> {
  const dataSource = await openDatabase(createIssuerDataSource(context.database));
  let tenants: TenantEntity[];
  try {
    tenants = await dataSource.getRepository(TenantEntity).find({ order: { slug: 'ASC' } });
  } finally {
    await dataSource.destroy();
  }
  const overviews = await describeTenants({ provider, deployment }, tenants);
  const rows = [['SLUG', 'KIND', 'DID', 'ACCREDITED NOW', 'NOT ACCREDITED NOW']];
  for (const t of overviews) rows.push([t.slug, t.kind, t.did, t.accreditation.accredited.join(',') || '-', t.accreditation.notAccredited.join(',') || '-']);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) output.out(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '));
  const asOf = overviews[0]?.accreditation.asOf;
  output.err(`accreditation as of the chain's latest block time${asOf ? `, ${asOf}` : ''}; ${tenants.length} tenant(s)`);
}

/** `accredit`, `revoke` and `reinstate` of an existing tenant. */
async function changeAccreditation(session: Session, administration: TenantAdministration): Promise<number> {
  const { output, parsed } = session;
  const slug = parsed.slug!;
  const types = typesOf(parsed.flags.get('types'));
  const accreditedBy = parsed.flags.get('accredited-by');
  if (parsed.action === 'accredit') {
    const { window, added } = await administration.accredit(slug, { types, accreditedBy, validUntil: parseValidUntil(parsed.flags.get('valid-until')) }, CLI);
    output.out(`accredited ${slug} ${describeWindow(window)}`);
    if (added.length > 0) output.out(`${slug} may now issue ${added.join(', ')} as well`);
    return 0;
  }
  let outcomes: TypeOutcome[];
  if (parsed.action === 'reinstate') {
    ({ outcomes } = await administration.reinstate(slug, { types }, CLI));
    for (const { type, changed } of outcomes) {
      output.out(changed === 0 ? `${slug} is not suspended for ${type}` : `reinstated ${slug} for ${type}: it needs a new accreditation ("tenants accredit ${slug} --types ${type}") to issue it again`);
    }
  } else {
    const revocation = await administration.revoke(slug, { types, accreditedBy }, CLI);
    ({ outcomes } = revocation);
    for (const { type, changed } of outcomes) {
      if (accreditedBy === undefined) {
        output.out(changed === 0 ? `${slug} has no live window for ${type}: nothing to revoke` : `revoked ${slug} for ${type} from now on (its past stays on record; it is suspended for ${type} until "tenants reinstate")`);
      } else {
        output.out(changed === 0 ? `${slug} has no live window for ${type} made by ${accreditedBy}: nothing to revoke` : `${accreditedBy} revoked ${slug} for ${type} from now on (its past stays on record; ${accreditedBy} may accredit it again)`);
      }
    }
    printWithdrawals(slug, revocation.anchorers, output);
  }
  output.err(outcomes.some((o) => o.changed > 0) ? 'a running issuer notices within ACCREDITATION_REFRESH_MS (5 s unless configured)' : 'nothing changed');
  return 0;
}

/** `withdraw-anchorers`: ends the tenant's anchorer registrations that outlived their right; 1 when one could not be. */
async function withdrawAnchorers(session: Session, administration: TenantAdministration): Promise<number> {
  const { output, parsed } = session;
  const slug = parsed.slug!;
  const { anchorers } = await administration.withdrawAnchorers(slug, CLI);
  if (anchorers.withdrawn.length === 0 && anchorers.failed.length === 0) {
    output.out(`${slug} has no anchorer registration that outlived its right: nothing to withdraw`);
    return 0;
  }
  printWithdrawals(slug, anchorers, output);
  return anchorers.failed.length > 0 ? 1 : 0;
}
