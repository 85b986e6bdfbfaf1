import type { Lang } from '@citycred/web-ui';

/** A date as the wallet shows it: in Seoul's time zone, medium length, in the page's language. */
export function formatDate(date: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeZone: 'Asia/Seoul' }).format(date);
}

/** A moment as the wallet shows it: date and time in Seoul's time zone, in the page's language. */
export function formatMoment(date: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Seoul' }).format(date);
}

/** Seconds left until `at`, rounded up, never below zero. */
export function secondsUntil(at: Date, now: Date = new Date()): number {
  return Math.max(0, Math.ceil((at.getTime() - now.getTime()) / 1000));
}
