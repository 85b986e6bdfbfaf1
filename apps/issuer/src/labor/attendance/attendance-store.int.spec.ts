import { randomUUID } from 'node:crypto';
import { FixedClock } from '@citycred/config';
import { AppError } from '@citycred/errors';
import { attendanceEventHash, GENESIS_HASH, type AttendanceEvent } from '@citycred/labor';
import { AnchorOutboxEntity, createIssuerDataSource, isUniqueViolation, LaborAttendanceEventEntity, openDatabase, TenantEntity } from '@citycred/persistence';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnchorQueue } from '../../anchoring/anchor-queue.js';
import { AttendanceAnchoring } from './attendance-anchoring.js';
import { requireAppendable, type HeadState } from './attendance-rules.js';
import { AttendanceStore, type Appended } from './attendance-store.js';

/**
 * The attendance tables on a real issuer database (SQLite, or PostgreSQL with DATABASE_URL): appends under the head
 * lock (two racing appends of one seq: one lands, the other is stale), a workplace nonce unique per contract (in the
 * store and in the schema), one workplace nonce per tenant and window, corrections, and daily head anchoring.
 */
describe('AttendanceStore on a real database', () => {
  const clock = new FixedClock('2026-03-02T00:00:00Z');
  let db: TestDatabase;
  let dataSource: DataSource;
  let store: AttendanceStore;
  let tenantId: string;

  /** Events are appended here with the real rules but no signatures (the store keeps what the service signed). */
  const append = (contractId: string, draft: Omit<AttendanceEvent, 'v' | 'contractId'>): Promise<Appended> => {
    const event: AttendanceEvent = { v: 1, contractId, ...draft };
    const hash = attendanceEventHash(event);
    const qr = event.workplaceNonce ? { nonce: event.workplaceNonce.nonce, iat: Date.parse(event.workplaceNonce.issuedAt) / 1000 } : undefined;
    return store.append({ contractId, tenantId, event, hash, workerSignature: 'w..sig', employerSignature: 'e..sig' }, (state: HeadState) => requireAppendable(state, event, new Date(event.at), qr));
  };
  const punch = (kind: 'check-in' | 'check-out', seq: number, prevHash: string, at: string, nonce: string) => ({
    seq,
    kind,
    at,
    prevHash,
    workplaceNonce: { nonce, issuedAt: new Date(Math.floor(Date.parse(at) / 30_000) * 30_000).toISOString() },
  });
  const nonce = (n: number) => `nonce-${String(n).padStart(16, '0')}`;
  const codeOf = async (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof AppError ? error.code : error));

  beforeAll(async () => {
    db = testDatabase('labor_attendance');
    dataSource = await openDatabase(createIssuerDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }));
    store = new AttendanceStore(dataSource, clock);
    tenantId = randomUUID();
    await dataSource.getRepository(TenantEntity).insert({
      id: tenantId,
      slug: 'test-cafe',
      name: 'Test café',
      kind: 'employer',
      did: 'did:ethr:citycred:0x00000000000000000000000000000000000000aa',
      address: `0x${'0'.repeat(38)}aa`,
      credentialTypesJson: '[]',
      createdAt: clock.now().toISOString(),
    });
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  it('appends a check-in and a check-out, moving the head, and reads them back as signed', async () => {
    const contract = randomUUID();
    expect(await store.head(contract)).toEqual({ seq: -1, hash: GENESIS_HASH });
    const first = await append(contract, punch('check-in', 0, GENESIS_HASH, '2026-03-02T00:00:10Z', nonce(1)));
    const second = await append(contract, punch('check-out', 1, first.head.hash, '2026-03-02T04:00:10Z', nonce(2)));
    expect(first.head).toEqual({ seq: 0, hash: attendanceEventHash(first.signed.event) });
    expect(second.head.seq).toBe(1);
    expect(await store.head(contract)).toEqual(second.head);
    expect(await store.events(contract)).toEqual([first.signed, second.signed]);
  });

  it('lets only one of two racing appends of the same seq land; the other is stale and names the new head', async () => {
    const contract = randomUUID();
    const results = await Promise.allSettled([
      append(contract, punch('check-in', 0, GENESIS_HASH, '2026-03-02T00:00:10Z', nonce(3))),
      append(contract, punch('check-in', 0, GENESIS_HASH, '2026-03-02T00:00:11Z', nonce(4))),
    ]);
    const landed = results.filter((r): r is PromiseFulfilledResult<Appended> => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(landed).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0]!.reason as AppError).code).toBe('labor.attendance-stale');
    expect((refused[0]!.reason as AppError).extensions).toEqual({ head: landed[0]!.value.head });
    expect(await store.events(contract)).toHaveLength(1);
  });

  it('refuses a workplace nonce already used in the contract, and the schema refuses it too', async () => {
    const contract = randomUUID();
    const first = await append(contract, punch('check-in', 0, GENESIS_HASH, '2026-03-02T00:00:10Z', nonce(5)));
    expect(await codeOf(append(contract, punch('check-out', 1, first.head.hash, '2026-03-02T00:00:20Z', nonce(5))))).toBe('labor.nonce-reused');
    // Another contract may use the same nonce (two workers scanning one QR).
    await append(randomUUID(), punch('check-in', 0, GENESIS_HASH, '2026-03-02T00:00:12Z', nonce(5)));
    // The unique index holds even for a write that skips the store's check.
    const row = (await dataSource.getRepository(LaborAttendanceEventEntity).findOneByOrFail({ contractId: contract, seq: 0 }))!;
    const duplicate = await dataSource.getRepository(LaborAttendanceEventEntity).insert({ ...row, seq: 7, hash: `0x${'7'.repeat(64)}` }).then(() => null, (error: unknown) => error);
    expect(isUniqueViolation(duplicate)).toBe(true);
  });

  it('lets two racing check-ins with one nonce in one contract land once', async () => {
    const contract = randomUUID();
    const results = await Promise.allSettled([
      append(contract, punch('check-in', 0, GENESIS_HASH, '2026-03-02T00:00:10Z', nonce(6))),
      append(contract, punch('check-in', 0, GENESIS_HASH, '2026-03-02T00:00:10Z', nonce(6))),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await store.events(contract)).toHaveLength(1);
  });

  it('keeps one workplace nonce per tenant and 30-second window, even when two requests make one at once', async () => {
    let made = 0;
    const make = async () => ({ nonce: `n-${++made}-${randomUUID().slice(0, 8)}`, jws: `jws-${made}` });
    const [a, b] = await Promise.all([store.workplaceNonce(tenantId, 1_772_409_600, make), store.workplaceNonce(tenantId, 1_772_409_600, make)]);
    expect(a).toEqual(b);
    expect(await store.issuedNonce(a.nonce)).toEqual(a);
    const next = await store.workplaceNonce(tenantId, 1_772_409_630, make);
    expect(next.nonce).not.toBe(a.nonce);
    await store.pruneNonces(1_772_409_630);
    expect(await store.issuedNonce(a.nonce)).toBeNull();
    expect(await store.issuedNonce(next.nonce)).toEqual(next);
  });

  it('records a proposed correction, appends the matching correction event once, and refuses one not proposed', async () => {
    const contract = randomUUID();
    const checkIn = await append(contract, punch('check-in', 0, GENESIS_HASH, '2026-03-02T00:00:10Z', nonce(8)));
    expect(await codeOf(store.proposeCorrection(contract, { eventHash: `0x${'9'.repeat(64)}`, at: '2026-03-02T00:00:00Z', reason: 'x' }, 'admin'))).toBe('request.invalid');
    const proposal = await store.proposeCorrection(contract, { eventHash: checkIn.head.hash, at: '2026-03-01T23:50:00Z', reason: '태블릿 고장 / tablet broken' }, 'admin');
    expect(await store.pendingCorrections(contract)).toEqual([proposal]);
    const correction = (reason: string) => ({ seq: 1, kind: 'correction' as const, at: '2026-03-02T01:00:00Z', prevHash: checkIn.head.hash, corrects: { eventHash: checkIn.head.hash, at: '2026-03-01T23:50:00Z', reason } });
    expect(await codeOf(append(contract, correction('another reason')))).toBe('labor.correction-not-found');
    const signed = await append(contract, correction('태블릿 고장 / tablet broken'));
    expect(signed.head.seq).toBe(1);
    expect(await store.pendingCorrections(contract)).toEqual([]);
  });

  it('anchors each KST day\'s head of the new events once, under the employer tenant', async () => {
    const contract = randomUUID();
    const anchoring = new AttendanceAnchoring(dataSource, new AnchorQueue(), clock);
    await anchoring.anchorNewHeads();
    // 2 March 09:00–13:00 KST, then 3 March 09:00–10:00 KST.
    const a = await append(contract, punch('check-in', 0, GENESIS_HASH, '2026-03-02T00:00:10Z', nonce(10)));
    const b = await append(contract, punch('check-out', 1, a.head.hash, '2026-03-02T04:00:10Z', nonce(11)));
    const c = await append(contract, punch('check-in', 2, b.head.hash, '2026-03-03T00:00:10Z', nonce(12)));
    const queued = await anchoring.anchorNewHeads();
    expect(queued).toEqual([
      { contractId: contract, day: '2026-03-02', seq: 1, hash: b.head.hash },
      { contractId: contract, day: '2026-03-03', seq: 2, hash: c.head.hash },
    ]);
    expect(await anchoring.anchorNewHeads()).toEqual([]);
    const d = await append(contract, punch('check-out', 3, c.head.hash, '2026-03-03T01:00:10Z', nonce(13)));
    expect(await anchoring.anchorNewHeads()).toEqual([{ contractId: contract, day: '2026-03-03', seq: 3, hash: d.head.hash }]);
    const outbox = await dataSource.getRepository(AnchorOutboxEntity).find({ where: { kind: 'attendance-head', tenantId }, order: { seq: 'ASC' } });
    expect(outbox.map((row) => row.credentialHash).filter((h) => [b, c, d].some((x) => x.head.hash === h))).toEqual([b.head.hash, c.head.hash, d.head.hash]);
  });
});
