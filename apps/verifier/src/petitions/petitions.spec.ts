import { createHash } from 'node:crypto';
import { buildMerkleTree, type Hex32 } from '@citycred/anchoring';
import { describe, expect, it } from 'vitest';
import { dcqlQueryOf } from '../oid4vp/dcql.js';
import type { PresentedCredential } from '../policies/index.js';
import { PetitionAdmins } from './petition-admins.js';
import { petitionPolicy } from './petition-policy.js';
import { wantsPage } from './petitions.controller.js';
import { PetitionPseudonyms } from './pseudonyms.js';
import { refusalOf } from './refusal.js';
import { checkTally, signatureLeafOf, tallyOf, tallyStatementOf } from './tally.js';

const PETITION = '6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b';
const OTHER_PETITION = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const PERSON = '3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b';
const OTHER_PERSON = '9d2c1b0a-8f7e-4d6c-9b5a-4e3d2c1b0a9f';

describe('petition pseudonyms', () => {
  const pseudonyms = new PetitionPseudonyms(Buffer.alloc(32, 7));

  it('are stable per petition and person, unrelated across petitions, people and keys, and do not contain the personId', () => {
    const one = pseudonyms.of(PETITION, PERSON);
    expect(one).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pseudonyms.of(PETITION, PERSON)).toBe(one);
    expect(pseudonyms.of(OTHER_PETITION, PERSON)).not.toBe(one);
    expect(pseudonyms.of(PETITION, OTHER_PERSON)).not.toBe(one);
    expect(new PetitionPseudonyms(Buffer.alloc(32, 8)).of(PETITION, PERSON)).not.toBe(one);
    expect(one).not.toContain(PERSON.slice(0, 8));
    // Without the key, the plain hash of the same input is not the pseudonym.
    expect(createHash('sha256').update(`petition|${PETITION}|${PERSON}`).digest('base64url')).not.toBe(one);
  });

  it('refuses a short key', () => {
    expect(() => new PetitionPseudonyms(Buffer.alloc(16))).toThrow(RangeError);
  });
});

describe('petition tally', () => {
  const signature = (pseudonym: string, signedAt = '2026-11-30T10:00:00.000Z') => ({ pseudonym, signedAt, leafHash: signatureLeafOf(PETITION, pseudonym, signedAt) });

  it('orders leaves by pseudonym, whatever order the signatures come in, and roots them with the anchoring tree', () => {
    const signatures = [signature('c'), signature('a'), signature('b')];
    const tally = tallyOf(PETITION, signatures, '2026-12-01T00:00:00.000Z');
    expect(tally.count).toBe(3);
    expect(tally.leaves).toEqual(['a', 'b', 'c'].map((p) => signatureLeafOf(PETITION, p, '2026-11-30T10:00:00.000Z')));
    expect(tally.root).toBe(buildMerkleTree(tally.leaves).root);
    expect(tallyOf(PETITION, [...signatures].reverse(), '2026-12-01T00:00:00.000Z')).toEqual(tally);
    expect(tally.digest).toBe(`0x${createHash('sha256').update(tallyStatementOf(tally)).digest('hex')}`);
    expect(tallyStatementOf(tally)).toBe(`{"petitionId":"${PETITION}","count":3,"root":"${tally.root}","closedAt":"2026-12-01T00:00:00.000Z"}`);
    expect(checkTally(tally).every((check) => check.passed)).toBe(true);
  });

  it('has a null root and still a digest when nobody signed', () => {
    const tally = tallyOf(PETITION, [], '2026-12-01T00:00:00.000Z');
    expect(tally).toMatchObject({ count: 0, root: null, leaves: [] });
    expect(tally.digest).toMatch(/^0x[0-9a-f]{64}$/);
    expect(checkTally(tally).every((check) => check.passed)).toBe(true);
  });

  it('leaf hashes commit to the petition, the pseudonym and the time', () => {
    const leaf = signatureLeafOf(PETITION, 'a', '2026-11-30T10:00:00.000Z');
    expect(leaf).toMatch(/^0x[0-9a-f]{64}$/);
    expect(signatureLeafOf(OTHER_PETITION, 'a', '2026-11-30T10:00:00.000Z')).not.toBe(leaf);
    expect(signatureLeafOf(PETITION, 'b', '2026-11-30T10:00:00.000Z')).not.toBe(leaf);
    expect(signatureLeafOf(PETITION, 'a', '2026-11-30T10:00:00.001Z')).not.toBe(leaf);
  });

  it('a published tally that was altered fails its checks: a leaf added, dropped, duplicated or reordered, the count or the time changed', () => {
    const tally = tallyOf(PETITION, [signature('a'), signature('b'), signature('c')], '2026-12-01T00:00:00.000Z');
    const failed = (published: typeof tally) => checkTally(published).filter((c) => !c.passed).map((c) => c.id);
    expect(failed({ ...tally, leaves: [...tally.leaves, signature('d').leafHash as Hex32] })).toEqual(['count', 'root']);
    expect(failed({ ...tally, leaves: tally.leaves.slice(1) })).toEqual(['count', 'root']);
    expect(failed({ ...tally, leaves: [tally.leaves[0]!, tally.leaves[0]!, tally.leaves[2]!] })).toEqual(['distinct', 'root']);
    expect(failed({ ...tally, leaves: [tally.leaves[1]!, tally.leaves[0]!, tally.leaves[2]!] })).toEqual([]); // pairs are sorted: a swap within a pair keeps the root
    expect(failed({ ...tally, leaves: [tally.leaves[2]!, tally.leaves[1]!, tally.leaves[0]!] })).toEqual(['root']);
    expect(failed({ ...tally, count: 4 })).toEqual(['count', 'digest']);
    expect(failed({ ...tally, closedAt: '2026-12-02T00:00:00.000Z' })).toEqual(['digest']);
  });
});

describe('the petition signature policy', () => {
  const policy = petitionPolicy();
  const at = new Date('2026-11-30T03:00:00Z');
  const card = (claims: Record<string, unknown>): PresentedCredential => ({ hash: `0x${'1'.repeat(64)}`, type: 'SeoulCitizenCard', issuer: 'did:ethr:city:0x1', claims, issuedAt: new Date('2026-01-01T00:00:00Z'), validUntil: null });
  const seoul = { city: '서울특별시', district: '마포구' };

  it('asks the wallet for personId, ageOver19 and residence only (never the birth date or the name)', () => {
    expect(dcqlQueryOf(policy)).toEqual({
      credentials: [{ id: 'SeoulCitizenCard', format: 'dc+sd-jwt', meta: { vct_values: [expect.any(String)] }, claims: [{ path: ['personId'] }, { path: ['ageOver19'] }, { path: ['residence'] }] }],
    });
  });

  it('passes a Seoul resident aged 19 or over', () => {
    expect(policy.evaluate([card({ personId: PERSON, ageOver19: true, residence: seoul })], at).satisfied).toBe(true);
  });

  it('refuses under 19, a resident of another city, and a card that did not disclose its personId, each with its reason', () => {
    const reason = (claims: Record<string, unknown>) => policy.evaluate([card(claims)], at).criteria.find((c) => c.result === 'failed')?.reason.en;
    expect(reason({ personId: PERSON, ageOver19: false, residence: seoul })).toMatch(/under 19/);
    expect(reason({ personId: PERSON, ageOver19: true, residence: { city: '부산광역시', district: '해운대구' } })).toMatch(/does not live in Seoul/);
    expect(reason({ ageOver19: true, residence: seoul })).toMatch(/person identifier was not disclosed/);
    expect(reason({ personId: PERSON, ageOver19: true })).toMatch(/residence was not disclosed/);
  });
});

describe('petition refusals', () => {
  const base = { verified: false, errors: [], presentations: [] };
  const withStatus = (detail: string) => ({ ...base, presentations: [{ credentialQueryId: 'SeoulCitizenCard', verified: false, checks: [], errors: [], warnings: [], credentials: [{ verified: false, errors: [], warnings: [], checks: [{ id: 'status', status: 'failed' as const, detail }] }] }] });

  it('names a revoked or suspended card, the wallet declining, and the failed rule', () => {
    expect(refusalOf(withStatus('revoked by its issuer') as never).code).toBe('petition.card-revoked');
    expect(refusalOf(withStatus('suspended by its issuer') as never).code).toBe('petition.card-suspended');
    expect(refusalOf(withStatus('the status list could not be fetched') as never).code).toBe('petition.card-not-verified');
    expect(refusalOf({ ...base, walletError: { error: 'access_denied' } }).code).toBe('petition.declined');
    const decision = petitionPolicy().evaluate([{ hash: `0x${'1'.repeat(64)}`, type: 'SeoulCitizenCard', issuer: 'x', claims: { personId: PERSON, ageOver19: false, residence: { city: '서울특별시' } }, issuedAt: new Date('2026-01-01'), validUntil: null }], new Date('2026-06-01'));
    expect(refusalOf({ ...base, decision })).toMatchObject({ code: 'petition.not-eligible', reason: { en: expect.stringMatching(/under 19/) } });
  });
});

describe('petition administrators', () => {
  const admins = new PetitionAdmins({ 'audit-office': 'k'.repeat(40), 'mayor-office': 'm'.repeat(40) });

  it('knows a key by its label, and refuses a missing or unknown one', () => {
    expect(admins.authenticate(`Bearer ${'k'.repeat(40)}`)).toBe('audit-office');
    expect(admins.authenticate(`bearer ${'m'.repeat(40)}`)).toBe('mayor-office');
    expect(() => admins.authenticate(undefined)).toThrow(expect.objectContaining({ code: 'auth.missing-api-key' }));
    expect(() => admins.authenticate('Basic abc')).toThrow(expect.objectContaining({ code: 'auth.missing-api-key' }));
    expect(() => admins.authenticate(`Bearer ${'x'.repeat(40)}`)).toThrow(expect.objectContaining({ code: 'auth.invalid-api-key' }));
    expect(() => new PetitionAdmins({}).authenticate(`Bearer ${'k'.repeat(40)}`)).toThrow(expect.objectContaining({ code: 'auth.invalid-api-key' }));
  });
});

describe('the petition page or its JSON', () => {
  it('serves the page to a browser navigating, JSON otherwise', () => {
    expect(wantsPage('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe(true);
    expect(wantsPage(undefined)).toBe(false);
    expect(wantsPage('*/*')).toBe(false);
    expect(wantsPage('application/json')).toBe(false);
    expect(wantsPage('application/json, text/html')).toBe(false);
  });
});

describe('PETITION_ADMIN_KEYS', () => {
  it('is parsed as label → key, and a malformed value is refused without repeating it', async () => {
    const { loadVerifierConfig } = await import('../config.js');
    expect(loadVerifierConfig({}).PETITION_ADMIN_KEYS).toEqual({});
    expect(loadVerifierConfig({ PETITION_ADMIN_KEYS: ` audit-office=${'k'.repeat(32)} , mayor=${'m'.repeat(40)}` }).PETITION_ADMIN_KEYS).toEqual({ 'audit-office': 'k'.repeat(32), mayor: 'm'.repeat(40) });
    for (const bad of [`audit-office=${'k'.repeat(31)}`, `Audit=${'k'.repeat(32)}`, `a=${'k'.repeat(32)},a=${'m'.repeat(32)}`, 'k'.repeat(40), `a=${'k'.repeat(31)} x`]) {
      let message = '';
      try {
        loadVerifierConfig({ PETITION_ADMIN_KEYS: bad });
      } catch (error) {
        message = String(error);
      }
      expect(message, bad).toMatch(/PETITION_ADMIN_KEYS/);
      expect(message).not.toContain('kkkkkkkk');
    }
  });
});
