import type { LocalisedText } from '../policies/index.js';
import { text } from '../policies/model.js';
import type { PresentationRequestResult } from '../oid4vp/oid4vp.service.js';

/** Why a sign-in was refused, in words for the citizen (never personal data). */
export const REFUSALS = {
  revoked: text('서울시민카드가 폐지되어 로그인할 수 없습니다.', 'The citizen card has been revoked, so it cannot be used to sign in.'),
  suspended: text('서울시민카드가 정지되어 로그인할 수 없습니다.', 'The citizen card is suspended, so it cannot be used to sign in.'),
  notVerified: text('서울시민카드를 확인하지 못했습니다.', 'The citizen card could not be verified.'),
  declined: text('지갑에서 제출을 거절했습니다.', 'The presentation was declined in the wallet.'),
  expired: text('요청 시간이 지났습니다. 다시 시도하세요.', 'The request timed out; try again.'),
  cancelled: text('로그인을 취소했습니다.', 'The sign-in was cancelled.'),
} satisfies Record<string, LocalisedText>;

/**
 * The reason a settled, unsuccessful sign-in presentation gives: a revoked or suspended card (its status check), a
 * card that did not verify otherwise, the wallet's refusal, or the first failed rule of the sign-in policy in the
 * policy's own words (under 19, not a Seoul resident, a claim not disclosed).
 */
export function refusalOf(result: PresentationRequestResult): LocalisedText {
  if (result.walletError) return REFUSALS.declined;
  const checks = result.presentations.flatMap((p) => p.credentials.flatMap((c) => c.checks));
  const status = checks.find((check) => check.id === 'status' && check.status === 'failed');
  if (status) {
    if (/^revoked\b/.test(status.detail)) return REFUSALS.revoked;
    if (/^suspended\b/.test(status.detail)) return REFUSALS.suspended;
    return REFUSALS.notVerified;
  }
  const failed = result.decision?.criteria.find((criterion) => criterion.result === 'failed');
  if (failed) return failed.reason;
  return REFUSALS.notVerified;
}
