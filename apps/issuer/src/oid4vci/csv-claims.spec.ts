import { validateCredentialSubject } from '@citycred/credentials';
import { describe, expect, it } from 'vitest';
import { claimsFromCsv, CsvError, parseCsv } from './csv-claims.js';

describe('CSV rows of a bulk offer', () => {
  it('reads quoted fields, doubled quotes, commas and line breaks inside quotes, CRLF and a trailing newline', () => {
    expect(parseCsv('a,b\r\n"x, ""y""",\n"two\nlines",z\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', ''],
      ['two\nlines', 'z'],
    ]);
    expect(() => parseCsv('a,"b')).toThrow(CsvError);
    expect(() => parseCsv('"a"b,c')).toThrow(CsvError);
  });

  it('types cells by the schema and nests dotted columns, so the claims pass the schema', () => {
    const csv = 'householdIncomePercentOfMedian,basisMonth,basicLivelihoodRecipient\n48,2026-03,false\n120,2026-03,true\n';
    const rows = claimsFromCsv('IncomeBracket', csv);
    expect(rows).toEqual([
      { householdIncomePercentOfMedian: 48, basisMonth: '2026-03', basicLivelihoodRecipient: false },
      { householdIncomePercentOfMedian: 120, basisMonth: '2026-03', basicLivelihoodRecipient: true },
    ]);
    expect(rows.every((claims) => validateCredentialSubject('IncomeBracket', claims).valid)).toBe(true);
    const enrollment = claimsFromCsv('EnrollmentStatus', 'status,institution.name,institution.code,institution.kind,since\ngraduated,서울시립대학교,0000149,university,2025-02-21\n');
    expect(enrollment[0]).toEqual({ status: 'graduated', institution: { name: '서울시립대학교', code: '0000149', kind: 'university' }, since: '2025-02-21' });
    expect(validateCredentialSubject('EnrollmentStatus', enrollment[0]!).valid).toBe(true);
  });

  it('refuses a CSV without rows, with repeated columns or ragged rows', () => {
    expect(() => claimsFromCsv('IncomeBracket', 'basisMonth\n')).toThrow(/at least one row/);
    expect(() => claimsFromCsv('IncomeBracket', 'basisMonth,basisMonth\n1,2\n')).toThrow(/distinct/);
    expect(() => claimsFromCsv('IncomeBracket', 'basisMonth,basicLivelihoodRecipient\n2026-03\n')).toThrow(/cells/);
  });
});
