import { FixedClock } from '@citycred/config';
import { createVerifierDataSource, openDatabase } from '@citycred/persistence';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PetitionStore } from './petition-store.js';
import { loadPetitionKey, PetitionPseudonyms } from './pseudonyms.js';
import { PETITION_ENTITIES, PETITION_MIGRATIONS } from './schema.js';
import { checkTally, signatureLeafOf } from './tally.js';

/**
 * The petitions' storage on the real database (SQLite, or PostgreSQL when DATABASE_URL is set): what a signature
 * stores, the unique (petition, pseudonym) index under concurrent double signing, signing against closing.
 */
describe('petition store', () => {
  const clock = new FixedClock(new Date('2026-11-30T01:00:00Z'));
  const PERSON = '3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b';
  let db: TestDatabase;
  let dataSource: DataSource;
  let store: PetitionStore;
  let pseudonyms: PetitionPseudonyms;
  let requests = 0;

  beforeAll(async () => {
    db = testDatabase('petitions');
    dataSource = await openDatabase(createVerifierDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }, { entities: [...PETITION_ENTITIES], migrations: [...PETITION_MIGRATIONS] }));
    store = new PetitionStore(dataSource);
    pseudonyms = new PetitionPseudonyms(await loadPetitionKey(dataSource, clock));
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const open = (deadline = '2026-12-31T15:00:00.000Z') => store.open({ title: '청구', description: '설명', threshold: 2, deadline, openedBy: 'audit-office', createdAt: clock.now().toISOString() });
  const request = async (petitionId: string) => {
    requests += 1;
    const id = `00000000-0000-4000-8000-${String(requests).padStart(12, '0')}`;
    await store.addRequest(id, petitionId, clock.now().toISOString());
    return { id, petitionId };
  };
  const signAs = async (petitionId: string, personId: string, signedAt = clock.now().toISOString()) => {
    const pseudonym = pseudonyms.of(petitionId, personId);
    return store.sign(await request(petitionId), { pseudonym, signedAt, leafHash: signatureLeafOf(petitionId, pseudonym, signedAt) });
  };

  it('keeps its pseudonym key, made once', async () => {
    expect(await loadPetitionKey(dataSource, clock)).toEqual(await loadPetitionKey(dataSource, clock));
    expect(await loadPetitionKey(dataSource, clock, 'ab'.repeat(32))).toEqual(Buffer.from('ab'.repeat(32), 'hex'));
  });

  it('stores a pseudonym, a time and a leaf hash per signature — no personId — and counts each person once', async () => {
    const petition = await open();
    expect(await signAs(petition.id, PERSON)).toBe('signed');
    expect(await signAs(petition.id, PERSON)).toBe('already-signed');
    expect(await signAs(petition.id, 'another-person')).toBe('signed');
    expect((await store.find(petition.id))!.signatureCount).toBe(2);
    const rows = (await dataSource.query('SELECT * FROM petition_signatures WHERE petition_id = $1'.replace('$1', dataSource.options.type === 'postgres' ? '$1' : '?'), [petition.id])) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0]!).sort()).toEqual(['id', 'leaf_hash', 'petition_id', 'pseudonym', 'signed_at']);
    expect(JSON.stringify(rows)).not.toContain(PERSON);
    // The same person signs another petition: another pseudonym, counted there.
    const other = await open();
    expect(await signAs(other.id, PERSON)).toBe('signed');
  });

  it('lets one of many concurrent signatures by the same person land (the unique index), and settles a request once', async () => {
    const petition = await open();
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => signAs(petition.id, PERSON)));
    expect(outcomes.filter((o) => o === 'signed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'already-signed')).toHaveLength(5);
    expect((await store.find(petition.id))!.signatureCount).toBe(1);

    const once = await request(petition.id);
    const pseudonym = pseudonyms.of(petition.id, 'twice');
    const signature = { pseudonym, signedAt: clock.now().toISOString(), leafHash: signatureLeafOf(petition.id, pseudonym, clock.now().toISOString()) };
    const twice = await Promise.all([store.sign(once, signature), store.sign(once, signature)]);
    expect(twice.sort()).toEqual(['settled', 'signed']);
    expect((await store.findRequest(once.id))!.outcome).toBe('signed');
  });

  it('refuses signatures at or after the deadline and after closing; closing computes the tally once, over what was signed', async () => {
    const petition = await open('2026-11-30T02:00:00.000Z');
    expect(await signAs(petition.id, 'a')).toBe('signed');
    expect(await signAs(petition.id, 'b', '2026-11-30T02:00:00.000Z')).toBe('closed');
    expect(await store.dueForClosing('2026-11-30T01:59:59.999Z')).not.toContain(petition.id);
    expect(await store.dueForClosing('2026-11-30T02:00:00.000Z')).toContain(petition.id);

    const early = await open();
    const concurrent = await Promise.all([signAs(early.id, 'c'), signAs(early.id, 'd'), store.close(early.id, clock.now().toISOString(), 'official'), signAs(early.id, 'e')]);
    const closed = (await store.find(early.id))!;
    expect(closed).toMatchObject({ state: 'closed', closedBy: 'official' });
    const signed = concurrent.filter((o) => o === 'signed').length;
    expect(closed.signatureCount).toBe(signed);
    const tally = await store.tally(closed);
    expect(tally.count).toBe(signed);
    expect(tally.root).toBe(closed.tallyRoot);
    expect(tally.digest).toBe(closed.tallyDigest);
    expect(checkTally(tally).every((c) => c.passed)).toBe(true);
    expect(await signAs(early.id, 'f')).toBe('closed');
    // Closing again changes nothing.
    clock.advance(60_000);
    expect(await store.close(early.id, clock.now().toISOString(), 'deadline')).toMatchObject({ closedAt: closed.closedAt, closedBy: 'official', tallyDigest: closed.tallyDigest });
  });

  it('closes together with what is done at closing (the digest enqueued for anchoring): a failure there leaves the petition open', async () => {
    const petition = await open();
    expect(await signAs(petition.id, 'g')).toBe('signed');
    await expect(store.close(petition.id, clock.now().toISOString(), 'official', async () => Promise.reject(new Error('outbox down')))).rejects.toThrow('outbox down');
    expect(await store.find(petition.id)).toMatchObject({ state: 'open', closedAt: null, tallyDigest: null, signatureCount: 1 });
    const seen: string[] = [];
    const closed = await store.close(petition.id, clock.now().toISOString(), 'official', async (_manager, tally) => {
      seen.push(tally.digest);
    });
    expect(seen).toEqual([closed!.tallyDigest]);
  });
});
