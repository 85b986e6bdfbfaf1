import { exampleSubject } from '@citycred/credentials';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';

describe('concurrent issuance while the anchoring worker runs', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform('concurrency');
  });
  afterAll(async () => p?.stop());

  it('stores and anchors every credential exactly once', async () => {
    const { id: _holder, ...subject } = exampleSubject('SeoulCitizenCard');
    const { apiKey, did } = p.tenants.get('seoul-citizen')!;
    const issue = () => postJson(`${p.issuer.url}/credentials/issue`, issueBody(did, 'SeoulCitizenCard', subject), { authorization: `Bearer ${apiKey}` });
    const results = await Promise.all([
      ...Array.from({ length: 30 }, issue),
      p.worker.runOnce(),
      new Promise((r) => setTimeout(r, 20)).then(() => p.worker.runOnce()),
    ]);
    const responses = results.slice(0, 30) as Awaited<ReturnType<typeof issue>>[];
    expect(responses.map((r) => r.status)).toEqual(Array(30).fill(201));
    await p.worker.runOnce();
    const ds = p.issuer.runtime.dataSource;
    const [{ n: stored }] = await ds.query('SELECT COUNT(*) AS n FROM issued_credentials');
    // (the tenant's first issuance also queues its new status lists' digests: the batches hold those too)
    const [{ n: outbox }] = await ds.query(`SELECT COUNT(*) AS n FROM anchor_outbox WHERE kind = 'credential' AND batch_id IS NOT NULL AND proof IS NOT NULL`);
    const [{ n: leaves }] = await ds.query('SELECT COUNT(*) AS n FROM anchor_outbox');
    const batches: Array<{ leaf_count: number; state: string }> = await ds.query('SELECT leaf_count, state FROM anchor_batches');
    expect(Number(stored)).toBe(30);
    expect(Number(outbox)).toBe(30);
    expect(batches.every((b) => b.state === 'anchored')).toBe(true);
    expect(batches.reduce((sum, b) => sum + Number(b.leaf_count), 0)).toBe(Number(leaves));
    for (const response of responses.slice(0, 3)) {
      const verified = await postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: response.body.verifiableCredential });
      expect(verified.body.checks.find((c: { id: string }) => c.id === 'anchor').status).toBe('passed');
    }
  });
});
