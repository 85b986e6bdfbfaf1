/** A secret key is this many bytes, written as twice as many hexadecimal characters. */
export const SECRET_KEY_BYTES = 32;

/**
 * Fewer different byte values than this among 32 is refused. 32 random bytes have about 30 different values; fewer
 * than 16 happens by chance with probability below 1e-14, while typed patterns (`abab…`, `0123…`, `deadbeef…`)
 * fall far below it.
 */
const MIN_DISTINCT_BYTES = 16;

/**
 * Secrets that are public: anvil's and Hardhat's first development account key, which ends up pasted as a "random"
 * value. Compared in lower case.
 */
const PUBLIC_TEST_VALUES = new Set(['ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80']);

/**
 * Says why a 32-byte hex secret is too weak to protect keys, or nothing when it looks like 32 random bytes.
 * Refused: a value with fewer than 16 different bytes (all zeros, `ff…ff`, `abab…`, `0123456789abcdef…`), a value
 * that repeats with a period of up to 16 bytes, a constant byte-to-byte step (`000102…1f`), and a public test key.
 * The reason never contains the secret.
 * @param hex - 64 hexadecimal characters (either case); anything else is not judged here (the format check is)
 * @returns a short reason to show after the variable's name, or undefined when the secret is acceptable
 */
export function weakSecretReason(hex: string): string | undefined {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return undefined;
  const advice = 'use 32 random bytes, e.g. the output of `openssl rand -hex 32`';
  if (PUBLIC_TEST_VALUES.has(hex.toLowerCase())) return `is a publicly known test key; ${advice}`;
  const bytes = Array.from({ length: SECRET_KEY_BYTES }, (_, i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  const distinct = new Set(bytes).size;
  if (distinct < MIN_DISTINCT_BYTES) return `is too regular to be secret (only ${distinct} different bytes of 32); ${advice}`;
  for (let period = 1; period <= SECRET_KEY_BYTES / 2; period += 1) {
    if (bytes.every((byte, i) => i + period >= bytes.length || byte === bytes[i + period])) {
      return `is too regular to be secret (it repeats every ${period} bytes); ${advice}`;
    }
  }
  const step = (bytes[1]! - bytes[0]! + 256) % 256;
  if (bytes.every((byte, i) => i === 0 || (byte - bytes[i - 1]! + 256) % 256 === step)) {
    return `is too regular to be secret (each byte is the one before plus ${step}); ${advice}`;
  }
  return undefined;
}
