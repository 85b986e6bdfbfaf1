import { describe, expect, it } from 'vitest';
import { readCsvRecords } from './csv.js';

describe('readCsvRecords (RFC 4180, shared by the issuer and the console)', () => {
  it.each([
    ['a,b\r\n1,2\r\n', [['a', 'b'], ['1', '2']]],
    ['a,b\n1,2', [['a', 'b'], ['1', '2']]],
    ['name,note\n"김, 서연","그가 ""네""라고\n했다"\n', [['name', 'note'], ['김, 서연', '그가 "네"라고\n했다']]],
    ['a,b\n\n1,\n\n', [['a', 'b'], ['1', '']]],
    ['a,"b"\n', [['a', 'b']]],
    ['', []],
  ])('reads %j', (text, records) => {
    expect(readCsvRecords(text)).toEqual({ ok: true, records });
  });

  it.each([
    ['a,"b\n1,2', { kind: 'unclosed-quote' }],
    ['a,b\n"1"x,2', { kind: 'text-after-quote', line: 2 }],
  ])('refuses %j', (text, problem) => {
    expect(readCsvRecords(text)).toEqual({ ok: false, problem });
  });
});
