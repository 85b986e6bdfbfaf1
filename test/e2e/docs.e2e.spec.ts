import { credentialHash } from '@citycred/anchoring';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, getJson, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';

/** The OpenAPI documents are generated from the schemas the services parse with: real traffic must match them. */
describe('OpenAPI documents at /docs', () => {
  let p: TestPlatform;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);

  beforeAll(async () => {
    p = await startTestPlatform('docs');
  });
  afterAll(async () => p?.stop());

  const schemaAt = (doc: any, path: string, method: string, where: 'request' | number, type = 'application/json') =>
    where === 'request' ? doc.paths[path][method].requestBody.content[type].schema : doc.paths[path][method].responses[where].content[type].schema;

  it('describe every route of each service as OpenAPI 3.1', async () => {
    const issuer = await getJson(`${p.issuer.url}/docs/json`);
    const verifier = await getJson(`${p.verifier.url}/docs/json`);
    expect(issuer.status).toBe(200);
    expect(issuer.body.openapi).toBe('3.1.0');
    expect(Object.keys(issuer.body.paths).sort()).toEqual(['/anchors/proofs/{credentialHash}', '/credentials/issue', '/health']);
    expect(Object.keys(verifier.body.paths).sort()).toEqual(['/credentials/verify', '/health']);
    expect(issuer.body.paths['/credentials/issue'].post.security).toEqual([{ tenantApiKey: [] }]);
    const page = await send(`${p.issuer.url}/docs`);
    expect(page.type).toContain('text/html');
    expect(page.text).toContain('POST /credentials/issue');
    expect(page.text).not.toContain('<script');
  });

  it('match what the services accept and answer', async () => {
    const issuerDoc = (await getJson(`${p.issuer.url}/docs/json`)).body;
    const verifierDoc = (await getJson(`${p.verifier.url}/docs/json`)).body;
    const request = { credential: { type: ['VerifiableCredential', 'SeoulCitizenCard'], credentialSubject: citizenCardSubject } };
    const issueRequest = ajv.compile(schemaAt(issuerDoc, '/credentials/issue', 'post', 'request'));
    expect(issueRequest(request), JSON.stringify(issueRequest.errors)).toBe(true);
    expect(issueRequest({ ...request, id: 'urn:uuid:x' })).toBe(false);

    const issued = await postJson(`${p.issuer.url}/credentials/issue`, request, { authorization: `Bearer ${p.tenants.get('seoul-citizen')!.apiKey}` });
    const issuedSchema = ajv.compile(schemaAt(issuerDoc, '/credentials/issue', 'post', 201));
    expect(issuedSchema(issued.body), JSON.stringify(issuedSchema.errors)).toBe(true);

    const verifyRequest = { verifiableCredential: issued.body.verifiableCredential };
    expect(ajv.validate(schemaAt(verifierDoc, '/credentials/verify', 'post', 'request'), verifyRequest)).toBe(true);
    const verified = await postJson(`${p.verifier.url}/credentials/verify`, verifyRequest);
    const ok = ajv.compile(schemaAt(verifierDoc, '/credentials/verify', 'post', 200));
    expect(ok(verified.body), JSON.stringify(ok.errors)).toBe(true);
    const notVerified = await postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: 'garbage' });
    const bad = ajv.compile(schemaAt(verifierDoc, '/credentials/verify', 'post', 400, 'application/problem+json'));
    expect(bad(notVerified.body), JSON.stringify(bad.errors)).toBe(true);

    await p.worker.runOnce();
    const proof = await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(issued.body.verifiableCredential.proof.jwt)}`);
    const proofSchema = ajv.compile(schemaAt(issuerDoc, '/anchors/proofs/{credentialHash}', 'get', 200));
    expect(proofSchema(proof.body), JSON.stringify(proofSchema.errors)).toBe(true);
  });
});
