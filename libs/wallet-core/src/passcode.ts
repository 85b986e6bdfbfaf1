/**
 * How many passcodes per second someone who copied the wallet's IndexedDB can try offline: PBKDF2-SHA-256 with
 * 600,000 iterations on one current GPU (docs/wallet.md, security model). The lock screen's wrong-PIN waits do not
 * slow that down.
 */
export const OFFLINE_GUESSES_PER_SECOND = 10_000;

/** How well a passcode stands up to offline guessing: `weak` under a month, `fair` under a century, else `strong`. */
export type PasscodeStrength = 'weak' | 'fair' | 'strong';

/** A passcode's strength and the expected time to find it offline (half its space at {@link OFFLINE_GUESSES_PER_SECOND}). */
export interface PasscodeEstimate {
  readonly strength: PasscodeStrength;
  readonly offlineSeconds: number;
}

const MONTH_SECONDS = 30 * 86_400;
const CENTURY_SECONDS = 100 * 365 * 86_400;

/**
 * Estimates how long offline guessing takes for a passcode of this length and these kinds of characters (digits,
 * lower- and upper-case Latin letters, other ASCII signs, anything else such as Hangul). It is an upper bound: a
 * word, a date or a pattern falls much sooner, which the hint says.
 */
export function passcodeStrength(passcode: string): PasscodeEstimate {
  const characters = [...passcode];
  let alphabet = 0;
  if (characters.some((c) => /\d/.test(c))) alphabet += 10;
  if (characters.some((c) => /[a-z]/.test(c))) alphabet += 26;
  if (characters.some((c) => /[A-Z]/.test(c))) alphabet += 26;
  if (characters.some((c) => /[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/.test(c))) alphabet += 33;
  if (characters.some((c) => c > '\x7e')) alphabet += 2_350; // the common Hangul syllables
  const offlineSeconds = characters.length === 0 ? 0 : alphabet ** characters.length / 2 / OFFLINE_GUESSES_PER_SECOND;
  const strength: PasscodeStrength = offlineSeconds < MONTH_SECONDS ? 'weak' : offlineSeconds < CENTURY_SECONDS ? 'fair' : 'strong';
  return { strength, offlineSeconds };
}
