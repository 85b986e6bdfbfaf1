import { containsResidentRegistrationNumber, resolveSharedSchema } from '@citycred/credentials';

/** One line of a certificate's claim table. */
export interface ClaimRow {
  /** What the claim is: its JSON Schema `title`, else its name; nested claims as `parent · child`. */
  readonly label: string;
  /** The value as a person reads it (booleans 예/아니오, lists joined with commas). */
  readonly value: string;
}

/** What a certificate shows instead of a value that looks like a resident registration number. */
export const WITHHELD_VALUE = '(표시하지 않음)';

/** How nested levels are joined in a label: `거주지 · 시·도`. */
const LEVEL_SEPARATOR = ' · ';

/**
 * The subject's claims as table rows, in the order the credential lists them, with the labels a JSON Schema gives.
 * Nested objects become one row per leaf (`residence · city`), arrays of plain values one row (`a, b`), arrays of
 * objects one group of rows per item (`criteria 1 · …`). Values are never invented or reordered.
 *
 * The issuer refuses resident registration numbers at issuance; a value that looks like one is still withheld here,
 * so a certificate can never print one, whatever was stored before that rule existed.
 * @param claims - the credential subject's claims, without `id`
 * @param schema - the type's credentialSubject JSON Schema, when one is known (its `properties[*].title` are labels)
 */
export function claimRows(claims: Readonly<Record<string, unknown>>, schema?: unknown): ClaimRow[] {
  const rows: ClaimRow[] = [];
  collect(claims, schema, [], rows);
  return rows;
}

function collect(object: Readonly<Record<string, unknown>>, schema: unknown, labels: readonly string[], rows: ClaimRow[]): void {
  for (const [name, value] of Object.entries(object)) {
    if (labels.length === 0 && name === 'id') continue;
    const propertySchema = propertyOf(schema, name);
    const label = [...labels, titleOf(propertySchema) ?? titleOf(resolveSharedSchema(propertySchema)) ?? name];
    addValue(value, propertySchema, label, rows);
  }
}

function addValue(value: unknown, schema: unknown, label: readonly string[], rows: ClaimRow[]): void {
  if (isPlainObject(value)) {
    collect(value, schema, label, rows);
    return;
  }
  if (Array.isArray(value) && value.some((item) => isPlainObject(item) || Array.isArray(item))) {
    const resolved = resolveSharedSchema(schema);
    const itemSchema = isPlainObject(resolved) ? resolved['items'] : undefined;
    value.forEach((item, index) => addValue(item, itemSchema, [...label, String(index + 1)], rows));
    return;
  }
  rows.push({ label: label.join(LEVEL_SEPARATOR), value: display(value) });
}

function display(value: unknown): string {
  let text: string;
  if (value === true) text = '예';
  else if (value === false) text = '아니오';
  else if (value === null || value === undefined) text = '—';
  else if (Array.isArray(value)) text = value.map(display).join(', ');
  else text = String(value);
  return containsResidentRegistrationNumber(text) ? WITHHELD_VALUE : text;
}

function propertyOf(schema: unknown, name: string): unknown {
  schema = resolveSharedSchema(schema);
  if (!isPlainObject(schema)) return undefined;
  const properties = schema['properties'];
  return isPlainObject(properties) && Object.hasOwn(properties, name) ? properties[name] : undefined;
}

function titleOf(schema: unknown): string | undefined {
  if (!isPlainObject(schema)) return undefined;
  const title = schema['title'];
  return typeof title === 'string' && title.trim() !== '' && !containsResidentRegistrationNumber(title) ? title.trim() : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
