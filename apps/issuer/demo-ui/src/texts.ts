import type { Lang } from '@citycred/web-ui';

/** The page's messages in one language. */
export interface Texts {
  readonly title: string;
  readonly intro: string;
  readonly applyHint: string;
  readonly loading: string;
  readonly age: string;
  readonly youthAllowance: string;
  readonly youthRentSupport: string;
  readonly credentials: string;
  readonly receiveAll: string;
  readonly showQr: string;
  readonly making: string;
  readonly opening: string;
  /** Said once the wallet opened in its own tab. */
  readonly opened: string;
  readonly openWallet: string;
  readonly noWallet: string;
  readonly qrIntro: string;
  readonly expires: string;
  readonly close: string;
  /** Expected outcome, by `eligible` or criterion id. */
  readonly outcomes: Readonly<Record<string, string>>;
  readonly failsOther: string;
  readonly errors: {
    readonly list: string;
    readonly notFound: string;
    readonly rateLimited: string;
    readonly unavailable: string;
    readonly offer: string;
  };
}

/** The page's messages, Korean first. */
export const TEXTS: Readonly<Record<Lang, Texts>> = {
  ko: {
    title: '데모 시민',
    intro:
      '모두 가상의 인물입니다. 버튼을 누르면 각 기관(주민등록과, 교육청, 건강보험, 고용보험, 주택정책과)이 이 시민에게 증명서 발급을 제안하고, 시민 지갑이 열려 모두 받습니다.',
    applyHint:
      '증명서를 받은 뒤 이 탭에서 검증 서비스의 청년수당 신청 페이지(/apply/youth-allowance)로 가서 신청해 보세요. 이 탭에서 열어야 신청 페이지의 링크가 이미 열린 지갑 탭을 다시 써서 PIN을 다시 묻지 않습니다.',
    loading: '불러오는 중…',
    age: '만 {age}세',
    youthAllowance: '청년수당 예상 결과',
    youthRentSupport: '청년월세지원 예상 결과',
    credentials: '받을 증명서',
    receiveAll: '지갑으로 모두 받기',
    showQr: 'QR 코드로 보기',
    making: '발급 제안을 만드는 중…',
    opening: '지갑을 여는 중…',
    opened: '지갑이 다른 탭에서 열렸습니다. 거기서 증명서를 받은 뒤 이 탭으로 돌아오세요.',
    openWallet: '지갑 열기',
    noWallet: '이 발급 서비스에는 지갑 주소(WALLET_URL)가 설정되어 있지 않습니다. 휴대전화 지갑으로 QR 코드를 읽으세요.',
    qrIntro: '휴대전화의 지갑으로 하나씩 읽으세요. 데모용이라 인증번호는 없습니다. 각 제안은 한 번만 쓸 수 있고 곧 만료됩니다.',
    expires: '만료: {time}',
    close: '닫기',
    outcomes: {
      eligible: '자격 있음',
      'age-range': '탈락 — 나이 기준',
      'seoul-resident': '탈락 — 서울 거주 아님',
      'enrollment.not-enrolled': '탈락 — 재학 또는 휴학 중',
      'income.household-median': '탈락 — 가구소득 기준 초과',
      'income.not-basic-livelihood': '탈락 — 기초생활수급 가구',
      'employment.limited': '탈락 — 주 30시간 이상·3개월 이상 근로',
      'rental.within-caps': '탈락 — 임차 조건(보증금·월세 상한)',
    },
    failsOther: '탈락 — {criterion}',
    errors: {
      list: '데모 시민 목록을 불러오지 못했습니다. 잠시 후 새로고침하세요.',
      notFound: '이 데모 시민을 찾을 수 없습니다. 페이지를 새로고침하세요.',
      rateLimited: '요청이 너무 많습니다. 잠시 후 다시 시도하세요.',
      unavailable: '발급 서비스가 지금 응답하지 않습니다. 잠시 후 다시 시도하세요.',
      offer: '발급 제안을 만들지 못했습니다({code}).',
    },
  },
  en: {
    title: 'Demo citizens',
    intro:
      'All of them are fictional. The button has each agency (resident registration, education office, health insurance, employment insurance, housing) offer this citizen their credentials, then opens the citizen wallet to receive them all.',
    applyHint:
      'Once the credentials are in the wallet, go to the verifier’s Youth Allowance page (/apply/youth-allowance) in this tab and apply. Opened from this tab, the page’s links reuse the wallet tab already open, so the wallet does not ask its PIN again.',
    loading: 'Loading…',
    age: '{age} years old',
    youthAllowance: 'Youth Allowance, expected',
    youthRentSupport: 'Youth rent support, expected',
    credentials: 'Credentials to receive',
    receiveAll: 'Receive all in the wallet',
    showQr: 'Show as QR codes',
    making: 'Making the offers…',
    opening: 'Opening the wallet…',
    opened: 'The wallet opened in another tab. Receive the credentials there, then come back to this tab.',
    openWallet: 'Open the wallet',
    noWallet: 'This issuer has no wallet address (WALLET_URL) set. Scan the QR codes with a phone’s wallet.',
    qrIntro: 'Scan them one by one with a phone’s wallet. Being a demo, they need no transaction code. Each offer can be used once and expires soon.',
    expires: 'Expires: {time}',
    close: 'Close',
    outcomes: {
      eligible: 'Eligible',
      'age-range': 'Refused — age range',
      'seoul-resident': 'Refused — not a Seoul resident',
      'enrollment.not-enrolled': 'Refused — enrolled or on leave',
      'income.household-median': 'Refused — household income above the limit',
      'income.not-basic-livelihood': 'Refused — basic livelihood recipient',
      'employment.limited': 'Refused — works 30 h a week or more for 3 months or more',
      'rental.within-caps': 'Refused — deposit or rent above the caps',
    },
    failsOther: 'Refused — {criterion}',
    errors: {
      list: 'The demo citizens could not be loaded. Reload the page in a moment.',
      notFound: 'This demo citizen does not exist. Reload the page.',
      rateLimited: 'Too many requests. Try again in a moment.',
      unavailable: 'The issuer is not answering now. Try again in a moment.',
      offer: 'The offers could not be made ({code}).',
    },
  },
};
