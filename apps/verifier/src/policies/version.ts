const POLICY_VERSION = /^(0|[1-9]\d{0,8})(\.(0|[1-9]\d{0,8}))*$/;

/** True for a dotted numeric version without leading zeros: `1`, `1.2`, `2026.1`. */
export function isPolicyVersion(version: unknown): version is string {
  return typeof version === 'string' && POLICY_VERSION.test(version);
}

/**
 * Orders two policy versions by their numeric parts, a missing part counting as 0 (`1` = `1.0` < `1.2` < `1.10` < `2`).
 * @param a - a version accepted by {@link isPolicyVersion}
 * @param b - a version accepted by {@link isPolicyVersion}
 * @returns negative, zero or positive as `a` is older than, the same as or newer than `b`
 */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
