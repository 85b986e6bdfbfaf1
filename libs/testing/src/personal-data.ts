import { readFileSync } from 'node:fs';
import fc from 'fast-check';

/** One way of writing the fictitious resident registration number 900101-1234567 (issue 13 and its red team). */
export interface DisguisedNumber {
  /** What is special about this way of writing it. */
  readonly label: string;
  /** The text as a client would send it. */
  readonly text: string;
  /** Whether the foundation's ASCII-only pattern already caught it (16 of issue 13's 27 slipped through). */
  readonly asciiPatternCaught: boolean;
  /** Who found it: issue 13 itself, or the outside red team that tried issue 13's fix. */
  readonly source: 'issue 13' | 'red team';
}

/**
 * The frozen ways of writing a resident registration number (`fixtures/disguised-resident-registration-numbers.json`):
 * issue 13's 27 and the 18 its red team found.
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

const range = (zero: string, oneToNine: number): string[] => [zero, ...Array.from({ length: 9 }, (_, i) => String.fromCodePoint(oneToNine + i))];

/**
 * Number symbols that write one digit each without punctuation, as ten-element tables (index = digit): circled,
 * negative circled, double circled, dingbat circled and negative circled (serif and sans-serif), the Khmer lek
 * attak, Mayan numerals, and superscripts and subscripts.
 */
export const DIGIT_SYMBOL_TABLES: readonly (readonly string[])[] = Object.freeze([
  range('⓪', 0x2460), // ⓪ ①–⑨
  range('⓿', 0x2776), // ⓿ ❶–❾
  range('⓪', 0x24f5), // double circled ⓵–⓽ (there is no double circled zero)
  range('🄋', 0x2780), // 🄋 ➀–➈
  range('🄌', 0x278a), // 🄌 ➊–➒
  range('៰', 0x17f1), // Khmer lek attak
  range('𝋠', 0x1d2e1), // Mayan numerals
  ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'],
  range('₀', 0x2081),
]);

/**
 * Number symbols that NFKC writes as a digit with punctuation, as ten-element tables: parenthesised `⑴`→`(1)` (no
 * parenthesised zero exists: `(0)`), with full stop `⒈`→`1.` and with comma `🄂`→`1,`. A number is written in
 * one of these throughout, or not at all.
 */
export const PUNCTUATED_DIGIT_TABLES: readonly (readonly string[])[] = Object.freeze([
  range('(0)', 0x2474),
  range('🄀', 0x2488),
  range('🄁', 0x1f102),
]);

/** What people (or evaders) put between the two groups. */
export const NUMBER_SEPARATORS: readonly string[] = Object.freeze([
  '', '-', '－', '–', '—', '−', '‐', '‑', '‒', '―', '﹣', '⁻', '.', '/', '_', ' ', '  ', ' - ', '\u00a0', '\u3000', '\u2009',
  '\t', '\n', '·', ':', '~', '〜', ', ', '\u2800', ' '.repeat(9), '-'.repeat(16),
  ' 주민 ', ' 번호: ', '주민등록번호', ' RRN ', 'ー', ' 주민 번호 ', ' 주민등록번호는 ', ' registry ',
]);

/** Separators that people (or evaders) put inside a group (`90.01.01`, `123-4567`, `900⠀101`). */
export const GROUP_SEPARATORS: readonly string[] = Object.freeze(['.', '-', '/', '_', '\u2800', '·', ':', '－']);

/**
 * Separators with a space: between single digits (`9 0 0 1 0 1`), and, the first two, in a first group cut once or
 * more (`9001 01`, `90 01 01`).
 */
export const SPACED_GROUP_SEPARATORS: readonly string[] = Object.freeze([' ', '\u00a0', '  ', ', ', ' - ', ' . ']);

/** Characters that render as nothing (format characters, joiners, marks, bidirectional controls). */
export const INVISIBLE_CHARACTERS: readonly string[] = Object.freeze([
  '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e', '\u034f', '\ufe0f', '\u202e', '\u2066',
]);

const pad2 = (n: number): string => String(n).padStart(2, '0');
const hasLetter = (text: string): boolean => /\p{L}/u.test(text);

/**
 * The ways of cutting a group of `size` digits into pieces: whole, one cut anywhere, every digit alone, and for the
 * first group YY MM DD. (A second group cut 1-3-3 by `.` or `,` reads as an amount, which the detector lets pass.)
 */
function cuts(size: number): number[][] {
  const oneCut = Array.from({ length: size - 1 }, (_, i) => [i + 1, size - i - 1]);
  return [[size], ...oneCut, Array.from({ length: size }, () => 1), ...(size === 6 ? [[2, 2, 2]] : [[2, 2, 3]])];
}

/** Writes a group's digits in its pieces, with a separator the detector reads inside a group of that cut. */
function cutGroup(digits: readonly string[], pieces: readonly number[], separators: { tight: string; spaced: string }, firstGroup: boolean): string {
  const singleDigits = pieces.every((piece) => piece === 1);
  const spacedAllowed = singleDigits || (firstGroup && (separators.spaced === ' ' || separators.spaced === '\u00a0'));
  const separator = spacedAllowed ? separators.spaced : separators.tight;
  let at = 0;
  return pieces.map((piece) => digits.slice(at, (at += piece)).join('')).join(separator);
}

/**
 * Generates resident-registration-number-shaped text written to slip past a plain pattern: a birth-date-like first
 * group (YYMMDD), a seventh digit 1–8 and six more digits. Either every digit is in a random script or number
 * symbol ({@link DIGIT_SCRIPT_ZEROS}, {@link DIGIT_SYMBOL_TABLES}) and each group may be cut by one separator
 * ({@link GROUP_SEPARATORS}, or with a space where the detector reads one inside a group:
 * {@link SPACED_GROUP_SEPARATORS}), or the whole number is in one punctuated symbol family
 * ({@link PUNCTUATED_DIGIT_TABLES}). Between the groups: a random separator from {@link NUMBER_SEPARATORS} — one
 * with words only between groups written without separators, as the detector reads words only there. Invisible
 * characters are inserted anywhere, digits included, and some ordinary text goes around it. The numbers are random,
 * so none is anyone's.
 * @returns a fast-check arbitrary of such strings.
 */
export function disguisedResidentRegistrationNumber(): fc.Arbitrary<string> {
  const digitForm = fc.oneof(
    fc.constantFrom(...DIGIT_SCRIPT_ZEROS).map((zero) => (digit: number) => String.fromCodePoint(zero + digit)),
    fc.constantFrom(...DIGIT_SYMBOL_TABLES).map((table) => (digit: number) => table[digit]!),
  );
  return fc
    .record({
      year: fc.integer({ min: 0, max: 99 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      sex: fc.integer({ min: 1, max: 8 }),
      serial: fc.integer({ min: 0, max: 999_999 }),
      forms: fc.array(digitForm, { minLength: 13, maxLength: 13 }),
      punctuated: fc.option(fc.constantFrom(...PUNCTUATED_DIGIT_TABLES), { freq: 4 }),
      firstCut: fc.constantFrom(...cuts(6)),
      secondCut: fc.constantFrom(...cuts(7)),
      groupSeparators: fc.array(
        fc.record({ tight: fc.constantFrom(...GROUP_SEPARATORS), spaced: fc.constantFrom(...GROUP_SEPARATORS, ...SPACED_GROUP_SEPARATORS) }),
        { minLength: 2, maxLength: 2 },
      ),
      separator: fc.constantFrom(...NUMBER_SEPARATORS),
      invisibles: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLE_CHARACTERS)), { maxLength: 6 }),
      before: fc.constantFrom('', '김서연 ', 'name:', 'x', '(', '주민번호 '),
      after: fc.constantFrom('', ' 확인', ')', 'abc', '.'),
    })
    .map(({ year, month, day, sex, serial, forms, punctuated, firstCut, secondCut, groupSeparators, separator, invisibles, before, after }) => {
      const ascii = `${pad2(year)}${pad2(month)}${pad2(day)}${sex}${String(serial).padStart(6, '0')}`;
      const values = [...ascii].map(Number);
      let first: string;
      let second: string;
      let between = separator;
      if (punctuated !== null) {
        first = values.slice(0, 6).map((v) => punctuated[v]!).join('');
        second = values.slice(6).map((v) => punctuated[v]!).join('');
        // The punctuation counts as separators too: keep the run of them within the detector's 16.
        if (hasLetter(between) || between.length > 12) between = '-';
      } else {
        const digits = values.map((v, i) => forms[i]!(v));
        first = cutGroup(digits.slice(0, 6), firstCut, groupSeparators[0]!, true);
        second = cutGroup(digits.slice(6), secondCut, groupSeparators[1]!, false);
        const cut = firstCut.length > 1 || secondCut.length > 1;
        if (cut && (between === '' || hasLetter(between))) between = ' - ';
      }
      const chars = [...first, ...between, ...second];
      for (const [at, invisible] of invisibles) chars.splice(at % (chars.length + 1), 0, invisible);
      return `${before}${chars.join('')}${after}`;
    });
}

const digitsOf = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const amount = fc.integer({ min: 0, max: 99_999_999_999 }).map((n) => n.toLocaleString('en-US'));

/**
 * Generates ordinary text that must never be taken for a resident registration number: Korean and English words
 * with dates (ISO, dotted, Korean, two-digit years), times and time ranges, ISO date-times (with milliseconds too),
 * mobile and landline phone numbers, toll-free numbers, business registration numbers (XXX-XX-XXXXX), postal codes,
 * amounts written with thousands separators (or, up to six digits, without), percentages and UUIDs, joined by
 * spaces, commas, slashes, tildes, hyphens and line breaks.
 * @returns a fast-check arbitrary of such strings.
 */
export function ordinaryText(): fc.Arbitrary<string> {
  const instant = fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });
  const token = fc.oneof(
    fc.constantFrom('김서연', '서울특별시', '마포구', '근무', '시간', '계약기간', '월급', '기준', '부터', '까지', '연락처', 'the', 'contract', 'from', 'until', 'phone', 'ref', '총', '지급'),
    instant.map((d) => d.toISOString()),
    instant.map((d) => d.toISOString().slice(0, 10)),
    instant.map((d) => d.toISOString().slice(0, 10).replaceAll('-', '.')),
    instant.map((d) => d.toISOString().slice(2, 10).replaceAll('-', '.')),
    instant.map((d) => d.toISOString().slice(2, 10).replaceAll('-', '')),
    instant.map((d) => `${d.getUTCFullYear()}년 ${d.getUTCMonth() + 1}월 ${d.getUTCDate()}일`),
    instant.map((d) => d.toISOString().slice(0, 19).replace('T', ' ')),
    instant.map((d) => d.toISOString().slice(0, 23).replace('T', ' ')),
    fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${h}:${pad2(m)}`),
    fc.tuple(fc.integer({ min: 6, max: 12 }), fc.integer({ min: 13, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([a, b, m]) => `${a}:${pad2(m)}-${b}:${pad2(m)}`),
    fc.tuple(digitsOf(4), digitsOf(4)).map(([a, b]) => `010-${a}-${b}`),
    fc.tuple(digitsOf(3), digitsOf(4)).map(([a, b]) => `02-${a}-${b}`),
    fc.tuple(digitsOf(4), digitsOf(4)).map(([a, b]) => `02-${a}-${b}`),
    fc.tuple(fc.constantFrom('031', '032', '051', '064'), digitsOf(3), digitsOf(4)).map(([a, b, c]) => `${a}-${b}-${c}`),
    fc.tuple(digitsOf(4), digitsOf(4)).map(([a, b]) => `+82 10 ${a} ${b}`),
    digitsOf(4).map((a) => `1588-${a}`),
    fc.tuple(digitsOf(3), digitsOf(2), digitsOf(5)).map(([a, b, c]) => `${a}-${b}-${c}`),
    digitsOf(5),
    amount.map((a) => `${a}원`),
    amount.map((a) => `₩${a}`),
    amount,
    fc.integer({ min: 0, max: 999_999 }).map(String),
    fc.integer({ min: 1, max: 9_999 }).map((n) => `${n}만원`),
    fc.integer({ min: 0, max: 1000 }).map((n) => `${n / 10}%`),
    fc.uuid(),
    fc.uuid().map((uuid) => `urn:uuid:${uuid}`),
  );
  const joiner = fc.constantFrom(' ', ', ', ' / ', ' ~ ', ' - ', '\n', ': ', ' (', ') ');
  return fc.array(fc.tuple(token, joiner), { minLength: 1, maxLength: 10 }).map((parts) => parts.map(([t, j]) => `${t}${j}`).join(''));
}
