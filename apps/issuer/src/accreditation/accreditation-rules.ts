import type { AccreditationWindow, TypeAccreditation } from '@citycred/chain';

/**
 * Whether an accreditation window lets its issuer act at `nowSeconds`.
 *
 * The window must have started (`validFrom`, inclusive), not ended (`validUntil`, exclusive), and its accreditor must
 * still stand behind it (the root made it, or the department that made it still holds the delegation it was made
 * under). A revocation the issuer has seen counts at once, whatever its `revokedAt`: it was mined in a block that
 * exists, so it is in the past even when the chain's block time runs ahead of our clock. (The registry keeps
 * `revokedAt` for the historical question "was it accredited at t", which the verifier asks; the issuer only asks "now".)
 * @param window - one window from the IssuerRegistry
 * @param nowSeconds - the present, unix seconds
 */
export function windowCoversNow(window: AccreditationWindow, nowSeconds: number): boolean {
  return window.accreditorStands && window.revokedAt === null && window.validFrom <= nowSeconds && nowSeconds < window.validUntil;
}

/**
 * Whether the registry's answer for one type is "accredited" at `nowSeconds`, as `IssuerRegistry.isAccredited` decides
 * it: the issuer is not suspended, and the last window that started by then covers it (windows never overlap and
 * their starts never go back, so no earlier one can).
 * @param accreditation - what the registry says of the issuer and the type; none means never accredited
 * @param nowSeconds - the present, unix seconds
 */
export function accreditedNow(accreditation: TypeAccreditation | undefined, nowSeconds: number): boolean {
  if (!accreditation || accreditation.suspended) return false;
  const started = accreditation.windows.filter((w) => w.validFrom <= nowSeconds);
  const last = started[started.length - 1];
  return last !== undefined && windowCoversNow(last, nowSeconds);
}

/**
 * The first of `credentialTypes` the issuer is accredited for now: the type named when anchoring (CredentialAnchor
 * takes a root only from a key registered as the issuer's anchorer for the type it names, which needs the issuer
 * accredited for it).
 * @param byType - what the registry says of the issuer, by type name
 * @returns null when it is accredited for none of them
 */
export function anchoringTypeNow(byType: ReadonlyMap<string, TypeAccreditation>, credentialTypes: readonly string[], nowSeconds: number): string | null {
  return credentialTypes.find((type) => accreditedNow(byType.get(type), nowSeconds)) ?? null;
}

/** Two readings of an issuer's accreditation are the same (same types, windows, suspensions, in the same order). */
export function sameAccreditation(a: ReadonlyMap<string, TypeAccreditation>, b: ReadonlyMap<string, TypeAccreditation>): boolean {
  return JSON.stringify([...a.entries()]) === JSON.stringify([...b.entries()]);
}

/** Unix seconds of an instant (the unit of the registry's windows). */
export function unixSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}
