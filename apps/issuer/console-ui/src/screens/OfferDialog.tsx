import { QrSvg } from '@citycred/web-ui';
import { useEffect, useState, type ReactNode } from 'react';
import { api, type Offer } from '../api.js';
import { useI18n } from '../i18n.js';
import { Dialog, ErrorBanner, isSignedOut, Loading, useSession } from '../ui.js';

/** Seconds until `iso`, ticking every second (never below 0). */
export function useSecondsLeft(iso: string | undefined): number | undefined {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!iso) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [iso]);
  if (!iso) return undefined;
  return Math.max(0, Math.floor((new Date(iso).getTime() - now) / 1000));
}

/**
 * An offer as the clerk hands it over: its QR code, the transaction code in large digits (read digit by digit by
 * screen readers), the time left, and the link with a copy button; `actions` are more buttons beside the copy one.
 */
export function OfferDetails({ offer, qrLabel, actions }: { offer: Offer; qrLabel: string; actions?: ReactNode }) {
  const { t, duration } = useI18n();
  const [copied, setCopied] = useState(false);
  const left = useSecondsLeft(offer.expiresAt);
  useEffect(() => setCopied(false), [offer.offerUri]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(offer.offerUri);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  return (
    <div className="offer">
      <p>{t.offer.intro}</p>
      <div className="offer-grid">
        {/* Level M holds an offer URI by reference with room to spare; drawn here, so no image or markup comes from the server. */}
        <QrSvg text={offer.offerUri} label={qrLabel} />
        <div>
          {offer.txCode ? (
            <dl className="tx-code">
              <dt>{t.offer.txCode}</dt>
              <dd className="tx-code-digits">
                <span aria-hidden="true">{offer.txCode}</span>
                {/* Spaced, so a screen reader reads the digits one by one rather than as a number. */}
                <span className="visually-hidden">{offer.txCode.split('').join(' ')}</span>
              </dd>
              <dd className="field-hint">{t.offer.txCodeHint}</dd>
            </dl>
          ) : null}
          <p className="countdown">
            {left === 0 ? (
              <span role="alert">{t.offer.expired}</span>
            ) : (
              <>
                <span>{t.offer.expiresIn}: </span>
                <strong>{left === undefined ? '—' : duration(left)}</strong>
              </>
            )}
          </p>
          <div className="field">
            <label htmlFor="offer-link">{t.offer.link}</label>
            <input id="offer-link" readOnly value={offer.offerUri} onFocus={(e) => e.target.select()} />
          </div>
          <div className="actions">
            <button type="button" className="button secondary" onClick={copy}>
              {t.offer.copy}
            </button>
            {actions}
            <span role="status" className="copied">
              {copied ? t.offer.copied : ''}
            </span>
          </div>
        </div>
      </div>
    </div>
  );
}

/**
 * Creates an OpenID4VCI credential offer for a citizen (POST /console/api/offers) and shows its QR code, the
 * transaction code in large digits and the time left before it expires.
 */
export function OfferDialog({ type, typeLabel, claims, format, onClose }: { type: string; typeLabel: string; claims: unknown; format?: string; onClose(): void }) {
  const { t } = useI18n();
  const { signedOut } = useSession();
  const [offer, setOffer] = useState<Offer | undefined>();
  const [error, setError] = useState<unknown>();
  const [round, setRound] = useState(0);

  useEffect(() => {
    let live = true;
    setOffer(undefined);
    setError(undefined);
    api.offer({ type, claims, format }).then(
      (created) => live && setOffer(created),
      (caught: unknown) => {
        if (!live) return;
        if (isSignedOut(caught)) signedOut();
        else setError(caught);
      },
    );
    return () => {
      live = false;
    };
  }, [type, claims, format, round, signedOut]);

  return (
    <Dialog title={`${t.offer.title}: ${typeLabel}`} onClose={onClose} className="sheet">
      {error ? <ErrorBanner error={error} onRetry={() => setRound((r) => r + 1)} /> : null}
      {!offer && !error ? <Loading /> : null}
      {offer ? (
        <OfferDetails
          offer={offer}
          qrLabel={t.offer.qrAlt(typeLabel)}
          actions={
            <button type="button" className="button secondary" onClick={() => setRound((r) => r + 1)}>
              {t.offer.again}
            </button>
          }
        />
      ) : null}
    </Dialog>
  );
}
