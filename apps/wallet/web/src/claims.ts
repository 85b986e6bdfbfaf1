import { claimLabel, claimPathLabel, claimValueLabel, type ClaimPath } from '@citycred/credentials/claim-labels';
import type { Lang } from '@citycred/web-ui';
import { formatDate, formatMoment } from './format.js';
import type { Texts } from './texts.js';

/**
 * A claim's name as the citizen reads it: the catalogue's label in `lang` (`만 18세 이상`, `Residence › City or
 * province` for a path), else the claim's own name (a credential of another vendor's type).
 * @param type - the card's catalogue type name (`CredentialView.typeName`), or its type as the credential states it
 */
export function claimName(type: string | undefined, path: ClaimPath, lang: Lang): string {
  return claimPathLabel(type, path, lang);
}

/**
 * A claim's value as the citizen reads it (not for an object or a non-empty array, which are listed claim by claim):
 * 예 / 아니요 (Yes / No), a date of the catalogue in the wallet's date format, the words of an enumerated value, else
 * the value itself.
 */
export function claimValueText(type: string | undefined, path: ClaimPath, value: unknown, lang: Lang, t: Texts): string {
  if (typeof value === 'boolean') return value ? t.yes : t.no;
  const kind = claimLabel(type, path)?.value;
  if (kind !== undefined && typeof value === 'string') {
    const date = new Date(kind === 'date' ? `${value}T00:00:00+09:00` : value);
    if (!Number.isNaN(date.getTime())) return kind === 'date' ? formatDate(date, lang) : formatMoment(date, lang);
  }
  const words = claimValueLabel(type, path, value, lang);
  if (words !== undefined) return words;
  if (Array.isArray(value) && value.length === 0) return '—';
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
