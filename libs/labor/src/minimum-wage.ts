/** The statutory hourly minimum wage by calendar year (최저임금), in KRW: configuration, not code. */
export type MinimumWageTable = Readonly<Record<number, number>>;

/**
 * Reads a minimum-wage table from configuration (`{"2025": 10030, "2026": 10320}`).
 * @throws RangeError when a year or an amount is not a positive whole number
 */
export function parseMinimumWageTable(raw: unknown): MinimumWageTable {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new RangeError('the minimum wage table must be an object of year → KRW');
  const table: Record<number, number> = {};
  for (const [year, amount] of Object.entries(raw)) {
    if (!/^(19|20|21)[0-9]{2}$/.test(year)) throw new RangeError(`minimum wage table: "${year}" is not a year`);
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) throw new RangeError(`minimum wage table: the amount for ${year} must be a positive whole number of KRW`);
    table[Number(year)] = amount;
  }
  if (Object.keys(table).length === 0) throw new RangeError('the minimum wage table is empty');
  return Object.freeze(table);
}

/** The hourly minimum wage for `year`, or undefined when the table does not know it (not published yet). */
export function minimumWageFor(table: MinimumWageTable, year: number): number | undefined {
  return table[year];
}
