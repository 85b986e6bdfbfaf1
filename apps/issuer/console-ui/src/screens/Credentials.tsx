import { useEffect, useRef, useState, type FormEvent } from 'react';
import { actorText, api, type CredentialDetail, type CredentialItem } from '../api.js';
import { useI18n } from '../i18n.js';
import { DataTable, Dialog, ErrorBanner, Hash, isSignedOut, Loading, StatusBadge, useLoad, useMorePages, useSession } from '../ui.js';

type Action = 'revoke' | 'suspend' | 'reinstate';

/** What an operator may do to a credential in a status. */
function actionsFor(status: string): Action[] {
  if (status === 'valid') return ['suspend', 'revoke'];
  if (status === 'suspended') return ['reinstate', 'revoke'];
  return [];
}

/** Revoke / suspend / reinstate: a required reason, then a confirmation step. */
function StatusChange({ credential, onChanged }: { credential: CredentialDetail; onChanged(status: string): void }) {
  const { t } = useI18n();
  const { signedOut } = useSession();
  const [action, setAction] = useState<Action | undefined>();
  const [reason, setReason] = useState('');
  const [step, setStep] = useState<'reason' | 'confirm'>('reason');
  const [reasonError, setReasonError] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLParagraphElement>(null);
  const actions = actionsFor(credential.status);

  useEffect(() => {
    if (step === 'confirm') confirmRef.current?.focus();
  }, [step]);

  if (actions.length === 0) return null;

  const next = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setReasonError(true);
      return;
    }
    setReasonError(false);
    setStep('confirm');
  };

  const confirm = async () => {
    if (!action) return;
    setBusy(true);
    setError(undefined);
    try {
      const { status } = await api.changeStatus(credential.id, action, reason.trim());
      setAction(undefined);
      setReason('');
      setStep('reason');
      onChanged(status);
    } catch (caught) {
      if (isSignedOut(caught)) return signedOut();
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="status-change-title" className="status-change">
      <h3 id="status-change-title">{t.detail.changeStatus}</h3>
      {!action ? (
        <div className="actions">
          {actions.map((a) => (
            <button key={a} type="button" className={`button ${a === 'revoke' ? 'danger' : 'secondary'}`} onClick={() => setAction(a)}>
              {t.detail.actions[a]}
            </button>
          ))}
        </div>
      ) : step === 'reason' ? (
        <form onSubmit={next} noValidate>
          <div className="field">
            <label htmlFor="status-reason">
              {t.detail.reason} ({t.detail.actions[action]})<span aria-hidden="true"> *</span>
            </label>
            <p className="field-hint" id="status-reason-hint">
              {t.detail.reasonHint}
            </p>
            <textarea
              id="status-reason"
              required
              aria-required="true"
              aria-invalid={reasonError || undefined}
              aria-describedby={`status-reason-hint${reasonError ? ' status-reason-error' : ''}`}
              maxLength={500}
              rows={3}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            {reasonError ? (
              <p className="field-error" id="status-reason-error">
                {t.validation.required}
              </p>
            ) : null}
          </div>
          <div className="actions">
            <button type="submit" className="button primary">
              {t.detail.next}
            </button>
            <button type="button" className="button secondary" onClick={() => setAction(undefined)}>
              {t.cancel}
            </button>
          </div>
        </form>
      ) : (
        <div className="confirm" role="group" aria-labelledby="confirm-title">
          <h4 id="confirm-title">{t.detail.confirmTitle}</h4>
          <p tabIndex={-1} ref={confirmRef}>
            {t.detail.confirmText(t.detail.actions[action]!, credential.id)} {t.detail.consequence[action]}
          </p>
          <p>
            {t.detail.reason}: <q>{reason.trim()}</q>
          </p>
          <ErrorBanner error={error} />
          <div className="actions">
            <button type="button" className={`button ${action === 'revoke' ? 'danger' : 'primary'}`} disabled={busy} onClick={confirm}>
              {t.detail.confirm(t.detail.actions[action]!)}
            </button>
            <button type="button" className="button secondary" disabled={busy} onClick={() => setStep('reason')}>
              {t.back}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** The detail drawer: facts, history, anchor, status change and the certificate. */
function CredentialDrawer({ id, typeLabel, onClose, onChanged }: { id: string; typeLabel(type: string): string; onClose(): void; onChanged(): void }) {
  const { t, dateTime } = useI18n();
  const { session } = useSession();
  const detail = useLoad(() => api.credential(id), [id]);
  const [notice, setNotice] = useState('');
  const canChange = session.operator.role !== 'auditor';
  const c = detail.data;
  return (
    <Dialog title={t.detail.title} onClose={onClose}>
      <p role="status" className="notice">
        {notice}
      </p>
      {detail.loading && !c ? <Loading /> : null}
      <ErrorBanner error={detail.error} onRetry={detail.reload} />
      {c ? (
        <>
          <dl className="facts">
            <dt>{t.credentials.colId}</dt>
            <dd>
              <code className="hash">{c.id}</code>
            </dd>
            <dt>{t.credentials.colType}</dt>
            <dd>{typeLabel(c.type)}</dd>
            <dt>{t.credentials.colStatus}</dt>
            <dd>
              <StatusBadge status={c.status} />
            </dd>
            <dt>{t.credentials.colFormat}</dt>
            <dd>{t.issue.formats[c.format] ?? c.format}</dd>
            <dt>{t.credentials.colIssued}</dt>
            <dd>{dateTime(c.issuedAt)}</dd>
            <dt>{t.credentials.colExpires}</dt>
            <dd>{dateTime(c.expiresAt)}</dd>
            <dt>{t.detail.subjectHint}</dt>
            <dd>{c.subjectHint ?? '—'}</dd>
          </dl>
          {canChange ? (
            <>
              <StatusChange
                credential={c}
                onChanged={(status) => {
                  setNotice(t.detail.done(t.status[status] ?? status));
                  detail.reload();
                  onChanged();
                }}
              />
              <p>
                <a className="button secondary" href={api.certificateUrl(c.id)} target="_blank" rel="noopener">
                  {t.detail.pdf}
                </a>
              </p>
            </>
          ) : null}
          <section aria-labelledby="history-title">
            <h3 id="history-title">{t.detail.history}</h3>
            {c.history.length === 0 ? (
              <p>{t.detail.noHistory}</p>
            ) : (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t.detail.historyAt}</th>
                      <th scope="col">{t.detail.historyAction}</th>
                      <th scope="col">{t.detail.historyReason}</th>
                      <th scope="col">{t.detail.historyActor}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {c.history.map((h, i) => (
                      <tr key={i}>
                        <td>{dateTime(h.at)}</td>
                        <td>{t.detail.actionsPast[h.action] ?? h.action}</td>
                        <td>{h.reason ?? '—'}</td>
                        <td>{actorText(h.actor)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section aria-labelledby="anchor-title">
            <h3 id="anchor-title">{t.detail.anchor}</h3>
            {c.anchor ? (
              <dl className="facts">
                <dt>{t.credentials.colAnchoring}</dt>
                <dd>{t.anchoringState[c.anchoring] ?? c.anchoring}</dd>
                <dt>{t.detail.root}</dt>
                <dd>
                  <Hash value={c.anchor.root} />
                </dd>
                <dt>{t.detail.txHash}</dt>
                <dd>
                  <Hash value={c.anchor.txHash} />
                </dd>
                <dt>{t.detail.block}</dt>
                <dd>{c.anchor.blockNumber ?? '—'}</dd>
              </dl>
            ) : (
              <p>
                {t.anchoringState[c.anchoring] ?? c.anchoring} — {t.detail.notAnchored}
              </p>
            )}
          </section>
        </>
      ) : null}
    </Dialog>
  );
}

/** Search of issued credentials: type and status filters, a text query, a table without claims, a detail drawer. */
export function Credentials() {
  const { t, lang, dateTime } = useI18n();
  const types = useLoad(() => api.types(), []);
  const [filters, setFilters] = useState({ type: '', status: '', q: '' });
  const [applied, setApplied] = useState(filters);
  const [round, setRound] = useState(0);
  const page = useLoad(() => api.credentials({ type: applied.type, status: applied.status, q: applied.q.trim() }), [applied, round]);
  const { items, next, loadMore, error: moreError } = useMorePages<CredentialItem>(page.data, (cursor) =>
    api.credentials({ ...applied, q: applied.q.trim(), cursor }),
  );
  const [open, setOpen] = useState<string | undefined>();

  const typeLabel = (type: string) => {
    const info = types.data?.types.find((x) => x.type === type);
    return info ? info.labels[lang] || info.labels.ko : type;
  };

  return (
    <section aria-labelledby="credentials-title">
      <h1 id="credentials-title">{t.credentials.title}</h1>
      <form
        className="card filters"
        role="search"
        aria-label={t.credentials.filters}
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ ...filters });
          setRound((r) => r + 1);
        }}
      >
        <div className="field">
          <label htmlFor="filter-type">{t.credentials.type}</label>
          <select id="filter-type" value={filters.type} onChange={(e) => setFilters({ ...filters, type: e.target.value })}>
            <option value="">{t.credentials.anyType}</option>
            {(types.data?.types ?? []).map((info) => (
              <option key={info.type} value={info.type}>
                {typeLabel(info.type)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-status">{t.credentials.status}</label>
          <select id="filter-status" value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value })}>
            <option value="">{t.credentials.anyStatus}</option>
            {['valid', 'suspended', 'revoked', 'expired'].map((s) => (
              <option key={s} value={s}>
                {t.status[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor="filter-q">{t.credentials.query}</label>
          <input id="filter-q" type="search" aria-describedby="filter-q-hint" value={filters.q} onChange={(e) => setFilters({ ...filters, q: e.target.value })} />
          <p className="field-hint" id="filter-q-hint">
            {t.credentials.queryHint}
          </p>
        </div>
        <div className="field">
          <button type="submit" className="button primary">
            {t.credentials.search}
          </button>
        </div>
      </form>
      <ErrorBanner error={page.error} onRetry={page.reload} />
      {/* Rows wait for the type labels too, so a row never shows a raw type name and then changes under the reader. */}
      {(page.loading && !page.data) || (page.data && types.loading && !types.data) ? <Loading /> : null}
      {page.data && (types.data || !types.loading) ? (
        items.length === 0 ? (
          <p role="status">{t.credentials.empty}</p>
        ) : (
          <DataTable
            id="results"
            caption={t.credentials.results}
            rows={items}
            rowKey={(item) => item.id}
            columns={[
              { header: t.credentials.colId, cell: (item) => <Hash value={item.id} keep={18} /> },
              { header: t.credentials.colType, cell: (item) => typeLabel(item.type) },
              { header: t.credentials.colStatus, cell: (item) => <StatusBadge status={item.status} /> },
              { header: t.credentials.colAnchoring, cell: (item) => t.anchoringState[item.anchoring] ?? item.anchoring },
              { header: t.credentials.colIssued, cell: (item) => dateTime(item.issuedAt) },
              { header: t.credentials.colExpires, cell: (item) => dateTime(item.expiresAt) },
              { header: t.credentials.colSubject, cell: (item) => item.subjectHint ?? '—' },
              {
                header: t.credentials.colActions,
                cell: (item) => (
                  <button type="button" className="button secondary small" aria-label={t.credentials.detailsOf(item.id)} onClick={() => setOpen(item.id)}>
                    {t.credentials.details}
                  </button>
                ),
              },
            ]}
          />
        )
      ) : null}
      <ErrorBanner error={moreError} />
      {next ? (
        <button type="button" className="button secondary" onClick={loadMore}>
          {t.credentials.more}
        </button>
      ) : null}
      {open ? <CredentialDrawer id={open} typeLabel={typeLabel} onClose={() => setOpen(undefined)} onChanged={() => setRound((r) => r + 1)} /> : null}
    </section>
  );
}
