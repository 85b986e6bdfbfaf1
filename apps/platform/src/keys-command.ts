import { existsSync } from 'node:fs';
import { systemClock, type Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import { createIssuerDataSource, openDatabase, type DatabaseLocation } from '@citycred/persistence';
import { ApiKeyAdministration, ApiKeyStore, AuditLog, type AdminActor, type ApiKeySummary } from '@citycred/tenancy';

/** How the `keys` command is called. */
export const KEYS_USAGE = [
  'usage: citycred keys issue <tenant-slug> [label]   print a new API key for a tenant (shown only this once)',
  '       citycred keys list [tenant-slug]            list API keys: tenant, prefix, label, created, revoked',
  '       citycred keys revoke <prefix-or-key>        revoke a key, by the prefix "keys list" shows or the whole key',
].join('\n');

/** Where the `keys` command writes. */
export interface KeysCommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/** What the platform CLI is, in the audit logs it writes to. */
const CLI: AdminActor = { actor: { kind: 'platform', id: 'cli' } };

/**
 * `citycred keys …`: the operator's API-key commands on the issuer database (the one `npm start` provisions:
 * `DATABASE_URL`/`DATABASE_SCHEMA`, else the SQLite file), through the API-key administration the issuer's admin API
 * also uses (`ApiKeyAdministration`, `@citycred/tenancy`): each issue and revocation enters the tenant's audit log as
 * done by `platform/cli`, in the transaction that makes it. Keys are shown once, when issued; listings and revocations
 * show only their prefix. A running issuer honours a revocation within its `API_KEY_CACHE_TTL_MS`. Needs neither the
 * chain nor `KEY_ENCRYPTION_SECRET`.
 * @param args - the words after `keys`
 * @param database - the issuer database; an SQLite file must already exist (the command never creates one)
 * @returns the process exit code: 0 done, 1 refused (unknown tenant or key, ambiguous prefix, bad label), 2 usage
 * @throws whatever the driver throws when the database cannot be opened
 */
export async function runKeysCommand(args: readonly string[], database: DatabaseLocation, output: KeysCommandOutput, clock: Clock = systemClock): Promise<number> {
  const [action, ...rest] = args;
  const arity: Record<string, [number, number]> = { issue: [1, 2], list: [0, 1], revoke: [1, 1] };
  const bounds = action === undefined ? undefined : arity[action];
  if (!bounds || rest.length < bounds[0] || rest.length > bounds[1]) {
    output.err(KEYS_USAGE);
    return 2;
  }
  if (!database.url && database.sqlitePath && !existsSync(database.sqlitePath)) {
    output.err(`no issuer database at ${database.sqlitePath}: run "npm start" once first, or set DATABASE_URL (and DATABASE_SCHEMA) to the issuer's database`);
    return 1;
  }
  const dataSource = await openDatabase(createIssuerDataSource(database));
  try {
    const keys = new ApiKeyAdministration({ dataSource, apiKeys: new ApiKeyStore(dataSource, clock), audit: new AuditLog(dataSource, clock) });
    if (action === 'issue') {
      const [slug, label = 'cli'] = rest as [string, string?];
      let issued: Awaited<ReturnType<ApiKeyAdministration['issue']>>;
      try {
        issued = await keys.issue(slug, label, CLI);
      } catch (error) {
        if (isCode(error, ErrorCode.TenantNotFound)) output.err(`no tenant "${slug}"; "citycred keys list" shows the tenants that have keys`);
        else if (isCode(error, ErrorCode.TenantInvalid)) output.err('an API key label is 1 to 100 printable characters');
        else throw error;
        return 1;
      }
      output.out(issued.apiKey);
      output.err(`new API key for ${issued.tenant.slug} (label "${label}"), prefix ${issued.key.prefix}: shown only this once; only its SHA-256 is stored`);
      return 0;
    }
    if (action === 'list') {
      const slug = rest[0];
      try {
        printTable(await keys.list(slug), output);
      } catch (error) {
        if (!isCode(error, ErrorCode.TenantNotFound)) throw error;
        output.err(`no tenant "${slug}"`);
        return 1;
      }
      return 0;
    }
    const revocation = await keys.revokeByPrefixOrKey(rest[0]!, CLI);
    switch (revocation.outcome) {
      case 'revoked':
        output.out(`revoked ${describe(revocation.key)}`);
        output.out('A running issuer refuses it within API_KEY_CACHE_TTL_MS (5 s unless configured).');
        return 0;
      case 'already-revoked':
        output.out(`already revoked at ${revocation.key.revokedAt}: ${describe(revocation.key)}`);
        return 0;
      case 'ambiguous':
        output.err(`${revocation.matches} live keys share this prefix; give the whole key`);
        return 1;
      case 'unknown':
        output.err('no API key has this prefix or value ("citycred keys list" shows the prefixes)');
        return 1;
    }
  } finally {
    await dataSource.destroy();
  }
}

/** Whether `error` is the administration's refusal with this code. */
function isCode(error: unknown, code: ErrorCode): boolean {
  return error instanceof AppError && error.code === code;
}

function describe(key: ApiKeySummary): string {
  return `${key.prefix}… of ${key.tenantSlug} (label "${key.label}", created ${key.createdAt})`;
}

function printTable(keys: readonly ApiKeySummary[], output: KeysCommandOutput): void {
  const rows = [['TENANT', 'PREFIX', 'LABEL', 'CREATED', 'REVOKED'], ...keys.map((k) => [k.tenantSlug, k.prefix, k.label, k.createdAt, k.revokedAt ?? '-'])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) output.out(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '));
}
