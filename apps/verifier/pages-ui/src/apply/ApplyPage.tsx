// A benefit program's application page (docs/youth-allowance.md, "The application page"): one page for every program,
// reading what to show from GET /apply/api/{page}. "신청하기" makes an application (an OpenID4VP request for the
// program's policy) and shows its QR code and a link into the wallet on this device; the page polls the application
// until the wallet answered or the request expired, then shows the decision criterion by criterion — the reasons the
// policy wrote, never a claim (the verifier keeps none) — with the signed receipt to download, and, when eligible,
// the eligibility credential's offer with its transaction code.
import { fill, useDocumentTitle, useLanguage, useMessages, WALLET_TAB, type Lang } from '@citycred/web-ui';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { CityPage } from '../CityPage.js';
import { QrCode } from '../QrCode.js';
import { failureOf, pageSlugOf, readApplication, readOffer, readProgramPage, won, type ApplicationState, type ClosedReason, type Failure, type ProgramPage, type ShownOffer } from './application.js';
import { APPLY_TEXTS, type ApplyTexts } from './texts.js';

/** How often the page asks for the application's state while the wallet has not answered. */
const POLL_MS = 1_500;
/** How many polls in a row may fail (no answer) before the page says it lost the result. */
const POLL_FAILURES = 5;
/** How many times the page asks for an offer another request is making before it says so. */
const OFFER_TRIES = 5;

type Decided = Extract<ApplicationState, { state: 'decided' }>;
type OfferView = { phase: 'none' } | { phase: 'offering' } | { phase: 'shown'; offer: ShownOffer } | { phase: 'failed'; failure: Failure };

/** What is on screen once the program is known. */
type View =
  | { phase: 'ready' }
  | { phase: 'creating' }
  | { phase: 'waiting'; id: string; deepLink: string; walletLink: string }
  | { phase: 'decided'; id: string; decision: Decided; offer: OfferView }
  | { phase: 'closed'; reason: ClosedReason }
  | { phase: 'message'; message: 'unavailable' | 'lost' };

async function call(method: 'GET' | 'POST', path: string): Promise<{ status: number | null; json: unknown }> {
  const res = await fetch(path, { method, cache: 'no-store', ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}) }).catch(() => null);
  if (!res) return { status: null, json: null };
  return { status: res.status, json: await res.json().catch(() => null) };
}

/** An instant as the applicant reads it: Seoul time, in the page's language. */
function when(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Seoul' });
}

/** The application page of the program the address names. */
export function ApplyPage(): ReactNode {
  const t = useMessages(APPLY_TEXTS);
  const { lang } = useLanguage();
  const slug = pageSlugOf(location.pathname);
  const [program, setProgram] = useState<ProgramPage | null | Failure>(null);
  const [view, setView] = useState<View>({ phase: 'ready' });
  const attempt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [focusOn, setFocusOn] = useState<{ id: string } | null>(null);
  const api = `/apply/api/${slug ?? ''}`;

  useDocumentTitle(program !== null && typeof program === 'object' ? program.title[lang] : t.loading);
  useEffect(() => {
    if (focusOn) document.getElementById(focusOn.id)?.focus();
  }, [focusOn]);

  useEffect(() => {
    if (slug === null) {
      setProgram('not-found');
      return;
    }
    void call('GET', `/apply/api/${slug}`).then(({ status, json }) => {
      const page = status === 200 ? readProgramPage(json) : null;
      setProgram(page ?? failureOf(status, json));
    });
  }, [slug]);

  /** Ends whatever the page was following: answers still on their way go unheard. */
  const stop = useCallback(() => {
    attempt.current += 1;
    clearTimeout(timer.current);
    return attempt.current;
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);

  const askOffer = async (id: string, decision: Decided, mine: number, tries = 1) => {
    setView({ phase: 'decided', id, decision, offer: { phase: 'offering' } });
    const { status, json } = await call('POST', `${api}/applications/${encodeURIComponent(id)}/eligibility-offer`);
    if (mine !== attempt.current) return;
    const offer = status === 200 ? readOffer(json) : null;
    if (offer) {
      setView({ phase: 'decided', id, decision, offer: { phase: 'shown', offer } });
      return;
    }
    const failure = failureOf(status, json);
    // Another tab or request is making this application's offer: it is shown here once made.
    if (failure === 'in-progress' && tries < OFFER_TRIES) timer.current = setTimeout(() => void askOffer(id, decision, mine, tries + 1), POLL_MS);
    else setView({ phase: 'decided', id, decision, offer: { phase: 'failed', failure } });
  };

  const follow = (id: string, mine: number, failures = 0) => {
    timer.current = setTimeout(async () => {
      const { status, json } = await call('GET', `${api}/applications/${encodeURIComponent(id)}`);
      if (mine !== attempt.current) return;
      const state = status === 200 ? readApplication(json) : null;
      if (state === null || state.state === 'pending') {
        if (state === null && failures + 1 >= POLL_FAILURES) setView({ phase: 'message', message: 'lost' });
        else follow(id, mine, state === null ? failures + 1 : 0);
        return;
      }
      if (state.state === 'closed') {
        setView({ phase: 'closed', reason: state.reason });
        setFocusOn({ id: 'again' });
        return;
      }
      setView({ phase: 'decided', id, decision: state, offer: { phase: 'none' } });
      setFocusOn({ id: 'outcome-title' });
      if (state.offer) await askOffer(id, state, mine);
    }, POLL_MS);
  };

  const apply = async () => {
    const mine = stop();
    setView({ phase: 'creating' });
    const { status, json } = await call('POST', `${api}/applications`);
    if (mine !== attempt.current) return;
    const created = status === 201 && typeof json === 'object' && json !== null ? (json as { id?: unknown; deepLink?: unknown; walletLink?: unknown }) : null;
    if (
      !created ||
      typeof created.id !== 'string' ||
      typeof created.deepLink !== 'string' ||
      !created.deepLink.startsWith('openid4vp://') ||
      typeof created.walletLink !== 'string' ||
      !/^(https?:\/\/|openid4vp:\/\/)/.test(created.walletLink)
    ) {
      setView({ phase: 'message', message: 'unavailable' });
      return;
    }
    setView({ phase: 'waiting', id: created.id, deepLink: created.deepLink, walletLink: created.walletLink });
    setFocusOn({ id: 'wallet-link' });
    follow(created.id, mine);
  };

  const reset = () => {
    stop();
    setView({ phase: 'ready' });
    setFocusOn({ id: 'apply' });
  };

  if (program === null || typeof program === 'string') {
    return (
      <CityPage title={program === null ? t.loading : t.failures[program]} intro="">
        <div id="result" role="status" aria-live="polite" />
      </CityPage>
    );
  }

  const waiting = view.phase === 'waiting';
  return (
    <CityPage title={program.title[lang]} intro={program.purpose[lang]}>
      <section id="program" className="program" hidden={view.phase === 'decided'} aria-labelledby="benefit-title">
        <h2 id="benefit-title">{t.benefitTitle}</h2>
        <p id="benefit" className="benefit">
          {fill(t.benefit, { amount: won(program.benefit.monthlyAmountKrw, lang), months: program.benefit.months })}
        </p>
        <h2>{t.criteriaTitle}</h2>
        <ul id="criteria" className="criteria">
          {program.criteria.map((criterion) => (
            <li key={criterion.id}>{criterion.text[lang]}</li>
          ))}
        </ul>
        <h2>{t.credentialsTitle}</h2>
        <ul id="credentials" className="credentials">
          {program.credentials.map((credential) => (
            <li key={credential.type}>{credential.label[lang]}</li>
          ))}
        </ul>
        <p className="note">{t.credentialsNote}</p>
        <p className="note">{program.eligibility ? fill(t.withEligibility, { credential: program.eligibility.label[lang] }) : t.withReceipt}</p>
      </section>
      <p hidden={view.phase !== 'ready' && view.phase !== 'creating'}>
        <button type="button" id="apply" className="primary" disabled={view.phase === 'creating'} onClick={() => void apply()}>
          {t.apply}
        </button>
      </p>
      <section id="request" className="request" hidden={!waiting} aria-labelledby="request-title">
        <h2 id="request-title">{t.requestTitle}</h2>
        <QrCode id="qr" text={waiting ? view.deepLink : null} label={t.qrLabel} />
        <p>
          <a id="wallet-link" className="wallet-link" href={waiting ? view.walletLink : undefined} target={WALLET_TAB}>
            {t.openWallet}
          </a>
        </p>
        <button type="button" id="cancel" className="secondary" onClick={reset}>
          {t.cancel}
        </button>
      </section>
      <div id="result" role="status" aria-live="polite">
        {(view.phase === 'creating' || view.phase === 'waiting') && <p className="message">{t[view.phase]}</p>}
        {view.phase === 'message' && <p className="message">{view.message === 'lost' ? t.lost : t.failures.unavailable}</p>}
        {view.phase === 'closed' && <p className="message">{t.closed[view.reason]}</p>}
        {view.phase === 'decided' && <Decision id={view.id} decision={view.decision} api={api} t={t} lang={lang} />}
      </div>
      {view.phase === 'decided' && view.offer.phase !== 'none' && (
        <OfferPanel offer={view.offer} credential={program.eligibility?.label[lang] ?? ''} t={t} lang={lang} onRetry={() => void askOffer(view.id, view.decision, attempt.current)} />
      )}
      <p hidden={view.phase !== 'closed' && view.phase !== 'message'}>
        <button type="button" id="again" className="primary" onClick={() => void apply()}>
          {t.again}
        </button>
      </p>
    </CityPage>
  );
}

/** The decision: eligible or not, every criterion with its reason, the failed ones named again, and the receipt. */
function Decision({ id, decision, api, t, lang }: { id: string; decision: Decided; api: string; t: ApplyTexts; lang: Lang }): ReactNode {
  const kind = decision.eligible ? 'eligible' : 'not-eligible';
  const failed = decision.criteria.filter((criterion) => !criterion.passed);
  return (
    <section id="outcome" className={`outcome outcome-${kind}`} data-outcome={kind} aria-labelledby="outcome-title">
      <h2 id="outcome-title" tabIndex={-1}>
        {decision.eligible ? t.eligible : t.notEligible}
      </h2>
      <ul id="decision-criteria">
        {decision.criteria.map((criterion) => (
          <li key={criterion.id} className={criterion.passed ? 'criterion-passed' : 'criterion-failed'} data-criterion={criterion.id}>
            <span className="mark" aria-hidden="true">
              {criterion.passed ? '✓' : '✗'}
            </span>
            <span className="visually-hidden">{criterion.passed ? t.passed : t.failed}</span>
            <span className="reason">{criterion.reason[lang]}</span>
          </li>
        ))}
      </ul>
      {failed.length > 0 && (
        <div id="failed" className="failed">
          <h3>{t.failedTitle}</h3>
          <ul>
            {failed.map((criterion) => (
              <li key={criterion.id}>{criterion.reason[lang]}</li>
            ))}
          </ul>
        </div>
      )}
      {decision.receipt && (
        <p className="receipt">
          <a id="receipt" className="receipt-link" href={`${api}/applications/${encodeURIComponent(id)}/receipt`} download>
            {t.receipt}
          </a>
          <span className="receipt-note">{decision.eligible ? t.receiptNoteEligible : t.receiptNote}</span>
        </p>
      )}
    </section>
  );
}

/**
 * The eligibility credential's offer: its QR code, the link into the wallet on this device and the transaction code
 * while the offer is live; once it expired (the page left open), that it did, and 새로 받기, which asks again — the
 * verifier then makes a new offer unless the first was redeemed.
 */
function OfferPanel({ offer, credential, t, lang, onRetry }: { offer: OfferView; credential: string; t: ApplyTexts; lang: Lang; onRetry: () => void }): ReactNode {
  const expiresAt = offer.phase === 'shown' ? offer.offer.expiresAt : null;
  const [expired, setExpired] = useState(false);
  useEffect(() => {
    if (expiresAt === null) return;
    const left = new Date(expiresAt).getTime() - Date.now();
    setExpired(left <= 0);
    if (left <= 0) return;
    const timer = setTimeout(() => setExpired(true), Math.min(left, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [expiresAt]);
  return (
    <section id="offer" className="request offer" aria-labelledby="offer-title" aria-live="polite">
      <h2 id="offer-title">{fill(t.offerTitle, { credential })}</h2>
      {offer.phase === 'offering' && <p className="message">{t.offering}</p>}
      {offer.phase === 'failed' && (
        <>
          <p id="offer-problem" className={offer.failure === 'received' ? 'message' : 'message warning'}>
            {t.failures[offer.failure]}
          </p>
          {offer.failure !== 'issuer-not-configured' && offer.failure !== 'received' && (
            <button type="button" id="offer-retry" className="secondary" onClick={onRetry}>
              {t.retry}
            </button>
          )}
        </>
      )}
      {offer.phase === 'shown' && !expired && (
        <>
          <QrCode id="offer-qr" text={offer.offer.offerLink} label={t.offerQrLabel} />
          <p>
            <a id="offer-link" className="wallet-link" href={offer.offer.walletLink} target={WALLET_TAB}>
              {t.offerWallet}
            </a>
          </p>
          {offer.offer.txCode !== null && (
            <p className="tx-code">
              {t.txCode}: <strong id="tx-code">{offer.offer.txCode}</strong>
              <span className="note">{t.txCodeNote}</span>
            </p>
          )}
          <p id="offer-expiry" className="note">
            {fill(t.offerExpires, { time: when(offer.offer.expiresAt, lang) })}
          </p>
        </>
      )}
      {offer.phase === 'shown' && expired && (
        <>
          <p id="offer-expiry" className="message">
            {fill(t.offerExpired, { time: when(offer.offer.expiresAt, lang) })}
          </p>
          <button type="button" id="offer-again" className="secondary" onClick={onRetry}>
            {t.offerAgain}
          </button>
        </>
      )}
    </section>
  );
}
