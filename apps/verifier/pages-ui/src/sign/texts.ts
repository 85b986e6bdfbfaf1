/** The texts of the signing page and the signature check, Korean and English. */
export interface SignTexts {
  signTitle: string;
  signIntro: string;
  checkTitle: string;
  checkIntro: string;
  chooseDocument: string;
  hashing: string;
  documentHash: string;
  withName: string;
  requestSignature: string;
  scanWithWallet: string;
  qrLabel: string;
  openWallet: string;
  waiting: string;
  signed: string;
  downloadReceipt: string;
  refused: string;
  expired: string;
  tryAgain: string;
  chooseReceipt: string;
  pasteReceipt: string;
  check: string;
  valid: string;
  validDetail: string;
  invalid: string;
  invalidDetail: string;
  signedAt: string;
  fileName: string;
  issuer: string;
  /** The anchor of a receipt that passed `receipt-anchored`: its block and the block's time. */
  anchorBlock: string;
  anchorTime: string;
  failed: string;
  checks: Record<string, string>;
  statuses: Record<string, string>;
  toCheck: string;
  toSign: string;
}

export const SIGN_PAGE_TEXTS: Readonly<Record<'ko' | 'en', SignTexts>> = {
  ko: {
    signTitle: '시민카드로 문서에 서명',
    signIntro: '문서를 고르면 이 브라우저에서 해시(지문)만 계산합니다. 문서는 어디로도 보내지 않습니다. 지갑으로 QR 코드를 스캔해 서명하면 서명 영수증을 받습니다.',
    checkTitle: '전자서명 확인',
    checkIntro: '문서와 서명 영수증을 함께 넣으면, 서명된 문서가 맞는지와 서명할 때 시민카드가 유효했는지를 확인합니다.',
    chooseDocument: '서명할 문서',
    hashing: '해시를 계산하는 중…',
    documentHash: '문서 해시 (SHA-256)',
    withName: '서명자 이름을 영수증에 넣기',
    requestSignature: '서명 요청 만들기',
    scanWithWallet: '시민 지갑으로 QR 코드를 스캔하세요',
    qrLabel: '서명 요청 QR 코드',
    openWallet: '이 기기의 지갑에서 열기',
    waiting: '지갑에서 서명하기를 기다리는 중…',
    signed: '서명되었습니다.',
    downloadReceipt: '서명 영수증 내려받기',
    refused: '서명이 거절되었습니다.',
    expired: '요청 시간이 지났습니다.',
    tryAgain: '다시 요청하기',
    chooseReceipt: '서명 영수증 파일',
    pasteReceipt: '또는 영수증 붙여 넣기',
    check: '확인',
    valid: '유효한 서명',
    validDetail: '이 문서는 서명된 그대로이며, 서명할 때 시민카드가 유효했습니다.',
    invalid: '확인되지 않음',
    invalidDetail: '문서가 바뀌었거나 영수증이 올바르지 않습니다.',
    signedAt: '서명 시각',
    fileName: '파일 이름',
    issuer: '카드 발급 기관',
    anchorBlock: '블록',
    anchorTime: '기록 시각',
    failed: '확인하지 못했습니다. 다시 시도하세요.',
    checks: {
      'receipt-signature': '영수증 서명',
      'document-hash': '문서 일치',
      'holder-signature': '시민 서명',
      'card-valid-at-signing': '서명 시점의 카드 유효성',
      'receipt-anchored': '블록체인 기록',
    },
    statuses: { passed: '통과', failed: '실패', pending: '기록 대기 중', skipped: '해당 없음' },
    toCheck: '서명 확인하기',
    toSign: '문서 서명하기',
  },
  en: {
    signTitle: 'Sign a document with the citizen card',
    signIntro: 'Choose a document: this browser computes its hash (fingerprint) only, and the document goes nowhere. Scan the QR code with the wallet and sign to get a signature receipt.',
    checkTitle: 'Check an electronic signature',
    checkIntro: 'Put in a document and its signature receipt to see whether it is the document signed, and whether the citizen card was valid when it signed.',
    chooseDocument: 'Document to sign',
    hashing: 'Computing the hash…',
    documentHash: 'Document hash (SHA-256)',
    withName: "Put the signer's name in the receipt",
    requestSignature: 'Make a signing request',
    scanWithWallet: 'Scan the QR code with the citizen wallet',
    qrLabel: 'Signing request QR code',
    openWallet: 'Open in the wallet on this device',
    waiting: 'Waiting for the signature in the wallet…',
    signed: 'Signed.',
    downloadReceipt: 'Download the signature receipt',
    refused: 'The signature was refused.',
    expired: 'The request has expired.',
    tryAgain: 'Request again',
    chooseReceipt: 'Signature receipt file',
    pasteReceipt: 'or paste the receipt',
    check: 'Check',
    valid: 'Valid signature',
    validDetail: 'This document is exactly the one signed, and the citizen card was valid when it signed.',
    invalid: 'Not verified',
    invalidDetail: 'The document was changed or the receipt is not valid.',
    signedAt: 'Signed at',
    fileName: 'File name',
    issuer: 'Card issuer',
    anchorBlock: 'Block',
    anchorTime: 'Anchored at',
    failed: 'The check could not be made. Try again.',
    checks: {
      'receipt-signature': 'Receipt signature',
      'document-hash': 'Same document',
      'holder-signature': "Citizen's signature",
      'card-valid-at-signing': 'Card valid when signing',
      'receipt-anchored': 'Anchored on chain',
    },
    statuses: { passed: 'passed', failed: 'failed', pending: 'pending', skipped: 'not applicable' },
    toCheck: 'Check a signature',
    toSign: 'Sign a document',
  },
};
