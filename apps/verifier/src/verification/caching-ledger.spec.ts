import type { AnchorLedger, Hex32, OnChainAnchor } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import { describe, expect, it } from 'vitest';
import { CachingLedger, type LatestBlockTime } from './caching-ledger.js';

/** The ledger port as an in-memory stand-in that counts its reads (the real one is CityChain, tested on anvil). */
class CountingLedger implements AnchorLedger, LatestBlockTime {
  readonly chainId = 31337;
  readonly anchorContract = '0x00000000000000000000000000000000000a0c40';
  readonly reads: string[] = [];
  anchors = new Map<string, OnChainAnchor>();
  accredited = true;
  latest = 1_000_000;
  failLatest = false;
  async findAnchor(issuer: string, root: Hex32): Promise<OnChainAnchor | null> {
    this.reads.push(`anchor ${root}`);
    return this.anchors.get(`${issuer}:${root}`) ?? null;
  }
  async findAnchorTransaction(): Promise<null> {
    return null;
  }
  async isAccredited(_issuer: string, _type: string, at: Date): Promise<boolean> {
    this.reads.push(`accredited ${at.getTime() / 1000}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return this.accredited;
  }
  async isUp(): Promise<boolean> {
    return true;
  }
  async latestBlockTime(): Promise<number> {
    if (this.failLatest) throw new Error('down');
    return this.latest;
  }
}

const ROOT = `0x${'11'.repeat(32)}` as Hex32;
const ISSUER = '0x1111111111111111111111111111111111111111';
const settings = { finalAfterSeconds: 60, maxEntries: 2, latestBlockTtlMs: 1_000 };

describe('CachingLedger', () => {
  it('keeps an anchor once found (per root), and asks again while it is absent', async () => {
    const inner = new CountingLedger();
    const ledger = new CachingLedger(inner, new FixedClock(new Date()), settings);
    expect(await ledger.findAnchor(ISSUER, ROOT)).toBeNull();
    inner.anchors.set(`${ISSUER}:${ROOT}`, { anchoredAt: new Date(), blockNumber: 3, leafCount: 2 });
    expect(await ledger.findAnchor(ISSUER, ROOT)).toMatchObject({ blockNumber: 3 });
    expect(await ledger.findAnchor(ISSUER.toUpperCase().replace('0X', '0x'), ROOT)).toMatchObject({ blockNumber: 3 });
    expect(inner.reads).toEqual([`anchor ${ROOT}`, `anchor ${ROOT}`]);
  });

  it('keeps accreditation answers about settled moments only, and shares concurrent reads', async () => {
    const inner = new CountingLedger();
    const ledger = new CachingLedger(inner, new FixedClock(new Date()), settings);
    const settled = new Date((inner.latest - 121) * 1000);
    const recent = new Date((inner.latest - 119) * 1000);
    expect(await Promise.all([ledger.isAccredited(ISSUER, 'T', settled), ledger.isAccredited(ISSUER, 'T', settled)])).toEqual([true, true]);
    inner.accredited = false;
    expect(await ledger.isAccredited(ISSUER, 'T', settled)).toBe(true);
    expect(await ledger.isAccredited(ISSUER, 'T', recent)).toBe(false);
    inner.accredited = true;
    expect(await ledger.isAccredited(ISSUER, 'T', recent)).toBe(true);
    expect(inner.reads).toEqual([`accredited ${inner.latest - 121}`, `accredited ${inner.latest - 119}`, `accredited ${inner.latest - 119}`]);
  });

  it('keeps nothing when the latest block cannot be read, and forgets the least recently used beyond its size', async () => {
    const inner = new CountingLedger();
    inner.failLatest = true;
    const ledger = new CachingLedger(inner, new FixedClock(new Date()), settings);
    const old = (s: number) => new Date((inner.latest - 1_000 - s) * 1000);
    await ledger.isAccredited(ISSUER, 'T', old(0));
    await ledger.isAccredited(ISSUER, 'T', old(0));
    expect(inner.reads).toHaveLength(2);
    inner.failLatest = false;
    inner.reads.length = 0;
    const fresh = new CachingLedger(inner, new FixedClock(new Date()), settings);
    for (const s of [1, 2, 3, 1]) await fresh.isAccredited(ISSUER, 'T', old(s));
    // Room for two answers: the first was forgotten when the third came.
    expect(inner.reads).toHaveLength(4);
  });
});
