import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessNumberCheckDigit, readBusinessNumber } from './business-number.js';

/** A valid number built from nine digits and the rule's check digit. */
const valid = (nine: string): string => `${nine}${businessNumberCheckDigit(nine)}`;

describe('readBusinessNumber', () => {
  it('computes the check digit by the National Tax Service rule (weights 1,3,7,1,3,7,1,3,5 and the tens of 5 × the ninth digit)', () => {
    // 1·1+2·3+3·7+4·1+5·3+6·7+7·1+8·3+9·5 = 165, + ⌊45/10⌋ = 169 → (10 − 9) % 10 = 1
    expect(businessNumberCheckDigit('123456789')).toBe(1);
    // all zeros: sum 0 → check digit 0
    expect(businessNumberCheckDigit('000000000')).toBe(0);
    // 1·1+0… +1·5 (ninth) = 6, + ⌊5/10⌋ = 6 → 4
    expect(businessNumberCheckDigit('100000001')).toBe(4);
  });

  it.each([
    ['123-45-67891', '123-45-67891'],
    ['1234567891', '123-45-67891'],
    [' 123 45 67891 ', '123-45-67891'],
  ])('accepts %j as %s', (input, formatted) => {
    expect(readBusinessNumber(input)).toEqual({ ok: true, formatted, digits: formatted.replaceAll('-', '') });
  });

  it.each([
    ['', 'format'],
    ['123-45-6789', 'format'],
    ['123-45-678912', 'format'],
    ['12-345-67891', 'format'],
    ['123-45-6789O', 'format'],
    ['１２３-45-67891', 'format'],
    ['123-45-67890', 'checksum'],
  ])('refuses %j (%s)', (input, problem) => {
    expect(readBusinessNumber(input)).toEqual({ ok: false, problem });
  });

  it('detects every change of a single digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{9}$/), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (nine, position, delta) => {
        const digits = [...valid(nine)].map(Number);
        digits[position] = (digits[position]! + delta) % 10;
        expect(readBusinessNumber(digits.join('')).ok).toBe(false);
      }),
    );
  });
});
