import type { Oid4vciErrorCode } from './errors.js';

/** A message in the wallet's two languages: Korean first, English. */
export interface WalletMessage {
  readonly ko: string;
  readonly en: string;
}

/**
 * What the wallet tells the citizen for each {@link Oid4vciErrorCode}: short, without technical terms, saying what to
 * do next. The table is complete by type: a new code does not compile until it has its messages.
 */
export const OID4VCI_MESSAGES: Readonly<Record<Oid4vciErrorCode, WalletMessage>> = Object.freeze({
  'oid4vci.offer-malformed': {
    ko: '이 QR 코드는 읽을 수 없는 증명서 발급 코드입니다. 발급 기관에 새 QR 코드를 요청하세요.',
    en: 'This QR code is not a credential offer the wallet can read. Ask the issuer for a new one.',
  },
  'oid4vci.offer-foreign': {
    ko: '증명서 발급 QR 코드가 아닙니다.',
    en: 'This is not a credential offer QR code.',
  },
  'oid4vci.offer-not-found': {
    ko: '발급 요청이 만료되었거나 이미 사용되었습니다. 발급 기관에 새 QR 코드를 요청하세요.',
    en: 'The offer has expired or was already used. Ask the issuer for a new QR code.',
  },
  'oid4vci.offer-unsupported-grant': {
    ko: '이 지갑이 지원하지 않는 발급 방식입니다.',
    en: 'The wallet does not support the way this credential is issued.',
  },
  'oid4vci.metadata-invalid': {
    ko: '발급 기관의 정보를 확인할 수 없습니다. 신뢰할 수 있는 QR 코드인지 확인하세요.',
    en: "The issuer's information could not be checked. Make sure the QR code comes from a trusted issuer.",
  },
  'oid4vci.unsupported-credential': {
    ko: '이 지갑이 보관할 수 없는 형식의 증명서입니다.',
    en: 'The wallet cannot hold a credential in this format.',
  },
  'oid4vci.tx-code-required': {
    ko: '발급 기관에서 받은 인증번호를 입력하세요.',
    en: 'Enter the code the issuer gave you.',
  },
  'oid4vci.tx-code-malformed': {
    ko: '인증번호 형식이 맞지 않습니다. 받은 숫자를 그대로 입력하세요.',
    en: 'The code does not have the right form. Enter it exactly as you received it.',
  },
  'oid4vci.grant-refused': {
    ko: '인증번호가 틀렸거나, 발급 요청이 만료되었거나 이미 사용되었습니다. 여러 번 틀리면 요청이 취소됩니다.',
    en: 'The code is wrong, or the offer has expired or was already used. Too many wrong codes cancel the offer.',
  },
  'oid4vci.token-refused': {
    ko: '발급 절차가 만료되었습니다. QR 코드를 다시 스캔하세요.',
    en: 'The issuing session has expired. Scan the QR code again.',
  },
  'oid4vci.proof-refused': {
    ko: '발급 기관이 이 기기의 키를 확인하지 못했습니다. 기기 시각이 맞는지 확인하고 다시 시도하세요.',
    en: "The issuer could not confirm this device's key. Check the device's clock and try again.",
  },
  'oid4vci.credential-denied': {
    ko: '발급 기관이 지금은 이 증명서를 발급할 수 없습니다. 발급 기관에 문의하세요.',
    en: 'The issuer cannot issue this credential now. Contact the issuer.',
  },
  'oid4vci.deferred-unsupported': {
    ko: '나중에 발급되는 증명서는 아직 지원하지 않습니다.',
    en: 'Credentials issued later are not supported yet.',
  },
  'oid4vci.credential-invalid': {
    ko: '받은 증명서가 올바르지 않아 저장하지 않았습니다. 발급 기관에 문의하세요.',
    en: 'The credential received is not valid for this wallet and was not saved. Contact the issuer.',
  },
  'oid4vci.issuer-signature-invalid': {
    ko: '받은 증명서의 발급 기관 서명이 맞지 않아 저장하지 않았습니다. 전송 중에 바뀌었거나 위조되었을 수 있습니다. 발급 기관에 문의하세요.',
    en: "The issuer's signature on the credential received does not match, so it was not saved. It may have been changed on its way or forged. Contact the issuer.",
  },
  'oid4vci.issuer-unavailable': {
    ko: '발급 기관 서버가 잠시 응답하지 않습니다. 잠시 후 다시 시도하세요.',
    en: "The issuer's service is busy or unavailable. Try again in a moment.",
  },
  'oid4vci.issuer-error': {
    ko: '발급 기관의 응답을 처리할 수 없습니다. 잠시 후 다시 시도하세요.',
    en: "The issuer's answer could not be processed. Try again later.",
  },
  'oid4vci.network': {
    ko: '인터넷 연결을 확인하고 다시 시도하세요.',
    en: 'Check your internet connection and try again.',
  },
});
