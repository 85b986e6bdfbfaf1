import { useEffect, useMemo, useRef, useState, type ChangeEvent, type RefObject } from 'react';
import { api, ApiError, type CredentialTypeInfo, type ImportRow, type JsonSchema } from '../api.js';
import {
  checkColumns,
  columnOfClaimPointer,
  csvPieces,
  decodeCsvBytes,
  MAX_IMPORT_ROWS,
  readCsv,
  resultsCsv,
  rowClaims,
  spreadsheetRow,
  toCsv,
  type CsvProblem,
} from '../csv.js';
import { defaultFormat } from '../formats.js';
import { useI18n, type Messages } from '../i18n.js';
import { defaultLifetime, durationParts, lifetimeChoices } from '../lifetimes.js';
import { guardLeaving } from '../router.js';
import { flatten, validate } from '../schema.js';
import { violationMessage, words } from '../SchemaForm.js';
import { DataTable, Dialog, ErrorBanner, errorMessage, isSignedOut, Loading, useLoad, useSession } from '../ui.js';
import { OfferDetails } from './OfferDialog.js';

/** Formats an offer can take, in the order the screen lists them. */
const OFFER_FORMATS = ['dc+sd-jwt', 'jwt_vc'] as const;
/** Rows per request: a large import is sent in steps, so its progress shows. */
const ROWS_PER_REQUEST = 100;
/** Rows the preview shows. */
const PREVIEW_ROWS = 5;

/** One CSV row's outcome, its row index counted over the whole import (0 = the line after the header). */
type Outcome = ImportRow & { who: string };
type Made = Extract<Outcome, { offerId: string }>;
type Refused = Extract<Outcome, { error: unknown }>;

interface Results {
  readonly typeLabel: string;
  readonly header: readonly string[];
  readonly cells: ReadonlyArray<readonly string[]>;
  readonly schema: JsonSchema;
  /** The identifying column's name, or null for row numbers only. */
  readonly labelColumn: string | null;
  readonly rows: readonly Outcome[];
  /** Rows sent before the import stopped (equal to the rows read when it completed). */
  readonly done: number;
  /** The offers' lifetime in seconds as the clerk chose it (null: the issuer's default, where it announces none). */
  readonly lifetime: number | null;
}

const isRefused = (row: Outcome): row is Refused => 'error' in row;

function problemText(t: Messages, problem: CsvProblem): string {
  const p = t.bulk.problems;
  switch (problem.kind) {
    case 'unclosed-quote':
    case 'no-rows':
      return p[problem.kind];
    case 'text-after-quote':
      return p['text-after-quote'](problem.line);
    case 'empty-column':
      return p['empty-column'](problem.column);
    case 'repeated-column':
      return p['repeated-column'](problem.name);
    case 'ragged-row':
      return p['ragged-row'](problem.row, problem.cells, problem.expected);
    case 'too-many-rows':
      return p['too-many-rows'](problem.rows, MAX_IMPORT_ROWS);
  }
}

/** The schema's claims as column names: dotted paths of the leaves, each with its title and whether it is required. */
function claimColumns(schema: JsonSchema): Array<{ path: string; title: string | undefined; required: boolean }> {
  const out: Array<{ path: string; title: string | undefined; required: boolean }> = [];
  const walk = (located: Parameters<typeof flatten>[0], prefix: string[], required: boolean) => {
    const flat = flatten(located, schema, undefined);
    for (const [name, child] of flat.properties) {
      if (prefix.length === 0 && name === 'id') continue;
      const childFlat = flatten(child, schema, undefined);
      const path = [...prefix, name];
      const isRequired = required && flat.required.has(name);
      if (childFlat.properties.size > 0) walk(child, path, isRequired);
      else out.push({ path: path.join('.'), title: childFlat.title, required: isRequired });
    }
  };
  walk([{ node: schema, doc: schema }], [], true);
  return out;
}

/** Hands a file to the browser's downloads. */
function saveFile(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Bulk offers: a clerk picks a type and a CSV file of citizens (or pastes one), checks the columns and the first rows,
 * sends it, and gets one OpenID4VCI offer per row — QR on demand, link and transaction code, shown this once and
 * downloadable as CSV — or, for a row the issuer refused, the row and the claim at fault in words.
 */
export function BulkOffers() {
  const { t, lang } = useI18n();
  const { signedOut } = useSession();
  const types = useLoad(() => api.types(), []);
  const [typeName, setTypeName] = useState('');
  const [format, setFormat] = useState('');
  const [text, setText] = useState('');
  const [fileNote, setFileNote] = useState('');
  const [labelChoice, setLabelChoice] = useState<string | undefined>();
  const [lifetimeChoice, setLifetimeChoice] = useState<number | undefined>();
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [failure, setFailure] = useState<unknown>();
  const [results, setResults] = useState<Results | undefined>();
  const [downloaded, setDownloaded] = useState(false);
  const [confirmingAgain, setConfirmingAgain] = useState(false);
  const [shown, setShown] = useState<Made | undefined>();
  const resultsRef = useRef<HTMLHeadingElement>(null);

  const offerable = (types.data?.types ?? []).filter((info) => info.schema !== null && info.formats.some((f) => (OFFER_FORMATS as readonly string[]).includes(f)));
  const selected: CredentialTypeInfo | undefined = offerable.find((info) => info.type === typeName);
  const formats = selected ? OFFER_FORMATS.filter((f) => selected.formats.includes(f)) : [];
  const label = (info: CredentialTypeInfo) => info.labels[lang] || info.labels.ko || info.type;
  // The offers' lifetime: the clerk's choice among those up to the ceiling the issuer announces, a week by default.
  const ceiling = types.data?.offerLifetimes?.bulkOfferSeconds;
  const lifetimes = ceiling === undefined ? [] : lifetimeChoices(ceiling);
  const lifetime = ceiling === undefined ? null : lifetimeChoice !== undefined && lifetimes.includes(lifetimeChoice) ? lifetimeChoice : defaultLifetime(ceiling);
  const duration = (seconds: number) => {
    const { days, hours, minutes } = durationParts(seconds);
    return t.bulk.duration(days, hours, minutes);
  };

  useEffect(() => {
    if (offerable.length === 1 && !typeName) choose(offerable[0]!.type);
  }, [types.data]);

  useEffect(() => {
    if (results) resultsRef.current?.focus();
  }, [results]);

  // The codes are on this screen only: leaving it (another screen, signing out, reloading) before downloading them asks first.
  useEffect(() => {
    if (!results || downloaded) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    guardLeaving(() => t.bulk.leaveWarning);
    return () => {
      window.removeEventListener('beforeunload', warn);
      guardLeaving(null);
    };
  }, [results, downloaded, t]);

  function choose(name: string) {
    setTypeName(name);
    const info = offerable.find((x) => x.type === name);
    setFormat(defaultFormat(OFFER_FORMATS.filter((f) => info?.formats.includes(f))));
    setFailure(undefined);
  }

  const table = useMemo(() => (text.trim() === '' ? undefined : readCsv(text)), [text]);
  const schema = selected?.schema ?? undefined;
  const report = table?.ok && schema ? checkColumns(table.header, schema) : undefined;
  const expected = useMemo(() => (schema ? claimColumns(schema) : []), [schema]);
  const header = table?.ok ? table.header : [];
  // The identifying column: the clerk's choice, else a `name` column when there is one.
  const labelColumn = labelChoice !== undefined ? (header.includes(labelChoice) ? labelChoice : null) : header.includes('name') ? 'name' : null;

  /** A claim's name for people: its Korean title in Korean, its name as words in English. */
  const claimLabel = (column: string): string | undefined => {
    if (lang === 'en') return words(column.split('.').pop() ?? column);
    return expected.find((claim) => claim.path === column)?.title;
  };
  const columnText = (column: string) => {
    const named = claimLabel(column);
    return named && named !== column ? `${column} (${named})` : column;
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    const decoded = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()));
    setText(decoded);
    const read = readCsv(decoded);
    setFileNote(read.ok ? t.bulk.fileRead(file.name, read.rows.length) : file.name);
    setFailure(undefined);
  };

  const send = async () => {
    if (!selected || !schema || !table?.ok || !report?.ok) return;
    const pieces = csvPieces(table.header, table.rows, ROWS_PER_REQUEST);
    const total = table.rows.length;
    const labelIndex = labelColumn === null ? -1 : table.header.indexOf(labelColumn);
    const rows: Outcome[] = [];
    let done = 0;
    setFailure(undefined);
    setProgress({ done, total });
    try {
      for (const piece of pieces) {
        const answer = await api.bulkOffer({ type: selected.type, format, csv: piece.csv, ...(lifetime === null ? {} : { expiresIn: lifetime }) });
        for (const outcome of answer.rows) {
          const index = piece.first + outcome.row;
          rows.push({ ...outcome, row: index, who: labelIndex === -1 ? '' : (table.rows[index]?.[labelIndex] ?? '') });
        }
        done = piece.first + answer.total;
        setProgress({ done, total });
      }
    } catch (caught) {
      // Offers already made stay on screen with their codes; only with nothing made does a lost session sign out.
      if (rows.length === 0 && isSignedOut(caught)) return signedOut();
      setFailure(caught);
    } finally {
      setProgress(undefined);
    }
    if (rows.length === 0) return;
    setDownloaded(false);
    setConfirmingAgain(false);
    setResults({ typeLabel: label(selected), header: table.header, cells: table.rows, schema, labelColumn, rows, done, lifetime });
  };

  const startAgain = () => {
    setResults(undefined);
    setText('');
    setFileNote('');
    setFailure(undefined);
    setConfirmingAgain(false);
  };

  if (types.loading) return <Loading />;
  if (types.error) return <ErrorBanner error={types.error} onRetry={types.reload} />;

  return (
    <section aria-labelledby="bulk-title">
      <h1 id="bulk-title">{t.bulk.title}</h1>
      {results ? (
        <ImportResults
          results={results}
          resultsRef={resultsRef}
          failure={failure}
          downloaded={downloaded}
          confirmingAgain={confirmingAgain}
          columnText={columnText}
          duration={duration}
          onDownload={() => {
            saveFile(`offers-${results.rows.length}-${new Date().toISOString().slice(0, 10)}.csv`, resultsFile(t, results, columnText, duration));
            setDownloaded(true);
          }}
          onShow={setShown}
          onAgain={() => (downloaded ? startAgain() : setConfirmingAgain(true))}
          onConfirmAgain={startAgain}
          onCancelAgain={() => setConfirmingAgain(false)}
        />
      ) : (
        <>
          <p>{t.bulk.intro}</p>
          {offerable.length === 0 ? <p>{t.bulk.noTypes}</p> : null}
          <div className="card">
            <div className="field-row">
              <div className="field">
                <label htmlFor="bulk-type">{t.bulk.type}</label>
                <select id="bulk-type" value={typeName} disabled={progress !== undefined} onChange={(e) => choose(e.target.value)}>
                  <option value="">{t.bulk.chooseType}</option>
                  {offerable.map((info) => (
                    <option key={info.type} value={info.type}>
                      {label(info)}
                    </option>
                  ))}
                </select>
              </div>
              {selected && formats.length > 0 ? (
                <div className="field">
                  <label htmlFor="bulk-format">{t.bulk.format}</label>
                  <select id="bulk-format" value={format} disabled={progress !== undefined} onChange={(e) => setFormat(e.target.value)}>
                    {formats.map((f) => (
                      <option key={f} value={f}>
                        {t.issue.formats[f] ?? f}
                      </option>
                    ))}
                  </select>
                </div>
              ) : null}
              {selected && lifetime !== null ? (
                <div className="field">
                  <label htmlFor="bulk-lifetime">{t.bulk.lifetime}</label>
                  <select
                    id="bulk-lifetime"
                    aria-describedby="bulk-lifetime-hint"
                    value={lifetime}
                    disabled={progress !== undefined}
                    onChange={(e) => setLifetimeChoice(Number(e.target.value))}
                  >
                    {lifetimes.map((seconds) => (
                      <option key={seconds} value={seconds}>
                        {duration(seconds)}
                      </option>
                    ))}
                  </select>
                </div>
              ) : null}
            </div>
            {selected && lifetime !== null ? (
              <p className="field-hint" id="bulk-lifetime-hint">
                {t.bulk.lifetimeHint(duration(lifetimes[lifetimes.length - 1]!))}
              </p>
            ) : null}
            {selected && schema ? (
              <>
                <h2 id="bulk-expected-title">{t.bulk.expected}</h2>
                <p className="field-hint">{t.bulk.expectedHint}</p>
                <ul className="claim-columns" aria-labelledby="bulk-expected-title">
                  {expected.map((claim) => (
                    <li key={claim.path}>
                      <code>{claim.path}</code>
                      {claimLabel(claim.path) && claimLabel(claim.path) !== claim.path ? ` ${claimLabel(claim.path)}` : ''}
                      {claim.required ? ` (${t.bulk.requiredClaim})` : ''}
                    </li>
                  ))}
                </ul>
                <div className="actions">
                  <button type="button" className="button secondary" onClick={() => saveFile(`${selected.type}.csv`, '\ufeff' + toCsv([expected.map((claim) => claim.path)]))}>
                    {t.bulk.template}
                  </button>
                </div>
                <div className="field">
                  <label htmlFor="bulk-file">{t.bulk.file}</label>
                  <p className="field-hint" id="bulk-file-hint">
                    {t.bulk.fileHint(MAX_IMPORT_ROWS)}
                  </p>
                  <input id="bulk-file" type="file" accept=".csv,text/csv" aria-describedby="bulk-file-hint" disabled={progress !== undefined} onChange={(e) => void onFile(e)} />
                  <p role="status" className="notice">
                    {fileNote}
                  </p>
                </div>
                <div className="field">
                  <label htmlFor="bulk-csv">{t.bulk.paste}</label>
                  <textarea
                    id="bulk-csv"
                    rows={6}
                    spellCheck={false}
                    value={text}
                    disabled={progress !== undefined}
                    aria-invalid={table !== undefined && !table.ok ? true : undefined}
                    aria-describedby={table !== undefined && !table.ok ? 'bulk-csv-error' : undefined}
                    onChange={(e) => {
                      setText(e.target.value);
                      setFileNote('');
                    }}
                  />
                  {table !== undefined && !table.ok ? (
                    <p className="field-error" id="bulk-csv-error" role="alert">
                      {problemText(t, table.problem)}
                    </p>
                  ) : null}
                </div>
              </>
            ) : null}
          </div>
          {selected && schema && table?.ok && report ? (
            <div className="card">
              <h2>{t.bulk.columns}</h2>
              {report.ok ? (
                <p className="notice">{t.bulk.columnsOk(report.columns.length)}</p>
              ) : (
                <div className="banner error" role="alert">
                  {report.missing.length > 0 ? <span>{t.bulk.missing(report.missing.map(columnText).join(', '))}</span> : null}
                  {report.columns.some((c) => c.state !== 'known') ? <span>{report.columns.filter((c) => c.state !== 'known').map((c) => `${c.name}: ${c.state === 'holder' ? t.bulk.columnHolder : t.bulk.columnUnknown}`).join(' · ')}</span> : null}
                </div>
              )}
              <DataTable
                id="bulk-columns"
                caption={t.bulk.columns}
                captionHidden
                columns={[
                  { header: t.bulk.colColumn, cell: (c) => <code>{c.name}</code> },
                  { header: t.bulk.colClaim, cell: (c) => (c.state === 'known' ? (claimLabel(c.name) ?? c.name) : '—') },
                  { header: t.bulk.colCheck, cell: (c) => (c.state === 'known' ? `✓ ${t.bulk.columnKnown}` : `✗ ${c.state === 'holder' ? t.bulk.columnHolder : t.bulk.columnUnknown}`) },
                ]}
                rows={report.columns}
                rowKey={(c) => c.name}
              />
              <h2 id="bulk-preview-title">{t.bulk.preview(Math.min(PREVIEW_ROWS, table.rows.length), table.rows.length)}</h2>
              <p className="field-hint">{t.bulk.rowHint}</p>
              <DataTable
                id="bulk-preview"
                caption={t.bulk.preview(Math.min(PREVIEW_ROWS, table.rows.length), table.rows.length)}
                captionHidden
                columns={[
                  { header: t.bulk.colRow, cell: (r: { index: number; cells: string[] }) => spreadsheetRow(r.index) },
                  ...table.header.map((name, column) => ({ header: name, cell: (r: { index: number; cells: string[] }) => r.cells[column] || '—' })),
                ]}
                rows={table.rows.slice(0, PREVIEW_ROWS).map((cells, index) => ({ index, cells }))}
                rowKey={(r) => r.index}
              />
              <div className="field">
                <label htmlFor="bulk-label">{t.bulk.label}</label>
                <p className="field-hint" id="bulk-label-hint">
                  {t.bulk.labelHint}
                </p>
                <select id="bulk-label" aria-describedby="bulk-label-hint" value={labelColumn ?? ''} disabled={progress !== undefined} onChange={(e) => setLabelChoice(e.target.value)}>
                  <option value="">{t.bulk.labelNone}</option>
                  {table.header.map((name) => (
                    <option key={name} value={name}>
                      {columnText(name)}
                    </option>
                  ))}
                </select>
              </div>
              <ErrorBanner error={failure} />
              {progress ? (
                <div className="field">
                  <label htmlFor="bulk-progress">{t.bulk.progressLabel}</label>
                  <progress id="bulk-progress" max={progress.total} value={progress.done} />
                </div>
              ) : null}
              {/* Always present, so screen readers announce each step written into it. */}
              <p role="status" id="bulk-progress-status" className="live-status">
                {progress ? (progress.done === 0 ? t.bulk.sending : t.bulk.progress(progress.done, progress.total)) : ''}
              </p>
              <div className="actions">
                <button type="button" className="button primary" disabled={!report.ok || progress !== undefined || !format} onClick={() => void send()}>
                  {progress ? t.bulk.sending : t.bulk.submit(table.rows.length)}
                </button>
              </div>
            </div>
          ) : null}
        </>
      )}
      {shown && results ? (
        <Dialog title={t.bulk.qrTitle(shown.who || t.bulk.rowName(spreadsheetRow(shown.row)))} onClose={() => setShown(undefined)} className="sheet">
          <OfferDetails offer={{ offerUri: shown.offerUri, txCode: shown.txCode, expiresAt: shown.expiresAt }} qrLabel={t.offer.qrAlt(results.typeLabel)} />
        </Dialog>
      ) : null}
    </section>
  );
}

/** Why the issuer refused a row, in words: the schema rule the browser finds broken at the claim it named, else the code's meaning. */
function explain(t: Messages, results: Results, refused: Refused): string {
  const { code, column } = refused.error;
  if (code === 'credential.schema-invalid' && column !== null) {
    const claims = rowClaims(results.header, results.cells[refused.row] ?? [], results.schema);
    const broken = validate([{ node: results.schema, doc: results.schema }], results.schema, claims).find((v) => columnOfClaimPointer(v.pointer) === column);
    if (broken) return violationMessage(t, broken);
    // The age flags pass the schema; only the issuer checks them against the birth date.
    if (/^ageOver\d+$/.test(column)) return t.bulk.problemOf['age']!;
  }
  return t.bulk.problemOf[code] ?? errorMessage(t, new ApiError(400, code, ''));
}

/** The results file: one line per row sent, the offers' secrets, lifetime and expiry, and the errors in words. */
function resultsFile(t: Messages, results: Results, columnText: (column: string) => string, duration: (seconds: number) => string): string {
  const validFor = results.lifetime === null ? '' : duration(results.lifetime);
  return resultsCsv(
    results.labelColumn,
    results.rows.map((row) =>
      isRefused(row)
        ? {
            row: spreadsheetRow(row.row),
            label: row.who,
            offerLink: '',
            txCode: '',
            validFor: '',
            expiresAt: '',
            error: `${row.error.column === null ? t.bulk.wholeRow : columnText(row.error.column)}: ${explain(t, results, row)}`,
          }
        : { row: spreadsheetRow(row.row), label: row.who, offerLink: row.offerUri, txCode: row.txCode ?? '', validFor, expiresAt: row.expiresAt, error: '' },
    ),
  );
}

function ImportResults({
  results,
  resultsRef,
  failure,
  downloaded,
  confirmingAgain,
  columnText,
  duration,
  onDownload,
  onShow,
  onAgain,
  onConfirmAgain,
  onCancelAgain,
}: {
  results: Results;
  resultsRef: RefObject<HTMLHeadingElement | null>;
  failure: unknown;
  downloaded: boolean;
  confirmingAgain: boolean;
  columnText(column: string): string;
  duration(seconds: number): string;
  onDownload(): void;
  onShow(row: Made): void;
  onAgain(): void;
  onConfirmAgain(): void;
  onCancelAgain(): void;
}) {
  const { t, dateTime } = useI18n();
  const made = results.rows.filter((row): row is Made => !isRefused(row));
  const refused = results.rows.filter(isRefused);
  const who = (row: Outcome) => row.who || t.bulk.rowName(spreadsheetRow(row.row));
  const firstExpiry = made.map((row) => row.expiresAt).sort()[0];
  return (
    <>
      <h2 id="bulk-results-title" tabIndex={-1} ref={resultsRef}>
        {t.bulk.results}
      </h2>
      <p className="notice">{t.bulk.summary(made.length, refused.length)}</p>
      {failure ? (
        <>
          <ErrorBanner error={failure} />
          <p className="banner error">{t.bulk.stopped(results.done, results.cells.length)}</p>
        </>
      ) : null}
      {made.length > 0 ? (
        <div className="one-time-key">
          <p>
            <strong>{t.bulk.onceWarning}</strong>
          </p>
          {firstExpiry ? <p className="field-hint">{results.lifetime === null ? t.bulk.expiresHint(dateTime(firstExpiry)) : t.bulk.lifetimeHintResults(duration(results.lifetime), dateTime(firstExpiry))}</p> : null}
          <div className="actions">
            <button type="button" className="button primary" onClick={onDownload}>
              {t.bulk.download}
            </button>
            <span role="status" className="copied">
              {downloaded ? t.bulk.downloaded : ''}
            </span>
          </div>
        </div>
      ) : null}
      {made.length > 0 ? (
        <DataTable
          id="bulk-offers"
          caption={t.bulk.offers}
          columns={[
            { header: t.bulk.colRow, cell: (row: Made) => spreadsheetRow(row.row) },
            { header: t.bulk.colName, cell: (row: Made) => row.who || '—' },
            {
              header: t.bulk.colTxCode,
              cell: (row: Made) =>
                row.txCode ? (
                  <span className="tx-code-cell">
                    <span aria-hidden="true">{row.txCode}</span>
                    <span className="visually-hidden">{row.txCode.split('').join(' ')}</span>
                  </span>
                ) : (
                  '—'
                ),
            },
            { header: t.bulk.colExpires, cell: (row: Made) => dateTime(row.expiresAt) },
            {
              header: t.bulk.colActions,
              cell: (row: Made) => (
                <button type="button" className="button secondary small" aria-label={t.bulk.showQrOf(who(row))} onClick={() => onShow(row)}>
                  {t.bulk.showQr}
                </button>
              ),
            },
          ]}
          rows={made}
          rowKey={(row) => row.row}
        />
      ) : null}
      {refused.length > 0 ? (
        <DataTable
          id="bulk-errors"
          caption={t.bulk.errorsTitle}
          columns={[
            { header: t.bulk.colRow, cell: (row: Refused) => spreadsheetRow(row.row) },
            { header: t.bulk.colName, cell: (row: Refused) => row.who || '—' },
            { header: t.bulk.colField, cell: (row: Refused) => (row.error.column === null ? t.bulk.wholeRow : columnText(row.error.column)) },
            { header: t.bulk.colProblem, cell: (row: Refused) => explain(t, results, row) },
          ]}
          rows={refused}
          rowKey={(row) => row.row}
        />
      ) : null}
      <div className="actions">
        {confirmingAgain ? (
          <div className="confirm small" role="group" aria-label={t.bulk.again}>
            <p>{t.bulk.againConfirm}</p>
            <div className="actions">
              <button type="button" className="button danger small" onClick={onConfirmAgain}>
                {t.bulk.againConfirmButton}
              </button>
              <button type="button" className="button secondary small" onClick={onCancelAgain}>
                {t.cancel}
              </button>
            </div>
          </div>
        ) : (
          <button type="button" className="button secondary" onClick={onAgain}>
            {t.bulk.again}
          </button>
        )}
      </div>
    </>
  );
}
