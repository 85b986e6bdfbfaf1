/** The texts of the petition page, Korean and English. */
export interface PetitionTexts {
  title: string;
  intro: string;
  loading: string;
  notFound: string;
  signatures: string;
  threshold: string;
  deadline: string;
  reached: string;
  open: string;
  closed: string;
  sign: string;
  privacy: string;
  scanWithWallet: string;
  qrLabel: string;
  openWallet: string;
  waiting: string;
  signed: string;
  signedDetail: string;
  yourLeaf: string;
  refused: string;
  expired: string;
  tryAgain: string;
  failed: string;
  result: string;
  finalCount: string;
  root: string;
  closedAt: string;
  tallyDigest: string;
  anchoring: string;
  anchoringStates: Record<string, string>;
  block: string;
  leafList: string;
  noSignatures: string;
}

export const PETITION_PAGE_TEXTS: Readonly<Record<'ko' | 'en', PetitionTexts>> = {
  ko: {
    title: '주민감사청구 서명',
    intro: '만 19세 이상 서울시민은 지갑의 서울시민카드로 이 청구에 서명할 수 있습니다.',
    loading: '불러오는 중…',
    notFound: '이 청구를 찾을 수 없습니다.',
    signatures: '서명 수',
    threshold: '필요 서명 수',
    deadline: '마감',
    reached: '필요 서명 수에 도달했습니다.',
    open: '서명 받는 중',
    closed: '마감됨',
    sign: '시민카드로 서명하기',
    privacy: '만 19세 이상 여부와 거주지(시·도, 구), 그리고 한 사람이 한 번만 서명하도록 확인하는 개인 식별값만 제출합니다. 이름, 주소, 생년월일과 개인 식별값은 저장하지 않습니다.',
    scanWithWallet: '지갑으로 QR 코드를 스캔하세요',
    qrLabel: '서명 요청 QR 코드',
    openWallet: '이 기기의 지갑에서 열기',
    waiting: '지갑의 응답을 기다리는 중…',
    signed: '서명했습니다',
    signedDetail: '서명이 집계되었습니다. 마감 후 공개되는 서명 목록에서 아래 값으로 내 서명을 찾을 수 있습니다.',
    yourLeaf: '내 서명의 해시',
    refused: '서명할 수 없습니다',
    expired: '요청 시간이 지났습니다',
    tryAgain: '다시 시도',
    failed: '요청을 처리하지 못했습니다. 다시 시도하세요.',
    result: '최종 결과',
    finalCount: '최종 서명 수',
    root: '서명 머클 루트',
    closedAt: '마감 시각',
    tallyDigest: '집계 다이제스트',
    anchoring: '블록체인 기록',
    anchoringStates: { 'not-anchored': '기록되지 않음', pending: '기록 대기 중', anchored: '기록됨', failed: '기록 실패' },
    block: '블록',
    leafList: '공개 서명 목록 (누구나 집계와 루트를 다시 계산할 수 있습니다)',
    noSignatures: '서명 없음',
  },
  en: {
    title: 'Sign a resident audit claim',
    intro: 'Seoul residents aged 19 or over can sign this claim with the Seoul citizen card in their wallet.',
    loading: 'Loading…',
    notFound: 'This claim cannot be found.',
    signatures: 'Signatures',
    threshold: 'Signatures needed',
    deadline: 'Deadline',
    reached: 'The number of signatures needed has been reached.',
    open: 'Collecting signatures',
    closed: 'Closed',
    sign: 'Sign with the citizen card',
    privacy: 'You share only whether you are 19 or over, your residence (city and district) and a person identifier that makes sure each person signs once. Your name, address, birth date and person identifier are not stored.',
    scanWithWallet: 'Scan the QR code with your wallet',
    qrLabel: 'Signing request QR code',
    openWallet: 'Open in the wallet on this device',
    waiting: 'Waiting for the wallet…',
    signed: 'Signed',
    signedDetail: 'Your signature is counted. Once the claim closes, find it in the published signature list by this value.',
    yourLeaf: 'Your signature’s hash',
    refused: 'You cannot sign',
    expired: 'The request timed out',
    tryAgain: 'Try again',
    failed: 'The request failed. Try again.',
    result: 'Final result',
    finalCount: 'Final count',
    root: 'Merkle root of the signatures',
    closedAt: 'Closed at',
    tallyDigest: 'Tally digest',
    anchoring: 'On the city chain',
    anchoringStates: { 'not-anchored': 'not anchored', pending: 'waiting to be anchored', anchored: 'anchored', failed: 'anchoring failed' },
    block: 'block',
    leafList: 'Published signature list (anyone can recompute the count and root)',
    noSignatures: 'no signatures',
  },
};
