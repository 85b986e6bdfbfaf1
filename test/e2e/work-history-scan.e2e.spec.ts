import { randomBytes } from 'node:crypto';
import { CityChain } from '@citycred/chain';
import { FixedClock } from '@citycred/config';
import { loadVerifierConfig, startVerifier } from '@citycred/verifier';
import { signCompactJws } from '@citycred/formats';
import { getAddress } from 'ethers';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, issueBody, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { walletKey } from '../support/wallet.js';

/*
 * Issue 19, point 6, on the verifier's side: an employer the labour department accredited (hangang-cafe, through the
 * department's delegation for the labour types) issues WorkExperience with the hours and the attendance chain's root;
 * a second employer's scanner checks it, by a presentation the wallet shows as a QR code (POST /scan/presentations)
 * and by an OpenID4VP request (the scanner page's request QR), and sees it verified with the hours: each work
 * experience's employer name, role, period, total hours and attendance root — not the business registration number,
 * nor who the worker is. The test plays the wallet as a script against the whole platform (SQLite or PostgreSQL).
 */

const PUBLIC_URL = 'https://jobs.seoul.example';
const ROOT_A = `0x${'3c'.repeat(32)}`;
const ROOT_B = `0x${'7d'.repeat(32)}`;
type Answer = { status: number; body: any };
const check = (res: Answer, index: number, id: string) => res.body.credentials[index].checks.find((c: { id: string }) => c.id === id);

describe('work history verified with the hours (scanner, work-history policy)', () => {
  let p: TestPlatform;
  const clock = new FixedClock(new Date());
  const holder = walletKey();
  let cafeDid: string;
  /** 2025-09-01 to 2025-12-31 (122 days), 312.5 hours. */
  let longJob: string;
  /** 2026-01-05 to 2026-01-31 (27 days), 48 hours. */
  let shortJob: string;

  const subject = (period: { start: string; end: string }, totalHours: number, attendanceRoot: string, role: string) => ({
    id: holder.did,
    employer: { id: cafeDid, name: '한강카페 (데모 사업장)', businessRegistrationNumber: '123-45-67891' },
    role,
    period,
    totalHours,
    attendanceRoot,
  });

  beforeAll(async () => {
    p = await startTestPlatform('work-history-scan', { clock, verifierEnv: { VERIFIER_PUBLIC_URL: PUBLIC_URL } });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    const cafe = p.tenants.get('hangang-cafe')!;
    cafeDid = cafe.did;
    const issue = async (claims: Record<string, unknown>) => {
      const issued = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(cafe.did, 'WorkExperience', claims), { authorization: `Bearer ${cafe.apiKey}` });
      expect(issued.status, JSON.stringify(issued.body)).toBe(201);
      return issued.body.verifiableCredential.proof.jwt as string;
    };
    longJob = await issue(subject({ start: '2025-09-01', end: '2025-12-31' }, 312.5, ROOT_A, '바리스타'));
    shortJob = await issue(subject({ start: '2026-01-05', end: '2026-01-31' }, 48, ROOT_B, '홀 서빙'));
    await p.worker.runOnce();
  });
  afterAll(async () => p?.stop());

  /** A JWT VP (VCDM 1.1) of the holder's did:jwk over `nonce` for `aud`. */
  const vpOf = (credentials: string[], aud: string, nonce = randomBytes(16).toString('base64url')) =>
    signCompactJws(
      { alg: 'ES256', typ: 'JWT', kid: holder.signer.kid },
      {
        iss: holder.did,
        aud,
        nonce,
        iat: Math.floor(clock.now().getTime() / 1000),
        vp: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], verifiableCredential: credentials },
      },
      holder.signer,
    );
  const scan = async (credentials: string[], verifierUrl = p.verifier.url): Promise<Answer> =>
    postJson(`${verifierUrl}/scan/presentations`, { presentation: `citycred-vp:${await vpOf(credentials, `${PUBLIC_URL}/scan`)}`, policy: 'work-history' });

  const shownLong = {
    type: 'WorkExperience',
    claims: { employer: { name: '한강카페 (데모 사업장)' }, role: '바리스타', period: { start: '2025-09-01', end: '2025-12-31' }, totalHours: 312.5, attendanceRoot: ROOT_A },
  };
  const shownShort = {
    type: 'WorkExperience',
    claims: { employer: { name: '한강카페 (데모 사업장)' }, role: '홀 서빙', period: { start: '2026-01-05', end: '2026-01-31' }, totalHours: 48, attendanceRoot: ROOT_B },
  };

  /** Nothing of the worker, nor the employer's business registration number, in what the verifier answers or keeps. */
  const expectMinimal = (text: string) => {
    for (const never of [holder.did, holder.jwk.x, '123-45-67891', 'businessRegistrationNumber']) expect(text).not.toContain(never);
  };

  it('accepts a WorkExperience from an employer the labour department accredited by its delegation', async () => {
    // The window on chain was made by the department (its delegation for WorkExperience), not by the city root.
    const chain = new CityChain(p.provider, p.deployment);
    const head = await p.provider.getBlock('latest');
    const accreditation = (await chain.accreditationOf(p.tenants.get('hangang-cafe')!.address, ['WorkExperience'], head!.timestamp)).get('WorkExperience')!;
    const window = accreditation.windows.at(-1)!;
    expect(getAddress(window.accreditor)).toBe(getAddress(p.tenants.get('labor')!.address));
    expect(window.accreditorStands).toBe(true);

    const res = await scan([longJob]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(check(res, 0, 'issuer-accreditation')).toMatchObject({ status: 'passed', detail: expect.stringContaining('was accredited for WorkExperience') });
    expect(res.body.decision).toMatchObject({ policy: { id: 'work-history', version: '1' }, satisfied: true });
    expect(res.body.decision.criteria[0].reason.en).toBe('The work periods cover 122 days, at least the 90 days required.');
    // Verified with the hours: what the policy shows, exactly.
    expect(res.body.shown).toEqual([{ ...shownLong, issuer: cafeDid }]);
    expectMinimal(JSON.stringify(res.body));
  });

  it('shows the hours beside a red decision too: one short job is not 90 days', async () => {
    const res = await scan([shortJob]);
    expect(res.status).toBe(400);
    expect(res.body.decision).toMatchObject({ satisfied: false, criteria: [{ id: 'work-history.minimum-duration', result: 'failed' }] });
    expect(res.body.shown).toEqual([{ ...shownShort, issuer: cafeDid }]);
  });

  it('turns the short job green on a verifier configured for 7 days, naming that threshold’s own version', async () => {
    // A second verifier process on the same database and chain, started as a deployment setting
    // WORK_HISTORY_MINIMUM_DAYS=7 would start it.
    const { WORK_HISTORY_MINIMUM_DAYS } = loadVerifierConfig({ WORK_HISTORY_MINIMUM_DAYS: '7' });
    const weekly = await startVerifier({ ...p.verifier.runtime.config, WORK_HISTORY_MINIMUM_DAYS }, clock, 0);
    try {
      const res = await scan([shortJob], weekly.url);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.decision).toMatchObject({ policy: { id: 'work-history', version: '1.1.7' }, satisfied: true });
      expect(res.body.decision.criteria[0].reason.en).toBe('The work periods cover 27 days, at least the 7 days required.');
      expect(res.body.shown).toEqual([{ ...shownShort, issuer: cafeDid }]);
      // The 90-day rules are not this verifier's: asking for them by version is refused, not judged by other rules.
      const old = await postJson(`${weekly.url}/scan/presentations`, { presentation: `citycred-vp:${await vpOf([shortJob], `${PUBLIC_URL}/scan`)}`, policy: 'work-history@1' });
      expect([old.status, old.body.code]).toEqual([400, 'verification.unknown-policy']);
    } finally {
      await weekly.close();
    }
  });

  it('shows nothing of a WorkExperience whose hours were raised after signing: it does not verify', async () => {
    const [header, payload, signature] = longJob.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    claims.vc.credentialSubject.totalHours = 9999;
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const res = await scan([forged]);
    expect(res.status).toBe(400);
    expect(res.body.verified).toBe(false);
    expect(check(res, 0, 'signature').status).toBe('failed');
    expect(res.body).not.toHaveProperty('decision');
    expect(res.body).not.toHaveProperty('shown');
    expect(JSON.stringify(res.body)).not.toContain('9999');
  });

  it('answers the scanner page’s OpenID4VP request with two work experiences: verified, with each one’s hours in the state', async () => {
    const created = await postJson(`${p.verifier.url}/presentation-requests`, { policy: 'work-history', purpose: 'employer scan' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const link = new URL(created.body.deepLink);
    const clientId = link.searchParams.get('client_id')!;
    // The request names the verifier's public URL; the test reaches it where it listens.
    const local = (url: string) => url.replace(PUBLIC_URL, p.verifier.url);
    const fetched = await send(local(link.searchParams.get('request_uri')!), { headers: { accept: 'application/oauth-authz-req+jwt' } });
    expect(fetched.status).toBe(200);
    const request = decodeJwt(fetched.text) as Record<string, any>;
    // The request asks for what the policy reads and shows, nothing else.
    expect(request['dcql_query'].credentials).toEqual([
      {
        id: 'WorkExperience',
        format: 'jwt_vc_json',
        meta: { type_values: [['VerifiableCredential', 'WorkExperience']] },
        claims: ['period', 'employer', 'role', 'totalHours', 'attendanceRoot'].map((claim) => ({ path: ['credentialSubject', claim] })),
        multiple: true,
      },
    ]);
    const nonce = String(request['nonce']);
    const vpToken = { WorkExperience: [await vpOf([longJob], clientId, nonce), await vpOf([shortJob], clientId, nonce)] };
    const posted = await send(local(String(request['response_uri'])), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify(vpToken), state: String(request['state']) }).toString(),
    });
    expect(posted.status, posted.text).toBe(200);

    const state = await getJson(`${p.verifier.url}/presentation-requests/${created.body.id}`);
    expect(state.body.state, JSON.stringify(state.body)).toBe('fulfilled');
    expect(state.body.result.decision).toMatchObject({ satisfied: true, criteria: [{ result: 'passed', reason: { en: 'The work periods cover 149 days, at least the 90 days required.' } }] });
    expect(state.body.result.shown).toEqual([
      { ...shownLong, issuer: cafeDid },
      { ...shownShort, issuer: cafeDid },
    ]);
    // What the verifier keeps of the request: the outcome, with only what the policy shows of the credentials.
    const rows = (await p.verifier.runtime.dataSource.query('SELECT "result" FROM "oid4vp_requests"')) as Array<{ result: string | null }>;
    const kept = rows.map((row) => row.result ?? '').join('\n');
    expect(kept).toContain('312.5');
    for (const never of ['123-45-67891', 'businessRegistrationNumber']) expect(kept).not.toContain(never);
  });
});
