import { generateKeyPairSync } from 'node:crypto';
import { credentialHash } from '@citycred/anchoring';
import { AuditLog, TenantDirectory } from '@citycred/tenancy';
import { FixedClock } from '@citycred/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, getJson, issueBody, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';

const V1 = 'https://www.w3.org/2018/credentials/v1';
const V2 = 'https://www.w3.org/ns/credentials/v2';

/** The claims of a compact JWS, read without checking it (the verifier's tests check signatures). */
function claimsOf(jwt: string): { header: Record<string, any>; payload: Record<string, any> } {
  const [header, payload] = jwt.split('.') as [string, string];
  return { header: JSON.parse(Buffer.from(header, 'base64url').toString()), payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) };
}

/** How a VC-API client issues: complete credentials without proof, VCDM 1.1 and 2.0, catalogue and open types. */
describe('VC-API POST /credentials/issue, as a standard client uses it', () => {
  let p: TestPlatform;
  const clock = new FixedClock(new Date());
  let city: { did: string; apiKey: string };
  let open: { did: string; apiKey: string };
  let education: { did: string; apiKey: string };

  beforeAll(async () => {
    p = await startTestPlatform('vc_api_issue', { clock });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    city = p.tenants.get('seoul-citizen')!;
    open = p.tenants.get('open-issuer')!;
    education = p.tenants.get('education-office')!;
  });
  afterAll(async () => p?.stop());

  const issue = (body: unknown, key: string) => postJson(`${p.issuer.url}/credentials/issue`, body, { authorization: `Bearer ${key}` });
  const pointers = (body: { errors?: Array<{ pointer: string }> }) => (body.errors ?? []).map((e) => e.pointer);
  const nowIso = () => `${clock.now().toISOString().slice(0, 19)}Z`;

  it('signs a 1.1 credential with the members a client gives — id, issuanceDate, expirationDate, evidence, termsOfUse — as given', async () => {
    const id = `urn:uuid:${crypto.randomUUID()}`;
    const expirationDate = new Date(clock.now().getTime() + 30 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const evidence = [{ type: ['DocumentVerification'], verifier: 'https://city.example/desk/3' }];
    const termsOfUse = { type: 'IssuerPolicy', id: 'https://city.example/policy/1' };
    const res = await issue(issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject, { credential: { id, issuanceDate: nowIso(), expirationDate, evidence, termsOfUse } }), city.apiKey);
    expect(res.status).toBe(201);
    const vc = res.body.verifiableCredential;
    expect(vc.id).toBe(id);
    expect(vc.proof.type).toBe('JwtProof2020');
    const { header, payload } = claimsOf(vc.proof.jwt);
    expect(header).toMatchObject({ alg: 'ES256K', typ: 'JWT' });
    expect(payload.jti).toBe(id);
    expect(payload.iss).toBe(city.did);
    expect(payload.nbf).toBe(Math.floor(new Date(nowIso()).getTime() / 1000));
    expect(payload.exp).toBe(Math.floor(new Date(expirationDate).getTime() / 1000));
    expect(payload.vc.evidence).toEqual(evidence);
    expect(payload.vc.termsOfUse).toEqual(termsOfUse);
    expect(payload.vc['@context']).toEqual([V1, 'https://contexts.citycred.seoul.go.kr/v1']);

    const verified = await postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: vc });
    expect(verified.body.checks.find((c: { id: string }) => c.id === 'signature').status).toBe('passed');

    // Every issuance enters the tenant's hash-chained audit log, without any claim.
    const audit = p.issuer.app.get(AuditLog);
    const tenantId = (await p.issuer.app.get(TenantDirectory).findBySlug('seoul-citizen'))!.id;
    const entry = (await audit.page(tenantId)).items.find((e) => e.target === id);
    expect(entry).toMatchObject({ action: 'credential.issued', actor: { kind: 'api-key' }, details: { type: 'SeoulCitizenCard', format: 'jwt_vc', credentialHash: credentialHash(vc.proof.jwt) } });
    expect(JSON.stringify(entry)).not.toContain(citizenCardSubject.name);
    expect(await audit.verify(tenantId)).toMatchObject({ ok: true });

    const again = await issue(issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject, { credential: { id } }), city.apiKey);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('credential.id-taken');
    const proof = await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(vc.proof.jwt)}`);
    expect(proof.status).toBe(202);
  });

  it('takes options.credentialId as the id, and refuses one that contradicts credential.id', async () => {
    const id = `urn:uuid:${crypto.randomUUID()}`;
    const named = await issue(issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject, { options: { credentialId: id } }), city.apiKey);
    expect(named.status).toBe(201);
    expect(named.body.verifiableCredential.id).toBe(id);
    const clash = await issue(issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject, { credential: { id: 'urn:x:1' }, options: { credentialId: id } }), city.apiKey);
    expect(clash.status).toBe(400);
    expect(clash.body.code).toBe('credential.invalid');
  });

  it.each([
    ['no @context', { '@context': undefined }, '/@context'],
    ['a 2.0 context that is not first', { '@context': ['https://contexts.citycred.seoul.go.kr/v1', V2] }, '/@context/0'],
    ['no issuer', { issuer: undefined }, '/issuer'],
    ['a proof', { proof: { type: 'JwtProof2020', jwt: 'a.b.c' } }, '/proof'],
    ['a VCDM 2.0 date in a 1.1 credential', { validFrom: '2026-01-01T00:00:00Z' }, '/validFrom'],
    ['a status entry (the city manages status)', { credentialStatus: { id: 'https://x#1', type: 'BitstringStatusListEntry' } }, '/credentialStatus'],
    ['an issuance date in the future', { issuanceDate: '2999-01-01T00:00:00Z' }, '/issuanceDate'],
    ['a type list without VerifiableCredential', { type: ['SeoulCitizenCard'] }, '/type'],
  ])('refuses %s with 400 credential.invalid naming where', async (_label, override, pointer) => {
    const body = issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject, { credential: override });
    for (const [name, value] of Object.entries(override)) if (value === undefined) delete body.credential[name];
    const res = await issue(body, city.apiKey);
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.code).toBe('credential.invalid');
    expect(pointers(res.body)).toContain(pointer);
  });

  it('refuses another issuer (403), a catalogue type of another department (403) and an unknown type for a department (400)', async () => {
    const other = await issue(issueBody(education.did, 'SeoulCitizenCard', citizenCardSubject), city.apiKey);
    expect([other.status, other.body.code]).toEqual([403, 'issuance.issuer-mismatch']);
    const notTheirs = await issue(issueBody(education.did, 'SeoulCitizenCard', citizenCardSubject), education.apiKey);
    expect([notTheirs.status, notTheirs.body.code]).toEqual([403, 'issuance.type-not-allowed']);
    const unknown = await issue(issueBody(city.did, 'ExampleMembershipCredential', { member: true }), city.apiKey);
    expect([unknown.status, unknown.body.code]).toEqual([400, 'credential.unknown-type']);
  });

  it('issues a VCDM 2.0 catalogue credential as vc+jwt, answered as an EnvelopedVerifiableCredential', async () => {
    const validFrom = nowIso();
    const body = { credential: { '@context': [V2], type: ['VerifiableCredential', 'SeoulCitizenCard'], issuer: { id: city.did, name: '서울특별시' }, validFrom, credentialSubject: citizenCardSubject } };
    const res = await issue(body, city.apiKey);
    expect(res.status).toBe(201);
    const enveloped = res.body.verifiableCredential;
    expect(enveloped.type).toBe('EnvelopedVerifiableCredential');
    expect(enveloped['@context']).toBe(V2);
    expect(enveloped.id).toMatch(/^data:application\/vc\+jwt,/);
    const jwt = enveloped.id.slice('data:application/vc+jwt,'.length);
    const { header, payload } = claimsOf(jwt);
    expect(header).toMatchObject({ alg: 'ES256K', typ: 'vc+jwt', cty: 'vc' });
    expect(header.kid).toContain(city.did);
    expect(payload).not.toHaveProperty('vc');
    expect(payload['@context']).toEqual([V2, 'https://contexts.citycred.seoul.go.kr/v1']);
    expect(payload.issuer).toEqual({ id: city.did, name: '서울특별시' });
    expect(payload.validFrom).toBe(validFrom);
    expect(new Date(payload.validUntil).getUTCFullYear() - new Date(validFrom).getUTCFullYear()).toBe(5);
    expect(payload).not.toHaveProperty('issuanceDate');
    expect(payload.credentialSchema).toEqual({ id: 'https://schemas.citycred.seoul.go.kr/v1/SeoulCitizenCard.json', type: 'JsonSchema' });
    const proof = await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(jwt)}`);
    expect(proof.status).toBe(202);
  });

  it('issues an SD-JWT VC bound to the holder key, with the catalogue’s disclosable claims as disclosures', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
    const res = await issue(issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject, { options: { format: 'dc+sd-jwt', holderJwk: { kty, crv, x, y } } }), city.apiKey);
    expect(res.status).toBe(201);
    const enveloped = res.body.verifiableCredential;
    expect(enveloped.type).toBe('EnvelopedVerifiableCredential');
    expect(enveloped.id).toMatch(/^data:application\/dc\+sd-jwt,/);
    const sdJwt: string = enveloped.id.slice('data:application/dc+sd-jwt,'.length);
    const [issuerSigned, ...disclosures] = sdJwt.split('~');
    const { header, payload } = claimsOf(issuerSigned!);
    expect(header).toMatchObject({ alg: 'ES256K', typ: 'dc+sd-jwt' });
    expect(payload).toMatchObject({ iss: city.did, vct: 'https://schemas.citycred.seoul.go.kr/vct/SeoulCitizenCard', cnf: { jwk: { kty, crv, x, y } }, _sd_alg: 'sha-256' });
    expect(payload).not.toHaveProperty('name');
    expect(payload._sd).toHaveLength(8);
    const disclosed = disclosures.filter(Boolean).map((d) => JSON.parse(Buffer.from(d, 'base64url').toString())[1]);
    expect(disclosed.sort()).toEqual(['ageOver15', 'ageOver18', 'ageOver19', 'birthDate', 'name', 'personId', 'residence', 'residentSince']);
    // What is anchored is the issuer-signed JWT: presenting fewer disclosures keeps the same hash.
    expect((await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(issuerSigned!)}`)).status).toBe(202);
    const withPrivate = await issue(issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject, { options: { format: 'dc+sd-jwt', holderJwk: { kty, crv, x, y, d: 'AAAA' } } }), city.apiKey);
    expect([withPrivate.status, withPrivate.body.code]).toEqual([400, 'request.invalid']);
  });

  it('refuses a format that does not fit the data model or the type', async () => {
    const v1AsVcJwt = await issue(issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject, { options: { format: 'vc+jwt' } }), city.apiKey);
    expect([v1AsVcJwt.status, v1AsVcJwt.body.code]).toEqual([400, 'issuance.unsupported-format']);
    const enrollment = { status: 'enrolled', institution: '서울대학교', since: '2024-03-02' };
    const sdJwt = await issue(issueBody(education.did, 'EnrollmentStatus', enrollment, { options: { format: 'dc+sd-jwt' } }), education.apiKey);
    expect([sdJwt.status, sdJwt.body.code]).toEqual([400, 'issuance.unsupported-format']);
    const unknownOption = await issue(issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject, { options: { format: 'ldp_vc' } }), city.apiKey);
    expect([unknownOption.status, unknownOption.body.code]).toEqual([400, 'request.invalid']);
  });

  describe('open issuance (the demo app operator open-issuer)', () => {
    it('issues a plain VerifiableCredential (1.1) and its own type (2.0) without any catalogue context', async () => {
      const plain = await issue({ credential: { '@context': [V1], type: ['VerifiableCredential'], issuer: open.did, credentialSubject: { id: 'did:example:holder', note: 'hello' } } }, open.apiKey);
      expect(plain.status).toBe(201);
      expect(plain.body.verifiableCredential['@context']).toEqual([V1]);
      expect(plain.body.verifiableCredential.type).toEqual(['VerifiableCredential']);
      expect(claimsOf(plain.body.verifiableCredential.proof.jwt).payload.sub).toBe('did:example:holder');

      const own = await issue(
        { credential: { '@context': [V2, 'https://example.org/membership/v1'], type: ['VerifiableCredential', 'ExampleMembershipCredential'], issuer: open.did, name: 'Membership', credentialSubject: { level: 'gold' } } },
        open.apiKey,
      );
      expect(own.status).toBe(201);
      const { payload } = claimsOf(own.body.verifiableCredential.id.slice('data:application/vc+jwt,'.length));
      expect(payload.type).toEqual(['VerifiableCredential', 'ExampleMembershipCredential']);
      expect(payload.name).toBe('Membership');
      expect(payload).not.toHaveProperty('credentialSchema');
    });

    it('refuses catalogue types and types it is not configured for', async () => {
      const catalogue = await issue(issueBody(open.did, 'SeoulCitizenCard', citizenCardSubject), open.apiKey);
      expect([catalogue.status, catalogue.body.code]).toEqual([403, 'issuance.type-not-allowed']);
      const unconfigured = await issue(issueBody(open.did, 'AnotherCredential', { a: 1 }), open.apiKey);
      expect([unconfigured.status, unconfigured.body.code]).toEqual([403, 'issuance.type-not-allowed']);
      expect(unconfigured.body.detail).not.toContain('AnotherCredential');
    });

    it('checks subjects against the schema it registers, and publishes that schema', async () => {
      const schema = { type: 'object', properties: { level: { enum: ['gold', 'silver'] } }, required: ['level'], additionalProperties: false };
      const put = (body: unknown, key = open.apiKey) =>
        send(`${p.issuer.url}/credential-types/ExampleMembershipCredential/schema`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
      expect((await put(schema, city.apiKey)).status).toBe(403);
      const bad = await put({ type: 'object', properties: { level: { type: 'no-such-type' } } });
      expect(bad.status).toBe(400);
      expect((bad.body as { code: string }).code).toBe('credential-type.schema-invalid');
      expect((await put({ type: 'string' })).status).toBe(400);
      expect((await put(schema)).status).toBe(200);

      const credential = (subject: unknown) => ({ credential: { '@context': [V2], type: ['VerifiableCredential', 'ExampleMembershipCredential'], issuer: open.did, credentialSubject: subject } });
      const refused = await issue(credential({ level: 'bronze' }), open.apiKey);
      expect([refused.status, refused.body.code]).toEqual([422, 'credential.schema-invalid']);
      const issued = await issue(credential({ level: 'gold' }), open.apiKey);
      expect(issued.status).toBe(201);
      const { payload } = claimsOf(issued.body.verifiableCredential.id.slice('data:application/vc+jwt,'.length));
      // The id starts with the issuer's public URL (ISSUER_PUBLIC_URL); the test's server listens elsewhere.
      expect(payload.credentialSchema.type).toBe('JsonSchema');
      expect(new URL(payload.credentialSchema.id).pathname).toBe('/credential-types/open-issuer/ExampleMembershipCredential/schema');

      const published = await getJson(new URL(new URL(payload.credentialSchema.id).pathname, p.issuer.url).toString());
      expect(published.status).toBe(200);
      expect(published.type).toContain('application/schema+json');
      expect(published.headers.get('cache-control')).toContain('max-age');
      expect(published.body).toEqual(schema);
      expect((await getJson(`${p.issuer.url}/credential-types/open-issuer/Nothing/schema`)).status).toBe(404);
    });
  });
});
