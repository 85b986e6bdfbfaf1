import { credentialHash } from '@citycred/anchoring';
import { exampleSubject, type CatalogueTypeName } from '@citycred/credentials';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueBody, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';

const TOKEN = 'metrics-token-for-the-e2e-test-0123456789';

/** The value of one sample in a Prometheus text answer, or undefined when it is not there. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = match[2] ? match[2].split(',') : [];
    if (wanted.length === present.length && wanted.every((w) => present.includes(w))) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics on the issuer', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform('metrics', { issuerEnv: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => p?.stop());

  const scrape = (token = TOKEN) => send(`${p.issuer.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const issue = async (slug: string, type: CatalogueTypeName) => {
    const { id: _id, ...credentialSubject } = exampleSubject(type) as unknown as Record<string, unknown>;
    const tenant = p.tenants.get(slug)!;
    const res = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(tenant.did, type, credentialSubject), { authorization: `Bearer ${tenant.apiKey}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return credentialHash(res.body.verifiableCredential.proof.jwt);
  };

  it('answers 401 problem+json without the token or with another one', async () => {
    for (const res of [await send(`${p.issuer.url}/metrics`), await scrape('x'.repeat(40))]) {
      expect(res.status).toBe(401);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('auth.invalid-metrics-token');
    }
  });

  it('reports issuances per tenant, type and format, the anchoring backlog and its lag, then anchored batches and their gas', async () => {
    await issue('seoul-citizen', 'SeoulCitizenCard');
    await issue('seoul-citizen', 'SeoulCitizenCard');
    await issue('education-office', 'EnrollmentStatus');

    const before = await scrape();
    expect(before.status).toBe(200);
    expect(before.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(before.cacheControl).toBe('no-store');
    expect(before.text).toContain('# TYPE citycred_issuances_total counter');
    expect(sample(before.text, 'citycred_issuances_total', { tenant: 'seoul-citizen', type: 'SeoulCitizenCard', format: 'jwt_vc' })).toBe(2);
    expect(sample(before.text, 'citycred_issuances_total', { tenant: 'education-office', type: 'EnrollmentStatus', format: 'jwt_vc' })).toBe(1);
    expect(sample(before.text, 'citycred_anchor_pending', { kind: 'credential' })).toBe(3);
    expect(sample(before.text, 'citycred_anchor_lag_seconds')).toBeGreaterThan(0);
    expect(sample(before.text, 'citycred_anchored_batches_total')).toBe(0);

    expect(await p.worker.runOnce()).toMatchObject({ anchored: 2, failed: 0 });

    const after = await scrape();
    expect(sample(after.text, 'citycred_anchor_pending', { kind: 'credential' })).toBeUndefined();
    expect(sample(after.text, 'citycred_anchor_lag_seconds')).toBe(0);
    expect(sample(after.text, 'citycred_anchored_batches_total')).toBe(2);
    expect(sample(after.text, 'citycred_anchored_digests_total', { kind: 'credential' })).toBe(3);
    const txs: Array<{ tx_hash: string }> = await p.issuer.runtime.dataSource.query(`SELECT tx_hash FROM anchor_batches WHERE state = 'anchored'`);
    let gas = 0;
    for (const { tx_hash } of txs) gas += Number((await p.provider.getTransactionReceipt(tx_hash))!.gasUsed);
    expect(gas).toBeGreaterThan(0);
    expect(sample(after.text, 'citycred_anchor_gas_used_total')).toBe(gas);
  });

  it('counts the problem answers of this process by code and status', async () => {
    const count = async (code: string, status: string) => sample((await scrape()).text, 'citycred_http_problems_total', { code, status }) ?? 0;
    const invalidKey = await count('auth.invalid-api-key', '401');
    const notFound = await count('request.not-found', '404');
    expect((await postJson(`${p.issuer.url}/credentials/issue`, {}, { authorization: 'Bearer ccd_not-a-key' })).status).toBe(401);
    expect((await postJson(`${p.issuer.url}/credentials/issue`, {}, { authorization: 'Bearer ccd_not-a-key' })).status).toBe(401);
    expect((await send(`${p.issuer.url}/no-such-route`)).status).toBe(404);
    expect(await count('auth.invalid-api-key', '401')).toBe(invalidKey + 2);
    expect(await count('request.not-found', '404')).toBe(notFound + 1);
  });
});

describe('GET /metrics on the verifier', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform('verifier_metrics', { verifierEnv: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => p?.stop());

  const scrape = (token = TOKEN) => send(`${p.verifier.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });

  it('is off without the token (401), and counts verifications, checks, latency, cache lookups and problems', async () => {
    expect((await send(`${p.verifier.url}/metrics`)).status).toBe(401);
    expect((await scrape('y'.repeat(40))).status).toBe(401);

    const tenant = p.tenants.get('seoul-citizen')!;
    const { id: _id, ...credentialSubject } = exampleSubject('SeoulCitizenCard') as unknown as Record<string, unknown>;
    const issued = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(tenant.did, 'SeoulCitizenCard', credentialSubject), { authorization: `Bearer ${tenant.apiKey}` });
    expect(issued.status).toBe(201);
    await p.worker.runOnce();
    const jwt: string = issued.body.verifiableCredential.proof.jwt;
    for (let i = 0; i < 3; i += 1) expect((await postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: jwt })).status).toBe(200);
    expect((await postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: `${jwt.slice(0, -4)}AAAA` })).status).toBe(400);
    expect((await postJson(`${p.verifier.url}/credentials/verify`, { nothing: true })).status).toBe(400);

    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = res.text;
    expect(sample(text, 'citycred_verifications_total', { kind: 'credential', result: 'verified' })).toBe(3);
    expect(sample(text, 'citycred_verifications_total', { kind: 'credential', result: 'not-verified' })).toBe(1);
    expect(sample(text, 'citycred_verification_checks_total', { kind: 'credential', check: 'signature', status: 'failed' })).toBe(1);
    expect(sample(text, 'citycred_verification_checks_total', { kind: 'credential', check: 'anchor', status: 'passed' })).toBe(3);
    expect(sample(text, 'citycred_verification_duration_seconds_count', { kind: 'credential' })).toBe(4);
    expect(sample(text, 'citycred_verification_duration_seconds_bucket', { kind: 'credential', le: '+Inf' })).toBe(4);
    // One chain read of the root served the three verifications of the anchored credential.
    expect(sample(text, 'citycred_verifier_cache_lookups_total', { cache: 'chain-anchors', outcome: 'miss' })).toBe(1);
    expect(sample(text, 'citycred_verifier_cache_lookups_total', { cache: 'anchor-batches', outcome: 'hit' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'citycred_http_problems_total', { code: 'request.invalid', status: '400' })).toBe(1);
  });
});
