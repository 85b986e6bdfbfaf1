import { commonSchema, credentialSchema } from '@citycred/credentials';
import { describe, expect, it } from 'vitest';
import { claimsFromCsv, CsvError, parseCsv as issuerParseCsv } from '../../src/oid4vci/csv-claims.js';
import type { JsonSchema } from './api.js';
import { checkColumns, columnOfClaimPointer, csvPieces, decodeCsvBytes, MAX_IMPORT_ROWS, parseCsv, readCsv, resultsCsv, rowClaims, spreadsheetRow, toCsv } from './csv.js';

/** A subject schema as `GET /console/api/types` sends it: the shared definitions bundled under `$defs` by their `$id`. */
function bundledSchema(type: Parameters<typeof credentialSchema>[0]): JsonSchema {
  const schema = structuredClone(credentialSchema(type)) as JsonSchema;
  const common = structuredClone(commonSchema()) as JsonSchema;
  return { ...schema, $defs: { [String(common['$id'])]: common } };
}

const CARD_HEADER = 'personId,name,birthDate,ageOver15,ageOver18,ageOver19,residence.city,residence.district,residentSince';
const CARD_ROW = '6b1f3c2e-8a4d-4f7e-9c1b-2d3e4f5a6b7c,김서연,2001-04-12,true,true,true,서울특별시,마포구,2019-03-01';

describe('the bulk-offer screen reads a CSV as the issuer does', () => {
  it('parses quoted fields, doubled quotes, line breaks in quotes and CRLF into the records the issuer parses', () => {
    for (const text of ['a,b\r\n"x, ""y""",\n"two\nlines",z\n', 'a\n\nb\n', 'name\n김서연\n', '"a","b"\r\n"1",""\r\n']) {
      const ours = parseCsv(text);
      expect(ours.ok).toBe(true);
      const issuers = issuerParseCsv(text).filter((record) => !(record.length === 1 && record[0] === ''));
      expect(ours.ok && ours.records).toEqual(issuers);
    }
    for (const text of ['a,"b', '"a"b,c']) {
      expect(parseCsv(text).ok).toBe(false);
      expect(() => issuerParseCsv(text)).toThrow(CsvError);
    }
    expect(parseCsv('a,"b')).toEqual({ ok: false, problem: { kind: 'unclosed-quote' } });
    expect(parseCsv('a\n"b"c\n')).toEqual({ ok: false, problem: { kind: 'text-after-quote', line: 2 } });
  });

  it('refuses what the issuer answers 400 for, naming the spreadsheet row, before anything is sent', () => {
    expect(readCsv('name\n')).toEqual({ ok: false, problem: { kind: 'no-rows' } });
    expect(readCsv('name,,birthDate\na,b,c\n')).toEqual({ ok: false, problem: { kind: 'empty-column', column: 2 } });
    expect(readCsv('name,name\na,b\n')).toEqual({ ok: false, problem: { kind: 'repeated-column', name: 'name' } });
    // The header is spreadsheet row 1: the second data row is row 3.
    expect(readCsv('name,birthDate\na,b\nc\n')).toEqual({ ok: false, problem: { kind: 'ragged-row', row: 3, cells: 1, expected: 2 } });
    const tooMany = ['name', ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `p${i}`)].join('\n');
    expect(readCsv(tooMany)).toEqual({ ok: false, problem: { kind: 'too-many-rows', rows: MAX_IMPORT_ROWS + 1 } });
    expect(readCsv(`\ufeff${CARD_HEADER}\n${CARD_ROW}\n`)).toMatchObject({ ok: true, header: CARD_HEADER.split(','), rows: [CARD_ROW.split(',')] });
    expect(spreadsheetRow(0)).toBe(2);
  });

  it('reads a file saved as UTF-8 (with or without a byte-order mark) or as EUC-KR', () => {
    const utf8 = new TextEncoder().encode('\ufeffname\n김서연\n');
    expect(decodeCsvBytes(utf8)).toBe('name\n김서연\n');
    // 김서연 in EUC-KR, as Korean spreadsheet programs save "CSV".
    const eucKr = Uint8Array.from([...new TextEncoder().encode('name\n'), 0xb1, 0xe8, 0xbc, 0xad, 0xbf, 0xac, 0x0a]);
    expect(decodeCsvBytes(eucKr)).toBe('name\n김서연\n');
  });
});

describe('the columns checked against the type’s claims', () => {
  const card = bundledSchema('SeoulCitizenCard');

  it('accepts a header naming every required claim, nested ones with dots, and gives each its title', () => {
    const report = checkColumns(CARD_HEADER.split(','), card);
    expect(report.ok).toBe(true);
    expect(report.missing).toEqual([]);
    expect(report.columns.find((c) => c.name === 'residence.district')).toEqual({ name: 'residence.district', state: 'known', title: '시·군·구' });
  });

  it('names unknown columns, the holder id and the required claims no column gives', () => {
    const report = checkColumns(['personId', 'name', 'birthdate', 'id', 'residence.district', 'photoHash'], card);
    expect(report.ok).toBe(false);
    expect(report.columns.filter((c) => c.state !== 'known').map((c) => [c.name, c.state])).toEqual([
      ['birthdate', 'unknown'],
      ['id', 'holder'],
    ]);
    expect(report.missing).toEqual(['birthDate', 'ageOver15', 'ageOver18', 'ageOver19', 'residence.city', 'residentSince']);
  });
});

describe('the cells typed as the issuer types them', () => {
  const cases: Array<[Parameters<typeof claimsFromCsv>[0], string]> = [
    ['SeoulCitizenCard', `${CARD_HEADER}\n${CARD_ROW}\n`],
    ['IncomeBracket', 'householdIncomePercentOfMedian,basisMonth,basicLivelihoodRecipient\n48,2026-03,false\n120.5,2026-03,maybe\n'],
    ['EnrollmentStatus', 'status,institution.name,institution.code,institution.kind,since\ngraduated,서울시립대학교,0000149,university,\n'],
  ];
  it.each(cases)('%s: the same claims as the issuer makes of each row', (type, text) => {
    const table = readCsv(text);
    if (!table.ok) throw new Error('the CSV should read');
    const schema = bundledSchema(type);
    expect(table.rows.map((cells) => rowClaims(table.header, cells, schema))).toEqual(claimsFromCsv(type, text));
  });

  it('maps a pointer into a row’s claims back to its column', () => {
    expect(columnOfClaimPointer('/residence/district')).toBe('residence.district');
    expect(columnOfClaimPointer('/a~1b')).toBe('a/b');
  });
});

describe('sending and the results file', () => {
  it('cuts a large import into pieces of whole rows, each with the header, that read back to the same cells', () => {
    const header = ['name', 'note'];
    const rows = Array.from({ length: 250 }, (_, i) => [`시민 ${i}`, i % 2 ? 'a, "quoted"\nnote' : '']);
    const pieces = csvPieces(header, rows, 100);
    expect(pieces.map((piece) => piece.first)).toEqual([0, 100, 200]);
    const back = pieces.flatMap((piece) => {
      const table = readCsv(piece.csv);
      if (!table.ok) throw new Error('a piece should read');
      expect(table.header).toEqual(header);
      return table.rows;
    });
    // Empty notes stay empty cells: a row is never lost or split.
    expect(back).toEqual(rows);
  });

  it('writes each row’s offer or error, with a byte-order mark, quoting, and no cell a spreadsheet would run as a formula', () => {
    const text = resultsCsv('name', [
      { row: 2, label: '김서연', offerLink: 'openid-credential-offer://?credential_offer_uri=x', txCode: '042917', validFor: '7일', expiresAt: '2026-11-30T06:00:00.000Z', error: '' },
      { row: 3, label: '=HYPERLINK("http://x")', offerLink: '', txCode: '', validFor: '', expiresAt: '', error: 'birthDate (생년월일): YYYY-MM-DD 형식의 날짜를 입력하세요.' },
    ]);
    expect(text.startsWith('\ufeff')).toBe(true);
    const table = readCsv(text);
    expect(table).toEqual({
      ok: true,
      header: ['row', 'name', 'offer_link', 'tx_code', 'valid_for', 'expires_at', 'error'],
      rows: [
        ['2', '김서연', 'openid-credential-offer://?credential_offer_uri=x', '042917', '7일', '2026-11-30T06:00:00.000Z', ''],
        ['3', `'=HYPERLINK("http://x")`, '', '', '', '', 'birthDate (생년월일): YYYY-MM-DD 형식의 날짜를 입력하세요.'],
      ],
    });
    expect(resultsCsv(null, []).slice(1)).toBe(toCsv([['row', 'offer_link', 'tx_code', 'valid_for', 'expires_at', 'error']]));
  });
});
