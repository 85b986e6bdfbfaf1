import { Oid4vpClient, Oid4vpError, Oid4vpErrorCode, type DcqlCandidate, type DcqlMatch, type HolderKey, type PresentationRequest, type SharingRecord, type Vault, type WalletCredential } from '@citycred/wallet-core';
import { fill, useLanguage, useMessages, type Lang } from '@citycred/web-ui';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { claimName, claimValueText } from '../claims.js';
import { TEXTS, type Texts } from '../texts.js';
import { cardTitle, cardView } from '../views.js';
import { BROWSER_TRANSPORT, flowErrorText } from './protocol.js';
import { ScanOrPaste } from './ScanOrPaste.js';
import { SIGN_TEXTS, SignDocument } from './SignDocument.js';
import { FLOW_TEXTS, type FlowTexts } from './texts.js';

type Stage =
  | { readonly name: 'start' }
  | { readonly name: 'consent'; readonly request: PresentationRequest; readonly match: DcqlMatch; readonly records: readonly WalletCredential[] }
  | { readonly name: 'done'; readonly outcome: 'sent' | 'declined' }
  /** The verifier took the presentation and refused the citizen (`oid4vp.verifier-refused`): its reason, in words. */
  | { readonly name: 'done'; readonly outcome: 'refused'; readonly reason: string };

/** The purpose the verifier signed into the request (its `verifier_info`), when it gave one. */
function purposeOf(request: PresentationRequest): string | undefined {
  return request.purpose;
}

/**
 * One line per value that goes out, each claim by its label (`거주지 › 시·도: 서울특별시`), objects and arrays opened.
 * @param type - the credential's catalogue type name, or its own type (then the claims' own names are shown)
 */
function claimLines(type: string, path: readonly (string | number | null)[], value: unknown, lang: Lang, t: Texts): string[] {
  if (Array.isArray(value) && value.length > 0) return value.flatMap((item, index) => claimLines(type, [...path, index], item, lang, t));
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) return Object.entries(value).flatMap(([name, item]) => claimLines(type, [...path, name], item, lang, t));
  return [`${claimName(type, path, lang)}: ${claimValueText(type, path, value, lang, t)}`];
}

/**
 * A claim's path as the catalogue labels it: a JWT VC's DCQL paths start at the credential (`credentialSubject.status`),
 * its labels at the subject (`status`, 학적 상태), as an SD-JWT VC's do.
 */
function subjectPath(path: readonly (string | number | null)[]): readonly (string | number | null)[] {
  return path[0] === 'credentialSubject' ? path.slice(1) : path;
}

/** What goes out for a candidate, for the history: the disclosed claim names, or `*` for a whole JWT VC. */
function sharedOf(candidate: DcqlCandidate, record: WalletCredential | undefined): SharingRecord['shared'][number] {
  return { credentialId: candidate.credential.id, type: record?.type ?? candidate.decoded.primaryType, claims: candidate.wholeCredential ? ['*'] : [...candidate.disclose] };
}

/**
 * Presenting to a verifier (OpenID4VP): scan or paste its request, which the wallet core fetches and checks; the
 * consent screen shows who asks (the verifier's DID, and the purpose when the request names one), exactly which claims
 * of which credential would go (the DCQL match), lets the citizen choose among matching credentials, and sends — only
 * the requested SD-JWT disclosures with a key binding, or a JWT VC in a signed VP — or declines. Each answer goes into
 * the sharing history.
 * @param link - a request link from a same-device link (`#present?request=…`): opened at once, as if pasted
 */
export function Present({ vault, holder, link, onCancel }: { vault: Vault; holder: HolderKey | undefined; link?: string; onCancel: () => void }): ReactNode {
  const t = useMessages(TEXTS);
  const f = useMessages(FLOW_TEXTS);
  const { lang } = useLanguage();
  const client = useMemo(() => new Oid4vpClient(BROWSER_TRANSPORT), []);
  const [stage, setStage] = useState<Stage>({ name: 'start' });
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const linkRead = useRef(false);

  useEffect(() => {
    if (link === undefined || linkRead.current) return;
    linkRead.current = true;
    void open(link);
  }, [link]);

  async function open(text: string): Promise<void> {
    setBusy(true);
    setError('');
    try {
      const request = await client.open(text);
      const records = (await vault.credentials()).filter((record) => {
        const card = cardView(record, holder);
        return card.ok && card.view.binding === 'this-wallet';
      });
      const match = client.match(request, records);
      setChosen(Object.fromEntries(match.queries.filter((q) => q.candidates.length > 0).map((q) => [q.query.id, q.candidates[0]!.credential.id])));
      setStage({ name: 'consent', request, match, records });
    } catch (caught) {
      setError(flowErrorText(caught, lang, t));
    } finally {
      setBusy(false);
    }
  }

  async function remember(request: PresentationRequest, outcome: SharingRecord['outcome'], shared: SharingRecord['shared']): Promise<void> {
    const purpose = purposeOf(request);
    await vault.recordSharing({ id: globalThis.crypto.randomUUID(), at: new Date().toISOString(), channel: 'oid4vp', verifier: request.verifierDid, ...(purpose ? { purpose } : {}), outcome, shared });
  }

  async function send(consent: Extract<Stage, { name: 'consent' }>): Promise<void> {
    if (!holder) return;
    setBusy(true);
    setError('');
    const choice = Object.fromEntries(consent.match.queries.filter((q) => consent.match.required.includes(q.query.id) && chosen[q.query.id]).map((q) => [q.query.id, [chosen[q.query.id]!]]));
    const shared = consent.match.queries.flatMap((q) => {
      const candidate = q.candidates.find((c) => choice[q.query.id]?.includes(c.credential.id));
      return candidate ? [sharedOf(candidate, consent.records.find((r) => r.id === candidate.credential.id))] : [];
    });
    try {
      await client.present(consent.request, consent.match, choice, holder);
      // What was sent stays sent: a history that could not be written does not turn it into a failure.
      await remember(consent.request, 'sent', shared).catch(() => undefined);
      setStage({ name: 'done', outcome: 'sent' });
    } catch (caught) {
      if (caught instanceof Oid4vpError && caught.code === Oid4vpErrorCode.VerifierRefused) {
        // The verifier received what was sent, then refused: the history says it was sent, the citizen why it was refused.
        await remember(consent.request, 'sent', shared).catch(() => undefined);
        setStage({ name: 'done', outcome: 'refused', reason: flowErrorText(caught, lang, t) });
        return;
      }
      if (caught instanceof Oid4vpError && caught.code === Oid4vpErrorCode.ResponseRefused) await remember(consent.request, 'failed', shared).catch(() => undefined);
      setError(flowErrorText(caught, lang, t));
    } finally {
      setBusy(false);
    }
  }

  async function decline(consent: Extract<Stage, { name: 'consent' }>): Promise<void> {
    setBusy(true);
    setError('');
    try {
      await client.decline(consent.request);
    } catch {
      // The verifier's page then waits for the request to expire; the citizen's refusal stands all the same.
    }
    try {
      await remember(consent.request, 'declined', []);
      setStage({ name: 'done', outcome: 'declined' });
    } catch (caught) {
      setError(flowErrorText(caught, lang, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="present-title">
      <button type="button" className="link" onClick={onCancel}>
        ← {t.back}
      </button>
      <h1 id="present-title">{f.presentTitle}</h1>
      {stage.name === 'start' && (
        <>
          <p className="hint">{f.presentHint}</p>
          <ScanOrPaste id="present" busy={busy} onText={(text) => void open(text)} />
        </>
      )}
      {stage.name === 'consent' && <Consent stage={stage} chosen={chosen} setChosen={setChosen} busy={busy || !holder} onSend={() => void send(stage)} onDecline={() => void decline(stage)} f={f} t={t} lang={lang} />}
      {stage.name === 'done' && (
        <div className="panel">
          {stage.outcome === 'refused' ? (
            <p role="alert" id="present-outcome" className="error" data-outcome="refused">
              {stage.reason}
            </p>
          ) : (
            <p role="status" id="present-outcome" className={stage.outcome === 'sent' ? 'success' : 'notice'}>
              {stage.outcome === 'sent' ? f.sent : f.declined}
            </p>
          )}
          <button type="button" className="primary" onClick={onCancel}>
            {t.back}
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="error" id="present-error">
          {error}
        </p>
      )}
    </section>
  );
}

function Consent({
  stage,
  chosen,
  setChosen,
  busy,
  onSend,
  onDecline,
  f,
  t,
  lang,
}: {
  stage: Extract<Stage, { name: 'consent' }>;
  chosen: Record<string, string>;
  setChosen: (next: Record<string, string>) => void;
  busy: boolean;
  onSend: () => void;
  onDecline: () => void;
  f: FlowTexts;
  t: Texts;
  lang: Lang;
}): ReactNode {
  const { request, match, records } = stage;
  const purpose = purposeOf(request);
  const signing = request.transactionData !== undefined && request.transactionData.length > 0;
  const s = SIGN_TEXTS[lang];
  const titleOf = (id: string) => {
    const record = records.find((r) => r.id === id);
    return record ? cardTitle(cardView(record, undefined), lang, t) : id;
  };
  // The catalogue name of a candidate's type, for the claims' labels (its own type when the catalogue does not know it).
  const typeOf = (candidate: DcqlCandidate) => {
    const record = records.find((r) => r.id === candidate.credential.id);
    const card = record ? cardView(record, undefined) : undefined;
    return card?.ok ? card.view.typeName : candidate.decoded.primaryType;
  };
  return (
    <div className="panel" id="consent">
      {signing && <SignDocument transactions={request.transactionData!} />}
      <h2>{f.whoAsks}</h2>
      <p className="did" id="consent-verifier">
        {request.verifierDid}
      </p>
      {purpose && (
        <>
          <h2>{f.purpose}</h2>
          <p id="consent-purpose">{purpose}</p>
        </>
      )}
      <h2>{f.whatIsShared}</h2>
      {!match.satisfiable && (
        <p role="alert" className="error">
          {f.nothingMatches}
        </p>
      )}
      {match.queries
        .filter((q) => match.required.includes(q.query.id) && q.candidates.length > 0)
        .map((q) => (
          <fieldset key={q.query.id}>
            <legend>{q.candidates.length > 1 ? f.chooseCredential : fill(f.fromCredential, { credential: titleOf(q.candidates[0]!.credential.id) })}</legend>
            {q.candidates.map((candidate) => (
              <div key={candidate.credential.id} className="candidate">
                {q.candidates.length > 1 && (
                  <label className="choice">
                    <input type="radio" name={`query-${q.query.id}`} checked={chosen[q.query.id] === candidate.credential.id} onChange={() => setChosen({ ...chosen, [q.query.id]: candidate.credential.id })} />
                    {titleOf(candidate.credential.id)}
                  </label>
                )}
                <ul className="disclosed" data-credential={candidate.credential.id}>
                  {candidate.wholeCredential && <li>{f.wholeCredential}</li>}
                  {candidate.claims
                    .flatMap((claim) => claimLines(typeOf(candidate), subjectPath(claim.path), claim.value, lang, t))
                    .map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                </ul>
                {candidate.disclosesMore && (
                  <p className="discloses-more" data-credential={candidate.credential.id}>
                    {fill(f.disclosesMore, { paths: candidate.extraPaths.map((path) => claimName(typeOf(candidate), path, lang)).join(', ') })}
                  </p>
                )}
              </div>
            ))}
          </fieldset>
        ))}
      <div className="confirm-actions">
        <button type="button" className="primary" id="consent-send" disabled={busy || !match.satisfiable} onClick={onSend}>
          {signing ? (busy ? s.signing : s.sign) : busy ? f.sending : f.send}
        </button>
        <button type="button" className="secondary" id="consent-decline" disabled={busy} onClick={onDecline}>
          {f.decline}
        </button>
      </div>
    </div>
  );
}
