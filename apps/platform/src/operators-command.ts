import { existsSync } from 'node:fs';
import { systemClock, type Clock } from '@citycred/config';
import { AppError } from '@citycred/errors';
import { createIssuerDataSource, openDatabase, TenantEntity, type DatabaseLocation, type OperatorRole } from '@citycred/persistence';
import { AuditLog, generatePassword, OPERATOR_ROLES, OperatorStore, type AuditActor, type OperatorSummary } from '@citycred/tenancy';

/** How the `operators` command is called. */
export const OPERATORS_USAGE = [
  'usage: citycred operators add <tenant-slug> <username> --role admin|issuer|auditor [--name <display name>] [--password-stdin]',
  '                                              create a console operator; without --password-stdin a password is generated and shown once',
  '       citycred operators list [tenant-slug]   list console operators: tenant, username, role, name, created, disabled',
  '       citycred operators disable <tenant-slug> <username>   disable an operator and end its sessions',
].join('\n');

/** Where the `operators` command writes, and where it reads a password from. */
export interface OperatorsCommandIo {
  out(line: string): void;
  err(line: string): void;
  /** The whole of standard input (only read with `--password-stdin`). */
  readStdin(): Promise<string>;
}

/** How the CLI appears in a tenant's audit log. */
const CLI_ACTOR: AuditActor = { kind: 'platform', id: 'cli' };

interface AddOptions {
  slug: string;
  username: string;
  role: OperatorRole;
  name: string | undefined;
  passwordFromStdin: boolean;
}

function parseAdd(words: readonly string[]): AddOptions | null {
  const positional: string[] = [];
  let role: string | undefined;
  let name: string | undefined;
  let passwordFromStdin = false;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]!;
    if (word === '--role') role = words[++i];
    else if (word === '--name') name = words[++i];
    else if (word === '--password-stdin') passwordFromStdin = true;
    else if (word.startsWith('--')) return null;
    else positional.push(word);
  }
  if (positional.length !== 2 || role === undefined || !OPERATOR_ROLES.includes(role as OperatorRole)) return null;
  return { slug: positional[0]!, username: positional[1]!, role: role as OperatorRole, name, passwordFromStdin };
}

/**
 * `citycred operators …`: console operators on the issuer database (the one `npm start` provisions). A generated
 * password is printed once on stdout and never stored (only its scrypt hash is); a password given on stdin is its
 * first line. A running issuer refuses a disabled operator's sessions from its next request. Creations and disablings
 * are recorded in the tenant's audit log (actor `platform:cli`) in the same transaction.
 * @param args - the words after `operators`
 * @param database - the issuer database; an SQLite file must already exist (the command never creates one)
 * @returns the process exit code: 0 done, 1 refused (unknown tenant or operator, taken username, weak password), 2 usage
 * @throws whatever the driver throws when the database cannot be opened
 */
export async function runOperatorsCommand(args: readonly string[], database: DatabaseLocation, io: OperatorsCommandIo, clock: Clock = systemClock): Promise<number> {
  const [action, ...rest] = args;
  const add = action === 'add' ? parseAdd(rest) : null;
  const usable = (action === 'add' && add !== null) || (action === 'list' && rest.length <= 1) || (action === 'disable' && rest.length === 2);
  if (!usable) {
    io.err(OPERATORS_USAGE);
    return 2;
  }
  if (!database.url && database.sqlitePath && !existsSync(database.sqlitePath)) {
    io.err(`no issuer database at ${database.sqlitePath}: run "npm start" once first, or set DATABASE_URL (and DATABASE_SCHEMA) to the issuer's database`);
    return 1;
  }
  const dataSource = await openDatabase(createIssuerDataSource(database));
  try {
    const store = new OperatorStore(dataSource, clock);
    const audit = new AuditLog(dataSource, clock);
    const tenants = dataSource.getRepository(TenantEntity);
    if (add) {
      const tenant = await tenants.findOneBy({ slug: add.slug });
      if (!tenant) {
        io.err(`no tenant "${add.slug}"`);
        return 1;
      }
      const password = add.passwordFromStdin ? ((await io.readStdin()).split(/\r?\n/)[0] ?? '') : generatePassword();
      try {
        const created = await store.create(tenant.id, { username: add.username, displayName: add.name ?? add.username, role: add.role, password }, (manager, operator) =>
          audit.append(manager, { tenantId: tenant.id, actor: CLI_ACTOR, action: 'operator.created', target: operator.username, details: { role: operator.role } }),
        );
        io.err(`operator ${created.username} (${created.role}) of ${tenant.slug} created; sign in at /console`);
        if (!add.passwordFromStdin) {
          io.out(password);
          io.err('the password above is shown only this once; only its scrypt hash is stored');
        }
        return 0;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        io.err(error.message);
        return 1;
      }
    }
    if (action === 'list') {
      const slug = rest[0];
      const listed = slug === undefined ? await tenants.find({ order: { slug: 'ASC' } }) : await tenants.findBy({ slug });
      if (slug !== undefined && listed.length === 0) {
        io.err(`no tenant "${slug}"`);
        return 1;
      }
      const rows: Array<[string, OperatorSummary]> = [];
      for (const tenant of listed) for (const operator of await store.list(tenant.id)) rows.push([tenant.slug, operator]);
      printTable(rows, io);
      return 0;
    }
    const [slug, username] = rest as [string, string];
    const tenant = await tenants.findOneBy({ slug });
    const outcome = tenant
      ? await store.disable(tenant.id, username, (manager, operator) =>
          audit.append(manager, { tenantId: tenant.id, actor: CLI_ACTOR, action: 'operator.disabled', target: operator.username }),
        )
      : { outcome: 'unknown' as const };
    switch (outcome.outcome) {
      case 'disabled':
        io.out(`disabled ${outcome.operator.username} of ${slug}; its sessions are ended`);
        return 0;
      case 'already-disabled':
        io.out(`${outcome.operator.username} of ${slug} was already disabled`);
        return 0;
      case 'unknown':
        io.err(`no operator "${username}" in tenant "${slug}"`);
        return 1;
    }
  } finally {
    await dataSource.destroy();
  }
}

function printTable(rows: ReadonlyArray<[string, OperatorSummary]>, io: OperatorsCommandIo): void {
  const table = [
    ['TENANT', 'USERNAME', 'ROLE', 'NAME', 'CREATED', 'DISABLED'],
    ...rows.map(([slug, o]) => [slug, o.username, o.role, o.displayName, o.createdAt, o.disabled ? 'yes' : '-']),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  for (const row of table) io.out(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '));
}
