import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickFreeIndex, randomIndexBelow, type RandomSource } from './allocation.js';
import { StatusListErrorCode } from './errors.js';

/** A deterministic random source: a counter run through a 32-bit mixer (xorshift), good enough to test uniformity. */
function seeded(seed: number): RandomSource {
  let state = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 1) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      out[i] = state & 0xff;
    }
    return out;
  };
}

describe('random index allocation', () => {
  it('stays below the size for any size and randomness', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 20 }), fc.uint8Array({ minLength: 64, maxLength: 64 }), (size, bytes) => {
        let offset = 0;
        const random: RandomSource = (n) => {
          const out = bytes.subarray(offset % 60, (offset % 60) + n);
          offset += n;
          return out;
        };
        const index = randomIndexBelow(size, random);
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThan(size);
      }),
    );
  });

  it('rejects draws above the largest multiple of the size (no modulo bias)', () => {
    const draws = [new Uint8Array([0xff, 0xff, 0xff, 0xff]), new Uint8Array([0, 0, 0, 7])];
    expect(randomIndexBelow(3, () => draws.shift()!)).toBe(1);
    expect(draws).toEqual([]);
  });

  it('never returns a taken index, and spreads picks over the free ones (no issuance order)', async () => {
    const size = 64;
    const taken = new Set([...Array(32).keys()].map((i) => i * 2));
    const random = seeded(20260302);
    const counts = new Map<number, number>();
    for (let i = 0; i < 3_200; i += 1) {
      const index = await pickFreeIndex({ size, random, isTaken: (n) => taken.has(n) });
      expect(taken.has(index)).toBe(false);
      counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    expect(counts.size, 'every free index is picked').toBe(32);
    for (const count of counts.values()) expect(count).toBeGreaterThan(50);
  });

  it('consecutive allocations on an empty list are not consecutive indexes', async () => {
    const taken = new Set<number>();
    const random = seeded(7);
    const picked: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const index = await pickFreeIndex({ size: 131_072, random, isTaken: async (n) => taken.has(n) });
      taken.add(index);
      picked.push(index);
    }
    const sorted = [...picked].sort((a, b) => a - b);
    expect(picked).not.toEqual(sorted);
    expect(new Set(picked).size).toBe(20);
  });

  it('gives up with status-list.full when every draw is taken', async () => {
    await expect(pickFreeIndex({ size: 8, random: seeded(1), isTaken: () => true, maxAttempts: 10 })).rejects.toMatchObject({ code: StatusListErrorCode.Full });
  });
});
