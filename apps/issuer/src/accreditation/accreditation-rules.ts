import type { AccreditationWindow } from '@citycred/chain';

/**
 * Whether an accreditation window lets its issuer act at `nowSeconds`.
 *
 * The window must have started (`validFrom`, inclusive) and not ended (`validUntil`, exclusive). A revocation the
 * issuer has seen counts at once, whatever its `revokedAt`: it was mined in a block that exists, so it is in the
 * past even when the chain's block time runs ahead of our clock. (The registry keeps `revokedAt` for the
 * historical question "was it accredited at t", which the verifier asks; the issuer only asks "now".)
 * @param window - one window from the IssuerRegistry
 * @param nowSeconds - the present, unix seconds
 */
export function windowCoversNow(window: AccreditationWindow, nowSeconds: number): boolean {
  return window.revokedAt === null && window.validFrom <= nowSeconds && nowSeconds < window.validUntil;
}

/**
 * Whether one of `windows` covers `nowSeconds` (see {@link windowCoversNow}).
 * @param windows - the windows of one issuer for one credential type; none means never accredited
 */
export function accreditedNow(windows: readonly AccreditationWindow[] | undefined, nowSeconds: number): boolean {
  return (windows ?? []).some((w) => windowCoversNow(w, nowSeconds));
}

/**
 * Whether an issuer is accredited for at least one credential type now: what `CredentialAnchor.anchor` requires.
 * @param byType - every window of the issuer, by credential type hash
 */
export function accreditedForAnyTypeNow(byType: ReadonlyMap<string, readonly AccreditationWindow[]>, nowSeconds: number): boolean {
  for (const windows of byType.values()) if (accreditedNow(windows, nowSeconds)) return true;
  return false;
}

/** Two readings of an issuer's windows are the same (same types, same windows, same order). */
export function sameWindows(a: ReadonlyMap<string, readonly AccreditationWindow[]>, b: ReadonlyMap<string, readonly AccreditationWindow[]>): boolean {
  return JSON.stringify([...a.entries()]) === JSON.stringify([...b.entries()]);
}

/** Unix seconds of an instant (the unit of the registry's windows). */
export function unixSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}
