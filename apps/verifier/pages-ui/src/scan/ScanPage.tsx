// The employer scanner (docs/oid4vp.md, "The employer scanner"): the employer picks a credential policy; the page
// either makes an OpenID4VP presentation request on this verifier, shows its QR code and deep link and follows the
// request's event stream, or reads the presentation QR code the worker's wallet shows with the camera and posts it to
// POST /scan/presentations. Either way it shows the decision, green or red, criterion by criterion. It shows nothing
// the decision does not say but what the policy shows (`shown`: for work history, each work experience's employer,
// role, period, total hours and attendance root): the verifier keeps no other disclosed claim.
// Offline (docs/presentations.md, "Offline scanning"): when the POST cannot reach the verifier, the page verifies the
// worker's QR code itself with the bundle it keeps (offline-data.ts); its service worker (/scan/sw.js) keeps the page's
// files, so that the page opens again without network.
import { fill, useDocumentTitle, useLanguage, useMessages, useQrCamera, type CameraProblem, type Lang } from '@citycred/web-ui';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { CityPage } from '../CityPage.js';
import { QrCode } from '../QrCode.js';
import { useOfflineData, type OfflineData } from './offline-data.js';
import { outcomeOf, outcomeOfVerdict, shortHash, type FinalOutcome, type Reason, type WorkRecord } from './outcome.js';
import { SCAN_TEXTS, type ScanTexts } from './texts.js';

/** The policies the employer may choose, as the verifier names them. */
const POLICIES = ['age-over-18', 'age-over-19', 'seoul-resident', 'work-history'] as const;
type Policy = (typeof POLICIES)[number];
/** What a wallet's presentation QR code says first (docs/presentations.md). */
const PRESENTATION_PREFIX = 'citycred-vp:';

type MessageKey = 'unavailable' | 'checkUnavailable' | 'unreadableQr' | 'lost' | 'offlineUnavailable' | 'cameraDenied' | 'cameraMissing' | 'cameraBusy' | 'cameraUnsupported' | 'cameraInterrupted';
const CAMERA_MESSAGES: Record<CameraProblem, MessageKey> = {
  denied: 'cameraDenied',
  'no-camera': 'cameraMissing',
  busy: 'cameraBusy',
  unsupported: 'cameraUnsupported',
  interrupted: 'cameraInterrupted',
};

/** An issuer's name from the offline data: as the city writes it, and in English (null when it has none). */
interface IssuerName {
  ko: string;
  en: string | null;
}

/**
 * An outcome as shown: offline, the verifier module's own reason, the data it was judged with, and who issued each
 * credential whose signature the offline data's keys verified (its name when the data gives one).
 */
type ShownOutcome = FinalOutcome & { refusal?: Reason; offline?: { issuedAt: string; anchoringChecked: boolean }; issuers?: Array<{ did: string; name: IssuerName | null }> };

/**
 * What is on screen: choose, creating, waiting (for the wallet, with the request's QR code and deep link), camera
 * (reading the worker's QR code, with a hint when a wrong one was seen), checking, done (with the outcome) or a message.
 */
type View =
  | { phase: 'choose' }
  | { phase: 'creating' }
  | { phase: 'waiting'; policy: Policy; deepLink: string }
  | { phase: 'camera'; policy: Policy; hint?: 'notPresentation' }
  | { phase: 'checking' }
  | { phase: 'done'; outcome: ShownOutcome }
  | { phase: 'message'; message: MessageKey };

/** An instant as the employer reads it: Seoul time, in the page's language. */
function when(iso: string, lang: Lang): string {
  return new Date(iso).toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Seoul' });
}

/**
 * Has the browser keep the page's files with the page's service worker, so that /scan opens again without network.
 * Its scope is the page's own address, above the script's folder (the verifier allows it with Service-Worker-Allowed).
 * Without service workers (an insecure origin, a browser that has none) the page works as before while it stays open.
 */
function keepPageOffline(): void {
  if (!navigator.serviceWorker) return;
  navigator.serviceWorker.register('/scan/sw.js', { scope: '/scan' }).catch((error: unknown) => {
    console.info('The scanner page will not open offline: its service worker could not be registered.', error);
  });
}

/** The employer scanner. */
export function ScanPage(): ReactNode {
  const t = useMessages(SCAN_TEXTS);
  const { lang } = useLanguage();
  useDocumentTitle(t.title);
  const camera = useQrCamera();
  const offline = useOfflineData();
  const [policy, setPolicy] = useState<Policy>('age-over-19');
  const [view, setView] = useState<View>({ phase: 'choose' });
  /** Makes the answers of an abandoned attempt go unheard. */
  const attempt = useRef(0);
  const source = useRef<EventSource | null>(null);
  const [focusOn, setFocusOn] = useState<{ id: string } | null>(null);

  useEffect(() => {
    if (focusOn) document.getElementById(focusOn.id)?.focus();
  }, [focusOn]);
  useEffect(keepPageOffline, []);

  /** Ends whatever the page was doing (an event stream followed, the camera on): its answers go unheard. */
  const stopCameraNow = camera.stop;
  const stopFollowing = useCallback(() => {
    attempt.current += 1;
    source.current?.close();
    source.current = null;
    stopCameraNow();
    return attempt.current;
  }, [stopCameraNow]);
  useEffect(() => () => source.current?.close(), []);

  const reset = () => {
    stopFollowing();
    setView({ phase: 'choose' });
    setFocusOn({ id: 'start' });
  };

  /** Follows the request's state events until a final state; the browser reconnects by itself while it is pending. */
  const follow = (id: string, mine: number) => {
    const events = new EventSource(`/presentation-requests/${encodeURIComponent(id)}/events`);
    source.current = events;
    events.addEventListener('state', (event) => {
      if (mine !== attempt.current) return;
      let status: unknown;
      try {
        status = JSON.parse((event as MessageEvent<string>).data);
      } catch {
        return;
      }
      const outcome = outcomeOf(status);
      if (!outcome.final) return;
      stopFollowing();
      setView({ phase: 'done', outcome });
      setFocusOn({ id: 'next' });
    });
    events.addEventListener('error', () => {
      if (mine !== attempt.current || events.readyState !== EventSource.CLOSED) return;
      stopFollowing();
      setView({ phase: 'message', message: 'lost' });
    });
  };

  const makeRequest = async (chosen: Policy) => {
    const mine = stopFollowing();
    setView({ phase: 'creating' });
    const res = await fetch('/presentation-requests', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ policy: chosen, purpose: 'employer scan' }),
      cache: 'no-store',
    }).catch(() => null);
    const created = res && res.status === 201 ? ((await res.json().catch(() => null)) as { id?: unknown; deepLink?: unknown } | null) : null;
    if (mine !== attempt.current) return;
    if (typeof created?.id !== 'string' || typeof created.deepLink !== 'string' || !created.deepLink.startsWith('openid4vp://')) {
      setView({ phase: 'message', message: 'unavailable' });
      return;
    }
    setView({ phase: 'waiting', policy: chosen, deepLink: created.deepLink });
    follow(created.id, mine);
  };

  /** Has the verifier check the presentation read from the worker's QR code (or, without network, the kept bundle). */
  const checkPresentation = async (text: string, chosen: Policy, mine: number) => {
    setView({ phase: 'checking' });
    // Without network (the browser says so, or the POST cannot reach the verifier) the offline bundle decides.
    const res =
      navigator.onLine === false
        ? null
        : await fetch('/scan/presentations', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ presentation: text, policy: chosen }),
            cache: 'no-store',
          }).catch(() => null);
    if (!res) {
      const checked = await checkOffline(offline, text, chosen);
      if (mine !== attempt.current) return;
      setView(checked);
      setFocusOn({ id: 'next' });
      return;
    }
    // 200 verified, 400 not (the same members, as problem+json); a 400 without a verdict is a request the verifier could not read.
    const answer = res.status === 200 || res.status === 400 ? ((await res.json().catch(() => null)) as { verified?: unknown } | null) : null;
    if (mine !== attempt.current) return;
    if (!answer || typeof answer.verified !== 'boolean') setView({ phase: 'message', message: res.status === 400 ? 'unreadableQr' : 'checkUnavailable' });
    else setView({ phase: 'done', outcome: outcomeOfVerdict(answer) });
    setFocusOn({ id: 'next' });
  };

  /** Turns the camera on to read the worker's presentation QR code, for `chosen`. */
  const scanWorker = (chosen: Policy) => {
    const mine = stopFollowing();
    setView({ phase: 'camera', policy: chosen });
    camera.start({
      onText(text) {
        if (mine !== attempt.current) return true;
        if (!text.trim().toLowerCase().startsWith(PRESENTATION_PREFIX)) {
          setView((shown) => (shown.phase === 'camera' && shown.hint !== 'notPresentation' ? { ...shown, hint: 'notPresentation' } : shown));
          return false;
        }
        void checkPresentation(text, chosen, mine);
        return true;
      },
      onProblem(problem) {
        if (mine !== attempt.current) return;
        setView({ phase: 'message', message: CAMERA_MESSAGES[problem] });
        setFocusOn({ id: 'next' });
      },
    });
    setFocusOn({ id: 'camera-cancel' });
  };

  const waiting = view.phase === 'waiting';
  const scanning = view.phase === 'camera';
  const done = view.phase === 'done' || view.phase === 'message';
  const asked = (chosen: Policy) => `${t.asked}: ${t[chosen]}`;

  return (
    <CityPage title={t.title} intro={t.intro}>
      <form
        id="choose"
        hidden={waiting || scanning || done || view.phase === 'checking'}
        onSubmit={(event) => {
          event.preventDefault();
          void makeRequest(policy);
        }}
      >
        <fieldset>
          <legend>{t.legend}</legend>
          {POLICIES.map((name) => (
            <label key={name} className="choice">
              <input type="radio" name="policy" value={name} checked={policy === name} onChange={() => setPolicy(name)} /> <span>{t[name]}</span>
            </label>
          ))}
        </fieldset>
        <div className="ways">
          <button type="submit" id="start" className="primary" disabled={view.phase === 'creating'}>
            {t.start}
          </button>
          <button type="button" id="scan-worker" className="secondary" disabled={view.phase === 'creating'} onClick={() => scanWorker(policy)}>
            {t.scanWorker}
          </button>
        </div>
      </form>
      <section id="camera" className="camera" hidden={!scanning} aria-labelledby="camera-title">
        <h2 id="camera-title">{t.cameraTitle}</h2>
        <p id="camera-asked">{scanning ? asked(view.policy) : ''}</p>
        <video id="camera-preview" ref={camera.videoRef} muted playsInline aria-label={t.cameraPreview} />
        <p id="camera-hint" className="hint" aria-live="polite">
          {scanning && view.hint ? t[view.hint] : ''}
        </p>
        <button type="button" id="camera-cancel" className="secondary" onClick={reset}>
          {t.cancel}
        </button>
      </section>
      <section id="request" className="request" hidden={!waiting} aria-labelledby="request-title">
        <h2 id="request-title">{t.requestTitle}</h2>
        <p id="asked">{waiting ? asked(view.policy) : ''}</p>
        <QrCode id="qr" text={waiting ? view.deepLink : null} label={t.qrLabel} />
        <p>
          <a id="wallet-link" className="wallet-link" href={waiting ? view.deepLink : undefined}>
            {t.openWallet}
          </a>
        </p>
        <button type="button" id="cancel" className="secondary" onClick={reset}>
          {t.cancel}
        </button>
      </section>
      <div id="result" role="status" aria-live="polite">
        {(view.phase === 'creating' || view.phase === 'waiting' || view.phase === 'checking') && <p className="message">{t[view.phase]}</p>}
        {view.phase === 'message' && <p className="message">{t[view.message]}</p>}
        {view.phase === 'done' && <OutcomePanel outcome={view.outcome} t={t} lang={lang} />}
      </div>
      <p id="next-wrap" hidden={!done}>
        <button type="button" id="next" className="primary" onClick={reset}>
          {t.next}
        </button>
      </p>
      <OfflineBox offline={offline} t={t} lang={lang} />
    </CityPage>
  );
}

/** Verifies the worker's QR code with the kept bundle, without network: the view to show. */
async function checkOffline(offline: OfflineData, text: string, policy: Policy): Promise<View> {
  const verdict = await offline.verify(text, policy);
  if (!verdict) return { phase: 'message', message: 'offlineUnavailable' };
  const outcome = outcomeOfVerdict(verdict);
  // The offline verifier names an issuer only for a credential its signature verified (never what a forger wrote).
  const issuers = verdict.credentials.flatMap((credential) => (credential.issuer ? [{ did: credential.issuer.did, name: credential.issuer.name }] : []));
  return {
    phase: 'done',
    outcome: {
      ...outcome,
      ...(verdict.refusal ? { refusal: verdict.refusal } : {}),
      ...(verdict.offline.bundleIssuedAt ? { offline: { issuedAt: verdict.offline.bundleIssuedAt, anchoringChecked: verdict.anchoring?.checked === true } } : {}),
      ...(issuers.length > 0 ? { issuers } : {}),
    },
  };
}

/** The decision, green or red, criterion by criterion; offline, who issued the credentials and what it was judged with. */
function OutcomePanel({ outcome, t, lang }: { outcome: ShownOutcome; t: ScanTexts; lang: Lang }): ReactNode {
  const kind = outcome.verified ? 'verified' : 'not-verified';
  return (
    <section id="outcome" className={`outcome outcome-${kind}`} data-outcome={kind}>
      <h2>{outcome.verified ? t.verified : t.notVerified}</h2>
      {outcome.criteria.length > 0 && (
        <ul>
          {outcome.criteria.map((criterion, index) => (
            <li key={index} className={criterion.passed ? 'criterion-passed' : 'criterion-failed'}>
              <span className="mark" aria-hidden="true">
                {criterion.passed ? '✓' : '✗'}
              </span>
              <span className="visually-hidden">{criterion.passed ? t.passed : t.failed}</span>
              <span className="reason">{criterion.reason[lang]}</span>
            </li>
          ))}
        </ul>
      )}
      {outcome.work && <WorkList work={outcome.work} t={t} lang={lang} />}
      {/* Offline, the verifier module says why in the page's languages. */}
      {outcome.refusal ? (
        <p className="plain-reason">{outcome.refusal[lang]}</p>
      ) : (
        outcome.reason && <p className="plain-reason">{t.reasons[outcome.reason] ?? t.reasons['not-verified']}</p>
      )}
      {outcome.issuers?.map((issuer, index) => (
        <p key={index} className="issuer">
          {t.issuer}: {issuer.name && <span className="issuer-name">{lang === 'en' ? (issuer.name.en ?? issuer.name.ko) : issuer.name.ko}</span>}{' '}
          <span className="issuer-did">{issuer.did}</span>
        </p>
      ))}
      {outcome.offline && <p className="offline-note">{fill(outcome.verified ? t.verifiedOffline : t.checkedOffline, { time: when(outcome.offline.issuedAt, lang) })}</p>}
      {/* Offline, whether the QR code's anchor proof was held against the issuer's roots in the offline data. */}
      {outcome.offline && outcome.verified && <p className="anchoring-note">{outcome.offline.anchoringChecked ? t.anchoredOffline : t.notAnchoredOffline}</p>}
    </section>
  );
}

/** A day (`YYYY-MM-DD`) as the employer reads it; as written when it is not one. */
function day(date: string, lang: Lang): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).toLocaleDateString(lang === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
}

/** Hours with at most two decimals, grouped as the page's language groups numbers. */
function hoursText(hours: number, lang: Lang): string {
  return hours.toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-GB', { maximumFractionDigits: 2 });
}

/** The work experiences the policy shows, each a labelled list: employer, role, period, total hours, attendance root. */
function WorkList({ work, t, lang }: { work: WorkRecord[]; t: ScanTexts; lang: Lang }): ReactNode {
  return (
    <section id="work-history" className="work" aria-labelledby="work-title">
      <h3 id="work-title">{t.workTitle}</h3>
      {work.map((record, index) => (
        <dl key={index} className="work-record">
          {record.employer !== undefined && (
            <>
              <dt>{t.workEmployer}</dt>
              <dd className="work-employer">{record.employer}</dd>
            </>
          )}
          {record.role !== undefined && (
            <>
              <dt>{t.workRole}</dt>
              <dd className="work-role">{record.role}</dd>
            </>
          )}
          {record.period && (
            <>
              <dt>{t.workPeriod}</dt>
              <dd className="work-period">{fill(t.workPeriodValue, { start: day(record.period.start, lang), end: day(record.period.end, lang) })}</dd>
            </>
          )}
          {record.totalHours !== undefined && (
            <>
              <dt>{t.workHours}</dt>
              <dd className="work-hours">{fill(t.workHoursValue, { n: hoursText(record.totalHours, lang) })}</dd>
            </>
          )}
          {record.attendanceRoot !== undefined && (
            <>
              <dt>{t.workRoot}</dt>
              <dd className="work-root" title={record.attendanceRoot}>
                <code>{shortHash(record.attendanceRoot)}</code>
              </dd>
            </>
          )}
        </dl>
      ))}
    </section>
  );
}

/** The offline data's state: when it is from and how old, with a warning when it is old, expired or unreadable. */
function OfflineBox({ offline, t, lang }: { offline: OfflineData; t: ScanTexts; lang: Lang }): ReactNode {
  const { verifier, kept, update } = offline;
  let status = t.offlineNone;
  let warning = '';
  if (kept?.check.valid && verifier) {
    const age = verifier.bundleAge(kept.check.bundle, new Date());
    const ago = age.ageSeconds < 3600 ? fill(t.minutes, { n: Math.floor(age.ageSeconds / 60) }) : fill(t.hours, { n: Math.floor(age.ageSeconds / 3600) });
    status = fill(t.offlineFrom, { time: when(age.issuedAt, lang), age: ago });
    if (age.expired) warning = t.offlineExpired;
    else if (age.old) warning = t.offlineOld;
  } else if (kept) warning = t.offlineInvalid;
  if (update === 'updating') status = t.offlineUpdating;
  if (update === 'failed') warning = warning || t.offlineUpdateFailed;
  return (
    <section id="offline" className="offline" aria-labelledby="offline-title">
      <h2 id="offline-title">{t.offlineTitle}</h2>
      <p id="offline-status" aria-live="polite">
        {status}
      </p>
      <p id="offline-warning" className="warning" hidden={warning === ''}>
        {warning}
      </p>
      <button type="button" id="offline-update" className="secondary" disabled={update === 'updating' || !verifier} onClick={() => void offline.refresh()}>
        {t.offlineUpdate}
      </button>
    </section>
  );
}
