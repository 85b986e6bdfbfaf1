import { disguisedResidentRegistrationNumber, disguisedResidentRegistrationNumbers } from '@citycred/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  containsResidentRegistrationNumber,
  findResidentRegistrationNumbers,
  normaliseForDetection,
  REDACTED,
  redactPointer,
} from './personal-data.js';

const variants = disguisedResidentRegistrationNumbers();

describe('containsResidentRegistrationNumber', () => {
  it.each(variants.map((v) => [v.label, v.text] as const))('finds the issue-13 variant: %s', (_label, text) => {
    expect(containsResidentRegistrationNumber(text)).toBe(true);
  });

  it('finds every disguised number (property)', () => {
    fc.assert(
      fc.property(disguisedResidentRegistrationNumber(), (text) => containsResidentRegistrationNumber(text)),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['circled and parenthesised digits', '⑨⓪⓪①⓪①-①②③④⑤⑥⑦'],
    ['superscript digits and minus', '⁹⁰⁰¹⁰¹⁻¹²³⁴⁵⁶⁷'],
    ['a newline', '900101\n1234567'],
    ['a combining mark on a digit', '9\u03010010\u03011-1234567'],
    ['Hangul filler between the groups', '900101\u31641234567'],
    ['a digit run written in two scripts', '९००१०१-١٢٣٤٥٦٧'],
    ['a number value (JSON numbers are checked as text)', String(9001011234567)],
  ])('finds %s', (_label, text) => {
    expect(containsResidentRegistrationNumber(text)).toBe(true);
  });

  it('never flags UUIDs (property)', () => {
    fc.assert(fc.property(fc.uuid(), (uuid) => !containsResidentRegistrationNumber(uuid) && !containsResidentRegistrationNumber(`urn:uuid:${uuid}`)), { numRuns: 2000 });
  });

  it('never flags ISO dates and date-times (property)', () => {
    const instants = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T23:59:59Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instants, (date) => {
        const iso = date.toISOString();
        return [iso, iso.slice(0, 10), iso.replace(/[-:.]/g, ''), `${iso.slice(0, 10)} ${iso.slice(11, 19)}`].every((text) => !containsResidentRegistrationNumber(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('never flags hexadecimal hashes, keys and addresses (property)', () => {
    const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));
    fc.assert(
      fc.property(fc.oneof(hex(64), hex(40), hex(128)), (digest) =>
        [digest, `0x${digest}`, digest.toUpperCase(), `sha256:${digest}`].every((text) => !containsResidentRegistrationNumber(text)),
      ),
      { numRuns: 3000 },
    );
    expect(containsResidentRegistrationNumber(`0x${'ab'.repeat(10)}9001011234567${'cd'.repeat(10)}`)).toBe(false);
    expect(containsResidentRegistrationNumber(`${'ab'.repeat(10)}900101abc1234567${'cd'.repeat(10)}`)).toBe(false);
  });

  it('never flags Korean phone, business and account-like numbers (property)', () => {
    const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
    const numbers = fc.oneof(
      fc.tuple(digits(4), digits(4)).map(([a, b]) => `010-${a}-${b}`),
      fc.tuple(digits(3), digits(4)).map(([a, b]) => `02-${a}-${b}`),
      fc.tuple(digits(3), digits(2), digits(5)).map(([a, b, c]) => `${a}-${b}-${c}`),
      fc.tuple(digits(4), digits(4)).map(([a, b]) => `+82 10 ${a} ${b}`),
    );
    fc.assert(fc.property(numbers, (text) => !containsResidentRegistrationNumber(text)), { numRuns: 2000 });
  });

  it.each([
    ['six digits then six', '900101-123456'],
    ['fourteen digits', '19001011234567'],
    ['a seventh digit outside 1–8', '900101-9234567'],
    ['a first group that is no date (month 13)', '901301-1234567'],
    ['a first group that is no date (day 00)', '900100-1234567'],
    ['two words between the groups', '900101 in the 1234567'],
    ['a long word between the groups', '900101 recorded 1234567'],
    ['separators longer than eight characters', '900101 ---------- 1234567'],
    ['a millisecond timestamp', '1764000000000'],
    ['an amount', '1,234,567,890,123'],
  ])('does not flag %s', (_label, text) => {
    expect(containsResidentRegistrationNumber(text)).toBe(false);
  });
});

describe('normaliseForDetection', () => {
  it('folds compatibility forms, dashes, spaces, invisibles and digit scripts', () => {
    expect(normaliseForDetection('\uff19\uff10\u200b\u0661\u2014\u30001\u0301')).toBe('901- 1');
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
      { pointer: `/credential/credentialSubject/a~1b~0c/${REDACTED}`, in: 'key' },
      { pointer: '/credential/credentialSubject/a~1b~0c/deep/1/note', in: 'value' },
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

  it('cuts long property names in pointers when asked', () => {
    const [finding] = findResidentRegistrationNumbers({ ['k'.repeat(500)]: rrn }, { maxSegmentLength: 10 });
    expect(finding).toEqual({ pointer: `/${'k'.repeat(10)}…`, in: 'value' });
  });
});

describe('redactPointer', () => {
  it('withholds the segments that hold a number, also when it is spread over several', () => {
    expect(redactPointer('/credentialSubject/name')).toBe('/credentialSubject/name');
    expect(redactPointer('/residence/900101－1234567/x')).toBe(`/residence/${REDACTED}/x`);
    expect(redactPointer('/a/900101/1234567')).toBe(`/a/${REDACTED}/${REDACTED}`);
  });
});
