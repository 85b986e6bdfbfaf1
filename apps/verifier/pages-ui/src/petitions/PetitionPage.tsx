import { useLanguage, useMessages } from '@citycred/web-ui';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { CityPage } from '../CityPage.js';
import { usePollRequest, WalletRequestPanel, type WalletRequestLinks } from '../WalletRequest.js';
import { PETITION_PAGE_TEXTS, type PetitionTexts } from './texts.js';

type Localised = { ko: string; en: string };

/** `GET /petitions/{id}` as JSON. */
interface Petition {
  id: string;
  title: string;
  description: string;
  threshold: number;
  deadline: string;
  state: 'open' | 'closed';
  count: number;
  thresholdReached: boolean;
  result?: { count: number; root: string | null; closedAt: string; tallyDigest: string; signaturesUrl: string; anchoring?: { state: string; reason?: Localised; block?: number; time?: string } };
}

interface Created extends WalletRequestLinks {
  requestId: string;
}

type Stage = { name: 'idle' } | { name: 'waiting'; created: Created } | { name: 'signed'; leafHash: string } | { name: 'refused'; reason: Localised; code: string } | { name: 'expired' };

/** The petition's id, from the address the page was opened at (`/petitions/{id}`). */
function petitionIdOf(path: string): string {
  return decodeURIComponent(path.split('/').filter((part) => part !== '')[1] ?? '');
}

const json = { headers: { accept: 'application/json' } };

/**
 * The public page of a petition (docs/petitions.md): its text, live count, threshold and deadline; the signing request
 * as a QR code and a same-device wallet link, and its outcome; once closed, the tally, its anchoring state and a link
 * to the published signature list.
 */
export function PetitionPage(): ReactNode {
  const t = useMessages(PETITION_PAGE_TEXTS);
  const { lang } = useLanguage();
  const id = petitionIdOf(location.pathname);
  const [petition, setPetition] = useState<Petition | null | 'missing'>(null);
  const [stage, setStage] = useState<Stage>({ name: 'idle' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const load = useCallback(async () => {
    const res = await fetch(`/petitions/${encodeURIComponent(id)}`, json);
    if (res.status === 404) return setPetition('missing');
    if (res.status === 200) setPetition((await res.json()) as Petition);
  }, [id]);

  useEffect(() => {
    void load().catch(() => undefined);
    const timer = setInterval(() => void load().catch(() => undefined), 5000);
    return () => clearInterval(timer);
  }, [load]);

  async function sign(): Promise<void> {
    setBusy(true);
    setError('');
    try {
      const res = await fetch(`/petitions/${encodeURIComponent(id)}/signature-requests`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{}' });
      if (res.status === 409) {
        await load();
        throw new Error('closed');
      }
      if (res.status !== 201) throw new Error(String(res.status));
      setStage({ name: 'waiting', created: (await res.json()) as Created });
    } catch {
      setError(t.failed);
    } finally {
      setBusy(false);
    }
  }

  usePollRequest<{ state: string; leafHash?: string; code?: string; reason?: Localised }>(
    stage.name === 'waiting' ? `/petitions/${encodeURIComponent(id)}/signature-requests/${stage.created.requestId}` : null,
    (status) => {
      if (status.state === 'signed' && status.leafHash) {
        void load();
        setStage({ name: 'signed', leafHash: status.leafHash });
        return true;
      }
      if (status.state === 'refused' && status.reason) {
        setStage({ name: 'refused', reason: status.reason, code: status.code ?? '' });
        return true;
      }
      if (status.state === 'expired') {
        setStage({ name: 'expired' });
        return true;
      }
      return false;
    },
    json,
  );

  if (petition === null) return <CityPage title={t.title} intro={t.loading}>{null}</CityPage>;
  if (petition === 'missing') {
    return (
      <CityPage title={t.title} intro={t.notFound}>
        {null}
      </CityPage>
    );
  }
  const when = (iso: string) => new Date(iso).toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-GB', { timeZone: 'Asia/Seoul' });
  const percent = Math.min(100, Math.round((petition.count / petition.threshold) * 100));
  return (
    <CityPage title={t.title} intro={t.intro}>
      <div className="panel" id="petition" data-state={petition.state}>
        <h2 id="petition-title">{petition.title}</h2>
        <p className="description">{petition.description}</p>
        <p className="count">
          <span id="petition-count">{petition.count}</span> / <span id="petition-threshold">{petition.threshold}</span>
        </p>
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={t.signatures}>
          <Bar percent={percent} />
        </div>
        <dl className="facts">
          <dt>{t.deadline}</dt>
          <dd id="petition-deadline">{when(petition.deadline)}</dd>
          <dt>{t.signatures}</dt>
          <dd>{petition.state === 'open' ? t.open : t.closed}</dd>
        </dl>
        {petition.thresholdReached && <p id="petition-reached">{t.reached}</p>}
      </div>
      {petition.state === 'open' && stage.name === 'idle' && (
        <div className="panel">
          <p>{t.privacy}</p>
          <div className="actions">
            <button type="button" id="petition-sign" disabled={busy} onClick={() => void sign()}>
              {t.sign}
            </button>
          </div>
        </div>
      )}
      {stage.name === 'waiting' && <WalletRequestPanel idPrefix="petition" links={stage.created} t={t} />}
      {stage.name === 'signed' && (
        <div className="verdict verdict-genuine" id="petition-signed">
          <h2>{t.signed}</h2>
          <p>{t.signedDetail}</p>
          <p>
            {t.yourLeaf}: <span className="hash">{stage.leafHash}</span>
          </p>
        </div>
      )}
      {(stage.name === 'refused' || stage.name === 'expired') && (
        <div className="verdict verdict-not-verified" id="petition-refused" data-code={stage.name === 'refused' ? stage.code : 'expired'}>
          <h2>{stage.name === 'refused' ? t.refused : t.expired}</h2>
          {stage.name === 'refused' && <p>{stage.reason[lang]}</p>}
          {petition.state === 'open' && (
            <div className="actions">
              <button type="button" onClick={() => setStage({ name: 'idle' })}>
                {t.tryAgain}
              </button>
            </div>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {petition.result && <Result result={petition.result} t={t} lang={lang} when={when} />}
    </CityPage>
  );
}

/** The progress bar's filled part; its width is set from script (no inline style attribute under the page's CSP). */
function Bar({ percent }: { percent: number }): ReactNode {
  const ref = useCallback((node: HTMLDivElement | null) => node?.style.setProperty('width', `${percent}%`), [percent]);
  return <div ref={ref} />;
}

function Result({ result, t, lang, when }: { result: NonNullable<Petition['result']>; t: PetitionTexts; lang: 'ko' | 'en'; when: (iso: string) => string }): ReactNode {
  return (
    <div className="panel" id="petition-result">
      <h2>{t.result}</h2>
      <dl className="facts">
        <dt>{t.finalCount}</dt>
        <dd id="petition-final-count">{result.count}</dd>
        <dt>{t.root}</dt>
        <dd className="hash" id="petition-root">{result.root ?? t.noSignatures}</dd>
        <dt>{t.tallyDigest}</dt>
        <dd className="hash">{result.tallyDigest}</dd>
        <dt>{t.closedAt}</dt>
        <dd>{when(result.closedAt)}</dd>
        <dt>{t.anchoring}</dt>
        {result.anchoring && (
          <dd id="petition-anchoring" data-state={result.anchoring.state}>
            {t.anchoringStates[result.anchoring.state] ?? result.anchoring.state}
            {result.anchoring.reason && ` — ${result.anchoring.reason[lang]}`}
            {result.anchoring.block !== undefined && result.anchoring.time && ` — ${t.block} ${result.anchoring.block} (${when(result.anchoring.time)})`}
          </dd>
        )}
      </dl>
      <p>
        <a href={result.signaturesUrl} id="petition-leaves">
          {t.leafList}
        </a>
      </p>
    </div>
  );
}
