/** Weights of the first nine digits in the National Tax Service's check-digit rule. */
const WEIGHTS = [1, 3, 7, 1, 3, 7, 1, 3, 5] as const;

/** Why a business registration number was refused. */
export type BusinessNumberProblem = 'format' | 'checksum';

/** The outcome of reading a business registration number (사업자등록번호). */
export type BusinessNumberReading =
  | { readonly ok: true; /** `NNN-NN-NNNNN` */ readonly formatted: string; /** ten digits */ readonly digits: string }
  | { readonly ok: false; readonly problem: BusinessNumberProblem };

/** The check digit the National Tax Service's rule gives for the first nine digits. */
export function businessNumberCheckDigit(nineDigits: string): number {
  if (!/^[0-9]{9}$/.test(nineDigits)) throw new RangeError('nine digits expected');
  const d = [...nineDigits].map(Number);
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += d[i]! * WEIGHTS[i]!;
  // The ninth digit counts once more: the tens of its product with 5.
  sum += Math.floor((d[8]! * 5) / 10);
  return (10 - (sum % 10)) % 10;
}

/**
 * Reads a business registration number as people write it — `123-45-67890`, `1234567890`, with spaces — and checks
 * its check digit. Only the format and the check digit are checked here; whether the business exists and is open is
 * for the labour department to confirm (PRODUCT.md §7.2).
 */
export function readBusinessNumber(input: string): BusinessNumberReading {
  const compact = input.replace(/[\s-]/g, '');
  if (!/^[0-9]{10}$/.test(compact) || !/^[0-9]{3}[\s-]*[0-9]{2}[\s-]*[0-9]{5}$/.test(input.trim())) return { ok: false, problem: 'format' };
  if (businessNumberCheckDigit(compact.slice(0, 9)) !== Number(compact[9])) return { ok: false, problem: 'checksum' };
  return { ok: true, digits: compact, formatted: `${compact.slice(0, 3)}-${compact.slice(3, 5)}-${compact.slice(5)}` };
}
