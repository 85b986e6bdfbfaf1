import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, type CredentialTypeInfo, type IssuedCredential } from '../api.js';
import { defaultFormat } from '../formats.js';
import { useI18n } from '../i18n.js';
import { buildValue, initialRaw, validate, type Raw } from '../schema.js';
import { fieldId, SchemaForm, violationMessage } from '../SchemaForm.js';
import { ErrorBanner, Hash, isSignedOut, Loading, useLoad, useSession } from '../ui.js';
import { OfferDialog } from './OfferDialog.js';

const HOLDER_DID = /^did:[a-z0-9]+:[A-Za-z0-9._:%-]+$/;

/** Pointers of the form's own fields (outside the subject). */
const VALID_UNTIL = '#validUntil';
const HOLDER = '#holderDid';
const CLAIMS_JSON = '#claims';

/** Claims typed as JSON (a type without a schema): an object, or undefined. */
function parseClaims(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Where a server error's pointer (into the credential or the subject) is shown in this form. */
function formPointer(pointer: string): string {
  if (pointer === '/credentialSubject/id' || pointer === '/holderDid') return HOLDER;
  if (['/expirationDate', '/validUntil', '/exp'].includes(pointer)) return VALID_UNTIL;
  return pointer.startsWith('/credentialSubject/') ? pointer.slice('/credentialSubject'.length) : pointer;
}

function addTo(map: Map<string, string[]>, pointer: string, message: string): void {
  map.set(pointer, [...(map.get(pointer) ?? []), message]);
}

/** The end of a day in Korea (the form asks for a date; a credential is valid through that whole day). */
function endOfKoreanDay(date: string): string {
  return `${date}T14:59:59Z`;
}

/** Issuing: choose a type, fill the form generated from its schema, issue or offer it to a wallet. */
export function Issue() {
  const { t, lang } = useI18n();
  const { session, signedOut } = useSession();
  const types = useLoad(() => api.types(), []);
  const [typeName, setTypeName] = useState('');
  const [format, setFormat] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [holderDid, setHolderDid] = useState('');
  const [raw, setRaw] = useState<Raw>({});
  const [errors, setErrors] = useState<Map<string, string[]>>(new Map());
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [result, setResult] = useState<{ issued: IssuedCredential; claims: unknown } | undefined>();
  const [offer, setOffer] = useState<{ claims: unknown } | undefined>();
  const summaryRef = useRef<HTMLDivElement>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const canIssue = session.operator.role !== 'auditor';

  const list = types.data?.types ?? [];
  const selected: CredentialTypeInfo | undefined = list.find((x) => x.type === typeName);

  // A tenant with one type: chosen for the operator once the types arrive.
  useEffect(() => {
    if (list.length === 1 && !typeName) choose(list[0]!.type);
  }, [types.data]);

  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  function choose(name: string) {
    setTypeName(name);
    const info = list.find((x) => x.type === name);
    setFormat(defaultFormat(info?.formats ?? []));
    setRaw(info?.schema ? initialRaw([{ node: info.schema, doc: info.schema }], info.schema, true) : '{}');
    setErrors(new Map());
    setAttempted(false);
    setUnplaced([]);
    setFailure(undefined);
    setResult(undefined);
  }

  const label = (info: CredentialTypeInfo) => info.labels[lang] || info.labels.ko || info.type;

  /** What the browser finds wrong with the form (the schema's rules, the holder DID), by pointer. */
  function clientErrors(info: CredentialTypeInfo, rawValue: Raw, holder: string): { subject: unknown; found: Map<string, string[]> } {
    const found = new Map<string, string[]>();
    let subject: unknown;
    if (info.schema) {
      const located = [{ node: info.schema, doc: info.schema }];
      subject = buildValue(located, info.schema, rawValue, { top: true });
      for (const violation of validate(located, info.schema, subject)) addTo(found, violation.pointer, violationMessage(t, violation));
    } else {
      subject = parseClaims(typeof rawValue === 'string' ? rawValue : '');
      if (subject === undefined) addTo(found, CLAIMS_JSON, t.issue.claimsJsonInvalid);
    }
    if (holder && !HOLDER_DID.test(holder.trim())) addTo(found, HOLDER, t.validation.pattern);
    return { subject, found };
  }

  /** The subject to send, or undefined after showing what is wrong with the form. */
  function checkedSubject(): unknown | undefined {
    if (!selected) return undefined;
    const { subject, found } = clientErrors(selected, raw, holderDid);
    setAttempted(true);
    setErrors(found);
    setUnplaced([]);
    setFailure(undefined);
    if (found.size > 0) {
      // Focus the summary so keyboard and screen-reader users learn how many fields to fix.
      window.requestAnimationFrame(() => summaryRef.current?.focus());
      return undefined;
    }
    return subject;
  }

  /** After a first attempt, errors follow the typing, so a fixed field loses its message at once. */
  function edit(nextRaw: Raw, nextHolder: string) {
    setRaw(nextRaw);
    setHolderDid(nextHolder);
    if (attempted && selected) setErrors(clientErrors(selected, nextRaw, nextHolder).found);
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!selected) return;
    const subject = checkedSubject();
    if (subject === undefined) return;
    setBusy(true);
    try {
      const issued = await api.issue({
        type: selected.type,
        subject,
        format: format || undefined,
        validUntil: validUntil ? endOfKoreanDay(validUntil) : undefined,
        holderDid: holderDid.trim() || undefined,
      });
      setResult({ issued, claims: subject });
    } catch (caught) {
      if (isSignedOut(caught)) return signedOut();
      const placed = new Map<string, string[]>();
      const rest: string[] = [];
      if (caught instanceof ApiError) {
        for (const field of caught.fields) {
          const pointer = formPointer(field.pointer);
          if (pointer === HOLDER || pointer === VALID_UNTIL || document.getElementById(fieldId(pointer))) addTo(placed, pointer, field.message);
          else if (!selected.schema) addTo(placed, CLAIMS_JSON, `${field.pointer}: ${field.message}`);
          else rest.push(`${field.pointer}: ${field.message}`);
        }
      }
      setErrors(placed);
      setUnplaced(rest);
      setFailure(caught);
    } finally {
      setBusy(false);
    }
  };

  const startOffer = () => {
    const subject = checkedSubject();
    if (subject !== undefined) setOffer({ claims: subject });
  };

  const errorCount = useMemo(() => [...errors.values()].reduce((n, list) => n + list.length, 0), [errors]);

  if (types.loading) return <Loading />;
  if (types.error) return <ErrorBanner error={types.error} onRetry={types.reload} />;

  const fieldError = (pointer: string, id: string) =>
    errors.get(pointer) ? (
      <p className="field-error" id={`${id}-error`}>
        {errors.get(pointer)!.join(' ')}
      </p>
    ) : null;

  return (
    <section aria-labelledby="issue-title">
      <h1 id="issue-title">{t.issue.title}</h1>
      {list.length === 0 ? <p>{t.issue.noTypes}</p> : null}
      {result ? (
        <div className="card result" aria-labelledby="result-title">
          <h2 id="result-title" tabIndex={-1} ref={resultRef}>
            {t.issue.issued}
          </h2>
          <dl className="facts">
            <dt>{t.issue.resultType}</dt>
            <dd>{selected ? label(selected) : result.issued.type}</dd>
            <dt>{t.issue.resultId}</dt>
            <dd>
              <code className="hash">{result.issued.id}</code>
            </dd>
            <dt>{t.issue.resultHash}</dt>
            <dd>
              <Hash value={result.issued.credentialHash} keep={14} />
            </dd>
            <dt>{t.issue.resultFormat}</dt>
            <dd>{t.issue.formats[result.issued.format] ?? result.issued.format}</dd>
          </dl>
          <div className="actions">
            <button type="button" className="button primary" onClick={() => setOffer({ claims: result.claims })}>
              {t.issue.offerToWallet}
            </button>
            <a className="button secondary" href={api.certificateUrl(result.issued.id)} target="_blank" rel="noopener">
              {t.issue.printPdf}
            </a>
            <button type="button" className="button secondary" onClick={() => choose(typeName)}>
              {t.issue.issueAnother}
            </button>
          </div>
        </div>
      ) : list.length > 0 ? (
        <form className="card" onSubmit={submit} noValidate aria-labelledby="issue-title">
          <div className="field">
            <label htmlFor="issue-type">{t.issue.type}</label>
            <select id="issue-type" value={typeName} onChange={(e) => choose(e.target.value)}>
              <option value="">{t.issue.chooseType}</option>
              {list.map((info) => (
                <option key={info.type} value={info.type}>
                  {label(info)}
                </option>
              ))}
            </select>
          </div>
          {selected ? (
            <>
              {errorCount > 0 ? (
                <div className="banner error" role="alert" tabIndex={-1} ref={summaryRef}>
                  {t.issue.fixErrors(errorCount)}
                </div>
              ) : null}
              <ErrorBanner error={failure} />
              {unplaced.length > 0 ? (
                <ul className="problem-list">
                  {unplaced.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              ) : null}
              <div className="field-row">
                {selected.formats.length > 1 ? (
                  <div className="field">
                    <label htmlFor="issue-format">{t.issue.format}</label>
                    <select id="issue-format" value={format} onChange={(e) => setFormat(e.target.value)}>
                      {selected.formats.map((f) => (
                        <option key={f} value={f}>
                          {t.issue.formats[f] ?? f}
                        </option>
                      ))}
                    </select>
                  </div>
                ) : null}
                <div className="field">
                  <label htmlFor="issue-valid-until">{t.issue.validUntil}</label>
                  {selected.maxValidity ? (
                    <p className="field-hint" id="issue-valid-until-hint">
                      {t.issue.validUntilHint(selected.maxValidity)}
                    </p>
                  ) : null}
                  <input
                    id="issue-valid-until"
                    type="date"
                    value={validUntil}
                    aria-invalid={errors.has(VALID_UNTIL) || undefined}
                    aria-describedby={[selected.maxValidity ? 'issue-valid-until-hint' : '', errors.has(VALID_UNTIL) ? 'issue-valid-until-error' : ''].filter(Boolean).join(' ') || undefined}
                    onChange={(e) => setValidUntil(e.target.value)}
                  />
                  {fieldError(VALID_UNTIL, 'issue-valid-until')}
                </div>
                <div className="field">
                  <label htmlFor="issue-holder">{t.issue.holderDid}</label>
                  <p className="field-hint" id="issue-holder-hint">
                    {t.issue.holderDidHint}
                  </p>
                  <input
                    id="issue-holder"
                    value={holderDid}
                    autoComplete="off"
                    spellCheck={false}
                    aria-invalid={errors.has(HOLDER) || undefined}
                    aria-describedby={`issue-holder-hint${errors.has(HOLDER) ? ' issue-holder-error' : ''}`}
                    onChange={(e) => edit(raw, e.target.value)}
                  />
                  {fieldError(HOLDER, 'issue-holder')}
                </div>
              </div>
              {selected.schema ? (
                <fieldset className="schema-root">
                  <legend>{t.issue.subject}</legend>
                  <SchemaForm schema={selected.schema} raw={raw} errors={errors} onChange={(next) => edit(next, holderDid)} disabled={busy} />
                </fieldset>
              ) : (
                <div className="field">
                  <label htmlFor="issue-claims">{t.issue.claimsJson}</label>
                  <p className="field-hint" id="issue-claims-hint">
                    {t.issue.claimsJsonHint}
                  </p>
                  <textarea
                    id="issue-claims"
                    rows={8}
                    spellCheck={false}
                    value={typeof raw === 'string' ? raw : ''}
                    aria-invalid={errors.has(CLAIMS_JSON) || undefined}
                    aria-describedby={`issue-claims-hint${errors.has(CLAIMS_JSON) ? ' issue-claims-error' : ''}`}
                    onChange={(e) => edit(e.target.value, holderDid)}
                  />
                  {fieldError(CLAIMS_JSON, 'issue-claims')}
                </div>
              )}
              <div className="actions">
                <button type="submit" className="button primary" disabled={busy || !canIssue}>
                  {busy ? t.issue.submitting : t.issue.submit}
                </button>
                <button type="button" className="button secondary" disabled={busy || !canIssue} onClick={startOffer}>
                  {t.issue.offer}
                </button>
              </div>
            </>
          ) : null}
        </form>
      ) : null}
      {offer && selected ? <OfferDialog type={selected.type} typeLabel={label(selected)} claims={offer.claims} format={format || undefined} onClose={() => setOffer(undefined)} /> : null}
    </section>
  );
}
