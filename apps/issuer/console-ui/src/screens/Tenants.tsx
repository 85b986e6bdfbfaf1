import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, NETWORK_ERROR, api, type AnchorerWithdrawals, type CatalogueType, type TenantCreated, type TenantKind, type TenantOverview } from '../api.js';
import { useI18n } from '../i18n.js';
import { DataTable, Dialog, ErrorBanner, Hash, isSignedOut, Loading, useLoad, useSession } from '../ui.js';

const KINDS: TenantKind[] = ['department', 'employer', 'app'];
const ACCREDITATION_BADGE: Record<string, string> = { accredited: 'status-valid', 'partly-accredited': 'status-suspended', 'not-accredited': 'status-revoked' };

/** A request that stopped where only sending it again helps: the chain or the network did not answer. */
function stoppedOnTheWay(error: unknown): boolean {
  return error instanceof ApiError && (error.code === NETWORK_ERROR || error.status >= 500);
}

/** The server's field problems of `error` whose pointer is one of `fields` (or below it), by field. */
function fieldProblems(error: unknown, fields: readonly string[]): Map<string, string[]> {
  const placed = new Map<string, string[]>();
  if (!(error instanceof ApiError)) return placed;
  for (const { pointer, message } of error.fields) {
    const field = fields.find((f) => pointer === `/${f}` || pointer.startsWith(`/${f}/`));
    if (field) placed.set(field, [...(placed.get(field) ?? []), message]);
  }
  return placed;
}

/** Runs one admin request at a time: its error (the session's end sends the operator to sign-in) and whether it runs. */
function useAction() {
  const { signedOut } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await action();
    } catch (caught) {
      if (isSignedOut(caught)) signedOut();
      else setError(caught);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clear: () => setError(undefined) };
}

/** A labelled text input with its hint and the problems found with it, tied to it for screen readers. */
function TextField(props: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  required?: boolean;
  hint?: string;
  problems?: string[] | undefined;
  type?: string;
  inputMode?: 'numeric';
}) {
  const { id, label, value, onChange, required, hint, problems, type = 'text', inputMode } = props;
  const describedBy = [hint ? `${id}-hint` : '', problems?.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        type={type}
        inputMode={inputMode}
        autoComplete="off"
        required={required}
        aria-required={required || undefined}
        aria-invalid={problems?.length ? true : undefined}
        aria-describedby={describedBy}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {problems?.length ? (
        <p className="field-error" id={`${id}-error`}>
          {problems.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

/** Checkboxes of credential types (a department's or an employer's catalogue types), as one group with its problems. */
function TypeChoice(props: { idPrefix: string; legend: string; hint: string; choices: { type: string; label: string }[]; chosen: string[]; onChange(types: string[]): void; problems?: string[] | undefined }) {
  const { idPrefix, legend, hint, choices, chosen, onChange, problems } = props;
  const { t } = useI18n();
  return (
    <fieldset aria-describedby={`${idPrefix}-hint${problems?.length ? ` ${idPrefix}-error` : ''}`}>
      <legend>
        {legend}
        <span aria-hidden="true"> *</span>
      </legend>
      <p className="field-hint" id={`${idPrefix}-hint`}>
        {hint}
      </p>
      {choices.length === 0 ? <p>{t.tenants.noCatalogueTypes}</p> : null}
      {choices.map(({ type, label }) => (
        <div className="field checkbox-field" key={type}>
          <input
            type="checkbox"
            id={`${idPrefix}-${type}`}
            checked={chosen.includes(type)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, type] : chosen.filter((x) => x !== type))}
          />
          <label htmlFor={`${idPrefix}-${type}`}>
            {label} <code>{type}</code>
          </label>
        </div>
      ))}
      {problems?.length ? (
        <p className="field-error" id={`${idPrefix}-error`}>
          {problems.join(' ')}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Type names typed by hand (an app operator's own types), split on commas and white space. */
function typedTypes(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** An API key shown once, with a copy button; it is gone once the operator hides it or leaves. */
function OneTimeKey({ apiKey, id, onDismiss }: { apiKey: string; id: string; onDismiss(): void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(apiKey);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="one-time-key">
      <div className="field">
        <label htmlFor={id}>{t.tenants.oneTimeKey}</label>
        <p className="field-hint" id={`${id}-hint`}>
          {t.tenants.oneTimeKeyHint}
        </p>
        <input id={id} readOnly value={apiKey} aria-describedby={`${id}-hint`} onFocus={(e) => e.target.select()} />
      </div>
      <div className="actions">
        <button type="button" className="button secondary" onClick={copy}>
          {t.tenants.copyKey}
        </button>
        <button type="button" className="button secondary" onClick={onDismiss}>
          {t.tenants.dismissKey}
        </button>
        <span role="status" className="copied">
          {copied ? t.tenants.copied : ''}
        </span>
      </div>
    </div>
  );
}

/**
 * The anchorer registrations a change could not end: said in words, with a retry (`withdraw-anchorers`), which also
 * reports how many it ended.
 */
function AnchorerRetry({ slug, anchorers }: { slug: string; anchorers: AnchorerWithdrawals }) {
  const { t } = useI18n();
  const action = useAction();
  const [left, setLeft] = useState(anchorers.failed);
  const [done, setDone] = useState('');
  if (left.length === 0 && !done) return null;
  const retry = async () => {
    const answer = await action.run(() => api.admin.withdrawAnchorers(slug));
    if (!answer) return;
    setLeft(answer.anchorers.failed);
    setDone(answer.anchorers.withdrawn.length > 0 ? t.tenants.anchorersDone(answer.anchorers.withdrawn.length) : t.tenants.anchorersNone);
  };
  return (
    <div className="anchorer-retry">
      <p role="status" className="notice">
        {done}
      </p>
      {left.length > 0 ? (
        <div className="banner error" role="alert">
          <span>{t.tenants.anchorersFailed([...new Set(left.map((f) => f.type))].join(', '))}</span>
          <button type="button" className="button secondary small" disabled={action.busy} onClick={retry}>
            {t.tenants.anchorersRetry}
          </button>
        </div>
      ) : null}
      <ErrorBanner error={action.error} />
    </div>
  );
}

/** Creates a tenant: names, kind, types; the chain accredits it before anything is written. */
function CreateTenant({ catalogue, labelOf, onCreated }: { catalogue: CatalogueType[]; labelOf(type: string): string; onCreated(): void }) {
  const { t } = useI18n();
  const action = useAction();
  const [form, setForm] = useState({ slug: '', name: '', nameEn: '', kind: 'department' as TenantKind, types: [] as string[], openTypes: '' });
  const [missing, setMissing] = useState<Set<string>>(new Set());
  const [created, setCreated] = useState<TenantCreated | undefined>();
  const [shownKey, setShownKey] = useState<string | undefined>();
  const lastRequest = useRef<Parameters<typeof api.admin.createTenant>[0] | undefined>(undefined);

  const types = form.kind === 'app' ? typedTypes(form.openTypes) : form.types;
  const choices = catalogue.filter((c) => c.kind === form.kind).map((c) => ({ type: c.type, label: labelOf(c.type) }));

  const send = async (request: Parameters<typeof api.admin.createTenant>[0]) => {
    lastRequest.current = request;
    setCreated(undefined);
    setShownKey(undefined);
    const answer = await action.run(() => api.admin.createTenant(request));
    if (!answer) return;
    setCreated(answer);
    setShownKey(answer.apiKey);
    setForm({ slug: '', name: '', nameEn: '', kind: form.kind, types: [], openTypes: '' });
    onCreated();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const empty = new Set<string>();
    if (!form.slug.trim()) empty.add('slug');
    if (!form.name.trim()) empty.add('name');
    if (types.length === 0) empty.add('types');
    setMissing(empty);
    if (empty.size > 0) return;
    await send({ slug: form.slug.trim(), name: form.name.trim(), ...(form.nameEn.trim() ? { nameEn: form.nameEn.trim() } : {}), kind: form.kind, types });
  };

  const problems = fieldProblems(action.error, ['slug', 'name', 'nameEn', 'kind', 'types']);
  const problemsOf = (field: string) => [...(missing.has(field) ? [t.validation.required] : []), ...(problems.get(field) ?? [])];

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="tenant-create-title">
      <h2 id="tenant-create-title">{t.tenants.create}</h2>
      <p role="status" className="notice">
        {created ? `${t.tenants.created(created.tenant.slug)}${created.resumed ? ` ${t.tenants.resumed}` : ''}` : ''}
      </p>
      {created ? (
        <div className="created">
          <dl className="facts">
            <dt>{t.tenants.colSlug}</dt>
            <dd>{created.tenant.slug}</dd>
            <dt>{t.tenants.colDid}</dt>
            <dd>
              <Hash value={created.tenant.did} keep={24} />
            </dd>
            <dt>{t.tenants.colTypes}</dt>
            <dd>{created.tenant.types.map(labelOf).join(', ')}</dd>
            {created.accreditation ? (
              <>
                <dt>{t.tenants.accreditedTx}</dt>
                <dd>
                  <Hash value={created.accreditation.txHash} />
                </dd>
              </>
            ) : null}
          </dl>
          {shownKey ? <OneTimeKey apiKey={shownKey} id="created-api-key" onDismiss={() => setShownKey(undefined)} /> : null}
        </div>
      ) : null}
      {action.error && stoppedOnTheWay(action.error) && lastRequest.current ? (
        <div className="banner error" role="alert">
          <span>{t.tenants.chainStopped}</span>
          <button type="button" className="button secondary small" disabled={action.busy} onClick={() => send(lastRequest.current!)}>
            {t.tenants.retrySame}
          </button>
        </div>
      ) : null}
      <ErrorBanner error={action.error} />
      <div className="field-row">
        <TextField id="tenant-slug" label={t.tenants.slug} hint={t.tenants.slugHint} required value={form.slug} onChange={(slug) => setForm({ ...form, slug })} problems={problemsOf('slug')} />
        <div className="field">
          <label htmlFor="tenant-kind">{t.tenants.kind}</label>
          <select id="tenant-kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as TenantKind, types: [] })}>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t.tenants.kinds[kind]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field-row">
        <TextField id="tenant-name" label={t.tenants.name} hint={t.tenants.nameHint} required value={form.name} onChange={(name) => setForm({ ...form, name })} problems={problemsOf('name')} />
        <TextField id="tenant-name-en" label={t.tenants.nameEn} hint={t.tenants.nameEnHint} value={form.nameEn} onChange={(nameEn) => setForm({ ...form, nameEn })} problems={problemsOf('nameEn')} />
      </div>
      {form.kind === 'app' ? (
        <TextField
          id="tenant-open-types"
          label={t.tenants.openTypes}
          hint={t.tenants.openTypesHint}
          required
          value={form.openTypes}
          onChange={(openTypes) => setForm({ ...form, openTypes })}
          problems={problemsOf('types')}
        />
      ) : (
        <TypeChoice
          idPrefix="tenant-type"
          legend={t.tenants.types}
          hint={t.tenants.typesHint}
          choices={choices}
          chosen={form.types}
          onChange={(chosen) => setForm({ ...form, types: chosen })}
          problems={problemsOf('types')}
        />
      )}
      <button type="submit" className="button primary" disabled={action.busy}>
        {action.busy ? t.tenants.creating : t.tenants.submitCreate}
      </button>
    </form>
  );
}

/** Makes the chosen types the tenant's, on chain first; a half-done change completes when sent again. */
function TypesEditor({ tenant, catalogue, labelOf, onChanged }: { tenant: TenantOverview; catalogue: CatalogueType[]; labelOf(type: string): string; onChanged(): void }) {
  const { t } = useI18n();
  const action = useAction();
  const [types, setTypes] = useState<string[]>(tenant.types);
  const [openTypes, setOpenTypes] = useState(tenant.kind === 'app' ? tenant.types.join(', ') : '');
  const [reinstate, setReinstate] = useState(false);
  const [missing, setMissing] = useState(false);
  const [outcome, setOutcome] = useState<{ text: string; anchorers: AnchorerWithdrawals } | undefined>();
  const chosen = tenant.kind === 'app' ? typedTypes(openTypes) : types;
  // The tenant's own types stay choosable even if the catalogue no longer lists them for its kind.
  const choices = [...new Set([...catalogue.filter((c) => c.kind === tenant.kind).map((c) => c.type), ...tenant.types])].map((type) => ({ type, label: labelOf(type) }));

  const save = async (event?: FormEvent) => {
    event?.preventDefault();
    setMissing(chosen.length === 0);
    setOutcome(undefined);
    if (chosen.length === 0) return;
    const answer = await action.run(() => api.admin.setTypes(tenant.slug, { types: chosen, ...(reinstate ? { reinstate: true } : {}) }));
    if (!answer) return;
    const names = (list: string[]) => list.map(labelOf).join(', ');
    const parts = [
      answer.accredited ? t.tenants.typesAccredited(names(answer.accredited.types)) : '',
      answer.revoked.length ? t.tenants.typesRevoked(names(answer.revoked)) : '',
      answer.reinstated.length ? t.tenants.typesReinstated(names(answer.reinstated)) : '',
    ].filter(Boolean);
    setOutcome({ text: parts.length ? `${t.tenants.typesSaved} ${parts.join(' · ')}` : t.tenants.typesUnchanged, anchorers: answer.anchorers });
    setReinstate(false);
    onChanged();
  };

  const problems = [...(missing ? [t.validation.required] : []), ...(fieldProblems(action.error, ['types']).get('types') ?? [])];
  return (
    <section aria-labelledby="types-title">
      <h3 id="types-title">{t.tenants.typesTitle}</h3>
      <form onSubmit={save} noValidate>
        {tenant.kind === 'app' ? (
          <TextField id="types-open" label={t.tenants.openTypes} hint={t.tenants.openTypesHint} required value={openTypes} onChange={setOpenTypes} problems={problems} />
        ) : (
          <TypeChoice idPrefix="types" legend={t.tenants.colTypes} hint={t.tenants.typesChangeHint} choices={choices} chosen={types} onChange={setTypes} problems={problems} />
        )}
        <div className="field checkbox-field">
          <input type="checkbox" id="types-reinstate" checked={reinstate} aria-describedby="types-reinstate-hint" onChange={(e) => setReinstate(e.target.checked)} />
          <label htmlFor="types-reinstate">{t.tenants.reinstate}</label>
          <p className="field-hint" id="types-reinstate-hint">
            {t.tenants.reinstateHint}
          </p>
        </div>
        <p role="status" className="notice">
          {outcome?.text ?? ''}
        </p>
        {outcome ? <AnchorerRetry slug={tenant.slug} anchorers={outcome.anchorers} /> : null}
        {action.error && stoppedOnTheWay(action.error) ? (
          <div className="banner error" role="alert">
            <span>{t.tenants.chainRetryHint}</span>
            <button type="button" className="button secondary small" disabled={action.busy} onClick={() => save()}>
              {t.tenants.retrySame}
            </button>
          </div>
        ) : null}
        <ErrorBanner error={action.error} />
        <button type="submit" className="button primary" disabled={action.busy}>
          {action.busy ? t.tenants.saving : t.tenants.saveTypes}
        </button>
      </form>
    </section>
  );
}

/** Rotates the tenant's key after a confirmation step; a refusal for credentials awaiting anchoring offers `force`. */
function KeyRotation({ tenant, onChanged }: { tenant: TenantOverview; onChanged(): void }) {
  const { t } = useI18n();
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const [force, setForce] = useState(false);
  const [outcome, setOutcome] = useState<{ text: string; tx: string | null; anchorers: AnchorerWithdrawals } | undefined>();
  const confirmRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const unanchored = action.error instanceof ApiError && action.error.code === 'tenant.unanchored-credentials';

  const rotate = async () => {
    const answer = await action.run(() => api.admin.rotateKey(tenant.slug, force));
    if (!answer) return;
    setConfirming(false);
    setForce(false);
    setOutcome({ text: t.tenants.rotated(answer.newOwner), tx: answer.transaction?.hash ?? null, anchorers: answer.anchorers });
    onChanged();
  };

  return (
    <section aria-labelledby="rotate-title">
      <h3 id="rotate-title">{t.tenants.rotateTitle}</h3>
      <p>{t.tenants.rotateIntro}</p>
      <p role="status" className="notice">
        {outcome?.text ?? ''}
      </p>
      {outcome?.tx ? (
        <p>
          {t.tenants.transaction}: <Hash value={outcome.tx} />
        </p>
      ) : null}
      {outcome ? <AnchorerRetry slug={tenant.slug} anchorers={outcome.anchorers} /> : null}
      {!confirming ? (
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            action.clear();
            setOutcome(undefined);
            setConfirming(true);
          }}
        >
          {t.tenants.rotateStart}
        </button>
      ) : (
        <div className="confirm" role="group" aria-labelledby="rotate-confirm-title">
          <h4 id="rotate-confirm-title">{t.tenants.rotateConfirmTitle}</h4>
          <p tabIndex={-1} ref={confirmRef}>
            {t.tenants.rotateConfirmText(tenant.slug)}
          </p>
          <ErrorBanner error={action.error} />
          {unanchored || force ? (
            <div className="field checkbox-field">
              <input type="checkbox" id="rotate-force" checked={force} aria-describedby="rotate-force-hint" onChange={(e) => setForce(e.target.checked)} />
              <label htmlFor="rotate-force">{t.tenants.rotateForce}</label>
              <p className="field-hint" id="rotate-force-hint">
                {t.tenants.rotateForceHint}
              </p>
            </div>
          ) : null}
          <div className="actions">
            <button type="button" className="button danger" disabled={action.busy} onClick={rotate}>
              {action.busy ? t.tenants.rotating : t.tenants.rotateConfirm}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              {t.cancel}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** Adds or revokes an ERC-1056 delegate of the tenant's identity. */
function Delegates({ tenant }: { tenant: TenantOverview }) {
  const { t } = useI18n();
  const action = useAction();
  const [form, setForm] = useState({ delegate: '', type: 'veriKey' as 'veriKey' | 'sigAuth', validDays: '' });
  const [missing, setMissing] = useState(false);
  const [outcome, setOutcome] = useState<{ text: string; tx: string } | undefined>();

  const change = async (revoke: boolean) => {
    const delegate = form.delegate.trim();
    setMissing(!delegate);
    setOutcome(undefined);
    if (!delegate) return;
    const days = form.validDays.trim();
    const answer = await action.run(() =>
      revoke
        ? api.admin.revokeDelegate(tenant.slug, { delegate, type: form.type })
        : api.admin.addDelegate(tenant.slug, { delegate, type: form.type, ...(days ? { validDays: Number(days) } : {}) }),
    );
    if (!answer) return;
    setOutcome({ text: revoke ? t.tenants.delegateRevoked(answer.delegate) : t.tenants.delegateAdded(answer.delegate, answer.validDays ?? 0), tx: answer.txHash });
  };

  const problems = fieldProblems(action.error, ['delegate', 'validDays', 'type']);
  return (
    <section aria-labelledby="delegates-title">
      <h3 id="delegates-title">{t.tenants.delegatesTitle}</h3>
      <p>{t.tenants.delegatesIntro}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void change(false);
        }}
      >
        <TextField
          id="delegate-address"
          label={t.tenants.delegate}
          required
          value={form.delegate}
          onChange={(delegate) => setForm({ ...form, delegate })}
          problems={[...(missing ? [t.validation.required] : []), ...(problems.get('delegate') ?? [])]}
        />
        <div className="field-row">
          <div className="field">
            <label htmlFor="delegate-type">{t.tenants.delegateType}</label>
            <select id="delegate-type" value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value as 'veriKey' | 'sigAuth' })}>
              {(['veriKey', 'sigAuth'] as const).map((type) => (
                <option key={type} value={type}>
                  {t.tenants.delegateTypes[type]}
                </option>
              ))}
            </select>
          </div>
          <TextField
            id="delegate-days"
            label={t.tenants.validDays}
            hint={t.tenants.validDaysHint}
            type="number"
            inputMode="numeric"
            value={form.validDays}
            onChange={(validDays) => setForm({ ...form, validDays })}
            problems={problems.get('validDays')}
          />
        </div>
        <p role="status" className="notice">
          {outcome?.text ?? ''}
        </p>
        {outcome ? (
          <p>
            {t.tenants.transaction}: <Hash value={outcome.tx} />
          </p>
        ) : null}
        <ErrorBanner error={action.error} />
        <div className="actions">
          <button type="submit" className="button primary" disabled={action.busy}>
            {t.tenants.addDelegate}
          </button>
          <button type="button" className="button danger" disabled={action.busy} onClick={() => void change(true)}>
            {t.tenants.revokeDelegate}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The tenant's API keys: revoke one (after a confirmation), issue one (shown once). */
function ApiKeys({ tenant }: { tenant: TenantOverview }) {
  const { t, dateTime } = useI18n();
  const keys = useLoad(() => api.admin.apiKeys(tenant.slug), [tenant.slug]);
  const action = useAction();
  const [label, setLabel] = useState('');
  const [issued, setIssued] = useState<{ apiKey: string; prefix: string } | undefined>();
  const [revoking, setRevoking] = useState<string | undefined>();
  const [notice, setNotice] = useState('');

  const issue = async (event: FormEvent) => {
    event.preventDefault();
    setNotice('');
    const answer = await action.run(() => api.admin.issueApiKey(tenant.slug, label.trim()));
    if (!answer) return;
    setIssued({ apiKey: answer.apiKey, prefix: answer.key.prefix });
    setNotice(t.tenants.keyIssued(answer.key.prefix));
    setLabel('');
    keys.reload();
  };
  const revoke = async (id: string, prefix: string) => {
    setNotice('');
    const answer = await action.run(() => api.admin.revokeApiKey(tenant.slug, id));
    if (!answer) return;
    setRevoking(undefined);
    setNotice(t.tenants.keyRevokedNotice(prefix));
    keys.reload();
  };

  const problems = fieldProblems(action.error, ['label']).get('label');
  return (
    <section aria-labelledby="api-keys-title">
      <h3 id="api-keys-title">{t.tenants.apiKeysTitle}</h3>
      <p role="status" className="notice">
        {notice}
      </p>
      {issued ? <OneTimeKey apiKey={issued.apiKey} id="issued-api-key" onDismiss={() => setIssued(undefined)} /> : null}
      <ErrorBanner error={action.error} />
      <ErrorBanner error={keys.error} onRetry={keys.reload} />
      {keys.loading && !keys.data ? <Loading /> : null}
      {keys.data ? (
        keys.data.items.length === 0 ? (
          <p>{t.tenants.noApiKeys}</p>
        ) : (
          <DataTable
            id="api-keys"
            caption={t.tenants.apiKeysList}
            rows={keys.data.items}
            rowKey={(key) => key.id}
            columns={[
              { header: t.tenants.colPrefix, cell: (key) => <code>{key.prefix}…</code> },
              { header: t.tenants.colLabel, cell: (key) => key.label },
              { header: t.tenants.colCreated, cell: (key) => dateTime(key.createdAt) },
              { header: t.tenants.colKeyState, cell: (key) => (key.revokedAt ? t.tenants.keyRevoked(dateTime(key.revokedAt)) : t.tenants.keyLive) },
              {
                header: t.tenants.colActions,
                cell: (key) =>
                  key.revokedAt ? null : revoking === key.id ? (
                    <div className="confirm small" role="group" aria-label={t.tenants.revokeKeyOf(key.prefix)}>
                      <p>{t.tenants.revokeKeyConfirm(key.prefix)}</p>
                      <div className="actions">
                        <button type="button" className="button danger small" disabled={action.busy} onClick={() => void revoke(key.id, key.prefix)}>
                          {t.tenants.revokeKeyConfirmButton}
                        </button>
                        <button type="button" className="button secondary small" onClick={() => setRevoking(undefined)}>
                          {t.cancel}
                        </button>
                      </div>
                    </div>
                  ) : (
                    <button type="button" className="button secondary small" aria-label={t.tenants.revokeKeyOf(key.prefix)} onClick={() => setRevoking(key.id)}>
                      {t.tenants.revokeKey}
                    </button>
                  ),
              },
            ]}
          />
        )
      ) : null}
      <form onSubmit={issue} noValidate>
        <TextField id="api-key-label" label={t.tenants.label} hint={t.tenants.labelHint} value={label} onChange={setLabel} problems={problems} />
        <button type="submit" className="button primary" disabled={action.busy}>
          {t.tenants.issueKey}
        </button>
      </form>
    </section>
  );
}

/** One tenant: its facts, then each administration in its own section. */
function TenantDialog({ tenant, catalogue, labelOf, onChanged, onClose }: { tenant: TenantOverview; catalogue: CatalogueType[]; labelOf(type: string): string; onChanged(): void; onClose(): void }) {
  const { t, dateTime } = useI18n();
  return (
    <Dialog title={t.tenants.detailTitle(tenant.slug)} onClose={onClose} className="drawer tenant-drawer">
      <dl className="facts">
        <dt>{t.tenants.colName}</dt>
        <dd>{tenant.name}</dd>
        <dt>{t.tenants.colNameEn}</dt>
        <dd>{tenant.nameEn ?? '—'}</dd>
        <dt>{t.tenants.kind}</dt>
        <dd>{t.tenants.kinds[tenant.kind] ?? tenant.kind}</dd>
        <dt>{t.tenants.colDid}</dt>
        <dd>
          <Hash value={tenant.did} keep={24} />
        </dd>
        <dt>{t.tenants.address}</dt>
        <dd>
          <Hash value={tenant.address} />
        </dd>
        <dt>{t.tenants.colStatus}</dt>
        <dd>
          <AccreditationBadge tenant={tenant} />
        </dd>
        <dt>{t.tenants.colTypes}</dt>
        <dd>
          <TypeStates tenant={tenant} labelOf={labelOf} />
        </dd>
        <dt>{t.tenants.createdAt}</dt>
        <dd>{dateTime(tenant.createdAt)}</dd>
      </dl>
      <TypesEditor tenant={tenant} catalogue={catalogue} labelOf={labelOf} onChanged={onChanged} />
      <KeyRotation tenant={tenant} onChanged={onChanged} />
      <Delegates tenant={tenant} />
      <ApiKeys tenant={tenant} />
    </Dialog>
  );
}

function AccreditationBadge({ tenant }: { tenant: TenantOverview }) {
  const { t } = useI18n();
  const { state } = tenant.accreditation;
  return <span className={`badge ${ACCREDITATION_BADGE[state] ?? ''}`}>{t.tenants.state[state] ?? state}</span>;
}

/** Each configured type with its state on chain, in words. */
function TypeStates({ tenant, labelOf }: { tenant: TenantOverview; labelOf(type: string): string }) {
  const { t } = useI18n();
  const { accredited, suspended } = tenant.accreditation;
  const stateOf = (type: string) => (suspended.includes(type) ? t.tenants.typeState['suspended'] : accredited.includes(type) ? t.tenants.typeState['accredited'] : t.tenants.typeState['notAccredited']);
  return (
    <ul className="type-states">
      {tenant.types.map((type) => (
        <li key={type}>
          {labelOf(type)} ({stateOf(type)})
        </li>
      ))}
    </ul>
  );
}

/** The city administrators' Tenants screen: every tenant with its accreditation on chain; create and administer them. */
export function Tenants() {
  const { t, lang, dateTime } = useI18n();
  const { session } = useSession();
  const cityAdmin = session.cityAdmin === true;
  const list = useLoad(() => (cityAdmin ? api.admin.tenants() : Promise.resolve({ items: [] as TenantOverview[] })), [cityAdmin]);
  const catalogue = useLoad(() => (cityAdmin ? api.admin.catalogue() : Promise.resolve({ items: [] as CatalogueType[] })), [cityAdmin]);
  const [open, setOpen] = useState<string | undefined>();

  if (!cityAdmin) {
    return (
      <section aria-labelledby="tenants-title">
        <h1 id="tenants-title">{t.tenants.title}</h1>
        <p className="banner info">{t.errors['console.city-admin-only']}</p>
      </section>
    );
  }

  const labels = new Map((catalogue.data?.items ?? []).map((c) => [c.type, c.labels[lang]]));
  const labelOf = (type: string) => labels.get(type) ?? type;
  const items = list.data?.items ?? [];
  const selected = items.find((tenant) => tenant.slug === open);
  const asOf = items[0]?.accreditation.asOf;

  let table: ReactNode = null;
  if (list.data && catalogue.data) {
    table =
      items.length === 0 ? (
        <p role="status">{t.tenants.empty}</p>
      ) : (
        <DataTable
          id="tenants"
          caption={t.tenants.list}
          rows={items}
          rowKey={(tenant) => tenant.slug}
          columns={[
            { header: t.tenants.colSlug, cell: (tenant) => <code>{tenant.slug}</code> },
            { header: t.tenants.colName, cell: (tenant) => tenant.name },
            { header: t.tenants.colNameEn, cell: (tenant) => tenant.nameEn ?? '—' },
            { header: t.tenants.colDid, cell: (tenant) => <Hash value={tenant.did} keep={20} /> },
            { header: t.tenants.colTypes, cell: (tenant) => <TypeStates tenant={tenant} labelOf={labelOf} /> },
            { header: t.tenants.colStatus, cell: (tenant) => <AccreditationBadge tenant={tenant} /> },
            {
              header: t.tenants.colActions,
              cell: (tenant) => (
                <button type="button" className="button secondary small" aria-label={t.tenants.manageOf(tenant.slug)} onClick={() => setOpen(tenant.slug)}>
                  {t.tenants.manage}
                </button>
              ),
            },
          ]}
        />
      );
  }

  return (
    <section aria-labelledby="tenants-title">
      <div className="title-row">
        <h1 id="tenants-title">{t.tenants.title}</h1>
        <button type="button" className="button secondary small" onClick={list.reload}>
          {t.tenants.refresh}
        </button>
      </div>
      <p>{t.tenants.intro}</p>
      {asOf ? <p className="field-hint">{t.tenants.asOf(dateTime(asOf))}</p> : null}
      <ErrorBanner error={list.error} onRetry={list.reload} />
      <ErrorBanner error={catalogue.error} onRetry={catalogue.reload} />
      {(list.loading && !list.data) || (catalogue.loading && !catalogue.data) ? <Loading /> : null}
      {table}
      {catalogue.data ? <CreateTenant catalogue={catalogue.data.items} labelOf={labelOf} onCreated={list.reload} /> : null}
      {selected && catalogue.data ? (
        <TenantDialog key={selected.slug} tenant={selected} catalogue={catalogue.data.items} labelOf={labelOf} onChanged={list.reload} onClose={() => setOpen(undefined)} />
      ) : null}
    </section>
  );
}
