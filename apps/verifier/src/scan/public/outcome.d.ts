/** A sentence in Korean and English, as a policy's criterion gives its reason. */
export interface Reason {
  ko: string;
  en: string;
}

/** What the employer scanner shows for a presentation request's state (docs/oid4vp.md). */
export type Outcome =
  | { final: false }
  | {
      final: true;
      verified: boolean;
      criteria: Array<{ passed: boolean; reason: Reason }>;
      reason?: 'expired' | 'declined' | 'wallet-error' | 'not-verified' | 'refused';
    };

/** The outcome of the JSON of `GET /presentation-requests/{id}` or of one of its `state` events. */
export function outcomeOf(status: unknown): Outcome;

/** The outcome of the JSON answer of `POST /scan/presentations` (a presentation read from the worker's QR code). */
export function outcomeOfVerdict(answer: unknown): Outcome & { final: true };
