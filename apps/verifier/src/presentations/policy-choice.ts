import { AppError, ErrorCode } from '@citycred/errors';
import type { CredentialPolicy, PolicyRegistry } from '../policies/index.js';
import type { VerificationPolicy } from '../verification/result.js';
import { CITY_POLICY, VERIFICATION_POLICIES } from '../verification/verification-policy.js';

/** What `options.policy` of a presentation chose: the trust policy, and a credential policy to decide with. */
export interface PresentationPolicies {
  trust: VerificationPolicy;
  credentialPolicy?: CredentialPolicy;
}

/**
 * Reads `options.policy` of `POST /presentations/verify`: a trust policy (`city`, `city-strict`, `city-delegates`,
 * `open`), or a credential policy of the registry (`age-over-19`, or `age-over-19@1` for one version), which is
 * judged under the `city` trust policy — a policy takes a credential's type at its word, so its issuer must be the
 * city's. Nothing named: `city`, no decision.
 * @throws AppError `verification.unknown-policy` for a name that is neither
 */
export function choosePresentationPolicies(name: string | undefined, registry: PolicyRegistry): PresentationPolicies {
  if (name === undefined) return { trust: CITY_POLICY };
  const trust = VERIFICATION_POLICIES.get(name);
  if (trust) return { trust };
  const credentialPolicy = findCredentialPolicy(name, registry);
  if (credentialPolicy) return { trust: CITY_POLICY, credentialPolicy };
  const names = [...VERIFICATION_POLICIES.keys(), ...new Set(registry.list().map((p) => p.id))];
  throw new AppError(ErrorCode.VerificationUnknownPolicy, `options.policy must be one of: ${names.join(', ')} (a credential policy may name its version, e.g. age-over-19@1).`);
}

/**
 * The credential policy a caller names: `age-over-19` (its newest version) or `age-over-19@1` (that version).
 * @returns the policy, or undefined when the registry has none by that name
 */
export function findCredentialPolicy(name: string, registry: PolicyRegistry): CredentialPolicy | undefined {
  const at = name.indexOf('@');
  return at < 0 ? registry.get(name) : registry.get(name.slice(0, at), name.slice(at + 1));
}

/**
 * The credential policy `name` names (see {@link findCredentialPolicy}), for an endpoint whose `policy` must be one.
 * @param example - the versioned name the error shows as an example
 * @throws AppError `verification.unknown-policy` listing the credential policies, when `name` is none
 */
export function requireCredentialPolicy(name: string, registry: PolicyRegistry, example: string): CredentialPolicy {
  const policy = findCredentialPolicy(name, registry);
  if (policy) return policy;
  const names = [...new Set(registry.list().map((p) => p.id))];
  throw new AppError(ErrorCode.VerificationUnknownPolicy, `policy must be a credential policy: one of ${names.join(', ')} (it may name its version, e.g. ${example}).`);
}
