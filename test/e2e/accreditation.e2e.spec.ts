import { credentialAnchorAt, credentialTypeHash, decodeCredentialAnchorLog, type RootAnchoredEvent, issuerRegistryAt } from '@citycred/anchors';
import { credentialHash } from '@citycred/anchoring';
import { exampleSubject, type CatalogueTypeName } from '@citycred/credentials';
import { AnchorBatchEntity, AnchorOutboxEntity, IssuedCredentialEntity } from '@citycred/persistence';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, issueBody, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';

/*
 * Issue 13, item 4: the issuer notices that the city root revoked a tenant's accreditation. Real anvil, real
 * database (SQLite, or PostgreSQL with DATABASE_URL), both services over HTTP. The platform's accreditation cache
 * is read at start and then only when a case calls `p.accreditations.refresh()` (what the poller does every
 * ACCREDITATION_REFRESH_MS), so each case decides whether the issuer has noticed yet. Each case uses its own
 * tenant, so each can run alone.
 */
describe('the issuer notices that it is no longer accredited', () => {
  let p: TestPlatform;

  beforeAll(async () => {
    p = await startTestPlatform('accreditation');
  });
  afterAll(async () => p?.stop());

  const subjectOf = (type: CatalogueTypeName) => {
    const { id: _id, ...subject } = exampleSubject(type) as unknown as Record<string, unknown>;
    return subject;
  };
  const issue = (slug: string, type: CatalogueTypeName) => {
    const { apiKey, did } = p.tenants.get(slug)!;
    return postJson(`${p.issuer.url}/credentials/issue`, issueBody(did, type, subjectOf(type)), { authorization: `Bearer ${apiKey}` });
  };
  const proofOf = (hash: string) => send(`${p.issuer.url}/anchors/proofs/${hash}`);
  const health = () => getJson(`${p.issuer.url}/health`);
  const rows = async () => ({
    credentials: await p.issuer.runtime.dataSource.getRepository(IssuedCredentialEntity).count(),
    outbox: await p.issuer.runtime.dataSource.getRepository(AnchorOutboxEntity).count(),
  });
  const batchOf = async (hash: string) => {
    const leaf = await p.issuer.runtime.dataSource.getRepository(AnchorOutboxEntity).findOneByOrFail({ credentialHash: hash });
    return p.issuer.runtime.dataSource.getRepository(AnchorBatchEntity).findOneByOrFail({ id: leaf.batchId! });
  };
  const nonceOf = (slug: string) => p.provider.getTransactionCount(p.tenants.get(slug)!.address, 'latest');
  /** Every root anchored on chain so far. */
  const anchoredRoots = async () => {
    const anchor = credentialAnchorAt(p.deployment.credentialAnchor, p.provider);
    return (await anchor.queryFilter(anchor.filters.RootAnchored(), 0, 'latest')).map((log) => (decodeCredentialAnchorLog(log)!.args as RootAnchoredEvent).root);
  };
  /** The city root revokes the tenant's first accreditation for `type` (which also suspends it for the type). */
  const revoke = async (slug: string, type: CatalogueTypeName) => {
    const registry = issuerRegistryAt(p.deployment.issuerRegistry, p.root);
    await (await registry.revokeAccreditation(p.tenants.get(slug)!.address, credentialTypeHash(type), 0)).wait();
  };
  /** The city root lifts that suspension and accredits the tenant for `type` again, from now for a day of chain time. */
  const accredit = async (slug: string, type: CatalogueTypeName) => {
    const registry = issuerRegistryAt(p.deployment.issuerRegistry, p.root);
    await (await registry.reinstateIssuer(p.tenants.get(slug)!.address, credentialTypeHash(type))).wait();
    const now = Number((await p.provider.getBlock('latest'))!.timestamp);
    await (await registry.accreditIssuer(p.tenants.get(slug)!.address, [credentialTypeHash(type)], now, now + 86_400)).wait();
  };

  it('refuses to issue with 403 issuance.not-accredited once it has read the revocation, stores nothing, reports it in /health (still 200), and sets aside the batch of what it issued before', async () => {
    const before = await issue('seoul-citizen', 'SeoulCitizenCard');
    expect(before.status, JSON.stringify(before.body)).toBe(201);
    const beforeHash = credentialHash(before.body.verifiableCredential.proof.jwt);
    expect((await health()).body.details.accreditation.tenants['seoul-citizen']).toEqual({ state: 'accredited', accredited: ['SeoulCitizenCard'], notAccredited: [], unknown: [] });

    await revoke('seoul-citizen', 'SeoulCitizenCard');
    await p.accreditations.refresh();

    const stored = await rows();
    const refused = await issue('seoul-citizen', 'SeoulCitizenCard');
    expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    expect(refused.type).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'issuance.not-accredited', status: 403 });
    expect(refused.body.type.endsWith('/issuance.not-accredited')).toBe(true);
    expect(JSON.stringify(refused.body)).not.toContain(String(subjectOf('SeoulCitizenCard')['name']));
    expect(await rows()).toEqual(stored);
    // another tenant is not affected
    expect((await issue('education-office', 'EnrollmentStatus')).status).toBe(201);

    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    const accreditation = res.body.details.accreditation;
    expect(accreditation).toMatchObject({ current: true, block: expect.any(Number) });
    expect(accreditation.tenants['seoul-citizen']).toEqual({ state: 'not-accredited', accredited: [], notAccredited: ['SeoulCitizenCard'], unknown: [] });
    expect(accreditation.tenants['education-office']).toEqual({ state: 'accredited', accredited: ['EnrollmentStatus'], notAccredited: [], unknown: [] });
    // the answer is what the OpenAPI document promises
    const doc = (await getJson(`${p.issuer.url}/docs/json`)).body;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const healthSchema = ajv.compile(doc.paths['/health'].get.responses[200].content['application/json'].schema);
    expect(healthSchema(res.body), JSON.stringify(healthSchema.errors)).toBe(true);

    // The credential issued before the revocation: its batch is set aside without a transaction, and is not pending.
    const nonce = await nonceOf('seoul-citizen');
    const run = await p.worker.runOnce();
    expect(run).toMatchObject({ refused: 1, failed: 0 });
    const batch = await batchOf(beforeHash);
    expect(batch).toMatchObject({ state: 'refused', refusalReason: 'IssuerNotAccredited', txHash: null });
    const proof = await proofOf(beforeHash);
    expect(proof.status, proof.text).toBe(409);
    expect(proof.type).toMatch(/^application\/problem\+json/);
    expect(proof.body).toMatchObject({ code: 'anchor.refused', reason: 'IssuerNotAccredited', refusedAt: batch.refusedAt });
    expect((await health()).body.details.anchoring.refusedBatches).toEqual([
      { tenantSlug: 'seoul-citizen', reason: 'IssuerNotAccredited', batches: 1, credentials: 1, since: batch.refusedAt },
    ]);

    const roots = await anchoredRoots();
    expect(await p.worker.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
    expect(await batchOf(beforeHash)).toMatchObject({ state: 'refused', attempts: 0 });
    expect(await anchoredRoots()).toEqual(roots);
    expect(await nonceOf('seoul-citizen')).toBe(nonce);
  });

  it('sets aside, with 409 anchor.refused, a batch the chain refuses before the issuer has read the revocation, and does not send it again', async () => {
    const issued = await issue('youth-policy', 'YouthAllowanceEligibility');
    expect(issued.status).toBe(201);
    const hash = credentialHash(issued.body.verifiableCredential.proof.jwt);
    expect((await proofOf(hash)).status).toBe(202);
    await revoke('youth-policy', 'YouthAllowanceEligibility');

    const run = await p.worker.runOnce();
    expect(run).toMatchObject({ refused: 1, failed: 0 });
    expect(await batchOf(hash)).toMatchObject({ state: 'refused', refusalReason: 'IssuerNotAccredited', attempts: 1, txHash: null });
    const proof = await proofOf(hash);
    expect(proof.status, proof.text).toBe(409);
    expect(proof.body).toMatchObject({ code: 'anchor.refused', reason: 'IssuerNotAccredited' });

    const roots = await anchoredRoots();
    const nonce = await nonceOf('youth-policy');
    expect(await p.worker.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
    expect(await batchOf(hash)).toMatchObject({ state: 'refused', attempts: 1 });
    expect(await anchoredRoots()).toEqual(roots);
    expect(await nonceOf('youth-policy')).toBe(nonce);
  });

  it('issues and anchors again once the tenant is accredited again: the set-aside batch is sent as it was', async () => {
    const issued = await issue('health-insurance', 'IncomeBracket');
    const hash = credentialHash(issued.body.verifiableCredential.proof.jwt);
    await revoke('health-insurance', 'IncomeBracket');
    await p.accreditations.refresh();
    expect((await issue('health-insurance', 'IncomeBracket')).status).toBe(403);
    expect(await p.worker.runOnce()).toMatchObject({ refused: 1 });
    const setAside = await batchOf(hash);
    expect((await proofOf(hash)).status).toBe(409);

    await accredit('health-insurance', 'IncomeBracket');
    await p.accreditations.refresh();
    expect((await health()).body.details.accreditation.tenants['health-insurance'].state).toBe('accredited');
    expect((await issue('health-insurance', 'IncomeBracket')).status).toBe(201);
    expect(await p.worker.runOnce()).toMatchObject({ anchored: 2, refused: 0, failed: 0 });
    const anchored = await batchOf(hash);
    expect(anchored).toMatchObject({ id: setAside.id, root: setAside.root, state: 'anchored', refusalReason: null, refusedAt: null });
    const proof = await proofOf(hash);
    expect(proof.status, proof.text).toBe(200);
    expect(proof.body).toMatchObject({ status: 'anchored', root: setAside.root, txHash: anchored.txHash });
    expect((await health()).body.details.anchoring.refusedBatches.map((r: { tenantSlug: string }) => r.tenantSlug)).not.toContain('health-insurance');
  });
});
