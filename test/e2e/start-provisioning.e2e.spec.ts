import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentialTypeHash, issuerRegistryAt, readDeploymentRecord } from '@citycred/anchors';
import { demoFileSchema, type DemoFile } from '@citycred/platform';
import { computeAddress, getAddress, isAddress, JsonRpcProvider, Wallet } from 'ethers';
import { afterEach, describe, expect, it } from 'vitest';
import { createCliSandbox, launchCli, runCli, signalCli, type CliSandbox, type Launched } from '../support/launcher.js';
import { citizenCardSubject, issueBody, postJson } from '../support/platform.js';

/** The on-chain identity of a `did:ethr:<network>:<address or public key>`. */
function addressOfDid(did: string): string {
  const id = did.split(':').pop()!;
  return isAddress(id) ? getAddress(id) : computeAddress(id);
}

const readDemo = (varDir: string): DemoFile => demoFileSchema.parse(JSON.parse(readFileSync(join(varDir, 'demo', 'tenants.json'), 'utf8')));

describe('npm start provisions a demo tenant once: what the city root revokes stays revoked across restarts', () => {
  let sandbox: CliSandbox | undefined;
  let launched: Launched | undefined;
  let provider: JsonRpcProvider | undefined;

  afterEach(async () => {
    provider?.destroy();
    if (launched) await signalCli(launched);
    await sandbox?.remove();
    provider = launched = sandbox = undefined;
  });

  it('does not accredit seoul-citizen again after the root revoked it, and the demo file still lists it', async () => {
    sandbox = await createCliSandbox('start_revocation');
    const { env, varDir } = sandbox;
    launched = await launchCli(env);
    expect(launched.output.join('')).toContain("tenants   accredited from the chain's latest block time: seoul-citizen: SeoulCitizenCard");
    const demo = readDemo(varDir);
    const seoul = demo.tenants.find((t) => t.slug === 'seoul-citizen')!;
    const address = addressOfDid(seoul.did);
    const type = credentialTypeHash('SeoulCitizenCard');

    // The city root (its key is the embedded mode's, in var/secrets.json) revokes the department's accreditation.
    const { cityRootKey } = JSON.parse(readFileSync(join(varDir, 'secrets.json'), 'utf8')) as { cityRootKey: string };
    provider = new JsonRpcProvider(demo.chainRpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const deployment = readDeploymentRecord(31337, sandbox.deploymentsDir)!;
    const registry = issuerRegistryAt(deployment.issuerRegistry, new Wallet(cityRootKey, provider));
    const accredited = () => registry.queryFilter(registry.filters.IssuerAccredited!(), deployment.blockNumber);
    const receipt = (await (await registry.revokeAccreditation(address, type, 0)).wait())!;
    const revokedAt = (await provider.getBlock(receipt.blockNumber))!.timestamp;
    const eventsBefore = (await accredited()).length;
    expect(eventsBefore).toBeGreaterThan(0);

    expect(await signalCli(launched)).toBe(0);
    launched = await launchCli(env);

    // Nothing was accredited by the restart, and the revocation holds now and later.
    expect(launched.output.join('')).toContain('tenants   demo tenants already provisioned on this registry: nothing accredited again');
    expect((await accredited()).length).toBe(eventsBefore);
    const head = (await provider.getBlock('latest'))!;
    expect(await registry.isAccredited(address, type, head.timestamp)).toBe(false);
    expect(await registry.isAccredited(address, type, revokedAt + 60)).toBe(false);
    // The issuer refuses the type, as a user of the API sees it.
    const again = readDemo(varDir);
    expect(again.tenants.find((t) => t.slug === 'seoul-citizen')).toEqual(seoul);
    const issued = await postJson(`${again.issuerUrl}/credentials/issue`, issueBody(seoul.did, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${seoul.apiKey}` });
    expect(issued.status).toBe(403);
    expect(issued.body.code).toBe('issuance.not-accredited');
  }, 180_000);

  it('onboards a tenant on the running embedded chain with "tenants onboard" (secrets from var/secrets.json), funded, whose credentials anchor', async () => {
    sandbox = await createCliSandbox('start_onboard', { env: { ANCHOR_BATCH_INTERVAL_MS: '300', ACCREDITATION_REFRESH_MS: '300' } });
    const { env, varDir } = sandbox;
    launched = await launchCli(env);
    const onboarded = await runCli(env, ['tenants', 'onboard', 'mapo-residents', '--name', 'Mapo-gu Resident Registration', '--kind', 'department', '--types', 'SeoulCitizenCard']);
    expect(onboarded.code, onboarded.output).toBe(0);
    expect(onboarded.output).not.toContain('if the chain charges gas');
    const apiKey = /^(ccd_\S+)$/m.exec(onboarded.output)![1]!;
    const did = /created mapo-residents \(department\): (did:ethr:citycred:0x[0-9a-fA-F]+)/.exec(onboarded.output)?.[1];
    expect(did, onboarded.output).toBeDefined();
    const { issuerUrl, verifierUrl } = readDemo(varDir);
    let issued = { status: 0, body: null as any };
    // The running issuer reads the new tenant on its next accreditation refresh.
    for (let i = 0; i < 100 && issued.status !== 201; i += 1) {
      if (i > 0) await new Promise((r) => setTimeout(r, 200));
      issued = await postJson(`${issuerUrl}/credentials/issue`, issueBody(did!, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${apiKey}` });
    }
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    // Anchoring is paid by the tenant's account: it was funded from the embedded root.
    let anchor: string | undefined;
    for (let i = 0; i < 100 && anchor !== 'passed'; i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      const res = await postJson(`${verifierUrl}/credentials/verify`, { verifiableCredential: issued.body.verifiableCredential });
      anchor = res.body.checks.find((c: { id: string }) => c.id === 'anchor').status;
    }
    expect(anchor).toBe('passed');
  }, 180_000);

  it('gives the issuer the embedded root key for the admin API: seoul-citizen\'s demo admin creates a tenant, funded, whose credentials anchor', async () => {
    sandbox = await createCliSandbox('start_admin_api', { env: { ANCHOR_BATCH_INTERVAL_MS: '300' } });
    const { env, varDir } = sandbox;
    launched = await launchCli(env);
    const { issuerUrl, verifierUrl, tenants } = readDemo(varDir);
    const admin = tenants.find((t) => t.slug === 'seoul-citizen')!.console!;
    const signedIn = await fetch(`${issuerUrl}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-citycred-console': '1' },
      body: JSON.stringify({ tenant: 'seoul-citizen', username: admin.username, password: admin.password }),
    });
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    const created = await postJson(
      `${issuerUrl}/console/api/admin/tenants`,
      { slug: 'mapo-residents', name: '마포구 주민등록', nameEn: 'Mapo-gu Resident Registration', kind: 'department', types: ['SeoulCitizenCard'] },
      { cookie, 'x-citycred-console': '1' },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { apiKey, tenant } = created.body as { apiKey: string; tenant: { did: string } };
    // The admin API refreshed the issuer's accreditation: the new key issues at once.
    const issued = await postJson(`${issuerUrl}/credentials/issue`, issueBody(tenant.did, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${apiKey}` });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    let anchor: string | undefined;
    for (let i = 0; i < 100 && anchor !== 'passed'; i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      const res = await postJson(`${verifierUrl}/credentials/verify`, { verifiableCredential: issued.body.verifiableCredential });
      anchor = res.body.checks.find((c: { id: string }) => c.id === 'anchor').status;
    }
    expect(anchor).toBe('passed');
  }, 180_000);
});
