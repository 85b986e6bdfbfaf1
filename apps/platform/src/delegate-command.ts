import { systemClock, type Clock } from '@citycred/config';
import type { DelegateType } from '@citycred/did';
import { getAddress, isAddress } from 'ethers';
import { onTenant, type RotateKeyContext, type RotateKeyOutput } from './rotate-key-command.js';

/** How `tenants add-delegate` and `revoke-delegate` are called (lines of the `tenants` usage). */
export const DELEGATE_USAGE = [
  '       citycred tenants add-delegate <slug> --delegate <0xaddress> [--type veriKey|sigAuth] [--valid-days N]',
  '                                      register an ERC-1056 delegate of the tenant\'s identity (a key kept elsewhere, e.g.',
  '                                      an HSM) for N days (default 365, at most 3650); its signatures count only under',
  '                                      the verifier policy city-delegates',
  '       citycred tenants revoke-delegate <slug> --delegate <0xaddress> [--type veriKey|sigAuth]',
  '                                      end that delegate\'s validity now',
].join('\n');

const DEFAULT_VALID_DAYS = 365;
const MAX_VALID_DAYS = 3650;

/** The parsed words of a delegate command. */
interface DelegateArgs {
  slug: string;
  delegate: string;
  type: DelegateType;
  validDays: number;
}

function parse(args: readonly string[], adding: boolean): DelegateArgs | string {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i += 1) {
    const word = args[i]!;
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const name = word.slice(2);
    const value = args[i + 1];
    if (!['delegate', 'type', ...(adding ? ['valid-days'] : [])].includes(name)) return `unknown option ${word}`;
    if (value === undefined || value.startsWith('--')) return `${word} needs a value`;
    if (flags.has(name)) return `${word} is given twice`;
    flags.set(name, value);
    i += 1;
  }
  if (positional.length !== 1) return 'give one tenant slug';
  const delegate = flags.get('delegate');
  if (delegate === undefined || !isAddress(delegate)) return '--delegate is required: the delegate key\'s Ethereum address (0x and 40 hex digits)';
  const type = flags.get('type') ?? 'veriKey';
  if (type !== 'veriKey' && type !== 'sigAuth') return '--type is veriKey (signs for the identity) or sigAuth (also authenticates as it)';
  const days = flags.get('valid-days');
  const validDays = days === undefined ? DEFAULT_VALID_DAYS : Number(days);
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > MAX_VALID_DAYS) return `--valid-days is a whole number of days from 1 to ${MAX_VALID_DAYS}`;
  return { slug: positional[0]!, delegate: getAddress(delegate), type, validDays };
}

/**
 * `citycred tenants add-delegate` / `revoke-delegate`: the tenant's identity owner (its current key, held sealed
 * in the issuer database) registers or revokes an ERC-1056 delegate on the city's DID registry, through
 * `TenantAdministration` (`@citycred/tenancy`, as the issuer's admin API does), which records it in the tenant's audit log. The delegate appears
 * in the tenant's DID document as `#delegate-N` for its validity; verifiers accept credentials it signs only under a
 * policy that allows delegates (`city-delegates`).
 * @param action - `add-delegate` or `revoke-delegate`
 * @param args - the words after the action
 * @returns the exit code: 0 done, 1 refused (unknown tenant, its own address as delegate, its key not owning its
 *   identity, missing secret, database or deployment, the chain not answering), 2 usage
 * @throws whatever the driver throws when the database cannot be reached; the chain's error when the transaction
 *   fails for another reason
 */
export async function runDelegateCommand(
  action: 'add-delegate' | 'revoke-delegate',
  args: readonly string[],
  context: RotateKeyContext,
  output: RotateKeyOutput,
  clock: Clock = systemClock,
): Promise<number> {
  const parsed = parse(args, action === 'add-delegate');
  if (typeof parsed === 'string') {
    output.err(`"${action}": ${parsed}\n${DELEGATE_USAGE}`);
    return 2;
  }
  return onTenant(
    context,
    output,
    clock,
    parsed.slug,
    async (workspace, tenant) => {
      const by = { actor: { kind: 'platform' as const, id: 'cli' } };
      const change =
        action === 'add-delegate'
          ? await workspace.administration.addDelegate(tenant.slug, { delegate: parsed.delegate, type: parsed.type, validDays: parsed.validDays }, by)
          : await workspace.administration.revokeDelegate(tenant.slug, { delegate: parsed.delegate, type: parsed.type }, by);
      const done = action === 'add-delegate' ? `added ${change.type} delegate ${change.delegate} for ${parsed.validDays} days` : `revoked ${change.type} delegate ${change.delegate}`;
      output.out(`${tenant.slug}: ${done} (${tenant.did}); tx ${change.txHash}, block ${change.blockNumber ?? '?'}`);
      output.err(
        action === 'add-delegate'
          ? 'Verifiers accept credentials the delegate signs only under the policy city-delegates; the city policies accept only the identity\'s owner key.'
          : 'Credentials the delegate signed that were anchored while it was valid keep verifying under city-delegates (verifiers judge them by the keys of their anchoring block).',
      );
      return 0;
    },
    { delegate: parsed.delegate, type: parsed.type, validDays: parsed.validDays },
  );
}
