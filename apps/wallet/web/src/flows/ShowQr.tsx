import { SCAN_QR_REDRAW_SECONDS, scanPresentation, type HolderKey, type ScanPresentation, type Vault, type WalletCredential } from '@citycred/wallet-core';
import { fill, QrSvg, useLanguage, useMessages } from '@citycred/web-ui';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { claimName } from '../claims.js';
import { secondsUntil } from '../format.js';
import { TEXTS } from '../texts.js';
import { cardTitle, cardView, type CardView } from '../views.js';
import { flowErrorText } from './protocol.js';
import { FLOW_TEXTS } from './texts.js';

/** What the wallet's server says (`/settings.json`): the verifier whose employer scanner the codes are for. */
async function scannerUrl(): Promise<string | undefined> {
  const answer = await fetch('/settings.json', { headers: { accept: 'application/json' } });
  if (!answer.ok) return undefined;
  const body = (await answer.json()) as { scannerUrl?: unknown };
  return typeof body.scannerUrl === 'string' ? body.scannerUrl : undefined;
}

type Presentable = { readonly record: WalletCredential; readonly card: Extract<CardView, { ok: true }> };

/**
 * "Show QR" for an employer's scanner (no request before it): choose a card bound to this wallet and, for an SD-JWT VC,
 * the claims to show; the wallet core's `scanPresentation` draws a `citycred-vp:` code for `<scanner>/scan`, good for
 * one scan and 120 s, redrawn every minute while on screen, with a countdown. Each code made goes into the history.
 */
export function ShowQr({ vault, holder, onCancel }: { vault: Vault; holder: HolderKey | undefined; onCancel: () => void }): ReactNode {
  const t = useMessages(TEXTS);
  const f = useMessages(FLOW_TEXTS);
  const { lang } = useLanguage();
  const [scanner, setScanner] = useState<string | null>();
  const [cards, setCards] = useState<Presentable[]>();
  const [cardId, setCardId] = useState('');
  const [claims, setClaims] = useState<string[]>([]);
  const [shown, setShown] = useState<ScanPresentation>();
  const [now, setNow] = useState(() => new Date());
  const [error, setError] = useState('');
  const drawing = useRef(false);

  useEffect(() => {
    scannerUrl()
      .then((url) => setScanner(url ?? null))
      .catch(() => setScanner(null));
    vault
      .credentials()
      .then((records) => {
        const found = records.flatMap((record) => {
          const card = cardView(record, holder);
          return card.ok && card.view.binding === 'this-wallet' ? [{ record, card }] : [];
        });
        setCards(found);
        if (found[0]) setCardId(found[0].record.id);
      })
      .catch((caught: unknown) => setError(flowErrorText(caught, lang, t)));
  }, [vault, holder, lang, t]);

  const chosen = cards?.find((c) => c.record.id === cardId);
  const selective = chosen?.record.format === 'dc+sd-jwt';

  async function draw(): Promise<void> {
    if (!chosen || !holder || !scanner || drawing.current) return;
    drawing.current = true;
    setError('');
    try {
      const code = await scanPresentation(chosen.record, { verifierUrl: scanner, disclose: selective ? claims : [], holder, now: new Date() });
      setShown(code);
      setNow(new Date());
    } catch (caught) {
      setShown(undefined);
      setError(flowErrorText(caught, lang, t));
    } finally {
      drawing.current = false;
    }
  }

  async function make(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (!chosen || !scanner) return;
    if (selective && claims.length === 0) {
      setError(f.chooseAtLeastOne);
      return;
    }
    await draw();
    await vault
      .recordSharing({
        id: globalThis.crypto.randomUUID(),
        at: new Date().toISOString(),
        channel: 'scan-qr',
        verifier: scanner,
        outcome: 'sent',
        shared: [{ credentialId: chosen.record.id, type: chosen.record.type, claims: selective ? claims : ['*'] }],
      })
      .catch(() => undefined);
  }

  // The countdown, and a new code every SCAN_QR_REDRAW_SECONDS while one is shown (a code is good for 120 s).
  useEffect(() => {
    if (!shown) return;
    const timer = setInterval(() => {
      const current = new Date();
      setNow(current);
      if (current.getTime() - shown.issuedAt.getTime() >= SCAN_QR_REDRAW_SECONDS * 1000) void draw();
    }, 1000);
    return () => clearInterval(timer);
    // draw reads the current choice, which cannot change while a code is shown; the timer restarts with each new code.
  }, [shown]);

  const left = shown ? secondsUntil(shown.expiresAt, now) : 0;
  return (
    <section aria-labelledby="show-qr-title">
      <button type="button" className="link" onClick={onCancel}>
        ← {t.back}
      </button>
      <h1 id="show-qr-title">{f.showQrTitle}</h1>
      {scanner === null && <p className="error">{f.noScanner}</p>}
      {cards?.length === 0 && <p className="notice">{f.noPresentable}</p>}
      {shown && left > 0 ? (
        <div className="panel qr-panel">
          <p>{fill(f.qrFor, { verifier: scanner ? new URL(scanner).host : '' })}</p>
          <QrSvg text={shown.text} label={f.qrLabel} level="L" id="scan-qr" />
          <p role="timer" aria-live="off" id="scan-qr-countdown">
            {fill(f.qrExpiresIn, { seconds: String(left) })}
          </p>
          <button type="button" className="secondary" onClick={() => setShown(undefined)}>
            {f.cancel}
          </button>
        </div>
      ) : (
        scanner &&
        chosen && (
          <form className="panel" onSubmit={(event) => void make(event)}>
            <p className="hint">{f.showQrHint}</p>
            {shown && <p className="notice">{f.qrExpired}</p>}
            <label htmlFor="scan-card">{f.chooseCard}</label>
            <select
              id="scan-card"
              value={cardId}
              onChange={(event) => {
                setCardId(event.target.value);
                setClaims([]);
              }}
            >
              {cards!.map((c) => (
                <option key={c.record.id} value={c.record.id}>
                  {cardTitle(c.card, lang, t)}
                </option>
              ))}
            </select>
            {selective ? (
              <fieldset>
                <legend>{f.chooseClaims}</legend>
                {Object.keys(chosen.card.view.decoded.claims).map((name) => (
                  <label key={name} className="choice">
                    <input
                      type="checkbox"
                      checked={claims.includes(name)}
                      onChange={(event) => setClaims(event.target.checked ? [...claims, name] : claims.filter((c) => c !== name))}
                    />
                    {claimName(chosen.card.view.typeName, [name], lang)}
                  </label>
                ))}
              </fieldset>
            ) : (
              <p>{f.wholeCredential}</p>
            )}
            <button type="submit" className="primary" disabled={!holder}>
              {shown ? f.newQr : f.makeQr}
            </button>
          </form>
        )
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
