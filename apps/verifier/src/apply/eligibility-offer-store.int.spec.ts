import { FixedClock } from '@citycred/config';
import { createVerifierDataSource, openDatabase } from '@citycred/persistence';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EligibilityOfferStore, type OfferClaim } from './eligibility-offer-store.js';
import { PresentationRequestEntity } from '../oid4vp/presentation-request.entity.js';
import { OID4VP_ENTITIES, OID4VP_MIGRATIONS } from '../oid4vp/schema.js';
import { APPLY_ENTITIES, APPLY_MIGRATIONS } from './schema.js';

/** One eligibility offer per application, whichever request asks first, on the real database (SQLite or PostgreSQL). */
describe('EligibilityOfferStore', () => {
  const clock = new FixedClock(new Date('2026-06-01T01:00:00Z'));
  const offer = { offerId: '99999999-9999-4999-8999-999999999999', offerLink: 'openid-credential-offer://?credential_offer_uri=x', txCode: '042917', expiresAt: '2026-06-01T01:10:00.000Z' };
  let db: TestDatabase;
  let dataSource: DataSource;
  let store: EligibilityOfferStore;

  beforeAll(async () => {
    db = testDatabase('eligibility_offers');
    dataSource = await openDatabase(createVerifierDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }, { entities: [...OID4VP_ENTITIES, ...APPLY_ENTITIES], migrations: [...OID4VP_MIGRATIONS, ...APPLY_MIGRATIONS] }));
    store = new EligibilityOfferStore(dataSource, clock);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const claimedAt = (claim: OfferClaim) => (claim.kind === 'claimed' ? claim.claimedAt : expect.fail(`not claimed: ${claim.kind}`));

  it('lets one of two requests at once make the offer, then answers the offer made', async () => {
    const claims = await Promise.all([store.claim('11111111-1111-4111-8111-111111111111', 'p'), store.claim('11111111-1111-4111-8111-111111111111', 'p')]);
    expect(claims.map((c) => c.kind).sort()).toEqual(['claimed', 'in-progress']);
    expect(await store.offered('11111111-1111-4111-8111-111111111111', claimedAt(claims.find((c) => c.kind === 'claimed')!), offer)).toBe(true);
    expect(await store.claim('11111111-1111-4111-8111-111111111111', 'p')).toEqual({ kind: 'offered', offer });
  });

  it('gives a claim back when the issuer failed, takes over a claim left by a process that died, and records only the live claim’s offer', async () => {
    const id = '22222222-2222-4222-8222-222222222222';
    const first = claimedAt(await store.claim(id, 'p'));
    await store.release(id, first);
    const second = claimedAt(await store.claim(id, 'p'));
    expect((await store.claim(id, 'p')).kind).toBe('in-progress');
    clock.set(new Date(clock.now().getTime() + 31_000));
    const third = claimedAt(await store.claim(id, 'p'));
    expect((await store.claim(id, 'p')).kind).toBe('in-progress');
    // The request that outlived its claim neither records its offer nor gives the other's claim back.
    expect(await store.offered(id, second, offer)).toBe(false);
    await store.release(id, second);
    expect((await store.claim(id, 'p')).kind).toBe('in-progress');
    expect(await store.offered(id, third, offer)).toBe(true);
  });

  it('answers an expired offer as lapsed; one of two requests re-claims it for a new offer, and a received one is never offered again', async () => {
    const id = '44444444-4444-4444-8444-444444444444';
    clock.set(new Date('2026-06-01T02:00:00Z'));
    const expiring = { ...offer, expiresAt: '2026-06-01T02:10:00.000Z' };
    await store.offered(id, claimedAt(await store.claim(id, 'p')), expiring);
    clock.set(new Date('2026-06-01T02:10:00Z'));
    expect(await store.claim(id, 'p')).toEqual({ kind: 'lapsed', offer: expiring });
    const reclaims = await Promise.all([store.reclaim(id, offer.offerId), store.reclaim(id, offer.offerId)]);
    expect(reclaims.map((c) => c.kind).sort()).toEqual(['claimed', 'in-progress']);
    expect((await store.claim(id, 'p')).kind).toBe('in-progress');
    const renewed = { offerId: '88888888-8888-4888-8888-888888888888', offerLink: 'openid-credential-offer://?credential_offer_uri=y', txCode: '555111', expiresAt: '2026-06-01T02:20:00.000Z' };
    expect(await store.offered(id, claimedAt(reclaims.find((c) => c.kind === 'claimed')!), renewed)).toBe(true);
    expect(await store.claim(id, 'p')).toEqual({ kind: 'offered', offer: renewed });
    // The old offer's id no longer names the recorded offer: a late request cannot re-claim or mark it.
    expect((await store.reclaim(id, offer.offerId)).kind).toBe('in-progress');
    await store.received(id, offer.offerId);
    expect((await store.claim(id, 'p')).kind).toBe('offered');

    clock.set(new Date('2026-06-01T02:21:00Z'));
    await store.received(id, renewed.offerId);
    expect(await store.claim(id, 'p')).toEqual({ kind: 'received' });
    expect((await store.reclaim(id, renewed.offerId)).kind).toBe('in-progress');
    const [row] = (await dataSource.query(`SELECT "offer_link", "tx_code" FROM "program_eligibility_offers" WHERE "application" = '${id}'`)) as Array<Record<string, unknown>>;
    expect(row).toEqual({ offer_link: null, tx_code: null });
  });

  it('deletes offers a day after they expired once their application is gone, never while it can still be looked up', async () => {
    // 22222222's application (its presentation request) is still stored: its row stays, or a redeemed offer would be
    // forgotten and offered again.
    const still = '22222222-2222-4222-8222-222222222222';
    await dataSource.getRepository(PresentationRequestEntity).insert({
      id: still, walletHandle: 'h'.repeat(43), responseMode: 'direct_post.jwt', responseKey: null, policyId: 'p', policyVersion: '1', purpose: null,
      nonce: 'n', oauthState: 's', responseUri: 'https://v.example/r', dcqlQuery: '{}', state: 'fulfilled',
      createdAt: '2026-06-01T01:00:00.000Z', expiresAt: '2026-06-01T01:05:00.000Z', settledAt: '2026-06-01T01:01:00.000Z', result: null,
    });
    clock.set(new Date('2026-06-03T00:00:00Z'));
    await store.claim('33333333-3333-4333-8333-333333333333', 'p');
    const rows = (await dataSource.query('SELECT "application" FROM "program_eligibility_offers" ORDER BY "application"')) as Array<{ application: string }>;
    // 11111111's offer expired 2026-06-01T01:10 and 44444444's at 02:20, their applications gone: both deleted.
    expect(rows.map((row) => row.application)).toEqual([still, '33333333-3333-4333-8333-333333333333']);

    await dataSource.getRepository(PresentationRequestEntity).delete({ id: still });
    await store.claim('55555555-5555-4555-8555-555555555555', 'p');
    const after = (await dataSource.query('SELECT "application" FROM "program_eligibility_offers" ORDER BY "application"')) as Array<{ application: string }>;
    expect(after.map((row) => row.application)).toEqual(['33333333-3333-4333-8333-333333333333', '55555555-5555-4555-8555-555555555555']);
  });
});
