import { useI18n } from '../../i18n.js';
import { DataTable, ErrorBanner, Loading, useLoad } from '../../ui.js';
import { laborApi, type ContractView } from '../api.js';
import { hashOf } from '../routes.js';
import { useEmployerTexts } from '../texts.js';
import { won } from '../terms.js';

/** A contract's state as words (never colour alone). */
export function StateBadge({ state }: { state: string }) {
  const { e } = useEmployerTexts();
  return <span className={`badge contract-${state}`}>{e.states[state] ?? state}</span>;
}

/** The employer's labour contracts, newest first, with their states. */
export function ContractList() {
  const { e, lang } = useEmployerTexts();
  const { dateTime } = useI18n();
  const contracts = useLoad(() => laborApi.contracts(), []);
  const rows = [...(contracts.data?.items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <section aria-labelledby="contracts-title">
      <div className="title-row">
        <h1 id="contracts-title">{e.list.title}</h1>
        <a className="button primary" href={hashOf({ name: 'new' })}>
          {e.list.newContract}
        </a>
      </div>
      <p>{e.list.intro}</p>
      <ErrorBanner error={contracts.error} onRetry={contracts.reload} />
      {contracts.loading && !contracts.data ? <Loading /> : null}
      {contracts.data && rows.length === 0 ? <p>{e.list.empty}</p> : null}
      {rows.length > 0 ? (
        <DataTable<ContractView>
          id="contracts"
          caption={e.list.caption}
          captionHidden
          rowKey={(c) => c.id}
          rows={rows}
          columns={[
            {
              header: e.list.worker,
              cell: (c) => (
                <a href={hashOf({ name: 'contract', id: c.id })} aria-label={e.list.open(c.document.worker.name, c.version)}>
                  {c.document.worker.name}
                </a>
              ),
            },
            { header: e.list.period, cell: (c) => `${c.document.period.start} – ${c.document.period.end ?? e.list.openEnded}` },
            { header: e.list.wage, cell: (c) => won(c.document.hourlyWageKrw, lang) },
            { header: e.list.version, cell: (c) => String(c.version) },
            { header: e.list.state, cell: (c) => <StateBadge state={c.state} /> },
            { header: e.list.created, cell: (c) => dateTime(c.createdAt) },
          ]}
        />
      ) : null}
    </section>
  );
}
