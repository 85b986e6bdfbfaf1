import type { AnchorerWithdrawals } from '@citycred/tenancy';

/** Where the lines go: what was done on `out`, what could not be done on `err`. */
export interface WithdrawalOutput {
  out(line: string): void;
  err(line: string): void;
}

/** What each reason of a failed withdrawal means, in the operator's words. */
const REASONS: Readonly<Record<AnchorerWithdrawals['failed'][number]['reason'], string>> = {
  unavailable: 'the chain did not answer',
  'insufficient-funds': 'the account sending it cannot pay the gas: fund it',
  refused: 'the chain refused it',
  unknown: 'an unexpected error',
};

/**
 * Prints what a change of tenant `slug` did to the anchorer registrations whose right it ended: one line per
 * registration ended (`out`), and per one that could not be, with how to retry (`err`).
 */
export function printWithdrawals(slug: string, anchorers: AnchorerWithdrawals, output: WithdrawalOutput): void {
  for (const { anchorer, type, txHash } of anchorers.withdrawn) output.out(`ended the anchorer registration of ${anchorer} for ${type} (withdrawAnchorer in tx ${txHash})`);
  for (const { anchorer, type, reason } of anchorers.failed) {
    output.err(
      `could not end the anchorer registration of ${anchorer} for ${type} (${REASONS[reason]}): that key can still send anchors for ${slug}, which verifiers refuse; "tenants withdraw-anchorers ${slug}" retries`,
    );
  }
}
