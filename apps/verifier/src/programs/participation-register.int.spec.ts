import { FixedClock } from '@citycred/config';
import { createVerifierDataSource, openDatabase } from '@citycred/persistence';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OID4VP_ENTITIES, OID4VP_MIGRATIONS } from '../oid4vp/schema.js';
import { loadRequestSigningKey } from '../oid4vp/request-signing-key.js';
import { parsePrograms, programPolicy, type PresentedCredential } from '../policies/index.js';
import { PRESENTATION_ENTITIES, PRESENTATION_MIGRATIONS } from '../presentations/schema.js';
import { DecisionReceipts, presentationHashOf, verifyDecisionReceipt } from './decision-receipts.js';
import { loadParticipationSecret, ParticipationPseudonyms, ParticipationRegister } from './participation-register.js';
import { PolicyDecisions } from './policy-decisions.js';
import { PROGRAM_ENTITIES, PROGRAM_MIGRATIONS } from './schema.js';

/**
 * Prior participation without a register of people, on the real database (SQLite, or PostgreSQL when DATABASE_URL is
 * set): what is stored, what is decided, and the receipt of each decision.
 */
describe('program participations and decision receipts', () => {
  const clock = new FixedClock(new Date('2026-06-01T01:00:00Z'));
  const PERSON = '3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b';
  const OTHER = '9d2c1b0a-8f7e-4d6c-9b5a-4e3d2c1b0a9f';
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = testDatabase('program_participations');
    dataSource = await openDatabase(
      createVerifierDataSource(
        { url: db.url, schema: db.schema, sqlitePath: db.sqlitePath },
        { entities: [...PRESENTATION_ENTITIES, ...OID4VP_ENTITIES, ...PROGRAM_ENTITIES], migrations: [...PRESENTATION_MIGRATIONS, ...OID4VP_MIGRATIONS, ...PROGRAM_MIGRATIONS] },
      ),
    );
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const rows = () => dataSource.query('SELECT "program", "pseudonym", "config_version", "decided_at" FROM "program_participations" ORDER BY "program"') as Promise<Array<Record<string, string>>>;

  it('stores a keyed pseudonym, never the personId, different in each program and under each secret', async () => {
    const secret = await loadParticipationSecret(dataSource, clock);
    expect(await loadParticipationSecret(dataSource, clock)).toEqual(secret);
    const register = new ParticipationRegister(dataSource, new ParticipationPseudonyms(secret));
    expect(await register.record('youth-allowance-2026', PERSON, '2026.1', clock.now())).toBe('recorded');
    expect(await register.record('youth-rent-support-2026', PERSON, '2026.1', clock.now())).toBe('recorded');
    expect(await register.record('youth-allowance-2026', PERSON, '2026.1', clock.now())).toBe('already');

    const stored = await rows();
    expect(stored).toHaveLength(2);
    const everything = JSON.stringify(stored);
    expect(everything).not.toContain(PERSON);
    expect(everything).not.toContain(PERSON.replaceAll('-', ''));
    for (const row of stored) expect(row.pseudonym).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]!.pseudonym).not.toBe(stored[1]!.pseudonym);
    expect(stored.map((row) => [row.program, row.config_version, row.decided_at])).toEqual([
      ['youth-allowance-2026', '2026.1', '2026-06-01T01:00:00.000Z'],
      ['youth-rent-support-2026', '2026.1', '2026-06-01T01:00:00.000Z'],
    ]);
    // Another secret gives other pseudonyms: a copy of the table is no list of people without it.
    expect(new ParticipationPseudonyms(new Uint8Array(32).fill(7)).of('youth-allowance-2026', PERSON)).not.toBe(stored[0]!.pseudonym);

    expect(await register.participated('youth-allowance-2026', [PERSON, OTHER])).toEqual(new Set([PERSON]));
    expect(await register.participated('youth-allowance-2026', [])).toEqual(new Set());
  });

  it('records an eligible decision, refuses the same person next time, and signs a receipt for both', async () => {
    const [program] = parsePrograms({
      programs: [
        {
          id: 'test-allowance', configVersion: '1.2', programYear: 2026, title: { ko: '시험 수당', en: 'Test allowance' }, purpose: { ko: '시험', en: 'Test' },
          benefit: { monthlyAmountKrw: 100000, months: 2 }, criteria: [{ kind: 'seoul-resident' }, { kind: 'first-participation' }],
        },
      ],
    });
    const policy = programPolicy(program!);
    const key = await loadRequestSigningKey(dataSource, clock);
    const decisions = new PolicyDecisions(new ParticipationRegister(dataSource, new ParticipationPseudonyms(await loadParticipationSecret(dataSource, clock))), new DecisionReceipts(key), clock);
    const card = (personId: string): PresentedCredential => ({
      hash: `0x${'c'.repeat(64)}`, type: 'SeoulCitizenCard', issuer: 'did:ethr:citycred:0x1', claims: { personId, residence: { city: '서울특별시', district: '마포구' } },
      issuedAt: new Date('2026-01-01T00:00:00Z'), validUntil: null, holder: { id: 'did:jwk:holder' },
    });
    const presentationHash = presentationHashOf('eyJ.presentation~');

    const first = await decisions.decide(policy, [card(PERSON)], presentationHash);
    expect(first.decision.satisfied).toBe(true);
    const second = await decisions.decide(policy, [card(PERSON)], presentationHash);
    expect(second.decision.satisfied).toBe(false);
    expect(second.decision.criteria.find((c) => c.id === 'participation.first-time')).toMatchObject({ result: 'failed', evidenceHash: `0x${'c'.repeat(64)}` });
    expect((await decisions.decide(policy, [card(OTHER)], presentationHash)).decision.satisfied).toBe(true);
    expect((await rows()).filter((row) => row.program === 'test-allowance')).toHaveLength(2);

    for (const { decision, receipt } of [first, second]) {
      const verified = await verifyDecisionReceipt(receipt, key.did);
      expect(verified.valid).toBe(true);
      if (!verified.valid) continue;
      expect(verified.payload).toMatchObject({
        iss: key.did, decidedAt: '2026-06-01T01:00:00.000Z', policy: { id: 'test-allowance', version: '1' },
        program: { id: 'test-allowance', configVersion: '1.2' }, satisfied: decision.satisfied, presentationHash,
      });
      expect(verified.payload.criteria).toEqual(decision.criteria.map(({ id, result, reason, evidenceHash }) => ({ id, result, reason, evidenceHash })));
      // No claim value travels in a receipt.
      expect(Buffer.from(receipt.split('.')[1]!, 'base64url').toString()).not.toMatch(new RegExp(`${PERSON}|마포구|서울특별시"`));
    }
    const [header, payload] = first.receipt.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), satisfied: false })).toString('base64url')}.${first.receipt.split('.')[2]}`;
    expect(await verifyDecisionReceipt(tampered, key.did)).toEqual({ valid: false, reason: 'receipt.signature-invalid' });
    expect(await verifyDecisionReceipt(first.receipt, 'did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImUtYnV0TUgzTkR3Y2ZMMXZwTnVoa1pBMnRqZVAyOFRiNkZXY2haWTA5d00iLCJ5IjoiWmpqdnFPSzliUWVNc0JyTFJwOGVtdU9HdnBXSXd1MFo4a21Rc2lUemxoVSJ9')).toMatchObject({ valid: false });
  });
});
