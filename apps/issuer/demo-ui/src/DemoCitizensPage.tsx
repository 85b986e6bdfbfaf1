import { fill, LanguageSwitch, QrSvg, useDocumentTitle, useLanguage, useMessages, WALLET_TAB } from '@citycred/web-ui';
import { useEffect, useState, type ReactNode } from 'react';
import { demoApi, ProblemError, type DemoCitizen, type DemoCitizenList, type DemoOffers } from './api.js';
import { TEXTS, type Texts } from './texts.js';

/**
 * What one citizen's card is doing: nothing, making offers (to open the wallet, or to show QR codes), the wallet opened
 * in its tab, or done.
 */
type Action =
  | { readonly kind: 'idle' }
  | { readonly kind: 'making'; readonly then: 'wallet' | 'qr' }
  | { readonly kind: 'opening' }
  | { readonly kind: 'opened' }
  | { readonly kind: 'shown'; readonly offers: DemoOffers }
  | { readonly kind: 'failed'; readonly error: unknown };

/** The page's wording of a refusal, by the problem's stable code (never its English detail). */
function errorText(t: Texts, error: unknown): string {
  if (error instanceof ProblemError) {
    if (error.code === 'demo.citizen-not-found') return t.errors.notFound;
    if (error.status === 429) return t.errors.rateLimited;
    if (error.status === 503) return t.errors.unavailable;
    return fill(t.errors.offer, { code: error.code ?? String(error.status) });
  }
  return t.errors.unavailable;
}

function outcomeText(t: Texts, outcome: string): string {
  return t.outcomes[outcome] ?? fill(t.failsOther, { criterion: outcome });
}

/**
 * Opens a same-device wallet link in the wallet's tab ({@link WALLET_TAB}, shared with the application pages): the
 * demo page stays in this tab, and the application page, opened here afterwards, finds the wallet tab — still
 * unlocked — by its name. Not `noopener`: a `noopener` tab is out of reach of every later link by name (the browser
 * looks names up only among tabs related by opening), so the application page would open a second, locked wallet.
 * Where the browser refuses the new tab (a popup blocker), the wallet opens in this tab instead.
 * @returns whether the wallet opened in its own tab
 */
function openWallet(link: string): boolean {
  if (window.open(link, WALLET_TAB)) return true;
  window.location.assign(link);
  return false;
}

/**
 * The embedded demo's citizens: who they are and what each should be granted or refused, and per citizen a button that
 * has every agency offer them their credentials and opens the citizen wallet on this device to receive them all
 * (`<wallet>/#receive?offer=…`, in the wallet's tab {@link WALLET_TAB}), or shows each offer as a QR code for a
 * phone's wallet.
 */
export function DemoCitizensPage(): ReactNode {
  const t = useMessages(TEXTS);
  useDocumentTitle(t.title);
  const [list, setList] = useState<DemoCitizenList | undefined>();
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    demoApi.citizens().then(setList, () => setFailed(true));
  }, []);

  return (
    <>
      <header>
        <p className="brand">서울특별시 CityCred</p>
        <LanguageSwitch />
      </header>
      <main>
        <h1>{t.title}</h1>
        <p>{t.intro}</p>
        <p className="hint">{t.applyHint}</p>
        {failed ? (
          <p className="error" role="alert">
            {t.errors.list}
          </p>
        ) : !list ? (
          <p aria-live="polite">{t.loading}</p>
        ) : (
          <ul className="citizens">
            {list.citizens.map((citizen) => (
              <CitizenCard key={citizen.id} citizen={citizen} walletUrl={list.walletUrl} />
            ))}
          </ul>
        )}
      </main>
    </>
  );
}

function CitizenCard({ citizen, walletUrl }: { citizen: DemoCitizen; walletUrl: string | null }): ReactNode {
  const t = useMessages(TEXTS);
  const { lang } = useLanguage();
  const [action, setAction] = useState<Action>({ kind: 'idle' });
  const busy = action.kind === 'making' || action.kind === 'opening';

  const makeOffers = (then: 'wallet' | 'qr') => {
    setAction({ kind: 'making', then });
    demoApi.offers(citizen.id).then(
      (offers) => {
        if (then === 'wallet' && offers.walletLink) {
          setAction({ kind: 'opening' });
          if (openWallet(offers.walletLink)) setAction({ kind: 'opened' });
        } else {
          setAction({ kind: 'shown', offers });
        }
      },
      (error: unknown) => setAction({ kind: 'failed', error }),
    );
  };

  const outcomeClass = (outcome: string) => (outcome === 'eligible' ? 'outcome eligible' : 'outcome refused');
  return (
    <li className="citizen" data-citizen={citizen.id}>
      <h2>
        {lang === 'ko' ? citizen.name : citizen.nameEn} <span className="age">{fill(t.age, { age: citizen.age })}</span>
      </h2>
      <p>{citizen.summary[lang]}</p>
      <dl>
        <dt>{t.youthAllowance}</dt>
        <dd className={outcomeClass(citizen.youthAllowance)} data-outcome={citizen.youthAllowance}>
          {outcomeText(t, citizen.youthAllowance)}
        </dd>
        {citizen.youthRentSupport !== undefined && (
          <>
            <dt>{t.youthRentSupport}</dt>
            <dd className={outcomeClass(citizen.youthRentSupport)}>{outcomeText(t, citizen.youthRentSupport)}</dd>
          </>
        )}
        <dt>{t.credentials}</dt>
        <dd>{citizen.credentials.map((credential) => credential.labels[lang]).join(' · ')}</dd>
      </dl>
      <div className="actions">
        <button type="button" className="primary" disabled={busy} onClick={() => makeOffers('wallet')}>
          {t.receiveAll}
        </button>
        <button type="button" disabled={busy} onClick={() => makeOffers('qr')}>
          {t.showQr}
        </button>
      </div>
      {action.kind === 'making' && <p aria-live="polite">{t.making}</p>}
      {action.kind === 'opening' && <p aria-live="polite">{t.opening}</p>}
      {action.kind === 'opened' && (
        <p className="hint opened" aria-live="polite">
          {t.opened}
        </p>
      )}
      {action.kind === 'failed' && (
        <p className="error" role="alert">
          {errorText(t, action.error)}
        </p>
      )}
      {action.kind === 'shown' && <OfferCodes offers={action.offers} walletUrl={walletUrl} onClose={() => setAction({ kind: 'idle' })} />}
    </li>
  );
}

function OfferCodes({ offers, walletUrl, onClose }: { offers: DemoOffers; walletUrl: string | null; onClose(): void }): ReactNode {
  const t = useMessages(TEXTS);
  const { lang } = useLanguage();
  const time = (iso: string) => new Date(iso).toLocaleTimeString(lang === 'ko' ? 'ko-KR' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
  return (
    <section className="offers" aria-label={t.showQr}>
      <p>{walletUrl ? t.qrIntro : t.noWallet}</p>
      <ol>
        {offers.offers.map((offer) => (
          <li key={offer.offerId} className="offer">
            <h3>{offer.labels[lang]}</h3>
            <QrSvg text={offer.credential_offer_link} label={offer.labels[lang]} level="L" />
            <p className="expires">{fill(t.expires, { time: time(offer.expiresAt) })}</p>
          </li>
        ))}
      </ol>
      <div className="actions">
        {offers.walletLink && (
          <a className="button primary" href={offers.walletLink} target={WALLET_TAB}>
            {t.openWallet}
          </a>
        )}
        <button type="button" onClick={onClose}>
          {t.close}
        </button>
      </div>
    </section>
  );
}
