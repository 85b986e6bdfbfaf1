import { containsResidentRegistrationNumber } from '@citycred/credentials';

/** Check ids of PRODUCT.md section 6, in the order they run: the one list the type and the HTTP schema derive from. */
export const CHECK_IDS = ['format', 'signature', 'validity', 'schema', 'status', 'issuer-accreditation', 'anchor', 'holder-binding'] as const;

/** One of {@link CHECK_IDS}. */
export type CheckId = (typeof CHECK_IDS)[number];

/** The statuses a check may report: the one list {@link CheckStatus} and the HTTP schema derive from. */
export const CHECK_STATUSES = ['passed', 'failed', 'pending', 'skipped'] as const;

/**
 * Outcome of one check. Whether a status counts as acceptable is the policy's to say (`pending` — an anchor the
 * issuer says is queued — does under the `city` policy, not under `city-strict`).
 */
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/**
 * Where the chain holds a credential's anchor, as the `anchor` check found it: the issuer's own `anchorOf(issuer,
 * root)` on the verifier's configured chain and contract. Named as the issuer's `GET /anchors/proofs/{hash}` names
 * them (docs/anchoring.md), with the block's time as `anchoredAt`.
 */
export interface CheckAnchoring {
  /** The Merkle root the credential's hash leads to (`0x` + 64 hex). */
  root: string;
  /** The block of the anchoring transaction. */
  blockNumber: number;
  /** The time of that block, ISO 8601 in UTC. */
  anchoredAt: string;
  /** The chain id of the city chain the verifier reads. */
  chainId: number;
  /** The address of the CredentialAnchor contract the verifier reads. */
  contract: string;
}

/** One check: what it looked at and what it found. */
export interface Check {
  id: CheckId;
  status: CheckStatus;
  detail: string;
  /**
   * Only on the `anchor` check, and only when it passed: the anchor it found, as data (the detail says the same in
   * words, which nobody should parse). An extension member: VC-API clients that do not know it can ignore it.
   */
  anchor?: CheckAnchoring;
}

/**
 * A trust policy (PRODUCT.md section 6, "Trust policies decide what `verified` means"): for every check, the
 * statuses that count as acceptable. A credential is verified only when its format could be read and every check
 * it reports has a status its policy accepts.
 */
export interface VerificationPolicy {
  /** The name callers give in `options.policy` and find again in the result. */
  readonly id: string;
  /** Accepted statuses per check; a check whose status is not listed fails verification. */
  readonly accept: Readonly<Record<CheckId, readonly CheckStatus[]>>;
  /**
   * Whether a key the issuer's DID registered as a delegate (`#delegate-N`: an ERC-1056 `veriKey`/`sigAuth`
   * delegate or an added public key) may sign for it, if valid at the block the credential was anchored in. When
   * false only the DID owner's key counts (`#controller`, `#controllerKey`).
   */
  readonly acceptDelegates: boolean;
  /**
   * Whether the issuer must be the city's: a did:ethr on the city network, accredited on the IssuerRegistry for the
   * type at issuance and anchoring its credentials. When false (the `open` policy) any issuer with a did:ethr,
   * did:jwk or did:key is read, and `issuer-accreditation` and `anchor` are `skipped`.
   */
  readonly requireCityIssuer: boolean;
}

/** The policy a result was judged by, as the caller sees it: its name and the statuses it accepted per check. */
export interface AppliedPolicy {
  id: string;
  accepted: Record<CheckId, CheckStatus[]>;
  /** See {@link VerificationPolicy.acceptDelegates}. */
  acceptDelegates: boolean;
  /** See {@link VerificationPolicy.requireCityIssuer}. */
  requireCityIssuer: boolean;
}

/**
 * The credential as read (whatever the checks found), for presentations and policies: its claims, issuer, type and
 * holder. Present once the format could be read.
 */
export interface CredentialSummary {
  format: string;
  /** The type accreditation is recorded under (the SD-JWT VC `vct` without the city's base). */
  type: string;
  issuer: string;
  /** `0x…` hash of the anchored part: what criteria cite as their evidence. */
  hash: string;
  /** The subject's claims (for an SD-JWT VC: those disclosed), without `id`. */
  claims: Readonly<Record<string, unknown>>;
  /** The subject id and/or the `cnf` key the credential is bound to. */
  holder: { id?: string; jwk?: Readonly<Record<string, unknown>> };
  issuedAt: Date;
  validUntil: Date | null;
}

/** The answer of a verification, verified or not. */
export interface VerificationResult {
  verified: boolean;
  checks: Check[];
  warnings: string[];
  /** One entry per check whose status the policy does not accept (only the format's when it could not be read). */
  errors: string[];
  policy: AppliedPolicy;
  /** What was read, once the format could be (not sent by `POST /credentials/verify`: the caller has it). */
  credential?: CredentialSummary;
}

/**
 * Builds the result from the checks under `policy`: verified only when the format could be read and every check's
 * status is one the policy accepts for it.
 */
export function resultOf(checks: Check[], policy: VerificationPolicy, warnings: string[] = [], credential?: CredentialSummary): VerificationResult {
  // The last line of defence: whatever a check quoted, no answer carries a resident registration number.
  checks = checks.map(withoutPersonalData);
  const readable = checks.some((c) => c.id === 'format' && c.status === 'passed');
  const refused = checks.filter((c) => !policy.accept[c.id].includes(c.status));
  // An unreadable credential has only its format to blame: the checks it skipped are not separate errors.
  const blamed = readable ? refused : refused.filter((c) => c.id === 'format');
  return {
    verified: readable && refused.length === 0,
    checks,
    warnings,
    errors: blamed.map((c) => (c.status === 'failed' ? `${c.id}: ${c.detail}` : `${c.id}: ${c.status} is not accepted by policy ${policy.id}: ${c.detail}`)),
    policy: appliedPolicyOf(policy),
    // Nor does what was read: a summary that would carry one is left out (schema checks refuse such claims anyway).
    ...(credential && !summaryHoldsNumber(credential) ? { credential } : {}),
  };
}

/** The applied policy of each policy, built once: results share it, and nothing writes to it. */
const appliedPolicies = new WeakMap<VerificationPolicy, AppliedPolicy>();

function appliedPolicyOf(policy: VerificationPolicy): AppliedPolicy {
  let applied = appliedPolicies.get(policy);
  if (applied === undefined) {
    applied = Object.freeze({
      id: policy.id,
      accepted: Object.fromEntries(Object.entries(policy.accept).map(([id, statuses]) => [id, Object.freeze([...statuses])])) as Record<CheckId, CheckStatus[]>,
      acceptDelegates: policy.acceptDelegates,
      requireCityIssuer: policy.requireCityIssuer,
    });
    appliedPolicies.set(policy, applied);
  }
  return applied;
}

/**
 * Whether the summary's free-form parts — its type, claims and holder, as one text, so a number split over two
 * claims is seen too — hold a resident registration number. Its hash and issuer are not free-form: the hash is
 * computed here, and the issuer is a DID the format check has read.
 */
function summaryHoldsNumber(credential: CredentialSummary): boolean {
  return containsResidentRegistrationNumber(JSON.stringify([credential.type, credential.claims, credential.holder]));
}

/** What a check's detail says instead when it would have carried a resident registration number. */
export const WITHHELD_DETAIL = 'detail withheld: it would have repeated what looks like a resident registration number';

function withoutPersonalData(check: Check): Check {
  return containsResidentRegistrationNumber(check.detail) ? { ...check, detail: WITHHELD_DETAIL } : check;
}
