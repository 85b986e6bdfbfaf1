/**
 * Why a labour-contract or attendance step failed in the wallet, as stable codes the screens map to a message
 * ({@link LABOR_MESSAGES}). The employer service's own refusals keep its codes (docs/labor.md, problem+json `code`);
 * the wallet's checks add theirs. Branch on `code`, never on the message.
 */
export const LaborWalletErrorCode = {
  /** The `#contract` link or review URL is not one the wallet can read (not http(s), no contract id or token). */
  LinkInvalid: 'labor.link-invalid',
  /** The scanned text is not a workplace QR (`#attend?qr=` link or the compact JWS), or its payload is malformed. */
  QrMalformed: 'labor.qr-malformed',
  /** The review answered something the wallet cannot read. */
  ReviewInvalid: 'labor.review-invalid',
  /** The contract's hash, recomputed on the phone from its document, differs from the one the service asks to sign. */
  HashMismatch: 'labor.hash-mismatch',
  /** The wallet's own check of the terms found an error (e.g. a wage below the minimum) the service did not report. */
  TermsRefusedLocally: 'labor.terms-refused-locally',
  /** No contract the wallet remembers is an active one with the QR's employer. */
  NoMatchingContract: 'labor.no-matching-contract',
  /** The service's attendance records are not a continuation of the wallet's own co-signed copies. */
  AttendanceDiverged: 'labor.attendance-diverged',
  /** The service answered without a co-signed event for the one the wallet sent. */
  CosignatureMissing: 'labor.cosignature-missing',
  /** Refusals of the employer service (problem+json `code`), kept as they are. */
  ContractNotFound: 'labor.contract-not-found',
  ContractState: 'labor.contract-state',
  SignatureInvalid: 'labor.signature-invalid',
  QrInvalid: 'labor.qr-invalid',
  QrExpired: 'labor.qr-expired',
  NonceReused: 'labor.nonce-reused',
  AttendanceStale: 'labor.attendance-stale',
  AttendanceOrder: 'labor.attendance-order',
  EventTime: 'labor.event-time',
  CorrectionNotFound: 'labor.correction-not-found',
  /** The service is temporarily unavailable (429, 5xx). */
  Unavailable: 'labor.unavailable',
  /** The service answered an error the wallet does not know. */
  ServiceError: 'labor.service-error',
  /** No answer (offline, the service down). */
  Network: 'labor.network',
} as const;
export type LaborWalletErrorCode = (typeof LaborWalletErrorCode)[keyof typeof LaborWalletErrorCode];

const SERVICE_CODES = new Set<string>([
  LaborWalletErrorCode.ContractNotFound,
  LaborWalletErrorCode.ContractState,
  LaborWalletErrorCode.SignatureInvalid,
  LaborWalletErrorCode.QrInvalid,
  LaborWalletErrorCode.QrExpired,
  LaborWalletErrorCode.NonceReused,
  LaborWalletErrorCode.AttendanceStale,
  LaborWalletErrorCode.AttendanceOrder,
  LaborWalletErrorCode.EventTime,
  LaborWalletErrorCode.CorrectionNotFound,
]);

/** The wallet code of a service refusal's problem `code`, or undefined for one the wallet does not know. */
export function serviceErrorCode(code: string | undefined): LaborWalletErrorCode | undefined {
  return code !== undefined && SERVICE_CODES.has(code) ? (code as LaborWalletErrorCode) : undefined;
}

/** The one error the wallet's labour client throws. `message` is English for logs; screens show {@link LABOR_MESSAGES}. */
export class LaborWalletError extends Error {
  override readonly name = 'LaborWalletError';
  /** The HTTP status of the answer that failed, when there was one. */
  readonly status?: number;
  /** The service's `detail`, for logs. */
  readonly detail?: string;
  /** With `labor.terms-refused-locally`: the wallet's own error findings' codes. */
  readonly findings?: readonly string[];
  /** With `labor.attendance-stale`: the service's current head, when it said. */
  readonly head?: { readonly seq: number; readonly hash: string };

  constructor(
    readonly code: LaborWalletErrorCode,
    message: string,
    details: { status?: number; detail?: string; findings?: readonly string[]; head?: { seq: number; hash: string }; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.status !== undefined) this.status = details.status;
    if (details.detail !== undefined) this.detail = details.detail;
    if (details.findings !== undefined) this.findings = details.findings;
    if (details.head !== undefined) this.head = details.head;
  }
}

/** What the citizen is told for each code, Korean and English: short, saying what to do next. */
export const LABOR_MESSAGES: Readonly<Record<LaborWalletErrorCode, { readonly ko: string; readonly en: string }>> = {
  'labor.link-invalid': { ko: '근로계약서 링크를 읽을 수 없습니다. 사업주에게 새 링크를 받으세요.', en: 'The contract link cannot be read. Ask the employer for a new link.' },
  'labor.qr-malformed': { ko: '사업장 출퇴근 QR이 아닙니다. 사업장 태블릿의 QR을 스캔하세요.', en: 'This is not a workplace attendance QR. Scan the QR on the workplace tablet.' },
  'labor.review-invalid': { ko: '사업주 서비스가 읽을 수 없는 답을 보냈습니다. 잠시 뒤 다시 시도하세요.', en: 'The employer service sent an answer the wallet cannot read. Try again later.' },
  'labor.hash-mismatch': {
    ko: '계약서 내용과 서명할 값(해시)이 맞지 않아 서명하지 않았습니다. 사업주에게 알리세요.',
    en: 'The contract’s content does not match the value (hash) to be signed, so the wallet did not sign. Tell the employer.',
  },
  'labor.terms-refused-locally': {
    ko: '이 지갑이 확인한 결과 계약 조건이 근로기준법에 맞지 않아 서명할 수 없습니다(예: 최저임금 미달).',
    en: 'The wallet’s own check finds the terms break the Labor Standards Act (e.g. a wage below the minimum), so it cannot be signed.',
  },
  'labor.no-matching-contract': {
    ko: '이 사업장과 맺은 유효한 근로계약이 지갑에 없습니다. 먼저 근로계약서에 서명하고 발급받으세요.',
    en: 'The wallet holds no active contract with this workplace. Sign the contract and receive it first.',
  },
  'labor.attendance-diverged': {
    ko: '사업주의 출퇴근 기록이 지갑에 보관된 기록과 다릅니다. 지갑의 기록을 내보내 보관하고 사업주나 노동청에 문의하세요.',
    en: 'The employer’s attendance records differ from the copies in your wallet. Export your records and contact the employer or the labour office.',
  },
  'labor.cosignature-missing': { ko: '사업주 서비스가 서명된 기록을 돌려주지 않았습니다. 다시 스캔하세요.', en: 'The employer service did not return the co-signed record. Scan again.' },
  'labor.contract-not-found': { ko: '근로계약서를 찾을 수 없습니다. 링크가 틀렸거나 취소되었습니다.', en: 'The contract cannot be found: the link is wrong or it was withdrawn.' },
  'labor.contract-state': { ko: '이 계약은 지금 이 작업을 할 수 없는 상태입니다(이미 서명됨, 종료됨 등).', en: 'The contract is not in a state that allows this (already signed, ended…).' },
  'labor.signature-invalid': { ko: '서명을 확인할 수 없다는 답을 받았습니다. 다시 시도하세요.', en: 'The service could not verify the signature. Try again.' },
  'labor.qr-invalid': { ko: '이 계약의 사업장이 만든 QR이 아닙니다. 일하는 사업장의 QR을 스캔하세요.', en: 'This QR was not made by this contract’s workplace. Scan the QR where you work.' },
  'labor.qr-expired': { ko: 'QR이 만료되었습니다. 새 QR을 스캔하세요.', en: 'The QR has expired. Scan the new QR.' },
  'labor.nonce-reused': { ko: '이미 사용한 QR입니다. 화면에 새로 나온 QR을 스캔하세요.', en: 'This QR was already used. Scan the new QR on the screen.' },
  'labor.attendance-stale': { ko: '출퇴근 기록이 그 사이 바뀌었습니다. 새 QR로 다시 스캔하세요.', en: 'The attendance records changed meanwhile. Scan a new QR again.' },
  'labor.attendance-order': { ko: '출근과 퇴근은 번갈아 기록해야 합니다(출근 두 번 등).', en: 'Check-ins and check-outs must alternate (e.g. not two check-ins).' },
  'labor.event-time': { ko: '휴대전화의 시각이 맞지 않습니다. 시간을 자동으로 맞춘 뒤 다시 스캔하세요.', en: 'Your phone’s clock is off. Set the time automatically and scan again.' },
  'labor.correction-not-found': { ko: '이 정정 요청은 더 이상 없습니다.', en: 'This correction request no longer exists.' },
  'labor.unavailable': { ko: '사업주 서비스가 잠시 응답하지 않습니다. 잠시 뒤 다시 시도하세요.', en: 'The employer service is not answering right now. Try again later.' },
  'labor.service-error': { ko: '사업주 서비스에서 오류가 났습니다. 잠시 뒤 다시 시도하세요.', en: 'The employer service failed. Try again later.' },
  'labor.network': { ko: '연결할 수 없습니다. 인터넷 연결을 확인하세요.', en: 'No connection. Check the internet connection.' },
};
