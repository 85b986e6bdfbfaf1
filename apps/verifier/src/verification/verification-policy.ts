import { AppError, ErrorCode } from '@citycred/errors';
import type { VerificationPolicy } from './result.js';

function frozen(policy: VerificationPolicy): VerificationPolicy {
  for (const statuses of Object.values(policy.accept)) Object.freeze(statuses);
  Object.freeze(policy.accept);
  return Object.freeze(policy);
}

/**
 * The default policy: everything checked must pass; `status` may be skipped (the credential carries no status entry
 * this verifier reads — a revoked or suspended credential, or one whose list is not its issuer's, is `failed`) and
 * `anchor` may be `pending` — which the anchor check reports only on the issuer's own answer that the credential is queued,
 * within `ANCHOR_GRACE_SECONDS`, while the issuer is accredited for the type now. Only the issuer DID's owner key
 * signs for it (as of the block the credential was anchored in): a delegate's signature is `failed`.
 */
export const CITY_POLICY: VerificationPolicy = frozen({
  id: 'city',
  accept: {
    format: ['passed'],
    signature: ['passed'],
    validity: ['passed'],
    // `skipped` only for a type outside the catalogue (an app operator's own type): there is no schema to check.
    schema: ['passed', 'skipped'],
    status: ['passed', 'skipped'],
    'issuer-accreditation': ['passed'],
    anchor: ['passed', 'pending'],
    'holder-binding': ['passed', 'skipped'],
  },
  acceptDelegates: false,
  requireCityIssuer: true,
});

/** Like {@link CITY_POLICY}, but a credential must already be anchored: `pending` does not count. */
export const CITY_STRICT_POLICY: VerificationPolicy = frozen({
  id: 'city-strict',
  accept: { ...CITY_POLICY.accept, anchor: ['passed'] },
  acceptDelegates: false,
  requireCityIssuer: true,
});

/**
 * Like {@link CITY_POLICY}, but a key the issuer's DID registered as a delegate (ERC-1056 `addDelegate`, or an
 * added public key: `#delegate-N`) also signs for it — only if the delegate was valid at the block the credential
 * was anchored in (at the latest block while it is pending). For a verifier that accepts a department's
 * delegated signing staff; the default trusts the department's own key only.
 */
export const CITY_DELEGATES_POLICY: VerificationPolicy = frozen({
  id: 'city-delegates',
  accept: { ...CITY_POLICY.accept },
  acceptDelegates: true,
  requireCityIssuer: true,
});

/**
 * For credentials from issuers outside the city's registry (another city's wallet app, a company's own credentials):
 * the proof, validity, schema (for a catalogue type) and status are checked; the issuer may be any did:ethr on the
 * city network, did:jwk or did:key, and accreditation and anchoring are not asked about (`skipped`). `verified`
 * then means "this issuer signed it, it is current and not revoked" — not "the city stands behind it".
 */
export const OPEN_POLICY: VerificationPolicy = frozen({
  id: 'open',
  accept: { ...CITY_POLICY.accept, 'issuer-accreditation': ['skipped'], anchor: ['skipped'] },
  acceptDelegates: true,
  requireCityIssuer: false,
});

/** The named policies a caller may choose in `options.policy`. */
export const VERIFICATION_POLICIES: ReadonlyMap<string, VerificationPolicy> = new Map(
  [CITY_POLICY, CITY_STRICT_POLICY, CITY_DELEGATES_POLICY, OPEN_POLICY].map((p) => [p.id, p]),
);

/**
 * The policy a caller named, or {@link CITY_POLICY} when none was named.
 * @throws AppError `verification.unknown-policy` (400) for a name that is not in {@link VERIFICATION_POLICIES}
 */
export function policyNamed(id: string | undefined): VerificationPolicy {
  if (id === undefined) return CITY_POLICY;
  const policy = VERIFICATION_POLICIES.get(id);
  if (!policy) throw new AppError(ErrorCode.VerificationUnknownPolicy, `options.policy must be one of: ${[...VERIFICATION_POLICIES.keys()].join(', ')}.`);
  return policy;
}
