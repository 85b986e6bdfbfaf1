import type { HolderKey, Vault } from '@citycred/wallet-core';
import { useLanguage, useMessages } from '@citycred/web-ui';
import { useEffect, useState, type ReactNode } from 'react';
import { errorText } from '../errors.js';
import { FLOW_TEXTS } from '../flows/texts.js';
import { TEXTS } from '../texts.js';
import { cardTitle, cardView, validityText, type CardView } from '../views.js';

/** The card's last known status when it stops the card from being used (revoked or suspended), else undefined. */
function stoppedStatus(card: CardView): 'revoked' | 'suspended' | undefined {
  const state = card.ok ? card.view.record.status?.state : undefined;
  return state === 'revoked' || state === 'suspended' ? state : undefined;
}

/**
 * The card list: one card per credential (type label from the catalogue, issuer DID, validity, a note when it is bound
 * to another device's key, a badge when its last known status is revoked or suspended), the empty state, and the
 * Receive, Present and Show QR actions. Read again when `statusRound` changes (the statuses were refreshed).
 */
export function CardList({
  vault,
  holder,
  statusRound = 0,
  onOpen,
  onReceive,
  onPresent,
  onShowQr,
}: {
  vault: Vault;
  holder: HolderKey | undefined;
  statusRound?: number;
  onOpen: (id: string) => void;
  onReceive: () => void;
  onPresent: () => void;
  onShowQr: () => void;
}): ReactNode {
  const t = useMessages(TEXTS);
  const f = useMessages(FLOW_TEXTS);
  const { lang } = useLanguage();
  const [cards, setCards] = useState<CardView[]>();
  const [error, setError] = useState('');

  useEffect(() => {
    vault
      .credentials()
      .then((records) => setCards(records.map((record) => cardView(record, holder))))
      .catch((caught: unknown) => setError(errorText(caught, t)));
  }, [vault, holder, t, statusRound]);

  return (
    <section aria-labelledby="cards-title">
      <h1 id="cards-title">{t.cardsTitle}</h1>
      <div className="actions">
        <button type="button" className="secondary" id="receive" onClick={onReceive}>
          {t.receive}
        </button>
        <button type="button" className="secondary" id="present" onClick={onPresent}>
          {t.present}
        </button>
        <button type="button" className="secondary" id="show-qr" onClick={onShowQr}>
          {f.showQr}
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {cards?.length === 0 && (
        <div className="empty">
          <p className="empty-title">{t.empty}</p>
          <p>{t.emptyHint}</p>
        </div>
      )}
      {cards && cards.length > 0 && (
        <ul className="cards">
          {cards.map((card) => {
            const id = card.ok ? card.view.record.id : card.record.id;
            const stopped = stoppedStatus(card);
            return (
              <li key={id}>
                <button type="button" className={`card${card.ok && card.view.expired ? ' card-expired' : ''}${stopped ? ' card-stopped' : ''}`} onClick={() => onOpen(id)}>
                  <span className="card-title">{cardTitle(card, lang, t)}</span>
                  {stopped && (
                    <span className={`card-badge status-${stopped}`} data-status={stopped}>
                      {stopped === 'revoked' ? f.statusRevoked : f.statusSuspended}
                    </span>
                  )}
                  {card.ok && (
                    <>
                      <span className="card-line">
                        {t.issuer}: <span className="did">{card.view.decoded.issuer}</span>
                      </span>
                      <span className="card-line">{validityText(card.view, lang, t)}</span>
                      {card.view.binding === 'other-key' && <span className="card-warning">{t.otherKey}</span>}
                    </>
                  )}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
