import { FixedClock } from '@citycred/config';
import { OperatorStore } from '@citycred/tenancy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, startTestPlatform, type TestPlatform } from '../support/platform.js';

const PASSWORD = 'console bulk e2e password';

/** Three fictitious citizens; the second one's birth date is not a date. */
const CSV = [
  'personId,name,birthDate,ageOver15,ageOver18,ageOver19,residence.city,residence.district,residentSince',
  '0b7e6a52-6f0e-4c55-9d54-2f3f8c1e9a01,김서연,2001-04-12,true,true,true,서울특별시,마포구,2019-03-01',
  '0b7e6a52-6f0e-4c55-9d54-2f3f8c1e9a02,이도윤,2001-13-45,true,true,true,서울특별시,은평구,2020-07-15',
  '0b7e6a52-6f0e-4c55-9d54-2f3f8c1e9a03,"박하은, 주무관 확인",1998-11-02,true,true,true,서울특별시,관악구,2018-01-20',
].join('\n');

/**
 * The console's bulk offers (`POST /console/api/offers/bulk`, docs/console.md) over HTTP through the real issuer:
 * a session and the CSRF header required, the issuer role, unreadable CSV and another tenant's type refused with
 * their stable codes, and a CSV with a bad row answered row by row — offers made by the OpenID4VCI context's bulk
 * offers (its job report, its audit entries, as the operator). SQLite, and PostgreSQL with DATABASE_URL.
 */
describe('console bulk offers API', () => {
  const clock = new FixedClock(new Date());
  let p: TestPlatform;
  const cookies: Record<'issuer' | 'auditor', string> = { issuer: '', auditor: '' };

  const consoleUrl = (path: string) => `${p.issuer.url}/console/api${path}`;
  const bulk = (body: unknown, options: { cookie?: string; csrf?: boolean; authorization?: string } = {}) =>
    send(consoleUrl('/offers/bulk'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.csrf === false ? {} : { 'x-citycred-console': '1' }),
        ...(options.authorization ? { authorization: options.authorization } : {}),
      },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    p = await startTestPlatform('console_bulk_e2e', { clock });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    const store = new OperatorStore(p.issuer.runtime.dataSource, clock);
    const tenant = (await p.issuer.runtime.tenants.findBySlug('seoul-citizen'))!;
    for (const role of ['issuer', 'auditor'] as const) {
      await store.create(tenant.id, { username: `bulk-${role}`, displayName: `Bulk ${role}`, role, password: PASSWORD });
      const answer = await send(consoleUrl('/session'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-citycred-console': '1' },
        body: JSON.stringify({ tenant: 'seoul-citizen', username: `bulk-${role}`, password: PASSWORD }),
      });
      expect(answer.status, answer.text).toBe(200);
      cookies[role] = answer.headers.get('set-cookie')!.split(';')[0]!;
    }
  });
  afterAll(async () => p?.stop());

  it('needs a session (an API key is not one), the CSRF header and a role that issues', async () => {
    const body = { type: 'SeoulCitizenCard', format: 'dc+sd-jwt', csv: CSV };
    for (const authorization of [undefined, `Bearer ${p.tenants.get('seoul-citizen')!.apiKey}`]) {
      const answer = await bulk(body, authorization ? { authorization } : {});
      expect([answer.status, answer.body.code]).toEqual([401, 'console.signed-out']);
    }
    const noHeader = await bulk(body, { cookie: cookies.issuer, csrf: false });
    expect([noHeader.status, noHeader.body.code]).toEqual([403, 'console.csrf-header-missing']);
    const auditor = await bulk(body, { cookie: cookies.auditor });
    expect([auditor.status, auditor.body.code]).toEqual([403, 'console.forbidden']);
  });

  it('refuses CSV it cannot read, a body without CSV and a type the tenant does not offer, with their codes and pointers', async () => {
    const unreadable = await bulk({ type: 'SeoulCitizenCard', format: 'dc+sd-jwt', csv: 'name,birthDate\n"김서연,2001-04-12\n' }, { cookie: cookies.issuer });
    expect(unreadable.status).toBe(400);
    expect(unreadable.type).toMatch(/^application\/problem\+json/);
    expect(unreadable.body).toMatchObject({ code: 'request.invalid', errors: [{ path: '/csv' }] });
    const ragged = await bulk({ type: 'SeoulCitizenCard', format: 'jwt_vc', csv: 'name,birthDate\n김서연\n' }, { cookie: cookies.issuer });
    expect(ragged.body).toMatchObject({ code: 'request.invalid', errors: [{ path: '/csv', message: expect.stringContaining('row 1') }] });
    const noCsv = await bulk({ type: 'SeoulCitizenCard', format: 'jwt_vc' }, { cookie: cookies.issuer });
    expect([noCsv.status, noCsv.body.code, noCsv.body.errors[0].path]).toEqual([400, 'request.invalid', '/csv']);
    const otherType = await bulk({ type: 'EnrollmentStatus', format: 'jwt_vc', csv: 'status\ngraduated\n' }, { cookie: cookies.issuer });
    expect([otherType.status, otherType.body.code]).toEqual([400, 'oid4vci.unknown-credential-configuration']);
  });

  it('makes one offer per good row and names the claim of the bad one; the job report and audit log record it', async () => {
    const answer = await bulk({ type: 'SeoulCitizenCard', format: 'dc+sd-jwt', csv: CSV }, { cookie: cookies.issuer });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.cacheControl).toBe('no-store');
    expect(answer.body).toMatchObject({ total: 3, offered: 2, failed: 1 });
    const [first, bad, third] = answer.body.rows;
    expect(bad).toEqual({ row: 1, error: { code: 'credential.schema-invalid', pointer: '/rows/1/claims/birthDate', column: 'birthDate' } });
    for (const [made, row] of [[first, 0], [third, 2]] as const) {
      expect(made).toEqual({ row, offerId: expect.any(String), offerUri: expect.stringMatching(/^openid-credential-offer:\/\/\?credential_offer_uri=/), txCode: expect.stringMatching(/^\d{6}$/), expiresAt: expect.any(String) });
    }
    // The offer by reference is live and for the SD-JWT configuration.
    const byReference = await send(decodeURIComponent(first.offerUri.split('credential_offer_uri=')[1]));
    expect(byReference.body.credential_configuration_ids).toEqual(['SeoulCitizenCard_dc_sd_jwt']);

    // The OpenID4VCI context's job: readable with the tenant's API key, no claim or secret in it.
    const job = await send(`${p.issuer.url}/oid4vci/offers/bulk/${answer.body.jobId}`, { headers: { authorization: `Bearer ${p.tenants.get('seoul-citizen')!.apiKey}` } });
    expect(job.body).toEqual({
      jobId: answer.body.jobId,
      state: 'done',
      total: 3,
      processed: 3,
      rows: [{ row: 0, offerId: first.offerId }, { row: 1, error: { code: 'credential.schema-invalid', pointer: '/rows/1/claims/birthDate' } }, { row: 2, offerId: third.offerId }],
    });
    expect(job.text).not.toContain('김서연');
    expect(job.text).not.toContain(first.txCode);

    const audit = await send(consoleUrl('/audit'), { headers: { cookie: cookies.issuer } });
    const offered = audit.body.items.filter((entry: { action: string }) => entry.action === 'offer.created');
    expect(offered.filter((entry: { target: string }) => [first.offerId, third.offerId].includes(entry.target)).map((entry: { actor: unknown }) => entry.actor)).toEqual([
      { kind: 'operator', id: 'bulk-issuer' },
      { kind: 'operator', id: 'bulk-issuer' },
    ]);
    expect(audit.text).not.toContain('김서연');
  });

  it('announces the offers’ longest lifetimes, and makes bulk offers of the lifetime chosen up to the bulk ceiling', async () => {
    const DAY = 86_400;
    const types = await send(consoleUrl('/types'), { headers: { cookie: cookies.auditor } });
    expect(types.body.offerLifetimes).toEqual({ offerSeconds: 600, bulkOfferSeconds: 7 * DAY });
    const lifetimeOf = (answer: { body: { rows: Array<{ expiresAt: string }> } }) => (Date.parse(answer.body.rows[0]!.expiresAt) - clock.now().getTime()) / 1000;

    const byDefault = await bulk({ type: 'SeoulCitizenCard', format: 'dc+sd-jwt', csv: CSV }, { cookie: cookies.issuer });
    expect(lifetimeOf(byDefault), 'a week unless the clerk chooses').toBe(7 * DAY);
    const oneDay = await bulk({ type: 'SeoulCitizenCard', format: 'dc+sd-jwt', csv: CSV, expiresIn: DAY }, { cookie: cookies.issuer });
    expect(lifetimeOf(oneDay)).toBe(DAY);
    expect(oneDay.body.rows[0].txCode).toMatch(/^\d{6}$/);

    const tooLong = await bulk({ type: 'SeoulCitizenCard', format: 'dc+sd-jwt', csv: CSV, expiresIn: 7 * DAY + 1 }, { cookie: cookies.issuer });
    expect([tooLong.status, tooLong.body.code, tooLong.body.maxExpiresIn]).toEqual([400, 'oid4vci.offer-lifetime-too-long', 7 * DAY]);
    const tooShort = await bulk({ type: 'SeoulCitizenCard', format: 'dc+sd-jwt', csv: CSV, expiresIn: 10 }, { cookie: cookies.issuer });
    expect([tooShort.status, tooShort.body.code]).toEqual([400, 'request.invalid']);
  });
});
