// What the offline verifier tells the employer, in Korean and English: why a bundle or a QR code was refused.
// Plain sentences; none repeats what a credential says.

/** A sentence in Korean and English. */
export interface LocalisedText {
  readonly ko: string;
  readonly en: string;
}

const t = (ko: string, en: string): LocalisedText => Object.freeze({ ko, en });

/** Why a bundle cannot be used. */
export const BUNDLE_TEXT = Object.freeze({
  malformed: t('오프라인 데이터를 읽을 수 없습니다. 인터넷에 연결된 상태에서 오프라인 데이터를 갱신하세요.', 'The offline data cannot be read. Update it while online.'),
  signature: t('오프라인 데이터가 이 확인 서비스의 서명이 아닙니다. 인터넷에 연결된 상태에서 오프라인 데이터를 갱신하세요.', 'The offline data is not signed by this verifier. Update it while online.'),
  expired: t('오프라인 데이터의 사용 기한이 지났습니다. 인터넷에 연결된 상태에서 오프라인 데이터를 갱신하세요.', 'The offline data has expired. Update it while online.'),
});

/** Why a presentation was refused offline, when the policy's criteria do not say it. */
export const REFUSAL_TEXT = Object.freeze({
  unknownPolicy: t('이 확인 항목은 오프라인으로 확인할 수 없습니다.', 'This check cannot be done offline.'),
  notSdJwt: t(
    '오프라인에서는 선택적 공개 증명서(SD-JWT)로 만든 QR 코드만 확인할 수 있습니다. 인터넷에 연결해 다시 확인하세요.',
    'Offline, only a QR code made from a selectively disclosable credential (SD-JWT) can be checked. Check again online.',
  ),
  unreadable: t('QR 코드의 증명서를 읽을 수 없습니다.', 'The credential in the QR code cannot be read.'),
  unknownIssuer: t('발급기관이 오프라인 데이터에 있는 서울시 인가 발급기관이 아닙니다.', 'The issuer is not among the city-accredited issuers in the offline data.'),
  signature: t('발급기관의 전자서명이 맞지 않습니다. 변조되었거나 이 발급기관이 발급하지 않은 증명서입니다.', 'The issuer’s signature does not verify: the credential was altered or not issued by this issuer.'),
  notYetValid: t('증명서의 유효기간이 아직 시작되지 않았습니다.', 'The credential is not valid yet.'),
  expired: t('증명서의 유효기간이 지났습니다.', 'The credential has expired.'),
  notAccredited: t('발급기관이 이 종류의 증명서를 발급하도록 인가받지 않았습니다.', 'The issuer is not accredited for this kind of credential.'),
  anchor: t(
    'QR 코드의 기록 증명이 발급기관이 블록체인에 기록한 내용과 맞지 않습니다. 변조되었거나 이 발급기관이 기록하지 않은 증명서입니다.',
    'The QR code’s anchor proof does not match what the issuer recorded on the city chain: it was altered, or the issuer never recorded this credential.',
  ),
  revoked: t('발급기관이 이 증명서를 폐기했습니다.', 'The issuer revoked this credential.'),
  suspended: t('발급기관이 이 증명서를 정지했습니다.', 'The issuer suspended this credential.'),
  statusMissing: t(
    '오프라인 데이터에 이 증명서의 폐기 목록이 없어 폐기 여부를 확인할 수 없습니다. 인터넷에 연결해 다시 확인하세요.',
    'The offline data holds no status list for this credential, so whether it was revoked cannot be checked. Check again online.',
  ),
  statusUntrusted: t('이 증명서의 폐기 목록을 신뢰할 수 없습니다. 인터넷에 연결해 다시 확인하세요.', 'This credential’s status list cannot be trusted. Check again online.'),
  noKeyBinding: t('QR 코드에 소지자 확인 서명이 없습니다. 누구나 복사해 보여줄 수 있는 증명서입니다.', 'The QR code carries no holder signature: anyone holding a copy could show it.'),
  holderSignature: t('QR 코드가 증명서 소지자의 키로 서명되지 않았습니다.', 'The QR code is not signed by the key the credential is bound to.'),
  disclosures: t('QR 코드의 공개 항목이 소지자가 서명한 것과 다릅니다. 변조된 QR 코드입니다.', 'What the QR code discloses is not what the holder signed: it was altered.'),
  audience: t('다른 확인 서비스에 보여주려고 만든 QR 코드입니다. 지원자에게 새 QR 코드를 띄워 달라고 하세요.', 'The QR code was made for another verifier. Ask the applicant to show a new one.'),
  stale: t('QR 코드가 너무 오래되었습니다. 지원자에게 새 QR 코드를 띄워 달라고 하세요.', 'The QR code is too old. Ask the applicant to show a new one.'),
  future: t('QR 코드의 생성 시각이 이 기기의 시각보다 늦습니다. 기기의 시계를 확인하세요.', 'The QR code is dated after this device’s clock. Check the device’s clock.'),
  badNonce: t('QR 코드의 일회용 값이 올바르지 않습니다. 지원자에게 새 QR 코드를 띄워 달라고 하세요.', 'The QR code’s one-time value is not valid. Ask the applicant to show a new one.'),
  replay: t('이 기기에서 이미 확인한 QR 코드입니다. 지원자에게 새 QR 코드를 띄워 달라고 하세요.', 'This QR code was already checked on this device. Ask the applicant to show a new one.'),
});
