import { ageOverPolicy } from './age-over.js';
import type { CredentialPolicy } from './model.js';
import type { ProgramConfig } from './program-config.js';
import { programPolicy } from './programs.js';
import { seoulResidentPolicy } from './seoul-resident.js';
import { compareVersions, isPolicyVersion } from './version.js';
import { DEFAULT_WORK_HISTORY, workHistoryPolicy, type WorkHistoryConfig } from './work-history.js';

/** Stable codes of {@link PolicyRegistryError}. */
export const PolicyRegistryErrorCode = {
  /** A policy with the same id and version is already registered. */
  Duplicate: 'policy.duplicate',
  /** The version is not dotted numbers, so it cannot be ordered. */
  MalformedVersion: 'policy.malformed-version',
} as const;

/** One of {@link PolicyRegistryErrorCode}. */
export type PolicyRegistryErrorCode = (typeof PolicyRegistryErrorCode)[keyof typeof PolicyRegistryErrorCode];

/**
 * Thrown by {@link PolicyRegistry.register} for a wiring fault found at start-up. It is not an `AppError`: no client
 * request registers policies, so it never becomes an HTTP answer. Branch on `code`.
 */
export class PolicyRegistryError extends Error {
  /** Stable machine-readable code. */
  readonly code: PolicyRegistryErrorCode;

  /**
   * @param code - what is wrong
   * @param message - which policy
   */
  constructor(code: PolicyRegistryErrorCode, message: string) {
    super(message);
    this.name = 'PolicyRegistryError';
    this.code = code;
  }
}

/**
 * The policies a verifier knows, by id and version. Versions are ordered numerically (`1` < `1.2` < `1.10` < `2`;
 * `1` and `1.0` are the same version), so a decision made under one version can be replayed after a newer one ships.
 */
export class PolicyRegistry {
  /** Per id, the versions oldest first. */
  private readonly byId = new Map<string, CredentialPolicy[]>();

  /**
   * @param policies - policies to register, as with {@link PolicyRegistry.register}
   * @throws PolicyRegistryError as {@link PolicyRegistry.register} does
   */
  constructor(policies: Iterable<CredentialPolicy> = []) {
    for (const policy of policies) this.register(policy);
  }

  /**
   * Adds a policy.
   * @throws PolicyRegistryError `policy.duplicate` when the same id and version is registered already,
   *   `policy.malformed-version` when the version is not dotted numbers
   */
  register(policy: CredentialPolicy): void {
    if (!isPolicyVersion(policy.version)) {
      throw new PolicyRegistryError(PolicyRegistryErrorCode.MalformedVersion, `policy ${policy.id}: version ${JSON.stringify(policy.version)} is not dotted numbers`);
    }
    const versions = this.byId.get(policy.id) ?? [];
    if (versions.some((known) => compareVersions(known.version, policy.version) === 0)) {
      throw new PolicyRegistryError(PolicyRegistryErrorCode.Duplicate, `policy ${policy.id} version ${policy.version} is already registered`);
    }
    this.byId.set(policy.id, [...versions, policy].sort((a, b) => compareVersions(a.version, b.version)));
  }

  /**
   * Looks a policy up.
   * @param id - the policy id
   * @param version - a version; the newest when omitted
   * @returns the policy, or undefined when there is none with this id (and version)
   */
  get(id: string, version?: string): CredentialPolicy | undefined {
    const versions = this.byId.get(id);
    if (versions === undefined) return undefined;
    if (version === undefined) return versions.at(-1);
    if (!isPolicyVersion(version)) return undefined;
    return versions.find((policy) => compareVersions(policy.version, version) === 0);
  }

  /** Every registered policy, every version: by id, then oldest version first. */
  list(): CredentialPolicy[] {
    return [...this.byId.keys()].sort().flatMap((id) => this.byId.get(id) ?? []);
  }
}

/** Settings of {@link defaultPolicyRegistry}. */
export interface DefaultPoliciesConfig {
  /**
   * The `work-history` thresholds (the verifier's `WORK_HISTORY_MINIMUM_DAYS`, `WORK_HISTORY_MINIMUM_HOURS`);
   * {@link DEFAULT_WORK_HISTORY} when omitted. The policy's version names them (`workHistoryVersion` in work-history.ts).
   */
  readonly workHistory?: WorkHistoryConfig;
  /** Benefit programs (config/programs.json), each registered as its policy ({@link programPolicy}). */
  readonly programs?: readonly ProgramConfig[];
}

/**
 * A registry holding the policies CityCred ships: `age-over-18`, `age-over-19`, `seoul-resident` and `work-history`,
 * each at version 1 (`work-history` with a threshold other than the default at its own version, e.g. `1.1.7` for 7
 * days: `workHistoryVersion` in work-history.ts), and one policy per configured benefit program (`youth-allowance-2026`, …).
 * @param config - the configurable thresholds and programs
 * @throws RangeError for a bad threshold
 */
export function defaultPolicyRegistry(config: DefaultPoliciesConfig = {}): PolicyRegistry {
  return new PolicyRegistry([
    ageOverPolicy(18),
    ageOverPolicy(19),
    seoulResidentPolicy(),
    workHistoryPolicy(config.workHistory ?? DEFAULT_WORK_HISTORY),
    ...(config.programs ?? []).map(programPolicy),
  ]);
}
