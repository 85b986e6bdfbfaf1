import { claimLabel, type ClaimPath } from '@citycred/credentials/claim-labels';
import { contractFromCredentialSubject, contractHash } from '@citycred/labor';
import type { HolderKey, LaborContractRecord, Vault } from '@citycred/wallet-core';
import { useLanguage, useMessages, type Lang } from '@citycred/web-ui';
import { useEffect, useState, type ReactNode } from 'react';
import { claimValueText } from '../claims.js';
import { errorText } from '../errors.js';
import { CardStatus } from '../flows/CardStatus.js';
import { LaborRecords } from '../flows/LaborRecords.js';
import { LABOR_TEXTS } from '../flows/labor-texts.js';
import { formatDate } from '../format.js';
import { TEXTS, type Texts } from '../texts.js';
import { cardTitle, cardView, validityText, type CardView } from '../views.js';
import { ConfirmButton } from './ConfirmButton.js';

/**
 * The labour contract this wallet signed that a LaborContract card carries: the one whose hash is the hash of the
 * card's document (`contractFromCredentialSubject`), else the one of its contract id and version.
 */
async function laborRecordOf(vault: Vault, card: CardView | undefined): Promise<LaborContractRecord | undefined> {
  if (!card?.ok || !card.view.typeName.endsWith('LaborContract')) return undefined;
  const claims = card.view.decoded.claims;
  let hash = '';
  try {
    hash = contractHash(contractFromCredentialSubject(claims));
  } catch {
    hash = '';
  }
  const records = await vault.laborContracts();
  return records.find((record) => record.hash === hash) ?? records.find((record) => record.contractId === claims['contractId'] && record.version === claims['version']);
}

/**
 * One credential: its claims (by their labels, values in words), its details, and delete with a confirmation. A
 * LaborContract card also shows the contract's work records ({@link LaborRecords}) when this wallet signed it.
 */
export function CardDetail({
  vault,
  holder,
  id,
  onBack,
  onDeleted,
  onReceive,
}: {
  vault: Vault;
  holder: HolderKey | undefined;
  id: string;
  onBack: () => void;
  onDeleted: () => void;
  onReceive?: (links: readonly string[], recordId: string) => void;
}): ReactNode {
  const t = useMessages(TEXTS);
  const l = useMessages(LABOR_TEXTS);
  const { lang } = useLanguage();
  const [card, setCard] = useState<CardView>();
  const [labor, setLabor] = useState<LaborContractRecord | 'none'>();
  const [error, setError] = useState('');

  useEffect(() => {
    vault
      .credential(id)
      .then((record) => setCard(cardView(record, holder)))
      .catch((caught: unknown) => setError(errorText(caught, t)));
  }, [vault, holder, id, t]);

  const laborCard = card?.ok === true && card.view.typeName.endsWith('LaborContract');
  useEffect(() => {
    if (!laborCard) return;
    laborRecordOf(vault, card)
      .then((record) => setLabor(record ?? 'none'))
      .catch(() => setLabor('none'));
  }, [vault, card, laborCard]);

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
          {labor === 'none' && <p className="hint">{l.noRecord}</p>}
          {labor !== undefined && labor !== 'none' && <LaborRecords vault={vault} holder={holder} recordId={labor.id} onReceive={(links, recordId) => onReceive?.(links, recordId)} />}
          <h2>{t.claims}</h2>
          <Claims value={card.view.decoded.claims} type={card.view.typeName} lang={lang} t={t} />
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

/**
 * A credential's claims as a description list, nested objects as nested lists, each claim by its catalogue label (its
 * own name for a type the catalogue does not know) and each value as a person reads it.
 */
function Claims({ value, type, path = [], lang, t }: { value: Readonly<Record<string, unknown>>; type: string; path?: ClaimPath; lang: Lang; t: Texts }): ReactNode {
  return (
    <dl className="claims">
      {Object.entries(value).map(([name, claim]) => (
        <div key={name} className="claim" data-claim={[...path, name].join('.')}>
          <dt>{claimLabel(type, [...path, name])?.[lang] ?? name}</dt>
          <dd>{claimContent(claim, type, [...path, name], lang, t)}</dd>
        </div>
      ))}
    </dl>
  );
}

function claimContent(claim: unknown, type: string, path: ClaimPath, lang: Lang, t: Texts): ReactNode {
  if (Array.isArray(claim) && claim.length > 0) {
    return claim.every((item) => typeof item !== 'object' || item === null)
      ? claim.map((item) => claimValueText(type, path, item, lang, t)).join(', ')
      : claim.map((item, index) => <Claims key={index} value={typeof item === 'object' && item !== null ? item : { [String(index + 1)]: item }} type={type} path={path} lang={lang} t={t} />);
  }
  if (typeof claim === 'object' && claim !== null && !Array.isArray(claim)) return <Claims value={claim as Record<string, unknown>} type={type} path={path} lang={lang} t={t} />;
  return claimValueText(type, path, claim, lang, t);
}
