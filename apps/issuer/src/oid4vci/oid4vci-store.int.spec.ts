import { randomUUID } from 'node:crypto';
import { FixedClock } from '@citycred/config';
import { createIssuerDataSource, Oid4vciAccessTokenEntity, Oid4vciBulkJobEntity, Oid4vciOfferEntity, openDatabase } from '@citycred/persistence';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_JOB_TTL_MS } from './oid4vci-bulk-offers.js';
import { Oid4vciStore } from './oid4vci-store.js';
import { ACCESS_TOKEN_TTL_SECONDS, NONCE_TTL_SECONDS } from './oid4vci.service.js';

/**
 * Expiry of the OpenID4VCI rows, medium tier: the store on a real issuer database (SQLite, or PostgreSQL with
 * DATABASE_URL), nothing else booted; a FixedClock crosses the expiries. The protocol itself is tested end to end
 * against the real issuer in test/e2e/oid4vci.e2e.spec.ts.
 */
describe('Oid4vciStore.deleteExpired', () => {
  const OFFER_TTL_MS = 600_000;
  const clock = new FixedClock('2026-05-04T09:00:00Z');
  const tenantId = randomUUID();
  let db: TestDatabase;
  let dataSource: DataSource;
  let store: Oid4vciStore;

  beforeAll(async () => {
    db = testDatabase('oid4vci_store');
    dataSource = await openDatabase(createIssuerDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }));
    store = new Oid4vciStore(dataSource, clock);
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  const later = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();
  const addOffer = async (lifetimeMs = OFFER_TTL_MS) => {
    const id = randomUUID();
    await store.addOffer({
      id,
      tenantId,
      credentialConfigurationId: 'SeoulCitizenCard_jwt_vc_json',
      claims: JSON.stringify({ name: '김서연' }),
      preAuthorizedCodeHash: randomUUID().replaceAll('-', '').padEnd(64, '0'),
      txCodeHash: null,
      txCodeFailures: 0,
      state: 'offered',
      createdBy: 'api-key:ccd_test',
      bulkJobId: null,
      createdAt: clock.now().toISOString(),
      expiresAt: later(lifetimeMs),
      redeemedAt: null,
      issuedAt: null,
      credentialIds: null,
      holderDid: null,
    });
    return id;
  };
  const redeem = async (offerId: string) => {
    const tokenHash = randomUUID().replaceAll('-', '').padEnd(64, '1');
    expect(await store.redeem(offerId, { tokenHash, tenantId, offerId, expiresAt: later(ACCESS_TOKEN_TTL_SECONDS * 1000), usedAt: null })).toBe(true);
    return tokenHash;
  };

  it('deletes expired nonces, access tokens, job reports and unused offers, and keeps issued offers without claims', async () => {
    const issued = await addOffer();
    await redeem(issued);
    await store.markIssued(issued, ['urn:uuid:00000000-0000-4000-8000-000000000001']);
    const redeemedOnly = await addOffer();
    const liveToken = await redeem(redeemedOnly);
    const unused = await addOffer();
    const nonce = randomUUID();
    await store.addNonce({ nonce, tenantId, expiresAt: later(NONCE_TTL_SECONDS * 1000), usedAt: null });
    const jobId = randomUUID();
    await store.addBulkJob({ id: jobId, tenantId, state: 'done', total: 0, processed: 0, report: '[]', createdAt: clock.now().toISOString(), expiresAt: later(BULK_JOB_TTL_MS) });
    const offers = dataSource.getRepository(Oid4vciOfferEntity);
    const tokens = dataSource.getRepository(Oid4vciAccessTokenEntity);

    expect(await store.deleteExpired(ACCESS_TOKEN_TTL_SECONDS * 1000), 'nothing has expired yet').toEqual({ offers: 0, accessTokens: 0, nonces: 0, bulkJobs: 0 });

    clock.advance(OFFER_TTL_MS + 1_000);
    expect(await store.deleteExpired(ACCESS_TOKEN_TTL_SECONDS * 1000)).toEqual({ offers: 0, accessTokens: 2, nonces: 1, bulkJobs: 0 });
    expect(await offers.findOneBy({ id: unused }), 'an offer stays while a token of its kind could be live').not.toBeNull();
    expect(await store.nonce(tenantId, nonce), 'the nonce expired 5 minutes after it was given').toBeNull();
    expect(await tokens.findOneBy({ tokenHash: liveToken })).toBeNull();

    clock.advance(ACCESS_TOKEN_TTL_SECONDS * 1000);
    expect(await store.deleteExpired(ACCESS_TOKEN_TTL_SECONDS * 1000)).toEqual({ offers: 2, accessTokens: 0, nonces: 0, bulkJobs: 0 });
    expect(await offers.findOneBy({ id: unused })).toBeNull();
    expect(await offers.findOneBy({ id: redeemedOnly })).toBeNull();
    expect(await offers.findOneBy({ id: issued })).toMatchObject({ state: 'issued', claims: null });

    clock.advance(BULK_JOB_TTL_MS);
    expect(await store.deleteExpired(ACCESS_TOKEN_TTL_SECONDS * 1000)).toMatchObject({ bulkJobs: 1 });
    expect(await dataSource.getRepository(Oid4vciBulkJobEntity).findOneBy({ id: jobId })).toBeNull();
    expect(await offers.findOneBy({ id: issued }), 'issued offers stay as the link to their credentials').not.toBeNull();
  });

  it('keeps a bulk offer of 7 days until it has expired, past its job report’s 24 hours', async () => {
    const WEEK_MS = 7 * 24 * 3600 * 1000;
    const offerId = await addOffer(WEEK_MS);
    const jobId = randomUUID();
    await store.addBulkJob({ id: jobId, tenantId, state: 'done', total: 1, processed: 1, report: '[]', createdAt: clock.now().toISOString(), expiresAt: later(BULK_JOB_TTL_MS) });
    const offers = dataSource.getRepository(Oid4vciOfferEntity);

    clock.advance(BULK_JOB_TTL_MS + 1_000);
    expect(await store.deleteExpired(ACCESS_TOKEN_TTL_SECONDS * 1000)).toMatchObject({ offers: 0, bulkJobs: 1 });
    expect(await offers.findOneBy({ id: offerId }), 'the offer outlives a job report that expired before it').toMatchObject({ state: 'offered' });
    expect(await store.redeem(offerId, { tokenHash: randomUUID().replaceAll('-', '').padEnd(64, '2'), tenantId, offerId, expiresAt: later(60_000), usedAt: null })).toBe(true);

    const unused = await addOffer(WEEK_MS);
    clock.advance(WEEK_MS - 60_000);
    await store.deleteExpired(ACCESS_TOKEN_TTL_SECONDS * 1000);
    expect(await offers.findOneBy({ id: unused }), 'a minute before its expiry, 8 days on').toMatchObject({ state: 'offered' });
    clock.advance(60_000 + ACCESS_TOKEN_TTL_SECONDS * 1000 + 1_000);
    await store.deleteExpired(ACCESS_TOKEN_TTL_SECONDS * 1000);
    expect(await offers.findOneBy({ id: unused }), 'deleted once it expired and no token of its can be live').toBeNull();
  });
});

describe('Oid4vciStore transaction-code attempts', () => {
  const clock = new FixedClock('2026-05-04T09:00:00Z');
  const tenantId = randomUUID();
  let db: TestDatabase;
  let dataSource: DataSource;
  let store: Oid4vciStore;

  beforeAll(async () => {
    db = testDatabase('oid4vci_attempts');
    dataSource = await openDatabase(createIssuerDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }));
    store = new Oid4vciStore(dataSource, clock);
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  const addOffer = async () => {
    const id = randomUUID();
    await store.addOffer({
      id,
      tenantId,
      credentialConfigurationId: 'SeoulCitizenCard_jwt_vc_json',
      claims: '{}',
      preAuthorizedCodeHash: randomUUID().replaceAll('-', '').padEnd(64, '0'),
      txCodeHash: 'f'.repeat(64),
      txCodeFailures: 0,
      state: 'offered',
      createdBy: 'api-key:ccd_test',
      bulkJobId: null,
      createdAt: clock.now().toISOString(),
      expiresAt: new Date(clock.now().getTime() + 7 * 24 * 3600 * 1000).toISOString(),
      redeemedAt: null,
      issuedAt: null,
      credentialIds: null,
      holderDid: null,
    });
    return id;
  };

  it('lets no more than the limit of codes be compared however many requests race, and burns the offer then', async () => {
    const offerId = await addOffer();
    const taken = await Promise.all(Array.from({ length: 12 }, () => store.takeTxCodeAttempt(offerId, 5)));
    expect(taken.filter(Boolean)).toHaveLength(5);
    expect(await store.burnIfNoAttemptLeft(offerId, 5)).toBe('burnt');
    expect(await store.takeTxCodeAttempt(offerId, 5), 'a burnt offer compares no code').toBe(false);
  });

  it('counts only wrong codes: a right code gives its attempt back, and a wrong one below the limit leaves the offer waiting', async () => {
    const offerId = await addOffer();
    expect(await store.takeTxCodeAttempt(offerId, 5)).toBe(true);
    expect(await store.burnIfNoAttemptLeft(offerId, 5)).toBe('offered');
    expect(await store.takeTxCodeAttempt(offerId, 5)).toBe(true);
    await store.giveBackTxCodeAttempt(offerId);
    expect(await dataSource.getRepository(Oid4vciOfferEntity).findOneBy({ id: offerId })).toMatchObject({ state: 'offered', txCodeFailures: 1 });
  });
});
