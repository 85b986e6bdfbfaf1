// The public check page (docs/certificates.md): reads a credential from the URL fragment (#vc= or #ref=), a pasted
// text, or a QR code read with the camera, from a certificate PDF or from an image; asks this verifier's
// POST /credentials/verify, and shows one verdict, with the issuer's name (GET /check/issuers, read once per page load)
// and the block the city chain holds it in. Everything shown from a credential is rendered as text by React, never as
// markup.
import { decodeContext, fill, readQrImage, useDocumentTitle, useLanguage, useMessages, useQrCamera, type CameraProblem, type Lang } from '@citycred/web-ui';
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { CityPage } from '../CityPage.js';
import { claimRows, describeCredential, parseInput, type CheckInput, type CredentialDescription } from './credential.js';
import { MAX_PDF_BYTES, MAX_PDF_PAGES, readPdfQr, type PdfProblem } from './pdf-qr.js';
import { anchoringOf, issuerNameFor, nameIn, readIssuerDirectory, type IssuerDirectory } from './provenance.js';
import { CHECK_TEXTS, type CheckTexts } from './texts.js';
import { claimsTrusted, verdictOf, type VerifyAnswer } from './verdict.js';

/** What the server tells the page (`GET /check/settings.json`, apps/verifier/src/check/page-settings.ts). */
interface CheckPageSettings {
  issuerOrigins: string[];
  types: Record<string, { ko: string; en: string; titles: Record<string, string> }>;
}

/** The messages the page may show in its result area. */
type MessageKey = {
  [K in keyof CheckTexts]-?: CheckTexts[K] extends string ? K : never;
}[keyof CheckTexts];

/** One check of the verifier's answer, as the page reads it. */
interface AnswerCheck {
  id?: unknown;
  status?: unknown;
  detail?: unknown;
}

/** What is on screen: nothing, a message, or the verifier's answer with what the page read of the credential. */
type Shown = null | { message: MessageKey; values?: Record<string, string | number> } | { answer: VerifyAnswer & { checks: AnswerCheck[] }; description: CredentialDescription | null };

const CAMERA_MESSAGES: Record<CameraProblem, MessageKey> = {
  denied: 'cameraDenied',
  'no-camera': 'cameraMissing',
  busy: 'cameraBusy',
  unsupported: 'cameraUnsupported',
  interrupted: 'cameraInterrupted',
};
const PDF_MESSAGES: Record<PdfProblem, MessageKey> = { 'too-large': 'pdfTooLarge', 'not-pdf': 'pdfNotPdf', locked: 'pdfLocked', 'no-qr': 'pdfNoQr', unavailable: 'unavailable' };

/** The issuer names of `GET /check/issuers`, asked once per page load — whatever and however many credentials it checks. */
let issuerDirectory: Promise<IssuerDirectory | null> | undefined;

/**
 * The names the page shows beside issuers' DIDs: null when the verifier has none to give (503), cannot be reached, or
 * answers something else. Names are display information: without them the page shows the DID alone, with the same verdict.
 */
function loadIssuerDirectory(): Promise<IssuerDirectory | null> {
  issuerDirectory ??= fetch('/check/issuers', { credentials: 'omit' })
    .then((res) => (res.ok ? res.json() : null))
    .then(readIssuerDirectory)
    .catch(() => null);
  return issuerDirectory;
}

/** The check page: header with the language switch, the result, the camera, the other ways in and the paste form. */
export function CheckPage(): ReactNode {
  const t = useMessages(CHECK_TEXTS);
  useDocumentTitle(t.title);
  const camera = useQrCamera();
  const [settings, setSettings] = useState<CheckPageSettings>({ issuerOrigins: [], types: {} });
  const [issuers, setIssuers] = useState<IssuerDirectory | null>(null);
  const [shown, setShown] = useState<Shown>(null);
  /** Counts the readings started (camera, PDF, image, paste, fragment): a reading overtaken by a newer one is not shown. */
  const reading = useRef(0);
  const settingsRef = useRef(settings);
  const [focusOn, setFocusOn] = useState<{ id: string } | null>(null);

  useEffect(() => {
    if (!focusOn) return;
    document.getElementById(focusOn.id)?.focus();
  }, [focusOn]);

  const say = useCallback((message: MessageKey, values?: Record<string, string | number>) => setShown(values ? { message, values } : { message }), []);

  /** Starts a reading: stops the camera, and makes any reading still running go unheard. */
  const stopCameraNow = camera.stop;
  const newReading = useCallback(() => {
    stopCameraNow();
    reading.current += 1;
    return reading.current;
  }, [stopCameraNow]);

  const check = useCallback(
    async (input: CheckInput) => {
      // A check is part of the reading that asked for it: a newer reading makes its answer go unheard.
      const mine = reading.current;
      say('checking');
      let credential: unknown;
      if ('reference' in input) {
        let url: URL | undefined;
        try {
          url = new URL(input.reference);
        } catch {
          url = undefined;
        }
        if (!url || !settingsRef.current.issuerOrigins.includes(url.origin) || !url.pathname.startsWith('/certificates/')) return say('refRefused');
        const res = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' }).catch(() => null);
        if (mine !== reading.current) return;
        if (!res || res.status >= 500) return say('unavailable');
        const body = res.ok ? ((await res.json().catch(() => null)) as { credential?: unknown } | null) : null;
        if (mine !== reading.current) return;
        if (!body || typeof body.credential !== 'string') return say('refMissing');
        credential = body.credential;
      } else {
        credential = input.credential;
      }
      let description: CredentialDescription | null;
      try {
        description = describeCredential(credential);
      } catch {
        description = null;
      }
      const res = await fetch('/credentials/verify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ verifiableCredential: credential }),
      }).catch(() => null);
      const answer = res && (res.status === 200 || res.status === 400) ? ((await res.json().catch(() => null)) as VerifyAnswer | null) : null;
      if (mine !== reading.current) return;
      if (!answer || !Array.isArray(answer.checks)) return say(res && res.status === 400 ? 'unreadable' : 'unavailable');
      setShown({ answer: answer as VerifyAnswer & { checks: AnswerCheck[] }, description });
    },
    [say],
  );

  const fromFragment = useCallback(() => {
    const fragment = location.hash.slice(1);
    if (!fragment.startsWith('vc=') && !fragment.startsWith('ref=')) return;
    newReading();
    void check(parseInput(`#${fragment}`));
  }, [check, newReading]);

  useEffect(() => {
    let gone = false;
    void (async () => {
      const loaded = (await fetch('/check/settings.json')
        .then((res) => res.json())
        .catch(() => null)) as CheckPageSettings | null;
      if (gone) return;
      if (loaded) {
        settingsRef.current = loaded;
        setSettings(loaded);
      }
      fromFragment();
    })();
    addEventListener('hashchange', fromFragment);
    return () => {
      gone = true;
      removeEventListener('hashchange', fromFragment);
    };
  }, [fromFragment]);

  useEffect(() => {
    let gone = false;
    void loadIssuerDirectory().then((directory) => {
      if (!gone) setIssuers(directory);
    });
    return () => {
      gone = true;
    };
  }, []);

  const scanWithCamera = () => {
    const mine = newReading();
    setShown(null);
    camera.start({
      onText(text) {
        if (mine !== reading.current) return true;
        void check(parseInput(text));
        return true;
      },
      onProblem(problem) {
        if (mine !== reading.current) return;
        say(CAMERA_MESSAGES[problem]);
        setFocusOn({ id: 'camera-start' });
      },
    });
    setFocusOn({ id: 'camera-stop' });
  };

  const stopCamera = () => {
    newReading();
    setFocusOn({ id: 'camera-start' });
  };

  const checkPdf = async (file: File) => {
    const mine = newReading();
    say('pdfOpening');
    const found = await readPdfQr(file, decodeContext, (page, pages) => {
      if (mine === reading.current) say('pdfReading', { page, pages });
    }).catch((): { problem: PdfProblem } => ({ problem: 'not-pdf' }));
    if (mine !== reading.current) return;
    if ('text' in found) return check(parseInput(found.text));
    say(PDF_MESSAGES[found.problem], { limit: MAX_PDF_BYTES / (1024 * 1024), pages: MAX_PDF_PAGES });
  };

  const checkImage = async (file: File) => {
    const mine = newReading();
    const data = await readQrImage(file).catch(() => undefined);
    if (mine !== reading.current) return;
    if (data) void check(parseInput(data));
    else say('noQr');
  };

  /** A file input's handler: the file chosen, the input cleared so that choosing the same file again reads it again. */
  const onFile = (read: (file: File) => Promise<unknown>) => (event: { currentTarget: HTMLInputElement }) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    input.value = '';
    if (file) void read(file);
  };

  const onPaste = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = new FormData(event.currentTarget).get('paste');
    if (typeof text === 'string' && text.trim()) {
      newReading();
      void check(parseInput(text));
    }
  };

  return (
    <CityPage title={t.title} intro={t.intro}>
      <div id="result" aria-live="polite">
        <Result shown={shown} settings={settings} issuers={issuers} t={t} />
      </div>
      <section id="camera" className="camera" hidden={!camera.on} aria-labelledby="camera-title">
        <h2 id="camera-title">{t.cameraTitle}</h2>
        <video id="camera-preview" ref={camera.videoRef} muted playsInline aria-label={t.cameraPreview} />
        <button type="button" id="camera-stop" className="secondary" onClick={stopCamera}>
          {t.cameraStop}
        </button>
      </section>
      <section className="ways" aria-labelledby="ways-title">
        <h2 id="ways-title">{t.waysTitle}</h2>
        <p>
          <button type="button" id="camera-start" className="primary" disabled={camera.on} onClick={scanWithCamera}>
            {t.cameraStart}
          </button>
        </p>
        <p className="upload">
          <label htmlFor="pdf-file">{t.pdfLabel}</label> <input type="file" id="pdf-file" accept="application/pdf,.pdf" onChange={onFile(checkPdf)} />
        </p>
        <p className="upload">
          <label htmlFor="qr-image">{t.uploadLabel}</label> <input type="file" id="qr-image" accept="image/*" onChange={onFile(checkImage)} />
        </p>
      </section>
      <form id="paste-form" onSubmit={onPaste}>
        <label htmlFor="paste">{t.pasteLabel}</label>
        <textarea id="paste" name="paste" rows={4} spellCheck={false} autoComplete="off" />
        <button type="submit">{t.check}</button>
      </form>
    </CityPage>
  );
}

function show(value: unknown, t: CheckTexts): string {
  if (value === true) return t.yes;
  if (value === false) return t.no;
  if (Array.isArray(value)) return value.map((item) => show(item, t)).join(', ');
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** An instant in Seoul time, in the page's language. */
function kst(date: Date, lang: Lang): string {
  const text = new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB', { timeZone: 'Asia/Seoul', dateStyle: 'long', timeStyle: 'short' }).format(date);
  return `${text} (KST)`;
}

/**
 * The result area: a message, or the verdict with the credential (when its signature held: its issuer's name when the
 * city accredits it, the block that anchors it) and the checks.
 */
function Result({ shown, settings, issuers, t }: { shown: Shown; settings: CheckPageSettings; issuers: IssuerDirectory | null; t: CheckTexts }): ReactNode {
  const { lang } = useLanguage();
  if (!shown) return null;
  if ('message' in shown) return <p className="message">{fill(t[shown.message], shown.values)}</p>;
  const { answer, description } = shown;
  const verdict = verdictOf(answer);
  const [headline, explanation] = t.verdicts[verdict];
  let credential: ReactNode = null;
  if (description && claimsTrusted(answer)) {
    const type = description.types.filter((name) => name !== 'VerifiableCredential').at(-1) ?? '';
    const info = settings.types[type];
    const issuerName = issuerNameFor(issuers, answer, description.issuer);
    const anchoring = anchoringOf(answer);
    credential = (
      <section className="credential">
        <h3>{info ? info[lang] : type}</h3>
        <dl>
          <dt>{t.issuer}</dt>
          <dd>
            {issuerName && <span className="issuer-name">{nameIn(issuerName, lang)}</span>}
            <span className="issuer-did">{description.issuer ?? '—'}</span>
          </dd>
          {description.issued && (
            <>
              <dt>{t.issued}</dt>
              <dd>{kst(description.issued, lang)}</dd>
            </>
          )}
          <dt>{t.validUntil}</dt>
          <dd>{description.validUntil ? kst(description.validUntil, lang) : t.noLimit}</dd>
          {anchoring && (
            <>
              <dt>{t.anchoredIn}</dt>
              <dd className="anchoring">{fill(t.anchoredBlock, { block: anchoring.blockNumber, time: kst(anchoring.anchoredAt, lang), chain: anchoring.chainId })}</dd>
            </>
          )}
        </dl>
        <h4 id="claims-title">{t.claims}</h4>
        <table className="claims" aria-labelledby="claims-title">
          <tbody>
            {claimRows(description.claims, info?.titles ?? {}).map(([label, value], index) => (
              <tr key={index}>
                <th>{label}</th>
                <td>{show(value, t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    );
  } else if (description) {
    credential = <p className="message">{t.claimsHidden}</p>;
  }
  return (
    <>
      <section id="verdict" className={`verdict verdict-${verdict}`} data-verdict={verdict} role="status">
        <h2>{headline}</h2>
        <p>{explanation}</p>
      </section>
      {credential}
      <section className="checks">
        <h3>{t.checks}</h3>
        <ul>
          {answer.checks.map((check, index) => {
            const id = String(check?.id);
            const status = String(check?.status);
            const meaning = t.checkMeanings?.[id]?.[status];
            const detail = String(check?.detail ?? '');
            return (
              <li key={index} className={`check check-${status}`}>
                <strong>{t.checkNames[id] ?? id}</strong>
                <span className="status"> {t.statuses[status] ?? status}</span>
                {meaning ? (
                  // Korean: what the outcome means, and the verifier's English detail folded away for whoever needs it.
                  <>
                    <small>{meaning}</small>
                    <details className="detail">
                      <summary>{t.technicalDetail}</summary>
                      <small>{detail}</small>
                    </details>
                  </>
                ) : (
                  <small>{detail}</small>
                )}
              </li>
            );
          })}
        </ul>
      </section>
    </>
  );
}
