import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, send, startTestPlatform, type Answer, type TestPlatform } from '../support/platform.js';

/*
 * GET /health on both services, and what they answer when a dependency goes away. This file has its own
 * platform because it stops the chain and closes databases: nothing else may run against it afterwards.
 */

const subject = citizenCardSubject;

/** A 503 service.unavailable problem whose detail names exactly the dependencies in `down`. */
function expectUnavailable(res: Answer, down: string[], up: string[]): void {
  expect(res.status, res.text).toBe(503);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 503, code: 'service.unavailable', title: expect.any(String) });
  expect(res.body.type.endsWith('/service.unavailable')).toBe(true);
  for (const name of down) expect(res.body.detail).toContain(name);
  for (const name of up) expect(res.body.detail).not.toContain(name);
  expect(res.text).not.toMatch(/"stack"|\bat .*:\d+:\d+/);
}

/** `/health` itself must never be cached, up or down. */
function expectHealthUnavailable(res: Answer, down: string[], up: string[]): void {
  expectUnavailable(res, down, up);
  expect(res.cacheControl).toBe('no-store');
}

describe('GET /health', () => {
  let p: TestPlatform;

  beforeAll(async () => {
    p = await startTestPlatform('health');
  });
  afterAll(async () => {
    // The chain and databases were stopped on purpose; stop() must still release everything else.
    await p?.stop();
  });

  const health = (service: 'issuer' | 'verifier') => send(`${p[service].url}/health`);
  const issue = () =>
    send(`${p.issuer.url}/credentials/issue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${p.tenants.get('seoul-citizen')!.apiKey}` },
      body: JSON.stringify(issueBody(p.tenants.get('seoul-citizen')!.did, 'SeoulCitizenCard', subject)),
    });

  let issuedWhileUp: any;

  it('answers 200 {"status":"ok"} on both services while everything is up', async () => {
    for (const service of ['issuer', 'verifier'] as const) {
      const res = await health(service);
      expect(res.status, `${service}: ${res.text}`).toBe(200);
      expect(res.type).toMatch(/^application\/json/);
      // the issuer adds operator details (tenants' accreditation, set-aside batches): see accreditation.e2e.spec.ts
      expect(res.body).toEqual(service === 'issuer' ? { status: 'ok', details: { accreditation: expect.any(Object), anchoring: expect.any(Object) } } : { status: 'ok' });
      expect(res.cacheControl).toBe('no-store');
    }
    const issued = await issue();
    expect(issued.status, issued.text).toBe(201);
    issuedWhileUp = issued.body.verifiableCredential;
  });

  it('answers 503 service.unavailable naming the chain on both services once the chain is stopped', async () => {
    await p.chain.stop();
    for (const service of ['issuer', 'verifier'] as const) {
      const res = await health(service);
      expectHealthUnavailable(res, ['chain'], ['database']);
      expect(res.body.status_of).toEqual({ database: 'up', chain: 'down' });
    }
  });

  it('with the chain down, verifying answers 503 service.unavailable rather than calling a good credential bad', async () => {
    const res = await send(`${p.verifier.url}/credentials/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ verifiableCredential: issuedWhileUp }),
    });
    expect(res.status, res.text).toBe(503);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'service.unavailable' });
    expect(res.body.detail).toMatch(/chain/);
    expect(res.body.verified).toBeUndefined();
  });

  it('with the chain down, issuing still works: anchoring catches up later', async () => {
    const res = await issue();
    expect(res.status, res.text).toBe(201);
  });

  it("answers 503 naming the database (and the chain) once the verifier's database is closed", async () => {
    await p.verifier.runtime.dataSource.destroy();
    const res = await health('verifier');
    expectHealthUnavailable(res, ['database', 'chain'], []);
    expect(res.body.status_of).toEqual({ database: 'down', chain: 'down' });
    const issuer = await health('issuer');
    expectHealthUnavailable(issuer, ['chain'], ['database']);
  });

  it("answers 503 naming the database once the issuer's database is closed, and issuing is a 503 problem, not a 500", async () => {
    await p.issuer.runtime.dataSource.destroy();
    const res = await health('issuer');
    expectHealthUnavailable(res, ['database', 'chain'], []);
    const issued = await issue();
    expect(issued.status, issued.text).not.toBe(500);
    expectUnavailable(issued, ['database'], []);
    const proof = await send(`${p.issuer.url}/anchors/proofs/${'cd'.repeat(32)}`);
    expectUnavailable(proof, ['database'], []);
  });
});
