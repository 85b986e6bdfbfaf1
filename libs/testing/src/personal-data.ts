import { readFileSync } from 'node:fs';
import fc from 'fast-check';

/** One way of writing the fictitious resident registration number 900101-1234567 (issue 13). */
export interface DisguisedNumber {
  /** What is special about this way of writing it. */
  readonly label: string;
  /** The text as a client would send it. */
  readonly text: string;
  /** Whether the foundation's ASCII-only pattern already caught it (16 of the 27 slipped through). */
  readonly asciiPatternCaught: boolean;
}

/**
 * The 27 frozen ways of writing a resident registration number from issue 13
 * (`fixtures/disguised-resident-registration-numbers.json`).
 * @returns a fresh array of the variants.
 */
export function disguisedResidentRegistrationNumbers(): DisguisedNumber[] {
  const file = new URL('../fixtures/disguised-resident-registration-numbers.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { variants: DisguisedNumber[] }).variants;
}

/** First code point of the scripts' runs of decimal digits 0–9 that {@link disguisedResidentRegistrationNumber} writes in. */
export const DIGIT_SCRIPT_ZEROS: readonly number[] = Object.freeze([
  0x30, // ASCII
  0x660, // Arabic-Indic
  0x6f0, // Extended Arabic-Indic (Persian)
  0x7c0, // NKo
  0x966, // Devanagari
  0x9e6, // Bengali
  0xa66, // Gurmukhi
  0xbe6, // Tamil
  0xe50, // Thai
  0xed0, // Lao
  0xf20, // Tibetan
  0x1040, // Myanmar
  0x17e0, // Khmer
  0x1810, // Mongolian
  0xff10, // full-width
  0x1d7ce, // mathematical bold
  0x1d7f6, // mathematical monospace
  0x1e950, // Adlam
]);

/** What people (or evaders) put between the two groups. */
export const NUMBER_SEPARATORS: readonly string[] = Object.freeze([
  '', '-', '－', '–', '—', '−', '‐', '‑', '‒', '―', '﹣', '⁻', '.', '/', '_', ' ', '  ', ' - ', '\u00a0', '\u3000', '\u2009',
  '\t', '\n', '·', ':', '~', '〜', ', ', ' 주민 ', ' 번호: ', '주민등록번호', ' RRN ', 'ー',
]);

/** Characters that render as nothing (format characters, joiners, marks, bidirectional controls). */
export const INVISIBLE_CHARACTERS: readonly string[] = Object.freeze([
  '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e', '\u034f', '\ufe0f', '\u202e', '\u2066',
]);

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Generates resident-registration-number-shaped text written to slip past a plain pattern: a birth-date-like first
 * group (YYMMDD), a seventh digit 1–8 and six more digits, every digit in a random script, a random separator from
 * {@link NUMBER_SEPARATORS} (or a short Korean or English word) between the groups, invisible characters inserted
 * anywhere — digits included — and some ordinary text around it. The numbers are random, so none is anyone's.
 * @returns a fast-check arbitrary of such strings.
 */
export function disguisedResidentRegistrationNumber(): fc.Arbitrary<string> {
  return fc
    .record({
      year: fc.integer({ min: 0, max: 99 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      sex: fc.integer({ min: 1, max: 8 }),
      serial: fc.integer({ min: 0, max: 999_999 }),
      scripts: fc.array(fc.constantFrom(...DIGIT_SCRIPT_ZEROS), { minLength: 13, maxLength: 13 }),
      separator: fc.constantFrom(...NUMBER_SEPARATORS),
      invisibles: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLE_CHARACTERS)), { maxLength: 6 }),
      before: fc.constantFrom('', '김서연 ', 'name:', 'x', '(', '주민번호 '),
      after: fc.constantFrom('', ' 확인', ')', 'abc', '.'),
    })
    .map(({ year, month, day, sex, serial, scripts, separator, invisibles, before, after }) => {
      const ascii = `${pad2(year)}${pad2(month)}${pad2(day)}${sex}${String(serial).padStart(6, '0')}`;
      const digits = [...ascii].map((digit, i) => String.fromCodePoint(scripts[i]! + Number(digit)));
      const chars = [...digits.slice(0, 6), ...(separator === '' ? [] : [separator]), ...digits.slice(6)];
      for (const [at, invisible] of invisibles) chars.splice(at % (chars.length + 1), 0, invisible);
      return `${before}${chars.join('')}${after}`;
    });
}
