import { readFileSync } from 'node:fs';
import { parseMinimumWageTable, type MinimumWageTable } from '@citycred/labor';

/** The labour-law configuration (`LABOR_CONFIG_FILE`, default config/labor.json), parsed. */
export interface LaborConfig {
  /** The statutory hourly minimum wage by year, KRW. */
  readonly minimumWageKrw: MinimumWageTable;
}

/**
 * Reads and checks the labour configuration file.
 * @returns the configuration, or why it cannot be used (for the start-up error)
 */
export function readLaborConfig(path: string): { ok: true; config: LaborConfig } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { ok: false, problem: `${path} cannot be read as JSON (${error instanceof SyntaxError ? 'not JSON' : 'no such file or not readable'})` };
  }
  try {
    const minimumWageKrw = parseMinimumWageTable((json as { minimumWageKrw?: unknown } | null)?.minimumWageKrw);
    return { ok: true, config: Object.freeze({ minimumWageKrw }) };
  } catch (error) {
    return { ok: false, problem: `${path}: minimumWageKrw: ${error instanceof Error ? error.message : 'not valid'}` };
  }
}
