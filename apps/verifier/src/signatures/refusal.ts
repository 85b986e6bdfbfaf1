import type { PresentationRequestResult } from '../oid4vp/oid4vp.service.js';
import type { LocalisedText } from '../policies/index.js';
import { text } from '../policies/model.js';

/** Why a document signature was refused, in words for the signer (never personal data). */
export const SIGNATURE_REFUSALS = {
  revoked: text('서울시민카드가 폐지되어 서명할 수 없습니다.', 'The citizen card has been revoked, so it cannot sign.'),
  suspended: text('서울시민카드가 정지되어 서명할 수 없습니다.', 'The citizen card is suspended, so it cannot sign.'),
  notVerified: text('서울시민카드나 문서 서명을 확인하지 못했습니다.', 'The citizen card or the document signature could not be verified.'),
} satisfies Record<string, LocalisedText>;

/**
 * The reason a settled, unsuccessful signature presentation gives the wallet: a revoked or suspended card (its status
 * check), the first failed rule of the signature policy in its own words, or a card or binding that did not verify.
 */
export function signatureRefusalOf(result: PresentationRequestResult): LocalisedText {
  const checks = result.presentations.flatMap((p) => p.credentials.flatMap((c) => c.checks));
  const status = checks.find((check) => check.id === 'status' && check.status === 'failed');
  if (status && /^revoked\b/.test(status.detail)) return SIGNATURE_REFUSALS.revoked;
  if (status && /^suspended\b/.test(status.detail)) return SIGNATURE_REFUSALS.suspended;
  const failed = result.decision?.criteria.find((criterion) => criterion.result === 'failed');
  return failed ? failed.reason : SIGNATURE_REFUSALS.notVerified;
}
