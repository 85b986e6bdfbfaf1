import { credentialTypeInfo } from '@citycred/credentials/catalogue';
import type { SharingRecord, Vault } from '@citycred/wallet-core';
import { useLanguage, useMessages } from '@citycred/web-ui';
import { useEffect, useState, type ReactNode } from 'react';
import { claimName } from '../claims.js';
import { TEXTS } from '../texts.js';
import { ConfirmButton } from '../screens/ConfirmButton.js';
import { catalogueNameOf, flowErrorText } from './protocol.js';
import { FLOW_TEXTS } from './texts.js';

/** A moment as the history shows it: date and time in Seoul, in the page's language. */
function momentText(at: string, lang: 'ko' | 'en'): string {
  return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Seoul' }).format(new Date(at));
}

/** A shared credential's type as the history names it: the catalogue's label, else the type's last path segment. */
function typeLabel(type: string, lang: 'ko' | 'en'): string {
  const name = catalogueNameOf(type);
  return name ? credentialTypeInfo(name).labels[lang] : (type.split('/').at(-1) ?? type);
}

/** The sharing history (in the vault, encrypted, on this device only): what went to whom and when, and a clear button. */
export function History({ vault }: { vault: Vault }): ReactNode {
  const t = useMessages(TEXTS);
  const f = useMessages(FLOW_TEXTS);
  const { lang } = useLanguage();
  const [entries, setEntries] = useState<SharingRecord[]>();
  const [notice, setNotice] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    vault
      .sharingHistory()
      .then(setEntries)
      .catch((caught: unknown) => setError(flowErrorText(caught, lang, t)));
  }, [vault, lang, t]);

  async function clear(): Promise<void> {
    try {
      await vault.clearSharingHistory();
      setEntries([]);
      setNotice(f.historyCleared);
    } catch (caught) {
      setError(flowErrorText(caught, lang, t));
    }
  }

  const outcome = { sent: f.outcomeSent, declined: f.outcomeDeclined, failed: f.outcomeFailed } as const;
  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">{f.historyTitle}</h1>
      <p className="hint">{f.historyHint}</p>
      <p role="status" className="notice" hidden={!notice}>
        {notice}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {entries?.length === 0 && <p className="empty">{f.historyEmpty}</p>}
      {entries && entries.length > 0 && (
        <>
          <ul className="history">
            {entries.map((entry) => (
              <li key={entry.id} className="panel" data-outcome={entry.outcome}>
                <p className="history-head">
                  <strong>{outcome[entry.outcome]}</strong> · {entry.channel === 'oid4vp' ? f.channelOid4vp : f.channelScan} · <time dateTime={entry.at}>{momentText(entry.at, lang)}</time>
                </p>
                <p className="did">{entry.verifier}</p>
                {entry.purpose && (
                  <p>
                    {f.purpose}: {entry.purpose}
                  </p>
                )}
                {entry.shared.map((item) => (
                  <p key={item.credentialId} className="history-claims">
                    {typeLabel(item.type, lang)}: {item.claims.map((claim) => (claim === '*' ? f.wholeCredential : claimName(catalogueNameOf(item.type), [claim], lang))).join(', ')}
                  </p>
                ))}
              </li>
            ))}
          </ul>
          <ConfirmButton
            label={f.clearHistory}
            question={f.clearHistoryConfirm}
            questionId="clear-question"
            confirmLabel={f.clearHistory}
            onConfirm={clear}
            buttonId="clear-history"
          />
        </>
      )}
    </section>
  );
}
