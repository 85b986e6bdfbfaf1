import { viewCredential, type CredentialView, type HolderKey, type WalletCredential } from '@citycred/wallet-core';
import { fill, type Lang } from '@citycred/web-ui';
import { formatDate } from './format.js';
import type { Texts } from './texts.js';

/** A stored credential read for display, or the record alone when its bytes no longer decode. */
export type CardView = { readonly ok: true; readonly view: CredentialView } | { readonly ok: false; readonly record: WalletCredential };

/** Reads a credential for display through `@citycred/formats` (via the wallet core); never throws. */
export function cardView(record: WalletCredential, holder: HolderKey | undefined, now: Date = new Date()): CardView {
  try {
    return { ok: true, view: viewCredential(record, holder, now) };
  } catch {
    return { ok: false, record };
  }
}

/** The card's title: the catalogue's label in the page's language, else the type as the credential names it. */
export function cardTitle(card: CardView, lang: Lang, t: Texts): string {
  if (!card.ok) return t.unreadable;
  return card.view.labels?.[lang] ?? card.view.typeName;
}

/** The card's validity line. */
export function validityText(view: CredentialView, lang: Lang, t: Texts): string {
  const { validFrom, validUntil } = view.decoded;
  if (view.notYetValid && validFrom) return fill(t.notYetValid, { date: formatDate(validFrom, lang) });
  if (!validUntil) return t.noExpiry;
  return fill(view.expired ? t.expired : t.validUntil, { date: formatDate(validUntil, lang) });
}
