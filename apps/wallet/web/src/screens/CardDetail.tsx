import type { HolderKey, Vault } from '@citycred/wallet-core';
import { useLanguage, useMessages, type Lang } from '@citycred/web-ui';
import { useEffect, useState, type ReactNode } from 'react';
import { errorText } from '../errors.js';
import { CardStatus } from '../flows/CardStatus.js';
import { formatDate } from '../format.js';
import { TEXTS, type Texts } from '../texts.js';
import { cardTitle, cardView, validityText, type CardView } from '../views.js';
import { ConfirmButton } from './ConfirmButton.js';

/** One credential: its claims as the credential states them, its details, and delete with a confirmation. */
export function CardDetail({ vault, holder, id, onBack, onDeleted }: { vault: Vault; holder: HolderKey | undefined; id: string; onBack: () => void; onDeleted: () => void }): ReactNode {
  const t = useMessages(TEXTS);
  const { lang } = useLanguage();
  const [card, setCard] = useState<CardView>();
  const [error, setError] = useState('');

  useEffect(() => {
    vault
      .credential(id)
      .then((record) => setCard(cardView(record, holder)))
      .catch((caught: unknown) => setError(errorText(caught, t)));
  }, [vault, holder, id, t]);

  async function remove(): Promise<void> {
    try {
      await vault.deleteCredential(id);
      onDeleted();
    } catch (caught) {
      setError(errorText(caught, t));
    }
  }

  return (
    <section aria-labelledby="card-title">
      <button type="button" className="link" onClick={onBack}>
        ← {t.back}
      </button>
      <h1 id="card-title">{card ? cardTitle(card, lang, t) : ''}</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {card?.ok && (
        <>
          {card.view.binding === 'other-key' && <p className="card-warning">{t.otherKey}</p>}
          <p>{validityText(card.view, lang, t)}</p>
          <CardStatus vault={vault} record={card.view.record} onSaved={(record) => setCard(cardView(record, holder))} />
          <h2>{t.claims}</h2>
          <Claims value={card.view.decoded.claims} lang={lang} t={t} />
          <h2>{t.details}</h2>
          <dl className="claims">
            <dt>{t.issuer}</dt>
            <dd className="did">{card.view.decoded.issuer}</dd>
            <dt>{t.format}</dt>
            <dd>{card.view.record.format}</dd>
            <dt>{t.receivedAt}</dt>
            <dd>{formatDate(new Date(card.view.record.receivedAt), lang)}</dd>
            {card.view.decoded.validFrom && (
              <>
                <dt>{t.validFrom}</dt>
                <dd>{formatDate(card.view.decoded.validFrom, lang)}</dd>
              </>
            )}
            {card.view.decoded.validUntil && (
              <>
                <dt>{t.validUntilLabel}</dt>
                <dd>{formatDate(card.view.decoded.validUntil, lang)}</dd>
              </>
            )}
          </dl>
        </>
      )}
      {card && (
        <div className="panel">
          <ConfirmButton label={t.deleteCredential} question={t.deleteConfirm} questionId="delete-question" confirmLabel={t.deleteYes} onConfirm={remove} />
        </div>
      )}
    </section>
  );
}

/** A credential's claims as a description list, nested objects as nested lists. */
function Claims({ value, lang, t }: { value: Readonly<Record<string, unknown>>; lang: Lang; t: Texts }): ReactNode {
  return (
    <dl className="claims">
      {Object.entries(value).map(([name, claim]) => (
        <div key={name} className="claim">
          <dt>{name}</dt>
          <dd>{claimText(claim, lang, t)}</dd>
        </div>
      ))}
    </dl>
  );
}

function claimText(claim: unknown, lang: Lang, t: Texts): ReactNode {
  if (typeof claim === 'boolean') return claim ? t.yes : t.no;
  if (Array.isArray(claim)) return claim.map((item) => (typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item))).join(', ');
  if (typeof claim === 'object' && claim !== null) return <Claims value={claim as Record<string, unknown>} lang={lang} t={t} />;
  return String(claim);
}
