import type { PresentationRequestResult } from '../oid4vp/oid4vp.service.js';
import type { LocalisedText } from '../policies/index.js';
import { text } from '../policies/model.js';

/** Why a signature was refused, as a stable code the page branches on (docs/petitions.md, "Outcomes"). */
export type PetitionRefusalCode =
  | 'petition.already-signed'
  | 'petition.closed'
  | 'petition.not-eligible'
  | 'petition.card-revoked'
  | 'petition.card-suspended'
  | 'petition.card-not-verified'
  | 'petition.declined';

/** A refusal: its code and the reason in words for the signer (never personal data). */
export interface PetitionRefusal {
  code: PetitionRefusalCode;
  reason: LocalisedText;
}

/** The refusals that do not come from the policy's own reasons. */
export const PETITION_REFUSALS = {
  alreadySigned: { code: 'petition.already-signed', reason: text('이미 이 청구에 서명했습니다. 한 사람은 한 번만 서명할 수 있습니다.', 'You have already signed this claim: each person signs once.') },
  closed: { code: 'petition.closed', reason: text('서명 기간이 끝났습니다.', 'The claim is closed: its deadline has passed.') },
  revoked: { code: 'petition.card-revoked', reason: text('서울시민카드가 폐지되어 서명할 수 없습니다.', 'The citizen card has been revoked, so it cannot sign.') },
  suspended: { code: 'petition.card-suspended', reason: text('서울시민카드가 정지되어 서명할 수 없습니다.', 'The citizen card is suspended, so it cannot sign.') },
  notVerified: { code: 'petition.card-not-verified', reason: text('서울시민카드를 확인하지 못했습니다.', 'The citizen card could not be verified.') },
  declined: { code: 'petition.declined', reason: text('지갑에서 제출을 거절했습니다.', 'The presentation was declined in the wallet.') },
} as const satisfies Record<string, PetitionRefusal>;

/**
 * The refusal of a settled, unsuccessful signing presentation: the wallet declined; a revoked or suspended card (its
 * status check); a card that did not verify otherwise; or the first failed rule of the petition policy in its own
 * words — under 19, not a Seoul resident, a claim not disclosed (`petition.not-eligible`).
 */
export function refusalOf(result: PresentationRequestResult): PetitionRefusal {
  if (result.walletError) return PETITION_REFUSALS.declined;
  const checks = result.presentations.flatMap((p) => p.credentials.flatMap((c) => c.checks));
  const status = checks.find((check) => check.id === 'status' && check.status === 'failed');
  if (status) {
    if (/^revoked\b/.test(status.detail)) return PETITION_REFUSALS.revoked;
    if (/^suspended\b/.test(status.detail)) return PETITION_REFUSALS.suspended;
    return PETITION_REFUSALS.notVerified;
  }
  const failed = result.decision?.criteria.find((criterion) => criterion.result === 'failed');
  if (failed) return { code: 'petition.not-eligible', reason: failed.reason };
  return PETITION_REFUSALS.notVerified;
}
