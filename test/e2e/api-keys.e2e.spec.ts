import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FixedClock } from '@citycred/config';
import { demoFileSchema, type DemoFile } from '@citycred/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliSandbox, launchCli, platformEntry, runCli, signalCli, type CliSandbox, type Launched } from '../support/launcher.js';
import { citizenCardSubject, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';

/** Issues a SeoulCitizenCard as the seoul-citizen tenant (`did`) with `apiKey`. */
const issueCard = (issuerUrl: string, did: string, apiKey: string) =>
  postJson(`${issuerUrl}/credentials/issue`, issueBody(did, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${apiKey}` });

/**
 * `citycred keys …` as an operator runs it: a spawned CLI process (the built apps/platform/dist/main.js)
 * on the same database as a running issuer.
 */
describe('API keys revoked and issued with the CLI (spawned) while the issuer runs', () => {
  const ttlMs = 5_000;
  const clock = new FixedClock(new Date());
  let p: TestPlatform;
  let cliEnv: Record<string, string>;

  beforeAll(async () => {
    expect(existsSync(platformEntry), 'run "npm run build" first (npm test does it in pretest)').toBe(true);
    p = await startTestPlatform('api_keys_cli', { clock, issuerEnv: { API_KEY_CACHE_TTL_MS: String(ttlMs) } });
    // The tenants' accreditations start at the chain's time when they were provisioned (never backdated): the
    // issuer's clock moves there.
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    cliEnv = { ...p.db.env };
  });
  afterAll(async () => p?.stop());

  it('revoke: the issuer answers 401 auth.invalid-api-key once its cache TTL has passed', async () => {
    const { apiKey, did } = p.tenants.get('seoul-citizen')!;
    expect((await issueCard(p.issuer.url, did, apiKey)).status).toBe(201);
    const revoked = await runCli(cliEnv, ['keys', 'revoke', apiKey.slice(0, 12)]);
    expect(revoked.code, revoked.output).toBe(0);
    expect(revoked.output).toContain(`revoked ${apiKey.slice(0, 12)}… of seoul-citizen`);
    expect(revoked.output).not.toContain(apiKey);
    expect((await issueCard(p.issuer.url, did, apiKey)).status, 'within the TTL another process\'s revocation is not seen yet (documented)').toBe(201);
    clock.advance(ttlMs);
    const refused = await issueCard(p.issuer.url, did, apiKey);
    expect(refused.status).toBe(401);
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body.code).toBe('auth.invalid-api-key');
  });

  it('list shows the tenant\'s keys by prefix, with revocation, never the keys; issue prints a key that works at once', async () => {
    const apiKey = p.tenants.get('education-office')!.apiKey;
    const revoked = await runCli(cliEnv, ['keys', 'revoke', apiKey]);
    expect(revoked.code, revoked.output).toBe(0);
    const listed = await runCli(cliEnv, ['keys', 'list', 'education-office']);
    expect(listed.code, listed.output).toBe(0);
    const row = listed.output.split('\n').find((line) => line.includes(apiKey.slice(0, 12)));
    expect(row).toMatch(/^education-office\s+ccd_\S{8}\s+demo\s+\S+Z\s+\S+Z$/);
    expect(listed.output).not.toContain(apiKey);

    const issued = await runCli(cliEnv, ['keys', 'issue', 'seoul-citizen', 'front desk']);
    expect(issued.code, issued.output).toBe(0);
    const newKey = /ccd_[A-Za-z0-9_-]{43}/.exec(issued.output)?.[0];
    expect(newKey).toBeDefined();
    expect((await issueCard(p.issuer.url, p.tenants.get('seoul-citizen')!.did, newKey!)).status).toBe(201);
  });
});

/**
 * The demo file must not bring a revoked key back: `npm start` reuses a key from var/demo/tenants.json only
 * while it is live, and otherwise issues a new one and writes it there.
 */
describe('npm start after a demo key was revoked', () => {
  let sandbox: CliSandbox;
  let env: Record<string, string>;
  let running: Launched | undefined;

  beforeAll(async () => {
    // Without a cache the running issuer sees the CLI's revocation at once.
    sandbox = await createCliSandbox('keys_start', { env: { API_KEY_CACHE_TTL_MS: '0' } });
    env = sandbox.env;
  });

  afterAll(async () => {
    if (running) await signalCli(running, 'SIGINT', true);
    await sandbox?.remove();
  });

  const demoFile = (): DemoFile => demoFileSchema.parse(JSON.parse(readFileSync(join(sandbox.varDir, 'demo', 'tenants.json'), 'utf8')));

  it('issues a new demo key instead of reusing the revoked one', async () => {
    running = await launchCli(env, { ownProcessGroup: true });
    const before = demoFile();
    const { apiKey: oldKey, did } = before.tenants.find((t) => t.slug === 'seoul-citizen')!;
    const revoked = await runCli(env, ['keys', 'revoke', oldKey.slice(0, 12)]);
    expect(revoked.code, revoked.output).toBe(0);
    expect((await issueCard(before.issuerUrl, did, oldKey)).body.code).toBe('auth.invalid-api-key');

    await signalCli(running, 'SIGINT', true);
    running = await launchCli(env, { ownProcessGroup: true });
    const after = demoFile();
    const newKey = after.tenants.find((t) => t.slug === 'seoul-citizen')!.apiKey;
    expect(newKey).not.toBe(oldKey);
    expect(running.output.join('')).toContain(newKey);
    expect(after.tenants.find((t) => t.slug === 'education-office')!.apiKey, 'live keys are still reused').toBe(before.tenants.find((t) => t.slug === 'education-office')!.apiKey);
    expect((await issueCard(after.issuerUrl, did, newKey)).status).toBe(201);
    expect((await issueCard(after.issuerUrl, did, oldKey)).status).toBe(401);
  }, 120_000);
});
