import { actorText, api, type AuditEntry } from '../api.js';
import { useI18n } from '../i18n.js';
import { DataTable, ErrorBanner, Hash, Loading, useLoad, useMorePages } from '../ui.js';

/**
 * The audit log: each entry with the hash of the one before and its own (prev → hash), the chain's head and whether
 * it is anchored. Where the entry before is on screen, the link is checked here too (its hash must be this prevHash).
 */
export function Audit() {
  const { t, dateTime } = useI18n();
  const first = useLoad(() => api.audit(), []);
  const verification = useLoad(() => api.auditVerification(), [first.data]);
  const { items: entries, next, loadMore, error: moreError } = useMorePages<AuditEntry>(first.data, (cursor) => api.audit(cursor));
  const bySeq = new Map(entries.map((e) => [e.seq, e]));
  const head = first.data?.head;

  return (
    <section aria-labelledby="audit-title">
      <div className="title-row">
        <h1 id="audit-title">{t.audit.title}</h1>
        <button type="button" className="button secondary small" onClick={first.reload}>
          {t.anchoring.refresh}
        </button>
      </div>
      <ErrorBanner error={first.error} onRetry={first.reload} />
      {first.loading && !first.data ? <Loading /> : null}
      {head ? (
        <section className="card" aria-labelledby="audit-head-title">
          <h2 id="audit-head-title">{t.audit.head}</h2>
          <dl className="facts">
            <dt>{t.audit.headSeq}</dt>
            <dd>{head.seq}</dd>
            <dt>{t.audit.headHash}</dt>
            <dd>
              <Hash value={head.hash} keep={14} />
            </dd>
            <dt>{t.audit.verified}</dt>
            <dd>
              {verification.data ? (
                verification.data.ok ? (
                  <span className="badge status-valid">{t.audit.verifiedOk(verification.data.entries)}</span>
                ) : (
                  <span className="badge status-revoked">{t.audit.verifiedBroken(verification.data.brokenAt)}</span>
                )
              ) : verification.error ? (
                '—'
              ) : (
                t.loading
              )}
            </dd>
            <dt>{t.audit.anchored}</dt>
            <dd>
              <span className={`badge ${head.anchored ? 'status-valid' : 'status-suspended'}`}>{head.anchored ? t.audit.anchoredYes : t.audit.anchoredNo}</span>
            </dd>
          </dl>
        </section>
      ) : null}
      {first.data ? (
        entries.length === 0 ? (
          <p>{t.audit.empty}</p>
        ) : (
          <DataTable
            id="audit"
            caption={t.audit.title}
            captionHidden
            rows={entries}
            rowKey={(entry) => entry.seq}
            columns={[
              { header: t.audit.colSeq, cell: (entry) => entry.seq },
              { header: t.audit.colAt, cell: (entry) => dateTime(entry.at) },
              { header: t.audit.colActor, cell: (entry) => actorText(entry.actor) },
              {
                header: t.audit.colAction,
                cell: (entry) => (
                  <>
                    {t.audit.actions[entry.action] ?? entry.action}
                    {t.audit.actions[entry.action] ? <code className="action-code">{entry.action}</code> : null}
                  </>
                ),
              },
              { header: t.audit.colTarget, cell: (entry) => (entry.target ? <Hash value={String(entry.target)} keep={18} /> : '—') },
              {
                header: t.audit.colChain,
                className: 'chain',
                cell: (entry) => {
                  const before = bySeq.get(entry.seq - 1);
                  const linked = before ? before.hash === entry.prevHash : undefined;
                  return (
                    <>
                      <Hash value={entry.prevHash} keep={8} /> <span aria-hidden="true">→</span> <Hash value={entry.hash} keep={8} />
                      {linked === undefined ? null : (
                        <span className={`badge ${linked ? 'status-valid' : 'status-revoked'}`}>{linked ? t.audit.linkOk : t.audit.linkBroken}</span>
                      )}
                    </>
                  );
                },
              },
            ]}
          />
        )
      ) : null}
      <ErrorBanner error={moreError} />
      {next ? (
        <button type="button" className="button secondary" onClick={loadMore}>
          {t.audit.more}
        </button>
      ) : null}
    </section>
  );
}
