/** A text in Korean and English. */
export interface BilingualText {
  readonly ko: string;
  readonly en: string;
}

/**
 * One result of a labour-law check: an `error` makes the contract (or event) unacceptable, a `warning` is shown to
 * the employer and the worker but does not stop them.
 */
export interface LaborFinding {
  /** Stable code, e.g. `labor.wage-below-minimum` (docs/labor.md lists them). */
  readonly code: string;
  readonly severity: 'error' | 'warning';
  /** JSON pointer into the checked object, e.g. `/hourlyWageKrw` or `/workDays/2`. */
  readonly path: string;
  readonly message: BilingualText;
}

/** Builds a finding. */
export function finding(code: string, severity: LaborFinding['severity'], path: string, ko: string, en: string): LaborFinding {
  return { code, severity, path, message: { ko, en } };
}

/** Whether any finding is an error. */
export function hasErrors(findings: readonly LaborFinding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
