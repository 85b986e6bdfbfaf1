import { existsSync } from 'node:fs';
import { systemClock, type Clock } from '@citycred/config';
import type { CityDeployment } from '@citycred/anchors';
import { TenantEntity, type DatabaseLocation } from '@citycred/persistence';
import { formatEther, JsonRpcProvider } from 'ethers';
import { printWithdrawals } from './anchorer-withdrawals.js';
import { recordedDeployment } from './chain-setup.js';
import { isRefusal, refusalLines } from './refusals.js';
import { openTenantWorkspace, type TenantWorkspace } from './tenant-workspace.js';

/** How `tenants rotate-key` is called (a line of the `tenants` usage). */
export const ROTATE_KEY_USAGE = [
  '       citycred tenants rotate-key <slug> [--force]   give the tenant a new signing key: ERC-1056 changeOwner of its',
  '                                      identity to a new key, which then signs its credentials and anchors; refused',
  '                                      while credentials it signed are not anchored yet, unless --force (after a leak)',
].join('\n');

/** What `tenants rotate-key` works on (the `tenants` command's context has these and more). */
export interface RotateKeyContext {
  /** The issuer database; an SQLite file must already exist. */
  database: DatabaseLocation;
  rpcUrl: string;
  deploymentsDir: string;
  didNetwork: string;
  /** The issuer's `KEY_ENCRYPTION_SECRET`: the tenant's keys are sealed with it. */
  keyEncryptionSecret?: string | undefined;
}

/** Where the command writes: the result on `out`, guidance and refusals on `err`. */
export interface RotateKeyOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * `citycred tenants rotate-key <slug> [--force]`: rotates a tenant's key with `TenantAdministration.rotateKey`
 * (`@citycred/tenancy`, as the issuer's admin API does), which ends the old key's anchorer registrations and records
 * `key.rotated` in the tenant's audit log (a withdrawal that fails is printed, with the command that retries it). The
 * tenant's DID, identity address, accreditation and anchors stay; the new key owns the identity on the ERC-1056
 * registry, signs the tenant's credentials and sends its anchoring transactions. Run it after the anchoring worker
 * has anchored what the tenant issued (the command refuses otherwise, unless `--force`). A running issuer signs with
 * the new key from its next credential: it reads the key from the database each time.
 * @param args - the words after `rotate-key`
 * @returns the process exit code: 0 rotated (also when a withdrawal failed: it is printed), 1 refused (unknown tenant, credentials not anchored, identity owned
 *   by a key not held here, missing secret or deployment, the chain not answering), 2 usage
 * @throws whatever the driver throws when the database cannot be reached; the chain's error when a transaction fails
 *   for another reason
 */
export async function runRotateKeyCommand(args: readonly string[], context: RotateKeyContext, output: RotateKeyOutput, clock: Clock = systemClock): Promise<number> {
  const force = args.includes('--force');
  const words = args.filter((word) => word !== '--force');
  if (words.length !== 1 || words[0]!.startsWith('--') || args.filter((word) => word === '--force').length > 1) {
    output.err(`"rotate-key" takes one tenant slug and optionally --force\n${ROTATE_KEY_USAGE}`);
    return 2;
  }
  const slug = words[0]!;
  return onTenant(context, output, clock, slug, async (workspace, tenant) => {
    const rotation = await workspace.administration.rotateKey(tenant.slug, { force }, { actor: { kind: 'platform', id: 'cli' } });
    const how = rotation.transaction ? `changeOwner in tx ${rotation.transaction.hash}, block ${rotation.transaction.blockNumber}` : 'changeOwner was already on chain (an interrupted rotation, completed now)';
    output.out(`rotated ${tenant.slug}: identity ${rotation.identity} (${tenant.did}) is owned by ${rotation.newOwner}, was ${rotation.previousOwner}; ${how}`);
    printWithdrawals(tenant.slug, rotation.anchorers, output);
    output.err(`moved ${formatEther(rotation.movedWei)} of the old key's balance to the new key, which pays for the anchoring transactions; the old key was deleted`);
    output.err('Credentials anchored before the rotation keep verifying (verifiers judge them by the keys of their anchoring block); the old key signs nothing valid from now on.');
    output.err('A running issuer signs with the new key from its next credential. If the old key leaked, also revoke what it may have added as ERC-1056 delegates.');
    return 0;
  });
}

/**
 * Runs a command on one tenant of the issuer database, with the city chain's deployment: checks that the database
 * exists and `KEY_ENCRYPTION_SECRET` is given, opens the tenant workspace, finds the tenant, and closes everything
 * after `action`. A refusal of the tenant administration that `action` meets is printed (by the flags of `given`, the
 * request as the command line gave it) and answered 1.
 * @returns `action`'s exit code, or 1 when a check or the administration refuses (named on `err`)
 */
export async function onTenant(
  context: RotateKeyContext,
  output: RotateKeyOutput,
  clock: Clock,
  slug: string,
  action: (workspace: TenantWorkspace, tenant: TenantEntity, deployment: CityDeployment) => Promise<number>,
  given: Readonly<Record<string, unknown>> = {},
): Promise<number> {
  if (!context.database.url && context.database.sqlitePath && !existsSync(context.database.sqlitePath)) {
    output.err(`no issuer database at ${context.database.sqlitePath}: run "npm start" once first, or set DATABASE_URL (and DATABASE_SCHEMA) to the issuer's database`);
    return 1;
  }
  if (!context.keyEncryptionSecret) {
    output.err("tenant keys are kept sealed in the issuer database: set KEY_ENCRYPTION_SECRET (the issuer's)");
    return 1;
  }
  const provider = new JsonRpcProvider(context.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    let deployment;
    try {
      deployment = await recordedDeployment(provider, context.deploymentsDir);
    } catch (error) {
      output.err(error instanceof Error ? error.message : String(error));
      return 1;
    }
    const workspace = await openTenantWorkspace({ database: context.database, keyEncryptionSecret: context.keyEncryptionSecret, rpcUrl: context.rpcUrl, didNetwork: context.didNetwork, deployment, clock });
    try {
      const tenant = await workspace.dataSource.getRepository(TenantEntity).findOneBy({ slug });
      if (!tenant) {
        output.err(`there is no tenant "${slug}" ("tenants list" shows them)`);
        return 1;
      }
      return await action(workspace, tenant, deployment);
    } catch (error) {
      // The administration's refusals (credentials not anchored, a key not held, a bad request, the chain down).
      if (!isRefusal(error)) throw error;
      for (const line of refusalLines(error, given)) output.err(line);
      return 1;
    } finally {
      await workspace.close();
    }
  } finally {
    provider.destroy();
  }
}
