/** Why a CSV text could not be read at all. */
export type CsvSyntaxProblem = { readonly kind: 'unclosed-quote' } | { readonly kind: 'text-after-quote'; readonly line: number };

/**
 * Reads RFC 4180 CSV, browser-safe, as both the issuer's bulk offers and the console's import screen read it: fields
 * separated by commas, optionally in double quotes (a quote inside doubled, line breaks allowed inside), records by
 * CRLF or LF, a trailing line break allowed; records with nothing on them (an empty line) are dropped. Never throws.
 * @returns the records, or the problem that stops the parse (`line` counts records, from 1)
 */
export function readCsvRecords(text: string): { ok: true; records: string[][] } | { ok: false; problem: CsvSyntaxProblem } {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else {
        quoted = false;
        afterQuote = true;
      }
      continue;
    }
    if (char === ',') {
      record.push(field);
      field = '';
      afterQuote = false;
    } else if (char === '\n' || (char === '\r' && text[i + 1] === '\n')) {
      if (char === '\r') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      afterQuote = false;
    } else if (afterQuote) {
      return { ok: false, problem: { kind: 'text-after-quote', line: records.length + 1 } };
    } else if (char === '"' && field === '') {
      quoted = true;
    } else {
      field += char;
    }
  }
  if (quoted) return { ok: false, problem: { kind: 'unclosed-quote' } };
  if (field !== '' || record.length > 0 || afterQuote) {
    record.push(field);
    records.push(record);
  }
  return { ok: true, records: records.filter((r) => !(r.length === 1 && r[0] === '')) };
}
