/*
 * Resident registration numbers (주민등록번호) must never be stored, issued, anchored or echoed (PIPA). A plain
 * pattern on the raw text is easy to slip past — full-width or Arabic-Indic digits, a dash that is not U+002D, a
 * zero-width space inside the number — so detection runs on a normalised form of the text, and every layer
 * (the HTTP edge, subject validation, error details) asks the same function. See docs/personal-data.md.
 *
 * Runs in a browser as well as in Node: no node: imports here.
 */

/** What a redacted JSON Pointer segment (or any withheld text) is replaced with. */
export const REDACTED = '[redacted]';

/** Every dash and hyphen (`\p{Pd}`), and the minus signs and hyphen look-alikes outside that category. */
const DASH = /[\p{Pd}\u2212\u2043\u02D7\u2796]/gu;
/** Every kind of space and line break, and the C0/C1 controls (a tab or a newline between groups separates them). */
const SPACE = /[\p{Zs}\p{Zl}\p{Zp}\p{Cc}]/gu;
/**
 * Characters that are invisible or only modify their neighbour: format characters (zero-width space and joiners,
 * word joiner, BOM, soft hyphen, bidirectional controls), the other default-ignorable code points (Hangul fillers,
 * variation selectors, combining grapheme joiner) and combining marks. They are removed, not turned into spaces.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}]/gu;
const DECIMAL_DIGIT = /(?![0-9])\p{Nd}/gu;
const IS_DECIMAL_DIGIT = /^\p{Nd}$/u;

const digitCache = new Map<string, string>();

/**
 * The ASCII digit of any script's decimal digit. Unicode encodes every script's digits 0–9 as one contiguous run
 * (some runs sit back to back, e.g. the mathematical digits), so the value is the distance from the run's start,
 * modulo 10.
 */
function asciiDigit(digit: string): string {
  let ascii = digitCache.get(digit);
  if (ascii === undefined) {
    const codePoint = digit.codePointAt(0)!;
    let start = codePoint;
    while (start > 0 && IS_DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
    ascii = String((codePoint - start) % 10);
    digitCache.set(digit, ascii);
  }
  return ascii;
}

/**
 * The form of a text that personal-data detection looks at: Unicode NFKC (full-width and other compatibility
 * forms become their plain counterparts), invisible characters removed (format characters such as U+200B, other
 * default-ignorable code points, combining marks), every dash, hyphen and minus sign made `-`, every space, line
 * break and control character made a plain space, and every script's decimal digits made ASCII `0`–`9`.
 * Only for comparison: never show or store the result in place of the original.
 * @param text - any text, e.g. untrusted input.
 * @returns the normalised text (a lone surrogate is kept as it is).
 */
export function normaliseForDetection(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(DASH, '-')
    .replace(SPACE, ' ')
    .replace(DECIMAL_DIGIT, asciiDigit);
}

/*
 * On the normalised text: six digits shaped like a birth date (YYMMDD), then the seventh digit 1–8 (century and
 * sex; 5–8 for registered foreigners) and six more, with no digit directly before or after. Between the two
 * groups: nothing, a run of up to 8 separators (anything that is neither a letter nor a number: dashes, spaces,
 * `.`, `/`, `_`…), or one short word of up to 6 letters with separators around it (`900101 주민 1234567`,
 * `…주민등록번호 1234567`). Two or more words in between, or a digit group of another length, is not a match.
 */
const SEPARATORS = '[^\\p{L}\\p{N}]{0,8}';
const WORD = '\\p{L}{1,6}';
const CANDIDATE = new RegExp(
  `(?<!\\d)\\d{2}(\\d{2})(\\d{2})(?:${SEPARATORS}|${SEPARATORS}${WORD}${SEPARATORS})[1-8]\\d{6}(?!\\d)`,
  'gu',
);
const HEX = /[0-9a-fA-F]/;
const HEX_ONLY = /^[0-9a-fA-F]+$/;
const HEX_LETTER = /[a-fA-F]/;

/**
 * Hex data this long — 128-bit ids, addresses, SHA-1/SHA-256/Keccak digests, keys — holds 13 digits in a row by
 * chance (about one SHA-256 in two thousand would look like a number). Shorter hex-looking text is not exempt, so
 * appending `abc` to a number does not hide it.
 */
const HEX_DATA_MIN_LENGTH = 32;

/**
 * A candidate made only of hexadecimal characters inside a hexadecimal token of {@link HEX_DATA_MIN_LENGTH} or more
 * characters that has letters is data, not a number someone wrote.
 */
function isHexData(text: string, start: number, end: number): boolean {
  if (!HEX_ONLY.test(text.slice(start, end))) return false;
  let from = start;
  let to = end;
  while (from > 0 && HEX.test(text[from - 1]!)) from -= 1;
  while (to < text.length && HEX.test(text[to]!)) to += 1;
  return to - from >= HEX_DATA_MIN_LENGTH && HEX_LETTER.test(text.slice(from, to));
}

function isBirthDateLike(month: string, day: string): boolean {
  const m = Number(month);
  const d = Number(day);
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/**
 * Whether a text contains something shaped like a Korean resident registration number, however it is written:
 * it looks at {@link normaliseForDetection}'s form, so full-width or other scripts' digits, any dash, space or
 * punctuation (up to 8 characters) or one short word between the two groups, and invisible characters anywhere are
 * all seen. Digits touching letters or Korean text still count. Not flagged: digit groups of other lengths (dates,
 * phone and business numbers, UUIDs), a first group that cannot be a birth date (month 01–12, day 01–31), a seventh
 * digit outside 1–8, and 13 digits inside a hexadecimal token of 32 or more characters (a digest, key or address).
 * This is the one detector every CityCred layer uses.
 * @param text - any text, e.g. a claim value, a property name, a URL path or an error detail.
 * @returns true when the text must be refused (or withheld).
 */
export function containsResidentRegistrationNumber(text: string): boolean {
  const normalised = normaliseForDetection(text);
  const candidates = new RegExp(CANDIDATE.source, CANDIDATE.flags);
  let match: RegExpExecArray | null;
  while ((match = candidates.exec(normalised)) !== null) {
    const start = match.index;
    const end = start + match[0].length;
    if (isBirthDateLike(match[1]!, match[2]!) && !isHexData(normalised, start, end)) return true;
    // A rejected candidate may overlap a real one: look again from the next character.
    candidates.lastIndex = start + 1;
  }
  return false;
}

/** Where {@link findResidentRegistrationNumbers} found one. */
export interface PersonalDataFinding {
  /**
   * JSON Pointer (RFC 6901) to the member or item. A segment that is itself an offending property name is
   * {@link REDACTED}, so the pointer never carries the number.
   */
  readonly pointer: string;
  /** Whether the number is in a property name (`key`) or in a string or number value (`value`). */
  readonly in: 'key' | 'value';
}

/** Options of {@link findResidentRegistrationNumbers}. */
export interface FindOptions {
  /** Stop after this many findings (default: report all). */
  readonly limit?: number;
  /** Cut pointer segments longer than this many characters (default: keep them whole). */
  readonly maxSegmentLength?: number;
}

interface Visit {
  readonly value: unknown;
  readonly parent: Visit | null;
  /** Already escaped (RFC 6901) and, when it must be, redacted. */
  readonly segment: string;
}

/**
 * Walks any JSON-like value — objects, arrays, strings, numbers, at any depth, without recursion — and reports every
 * property name and every string or number value that {@link containsResidentRegistrationNumber}. Values under an
 * offending property name are still checked. A cycle is walked once.
 * @param value - untrusted data, e.g. a parsed request body or a credential subject.
 * @param options - see {@link FindOptions}.
 * @returns the findings (an object's offending property names before what is inside it); empty when there is
 *   nothing to refuse.
 * @throws whatever a getter or proxy in `value` throws (parsed JSON has neither).
 */
export function findResidentRegistrationNumbers(value: unknown, options: FindOptions = {}): PersonalDataFinding[] {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const segmentOf = (key: string): string => {
    if (containsResidentRegistrationNumber(key)) return REDACTED;
    const cut = options.maxSegmentLength !== undefined && key.length > options.maxSegmentLength;
    return jsonPointerSegment(cut ? `${key.slice(0, options.maxSegmentLength)}…` : key);
  };
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
      current.forEach((item, index) => children.push({ value: item, parent: visit, segment: String(index) }));
    } else {
      for (const key of Object.keys(current)) {
        const child: Visit = { value: (current as Record<string, unknown>)[key], parent: visit, segment: segmentOf(key) };
        if (child.segment === REDACTED) {
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
  const segments: string[] = [];
  for (let at: Visit | null = visit; at !== null && at.parent !== null; at = at.parent) segments.push(at.segment);
  return segments.reverse().map((segment) => `/${segment}`).join('');
}

/**
 * Escapes a property name as one JSON Pointer (RFC 6901) segment (`~` → `~0`, `/` → `~1`).
 * @param key - a property name.
 * @returns the escaped segment, without the leading `/`.
 */
export function jsonPointerSegment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * Redacts every segment of a JSON Pointer that contains a resident registration number, for pointers built from
 * untrusted property names (e.g. by a schema validator).
 * @param pointer - a JSON Pointer, `''` for the root.
 * @returns the pointer with offending segments replaced by {@link REDACTED}.
 */
export function redactPointer(pointer: string): string {
  if (!containsResidentRegistrationNumber(pointer)) return pointer;
  const segments = pointer.split('/');
  const redacted = segments.map((segment, index) => (index > 0 && containsResidentRegistrationNumber(segment) ? REDACTED : segment));
  if (!containsResidentRegistrationNumber(redacted.join('/'))) return redacted.join('/');
  // The number is spread over several segments (`/900101/1234567`): withhold every segment holding a digit.
  return redacted.map((segment, index) => (index > 0 && /\d/.test(normaliseForDetection(segment)) ? REDACTED : segment)).join('/');
}
