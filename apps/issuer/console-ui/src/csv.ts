/**
 * What the bulk-offer screen does with a CSV before and after sending it: read the file (UTF-8, or the EUC-KR Korean
 * spreadsheets still save), parse it as the issuer does (RFC 4180), check its columns against the type's claims,
 * split it into the requests that are sent, and write the results file. The issuer stays the judge of every row.
 */
import { readCsvRecords, type CsvSyntaxProblem } from '@citycred/credentials/csv';
import type { JsonSchema } from './api.js';
import { flatten, type Located } from './schema.js';

/** Rows one import may hold, as `POST /oid4vci/offers/bulk` allows. */
export const MAX_IMPORT_ROWS = 1000;

/** Why a CSV cannot be read at all; the screen words each kind. */
export type CsvProblem =
  | CsvSyntaxProblem
  | { kind: 'no-rows' }
  | { kind: 'empty-column'; column: number }
  | { kind: 'repeated-column'; name: string }
  | { kind: 'ragged-row'; row: number; cells: number; expected: number }
  | { kind: 'too-many-rows'; rows: number };

/** A CSV read into its header and data rows, or the first problem that stops it. */
export type CsvTable = { ok: true; header: string[]; rows: string[][] } | { ok: false; problem: CsvProblem };

/**
 * The text of a chosen file: UTF-8 (a byte-order mark dropped), else EUC-KR (what Korean spreadsheet programs save
 * as "CSV" by default), so Hangul names survive either way.
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  try {
    return stripBom(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return new TextDecoder('euc-kr').decode(bytes);
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parses RFC 4180 CSV exactly as the issuer does: the one reader of `@citycred/credentials/csv` (empty lines dropped).
 * @returns the records, or the problem that stops the parse
 */
export function parseCsv(text: string): { ok: true; records: string[][] } | { ok: false; problem: CsvProblem } {
  return readCsvRecords(text);
}

/**
 * Reads a CSV for an import: a header of distinct, non-empty column names, 1 to {@link MAX_IMPORT_ROWS} data rows,
 * each with as many cells as the header — what the issuer refuses with 400 is found here first.
 */
export function readCsv(text: string): CsvTable {
  const parsed = parseCsv(stripBom(text));
  if (!parsed.ok) return parsed;
  const [header, ...rows] = parsed.records;
  if (!header || rows.length === 0) return { ok: false, problem: { kind: 'no-rows' } };
  const empty = header.findIndex((name) => name.trim() === '');
  if (empty !== -1) return { ok: false, problem: { kind: 'empty-column', column: empty + 1 } };
  const repeated = header.find((name, index) => header.indexOf(name) !== index);
  if (repeated !== undefined) return { ok: false, problem: { kind: 'repeated-column', name: repeated } };
  const ragged = rows.findIndex((cells) => cells.length !== header.length);
  if (ragged !== -1) return { ok: false, problem: { kind: 'ragged-row', row: spreadsheetRow(ragged), cells: rows[ragged]!.length, expected: header.length } };
  if (rows.length > MAX_IMPORT_ROWS) return { ok: false, problem: { kind: 'too-many-rows', rows: rows.length } };
  return { ok: true, header, rows };
}

/**
 * The row number a spreadsheet shows for a data row (0 = the line after the header): the header is row 1, so the
 * first data row is row 2.
 */
export function spreadsheetRow(index: number): number {
  return index + 2;
}

/** A CSV column checked against the type's claims. */
export interface ColumnCheck {
  /** The column as written in the header (`residence.district`). */
  readonly name: string;
  /** `known`: a claim of the type; `unknown`: no such claim (every row would be refused); `holder`: the subject's `id`, set by the wallet. */
  readonly state: 'known' | 'unknown' | 'holder';
  /** The claim's title in the schema (`시·군·구`), when it has one. */
  readonly title?: string;
}

/** The columns checked, and the required claims no column gives. */
export interface ColumnReport {
  readonly columns: readonly ColumnCheck[];
  /** Dotted paths of required claims without a column (`residence.city`). */
  readonly missing: readonly string[];
  /** Whether the CSV can be sent: every column a claim, every required claim a column. */
  readonly ok: boolean;
}

const at = (schema: JsonSchema): Located[] => [{ node: schema, doc: schema }];

/** The schema of the claim at a dotted path, folded; undefined when the type has no such claim. */
function claimAt(schema: JsonSchema, path: readonly string[]) {
  let located = at(schema);
  let flat = flatten(located, schema, undefined);
  for (const segment of path) {
    const next = flat.properties.get(segment);
    if (!next) return undefined;
    located = next;
    flat = flatten(located, schema, undefined);
  }
  return flat;
}

/** Dotted paths of the required leaf claims of an object schema (a required object's own required claims, recursively). */
function requiredLeaves(schema: JsonSchema, prefix: string[]): string[] {
  const flat = claimAt(schema, prefix);
  if (!flat) return [];
  return [...flat.required].flatMap((name) => {
    const path = [...prefix, name];
    const child = claimAt(schema, path);
    const isObject = child !== undefined && child.properties.size > 0 && (child.types === undefined || child.types.includes('object'));
    return isObject ? requiredLeaves(schema, path) : [path.join('.')];
  });
}

/**
 * Checks a header against the type's subject schema: each column must name a claim (nested with dots), none may be
 * the holder's `id`, and every required claim needs a column.
 */
export function checkColumns(header: readonly string[], schema: JsonSchema): ColumnReport {
  const names = header.map((name) => name.trim());
  const columns = names.map((name): ColumnCheck => {
    if (name === 'id') return { name, state: 'holder' };
    const claim = claimAt(schema, name.split('.'));
    if (!claim) return { name, state: 'unknown' };
    return claim.title ? { name, state: 'known', title: claim.title } : { name, state: 'known' };
  });
  const given = new Set(names);
  const missing = requiredLeaves(schema, []).filter((path) => path !== 'id' && !given.has(path));
  return { columns, missing, ok: missing.length === 0 && columns.every((column) => column.state === 'known') };
}

/**
 * The claims of one data row, typed by the schema as the issuer types them (`true`/`false` for booleans, numbers for
 * numeric claims, text otherwise; an empty cell leaves the claim out) — for explaining a row the issuer refused.
 */
export function rowClaims(header: readonly string[], cells: readonly string[], schema: JsonSchema): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  header.forEach((name, column) => {
    const cell = cells[column] ?? '';
    if (cell === '') return;
    const path = name.trim().split('.');
    let target = claims;
    for (const segment of path.slice(0, -1)) {
      const next = target[segment];
      target = (next !== null && typeof next === 'object' ? next : (target[segment] = {})) as Record<string, unknown>;
    }
    const types = claimAt(schema, path)?.types ?? [];
    let value: unknown = cell;
    if (types.includes('boolean')) value = cell === 'true' ? true : cell === 'false' ? false : cell;
    else if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(cell)) value = Number(cell);
    target[path[path.length - 1]!] = value;
  });
  return claims;
}

/** The dotted CSV column of a JSON pointer into a row's claims (`/residence/district` → `residence.district`). */
export function columnOfClaimPointer(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/** One field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Records as RFC 4180 text, CRLF line ends. */
export function toCsv(records: ReadonlyArray<readonly string[]>): string {
  return records.map((record) => record.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * The import cut into CSV texts of at most `size` rows, each with the header, so a large import is sent in steps
 * whose progress can be shown (the issuer answers each request when all its rows are made).
 * @returns each piece's text and the index of its first row
 */
export function csvPieces(header: readonly string[], rows: ReadonlyArray<readonly string[]>, size: number): Array<{ first: number; csv: string }> {
  const pieces: Array<{ first: number; csv: string }> = [];
  for (let first = 0; first < rows.length; first += size) pieces.push({ first, csv: toCsv([header, ...rows.slice(first, first + size)]) });
  return pieces;
}

/**
 * A cell a spreadsheet program would read as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) made plain
 * text with a leading apostrophe, so a name taken from the clerk's file cannot run as a formula in the results.
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One row of the results file. */
export interface ResultLine {
  /** The spreadsheet row number of the CSV row. */
  readonly row: number;
  /** The identifying column's value (the clerk chose which), or empty. */
  readonly label: string;
  readonly offerLink: string;
  readonly txCode: string;
  /** The offer's lifetime in words (`7일`), or empty. */
  readonly validFor: string;
  readonly expiresAt: string;
  /** Why the row got no offer, in words; empty for an offer. */
  readonly error: string;
}

/**
 * The results file: a header, then one line per CSV row with the offer link, transaction code, lifetime (in words)
 * and expiry, or the error. A UTF-8 byte-order mark comes first so spreadsheet programs read the Hangul right.
 * @param labelColumn - the heading of the identifying column (the clerk's column name), or null for the row number alone
 */
export function resultsCsv(labelColumn: string | null, lines: readonly ResultLine[]): string {
  const header = ['row', ...(labelColumn === null ? [] : [labelColumn]), 'offer_link', 'tx_code', 'valid_for', 'expires_at', 'error'];
  const body = lines.map((line) => [
    String(line.row),
    ...(labelColumn === null ? [] : [spreadsheetSafe(line.label)]),
    line.offerLink,
    line.txCode,
    line.validFor,
    line.expiresAt,
    spreadsheetSafe(line.error),
  ]);
  return '\ufeff' + toCsv([header, ...body]);
}
