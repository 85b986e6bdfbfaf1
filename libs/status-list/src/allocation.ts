import { StatusListError, StatusListErrorCode } from './errors.js';

/** Injected randomness: `n` unpredictable bytes (crypto.getRandomValues in a browser, node:crypto in Node). */
export type RandomSource = (n: number) => Uint8Array;

/**
 * A uniform integer in `[0, size)` from the random source, without modulo bias (rejection sampling over 32 bits).
 * @throws StatusListError `status-list.invalid-argument` for a size outside 1 … 2³²
 */
export function randomIndexBelow(size: number, random: RandomSource): number {
  if (!Number.isSafeInteger(size) || size <= 0 || size > 2 ** 32) {
    throw new StatusListError(StatusListErrorCode.InvalidArgument, `Cannot draw an index below ${size}.`);
  }
  const limit = 2 ** 32 - (2 ** 32 % size);
  for (;;) {
    const bytes = random(4);
    if (bytes.length < 4) throw new StatusListError(StatusListErrorCode.InvalidArgument, 'The random source returned fewer bytes than asked.');
    const value = ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!;
    if (value < limit) return value % size;
  }
}

/**
 * Picks an unused index uniformly at random, so that indexes say nothing about the order credentials were issued
 * in. Rejection sampling: each draw is uniform and a taken index is drawn again, so the result is uniform over
 * the free indexes. Callers keep lists at most half full, which bounds the expected draws by 2 and the chance of
 * using up `maxAttempts` (default 64) by 2⁻⁶⁴.
 * @param input - `size` of the list, the `random` source, `isTaken` (an allocation bitset's lookup or a database
 *   query) and optional `maxAttempts`
 * @returns the index
 * @throws StatusListError `status-list.full` when every draw hit a taken index
 */
export async function pickFreeIndex(input: {
  size: number;
  random: RandomSource;
  isTaken: (index: number) => boolean | Promise<boolean>;
  maxAttempts?: number;
}): Promise<number> {
  const attempts = input.maxAttempts ?? 64;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const index = randomIndexBelow(input.size, input.random);
    if (!(await input.isTaken(index))) return index;
  }
  throw new StatusListError(StatusListErrorCode.Full, `No free index found in ${attempts} draws: the list is (nearly) full.`);
}
