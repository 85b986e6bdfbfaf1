import { text, type CriterionResult, type LocalisedText, type PresentedCredential } from './model.js';

/** The catalogue type of the Seoul citizen card. */
export const SEOUL_CITIZEN_CARD = 'SeoulCitizenCard';

/**
 * Judges every presented credential of one type and keeps the first that passes, else the first failure: a holder
 * who presents two citizen cards is judged on the better one.
 * @param id - the criterion id
 * @param credentials - the presentation
 * @param type - the type to judge
 * @param noneReason - the reason when no credential of the type was presented
 * @param judge - the outcome and reason for one credential
 */
export function judgeEachOfType(
  id: string,
  credentials: readonly PresentedCredential[],
  type: string,
  noneReason: LocalisedText,
  judge: (credential: PresentedCredential) => { passed: boolean; reason: LocalisedText },
): CriterionResult {
  const results = credentials
    .filter((credential) => credential.type === type)
    .map((credential): CriterionResult => {
      const { passed, reason } = judge(credential);
      return { id, result: passed ? 'passed' : 'failed', reason, evidenceHash: credential.hash };
    });
  return results.find((result) => result.result === 'passed') ?? results[0] ?? { id, result: 'failed', reason: noneReason, evidenceHash: null };
}

/** The reason given when no citizen card was presented. */
export const NO_CITIZEN_CARD: LocalisedText = text('서울시민카드가 제시되지 않았습니다.', 'No Seoul citizen card was presented.');
