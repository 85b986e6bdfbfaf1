import { useMessages } from '@citycred/web-ui';
import { useRef, useState, type ReactNode } from 'react';
import { CityPage } from '../CityPage.js';
import { usePollRequest, WalletRequestPanel, type WalletRequestLinks } from '../WalletRequest.js';
import { SIGN_PAGE_TEXTS, type SignTexts } from './texts.js';

/** `0x` + SHA-256 hex of a file, computed in the browser (WebCrypto): the file never leaves it. */
async function sha256Of(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return `0x${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The signing page `/sign` or the check `/signatures/check`, by the address it was opened at. */
export function SignPage(): ReactNode {
  return location.pathname.startsWith('/signatures/check') ? <CheckSignature /> : <SignDocument />;
}

interface Created extends WalletRequestLinks {
  requestId: string;
  expiresAt: string;
}
type Stage =
  | { name: 'choose' }
  | { name: 'waiting'; created: Created }
  | { name: 'signed'; receipt: string }
  | { name: 'refused'; errors: string[] }
  | { name: 'expired' };

function SignDocument(): ReactNode {
  const t = useMessages(SIGN_PAGE_TEXTS);
  const [file, setFile] = useState<{ name: string; type: string; hash: string } | null>(null);
  const [withName, setWithName] = useState(false);
  const [stage, setStage] = useState<Stage>({ name: 'choose' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const receiptUrl = useRef<string | null>(null);

  async function choose(chosen: File | undefined): Promise<void> {
    setFile(null);
    setStage({ name: 'choose' });
    if (!chosen) return;
    setBusy(true);
    try {
      setFile({ name: chosen.name || 'document', type: chosen.type || 'application/octet-stream', hash: await sha256Of(chosen) });
    } finally {
      setBusy(false);
    }
  }

  async function request(): Promise<void> {
    if (!file) return;
    setBusy(true);
    setError('');
    try {
      const res = await fetch('/signatures/requests', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ documentHash: file.hash, fileName: file.name.slice(0, 255), mediaType: file.type, ...(withName ? { withName: true } : {}) }),
      });
      if (res.status !== 201) throw new Error(String(res.status));
      setStage({ name: 'waiting', created: (await res.json()) as Created });
    } catch {
      setError(t.failed);
    } finally {
      setBusy(false);
    }
  }

  usePollRequest<{ state: string; receipt?: string; errors?: string[] }>(stage.name === 'waiting' ? `/signatures/requests/${stage.created.requestId}` : null, (status) => {
    if (status.state === 'fulfilled' && status.receipt) {
      setStage({ name: 'signed', receipt: status.receipt });
      return true;
    }
    if (status.state === 'failed') {
      setStage({ name: 'refused', errors: status.errors ?? [] });
      return true;
    }
    if (status.state === 'expired') {
      setStage({ name: 'expired' });
      return true;
    }
    return false;
  });

  const download = stage.name === 'signed' ? receiptLink(stage.receipt, receiptUrl) : null;
  return (
    <CityPage title={t.signTitle} intro={t.signIntro}>
      <div className="panel">
        <label className="upload">
          {t.chooseDocument}{' '}
          <input type="file" id="sign-file" disabled={busy || stage.name === 'waiting'} onChange={(event) => void choose(event.target.files?.[0])} />
        </label>
        {busy && !file && <p>{t.hashing}</p>}
        {file && (
          <>
            <p>
              {t.documentHash}: <span className="hash" id="sign-hash">{file.hash}</span>
            </p>
            {stage.name === 'choose' && (
              <>
                <label className="option">
                  <input type="checkbox" id="sign-with-name" checked={withName} onChange={(event) => setWithName(event.target.checked)} /> {t.withName}
                </label>
                <div className="actions">
                  <button type="button" id="sign-request" disabled={busy} onClick={() => void request()}>
                    {t.requestSignature}
                  </button>
                </div>
              </>
            )}
          </>
        )}
      </div>
      {stage.name === 'waiting' && <WalletRequestPanel idPrefix="sign" links={stage.created} t={t} />}
      {stage.name === 'signed' && download && file && (
        <div className="verdict verdict-genuine" id="sign-done">
          <h2>{t.signed}</h2>
          <div className="actions">
            <a id="sign-receipt" href={download} download={`${file.name}.signature.jwt`}>
              {t.downloadReceipt}
            </a>
          </div>
        </div>
      )}
      {(stage.name === 'refused' || stage.name === 'expired') && (
        <div className="verdict verdict-not-verified" id="sign-refused">
          <h2>{stage.name === 'refused' ? t.refused : t.expired}</h2>
          {stage.name === 'refused' && stage.errors.map((e) => <p key={e}>{e}</p>)}
          <div className="actions">
            <button type="button" onClick={() => setStage({ name: 'choose' })}>
              {t.tryAgain}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p>
        <a href="/signatures/check">{t.toCheck}</a>
      </p>
    </CityPage>
  );
}

/** A download link for the receipt (a blob URL, replaced when the receipt changes). */
function receiptLink(receipt: string, current: { current: string | null }): string {
  if (current.current) URL.revokeObjectURL(current.current);
  current.current = URL.createObjectURL(new Blob([receipt], { type: 'application/jwt' }));
  return current.current;
}

interface Verification {
  valid: boolean;
  checks: Array<{ id: string; status: string; detail: string; anchor?: { block: number; time: string } }>;
  receipt?: { signedAt: string; document: { fileName: string }; card: { issuer: string } };
}

function CheckSignature(): ReactNode {
  const t = useMessages(SIGN_PAGE_TEXTS);
  const [hash, setHash] = useState<string | null>(null);
  const [receipt, setReceipt] = useState('');
  const [result, setResult] = useState<Verification | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function check(): Promise<void> {
    if (!hash || receipt.trim() === '') return;
    setBusy(true);
    setError('');
    setResult(null);
    try {
      const res = await fetch('/signatures/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ documentHash: hash, receipt: receipt.trim() }) });
      if (res.status !== 200) throw new Error(String(res.status));
      setResult((await res.json()) as Verification);
    } catch {
      setError(t.failed);
    } finally {
      setBusy(false);
    }
  }

  return (
    <CityPage title={t.checkTitle} intro={t.checkIntro}>
      <div className="panel">
        <p>
          <label className="upload">
            {t.chooseDocument}{' '}
            <input type="file" id="check-document" onChange={(event) => void (event.target.files?.[0] ? sha256Of(event.target.files[0]).then(setHash) : setHash(null))} />
          </label>
        </p>
        {hash && (
          <p>
            {t.documentHash}: <span className="hash" id="check-hash">{hash}</span>
          </p>
        )}
        <p>
          <label className="upload">
            {t.chooseReceipt}{' '}
            <input type="file" id="check-receipt-file" onChange={(event) => void event.target.files?.[0]?.text().then((text) => setReceipt(text.trim()))} />
          </label>
        </p>
        <label>
          {t.pasteReceipt}
          <textarea id="check-receipt" rows={4} value={receipt} onChange={(event) => setReceipt(event.target.value)} />
        </label>
        <div className="actions">
          <button type="button" id="check-submit" disabled={busy || !hash || receipt.trim() === ''} onClick={() => void check()}>
            {t.check}
          </button>
        </div>
      </div>
      {result && <Outcome result={result} t={t} />}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p>
        <a href="/sign">{t.toSign}</a>
      </p>
    </CityPage>
  );
}

function Outcome({ result, t }: { result: Verification; t: SignTexts }): ReactNode {
  return (
    <>
      <div className={`verdict ${result.valid ? 'verdict-genuine' : 'verdict-altered'}`} id="check-verdict" data-valid={String(result.valid)}>
        <h2>{result.valid ? t.valid : t.invalid}</h2>
        <p>{result.valid ? t.validDetail : t.invalidDetail}</p>
      </div>
      {result.receipt && (
        <dl className="panel">
          <dt>{t.fileName}</dt>
          <dd>{result.receipt.document.fileName}</dd>
          <dt>{t.signedAt}</dt>
          <dd>{new Date(result.receipt.signedAt).toLocaleString()}</dd>
          <dt>{t.issuer}</dt>
          <dd className="hash">{result.receipt.card.issuer}</dd>
        </dl>
      )}
      <div className="checks">
        <ul>
          {result.checks.map((check) => (
            <li key={check.id} className={`check check-${check.status}`} data-check={check.id}>
              {t.checks[check.id] ?? check.id}: <span className="status">{t.statuses[check.status] ?? check.status}</span>
              <small>{check.detail}</small>
              {check.id === 'receipt-anchored' && check.status === 'passed' && check.anchor && (
                <small className="anchor" id="check-anchor" data-block={check.anchor.block}>
                  {t.anchorBlock} #{check.anchor.block} · {t.anchorTime} {new Date(check.anchor.time).toLocaleString()}
                </small>
              )}
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}
