/** One of the check page's verdicts (docs/certificates.md). */
export type Verdict = 'genuine' | 'pending' | 'altered' | 'unknown-issuer' | 'revoked' | 'expired' | 'not-verified';

/** The verdict a reader sees for the body of `POST /credentials/verify`. */
export function verdictOf(answer: { verified?: unknown; checks?: unknown }): Verdict;

/** Whether the page may show the credential's claims (the signature check passed). */
export function claimsTrusted(answer: { checks?: unknown }): boolean;
