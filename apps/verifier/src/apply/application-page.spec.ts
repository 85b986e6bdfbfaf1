import { readFileSync } from 'node:fs';
import { validateCredentialSubject } from '@citycred/credentials';
import { describe, expect, it } from 'vitest';
import { dcqlQueryOf } from '../oid4vp/dcql.js';
import { parsePrograms, programPolicy, type PolicyDecision, type ProgramConfig } from '../policies/index.js';
import { applicationPageOf, applicationPagesOf } from './application-page.js';
import { eligibilityClaimsOf } from './eligibility-claims.js';
import { walletPresentLink, walletReceiveLink } from '@citycred/credentials/wallet-links';

const FILE = JSON.parse(readFileSync(new URL('../../../../config/programs.json', import.meta.url), 'utf8')) as { programs: Array<Record<string, unknown>> };
const PROGRAMS = parsePrograms(FILE);
const pages = applicationPagesOf(PROGRAMS, (id) => programPolicy(PROGRAMS.find((p) => p.id === id)!));
const youth = pages.get('youth-allowance')!;
const rent = pages.get('youth-rent-support')!;
const withChange = (change: (program: Record<string, unknown>) => Record<string, unknown>): ProgramConfig => parsePrograms({ programs: [change(structuredClone(FILE.programs[0]!))] })[0]!;

describe('application pages derived from the programs’ configuration', () => {
  it('gives each program with a page its page, under its slug', () => {
    expect([...pages.keys()]).toEqual(['youth-allowance', 'youth-rent-support']);
    expect(youth).toMatchObject({ program: 'youth-allowance-2026', programYear: 2026, benefit: { monthlyAmountKrw: 500000, months: 6 }, title: { ko: '2026 서울시 청년수당' } });
    expect(rent).toMatchObject({ program: 'youth-rent-support-2026', benefit: { monthlyAmountKrw: 200000, months: 12 } });
    const { page: _page, ...withoutPage } = FILE.programs[0]!;
    const unpaged = parsePrograms({ programs: [withoutPage] })[0]!;
    expect(applicationPageOf(unpaged, programPolicy(unpaged))).toBeUndefined();
    expect(applicationPagesOf([unpaged], () => programPolicy(unpaged)).size).toBe(0);
  });

  it('lists the criteria exactly as the program’s decisions list them, in order', () => {
    for (const [program, page] of [[PROGRAMS[0]!, youth], [PROGRAMS[1]!, rent]] as const) {
      const decided = programPolicy(program).evaluate([], new Date('2026-06-01T00:00:00Z'), { priorParticipation: () => false });
      expect(page.criteria.map((c) => c.id)).toEqual(decided.criteria.map((c) => c.id));
    }
  });

  it('states each condition with the configured thresholds, and follows a change of them', () => {
    const text = (id: string) => youth.criteria.find((c) => c.id === id)!.text;
    expect(text('age-range')).toEqual({ ko: '신청일 기준 만 19세 이상 34세 이하', en: 'Aged 19 to 34 on the day you apply' });
    expect(text('income.household-median').ko).toBe('가구 소득이 기준 중위소득의 150% 이하');
    expect(text('employment.limited').en).toBe('Not insured as an employee, or working fewer than 30 hours a week, or on a contract shorter than 3 months');
    expect(rent.criteria.find((c) => c.id === 'rental.within-caps')!.text.ko).toBe('월세로 임차 중이며 보증금 50,000,000원 이하, 월세 700,000원 이하');
    const stricter = withChange((p) => ({ ...p, criteria: (p.criteria as Array<Record<string, unknown>>).map((c) => (c.kind === 'age-range' ? { ...c, minimum: 20, maximum: 29 } : c)) }));
    expect(applicationPageOf(stricter, programPolicy(stricter))!.criteria.find((c) => c.id === 'age-range')!.text.en).toBe('Aged 20 to 29 on the day you apply');
    for (const page of [youth, rent]) for (const c of page.criteria) expect(c.text.ko, c.id).toMatch(/[가-힣]/);
  });

  it('names the credentials the request asks for, in the order of its query', () => {
    expect(youth.credentials.map((c) => c.type)).toEqual(dcqlQueryOf(programPolicy(PROGRAMS[0]!)).credentials.map((c) => c.id));
    expect(youth.credentials.map((c) => c.label.ko)).toEqual(['서울시민카드', '재학·휴학·졸업 증명', '가구 소득 구간 확인서', '고용보험 가입 확인서']);
  });

  it('offers the youth allowance’s eligibility credential from youth-policy, and nothing for rent support', () => {
    expect(youth.eligibility).toEqual({
      tenant: 'youth-policy',
      credentialType: 'YouthAllowanceEligibility',
      credentialConfigurationId: 'YouthAllowanceEligibility_jwt_vc_json',
      label: { ko: '청년수당 수급 자격', en: 'Youth Allowance Eligibility' },
    });
    expect(rent.eligibility).toBeUndefined();
  });

  it.each([
    ['a type the catalogue does not have', { tenant: 'youth-policy', credentialType: 'MoonAllowance' }, /not a credential type/],
    ['a tenant the catalogue does not let issue it', { tenant: 'housing', credentialType: 'YouthAllowanceEligibility' }, /does not let this tenant/],
  ])('stops start-up for %s', (_, eligibility, message) => {
    const program = withChange((p) => ({ ...p, eligibility }));
    expect(() => applicationPageOf(program, programPolicy(program))).toThrow(message);
  });
});

describe('the eligibility credential’s claims', () => {
  const hash = (n: number) => `0x${String(n).repeat(64).slice(0, 64)}`;
  const decision = (satisfied: boolean): PolicyDecision => ({
    policy: { id: 'youth-allowance-2026', version: '1' },
    program: { id: 'youth-allowance-2026', configVersion: '2026.1', programYear: 2026, monthlyAmountKrw: 500000, months: 6 },
    satisfied,
    criteria: youth.criteria.map((c, index) => ({ id: c.id, result: satisfied || index > 0 ? 'passed' : 'failed', reason: { ko: '이유', en: 'reason' }, evidenceHash: hash(index + 1) })),
  });

  it('carries the decision’s criteria (ids, results, evidence), both versions and the benefit — and passes the type’s schema', () => {
    const claims = eligibilityClaimsOf(decision(true));
    expect(claims).toMatchObject({ eligible: true, programYear: 2026, monthlyAmountKrw: 500000, months: 6, ruleVersion: 'youth-allowance-2026@1+2026.1' });
    expect(claims.criteria.map((c) => c.id)).toEqual(youth.criteria.map((c) => c.id));
    expect(claims.criteria[0]).toEqual({ id: 'holder.same', result: 'passed', evidenceHash: hash(1) });
    expect(JSON.stringify(claims)).not.toContain('reason');
    expect(validateCredentialSubject('YouthAllowanceEligibility', claims)).toEqual({ valid: true });
  });

  it('is made for eligible decisions only', () => {
    expect(() => eligibilityClaimsOf(decision(false))).toThrow(/eligible decision/);
    const unproven = decision(true);
    expect(() => eligibilityClaimsOf({ ...unproven, criteria: unproven.criteria.map((c, i) => (i === 2 ? { ...c, evidenceHash: null } : c)) })).toThrow(/cites no credential/);
  });
});

describe('links into the wallet on the same device', () => {
  const request = 'openid4vp://?client_id=decentralized_identifier%3Adid%3Ajwk%3Aabc&request_uri=http%3A%2F%2F127.0.0.1%3A3002%2Fpresentation-requests%2Fh%2Frequest';
  const offer = 'openid-credential-offer://?credential_offer_uri=http%3A%2F%2F127.0.0.1%3A3001%2Foid4vci%2Foffers%2F1';

  it('opens the wallet’s present and receive flows with the link as one fragment parameter', () => {
    const present = walletPresentLink('http://127.0.0.1:3003/', request);
    expect(present.startsWith('http://127.0.0.1:3003/#present?request=')).toBe(true);
    expect(new URLSearchParams(new URL(present).hash.slice('#present?'.length)).get('request')).toBe(request);
    const receive = walletReceiveLink('http://127.0.0.1:3003', offer);
    expect(new URLSearchParams(new URL(receive).hash.slice('#receive?'.length)).get('offer')).toBe(offer);
  });

  it('gives the protocol link itself when no wallet URL is configured', () => {
    expect(walletPresentLink(undefined, request)).toBe(request);
    expect(walletReceiveLink(undefined, offer)).toBe(offer);
  });
});
