import { describe, expect, it } from 'vitest';
import { addDuration } from './duration.js';

const at = (iso: string): Date => new Date(iso);

describe('addDuration', () => {
  it.each([
    ['2026-03-02T01:30:00.000Z', 'P5Y', '2031-03-02T01:30:00.000Z'],
    ['2026-03-02T01:30:00.000Z', 'P1Y', '2027-03-02T01:30:00.000Z'],
    ['2026-03-02T01:30:00.000Z', 'P6M', '2026-09-02T01:30:00.000Z'],
    ['2026-11-15T00:00:00.000Z', 'P3M', '2027-02-15T00:00:00.000Z'],
    ['2026-03-02T00:00:00.000Z', 'P30D', '2026-04-01T00:00:00.000Z'],
    ['2026-03-02T00:00:00.000Z', 'P1Y2M10D', '2027-05-12T00:00:00.000Z'],
    ['2026-03-02T00:00:00.000Z', 'P0D', '2026-03-02T00:00:00.000Z'],
  ])('%s + %s = %s', (start, duration, expected) => {
    expect(addDuration(at(start), duration).toISOString()).toBe(expected);
  });

  it('clamps to the last day of a shorter month', () => {
    expect(addDuration(at('2026-01-31T09:00:00Z'), 'P1M').toISOString()).toBe('2026-02-28T09:00:00.000Z');
    expect(addDuration(at('2028-01-31T09:00:00Z'), 'P1M').toISOString()).toBe('2028-02-29T09:00:00.000Z');
    expect(addDuration(at('2026-08-31T09:00:00Z'), 'P3M').toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(addDuration(at('2026-08-31T09:00:00Z'), 'P6M').toISOString()).toBe('2027-02-28T09:00:00.000Z');
  });

  it('moves a leap day to 28 February in a common year and keeps it in a leap year', () => {
    expect(addDuration(at('2024-02-29T00:00:00Z'), 'P1Y').toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(addDuration(at('2024-02-29T00:00:00Z'), 'P4Y').toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(addDuration(at('2024-02-29T00:00:00Z'), 'P5Y').toISOString()).toBe('2029-02-28T00:00:00.000Z');
  });

  it('adds days after clamping months, across the year end', () => {
    expect(addDuration(at('2026-01-31T00:00:00Z'), 'P1M1D').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(addDuration(at('2026-12-31T00:00:00Z'), 'P1D').toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(addDuration(at('2026-11-30T00:00:00Z'), 'P14M').toISOString()).toBe('2028-01-30T00:00:00.000Z');
  });

  it('does not modify its argument', () => {
    const start = at('2026-01-31T00:00:00Z');
    addDuration(start, 'P1Y1M1D');
    expect(start.toISOString()).toBe('2026-01-31T00:00:00.000Z');
  });

  it.each(['', 'P', 'P1W', 'PT1H', 'P1DT2H', 'P1.5Y', '-P1Y', 'P1M1Y', '1Y', 'p1y', ' P1Y', 'P99999999999Y'])(
    'refuses %j',
    (duration) => {
      expect(() => addDuration(at('2026-03-02T00:00:00Z'), duration)).toThrow(RangeError);
    },
  );

  it('refuses an invalid date', () => {
    expect(() => addDuration(new Date('not a date'), 'P1Y')).toThrow(TypeError);
  });
});
