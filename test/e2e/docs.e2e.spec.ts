import { credentialHash } from '@citycred/anchoring';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, getJson, issueBody, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';

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
    expect(Object.keys(issuer.body.paths).sort()).toEqual([
      '/.well-known/oauth-authorization-server/oid4vci/{tenant}',
      '/.well-known/openid-credential-issuer/oid4vci/{tenant}',
      '/anchors/batches',
      '/anchors/batches/{root}/leaves',
      '/anchors/digests',
      '/anchors/pending',
      '/anchors/proofs/{credentialHash}',
      '/certificates/{credentialHash}/{secret}',
      '/credential-types/{tenant}/{type}/schema',
      '/credential-types/{type}/schema',
      '/credentials/issue',
      '/credentials/status',
      '/credentials/{id}/certificate.pdf',
      '/health',
      '/issuers',
      '/labor/contracts/{id}',
      '/labor/contracts/{id}/attendance',
      '/labor/contracts/{id}/worker-signature',
      '/metrics',
      '/oid4vci/offers',
      '/oid4vci/offers/bulk',
      '/oid4vci/offers/bulk/{jobId}',
      '/oid4vci/offers/{id}',
      '/oid4vci/offers/{id}/status',
      '/oid4vci/{tenant}/credential',
      '/oid4vci/{tenant}/nonce',
      '/oid4vci/{tenant}/token',
      '/status-lists/{id}',
    ]);
    expect(Object.keys(issuer.body.paths).some((path) => path.startsWith('/console'))).toBe(false);
    expect(Object.keys(verifier.body.paths).sort()).toEqual([
      '/apply/api/{page}',
      '/apply/api/{page}/applications',
      '/apply/api/{page}/applications/{id}',
      '/apply/api/{page}/applications/{id}/eligibility-offer',
      '/apply/api/{page}/applications/{id}/receipt',
      '/challenges',
      '/check/dids/{did}',
      '/check/issuers',
      '/credentials/verify',
      '/health',
      '/metrics',
      '/petitions',
      '/petitions/{id}',
      '/petitions/{id}/close',
      '/petitions/{id}/signature-requests',
      '/petitions/{id}/signature-requests/{rid}',
      '/petitions/{id}/signatures',
      '/presentation-requests',
      '/presentation-requests/{handle}/request',
      '/presentation-requests/{handle}/response',
      '/presentation-requests/{id}',
      '/presentation-requests/{id}/events',
      '/presentations/verify',
      '/programs',
      '/programs/receipt-key',
      '/scan/offline-bundle',
      '/scan/presentations',
      '/signatures/jwks',
      '/signatures/requests',
      '/signatures/requests/{id}',
      '/signatures/verify',
    ]);
    expect(issuer.body.paths['/credentials/issue'].post.security).toEqual([{ tenantApiKey: [] }]);
    expect(issuer.body.paths['/credentials/status'].post.security).toEqual([{ tenantApiKey: [] }]);
    expect(issuer.body.paths['/credential-types/{type}/schema'].put.security).toEqual([{ tenantApiKey: [] }]);
    expect(issuer.body.paths['/status-lists/{id}'].get.security).toBeUndefined();
    expect(issuer.body.paths['/oid4vci/{tenant}/credential'].post.security).toEqual([{ oid4vciAccessToken: [] }]);
    expect(issuer.body.paths['/metrics'].get.security).toEqual([{ metricsToken: [] }]);
    expect(Object.keys(issuer.body.components.securitySchemes).sort()).toEqual(['metricsToken', 'oid4vciAccessToken', 'tenantApiKey']);
    expect(Object.keys(issuer.body.paths['/oid4vci/{tenant}/token'].post.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    expect(Object.keys(issuer.body.paths['/credentials/{id}/certificate.pdf'].get.responses[200].content)).toEqual(['application/pdf']);
    const page = await send(`${p.issuer.url}/docs`);
    expect(page.type).toContain('text/html');
    expect(page.text).toContain('POST /credentials/issue');
    expect(page.text).not.toContain('<script');
  });

  it('match what the services accept and answer', async () => {
    const issuerDoc = (await getJson(`${p.issuer.url}/docs/json`)).body;
    const verifierDoc = (await getJson(`${p.verifier.url}/docs/json`)).body;
    const request = issueBody(p.tenants.get('seoul-citizen')!.did, 'SeoulCitizenCard', citizenCardSubject);
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
    // Once anchored, the anchor check carries the anchor as data: described too.
    const anchored = await postJson(`${p.verifier.url}/credentials/verify`, verifyRequest);
    expect(anchored.body.checks.find((c: { id: string }) => c.id === 'anchor').anchor).toMatchObject({ root: proof.body.root, blockNumber: proof.body.blockNumber });
    expect(ok(anchored.body), JSON.stringify(ok.errors)).toBe(true);
    expect(ok({ ...anchored.body, checks: anchored.body.checks.map((c: object) => ({ ...c, anchor: { block: 1 } })) }), 'the anchor member is described exactly').toBe(false);

    // The issuer directory (now with the lists the credential opened) and the verifier's names read from it.
    const directory = await getJson(`${p.issuer.url}/issuers`);
    const directorySchema = ajv.compile(schemaAt(issuerDoc, '/issuers', 'get', 200));
    expect(directorySchema(directory.body), JSON.stringify(directorySchema.errors)).toBe(true);
    expect(directory.body.issuers.some((issuer: { statusLists: { bitstring: { revocation: string[] } } }) => issuer.statusLists.bitstring.revocation.length > 0)).toBe(true);
    const names = await getJson(`${p.verifier.url}/check/issuers`);
    const namesSchema = ajv.compile(schemaAt(verifierDoc, '/check/issuers', 'get', 200));
    expect(namesSchema(names.body), JSON.stringify(namesSchema.errors)).toBe(true);
    expect(names.body.issuers.length).toBeGreaterThan(0);
  });
  it('match what the status, schema and OpenID4VCI routes accept and answer', async () => {
    const doc = (await getJson(`${p.issuer.url}/docs/json`)).body;
    const citizen = p.tenants.get('seoul-citizen')!;
    const auth = (apiKey: string) => ({ authorization: `Bearer ${apiKey}` });
    const check = (schema: { $ref?: string }, value: unknown) => {
      const validate = ajv.compile(schema.$ref === '#/components/schemas/Problem' ? doc.components.schemas.Problem : schema);
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    };

    const issued = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(citizen.did, 'SeoulCitizenCard', citizenCardSubject), auth(citizen.apiKey));
    expect(issued.status).toBe(201);
    const vc = issued.body.verifiableCredential;
    const entries = (Array.isArray(vc.credentialStatus) ? vc.credentialStatus : [vc.credentialStatus]) as Array<Record<string, string>>;
    const suspension = entries.find((entry) => entry['statusPurpose'] === 'suspension')!;
    const statusRequest = { credentialId: vc.id, credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'suspension' }, status: true, reason: 'documented example' };
    check(schemaAt(doc, '/credentials/status', 'post', 'request'), statusRequest);
    expect(ajv.validate(schemaAt(doc, '/credentials/status', 'post', 'request'), { ...statusRequest, status: 'yes' })).toBe(false);
    const changed = await postJson(`${p.issuer.url}/credentials/status`, statusRequest, auth(citizen.apiKey));
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    check(schemaAt(doc, '/credentials/status', 'post', 200), changed.body);
    expect(changed.body).toMatchObject({ status: 'suspended', changed: true });
    const unknown = await postJson(`${p.issuer.url}/credentials/status`, { ...statusRequest, credentialId: 'urn:uuid:00000000-0000-4000-8000-000000000000' }, auth(citizen.apiKey));
    expect(unknown.status).toBe(404);
    check(schemaAt(doc, '/credentials/status', 'post', 404, 'application/problem+json'), unknown.body);

    const listId = new URL(suspension['statusListCredential']!).pathname.split('/').pop()!;
    const list = await send(`${p.issuer.url}/status-lists/${listId}`);
    expect(list.status).toBe(200);
    const listResponses = doc.paths['/status-lists/{id}'].get.responses;
    expect(Object.keys(listResponses[200].content)).toContain(list.type.split(';')[0]);
    expect(list.headers.get('etag')).toBeTruthy();
    const notModified = await send(`${p.issuer.url}/status-lists/${listId}`, { headers: { 'if-none-match': list.headers.get('etag')! } });
    expect(notModified.status).toBe(304);
    expect(listResponses[304]).toBeDefined();

    const open = p.tenants.get('open-issuer')!;
    const subjectSchema = { type: 'object', properties: { level: { enum: ['gold', 'silver'] } }, required: ['level'] };
    check(schemaAt(doc, '/credential-types/{type}/schema', 'put', 'request'), subjectSchema);
    expect(ajv.validate(schemaAt(doc, '/credential-types/{type}/schema', 'put', 'request'), { type: 'string' })).toBe(false);
    const registered = await send(`${p.issuer.url}/credential-types/ExampleMembershipCredential/schema`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...auth(open.apiKey) },
      body: JSON.stringify(subjectSchema),
    });
    expect(registered.status, registered.text).toBe(200);
    check(schemaAt(doc, '/credential-types/{type}/schema', 'put', 200), registered.body);
    const published = await send(`${p.issuer.url}/credential-types/${open.slug}/ExampleMembershipCredential/schema`);
    expect(published.type).toContain('application/schema+json');
    check(schemaAt(doc, '/credential-types/{tenant}/{type}/schema', 'get', 200, 'application/schema+json'), published.body);

    const offerRequest = { credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', claims: { ...citizenCardSubject } };
    check(schemaAt(doc, '/oid4vci/offers', 'post', 'request'), offerRequest);
    expect(ajv.validate(schemaAt(doc, '/oid4vci/offers', 'post', 'request'), { ...offerRequest, extra: 1 })).toBe(false);
    const offer = await postJson(`${p.issuer.url}/oid4vci/offers`, offerRequest, auth(citizen.apiKey));
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    check(schemaAt(doc, '/oid4vci/offers', 'post', 201), offer.body);
    check(schemaAt(doc, '/oid4vci/offers/{id}', 'get', 200), (await getJson(`${p.issuer.url}/oid4vci/offers/${offer.body.offerId}`)).body);
    check(schemaAt(doc, '/oid4vci/offers/{id}/status', 'get', 200), (await send(`${p.issuer.url}/oid4vci/offers/${offer.body.offerId}/status`, { headers: auth(citizen.apiKey) })).body);
    check(schemaAt(doc, '/.well-known/openid-credential-issuer/oid4vci/{tenant}', 'get', 200), (await getJson(`${p.issuer.url}/.well-known/openid-credential-issuer/oid4vci/${citizen.slug}`)).body);
    check(schemaAt(doc, '/.well-known/oauth-authorization-server/oid4vci/{tenant}', 'get', 200), (await getJson(`${p.issuer.url}/.well-known/oauth-authorization-server/oid4vci/${citizen.slug}`)).body);

    // The token endpoint takes a form body and answers OAuth errors, not problem+json.
    const grant = offer.body.credential_offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'];
    const tokenRequest = { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': grant['pre-authorized_code'], tx_code: offer.body.tx_code };
    const token = (params: Record<string, string>) =>
      send(`${p.issuer.url}/oid4vci/${citizen.slug}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
    check(schemaAt(doc, '/oid4vci/{tenant}/token', 'post', 'request', 'application/x-www-form-urlencoded'), tokenRequest);
    const refused = await token({ ...tokenRequest, 'pre-authorized_code': 'not-a-code' });
    expect(refused.status).toBe(400);
    check(schemaAt(doc, '/oid4vci/{tenant}/token', 'post', 400), refused.body);
    const redeemed = await token(tokenRequest);
    expect(redeemed.status, redeemed.text).toBe(200);
    check(schemaAt(doc, '/oid4vci/{tenant}/token', 'post', 200), redeemed.body);
    const nonce = await send(`${p.issuer.url}/oid4vci/${citizen.slug}/nonce`, { method: 'POST' });
    check(schemaAt(doc, '/oid4vci/{tenant}/nonce', 'post', 200), nonce.body);
    const noToken = await postJson(`${p.issuer.url}/oid4vci/${citizen.slug}/credential`, { credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', proofs: { jwt: ['x'] } });
    expect(noToken.status).toBe(401);
    check(schemaAt(doc, '/oid4vci/{tenant}/credential', 'post', 401), noToken.body);

    const pdf = await fetch(`${p.issuer.url}/credentials/${encodeURIComponent(vc.id)}/certificate.pdf`, { headers: auth(citizen.apiKey) });
    expect(pdf.status).toBe(200);
    expect(Object.keys(doc.paths['/credentials/{id}/certificate.pdf'].get.responses[200].content)).toEqual([pdf.headers.get('content-type')]);
    await pdf.arrayBuffer();
  });
});
