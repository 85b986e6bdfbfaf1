/**
 * The JSON Canonicalization Scheme (RFC 8785) for the values attendance events and contract terms hold: objects
 * with keys sorted by UTF-16 code units, no whitespace, strings as JSON.stringify writes them, and finite numbers in
 * their shortest form (JavaScript's own, which RFC 8785 adopts). `undefined` members are left out, as JSON does.
 * @throws TypeError for a value JSON cannot carry (a non-finite number, a function, a bigint)
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('a non-finite number has no JSON form');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`a ${typeof value} has no JSON form`);
  }
}
