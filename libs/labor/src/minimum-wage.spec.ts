import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { minimumWageFor, parseMinimumWageTable } from './minimum-wage.js';

describe('minimum wage table', () => {
  it('reads the shipped configuration: 10,030 KRW for 2025 and 10,320 KRW for 2026', () => {
    const config = JSON.parse(readFileSync(new URL('../../../config/labor.json', import.meta.url), 'utf8')) as { minimumWageKrw: unknown };
    const table = parseMinimumWageTable(config.minimumWageKrw);
    expect(minimumWageFor(table, 2025)).toBe(10_030);
    expect(minimumWageFor(table, 2026)).toBe(10_320);
    expect(minimumWageFor(table, 2027)).toBeUndefined();
  });

  it.each([
    [null, /object/],
    [[], /object/],
    [{}, /empty/],
    [{ next: 10_000 }, /not a year/],
    [{ 2026: 0 }, /positive whole/],
    [{ 2026: 10_320.5 }, /positive whole/],
    [{ 2026: '10320' }, /positive whole/],
  ])('refuses %j', (raw, message) => {
    expect(() => parseMinimumWageTable(raw)).toThrow(message);
  });
});
