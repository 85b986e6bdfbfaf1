// The application page's reading of the page API's answers (docs/youth-allowance.md, "The application page"):
// pure functions, so what the page shows for each answer is tested without a browser.
import type { Lang } from '@citycred/web-ui';

/** A sentence in Korean and English, as the program's configuration and its policy's criteria give them. */
export interface Localised {
  ko: string;
  en: string;
}

/** A program's page as `GET /apply/api/{page}` answers it. */
export interface ProgramPage {
  page: string;
  program: string;
  title: Localised;
  purpose: Localised;
  benefit: { monthlyAmountKrw: number; months: number };
  criteria: Array<{ id: string; text: Localised }>;
  credentials: Array<{ type: string; label: Localised }>;
  eligibility?: { label: Localised };
}

/** Why an application closed without a decision. */
export type ClosedReason = 'expired' | 'declined' | 'wallet-error' | 'not-verified';

/** An application as `GET /apply/api/{page}/applications/{id}` answers it. */
export type ApplicationState =
  | { state: 'pending' }
  | { state: 'decided'; eligible: boolean; criteria: Array<{ id: string; passed: boolean; reason: Localised }>; receipt: boolean; offer: boolean }
  | { state: 'closed'; reason: ClosedReason };

/** An eligibility offer as `POST …/eligibility-offer` answers it. */
export interface ShownOffer {
  offerLink: string;
  walletLink: string;
  qrSvg: string;
  txCode: string | null;
  expiresAt: string;
  credential: Localised;
}

/** What the page says when a call of the page API failed, by the problem's stable code (or the lack of an answer). */
export type Failure = 'not-found' | 'issuer-unavailable' | 'issuer-not-configured' | 'in-progress' | 'received' | 'unavailable';

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function localised(value: unknown): Localised | null {
  return isObject(value) && typeof value['ko'] === 'string' && typeof value['en'] === 'string' ? { ko: value['ko'], en: value['en'] } : null;
}

/** The program's page from the API's JSON; null for anything else. */
export function readProgramPage(json: unknown): ProgramPage | null {
  if (!isObject(json) || typeof json['page'] !== 'string' || typeof json['program'] !== 'string') return null;
  const title = localised(json['title']);
  const purpose = localised(json['purpose']);
  const benefit = json['benefit'];
  if (!title || !purpose || !isObject(benefit) || typeof benefit['monthlyAmountKrw'] !== 'number' || typeof benefit['months'] !== 'number') return null;
  const criteria = (Array.isArray(json['criteria']) ? (json['criteria'] as unknown[]) : []).flatMap((c) => {
    const text = isObject(c) ? localised(c['text']) : null;
    return isObject(c) && typeof c['id'] === 'string' && text ? [{ id: c['id'], text }] : [];
  });
  const credentials = (Array.isArray(json['credentials']) ? (json['credentials'] as unknown[]) : []).flatMap((c) => {
    const label = isObject(c) ? localised(c['label']) : null;
    return isObject(c) && typeof c['type'] === 'string' && label ? [{ type: c['type'], label }] : [];
  });
  const eligibilityLabel = isObject(json['eligibility']) ? localised(json['eligibility']['label']) : null;
  return {
    page: json['page'],
    program: json['program'],
    title,
    purpose,
    benefit: { monthlyAmountKrw: benefit['monthlyAmountKrw'], months: benefit['months'] },
    criteria,
    credentials,
    ...(eligibilityLabel ? { eligibility: { label: eligibilityLabel } } : {}),
  };
}

/** An application's state from the API's JSON; null for anything else. */
export function readApplication(json: unknown): ApplicationState | null {
  if (!isObject(json)) return null;
  if (json['state'] === 'pending') return { state: 'pending' };
  if (json['state'] === 'closed') {
    const reason = json['reason'];
    return { state: 'closed', reason: reason === 'expired' || reason === 'declined' || reason === 'wallet-error' ? reason : 'not-verified' };
  }
  if (json['state'] !== 'decided' || typeof json['eligible'] !== 'boolean' || !Array.isArray(json['criteria'])) return null;
  const criteria = (json['criteria'] as unknown[]).flatMap((c) => {
    const reason = isObject(c) ? localised(c['reason']) : null;
    return isObject(c) && typeof c['id'] === 'string' && reason ? [{ id: c['id'], passed: c['result'] === 'passed', reason }] : [];
  });
  return { state: 'decided', eligible: json['eligible'], criteria, receipt: json['receipt'] === true, offer: json['offer'] === true };
}

/** An eligibility offer from the API's JSON; null for anything else (a link that is no credential offer among it). */
export function readOffer(json: unknown): ShownOffer | null {
  if (!isObject(json)) return null;
  const { offerLink, walletLink, qrSvg, txCode, expiresAt } = json;
  const credential = localised(json['credential']);
  if (typeof offerLink !== 'string' || !offerLink.startsWith('openid-credential-offer://') || typeof walletLink !== 'string' || !/^(https?:\/\/|openid-credential-offer:\/\/)/.test(walletLink)) return null;
  if (typeof qrSvg !== 'string' || typeof expiresAt !== 'string' || !(txCode === null || typeof txCode === 'string') || !credential) return null;
  return { offerLink, walletLink, qrSvg, txCode, expiresAt, credential };
}

/**
 * What the page says for a failed call: by the problem's `code` when the API answered one (404 the page or the
 * application, 503 the issuer down or not configured, 409 an offer being made or already received), otherwise that the
 * service is unavailable.
 * @param status - the HTTP status, or null when there was no answer
 * @param problem - the parsed problem+json, if any
 */
export function failureOf(status: number | null, problem: unknown): Failure {
  const code = isObject(problem) && typeof problem['code'] === 'string' ? problem['code'] : '';
  if (status === 404 && (code === 'program.page-not-found' || code === 'program.application-not-found')) return 'not-found';
  if (code === 'program.issuer-unavailable') return 'issuer-unavailable';
  if (code === 'program.issuer-not-configured') return 'issuer-not-configured';
  if (code === 'program.offer-in-progress') return 'in-progress';
  if (code === 'program.offer-received') return 'received';
  return 'unavailable';
}

/** A whole amount of won as the page's language writes it: `500,000원`, `KRW 500,000`. */
export function won(amount: number, lang: Lang): string {
  const digits = amount.toLocaleString('en-US');
  return lang === 'ko' ? `${digits}원` : `KRW ${digits}`;
}

/** The page's program slug from its path, `/apply/<slug>`; null for any other path. */
export function pageSlugOf(pathname: string): string | null {
  const match = /^\/apply\/([a-z0-9]+(?:-[a-z0-9]+)*)\/?$/.exec(pathname);
  return match ? match[1]! : null;
}
