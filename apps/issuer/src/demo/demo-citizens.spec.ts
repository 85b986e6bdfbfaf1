import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import { describe, expect, it } from 'vitest';
import { loadIssuerConfig } from '../config.js';
import type { CreatedOffer, OfferActor, OfferRequest, Oid4vciService } from '../oid4vci/oid4vci.service.js';
import { DEMO_ACTOR, DemoCitizenOffers } from './demo-citizen-offers.js';
import { agencyCredentialsOf, readDemoCitizensFile, type DemoCitizensFile } from './demo-citizens.js';

const SHIPPED = new URL('../../../../config/demo-citizens.json', import.meta.url).pathname;
const shipped = (): Record<string, any> => JSON.parse(readFileSync(SHIPPED, 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'citycred-demo-citizens-'));
let files = 0;
function fileWith(contents: unknown): string {
  const path = join(dir, `citizens-${(files += 1)}.json`);
  writeFileSync(path, typeof contents === 'string' ? contents : JSON.stringify(contents));
  return path;
}
function problemOf(contents: unknown): string {
  const read = readDemoCitizensFile(fileWith(contents));
  if (read.ok) throw new Error('expected the file to be refused');
  return read.problem;
}
function shippedFile(): DemoCitizensFile {
  const read = readDemoCitizensFile(SHIPPED);
  if (!read.ok) throw new Error(read.problem);
  return read.file;
}

describe('the demo citizens file', () => {
  it('reads the shipped file: every credential valid against its schema', () => {
    expect(readDemoCitizensFile(SHIPPED)).toMatchObject({ ok: true });
  });

  it.each([
    ['a claim its schema refuses', (f: any) => (f.citizens[0].credentials.IncomeBracket.householdIncomePercentOfMedian = '87'), /citizens\.0\.credentials\.IncomeBracket\.householdIncomePercentOfMedian: must be integer/],
    ['a nested claim its schema refuses', (f: any) => (f.citizens[0].credentials.SeoulCitizenCard.residence.district = '강남'), /citizens\.0\.credentials\.SeoulCitizenCard\.residence\.district/],
    ['a resident registration number', (f: any) => (f.citizens[1].credentials.EnrollmentStatus.institution.name = '900101-1234567'), /citizens\.1\.credentials\.EnrollmentStatus\.institution\.name: looks like a resident registration number/],
    ['a holder id in the claims', (f: any) => (f.citizens[0].credentials.IncomeBracket.id = 'did:example:123'), /citizens\.0\.credentials\.IncomeBracket\.id: must not be set/],
    ['a repeated citizen id', (f: any) => (f.citizens[1].id = f.citizens[0].id), /citizens\.1\.id: repeats the id kim-seoyeon/],
    ['an id that is no URL slug', (f: any) => (f.citizens[0].id = 'Kim Seoyeon'), /citizens\.0\.id: must be lower-case words/],
    ['a citizen without a citizen card', (f: any) => delete f.citizens[0].credentials.SeoulCitizenCard, /citizens\.0\.credentials\.SeoulCitizenCard/],
    ['a credential type no demo agency issues', (f: any) => (f.citizens[0].credentials.LaborContract = {}), /citizens\.0\.credentials: Unrecognized key: "LaborContract"/],
    ['an expectation that is no criterion id', (f: any) => (f.citizens[0].youthAllowance = 'Yes!'), /citizens\.0\.youthAllowance/],
    ['an unknown member', (f: any) => (f.citizen = []), /\(file\): Unrecognized key: "citizen"/],
  ])('refuses %s, naming the member', (_, change, message) => {
    const file = shipped();
    change(file);
    expect(problemOf(file)).toMatch(message);
  });

  it('refuses a file that is not JSON or not there', () => {
    expect(problemOf('{"citizens": [')).toMatch(/cannot be read as JSON \(not JSON\)/);
    expect(readDemoCitizensFile(join(dir, 'missing.json'))).toEqual({ ok: false, problem: `${join(dir, 'missing.json')} cannot be read as JSON (no such file or not readable)` });
  });

  it('is read once at start-up from DEMO_CITIZENS_FILE, and a bad one stops the issuer naming the variable', () => {
    const base = { KEY_ENCRYPTION_SECRET: '8f3a1c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a' };
    expect(loadIssuerConfig(base).DEMO_CITIZENS_FILE).toBeUndefined();
    expect(loadIssuerConfig({ ...base, DEMO_CITIZENS_FILE: SHIPPED }).DEMO_CITIZENS_FILE?.citizens[0]?.id).toBe('kim-seoyeon');
    const bad = shipped();
    bad.citizens[0].credentials.SeoulCitizenCard.birthDate = '2001-02-30';
    expect(() => loadIssuerConfig({ ...base, DEMO_CITIZENS_FILE: fileWith(bad) })).toThrow(/DEMO_CITIZENS_FILE: .*citizens\.0\.credentials\.SeoulCitizenCard\.birthDate/);
    expect(() => loadIssuerConfig({ ...base, WALLET_URL: 'wallet.example' })).toThrow(/WALLET_URL/);
  });

  it('names for each credential the department that issues it and its SD-JWT configuration where the type has one', () => {
    const kim = shippedFile().citizens.find((citizen) => citizen.id === 'kim-seoyeon')!;
    expect(agencyCredentialsOf(kim).map(({ type, tenant, configurationId }) => [type, tenant, configurationId])).toEqual([
      ['SeoulCitizenCard', 'seoul-citizen', 'SeoulCitizenCard_dc_sd_jwt'],
      ['EnrollmentStatus', 'education-office', 'EnrollmentStatus_jwt_vc_json'],
      ['IncomeBracket', 'health-insurance', 'IncomeBracket_dc_sd_jwt'],
      ['EmploymentInsuranceStatus', 'employment-insurance', 'EmploymentInsuranceStatus_dc_sd_jwt'],
      ['RentalStatus', 'housing', 'RentalStatus_dc_sd_jwt'],
    ]);
  });
});

/** The offer service's part the demo uses, recording what it was asked (the real one is exercised end to end). */
function recordingOffers() {
  const made: Array<{ tenant: string; request: OfferRequest; actor: OfferActor }> = [];
  const offers: Pick<Oid4vciService, 'tenant' | 'createOffer'> = {
    tenant: async (slug) => ({ slug }) as Awaited<ReturnType<Oid4vciService['tenant']>>,
    createOffer: async (tenant, request, actor): Promise<CreatedOffer> => {
      made.push({ tenant: tenant.slug, request, actor });
      const offerId = `offer-${made.length}`;
      const link = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(`http://127.0.0.1:3001/oid4vci/offers/${offerId}`)}`;
      return { offerId, credential_offer: {}, credential_offer_uri: '', credential_offer_link: link, expiresAt: '2026-06-01T01:10:00.000Z' };
    },
  };
  return { offers, made };
}

describe('DemoCitizenOffers', () => {
  const clock = new FixedClock(new Date('2026-06-01T10:00:00+09:00'));

  it('offers each agency credential as its tenant, without a transaction code, and links the wallet to all of them', async () => {
    const { offers, made } = recordingOffers();
    const demo = new DemoCitizenOffers(shippedFile(), offers, 'http://127.0.0.1:3003/', clock);
    const answer = await demo.offersFor('kim-seoyeon');
    expect(made.map(({ tenant, request }) => [tenant, request.credentialConfigurationId, request.txCode])).toEqual([
      ['seoul-citizen', 'SeoulCitizenCard_dc_sd_jwt', false],
      ['education-office', 'EnrollmentStatus_jwt_vc_json', false],
      ['health-insurance', 'IncomeBracket_dc_sd_jwt', false],
      ['employment-insurance', 'EmploymentInsuranceStatus_dc_sd_jwt', false],
      ['housing', 'RentalStatus_dc_sd_jwt', false],
    ]);
    expect(made.every(({ actor }) => actor === DEMO_ACTOR)).toBe(true);
    expect(made[0]!.request.claims).toMatchObject({ name: '김서연', personId: '00000000-0000-4000-8000-000000000001' });
    // The wallet's same-device receive link (contracts): one `offer` parameter per offer, in order, each the whole link encoded.
    const fragment = new URL(answer.walletLink!).hash;
    expect(answer.walletLink!.startsWith('http://127.0.0.1:3003/#receive?')).toBe(true);
    expect(new URLSearchParams(fragment.slice('#receive?'.length)).getAll('offer')).toEqual(answer.offers.map((offer) => offer.credential_offer_link));
    expect(answer.offers.map((offer) => offer.labels.ko)).toEqual(['서울시민카드', '재학·휴학·졸업 증명', '가구 소득 구간 확인서', '고용보험 가입 확인서', '임차 확인서']);
  });

  it('answers no wallet link without WALLET_URL, and only the credentials a citizen has', async () => {
    const { offers } = recordingOffers();
    const answer = await new DemoCitizenOffers(shippedFile(), offers, undefined, clock).offersFor('han-yerin');
    expect(answer.walletLink).toBeNull();
    expect(answer.offers.map((offer) => offer.type)).toEqual(['SeoulCitizenCard', 'EnrollmentStatus', 'IncomeBracket', 'EmploymentInsuranceStatus']);
  });

  it('refuses an unknown citizen with demo.citizen-not-found, making no offer', async () => {
    const { offers, made } = recordingOffers();
    const error = await new DemoCitizenOffers(shippedFile(), offers, undefined, clock).offersFor('hong-gildong').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect([(error as AppError).code, (error as AppError).status]).toEqual([ErrorCode.DemoCitizenNotFound, 404]);
    expect(made).toEqual([]);
  });

  it('lists the citizens with their age on the clock’s day and their expected outcomes, without their claims', () => {
    const { offers } = recordingOffers();
    const list = new DemoCitizenOffers(shippedFile(), offers, 'http://127.0.0.1:3003', clock).list();
    expect(list.walletUrl).toBe('http://127.0.0.1:3003');
    const kim = list.citizens.find((citizen) => citizen.id === 'kim-seoyeon')!;
    // Born 17 April 2001: 25 on 1 June 2026.
    expect(kim).toMatchObject({ name: '김서연', age: 25, youthAllowance: 'eligible', youthRentSupport: 'eligible' });
    expect(JSON.stringify(list)).not.toContain('00000000-0000-4000-8000');
  });
});
