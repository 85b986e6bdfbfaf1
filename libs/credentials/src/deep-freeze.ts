/**
 * Freezes a JSON-like value and everything reachable from it, so shared catalogue entries, schemas and contexts
 * cannot be altered by one caller for all others.
 * @param value - any value; primitives are returned unchanged.
 * @returns the same value, frozen in place.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
