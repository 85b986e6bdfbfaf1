import { api } from '../api.js';
import { useI18n } from '../i18n.js';
import { DataTable, ErrorBanner, Hash, Loading, useLoad } from '../ui.js';

/** Anchoring: how many credentials wait, for how long, and the batches with their transactions and gas. */
export function Anchoring() {
  const { t, dateTime, duration } = useI18n();
  const overview = useLoad(() => api.anchoring(), []);
  const data = overview.data;
  return (
    <section aria-labelledby="anchoring-title">
      <div className="title-row">
        <h1 id="anchoring-title">{t.anchoring.title}</h1>
        <button type="button" className="button secondary small" onClick={overview.reload}>
          {t.anchoring.refresh}
        </button>
      </div>
      <ErrorBanner error={overview.error} onRetry={overview.reload} />
      {overview.loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <dl className="stats">
            <div className="stat card">
              <dt>{t.anchoring.pending}</dt>
              <dd>{data.pending.toLocaleString()}</dd>
            </div>
            <div className="stat card">
              <dt>{t.anchoring.oldest}</dt>
              <dd>{data.oldestPendingSeconds === null || data.oldestPendingSeconds === undefined ? t.anchoring.none : duration(data.oldestPendingSeconds)}</dd>
            </div>
          </dl>
          <h2>{t.anchoring.batches}</h2>
          {data.batches.length === 0 ? (
            <p>{t.anchoring.noBatches}</p>
          ) : (
            <DataTable
              id="batches"
              caption={t.anchoring.batches}
              captionHidden
              rows={data.batches}
              rowKey={(b) => b.id}
              columns={[
                { header: t.anchoring.colBatch, cell: (b) => <Hash value={String(b.id)} keep={8} /> },
                { header: t.anchoring.colState, cell: (b) => t.anchoringState[b.state] ?? b.state },
                { header: t.anchoring.colLeaves, cell: (b) => b.leafCount },
                { header: t.anchoring.colRoot, cell: (b) => <Hash value={b.root} /> },
                { header: t.anchoring.colTx, cell: (b) => <Hash value={b.txHash} /> },
                { header: t.anchoring.colBlock, cell: (b) => b.blockNumber ?? '—' },
                { header: t.anchoring.colAt, cell: (b) => dateTime(b.anchoredAt) },
                { header: t.anchoring.colGas, cell: (b) => (b.gasUsed === null || b.gasUsed === undefined ? '—' : Number(b.gasUsed).toLocaleString()) },
              ]}
            />
          )}
        </>
      ) : null}
    </section>
  );
}
