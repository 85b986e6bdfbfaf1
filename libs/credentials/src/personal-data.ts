/*
 * Resident registration numbers (주민등록번호) must never be stored, issued, anchored or echoed (PIPA). A plain
 * pattern on the raw text is easy to slip past — full-width, circled or Arabic-Indic digits, a dash that is not
 * U+002D, a zero-width space or a full stop inside the number — so detection runs on a normalised form of the text,
 * and every layer (the HTTP edge, subject validation, error details) asks the same function. What an answer may
 * show of a request's own property names is decided here too ({@link nameForDisplay}). See docs/personal-data.md.
 *
 * Every function here runs in time linear in its input: the detector is a single left-to-right scan with no
 * backtracking regular expression and no rescans, because it runs on every string of every request.
 *
 * Runs in a browser as well as in Node: no node: imports here.
 */

/** What a JSON Pointer segment (or a name) that holds a resident registration number is replaced with. */
export const REDACTED = '[redacted]';

/** What a JSON Pointer segment (or a name) that is not a plausible field name is replaced with. */
export const UNNAMED = '[unnamed]';

/**
 * Iterations of the detector's own loops (one per character, run, gap or table entry looked at), counted so that a
 * test can check that the work is linear in the input without timing it; read only by {@link detectionSteps}.
 */
let steps = 0;

/** Every dash and hyphen (`\p{Pd}`), and the minus signs and hyphen look-alikes outside that category. */
const DASH = /^[\p{Pd}\u2212\u2043\u02D7\u2796]$/u;
/** Every kind of space and line break, and the C0/C1 controls (a tab or a newline between groups separates them). */
const SPACE = /^[\p{Zs}\p{Zl}\p{Zp}\p{Cc}]$/u;
/**
 * Characters that are invisible or only modify their neighbour: format characters (zero-width space and joiners,
 * word joiner, BOM, soft hyphen, bidirectional controls), the other default-ignorable code points (Hangul fillers,
 * variation selectors, combining grapheme joiner) and combining marks. They are removed, not turned into spaces.
 */
const INVISIBLE = /^[\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}]$/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
const OTHER_NUMBER = /^\p{No}$/u;
/** Letters, and the numbers that are not digits (Roman numerals, fractions, number symbols of other values). */
const LETTER_OR_OTHER_NUMBER = /^[\p{L}\p{Nl}\p{No}]$/u;

/**
 * Number symbols (`\p{No}`) that NFKC leaves as they are, with the digit value Unicode gives them, as
 * `[first code point, last code point, value of the first]` (values rise by one along a range). Derived from the
 * Unicode Character Database (General_Category No, Numeric_Value a whole number 0–9, no compatibility
 * decomposition; Unicode 14's data, and the Kaktovik numerals of Unicode 15); the enclosed numbers 10–20 of the same families are included so that `❿` reads like NFKC's
 * `⑩` → `10`. Symbols that NFKC already maps — circled `①`→`1`, parenthesised `⑴`→`(1)`, `⒈`→`1.`, `🄁`→`0,`,
 * superscripts — are not listed: their digits come out of NFKC, their punctuation is a separator.
 */
export const NUMBER_SYMBOL_RANGES: ReadonlyArray<readonly [number, number, number]> = [
  // Enclosed alphanumerics and dingbats.
  [0x24eb, 0x24f4, 11], // ⓫–⓴ negative circled 11–20
  [0x24f5, 0x24fe, 1], // ⓵–⓾ double circled 1–10
  [0x24ff, 0x24ff, 0], // ⓿ negative circled 0
  [0x2776, 0x277f, 1], // ❶–❿ dingbat negative circled 1–10
  [0x2780, 0x2789, 1], // ➀–➉ dingbat circled sans-serif 1–10
  [0x278a, 0x2793, 1], // ➊–➓ dingbat negative circled sans-serif 1–10
  [0x1f10b, 0x1f10b, 0], // 🄋 dingbat circled sans-serif 0
  [0x1f10c, 0x1f10c, 0], // 🄌 dingbat negative circled sans-serif 0
  // Digit signs of scripts and notations whose decimal digits are not `\p{Nd}`.
  [0x0c78, 0x0c7b, 0], // Telugu fraction digits 0–3 (odd powers of four)
  [0x0c7c, 0x0c7e, 1], // Telugu fraction digits 1–3 (even powers of four)
  [0x1369, 0x1371, 1], // Ethiopic digits 1–9
  [0x17f0, 0x17f9, 0], // Khmer lek attak 0–9
  [0x19da, 0x19da, 1], // New Tai Lue tham digit one
  [0x10107, 0x1010f, 1], // Aegean numbers 1–9
  [0x1018a, 0x1018a, 0], // Greek zero sign
  [0x102e1, 0x102e9, 1], // Coptic epact digits 1–9
  [0x10320, 0x10320, 1], // Old Italic numeral one
  [0x10321, 0x10321, 5], // Old Italic numeral five
  [0x10858, 0x1085a, 1], // Imperial Aramaic 1–3
  [0x10879, 0x1087d, 1], // Palmyrene 1–5
  [0x108a7, 0x108aa, 1], // Nabataean 1–4
  [0x108ab, 0x108ac, 4], // Nabataean cruciform four, five
  [0x108fb, 0x108fb, 1], // Hatran one
  [0x108fc, 0x108fc, 5], // Hatran five
  [0x10916, 0x10916, 1], // Phoenician one
  [0x1091a, 0x1091b, 2], // Phoenician two, three
  [0x109c0, 0x109c8, 1], // Meroitic cursive 1–9
  [0x10a40, 0x10a43, 1], // Kharoshthi digits 1–4
  [0x10a7d, 0x10a7d, 1], // Old South Arabian one
  [0x10a9d, 0x10a9d, 1], // Old North Arabian one
  [0x10aeb, 0x10aeb, 1], // Manichaean one
  [0x10aec, 0x10aec, 5], // Manichaean five
  [0x10b58, 0x10b5b, 1], // Inscriptional Parthian 1–4
  [0x10b78, 0x10b7b, 1], // Inscriptional Pahlavi 1–4
  [0x10ba9, 0x10bac, 1], // Psalter Pahlavi 1–4
  [0x10cfa, 0x10cfa, 1], // Old Hungarian one
  [0x10cfb, 0x10cfb, 5], // Old Hungarian five
  [0x10e60, 0x10e68, 1], // Rumi digits 1–9
  [0x10f1d, 0x10f21, 1], // Old Sogdian 1–5
  [0x10f51, 0x10f51, 1], // Sogdian one
  [0x10fc5, 0x10fc8, 1], // Chorasmian 1–4
  [0x11052, 0x1105a, 1], // Brahmi numbers 1–9
  [0x111e1, 0x111e9, 1], // Sinhala archaic digits 1–9
  [0x11c5a, 0x11c62, 1], // Bhaiksuki numbers 1–9
  [0x16e80, 0x16e89, 0], // Medefaidrin digits 0–9
  [0x16e94, 0x16e96, 1], // Medefaidrin alternate 1–3
  [0x1d2c0, 0x1d2c9, 0], // Kaktovik numerals 0–9
  [0x1d2e0, 0x1d2e9, 0], // Mayan numerals 0–9
  [0x1d360, 0x1d368, 1], // counting rod unit digits 1–9
  [0x1d372, 0x1d376, 1], // ideographic tally marks 1–5
  [0x1d377, 0x1d377, 1], // tally mark one
  [0x1d378, 0x1d378, 5], // tally mark five
  [0x1e8c7, 0x1e8cf, 1], // Mende Kikakui digits 1–9
  [0x1ec71, 0x1ec79, 1], // Indic Siyaq 1–9
  [0x1eca3, 0x1ecab, 1], // Indic Siyaq prefixed 1–9
  [0x1ecb1, 0x1ecb2, 1], // Indic Siyaq alternate 1–2
  [0x1ed01, 0x1ed09, 1], // Ottoman Siyaq 1–9
  [0x1ed2f, 0x1ed36, 2], // Ottoman Siyaq alternate 2–9
];

function numberSymbolValue(codePoint: number): number | undefined {
  for (const [first, last, value] of NUMBER_SYMBOL_RANGES) {
    steps += 1;
    if (codePoint >= first && codePoint <= last) return value + codePoint - first;
  }
  return undefined;
}

/*
 * What normalisation does with each code point (after NFKC), worked out once per code point from the Unicode
 * properties above and kept in a table, so that normalising is one pass with no per-character regular expression.
 */
const UNKNOWN = 0;
const DROP = 1;
const DASH_CLASS = 2;
const SPACE_CLASS = 3;
const LETTER = 4;
const SEPARATOR = 5;
/** `DIGIT + v` is a digit (or an enclosed number) of value v, 0–20. */
const DIGIT = 10;

/** Per code point, one of the classes above; 1.1 MB, allocated on first use. */
let classes: Uint8Array | undefined;

function classOf(codePoint: number): number {
  if (codePoint >= 0x30 && codePoint <= 0x39) return DIGIT + codePoint - 0x30;
  if (codePoint < 0x80) {
    const lower = codePoint | 0x20;
    if (lower >= 0x61 && lower <= 0x7a) return LETTER;
  }
  classes ??= new Uint8Array(0x110000);
  let known = classes[codePoint]!;
  if (known === UNKNOWN) {
    known = classify(codePoint);
    classes[codePoint] = known;
  }
  return known;
}

function classify(codePoint: number): number {
  const character = String.fromCodePoint(codePoint);
  if (INVISIBLE.test(character)) return DROP;
  if (DECIMAL_DIGIT.test(character)) return DIGIT + decimalValue(codePoint);
  if (OTHER_NUMBER.test(character)) {
    const value = numberSymbolValue(codePoint);
    if (value !== undefined) return DIGIT + value;
  }
  if (DASH.test(character)) return DASH_CLASS;
  if (SPACE.test(character)) return SPACE_CLASS;
  return LETTER_OR_OTHER_NUMBER.test(character) ? LETTER : SEPARATOR;
}

/**
 * The value of any script's decimal digit. Unicode encodes every script's digits 0–9 as one contiguous run (some
 * runs sit back to back, e.g. the mathematical digits), so the value is the distance from the run's start, modulo 10.
 */
function decimalValue(codePoint: number): number {
  let start = codePoint;
  while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) {
    steps += 1;
    start -= 1;
  }
  return (codePoint - start) % 10;
}

/**
 * The form of a text that personal-data detection looks at: Unicode NFKC (full-width and other compatibility
 * forms become their plain counterparts, `⑴` becomes `(1)`), invisible characters removed (format characters such
 * as U+200B, other default-ignorable code points, combining marks), every script's decimal digits and every number
 * symbol NFKC leaves alone (`❶`, `⓵`, `🄌`, other notations' digit signs: see `NUMBER_SYMBOL_RANGES`) made ASCII
 * digits, every dash, hyphen and minus sign made `-`, and every space, line break and control character made a
 * plain space. One pass, linear in the length of `text`. Only for comparison: never show or store the result in
 * place of the original.
 * @param text - any text, e.g. untrusted input.
 * @returns the normalised text (a lone surrogate is kept as it is).
 */
export function normaliseForDetection(text: string): string {
  // Printable ASCII is its own normal form (NFKC leaves it alone, and none of it is dropped, a digit of another
  // script, a dash other than `-` or a space other than ` `): the common case costs one pass and no copy.
  if (isPrintableAscii(text)) return text;
  const source = text.normalize('NFKC');
  // What stays as it is is copied in slices of `source`; only what changes is written out.
  const parts: string[] = [];
  let copiedTo = 0;
  for (let at = 0; at < source.length; ) {
    steps += 1;
    const codePoint = source.codePointAt(at)!;
    const width = codePoint > 0xffff ? 2 : 1;
    const replacement = replacementOf(codePoint, classOf(codePoint));
    if (replacement !== undefined) {
      if (at > copiedTo) parts.push(source.slice(copiedTo, at));
      parts.push(replacement);
      copiedTo = at + width;
    }
    at += width;
  }
  if (copiedTo === 0) return source;
  if (copiedTo < source.length) parts.push(source.slice(copiedTo));
  return parts.join('');
}

/** What normalising writes in place of a code point of class `kind`, or undefined when it stays as it is. */
function replacementOf(codePoint: number, kind: number): string | undefined {
  if (kind >= DIGIT) {
    // An enclosed number 10–20 gives two digits.
    const value = kind - DIGIT;
    return codePoint === 0x30 + value ? undefined : String(value);
  }
  if (kind === DASH_CLASS) return codePoint === 0x2d ? undefined : '-';
  if (kind === SPACE_CLASS) return codePoint === 0x20 ? undefined : ' ';
  return kind === DROP ? '' : undefined;
}

/** Whether every code unit of `text` is printable ASCII (U+0020–U+007E). */
function isPrintableAscii(text: string): boolean {
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (code < 0x20 || code > 0x7e) return false;
  }
  return true;
}

/** How many ASCII digits `text` holds, counting no further than `enough`. */
function asciiDigits(text: string, enough: number): number {
  let count = 0;
  for (let at = 0; at < text.length && count < enough; at += 1) if (isDigitCode(text.charCodeAt(at))) count += 1;
  return count;
}

/*
 * The scan. On the normalised text every character is a digit (ASCII 0–9), a letter (`\p{L}`, and the numbers that
 * are not digits: Roman numerals, fractions…) or a separator (anything else: punctuation, symbols, spaces, U+2800,
 * a lone surrogate). The text is cut into maximal digit runs; what lies between two neighbouring runs is a gap:
 *
 * - tight: 1–3 separators (`-`, `.`, ` - `, `)(`, `.-`): digits of one group or the two groups of one number;
 * - spaced: 4–16 separators;
 * - wordy: separators (at most 16 in a row) and one or two words of at most 8 letters (`900101 주민 번호 1234567`);
 * - broken: anything longer.
 *
 * A number is then (1) a run of exactly 13 digits, or (2) a first group of 6 digits followed by a second group of
 * 7. A group is either one run ("plain": `900101`), or several runs joined by the same tight gap throughout
 * ("fragmented": `90.01.01`, `9 0 0 1 0 1`, `123-4567`, `(9)(0)(0)(1)(0)(1)`; `(` and `)` count as nothing and
 * `,` as `.` when gaps are compared) that no further digit touches through a tight gap. Two plain groups may be
 * joined by any tight, spaced or wordy gap; if either group is fragmented, by a tight or spaced gap only. A space
 * inside a group is accepted only between single digits, or alone in the first group (`9001 01`). In every case the first six digits must read as a birth date (YYMMDD, month 01–12, day 01–31) and the
 * seventh must be 1–8. A fragmented second group shaped like an amount (`1,500,000`: 1, 3 and 3 digits joined by
 * `,` or `.`) is not a group.
 *
 * Data, not numbers: a canonical UUID (8-4-4-4-12 hex digits) reads as one word, so no digit of it is part of a
 * group, and a number made only of hexadecimal characters inside a hexadecimal token of exactly {@link HEX_DATA_LENGTHS}
 * characters, with hex letters in that token on both sides of it, is part of a digest, address or key.
 */

const TIGHT = 0;
const SPACED = 1;
const WORDY = 2;
const BROKEN = 3;
type GapKind = typeof TIGHT | typeof SPACED | typeof WORDY | typeof BROKEN;

const MAX_TIGHT = 3;
const MAX_SEPARATORS = 16;
const MAX_WORDS = 2;
const MAX_WORD_LETTERS = 8;
/** A gap longer than this many UTF-16 code units is broken whatever it holds (3 × 16 separators + 2 × 8 letters, astral). */
const MAX_GAP_UNITS = 2 * (3 * MAX_SEPARATORS + MAX_WORDS * MAX_WORD_LETTERS);

/**
 * Lengths of hexadecimal data: 128-bit ids (32), addresses and SHA-1 (40), SHA-256/Keccak digests and private keys
 * (64), compressed secp256k1 public keys (66), SHA-512 digests and r‖s signatures (128), uncompressed public keys
 * and 65-byte signatures (130). A `0x` prefix is not part of the token (`x` is not a hex digit).
 */
const HEX_DATA_LENGTHS: ReadonlySet<number> = new Set([32, 40, 64, 66, 128, 130]);

const UUID = /(?<![0-9A-Za-z])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z])/g;

/** The digits of a resident registration number (six of birth date, seven more). */
const RRN_DIGITS = 13;
const isDigitCode = (code: number): boolean => code >= 0x30 && code <= 0x39;
const isHexCode = (code: number): boolean => isDigitCode(code) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x66);

/** Classifies the text between two digit runs; reads at most {@link MAX_GAP_UNITS} code units of it. */
function gapKind(text: string, from: number, to: number): GapKind {
  if (to - from > MAX_GAP_UNITS) return BROKEN;
  let words = 0;
  let letters = 0;
  let separatorsInRow = 0;
  let separators = 0;
  for (let at = from; at < to; ) {
    steps += 1;
    const codePoint = text.codePointAt(at)!;
    at += codePoint > 0xffff ? 2 : 1;
    if (classOf(codePoint) === LETTER) {
      if (letters === 0) words += 1;
      letters += 1;
      separatorsInRow = 0;
      if (words > MAX_WORDS || letters > MAX_WORD_LETTERS) return BROKEN;
    } else {
      letters = 0;
      separatorsInRow += 1;
      separators += 1;
      if (separatorsInRow > MAX_SEPARATORS) return BROKEN;
    }
  }
  if (words > 0) return WORDY;
  return separators <= MAX_TIGHT ? TIGHT : SPACED;
}

/**
 * The maximal digit runs of a normalised text and the gaps between them, in typed arrays: a megabyte of `9-9-9-…`
 * is half a million runs, and plain arrays of that many entries cost more than linear time in garbage collection.
 */
class DigitRuns {
  readonly count: number;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  /** `gaps[i]` lies between run i and run i + 1. */
  private readonly gaps: Uint8Array;
  private readonly digits = new Uint8Array(13);

  constructor(private readonly text: string) {
    const capacity = (text.length >> 1) + 1;
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.gaps = new Uint8Array(capacity);
    let count = 0;
    for (let at = 0; at < text.length; ) {
      steps += 1;
      if (!isDigitCode(text.charCodeAt(at))) {
        at += 1;
        continue;
      }
      const start = at;
      while (at < text.length && isDigitCode(text.charCodeAt(at))) {
        steps += 1;
        at += 1;
      }
      if (count > 0) this.gaps[count - 1] = gapKind(text, this.ends[count - 1]!, start);
      this.starts[count] = start;
      this.ends[count] = at;
      count += 1;
    }
    this.count = count;
  }

  start(run: number): number {
    return this.starts[run]!;
  }

  end(run: number): number {
    return this.ends[run]!;
  }

  length(run: number): number {
    return this.ends[run]! - this.starts[run]!;
  }

  gap(run: number): GapKind {
    return this.gaps[run] as GapKind;
  }

  /** Whether runs `first` to `last` hold 13 digits that read YYMMDD (month 01–12, day 01–31), then 1–8. */
  numberShaped(first: number, last: number): boolean {
    let n = 0;
    for (let run = first; run <= last; run += 1) {
      for (let at = this.starts[run]!; at < this.ends[run]! && n < 13; at += 1) {
        steps += 1;
        this.digits[n++] = this.text.charCodeAt(at) - 0x30;
      }
    }
    const d = this.digits;
    const month = d[2]! * 10 + d[3]!;
    const day = d[4]! * 10 + d[5]!;
    return n === 13 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && d[6]! >= 1 && d[6]! <= 8;
  }

  /**
   * Whether gap `gap` is tight and the same as tight gap `like`, reading `(` and `)` as nothing and `,` as `.`: the
   * punctuation NFKC adds to `⑴` (`(1)`), `⒈` (`1.`) and `🄁` (`0,`) does not make a group look mixed.
   */
  private sameTightGap(gap: number, like: number): boolean {
    if (this.gaps[gap] !== TIGHT) return false;
    const end = this.starts[gap + 1]!;
    const likeEnd = this.starts[like + 1]!;
    let at = this.ends[gap]!;
    let likeAt = this.ends[like]!;
    for (;;) {
      steps += 1;
      at = this.skipBrackets(at, end);
      likeAt = this.skipBrackets(likeAt, likeEnd);
      if (at === end || likeAt === likeEnd) return at === end && likeAt === likeEnd;
      if (this.punctuationAt(at) !== this.punctuationAt(likeAt)) return false;
      at += 1;
      likeAt += 1;
    }
  }

  private skipBrackets(at: number, end: number): number {
    while (at < end && (this.text.charCodeAt(at) === 0x28 || this.text.charCodeAt(at) === 0x29)) {
      steps += 1;
      at += 1;
    }
    return at;
  }

  private punctuationAt(at: number): number {
    const code = this.text.charCodeAt(at);
    return code === 0x2c ? 0x2e : code;
  }

  /** Whether the gaps from `first` to `last - 1` are all the same tight gap. */
  private uniformlyTight(first: number, last: number): boolean {
    for (let gap = first; gap < last; gap += 1) {
      steps += 1;
      if (!this.sameTightGap(gap, first)) return false;
    }
    return true;
  }

  /** The first run of a fragmented group of `size` digits that ends with run `last`, or -1. */
  fragmentedGroupEndingAt(last: number, size: number): number {
    let first = last;
    let digits = this.length(last);
    while (digits < size && first > 0 && this.gaps[first - 1] === TIGHT) {
      steps += 1;
      first -= 1;
      digits += this.length(first);
    }
    if (digits !== size || first === last) return -1;
    if (first > 0 && this.gaps[first - 1] === TIGHT) return -1;
    return this.uniformlyTight(first, last) && this.spacedAsAGroup(first, last, true) ? first : -1;
  }

  /** The last run of a fragmented group of `size` digits that starts with run `first`, or -1. */
  fragmentedGroupStartingAt(first: number, size: number): number {
    let last = first;
    let digits = this.length(first);
    while (digits < size && last < this.count - 1 && this.gaps[last] === TIGHT) {
      steps += 1;
      last += 1;
      digits += this.length(last);
    }
    if (digits !== size || first === last) return -1;
    if (last < this.count - 1 && this.gaps[last] === TIGHT) return -1;
    return this.uniformlyTight(first, last) && this.spacedAsAGroup(first, last, false) ? last : -1;
  }

  /**
   * A space inside a group (`2009-02-19 00506`, `02-0221-5813 - 635`) mostly separates two numbers rather than the
   * digits of one: it is accepted when every digit stands alone (`9 0 0 1 0 1`), and in the first group when the
   * gap is the space alone (`9001 01`, `90 01 01`).
   */
  private spacedAsAGroup(first: number, last: number, firstGroup: boolean): boolean {
    const gap = this.text.slice(this.ends[first]!, this.starts[first + 1]!);
    if (!gap.includes(' ')) return true;
    if (firstGroup && gap === ' ') return true;
    for (let run = first; run <= last; run += 1) {
      steps += 1;
      if (this.length(run) !== 1) return false;
    }
    return true;
  }

  /** `1,500,000`: runs of 1, 3 and 3 digits joined by `,` or `.`, an amount rather than a second group. */
  amountShaped(first: number, last: number): boolean {
    const separator = this.text.slice(this.ends[first]!, this.starts[first + 1]!);
    return (
      last - first === 2 &&
      (separator === ',' || separator === '.') &&
      this.length(first) === 1 &&
      this.length(first + 1) === 3 &&
      this.length(last) === 3
    );
  }
}

/** Finds the hexadecimal token around a position; remembers the last one, so ascending look-ups scan each once. */
class HexTokens {
  private from = 0;
  private to = 0;

  constructor(private readonly text: string) {}

  /**
   * Whether `[start, end)`, a span that begins and ends with a maximal digit run, lies inside one hexadecimal token
   * of a {@link HEX_DATA_LENGTHS} length that is marked as data (`0x`-prefixed, or the whole text) or has hex letters
   * of that token on both sides of the span. Calls must come with non-decreasing `start`.
   */
  holdsData(start: number, end: number): boolean {
    if (start < this.from || start >= this.to) {
      this.from = start;
      this.to = start;
      while (this.from > 0 && isHexCode(this.text.charCodeAt(this.from - 1))) {
        steps += 1;
        this.from -= 1;
      }
      while (this.to < this.text.length && isHexCode(this.text.charCodeAt(this.to))) {
        steps += 1;
        this.to += 1;
      }
    }
    if (!HEX_DATA_LENGTHS.has(this.to - this.from)) return false;
    // Marked as machine data — `0x`-prefixed, or the whole value a bare SHA-256 digest (a path segment) — the
    // token is data wherever its digits fall: otherwise about one digest in 15,000 would be refused for the digits at
    // one of its ends, and with it every request naming that credential or key.
    if (this.prefixed0x() || this.isBareDigest()) return true;
    // The characters next to a maximal digit run are not digits: inside the token they are hex letters.
    return end < this.to && start > this.from;
  }

  /**
   * Whether the whole text is the current token and reads as a SHA-256 digest written without `0x` (as credential
   * hashes travel in URL paths): 64 hex characters using at least three different hex letters.
   */
  private isBareDigest(): boolean {
    if (this.from !== 0 || this.to !== this.text.length || this.to !== 64) return false;
    return new Set(this.text.toLowerCase().replace(/[0-9]/g, '')).size >= 3;
  }

  /** Whether the current token follows `0x` that starts the text or follows something other than a letter or digit. */
  private prefixed0x(): boolean {
    const x = this.from - 1;
    if (x < 1 || (this.text.charCodeAt(x) | 0x20) !== 0x78 || this.text.charCodeAt(x - 1) !== 0x30) return false;
    return x - 1 === 0 || !/[\p{L}\p{N}]/u.test(this.text[x - 2]!);
  }
}

/** Whether normalised text holds a number; linear in its length. */
function holdsNumber(normalised: string): boolean {
  // Every number it looks for has 13 digits, and after normalising every digit is an ASCII one.
  if (asciiDigits(normalised, RRN_DIGITS) < RRN_DIGITS) return false;
  const text = normalised.replace(UUID, (uuid) => 'g'.repeat(uuid.length));
  const runs = new DigitRuns(text);
  const hex = new HexTokens(text);
  for (let run = 0; run < runs.count; run += 1) {
    steps += 1;
    if (runs.length(run) === 13 && runs.numberShaped(run, run) && !hex.holdsData(runs.start(run), runs.end(run))) return true;
    if (run === runs.count - 1 || runs.gap(run) === BROKEN) continue;
    // The first group ends with this run, the second starts with the next.
    const plainFirst = runs.length(run) === 6;
    const plainSecond = runs.length(run + 1) === 7;
    if (plainFirst && plainSecond) {
      if (runs.numberShaped(run, run + 1) && !hex.holdsData(runs.start(run), runs.end(run + 1))) return true;
      continue;
    }
    if (runs.gap(run) === WORDY) continue;
    const first = plainFirst ? run : runs.fragmentedGroupEndingAt(run, 6);
    if (first < 0) continue;
    let last = plainSecond ? run + 1 : runs.fragmentedGroupStartingAt(run + 1, 7);
    if (last > run + 1 && runs.amountShaped(run + 1, last)) last = -1;
    if (last >= 0 && runs.numberShaped(first, last)) return true;
  }
  return false;
}

/**
 * Whether a text contains something shaped like a Korean resident registration number, however it is written.
 * It looks at {@link normaliseForDetection}'s form, so full-width, circled or other scripts' digits, any dash,
 * space or punctuation, invisible characters anywhere, separators inside a group (`90.01.01-1234567`,
 * `900101-123-4567`, `9 0 0 1 0 1 - …`) and up to two short words between the groups (`900101 주민 번호 1234567`)
 * are all seen; digits touching letters still count. Not flagged: digit groups of other lengths (dates, phone and
 * business numbers, amounts), a first group that cannot be a birth date (month 01–12, day 01–31), a seventh digit
 * outside 1–8, numbers inside a canonical UUID, and a number inside a hexadecimal token of exactly 32, 40, 64, 66,
 * 128 or 130 characters that is `0x`-prefixed, is the whole text as a bare SHA-256 digest, or has hex letters on
 * both sides of it (a digest, address or key). The exact rules are in
 * docs/personal-data.md. Runs in time linear in the length of `text`. This is the one detector every CityCred layer
 * uses.
 * @param text - any text, e.g. a claim value, a property name, a URL path or an error detail.
 * @returns true when the text must be refused (or withheld).
 */
export function containsResidentRegistrationNumber(text: string): boolean {
  return holdsNumber(normaliseForDetection(text));
}

/**
 * How much work {@link containsResidentRegistrationNumber} does on `text`: the number of iterations of the
 * detector's own loops (normalising, cutting into digit runs, reading gaps, groups and hexadecimal tokens). Native
 * work — NFKC and the UUID pattern — is not counted. For tests, which check that the work grows linearly with the
 * input (a rescan would make it grow with its square) without timing anything; not part of the package's API.
 * @internal
 * @param text - any text.
 * @returns the detector's answer and the number of loop iterations it took.
 */
export function detectionSteps(text: string): { readonly found: boolean; readonly steps: number } {
  steps = 0;
  const found = containsResidentRegistrationNumber(text);
  return { found, steps };
}

/** One step of a path into JSON data: a property name as received, or an array index. */
export type PathSegment = string | number;

const FIELD_NAME = /^[A-Za-z_$@][A-Za-z0-9_$@.-]{0,63}$/;
const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,6})$/;

/**
 * The one rule for what an answer may show of a name it did not choose — a property or query parameter name taken
 * from a request, or from a credential not yet verified: a name that holds a resident registration number is
 * {@link REDACTED}; a plausible field name (a letter, `_`, `$` or `@`, then up to 63 letters, digits, `_`, `$`,
 * `@`, `.` or `-` — every property name in CityCred's schemas is one) or an array index is shown as it is; anything
 * else (markup, spaces, other scripts, long names) is {@link UNNAMED}.
 * @param name - the name, or an array index.
 * @returns the name itself, {@link REDACTED} or {@link UNNAMED}.
 */
export function nameForDisplay(name: PathSegment): string {
  if (typeof name === 'number') return Number.isSafeInteger(name) && name >= 0 ? String(name) : UNNAMED;
  if (containsResidentRegistrationNumber(name)) return REDACTED;
  return FIELD_NAME.test(name) || ARRAY_INDEX.test(name) ? name : UNNAMED;
}

/**
 * A JSON Pointer (RFC 6901) an answer may show: each segment passes {@link nameForDisplay}; when the shown segments
 * still spell a number together (`/900101/1234567`), every segment holding a digit is {@link REDACTED} as well.
 * @param segments - the path, property names as received.
 * @returns the pointer, `''` for the root.
 */
export function pointerForDisplay(segments: readonly PathSegment[]): string {
  const shown = segments.map(nameForDisplay);
  const pointer = shown.map((segment) => `/${jsonPointerSegment(segment)}`).join('');
  if (!containsResidentRegistrationNumber(pointer)) return pointer;
  return shown.map((segment) => `/${/\d/.test(segment) ? REDACTED : jsonPointerSegment(segment)}`).join('');
}

/**
 * {@link pointerForDisplay} for a pointer that is already a string, e.g. a JSON Schema validator's `instancePath`.
 * @param pointer - an RFC 6901 JSON Pointer, `''` for the root.
 * @returns the pointer with every segment an answer may not show replaced.
 */
export function displayPointer(pointer: string): string {
  if (pointer === '') return '';
  return pointerForDisplay(pointer.slice(1).split('/').map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~')));
}

/**
 * Member names of the W3C Verifiable Credentials data model (1.1 and 2.0) and of CityCred's request envelopes:
 * names an answer may use when it reports a member that is not accepted where it was sent (e.g. a client-set
 * `issuanceDate`). Any other member a schema does not define is reported without its name, at its parent's pointer.
 */
export const CREDENTIAL_MEMBER_NAMES: ReadonlySet<string> = new Set([
  '@context', 'id', 'type', 'issuer', 'issuanceDate', 'expirationDate', 'validFrom', 'validUntil', 'credentialSubject',
  'credentialStatus', 'credentialSchema', 'proof', 'evidence', 'termsOfUse', 'refreshService', 'name', 'description',
  'relatedResource', 'renderMethod', 'verifiableCredential', 'holder', 'credential', 'options', 'proofFormat',
]);

/**
 * The name under which an answer may report a member that the schema at that place does not define: the name
 * itself when it is one of `known` and {@link nameForDisplay} shows it, else `undefined` — the answer then says
 * "a member the schema does not define" at the parent's pointer, without naming it.
 * @param name - the member's name as received.
 * @param known - names worth naming, e.g. {@link CREDENTIAL_MEMBER_NAMES}.
 * @returns the name, or undefined.
 */
export function undefinedMemberName(name: string, known: ReadonlySet<string>): string | undefined {
  return known.has(name) && nameForDisplay(name) === name ? name : undefined;
}

/** Where {@link findResidentRegistrationNumbers} found one. */
export interface PersonalDataFinding {
  /**
   * JSON Pointer (RFC 6901) to the member or item, built by {@link pointerForDisplay}: a segment that is itself an
   * offending property name is {@link REDACTED}, one that is no plausible field name {@link UNNAMED}.
   */
  readonly pointer: string;
  /** Whether the number is in a property name (`key`) or in a string or number value (`value`). */
  readonly in: 'key' | 'value';
}

/** Options of {@link findResidentRegistrationNumbers}. */
export interface FindOptions {
  /** Stop after this many findings (default: report all). */
  readonly limit?: number;
}

interface Visit {
  readonly value: unknown;
  readonly parent: Visit | null;
  /** The property name as received, or the array index. */
  readonly segment: PathSegment;
}

/**
 * Walks any JSON-like value — objects, arrays, strings, numbers, at any depth, without recursion — and reports every
 * property name and every string or number value that {@link containsResidentRegistrationNumber}. Values under an
 * offending property name are still checked. A cycle is walked once. Each name and value is scanned once, so the
 * work is linear in the size of the data (plus the pointers of at most `limit` findings).
 * @param value - untrusted data, e.g. a parsed request body or a credential subject.
 * @param options - see {@link FindOptions}.
 * @returns the findings (an object's offending property names before what is inside it); empty when there is
 *   nothing to refuse.
 * @throws whatever a getter or proxy in `value` throws (parsed JSON has neither).
 */
export function findResidentRegistrationNumbers(value: unknown, options: FindOptions = {}): PersonalDataFinding[] {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const findings: PersonalDataFinding[] = [];
  const seen = new WeakSet<object>();
  const stack: Visit[] = [{ value, parent: null, segment: '' }];
  while (stack.length > 0 && findings.length < limit) {
    const visit = stack.pop()!;
    const current = visit.value;
    if (typeof current === 'string' || typeof current === 'number' || typeof current === 'bigint') {
      if (containsResidentRegistrationNumber(String(current))) findings.push({ pointer: pointerOf(visit), in: 'value' });
      continue;
    }
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const children: Visit[] = [];
    if (Array.isArray(current)) {
      current.forEach((item, index) => children.push({ value: item, parent: visit, segment: index }));
    } else {
      for (const key of Object.keys(current)) {
        const child: Visit = { value: (current as Record<string, unknown>)[key], parent: visit, segment: key };
        if (containsResidentRegistrationNumber(key)) {
          findings.push({ pointer: pointerOf(child), in: 'key' });
          if (findings.length >= limit) break;
        }
        children.push(child);
      }
    }
    // Pushed in reverse so the walk reports in document order.
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]!);
  }
  return findings.slice(0, limit);
}

function pointerOf(visit: Visit): string {
  const segments: PathSegment[] = [];
  for (let at: Visit | null = visit; at !== null && at.parent !== null; at = at.parent) segments.push(at.segment);
  return pointerForDisplay(segments.reverse());
}

/**
 * Escapes a property name as one JSON Pointer (RFC 6901) segment (`~` → `~0`, `/` → `~1`).
 * @param key - a property name.
 * @returns the escaped segment, without the leading `/`.
 */
export function jsonPointerSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
