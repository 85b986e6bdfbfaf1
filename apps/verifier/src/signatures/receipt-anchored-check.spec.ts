import type { Hex32 } from '@citycred/anchoring';
import { describe, expect, it } from 'vitest';
import type { DigestAnchorStatus } from '../digest-anchoring/digest-anchoring.js';
import { receiptAnchoredCheck } from './signature-receipts.js';

const HASH = `0x${'ab'.repeat(32)}` as Hex32;
const anchoredAt = new Date('2026-06-01T01:05:00Z');
const anchored: DigestAnchorStatus = {
  state: 'anchored',
  kind: 'signature-receipt',
  block: 42,
  time: anchoredAt,
  root: `0x${'cd'.repeat(32)}` as Hex32,
  proof: [],
  leafIndex: 0,
  issuerDid: 'did:ethr:citycred:0x1111111111111111111111111111111111111111',
  chainId: 31337,
  contract: '0x2222222222222222222222222222222222222222',
};
const anchors = (status: DigestAnchorStatus) => ({ anchoring: { status: async () => status }, clockSkewSeconds: 60 });

/** `receipt-anchored` of `POST /signatures/verify` (ADR 0015) from the outbox's answer. */
describe('receiptAnchoredCheck', () => {
  it('passes with the block and its time for a receipt signed before its anchor (within the clock skew)', async () => {
    for (const signedAt of ['2026-06-01T01:00:00Z', '2026-06-01T01:06:00Z']) {
      expect(await receiptAnchoredCheck({ signedAt }, HASH, anchors(anchored))).toMatchObject({ status: 'passed', anchor: { block: 42, time: anchoredAt.toISOString(), chainId: 31337 } });
    }
  });

  it('fails a receipt dated after its hash was on chain (beyond the skew), or with an unreadable date', async () => {
    expect(await receiptAnchoredCheck({ signedAt: '2026-06-01T01:06:01Z' }, HASH, anchors(anchored))).toMatchObject({ status: 'failed', detail: expect.stringMatching(/after its hash was anchored in block 42/) });
    expect(await receiptAnchoredCheck({ signedAt: 'yesterday' }, HASH, anchors(anchored))).toMatchObject({ status: 'failed' });
  });

  it('is pending while queued, failed when anchoring failed, skipped for a receipt never queued here', async () => {
    const enqueuedAt = new Date('2026-06-01T01:00:00Z');
    expect(await receiptAnchoredCheck({ signedAt: '2026-06-01T01:00:00Z' }, HASH, anchors({ state: 'pending', kind: 'signature-receipt', enqueuedAt, submitted: false, attempts: 3, lastError: 'down' }))).toMatchObject({
      status: 'pending',
      detail: expect.stringMatching(/not yet handed to the city issuer: down/),
    });
    expect(await receiptAnchoredCheck({ signedAt: '2026-06-01T01:00:00Z' }, HASH, anchors({ state: 'failed', kind: 'signature-receipt', reason: 'refused' }))).toMatchObject({ status: 'failed', detail: expect.stringMatching(/refused/) });
    expect(await receiptAnchoredCheck({ signedAt: '2026-06-01T01:00:00Z' }, HASH, anchors({ state: 'unknown' }))).toMatchObject({ status: 'skipped' });
  });
});
