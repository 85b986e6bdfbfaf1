import { commonSchema, credentialSchema, type CredentialTypeName } from '@citycred/credentials';
import { readCsvRecords } from '@citycred/credentials/csv';

/** A CSV body that cannot be read at all (as opposed to a row whose claims are wrong). */
export class CsvError extends Error {
  override readonly name = 'CsvError';
}

type Schema = Record<string, unknown>;

/**
 * Reads RFC 4180 CSV (`readCsvRecords` of `@citycred/credentials/csv`, which the console's import screen runs too);
 * records with nothing on them are dropped. @throws CsvError for an unclosed quote or text after a closing one
 */
export function parseCsv(text: string): string[][] {
  const read = readCsvRecords(text);
  if (read.ok) return read.records;
  throw new CsvError(read.problem.kind === 'unclosed-quote' ? 'a quoted field is not closed' : `line ${read.problem.line}: text after a closing quote`);
}

/**
 * Turns CSV into one claims object per data row for a type: the header names claims, nested ones with dots
 * (`residence.district`); each cell is typed by the type's JSON Schema (`true`/`false` for booleans, numbers for
 * integers and numbers, text otherwise, so a code like `0000149` stays text); an empty cell leaves the claim out.
 * The claims are then checked like any offer's.
 * @throws CsvError for unreadable CSV, no data row, an empty or repeated column name, or a row with another number of cells
 */
export function claimsFromCsv(type: CredentialTypeName, text: string): Array<Record<string, unknown>> {
  const [header, ...rows] = parseCsv(text);
  if (!header || rows.length === 0) throw new CsvError('the CSV needs a header line and at least one row');
  if (header.some((name) => name.trim() === '') || new Set(header).size !== header.length) throw new CsvError('every column needs a distinct name');
  const paths = header.map((name) => name.trim().split('.'));
  const schema = credentialSchema(type) as Schema;
  return rows.map((cells, index) => {
    if (cells.length !== header.length) throw new CsvError(`row ${index + 1} has ${cells.length} cells; the header has ${header.length}`);
    const claims: Record<string, unknown> = {};
    cells.forEach((cell, column) => {
      if (cell === '') return;
      const path = paths[column]!;
      let target = claims;
      for (const segment of path.slice(0, -1)) {
        const next = target[segment];
        target = (next !== null && typeof next === 'object' ? next : (target[segment] = {})) as Record<string, unknown>;
      }
      target[path[path.length - 1]!] = typed(cell, schemaAt(schema, path));
    });
    return claims;
  });
}

function typed(cell: string, schema: Schema | undefined): unknown {
  const type = schema?.['type'];
  if (type === 'boolean') return cell === 'true' ? true : cell === 'false' ? false : cell;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(cell)) return Number(cell);
  return cell;
}

/** The schema of the property at `path`, following `$ref`s into the type's schema and `common.json`. */
function schemaAt(root: Schema, path: readonly string[]): Schema | undefined {
  let current: Schema | undefined = resolve(root);
  for (const segment of path) {
    const properties = current?.['properties'] as Record<string, Schema> | undefined;
    current = properties?.[segment] === undefined ? undefined : resolve(properties[segment]);
  }
  return current;
}

function resolve(schema: Schema): Schema {
  let current = schema;
  for (let depth = 0; depth < 5 && typeof current['$ref'] === 'string'; depth += 1) {
    const name = /#\/\$defs\/([A-Za-z0-9]+)$/.exec(current['$ref'])?.[1];
    const target = name === undefined ? undefined : ((commonSchema() as Schema)['$defs'] as Record<string, Schema>)[name];
    if (!target) break;
    // The referring schema's own keywords (a `type` next to the `$ref`) take precedence.
    current = { ...target, ...Object.fromEntries(Object.entries(current).filter(([key]) => key !== '$ref')) };
  }
  return current;
}
