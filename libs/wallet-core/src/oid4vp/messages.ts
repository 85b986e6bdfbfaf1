import type { WalletMessage } from '../oid4vci/messages.js';
import { Oid4vpErrorCode, type Oid4vpError } from './errors.js';

/**
 * What the wallet tells the citizen for each {@link Oid4vpErrorCode}, Korean and English. Complete by type: a new
 * code does not compile until it has its messages.
 */
export const OID4VP_MESSAGES: Readonly<Record<Oid4vpErrorCode, WalletMessage>> = Object.freeze({
  'oid4vp.request-malformed': {
    ko: '이 QR 코드는 읽을 수 없는 제출 요청입니다. 확인하는 곳에 새 QR 코드를 요청하세요.',
    en: 'This QR code is not a presentation request the wallet can read. Ask for a new one.',
  },
  'oid4vp.request-foreign': {
    ko: '증명서 제출 요청 QR 코드가 아닙니다.',
    en: 'This is not a presentation request QR code.',
  },
  'oid4vp.request-unsupported': {
    ko: '이 지갑이 지원하지 않는 방식의 제출 요청입니다.',
    en: 'The wallet does not support this kind of presentation request.',
  },
  'oid4vp.request-closed': {
    ko: '이미 응답했거나 만료된 요청입니다. 확인하는 곳에 새 QR 코드를 요청하세요.',
    en: 'This request was already answered or has expired. Ask for a new QR code.',
  },
  'oid4vp.request-invalid': {
    ko: '요청한 곳을 확인할 수 없어 제출하지 않았습니다. 신뢰할 수 있는 QR 코드인지 확인하세요.',
    en: 'The requester could not be verified, so nothing was shared. Make sure the QR code is genuine.',
  },
  'oid4vp.transaction-data-invalid': {
    ko: '이 지갑이 처리할 수 없는 서명 요청이라 아무것도 제출하거나 서명하지 않았습니다.',
    en: 'The wallet cannot handle what this request asks it to sign, so nothing was shared or signed.',
  },
  'oid4vp.request-expired': {
    ko: '요청 시간이 지났습니다. 확인하는 곳에 새 QR 코드를 요청하세요.',
    en: 'The request has expired. Ask for a new QR code.',
  },
  'oid4vp.selection-invalid': {
    ko: '선택한 증명서로는 요청에 답할 수 없습니다. 다시 선택하세요.',
    en: 'The credentials chosen do not answer the request. Choose again.',
  },
  'oid4vp.credential-not-presentable': {
    ko: '이 증명서는 이 기기에서 제출할 수 없습니다.',
    en: 'This credential cannot be presented from this device.',
  },
  'oid4vp.response-refused': {
    ko: '확인하는 곳이 제출을 받지 않았습니다. 새 QR 코드로 다시 시도하세요.',
    en: 'The verifier did not accept the presentation. Try again with a new QR code.',
  },
  'oid4vp.verifier-refused': {
    ko: '요청한 곳에서 거절했습니다.',
    en: 'The verifier refused.',
  },
  'oid4vp.verifier-unavailable': {
    ko: '확인하는 곳의 서버가 잠시 응답하지 않습니다. 잠시 후 다시 시도하세요.',
    en: "The verifier's service is busy or unavailable. Try again in a moment.",
  },
  'oid4vp.verifier-error': {
    ko: '확인하는 곳의 응답을 처리할 수 없습니다.',
    en: "The verifier's answer could not be processed.",
  },
  'oid4vp.network': {
    ko: '인터넷 연결을 확인하고 다시 시도하세요.',
    en: 'Check your internet connection and try again.',
  },
});

/**
 * What the wallet tells the citizen of a refusal after the verifier took the presentation
 * (`oid4vp.verifier-refused`): "요청한 곳에서 거절했습니다: <reason>" / "The verifier refused: <reason>", the reason in
 * the citizen's language when the verifier gave it (else its `error_description`), shown as text. Any other error: its
 * {@link OID4VP_MESSAGES} message.
 */
export function verifierRefusalText(error: Oid4vpError, lang: keyof WalletMessage): string {
  if (error.code !== Oid4vpErrorCode.VerifierRefused) return OID4VP_MESSAGES[error.code][lang];
  const reason = error.descriptions?.[lang] ?? error.description;
  if (reason === undefined || reason.trim() === '') return OID4VP_MESSAGES[error.code][lang];
  return lang === 'ko' ? `요청한 곳에서 거절했습니다: ${reason}` : `The verifier refused: ${reason}`;
}
