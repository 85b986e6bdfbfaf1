import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoFileSchema, type DemoFile } from '@citycred/platform';
import type { TestDatabase } from '@citycred/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliSandbox, launchCli, runCli, signalCli as stop, type CliSandbox, type Launched as Started } from '../support/launcher.js';
import { getJson, issueBody, postJson } from '../support/platform.js';

const subject = {
  personId: '0b6f4c1e-7d2a-4f3b-9c8e-5a1d2e3f4a5b',
  name: '이도윤',
  birthDate: '1998-09-30',
  ageOver15: true,
  ageOver18: true,
  ageOver19: true,
  residence: { city: '서울특별시', district: '강남구' },
  residentSince: '2015-07-01',
};

describe('npm start, as a user runs it', () => {
  let sandbox: CliSandbox;
  let varDir: string;
  let db: TestDatabase;
  let env: Record<string, string>;
  let running: Started | undefined;

  beforeAll(async () => {
    sandbox = await createCliSandbox('start', { env: { ANCHOR_BATCH_INTERVAL_MS: '300' } });
    ({ varDir, db, env } = sandbox);
    // As a plain mkdir with the usual umask leaves it: npm start must make it private.
    chmodSync(varDir, 0o755);
  });

  afterAll(async () => {
    if (running) await stop(running);
    await sandbox?.remove();
  });

  let demo: DemoFile;
  let credential: unknown;
  let demoPetitionId: string;

  it('starts chain, contracts, tenants and services, and writes var/demo/tenants.json', async () => {
    running = await launchCli(env, { ownProcessGroup: true });
    const text = running.output.join('');
    expect(text).toContain('contracts deployed');
    demo = demoFileSchema.parse(JSON.parse(readFileSync(join(varDir, 'demo', 'tenants.json'), 'utf8')));
    expect(statSync(join(varDir, 'demo', 'tenants.json')).mode & 0o077).toBe(0);
    // var/ and the databases in it hold keys and personal data: their owner's only.
    expect((statSync(varDir).mode & 0o777).toString(8)).toBe('700');
    expect(text).toContain(`${varDir} was accessible to other users (mode 0755); set it to 0700`);
    if (db.kind === 'sqlite') {
      for (const file of ['issuer.sqlite', 'verifier.sqlite']) expect((statSync(join(varDir, file)).mode & 0o777).toString(8), file).toBe('600');
    }
    expect(demo.issuerUrl).toBe(`http://127.0.0.1:${env['ISSUER_PORT']}`);
    expect(demo.chainRpcUrl).toBe(`http://127.0.0.1:${env['CHAIN_PORT']}`);
    expect(demo.tenants.map((t) => t.slug)).toContain('seoul-citizen');
    for (const t of demo.tenants) expect(text).toContain(t.apiKey);
    for (const url of [demo.issuerUrl, demo.verifierUrl, demo.walletUrl]) {
      expect(await getJson(`${url}/health`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    }
    const page = await fetch(demo.walletUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>시민 지갑</title>');
    // The wallet's app may call the issuer and verifier started here, its "Show QR" codes are for that verifier, and
    // the city's issuers are those of the issuer started here (its directory).
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ${demo.issuerUrl} ${demo.verifierUrl};`);
    expect(await getJson(`${demo.walletUrl}/settings.json`)).toMatchObject({ status: 200, body: { scannerUrl: demo.verifierUrl, cityIssuerUrl: demo.issuerUrl } });
    // The demo citizens page, printed, served by the issuer, opening the wallet started here.
    expect(text).toContain(`Demo citizens: ${demo.issuerUrl}/demo/citizens`);
    expect(text).toContain(`then apply for the Youth Allowance at ${demo.verifierUrl}/apply/youth-allowance`);
    expect(text).toContain(`Verifier pages: ${demo.verifierUrl}/check`);
    expect((await fetch(`${demo.issuerUrl}/demo/citizens`)).status).toBe(200);
    expect(await getJson(`${demo.issuerUrl}/demo/citizens.json`)).toMatchObject({ status: 200, body: { walletUrl: demo.walletUrl } });
    // The Youth Allowance application page, whose "open in the wallet" link opens the wallet started here.
    expect((await fetch(`${demo.verifierUrl}/apply/youth-allowance`)).status).toBe(200);
    const application = await postJson(`${demo.verifierUrl}/apply/api/youth-allowance/applications`, {});
    expect(application.status).toBe(201);
    expect(application.body.walletLink.startsWith(`${demo.walletUrl}/#present?request=openid4vp%3A%2F%2F`)).toBe(true);
    // The demo facility site, printed, signing in with the verifier's OpenID Provider: its button goes to the provider's
    // authorization endpoint, and the provider knows the client secret the launcher gave the site (kept in VAR_DIR).
    const facilityUrl = `http://127.0.0.1:${env['FACILITY_PORT']}`;
    expect(text).toContain(`  facility  ${facilityUrl}`);
    expect(text).toContain(`Facility booking demo: ${facilityUrl}`);
    const site = await fetch(facilityUrl);
    expect(site.status).toBe(200);
    expect(await site.text()).toContain('시민카드로 로그인 · Sign in with citizen card');
    const login = await fetch(`${facilityUrl}/login`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')!.startsWith(`${demo.verifierUrl}/oidc/auth?`)).toBe(true);
    const secretFile = join(varDir, 'oidc-clients', 'facility-booking-demo.secret');
    expect((statSync(secretFile).mode & 0o777).toString(8)).toBe('600');
    const secret = readFileSync(secretFile, 'utf8').trim();
    const token = await fetch(`${demo.verifierUrl}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`facility-booking-demo:${secret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'no-such-code', redirect_uri: `${facilityUrl}/callback`, code_verifier: 'x'.repeat(43) }).toString(),
    });
    // Authenticated (a wrong secret is invalid_client): only the code is unknown.
    expect(((await token.json()) as { error: string }).error).toBe('invalid_grant');
    // The demo petition, opened at the first start and printed with its page; the petitions API and the demo
    // official's key (kept in VAR_DIR, 0600) that opens and closes petitions.
    const keyFile = join(varDir, 'petition-admins', 'demo-official.key');
    expect((statSync(keyFile).mode & 0o777).toString(8)).toBe('600');
    expect(text).toContain(`Petitions API: ${demo.verifierUrl}/petitions (`);
    expect(text).toContain(`the demo official's key is in ${keyFile}`);
    const listed = await getJson(`${demo.verifierUrl}/petitions`);
    expect(listed.body.petitions).toHaveLength(1);
    const petition = listed.body.petitions[0];
    expect(petition).toMatchObject({ title: '한강공원 야간 조명 개선 주민감사청구', threshold: 3, state: 'open', count: 0 });
    expect(new Date(petition.deadline).getTime() - Date.now()).toBeGreaterThan(6 * 24 * 60 * 60 * 1000);
    expect(text).toContain(`Demo petition: ${demo.verifierUrl}/petitions/${petition.id} (`);
    const adminKey = readFileSync(keyFile, 'utf8').trim();
    const opened = await postJson(`${demo.verifierUrl}/petitions`, { title: 't', description: 'd', threshold: 1, deadline: new Date(Date.now() + 3_600_000).toISOString() }, { authorization: `Bearer ${adminKey}` });
    expect(opened.status).toBe(201);
    demoPetitionId = petition.id;
  }, 120_000);

  it('issues through the API and verifies with the anchor passed within a few batch intervals', async () => {
    const { apiKey, did } = demo.tenants.find((t) => t.slug === 'seoul-citizen')!;
    const issued = await postJson(`${demo.issuerUrl}/credentials/issue`, issueBody(did, 'SeoulCitizenCard', subject), { authorization: `Bearer ${apiKey}` });
    expect(issued.status).toBe(201);
    credential = issued.body.verifiableCredential;
    let anchor: string | undefined;
    for (let i = 0; i < 50 && anchor !== 'passed'; i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      const res = await postJson(`${demo.verifierUrl}/credentials/verify`, { verifiableCredential: credential });
      expect(res.body.verified).toBe(true);
      anchor = res.body.checks.find((c: { id: string }) => c.id === 'anchor').status;
    }
    expect(anchor).toBe('passed');
  });

  it('stops cleanly on Ctrl-C (SIGINT to the whole process group) and frees its ports', async () => {
    expect(await stop(running!, 'SIGINT', true)).toBe(0);
    running = undefined;
    await expect(fetch(`${demo.issuerUrl}/health`)).rejects.toThrow();
    await expect(fetch(demo.chainRpcUrl, { method: 'POST' })).rejects.toThrow();
  });

  it('starts again on the same state: same contracts, DIDs and keys, and the first credential still verifies', async () => {
    running = await launchCli(env, { ownProcessGroup: true });
    expect(running.output.join('')).toContain('contracts reused');
    const again = demoFileSchema.parse(JSON.parse(readFileSync(join(varDir, 'demo', 'tenants.json'), 'utf8')));
    expect(again.tenants).toEqual(demo.tenants);
    // The demo petition is opened once: the second start prints the same one.
    expect(running.output.join('')).toContain(`Demo petition: ${again.verifierUrl}/petitions/${demoPetitionId} (`);
    expect((await getJson(`${again.verifierUrl}/petitions`)).body.petitions.filter((p: { title: string }) => p.title === '한강공원 야간 조명 개선 주민감사청구')).toHaveLength(1);
    const res = await postJson(`${again.verifierUrl}/credentials/verify`, { verifiableCredential: credential });
    expect(res.status).toBe(200);
    expect(res.body.checks.find((c: { id: string }) => c.id === 'anchor').status).toBe('passed');
  }, 120_000);

  it('refuses a second start while one is running, naming the port, and leaves the first one serving', async () => {
    const { code, output } = await runCli(env, ['start']);
    expect(code).toBe(1);
    expect(output).toContain(`port ${env['CHAIN_PORT']} (chain) is already in use`);
    expect(output).not.toMatch(/\n\s+at /);
    expect(await getJson(`${demo.issuerUrl}/health`)).toMatchObject({ status: 200 });
  });

  it('after a crash (SIGKILL to everything) right after anchoring, a restart leaves no credential unanchored', async () => {
    const { apiKey, did } = demo.tenants.find((t) => t.slug === 'seoul-citizen')!;
    const issued = await postJson(`${demo.issuerUrl}/credentials/issue`, issueBody(did, 'SeoulCitizenCard', subject), { authorization: `Bearer ${apiKey}` });
    expect(issued.status).toBe(201);
    const anchorStatus = async () =>
      (await postJson(`${demo.verifierUrl}/credentials/verify`, { verifiableCredential: issued.body.verifiableCredential })).body.checks.find((c: { id: string }) => c.id === 'anchor').status as string;
    let status = 'pending';
    for (let i = 0; i < 50 && status !== 'passed'; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      status = await anchorStatus();
    }
    expect(status).toBe('passed');
    await stop(running!, 'SIGKILL', true);
    running = await launchCli(env, { ownProcessGroup: true });
    status = 'pending';
    for (let i = 0; i < 100 && status !== 'passed'; i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      status = await anchorStatus();
    }
    expect(status).toBe('passed');
  }, 120_000);

  it('recovers from an unreadable chain state: sets it aside, redeploys and anchors the credentials again', async () => {
    expect(await stop(running!, 'SIGINT', true)).toBe(0);
    running = undefined;
    writeFileSync(join(varDir, 'chain', 'state.json'), '{"block": {"number": "0x1"');
    running = await launchCli(env, { ownProcessGroup: true });
    const text = running.output.join('');
    expect(text).toContain('the saved chain state could not be read');
    expect(text).toContain('contracts deployed');
    let status = 'pending';
    for (let i = 0; i < 100 && status !== 'passed'; i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      const res = await postJson(`${demo.verifierUrl}/credentials/verify`, { verifiableCredential: credential });
      status = res.body.checks.find((c: { id: string }) => c.id === 'anchor').status;
    }
    expect(status).toBe('passed');
  }, 120_000);
});
