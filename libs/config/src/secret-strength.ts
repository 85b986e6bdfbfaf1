/** A secret key is this many bytes, written as twice as many hexadecimal characters. */
export const SECRET_KEY_BYTES = 32;

/**
 * Fewer different byte values than this among 32 is refused. 32 random bytes have about 30 different values; fewer
 * than 16 happens by chance with probability below 1e-14, while typed patterns (`abab…`, `0123…`, `deadbeef…`)
 * fall far below it.
 */
const MIN_DISTINCT_BYTES = 16;

/**
 * Secrets that are public: the private keys of the ten development accounts anvil and Hardhat create from their
 * published test mnemonic ("test test test test test test test test test test test junk", m/44'/60'/0'/0/0…9).
 * They are printed by every `anvil` start and in both tools' documentation — published test keys, not secrets of
 * ours — and end up pasted as a "random" value. Compared in lower case.
 */
export const PUBLIC_TEST_KEYS: readonly string[] = Object.freeze([
  'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
  '8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba',
  '92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e',
  '4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356',
  'dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97',
  '2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6',
]);
const PUBLIC_TEST_VALUES = new Set(PUBLIC_TEST_KEYS);

/**
 * Says why a 32-byte hex secret is too weak to protect keys, or nothing when it looks like 32 random bytes.
 * Refused: a value with fewer than 16 different bytes (all zeros, `ff…ff`, `abab…`, `0123456789abcdef…`), a value
 * that repeats with a period of up to 16 bytes, a constant byte-to-byte step (`000102…1f`), and a public test key
 * ({@link PUBLIC_TEST_KEYS}).
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
