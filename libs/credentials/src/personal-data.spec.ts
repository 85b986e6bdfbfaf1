import { disguisedResidentRegistrationNumber, disguisedResidentRegistrationNumbers, ordinaryText } from '@citycred/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  containsResidentRegistrationNumber,
  CREDENTIAL_MEMBER_NAMES,
  detectionSteps,
  displayPointer,
  findResidentRegistrationNumbers,
  nameForDisplay,
  normaliseForDetection,
  NUMBER_SYMBOL_RANGES,
  pointerForDisplay,
  REDACTED,
  undefinedMemberName,
  UNNAMED,
} from './personal-data.js';
import { commonSchema, credentialSchema } from './schemas.js';
import { CATALOGUE_TYPES } from './catalogue.js';

const variants = disguisedResidentRegistrationNumbers();

/** A small deterministic generator (sfc32), so that rates measured over random data are the same on every run. */
function seededRandom(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

function randomHex(next: () => number, length: number): string {
  let hex = '';
  while (hex.length < length) hex += next().toString(16).padStart(8, '0');
  return hex.slice(0, length);
}

describe('containsResidentRegistrationNumber', () => {
  it('has the 27 variants of issue 13 and the 18 of its red team', () => {
    expect(variants.filter((v) => v.source === 'issue 13')).toHaveLength(27);
    expect(variants.filter((v) => v.source === 'red team')).toHaveLength(18);
  });

  it.each(variants.map((v) => [v.source, v.label, v.text] as const))('finds the %s variant: %s', (_source, _label, text) => {
    expect(containsResidentRegistrationNumber(text)).toBe(true);
  });

  it('finds every disguised number (property)', () => {
    fc.assert(
      fc.property(disguisedResidentRegistrationNumber(), (text) => containsResidentRegistrationNumber(text)),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['circled digits', '⑨⓪⓪①⓪①-①②③④⑤⑥⑦'],
    ['superscript digits and minus', '⁹⁰⁰¹⁰¹⁻¹²³⁴⁵⁶⁷'],
    ['a newline', '900101\n1234567'],
    ['a combining mark on a digit', '9\u03010010\u03011-1234567'],
    ['Hangul filler between the groups', '900101\u31641234567'],
    ['a digit run written in two scripts', '९००१०१-١٢٣٤٥٦٧'],
    ['a number value (JSON numbers are checked as text)', String(9001011234567)],
    ['one parenthesised digit among plain ones', '9⑴0101-1234567'],
    ['full-stop digits mixed with plain ones', '⒐00⒈0⒈-1234567'],
    ['parentheses typed by hand', '(9)(0)(0)(1)(0)(1)-(1)(2)(3)(4)(5)(6)(7)'],
    ['Kaktovik numerals', '\u{1D2C9}\u{1D2C0}\u{1D2C0}\u{1D2C1}\u{1D2C0}\u{1D2C1}-\u{1D2C1}\u{1D2C2}\u{1D2C3}\u{1D2C4}\u{1D2C5}\u{1D2C6}\u{1D2C7}'],
    ['sixteen separators between the groups', `900101${'-'.repeat(16)}1234567`],
    ['the date cut YYMM DD by a space', '9001 01-1234567'],
    ['the second group cut 1-6', '900101-1-234567'],
    ['a hyphenated number after a phone prefix', '010-900101-1234567'],
    ['a number at the start of 64 hex characters inside a text', `hash 9001011234567${'ab'.repeat(25)}a`],
    ['a number at the end of 64 hex characters inside a text', `${'ab'.repeat(25)}a9001011234567 hash`],
    ['a number inside a hex token of 63 characters', `${'ab'.repeat(10)}9001011234567${'cd'.repeat(15)}`],
    ['a number inside a hex token of 65 characters', `${'ab'.repeat(10)}9001011234567${'cd'.repeat(16)}`],
    ['a number inside a hex token of 53 characters', `${'ab'.repeat(10)}9001011234567${'cd'.repeat(10)}`],
    ['a number ending a hex token that is followed by a separator', `${'ab'.repeat(25)}a9001011234567-${'cd'.repeat(20)}`],
  ])('finds %s', (_label, text) => {
    expect(containsResidentRegistrationNumber(text)).toBe(true);
  });

  it('reads every number symbol that NFKC leaves alone as its digits', () => {
    const families: Array<[string, string]> = [
      ['⓿❶❷❸❹❺❻❼❽❾', '0123456789'],
      ['🄋➀➁➂➃➄➅➆➇➈', '0123456789'],
      ['🄌➊➋➌➍➎➏➐➑➒', '0123456789'],
      ['⓵⓶⓷⓸⓹⓺⓻⓼⓽', '123456789'],
      ['៰៱៲៳៴៵៶៷៸៹', '0123456789'],
      ['𝋠𝋡𝋢𝋣𝋤𝋥𝋦𝋧𝋨𝋩', '0123456789'],
      ['𝍠𝍡𝍢𝍣𝍤𝍥𝍦𝍧𝍨', '123456789'],
      ['፩፪፫፬፭፮፯፰፱', '123456789'],
      ['❿➉➓⓾⓫⓴', '101010101120'],
    ];
    for (const [symbols, digits] of families) expect(normaliseForDetection(symbols)).toBe(digits);
  });

  it('lists only number symbols that NFKC leaves alone, and reads each as its value', () => {
    for (const [first, last, value] of NUMBER_SYMBOL_RANGES) {
      for (let codePoint = first; codePoint <= last; codePoint += 1) {
        const symbol = String.fromCodePoint(codePoint);
        expect(symbol, codePoint.toString(16)).toMatch(/^\p{No}$/u);
        expect(symbol.normalize('NFKC'), codePoint.toString(16)).toBe(symbol);
        expect(normaliseForDetection(symbol)).toBe(String(value + codePoint - first));
      }
    }
  });

  it('never flags UUIDs (property)', () => {
    fc.assert(fc.property(fc.uuid(), (uuid) => !containsResidentRegistrationNumber(uuid) && !containsResidentRegistrationNumber(`urn:uuid:${uuid}`)), { numRuns: 3000 });
  });

  it('never flags ISO dates and date-times (property)', () => {
    const instants = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T23:59:59Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instants, (date) => {
        const iso = date.toISOString();
        const spaced = `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
        return [iso, iso.slice(0, 10), iso.replace(/[-:.]/g, ''), `${iso.slice(0, 10)} ${iso.slice(11, 19)}`, spaced].every((text) => !containsResidentRegistrationNumber(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('never flags Korean phone, business and account-like numbers (property)', () => {
    const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
    const numbers = fc.oneof(
      fc.tuple(digits(4), digits(4)).map(([a, b]) => `010-${a}-${b}`),
      fc.tuple(digits(3), digits(4)).map(([a, b]) => `02-${a}-${b}`),
      fc.tuple(digits(3), digits(2), digits(5)).map(([a, b, c]) => `${a}-${b}-${c}`),
      fc.tuple(digits(4), digits(4)).map(([a, b]) => `+82 10 ${a} ${b}`),
      fc.tuple(digits(3), digits(6)).map(([a, b]) => `1002-${a}-${b}`),
      fc.tuple(digits(3), digits(4), digits(4), digits(2)).map(([a, b, c, d]) => `${a}-${b}-${c}-${d}`),
      fc.tuple(digits(2), digits(7)).map(([a, b]) => `3333-${a}-${b}`),
    );
    fc.assert(fc.property(numbers, (text) => !containsResidentRegistrationNumber(text)), { numRuns: 2000 });
  });

  it('never flags ordinary Korean and English text with dates, times, phone and business numbers, amounts and UUIDs (property)', () => {
    fc.assert(fc.property(ordinaryText(), (text) => !containsResidentRegistrationNumber(text)), { numRuns: 3000 });
  });

  it.each([
    ['six digits then six', '900101-123456'],
    ['fourteen digits', '19001011234567'],
    ['a seventh digit outside 1–8', '900101-9234567'],
    ['a first group that is no date (month 13)', '901301-1234567'],
    ['a first group that is no date (day 00)', '900100-1234567'],
    ['three words between the groups', '900101 in the file 1234567'],
    ['a word of nine letters between the groups', '900101 registers 1234567'],
    ['seventeen separators between the groups', `900101${'-'.repeat(17)}1234567`],
    ['a millisecond timestamp', '1764000000000'],
    ['an amount', '1,234,567,890,123'],
    ['a date-time with milliseconds', '2024-12-05 01:30:45.123'],
    ['a date range and a duration', '24.01.15 - 24.12.31 (1년)'],
    ['a date and an amount', '24.01.01 ~ 1,500,000원'],
    ['a date and working hours', '24.01.15 8:30-17:30'],
    ['a date and a postal code', '2009-02-19 00506'],
    ['a phone number and an amount', '02-0221-5813 - 635만원'],
    ['two phone numbers', '02-1215-3456, 010-9876-5432'],
    ['a Woori-style account number', '1002-901-011234'],
    ['a date beside a UUID', '990104 ~ 3026803e-475e-8262-bf63-fe2799202786'],
  ])('does not flag %s', (_label, text) => {
    expect(containsResidentRegistrationNumber(text)).toBe(false);
  });

  describe('hexadecimal data', () => {
    it('lets a number pass only inside a digest, address or key: marked as data, or with hex letters on both sides', () => {
      for (const length of [32, 40, 64, 66, 128, 130]) {
        const before = 'ab'.repeat(5);
        const token = `${before}9001011234567${'cd'.repeat(length)}`.slice(0, length);
        expect(containsResidentRegistrationNumber(token), `${length}`).toBe(false);
        expect(containsResidentRegistrationNumber(`0x${token}`), `0x ${length}`).toBe(false);
        expect(containsResidentRegistrationNumber(token.toUpperCase()), `upper ${length}`).toBe(false);
        expect(containsResidentRegistrationNumber(`${token}e`), `${length + 1}`).toBe(true);
        const letters = 'cdefab'.repeat(length).slice(0, length - 13);
        // At an end of the token, the number counts unless the token is marked as data.
        expect(containsResidentRegistrationNumber(`id 9001011234567${letters}`), `start ${length}`).toBe(true);
        expect(containsResidentRegistrationNumber(`${letters}9001011234567 id`), `end ${length}`).toBe(true);
        expect(containsResidentRegistrationNumber(`id:0x9001011234567${letters}`), `0x start ${length}`).toBe(false);
        // A whole value is data only as a bare SHA-256 digest (64 characters, three hex letters or more).
        expect(containsResidentRegistrationNumber(`9001011234567${letters}`), `whole value ${length}`).toBe(length !== 64);
        expect(containsResidentRegistrationNumber(`9001011234567${'a'.repeat(51)}`)).toBe(true);
        expect(containsResidentRegistrationNumber(`a0x9001011234567${letters}`), `0x glued to a letter ${length}`).toBe(true);
      }
      expect(containsResidentRegistrationNumber(`${'ab'.repeat(10)}900101abc1234567${'cd'.repeat(14)}`)).toBe(false);
    });

    it('never refuses a random digest, address or key given as a value or 0x-prefixed (200,000 seeded random 32-byte digests)', () => {
      const next = seededRandom(13);
      for (const [length, samples] of [[64, 200_000], [32, 50_000], [40, 50_000], [66, 50_000], [128, 50_000], [130, 50_000]] as const) {
        let refused = 0;
        for (let i = 0; i < samples; i += 1) {
          const hex = randomHex(next, length);
          if (containsResidentRegistrationNumber(`did:ethr:citycred:0x${hex}`) || containsResidentRegistrationNumber(`0x${hex}`)) refused += 1;
          if (length === 64 && containsResidentRegistrationNumber(hex)) refused += 1;
        }
        expect(refused, `${length}`).toBe(0);
      }
      // 450,000 samples: seconds alone, far more on a machine busy with other suites. Not a speed check.
    }, 180_000);

    it('refuses almost no random digest written bare inside a text (rate measured over 200,000 seeded digests)', () => {
      const next = seededRandom(17);
      let refused = 0;
      for (let i = 0; i < 200_000; i += 1) if (containsResidentRegistrationNumber(`sha256 ${randomHex(next, 64)} ok`)) refused += 1;
      // Expected about 5e-5: 13 date-shaped digits at either end of the token.
      expect(refused / 200_000).toBeLessThan(1.5e-4);
    });
  });

  describe('work', () => {
    const KIB = 1 << 10;
    const fill = (unit: string, length: number): string => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

    // Counted, not timed: the machine is shared and a pause would fail a timed test. The wall clock is measured by
    // the benchmark in bench/personal-data.mjs (npm run bench).
    it.each([
      ['the red team’s pattern (hex runs with a number every 14 characters)', 'a9001011234567'],
      ['one digit run', '9'],
      ['one separator run', '-'],
      ['digits and separators', '9-'],
      ['spaced digits', '9 '],
      ['first groups and spaces', '900101 '],
      ['first groups and words', '900101 주민 '],
      ['words and spaces', 'ab '],
      ['parenthesised digits (NFKC triples them)', '⑼'],
      ['hex letters and digits', '0123456789abcdef'],
      ['UUIDs', '3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b '],
      ['dingbat digits and dashes', '❾-⓿'],
    ])('scans %s with work linear in its length (256 KiB against 64 KiB)', (_label, unit) => {
      // Classifies the unit's code points first, so that neither measurement pays for filling the class table.
      detectionSteps(unit);
      const small = detectionSteps(fill(unit, 64 * KIB));
      const large = detectionSteps(fill(unit, 256 * KIB));
      // Linear: 4× the input, 4× the work. A rescan of the text (the quadratic scan this replaced: a quarter MiB of
      // the red team's pattern took 86 s) makes it 16×.
      expect(large.steps).toBeLessThanOrEqual(4.5 * small.steps);
      expect(large.steps).toBeLessThanOrEqual(16 * 256 * KIB);
      expect(large.found).toBe(small.found);
    });
  });
});

describe('normaliseForDetection', () => {
  it('folds compatibility forms, number symbols, dashes, spaces, invisibles and digit scripts', () => {
    expect(normaliseForDetection('\uff19\uff10\u200b\u0661\u2014\u30001\u0301❶⑴')).toBe('901- 11(1)');
  });

  it('leaves printable ASCII as it is, as its shortcut for ASCII-only text assumes', () => {
    // A non-ASCII character in front takes the general path; every printable ASCII character must come out unchanged.
    for (let code = 0x20; code <= 0x7e; code += 1) expect(normaliseForDetection(`\u00a0${String.fromCharCode(code)}`)).toBe(` ${String.fromCharCode(code)}`);
  });

  it('keeps what it does not change and lone surrogates, wherever they fall', () => {
    expect(normaliseForDetection('김민준 \ud800 ㈜ 0x1')).toBe('김민준 \ud800 (주) 0x1');
    expect(normaliseForDetection('⑳\u200bx')).toBe('20x');
  });
});

describe('nameForDisplay and pointers', () => {
  it('shows plausible field names and indexes, and nothing else', () => {
    expect(nameForDisplay('credentialSubject')).toBe('credentialSubject');
    expect(nameForDisplay('@context')).toBe('@context');
    expect(nameForDisplay('ageOver19')).toBe('ageOver19');
    expect(nameForDisplay(3)).toBe('3');
    expect(nameForDisplay('12')).toBe('12');
    expect(nameForDisplay('<script>ZQXMARK')).toBe(UNNAMED);
    expect(nameForDisplay(`<img src=x onerror=alert(1)>${'x'.repeat(5000)}`)).toBe(UNNAMED);
    expect(nameForDisplay('k'.repeat(65))).toBe(UNNAMED);
    expect(nameForDisplay('이름')).toBe(UNNAMED);
    expect(nameForDisplay('a b')).toBe(UNNAMED);
    expect(nameForDisplay('⑼(0)(0)⑴(0)⑴-⑴⑵⑶⑷⑸⑹⑺')).toBe(REDACTED);
    expect(nameForDisplay('rrn9001011234567')).toBe(REDACTED);
  });

  it('shows every property name of every CityCred schema', () => {
    const names = new Set<string>();
    const collect = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      const properties = (node as { properties?: Record<string, unknown> }).properties;
      if (properties !== undefined) for (const name of Object.keys(properties)) names.add(name);
      for (const child of Object.values(node)) collect(child);
    };
    collect(commonSchema());
    for (const type of CATALOGUE_TYPES) collect(credentialSchema(type));
    expect(names.size).toBeGreaterThan(20);
    for (const name of names) expect(nameForDisplay(name)).toBe(name);
  });

  it('builds pointers from names as received, withholding a number spread over segments', () => {
    expect(pointerForDisplay(['credentialSubject', 'name'])).toBe('/credentialSubject/name');
    expect(pointerForDisplay(['workDays', 4, 'startTime'])).toBe('/workDays/4/startTime');
    expect(pointerForDisplay(['residence', '900101－1234567', 'x'])).toBe(`/residence/${REDACTED}/x`);
    expect(pointerForDisplay(['a', '900101', '1234567'])).toBe(`/a/${REDACTED}/${REDACTED}`);
    expect(pointerForDisplay(['<b>', 'a/b~c'])).toBe(`/${UNNAMED}/${UNNAMED}`);
    expect(pointerForDisplay([])).toBe('');
    expect(displayPointer('/residence/<img src=x>/city')).toBe(`/residence/${UNNAMED}/city`);
    expect(displayPointer('/a~1b/x')).toBe(`/${UNNAMED}/x`);
    expect(displayPointer('')).toBe('');
  });

  it('names an undefined member only when it is a credential data model member', () => {
    expect(undefinedMemberName('issuanceDate', CREDENTIAL_MEMBER_NAMES)).toBe('issuanceDate');
    expect(undefinedMemberName('ZQXMARK', CREDENTIAL_MEMBER_NAMES)).toBeUndefined();
    expect(undefinedMemberName('<script>', CREDENTIAL_MEMBER_NAMES)).toBeUndefined();
  });
});

describe('findResidentRegistrationNumbers', () => {
  const rrn = variants.find((v) => v.label === 'full-width digits and hyphen')!.text;

  it('reports values and property names at any depth, redacting the name in the pointer', () => {
    const body = {
      credential: {
        type: ['VerifiableCredential', `Card${rrn}`],
        credentialSubject: { name: '김서연', 'a/b~c': { [rrn]: 'x', deep: [1, { note: rrn }] } },
      },
      count: 9001011234567,
    };
    const findings = findResidentRegistrationNumbers(body);
    expect(findings).toEqual([
      { pointer: '/credential/type/1', in: 'value' },
      { pointer: `/credential/credentialSubject/${UNNAMED}/${REDACTED}`, in: 'key' },
      { pointer: `/credential/credentialSubject/${UNNAMED}/deep/1/note`, in: 'value' },
      { pointer: '/count', in: 'value' },
    ]);
    expect(JSON.stringify(findings)).not.toMatch(/[１２３４５６７]|1234567/);
  });

  it('returns nothing for clean data and stops at the limit', () => {
    expect(findResidentRegistrationNumbers({ name: '김서연', id: '3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b', n: 42 })).toEqual([]);
    expect(findResidentRegistrationNumbers(Array.from({ length: 50 }, () => rrn), { limit: 3 })).toHaveLength(3);
  });

  it('walks deep and cyclic structures without overflowing the stack', () => {
    let deep: unknown = rrn;
    for (let i = 0; i < 200_000; i += 1) deep = { a: deep };
    expect(findResidentRegistrationNumbers(deep)).toHaveLength(1);
    const cyclic: Record<string, unknown> = { note: rrn };
    cyclic['self'] = cyclic;
    expect(findResidentRegistrationNumbers(cyclic)).toEqual([{ pointer: '/note', in: 'value' }]);
  });

  it('never repeats a property name that is no plausible field name', () => {
    const [finding] = findResidentRegistrationNumbers({ ['<script>ZQXMARK'.repeat(50)]: rrn });
    expect(finding).toEqual({ pointer: `/${UNNAMED}`, in: 'value' });
  });
});
