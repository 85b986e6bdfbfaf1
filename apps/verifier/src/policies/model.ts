/**
 * The vocabulary of policies as code: what a policy sees of the presented credentials, what it asks the wallet to
 * disclose and what it answers. Pure data and functions — no transport, no storage, no clock: the instant a policy is
 * evaluated at is passed in.
 */

/**
 * What a policy sees of one presented credential. The credential has already been verified (signature, validity,
 * status, issuer accreditation for its type) by the caller at the evaluation instant; a policy trusts `type` and the
 * claims and does not check them again. Pass only credentials verified under a policy that checks the issuer is
 * accredited for the type (e.g. `city`): a policy takes a `SeoulCitizenCard` at its word.
 */
export interface PresentedCredential {
  /** The credential hash (`0x` and 64 hex digits) that a criterion cites as evidence. */
  readonly hash: string;
  /** The catalogue type, e.g. `SeoulCitizenCard`. */
  readonly type: string;
  /** The issuer DID. */
  readonly issuer: string;
  /** The subject claims that were disclosed (all of them for a credential that is not selectively disclosable). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** When the credential was issued (`validFrom` / `iat`). */
  readonly issuedAt: Date;
  /** When it stops being valid, or null for no end. */
  readonly validUntil: Date | null;
  /** The key or DID the credential is bound to, when the caller read one (a criterion may compare credentials by it). */
  readonly holder?: { readonly id?: string; readonly jwk?: Readonly<Record<string, unknown>> };
}

/**
 * What a policy may consult besides the presented credentials, gathered by the caller before it evaluates (a policy is
 * synchronous and does no I/O). A criterion that needs a fact the caller did not gather fails with a reason.
 */
export interface EvaluationContext {
  /**
   * Whether the person a citizen card's `personId` names already took part in the policy's program: true, false, or
   * undefined when the caller did not look this personId up. Backed by a keyed pseudonym register, never by a list of
   * personIds.
   */
  readonly priorParticipation?: (personId: string) => boolean | undefined;
}

/** A benefit program a policy decides eligibility for: what its configuration says, as decisions cite it. */
export interface ProgramReference {
  /** The program's id, the same as its policy's id, e.g. `youth-allowance-2026`. */
  readonly id: string;
  /** The version of the program's configuration the rules were parameterised by, e.g. `2026.1`. */
  readonly configVersion: string;
  readonly programYear: number;
  readonly monthlyAmountKrw: number;
  readonly months: number;
}

/** A short text shown to people, in Korean and English. */
export interface LocalisedText {
  readonly ko: string;
  readonly en: string;
}

/** The outcome of one criterion of a policy. */
export interface CriterionResult {
  /** Stable identifier of the criterion, e.g. `age-over-19`, `work-history.minimum-duration`. */
  readonly id: string;
  readonly result: 'passed' | 'failed';
  /** Why, in a plain sentence; never repeats personal data (no names, no dates of birth, no addresses). */
  readonly reason: LocalisedText;
  /** The hash of the credential the criterion relied on; null when none of the type it needs was presented. */
  readonly evidenceHash: string | null;
}

/**
 * What a policy needs disclosed from one credential type, shaped so an OpenID4VP DCQL credential query can be generated
 * from it: `claims` become the query's `claims` (one path each) and `claimSets` its `claim_sets`.
 */
export interface ClaimRequirement {
  /** The catalogue type, e.g. `SeoulCitizenCard`. */
  readonly type: string;
  /**
   * Every top-level subject claim the policy may read from this type (SD-JWT VC discloses top-level claims only, so a
   * nested object such as `residence` is asked for whole). Without `claimSets`, all of them are needed.
   */
  readonly claims: readonly string[];
  /**
   * Alternatives, most preferred first: the wallet discloses one of these sets (each a subset of `claims`), e.g.
   * `[['ageOver19'], ['birthDate']]` — the flag, which says less, before the birth date.
   */
  readonly claimSets?: readonly (readonly string[])[];
  /** True when the policy reads several credentials of this type (DCQL `multiple`), e.g. work history adding up. */
  readonly multiple?: boolean;
}

/**
 * What of one credential type a policy shows the verifier's user beside its decision (`CredentialPolicy.shows`), e.g.
 * the employer, role, period and hours of a work experience. Data minimisation: a policy asks the wallet for exactly
 * the claims its criteria read and the claims it shows (`composePolicy` adds the latter to `requires`), and the
 * verifier passes on of a credential only these paths, nothing else it disclosed.
 */
export interface ShownClaims {
  /** The catalogue type, e.g. `WorkExperience`. */
  readonly type: string;
  /**
   * Claim paths: a top-level subject claim (`role`, or `period` whole), or one member of an object claim, dotted
   * (`employer.name`: the name without the business registration number beside it).
   */
  readonly claims: readonly string[];
}

/** What a policy shows of one presented credential that verified: its type, issuer and the shown claims it disclosed. */
export interface ShownCredential {
  readonly type: string;
  /** The issuer DID (accredited for the type: only credentials that verified are shown). */
  readonly issuer: string;
  /** The shown paths the credential disclosed, nested as in the credential (`{employer: {name}}`). */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** A policy's answer for a set of presented credentials. */
export interface PolicyDecision {
  /** Which policy decided, so a decision can be replayed against the same rules. */
  readonly policy: { readonly id: string; readonly version: string };
  /** The program and configuration version, for a program's policy. */
  readonly program?: ProgramReference;
  /** True exactly when every criterion passed. */
  readonly satisfied: boolean;
  /** One result per criterion of the policy, in the policy's order. */
  readonly criteria: CriterionResult[];
}

/** A named, versioned rule set a verifier applies to presented credentials. */
export interface CredentialPolicy {
  /** Stable name, e.g. `age-over-19`. */
  readonly id: string;
  /** Dotted numeric version (`1`, `1.2`, `2026.1`); a change in the rules is a new version. */
  readonly version: string;
  readonly title: LocalisedText;
  /** Why the verifier asks, shown to the holder before they disclose. */
  readonly purpose: LocalisedText;
  /** What to ask the wallet for, per credential type. */
  readonly requires: readonly ClaimRequirement[];
  /** The benefit program the policy decides eligibility for, when it is a program's (its configuration names it). */
  readonly program?: ProgramReference;
  /**
   * What the verifier's user is shown of the credentials beside the decision (the employer scanner's work history);
   * none when absent: the answer then says nothing of what the credentials say. Every shown claim is in `requires`.
   */
  readonly shows?: readonly ShownClaims[];
  /**
   * Applies the rules. Never throws for what was presented — missing, undisclosed or unexpected claims are failed
   * criteria with a reason.
   * @param credentials - the verified credentials of one presentation (any types, any order)
   * @param at - the instant the rules are applied at (the application date), from the caller's clock
   * @param context - facts the caller gathered (prior participation); criteria that need a missing one fail
   * @returns one result per criterion
   * @throws TypeError when `at` is not a valid Date (a caller's fault)
   */
  evaluate(credentials: readonly PresentedCredential[], at: Date, context?: EvaluationContext): PolicyDecision;
}

/** Throws a TypeError unless `at` is a valid Date: the one fault `evaluate` reports by throwing. */
export function assertValidInstant(at: Date): void {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError('a policy is evaluated at a valid Date');
}

/** A frozen {@link LocalisedText}, so a reason handed out in one decision cannot be changed for the next. */
export function text(ko: string, en: string): LocalisedText {
  return Object.freeze({ ko, en });
}
