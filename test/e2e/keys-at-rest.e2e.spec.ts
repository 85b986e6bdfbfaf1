import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '@citycred/config';
import { KeyStoreError } from '@citycred/did';
import { loadIssuerConfig, startIssuer, type IssuerServer } from '@citycred/issuer';
import { provisionTenants } from '@citycred/platform';
import { createIssuerDataSource, IssuedCredentialEntity, openDatabase, SealedPrivateKeyEntity, TenantEntity } from '@citycred/persistence';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformEntry, repo, runCli } from '../support/launcher.js';
import { citizenCardSubject, issueBody, postJson, provisionCity, type ProvisionedCity } from '../support/platform.js';

const issuerEntry = join(repo, 'apps/issuer/dist/main.js');
const randomSecret = () => randomBytes(32).toString('hex');

/** Runs the built issuer service as the launcher does, and resolves with its exit code and output once it exits. */
async function runIssuerProcess(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [issuerEntry], { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  return { code, output };
}

/**
 * Keys at rest through the services: the demo tenants provisioned on a real chain and database (SQLite, or PostgreSQL
 * with DATABASE_URL), then the issuer started with a wrong or weak secret, run while two tenants' sealed keys are
 * swapped in its database, and started again after `citycred secrets rotate` (the built CLI, spawned).
 */
describe('keys at rest: the issuer holds tenant keys only under the right KEY_ENCRYPTION_SECRET', () => {
  let city: ProvisionedCity;
  let env: Record<string, string>;
  let database: DataSource;
  /** The secret the keys are sealed with now (the rotation case changes it). */
  let secret: string;

  const issueCard = (issuer: IssuerServer, slug: string) => {
    const { apiKey, did } = city.tenants.find((t) => t.slug === slug)!;
    return postJson(`${issuer.url}/credentials/issue`, issueBody(did, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${apiKey}` });
  };
  const startWith = (keyEncryptionSecret: string) => startIssuer(loadIssuerConfig({ ...env, KEY_ENCRYPTION_SECRET: keyEncryptionSecret }), systemClock, 0);

  beforeAll(async () => {
    expect(existsSync(issuerEntry) && existsSync(platformEntry), 'run "npm run build" first (npm test does it in pretest)').toBe(true);
    city = await provisionCity('keys_at_rest');
    secret = city.keyEncryptionSecret;
    env = { ...city.db.env, CHAIN_RPC_URL: city.chain.rpcUrl, DEPLOYMENTS_DIR: city.deploymentsDir, LOG_LEVEL: 'fatal', ANCHOR_WORKER: 'false', RATE_LIMIT_PER_MINUTE: '0' };
    database = await openDatabase(createIssuerDataSource({ url: city.db.url, schema: city.db.schema, sqlitePath: city.db.sqlitePath }));
  });
  afterAll(async () => {
    if (database?.isInitialized) await database.destroy();
    await city?.stop();
  });

  it('a wrong secret stops the issuer at start-up, with a message naming KEY_ENCRYPTION_SECRET', async () => {
    const refused = await startWith(randomSecret()).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(KeyStoreError);
    expect((refused as KeyStoreError).code).toBe('KEY_SECRET_MISMATCH');

    const run = await runIssuerProcess({ ...env, ISSUER_PORT: '0', KEY_ENCRYPTION_SECRET: randomSecret() });
    expect(run.code).toBe(1);
    expect(run.output).toContain('issuer could not start: KEY_ENCRYPTION_SECRET is not the secret of this issuer database');
  });

  it('a wrong secret stops the platform\'s provisioning too, before any key is used', async () => {
    const refused = await provisionTenants({
      database: { url: city.db.url, schema: city.db.schema, sqlitePath: city.db.sqlitePath },
      keyEncryptionSecret: randomSecret(),
      rpcUrl: city.chain.rpcUrl,
      didNetwork: 'citycred',
      deployment: city.deployment,
      root: city.root,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(KeyStoreError);
    expect((refused as KeyStoreError).message).toMatch(/^KEY_ENCRYPTION_SECRET is not the secret of this issuer database/);
  });

  it('a weak secret is refused by the configuration before anything is opened', async () => {
    const run = await runIssuerProcess({ ...env, ISSUER_PORT: '0', KEY_ENCRYPTION_SECRET: '0123456789abcdef'.repeat(4) });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/KEY_ENCRYPTION_SECRET: is too regular to be secret/);
    expect(run.output).not.toContain('0123456789abcdef');
  });

  it('two tenants\' sealed keys swapped in the database: issuing fails as an internal error, nothing is signed; swapped back, it works', async () => {
    const issuer = await startWith(secret);
    try {
      const tenants = database.getRepository(TenantEntity);
      const keys = database.getRepository(SealedPrivateKeyEntity);
      const [citizen, education] = [await tenants.findOneByOrFail({ slug: 'seoul-citizen' }), await tenants.findOneByOrFail({ slug: 'education-office' })];
      const [a, b] = [await keys.findOneByOrFail({ ownerDid: citizen.did }), await keys.findOneByOrFail({ ownerDid: education.did })];
      const issued = () => database.getRepository(IssuedCredentialEntity).countBy({ tenantId: citizen.id });
      const before = await issued();

      await keys.update({ alias: a.alias }, { sealed: b.sealed });
      await keys.update({ alias: b.alias }, { sealed: a.sealed });
      const refused = await issueCard(issuer, 'seoul-citizen');
      expect(refused.status).toBe(500);
      expect(refused.body.code).toBe('service.internal');
      expect(await issued(), 'no credential was signed or stored').toBe(before);

      await keys.update({ alias: a.alias }, { sealed: a.sealed });
      await keys.update({ alias: b.alias }, { sealed: b.sealed });
      const signed = await issueCard(issuer, 'seoul-citizen');
      expect(signed.status).toBe(201);
      expect(signed.body.verifiableCredential.issuer).toEqual({ id: citizen.did });
    } finally {
      await issuer.close();
    }
  });

  it('citycred secrets rotate re-encrypts the keys; then the old secret is refused and the new one issues', async () => {
    const next = randomSecret();
    const rotated = await runCli({ ...city.db.env, KEY_ENCRYPTION_SECRET: secret, NEW_KEY_ENCRYPTION_SECRET: next }, ['secrets', 'rotate']);
    expect(rotated.code, rotated.output).toBe(0);
    expect(rotated.output).toMatch(/re-encrypted \d+ tenant keys under NEW_KEY_ENCRYPTION_SECRET/);
    expect(rotated.output).not.toContain(secret);
    expect(rotated.output).not.toContain(next);
    const old = secret;
    secret = next;

    const refused = await startWith(old).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((refused as KeyStoreError).code).toBe('KEY_SECRET_MISMATCH');
    const again = await runCli({ ...city.db.env, KEY_ENCRYPTION_SECRET: old, NEW_KEY_ENCRYPTION_SECRET: randomSecret() }, ['secrets', 'rotate']);
    expect(again.code).toBe(1);
    expect(again.output).toContain('secrets rotate refused, nothing was changed: KEY_ENCRYPTION_SECRET is not the secret of this issuer database');

    const issuer = await startWith(next);
    try {
      const signed = await issueCard(issuer, 'seoul-citizen');
      expect(signed.status).toBe(201);
    } finally {
      await issuer.close();
    }
  });
});
