import { api } from '../api.js';
import { useI18n } from '../i18n.js';
import { ErrorBanner, Hash, Loading, useLoad } from '../ui.js';

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
            <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="batches-caption">
              <table className="responsive">
                <caption id="batches-caption" className="visually-hidden">
                  {t.anchoring.batches}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t.anchoring.colBatch}</th>
                    <th scope="col">{t.anchoring.colState}</th>
                    <th scope="col">{t.anchoring.colLeaves}</th>
                    <th scope="col">{t.anchoring.colRoot}</th>
                    <th scope="col">{t.anchoring.colTx}</th>
                    <th scope="col">{t.anchoring.colBlock}</th>
                    <th scope="col">{t.anchoring.colAt}</th>
                    <th scope="col">{t.anchoring.colGas}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.batches.map((b) => (
                    <tr key={b.id}>
                      <td data-label={t.anchoring.colBatch}>
                        <Hash value={String(b.id)} keep={8} />
                      </td>
                      <td data-label={t.anchoring.colState}>{t.anchoringState[b.state] ?? b.state}</td>
                      <td data-label={t.anchoring.colLeaves}>{b.leafCount}</td>
                      <td data-label={t.anchoring.colRoot}>
                        <Hash value={b.root} />
                      </td>
                      <td data-label={t.anchoring.colTx}>
                        <Hash value={b.txHash} />
                      </td>
                      <td data-label={t.anchoring.colBlock}>{b.blockNumber ?? '—'}</td>
                      <td data-label={t.anchoring.colAt}>{dateTime(b.anchoredAt)}</td>
                      <td data-label={t.anchoring.colGas}>{b.gasUsed === null || b.gasUsed === undefined ? '—' : Number(b.gasUsed).toLocaleString()}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}
