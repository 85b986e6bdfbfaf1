import { parseMinimumWageTable, type MinimumWageTable } from '@citycred/labor';
import { LABOR_MESSAGES, LaborWalletError, type Vault } from '@citycred/wallet-core';
import type { Lang } from '@citycred/web-ui';
import type { Texts } from '../texts.js';
import { flowErrorText } from './protocol.js';

/**
 * The minimum wage table the wallet's own server gives (`/settings.json` `minimumWageKrw`, from `config/labor.json`),
 * or undefined when it gives none or it cannot be read: the wallet then says it could not check the wage itself.
 */
export async function minimumWageTable(): Promise<MinimumWageTable | undefined> {
  try {
    const answer = await fetch('/settings.json', { headers: { accept: 'application/json' } });
    if (!answer.ok) return undefined;
    const body = (await answer.json()) as { minimumWageKrw?: unknown };
    return body.minimumWageKrw === undefined ? undefined : parseMinimumWageTable(body.minimumWageKrw);
  } catch {
    return undefined;
  }
}

/** What the worker is told for a failure of a labour step: the wallet core's message for its code, else the flows'. */
export function laborErrorText(error: unknown, lang: Lang, t: Texts): string {
  if (error instanceof LaborWalletError) return LABOR_MESSAGES[error.code][lang];
  return flowErrorText(error, lang, t);
}

/** Day names as the contract's `workDays` and `weeklyHoliday` name them. */
export const WEEKDAY_NAMES: Readonly<Record<Lang, Readonly<Record<string, string>>>> = {
  ko: { mon: '월요일', tue: '화요일', wed: '수요일', thu: '목요일', fri: '금요일', sat: '토요일', sun: '일요일' },
  en: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
};

/** A whole number of won, grouped (10,320). */
export function wonText(amount: number): string {
  return Math.round(amount).toLocaleString('en-US');
}

/** A time of day in Seoul (HH:MM). */
export function clockText(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Seoul' }).format(new Date(iso));
}

/**
 * Marks offer links as received from a remembered contract (so they are not offered again). Failures are ignored: at
 * worst an offer is shown again and its issuer says it was used.
 */
export async function markOffersReceived(vault: Vault, contractRecordId: string, links: readonly string[]): Promise<void> {
  try {
    const record = await vault.laborContract(contractRecordId);
    if (!record) return;
    const added = links.filter((link) => !record.receivedOffers.includes(link));
    if (added.length > 0) await vault.saveLaborContract({ ...record, receivedOffers: [...record.receivedOffers, ...added] });
  } catch {
    // Locked meanwhile: the offer is listed again next time.
  }
}
