import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildMerkleTree, credentialHash, type Hex32 } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FetchGuard } from '../outbound/fetch-guard.js';
import { BatchAnchorProofSource } from './batch-anchor-source.js';

/*
 * BatchAnchorProofSource against a real HTTP server playing the issuer's batch endpoints (their own e2e test runs the
 * issuer's): which requests it makes, what it keeps, and what it concludes.
 */

const ISSUER = 'did:ethr:citycred:0x1111111111111111111111111111111111111111';
const ISSUED_AT = new Date('2026-03-02T09:00:00Z');
const hashes = (label: string, n: number): Hex32[] => Array.from({ length: n }, (_, i) => credentialHash(`${label}-${i}`));

interface Batch {
  root: Hex32;
  leaves: Hex32[];
  anchoredAt: string;
}

describe('BatchAnchorProofSource', () => {
  let server: Server;
  let url: string;
  const requests: string[] = [];
  /** Batches by the UTC day (YYYY-MM-DD) they were anchored on. */
  let days: Map<string, Batch[]>;
  let pending: Array<{ credentialHash: string; enqueuedAt: string }>;
  let refused: string[];
  let override: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  /** How many batches one listing holds before the server says it cut the list. */
  let maxListed = 100;
  const clock = new FixedClock(new Date('2026-03-03T12:00:00Z'));

  const batch = (leaves: Hex32[], anchoredAt: string): Batch => ({ root: buildMerkleTree(leaves).root, leaves, anchoredAt });
  const source = () => new BatchAnchorProofSource(url, new FetchGuard(clock, { allowedOrigins: [url] }), clock, { timeoutMs: 2_000, searchDays: 3, clockSkewSeconds: 60, maxCachedLeaves: 1_000, maxListingCacheSeconds: 30 });
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (override?.(req, res)) return;
      const target = new URL(req.url ?? '/', 'http://x');
      if (target.searchParams.has('issuer') && target.searchParams.get('issuer') !== ISSUER) return send(res, 404, { code: 'anchor.issuer-not-found' });
      if (target.pathname === '/anchors/batches') {
        const from = target.searchParams.get('from') ?? '';
        const to = target.searchParams.get('to') ?? '';
        const inWindow = [...days.values()].flat().filter((b) => b.anchoredAt >= from && b.anchoredAt < to);
        const listed = inWindow.slice(0, maxListed).map(({ root, leaves, anchoredAt }) => ({ root, leafCount: leaves.length, anchoredAt, txHash: `0x${'ab'.repeat(32)}`, blockNumber: 7, chainId: 31337, contract: `0x${'cd'.repeat(20)}` }));
        return send(res, 200, { issuer: ISSUER, batches: listed, truncated: inWindow.length > maxListed, pending: { count: pending.length, since: null } }, { 'cache-control': 'public, max-age=30' });
      }
      const leaves = /^\/anchors\/batches\/(0x[0-9a-f]{64})\/leaves$/.exec(target.pathname);
      if (leaves) {
        const found = [...days.values()].flat().find((b) => b.root === leaves[1]);
        return found ? send(res, 200, { root: found.root, leaves: found.leaves }, { 'cache-control': 'public, max-age=31536000, immutable' }) : send(res, 404, { code: 'anchor.batch-not-found' });
      }
      if (target.pathname === '/anchors/pending') return send(res, 200, { issuer: ISSUER, pending, refused, truncated: false }, { 'cache-control': 'public, max-age=5' });
      return send(res, 404, {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    requests.length = 0;
    days = new Map();
    pending = [];
    refused = [];
    override = undefined;
    maxListed = 100;
  });

  it('computes the proof of a credential from the batches of its issuance day, the same as the issuer’s tree', async () => {
    const leaves = hashes('a', 37);
    const anchored = batch(leaves, '2026-03-02T09:05:00.000Z');
    days.set('2026-03-02', [batch(hashes('other', 5), '2026-03-02T08:00:00.000Z'), anchored]);
    const answer = await source().fetchProof(leaves[20]!, { issuerDid: ISSUER, issuedAt: ISSUED_AT });
    expect(answer).toEqual({
      kind: 'proof',
      proof: { root: anchored.root, proof: buildMerkleTree(leaves).proofs[20], leafIndex: 20, txHash: `0x${'ab'.repeat(32)}`, blockNumber: 7, chainId: 31337, contract: `0x${'cd'.repeat(20)}` },
      // Computed from the whole batch, whose leaves were checked to make its root: the verifier need not re-hash it.
      rootComputedHere: true,
    });
    // Never a question naming the credential.
    expect(requests.some((r) => r.includes(leaves[20]!.slice(2)))).toBe(false);
    expect(requests.every((r) => r.includes('issuer=') || r.endsWith('/leaves'))).toBe(true);
  });

  it('asks each day once within its cache time and downloads each batch once, whatever the number of credentials', async () => {
    const leaves = hashes('b', 10);
    days.set('2026-03-02', [batch(leaves, '2026-03-02T10:00:00.000Z')]);
    const proofs = source();
    for (const leaf of leaves) expect((await proofs.fetchProof(leaf, { issuerDid: ISSUER, issuedAt: ISSUED_AT })).kind).toBe('proof');
    expect(requests.filter((r) => r.startsWith('/anchors/batches?'))).toHaveLength(1);
    expect(requests.filter((r) => r.endsWith('/leaves'))).toHaveLength(1);
  });

  it('splits a day whose listing the issuer cut into smaller windows, so no batch is missed', async () => {
    maxListed = 2;
    const batches = Array.from({ length: 7 }, (_, i) => batch(hashes(`t${i}`, 3), `2026-03-02T${String(9 + i).padStart(2, '0')}:00:00.000Z`));
    days.set('2026-03-02', batches);
    const answer = await source().fetchProof(batches[6]!.leaves[2]!, { issuerDid: ISSUER, issuedAt: ISSUED_AT });
    expect(answer).toMatchObject({ kind: 'proof', proof: { root: batches[6]!.root, leafIndex: 2 } });
    // Every window asked is aligned on the minute and holds at most what the issuer lists at once.
    for (const path of requests.filter((r) => r.startsWith('/anchors/batches?'))) {
      const query = new URL(path, 'http://x').searchParams;
      expect(new Date(query.get('from')!).getTime() % 60_000).toBe(0);
      expect(new Date(query.get('to')!).getTime() % 60_000).toBe(0);
    }
  });

  it('looks on the following days, up to the configured number, for a batch anchored later', async () => {
    const leaves = hashes('c', 3);
    days.set('2026-03-04', [batch(leaves, '2026-03-04T01:00:00.000Z')]);
    clock.set(new Date('2026-03-05T00:00:00Z'));
    const answer = await source().fetchProof(leaves[1]!, { issuerDid: ISSUER, issuedAt: ISSUED_AT });
    expect(answer.kind).toBe('proof');
    expect(requests.filter((r) => r.startsWith('/anchors/batches?')).map((r) => new URL(r, 'http://x').searchParams.get('from'))).toEqual([
      '2026-03-02T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
      '2026-03-04T00:00:00.000Z',
    ]);
    clock.set(new Date('2026-03-03T12:00:00Z'));
  });

  it('finds a queued credential in the issuer’s whole queue (pending), a refused one among the refused, and nothing else (unknown)', async () => {
    const [queued, setAside, stranger] = hashes('d', 3) as [Hex32, Hex32, Hex32];
    pending = [{ credentialHash: queued, enqueuedAt: '2026-03-02T09:00:01.000Z' }];
    refused = [setAside];
    const proofs = source();
    expect(await proofs.fetchProof(queued, { issuerDid: ISSUER, issuedAt: ISSUED_AT })).toEqual({ kind: 'pending', enqueuedAt: new Date('2026-03-02T09:00:01.000Z') });
    expect(await proofs.fetchProof(setAside, { issuerDid: ISSUER, issuedAt: ISSUED_AT })).toEqual({ kind: 'refused' });
    expect(await proofs.fetchProof(stranger, { issuerDid: ISSUER, issuedAt: ISSUED_AT })).toEqual({ kind: 'unknown' });
    expect(await proofs.fetchProof(stranger, { issuerDid: 'did:ethr:citycred:0x2222222222222222222222222222222222222222', issuedAt: ISSUED_AT })).toEqual({ kind: 'unknown' });
  });

  it('asks again before saying unknown when what it kept may predate the anchoring', async () => {
    const leaves = hashes('e', 4);
    const proofs = source();
    pending = [{ credentialHash: leaves[0]!, enqueuedAt: '2026-03-02T09:00:00.000Z' }];
    expect((await proofs.fetchProof(leaves[0]!, { issuerDid: ISSUER, issuedAt: ISSUED_AT })).kind).toBe('pending');
    // Anchored since: the day's listing it kept (30 s) does not show it, the queue (read afresh) no longer has it.
    pending = [];
    days.set('2026-03-02', [batch(leaves, '2026-03-02T09:10:00.000Z')]);
    expect((await proofs.fetchProof(leaves[0]!, { issuerDid: ISSUER, issuedAt: ISSUED_AT })).kind).toBe('proof');
  });

  it('trusts no batch whose leaves do not make its listed root, and passes on the issuer’s Retry-After', async () => {
    const leaves = hashes('f', 4);
    days.set('2026-03-02', [{ ...batch(leaves, '2026-03-02T10:00:00.000Z'), leaves: hashes('forged', 4) }]);
    const forged = await source().fetchProof(leaves[0]!, { issuerDid: ISSUER, issuedAt: ISSUED_AT });
    expect(forged).toMatchObject({ kind: 'unreachable' });

    override = (_req, res) => (send(res, 503, { code: 'service.unavailable' }, { 'retry-after': '7' }), true);
    expect(await source().fetchProof(leaves[0]!, { issuerDid: ISSUER, issuedAt: ISSUED_AT })).toEqual({ kind: 'unreachable', reason: "the issuer's anchoring service answered 503", retryAfterSeconds: 7 });
    override = (_req, res) => (res.writeHead(200, { 'content-type': 'application/json' }).end('{"batches": "no"}'), true);
    expect((await source().fetchProof(leaves[0]!, { issuerDid: ISSUER, issuedAt: ISSUED_AT })).kind).toBe('unreachable');
  });

  it('forgets the least recently used batches beyond its leaf budget', async () => {
    const big = ['2026-03-01', '2026-03-02', '2026-03-03'].map((day) => {
      const anchored = batch(hashes(day, 600), `${day}T10:00:00.000Z`);
      days.set(day, [anchored]);
      return { day, anchored, issuedAt: new Date(`${day}T09:00:00Z`) };
    });
    const proofs = source();
    for (const { anchored, issuedAt } of big) expect((await proofs.fetchProof(anchored.leaves[0]!, { issuerDid: ISSUER, issuedAt })).kind).toBe('proof');
    requests.length = 0;
    // Budget 1,000 leaves: only the last batch is still kept, the first is downloaded again.
    await proofs.fetchProof(big[2]!.anchored.leaves[1]!, { issuerDid: ISSUER, issuedAt: big[2]!.issuedAt });
    await proofs.fetchProof(big[0]!.anchored.leaves[1]!, { issuerDid: ISSUER, issuedAt: big[0]!.issuedAt });
    expect(requests.filter((r) => r.endsWith('/leaves'))).toEqual([`/anchors/batches/${big[0]!.anchored.root}/leaves`]);
  });
});
