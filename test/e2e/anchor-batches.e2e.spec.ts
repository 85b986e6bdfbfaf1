import { buildMerkleTree, credentialHash, type Hex32 } from '@citycred/anchoring';
import { exampleSubject } from '@citycred/credentials';
import { AnchorBatchStore } from '@citycred/issuer';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, postJson, send, startTestPlatform, type Answer, type TestPlatform } from '../support/platform.js';

/*
 * The issuer side of anchoring checks that never name a credential (docs/anchoring.md, "Batches: proofs without
 * asking per credential"): an issuer's anchored batches by time window, a batch's leaves, an issuer's queue. Each case
 * issues for a tenant no other case uses, so each can run alone.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const { id: _holder, ...enrollment } = exampleSubject('EnrollmentStatus');
const { id: _holder2, ...income } = exampleSubject('IncomeBracket');
const { id: _holder3, ...youthAllowance } = exampleSubject('YouthAllowanceEligibility');
const { id: _holder4, ...insured } = exampleSubject('EmploymentInsuranceStatus');

describe('anchored batches for verifiers that do not ask per credential', () => {
  let p: TestPlatform;

  beforeAll(async () => {
    p = await startTestPlatform('anchor_batches');
  });
  afterAll(async () => p?.stop());

  /** Issues a JWT VC as the tenant and returns its credential hash (the SHA-256 of the compact JWT). */
  async function issue(slug: string, type: string, subject: unknown): Promise<string> {
    const { apiKey, did } = p.tenants.get(slug)!;
    const res = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(did, type, subject), { authorization: `Bearer ${apiKey}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return credentialHash(res.body.verifiableCredential.proof.jwt);
  }

  const batchesUrl = (query: Record<string, string> | string) => `${p.issuer.url}/anchors/batches?${new URLSearchParams(query).toString()}`;
  const pendingUrl = (did: string) => `${p.issuer.url}/anchors/pending?${new URLSearchParams({ issuer: did }).toString()}`;
  const leavesUrl = (root: string) => `${p.issuer.url}/anchors/batches/${root}/leaves`;
  const windowAround = (did: string, at: Date) => ({ issuer: did, from: new Date(at.getTime() - DAY_MS).toISOString(), to: new Date(at.getTime() + DAY_MS).toISOString() });
  const chainNow = async () => new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000);
  const tenantId = async (slug: string) => (await p.issuer.runtime.tenants.findBySlug(slug))!.id;

  function expectProblem(res: Answer, status: number, code: string): void {
    expect(res.status, res.text).toBe(status);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe(code);
  }

  it('lists queued credentials, then the batch that anchored them, whose leaves rebuild its root', async () => {
    const { did, address } = p.tenants.get('seoul-citizen')!;
    const issued = [];
    for (let i = 0; i < 3; i += 1) issued.push(await issue('seoul-citizen', 'SeoulCitizenCard', citizenCardSubject));

    const queued = await send(pendingUrl(did));
    expect(queued.status, queued.text).toBe(200);
    expect(queued.cacheControl).toBe('public, max-age=5');
    expect(queued.body).toMatchObject({ issuer: did, refused: [], truncated: false });
    const pendingHashes = queued.body.pending.map((leaf: { credentialHash: string }) => leaf.credentialHash);
    expect(pendingHashes).toEqual(expect.arrayContaining(issued));
    const enqueuedAt = queued.body.pending.map((leaf: { enqueuedAt: string }) => leaf.enqueuedAt);
    for (const at of enqueuedAt) expect(new Date(at).toISOString()).toBe(at);
    expect([...enqueuedAt].sort()).toEqual(enqueuedAt);

    const before = await send(batchesUrl(windowAround(did, await chainNow())));
    expect(before.status, before.text).toBe(200);
    expect(before.body.pending).toEqual({ count: queued.body.pending.length, since: enqueuedAt[0] });

    const run = await p.worker.runOnce();
    expect(run.anchored).toBeGreaterThanOrEqual(1);
    const drained = await send(pendingUrl(did));
    expect(drained.body).toEqual({ issuer: did, pending: [], refused: [], truncated: false });

    const window = windowAround(did, await chainNow());
    const listed = await send(batchesUrl(window));
    expect(listed.status, listed.text).toBe(200);
    expect(listed.cacheControl).toBe('public, max-age=30');
    expect(listed.body).toMatchObject({ issuer: did, from: window.from, to: window.to, truncated: false, pending: { count: 0, since: null } });
    const withOurs = [];
    for (const batch of listed.body.batches) {
      const leaves = await send(leavesUrl(batch.root));
      expect(leaves.status, leaves.text).toBe(200);
      expect(leaves.body.root).toBe(batch.root);
      expect(buildMerkleTree(leaves.body.leaves as Hex32[]).root).toBe(batch.root);
      expect(leaves.body.leaves).toHaveLength(batch.leafCount);
      if (issued.some((hash) => leaves.body.leaves.includes(hash))) withOurs.push({ batch, leaves });
    }
    expect(withOurs).toHaveLength(1);
    const [{ batch, leaves }] = withOurs as [{ batch: any; leaves: Answer }];
    expect(leaves.body.leaves).toEqual(expect.arrayContaining(issued));
    // The issuance also queued the first versions of the tenant's status lists: every queued digest is a leaf.
    expect([...leaves.body.leaves].sort()).toEqual([...pendingHashes].sort());
    expect(leaves.cacheControl).toBe('public, max-age=31536000, immutable');
    expect(leaves.headers.get('etag')).toBe(`"${batch.root}"`);

    const receipt = (await p.provider.getTransactionReceipt(batch.txHash))!;
    const block = (await p.provider.getBlock(receipt.blockNumber))!;
    expect(batch).toEqual({
      root: batch.root,
      leafCount: leaves.body.leaves.length,
      anchoredAt: new Date(Number(block.timestamp) * 1000).toISOString(),
      txHash: receipt.hash,
      blockNumber: receipt.blockNumber,
      chainId: p.chain.chainId,
      contract: p.deployment.credentialAnchor,
    });
    expect(receipt.from.toLowerCase()).toBe(address.toLowerCase());
    expect(receipt.to?.toLowerCase()).toBe(p.deployment.credentialAnchor.toLowerCase());

    // The per-credential endpoint the wallet uses still answers, with the same batch.
    const proof = await send(`${p.issuer.url}/anchors/proofs/${issued[0]}`);
    expect(proof.status).toBe(200);
    expect(proof.body).toMatchObject({ root: batch.root, txHash: batch.txHash });

    // [from, to): the window starting at anchoredAt holds the batch, the one ending there does not.
    const at = new Date(batch.anchoredAt);
    const starting = await send(batchesUrl({ issuer: did, from: at.toISOString(), to: new Date(at.getTime() + 1).toISOString() }));
    expect(starting.body.batches.map((b: { root: string }) => b.root)).toContain(batch.root);
    const ending = await send(batchesUrl({ issuer: did, from: new Date(at.getTime() - DAY_MS).toISOString(), to: at.toISOString() }));
    expect(ending.status).toBe(200);
    expect(ending.body.batches.map((b: { root: string }) => b.root)).not.toContain(batch.root);
    // An offset is an instant like any other: the window is echoed in UTC.
    const seoulTime = await send(batchesUrl({ issuer: did, from: '2026-03-02T09:00:00+09:00', to: '2026-03-03T09:00:00+09:00' }));
    expect(seoulTime.status, seoulTime.text).toBe(200);
    expect(seoulTime.body).toMatchObject({ from: '2026-03-02T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' });

    // The root in any case, with or without 0x, names the same batch; a matching If-None-Match is answered 304.
    const loose = await send(leavesUrl(batch.root.slice(2).toUpperCase()));
    expect(loose.body).toEqual(leaves.body);
    const revalidated = await send(leavesUrl(batch.root), { headers: { 'if-none-match': `"${batch.root}"` } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toBe(`"${batch.root}"`);
  });

  it('lists a tenant’s batches and queue under its own DID only', async () => {
    const education = p.tenants.get('education-office')!;
    const health = p.tenants.get('health-insurance')!;
    const enrolled = await issue('education-office', 'EnrollmentStatus', enrollment);
    const bracket = await issue('health-insurance', 'IncomeBracket', income);

    const educationQueue = (await send(pendingUrl(education.did))).body.pending.map((leaf: { credentialHash: string }) => leaf.credentialHash);
    const healthQueue = (await send(pendingUrl(health.did))).body.pending.map((leaf: { credentialHash: string }) => leaf.credentialHash);
    expect(educationQueue).toContain(enrolled);
    expect(educationQueue).not.toContain(bracket);
    expect(healthQueue).toContain(bracket);
    expect(healthQueue).not.toContain(enrolled);

    await p.worker.runOnce();
    const now = await chainNow();
    const leavesOf = async (did: string): Promise<string[]> => {
      const listed = await send(batchesUrl(windowAround(did, now)));
      expect(listed.status, listed.text).toBe(200);
      const all: string[] = [];
      for (const batch of listed.body.batches) all.push(...(await send(leavesUrl(batch.root))).body.leaves);
      return all;
    };
    const educationLeaves = await leavesOf(education.did);
    const healthLeaves = await leavesOf(health.did);
    expect(educationLeaves).toContain(enrolled);
    expect(educationLeaves).not.toContain(bracket);
    expect(healthLeaves).toContain(bracket);
    expect(healthLeaves).not.toContain(enrolled);
    expect(educationLeaves.filter((hash) => healthLeaves.includes(hash))).toEqual([]);
  });

  it('counts a sealed batch as pending, lists a set-aside batch as refused, and serves the leaves of neither', async () => {
    const { did } = p.tenants.get('youth-policy')!;
    const hash = await issue('youth-policy', 'YouthAllowanceEligibility', youthAllowance);
    const store = p.issuer.app.get(AnchorBatchStore);
    const id = await tenantId('youth-policy');
    const sealed = (await store.sealBatch(id, 512, new Date()))!;
    expect(sealed).not.toBeNull();

    const queued = await send(pendingUrl(did));
    expect(queued.body.pending.map((leaf: { credentialHash: string }) => leaf.credentialHash)).toContain(hash);
    expect(queued.body.pending).toHaveLength(sealed.leafCount);
    expectProblem(await send(leavesUrl(sealed.root)), 404, 'anchor.batch-not-found');

    expect(await store.setAside(sealed.id, { reason: 'IssuerNotAccredited', detail: 'set aside by the test', at: new Date() })).toBe(true);
    const refused = await send(pendingUrl(did));
    expect(refused.body.pending).toEqual([]);
    expect(refused.body.refused).toContain(hash);
    expect(refused.body.refused).toHaveLength(sealed.leafCount);
    const summary = await send(batchesUrl(windowAround(did, await chainNow())));
    expect(summary.body).toMatchObject({ batches: [], pending: { count: 0, since: null } });
    expectProblem(await send(leavesUrl(sealed.root)), 404, 'anchor.batch-not-found');

    expect(await store.retryRefused(id)).toBe(1);
    expect((await p.worker.runOnce()).anchored).toBeGreaterThanOrEqual(1);
    const anchored = await send(leavesUrl(sealed.root));
    expect(anchored.status, anchored.text).toBe(200);
    expect(anchored.body.leaves).toContain(hash);
    expect((await send(pendingUrl(did))).body).toMatchObject({ pending: [], refused: [] });
  });

  it('answers as the OpenAPI document describes', async () => {
    const { did } = p.tenants.get('employment-insurance')!;
    const doc = (await send(`${p.issuer.url}/docs/json`)).body;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const expectDescribed = (path: string, answer: Answer) => {
      expect(answer.status, answer.text).toBe(200);
      const validate = ajv.compile(doc.paths[path].get.responses[200].content['application/json'].schema);
      expect(validate(answer.body), JSON.stringify(validate.errors)).toBe(true);
    };
    const hash = await issue('employment-insurance', 'EmploymentInsuranceStatus', insured);
    expectDescribed('/anchors/pending', await send(pendingUrl(did)));
    await p.worker.runOnce();
    const listed = await send(batchesUrl(windowAround(did, await chainNow())));
    expectDescribed('/anchors/batches', listed);
    expect(listed.body.batches).toHaveLength(1);
    const leaves = await send(leavesUrl(listed.body.batches[0].root));
    expectDescribed('/anchors/batches/{root}/leaves', leaves);
    expect(leaves.body.leaves).toContain(hash);
  });

  it('refuses malformed questions with 400 request.invalid, windows over 7 days included', async () => {
    const { did } = p.tenants.get('seoul-citizen')!;
    const from = '2026-03-02T00:00:00Z';
    const after = (ms: number) => new Date(Date.parse(from) + ms).toISOString();
    const refusals: Array<Record<string, string> | string> = [
      { issuer: did, from },
      { from, to: after(DAY_MS) },
      { issuer: did, from: 'yesterday', to: after(DAY_MS) },
      { issuer: did, from: '2026-03-02T00:00:00', to: after(DAY_MS) },
      { issuer: did, from: '2026-03-02', to: after(DAY_MS) },
      { issuer: did, from, to: from },
      { issuer: did, from: after(DAY_MS), to: from },
      { issuer: 'seoul-citizen', from, to: after(DAY_MS) },
      { issuer: did, from, to: after(DAY_MS), page: '2' },
      `issuer=${encodeURIComponent(did)}&issuer=${encodeURIComponent(did)}&from=${from}&to=${after(DAY_MS)}`,
    ];
    for (const query of refusals) expectProblem(await send(batchesUrl(query)), 400, 'request.invalid');

    const eightDays = await send(batchesUrl({ issuer: did, from, to: after(8 * DAY_MS) }));
    expectProblem(eightDays, 400, 'request.invalid');
    expect(eightDays.body.detail).toMatch(/7 days/);
    const justOver = await send(batchesUrl({ issuer: did, from, to: after(7 * DAY_MS + 1) }));
    expectProblem(justOver, 400, 'request.invalid');
    const sevenDays = await send(batchesUrl({ issuer: did, from, to: after(7 * DAY_MS) }));
    expect(sevenDays.status, sevenDays.text).toBe(200);

    expectProblem(await send(`${p.issuer.url}/anchors/pending`), 400, 'request.invalid');
    expectProblem(await send(`${p.issuer.url}/anchors/pending?issuer=${encodeURIComponent(did)}&from=${from}`), 400, 'request.invalid');
    for (const root of ['xyz', `0x${'ab'.repeat(31)}`, `0x${'ab'.repeat(32)}00`, `0x${'g'.repeat(64)}`]) {
      expectProblem(await send(leavesUrl(root)), 400, 'request.invalid');
    }
  });

  it('answers 404 for an issuer DID no tenant has, and for a root no batch has', async () => {
    const stranger = `did:ethr:citycred:0x02${'5a'.repeat(32)}`;
    const window = { issuer: stranger, from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' };
    expectProblem(await send(batchesUrl(window)), 404, 'anchor.issuer-not-found');
    expectProblem(await send(pendingUrl(stranger)), 404, 'anchor.issuer-not-found');
    // A DID is matched as written: the tenant's, changed in case, is another string.
    const { did } = p.tenants.get('seoul-citizen')!;
    expectProblem(await send(pendingUrl(did.replace(/0x([0-9a-f]+)$/, (_, key: string) => `0x${key.toUpperCase()}`))), 404, 'anchor.issuer-not-found');
    expectProblem(await send(leavesUrl(`0x${'5a'.repeat(32)}`)), 404, 'anchor.batch-not-found');
  });
});
