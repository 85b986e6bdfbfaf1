import { createHmac } from 'node:crypto';

/**
 * The sign-in's identifiers, all keyed with server-side secrets so that none can be computed or linked without them:
 *
 * - the **account** of a citizen is `HMAC-SHA-256(accountKey, "account|" + personId)`: stable across sign-ins and
 *   sites, the only thing the provider stores about who signed in (the personId itself is never stored or logged);
 * - the **subject** a site sees (`sub`) is pairwise: `HMAC-SHA-256(pairwiseSalt, "sub|" + sector + "|" + account)`,
 *   the sector being the host of the site's redirect URIs. Two sites get unrelated subjects for the same citizen;
 *   one site always gets the same.
 */
export class SignInSubjects {
  /**
   * @param accountKey - 32 bytes: derives accounts from personIds
   * @param pairwiseSalt - 32 bytes: derives each site's subjects from accounts
   * @throws RangeError when a secret is shorter than 32 bytes
   */
  constructor(
    private readonly accountKey: Uint8Array,
    private readonly pairwiseSalt: Uint8Array,
  ) {
    if (accountKey.length < 32 || pairwiseSalt.length < 32) throw new RangeError('the sign-in secrets must be at least 32 bytes');
  }

  /** The account of the citizen a card's `personId` names (43 base64url characters). */
  accountOf(personId: string): string {
    return createHmac('sha256', this.accountKey).update(`account|${personId}`).digest('base64url');
  }

  /** The subject `account` has at the site of `sector` (a host, e.g. `pool.example.go.kr`; 43 base64url characters). */
  pairwiseSubject(sector: string, account: string): string {
    return createHmac('sha256', this.pairwiseSalt).update(`sub|${sector.toLowerCase()}|${account}`).digest('base64url');
  }
}
