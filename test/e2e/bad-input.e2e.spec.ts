import { createHmac, randomUUID } from 'node:crypto';
import { createJWT, ES256KSigner } from 'did-jwt';
import { getBytes, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, send, startTestPlatform, type Answer, type TestPlatform } from '../support/platform.js';

/*
 * Bad input at the HTTP edges (PRODUCT.md section 6, "Errors at every HTTP edge"): every refusal is an RFC 9457
 * application/problem+json document with a stable `code` that is also the last segment of its `type`, never a
 * 500 and never a stack trace, and a refused issue request writes nothing.
 */

const subject = citizenCardSubject;
/**
 * A complete SeoulCitizenCard credential without proof (`@context`, `type`, `issuer`, `credentialSubject`): filled
 * in once the platform runs, as `issuer` is the seoul-citizen tenant's DID. Test tables capture it by reference and
 * read it when they run.
 */
const citizenCard: Record<string, unknown> = {};
/** Looks like a resident registration number (주민등록번호); it must never come back in an answer. */
const RRN = '900101-1234567';

function keysNamed(value: unknown, name: string): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + keysNamed(v, name), 0);
  if (value && typeof value === 'object') {
    return Object.entries(value).reduce((n, [k, v]) => n + (k === name ? 1 : 0) + keysNamed(v, name), 0);
  }
  return 0;
}

/** Asserts an RFC 9457 answer with `code`, its `type` URI ending in the code, and nothing of a stack trace. */
function expectProblem(res: Answer, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, title: expect.any(String) });
  expect(res.body.type).toMatch(/^https?:\/\//);
  expect(res.body.type.endsWith(`/${code}`)).toBe(true);
  expect(keysNamed(res.body, 'stack')).toBe(0);
  expect(res.text).not.toMatch(/\bat .*:\d+:\d+/);
  expect(res.text).not.toMatch(/node_modules|\/work\/|\.ts:\d/);
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decodePart = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** Rewrites a compact JWT's header and/or payload; the original signature is kept (so it no longer verifies). */
function rewriteJwt(jwt: string, edit: { header?: (h: any) => any; payload?: (p: any) => any; signature?: string }): string {
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const header = edit.header ? edit.header(decodePart(h)) : decodePart(h);
  const payload = edit.payload ? edit.payload(decodePart(p)) : decodePart(p);
  return `${b64url(header)}.${b64url(payload)}.${edit.signature ?? s}`;
}

describe('bad input at the HTTP edges', () => {
  let p: TestPlatform;
  let apiKey: string;
  let did: string;

  beforeAll(async () => {
    p = await startTestPlatform('bad_input');
    const tenant = p.tenants.get('seoul-citizen')!;
    apiKey = tenant.apiKey;
    did = tenant.did;
    Object.assign(citizenCard, issueBody(did, 'SeoulCitizenCard', subject).credential);
  });
  afterAll(async () => p?.stop());

  async function rows(): Promise<{ issued: number; outbox: number }> {
    const count = async (table: string) => Number((await p.issuer.runtime.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    return { issued: await count('issued_credentials'), outbox: await count('anchor_outbox') };
  }

  /**
   * POSTs to the issuer's `/credentials/issue` and asserts that the request left both tables as they were.
   * `body` is sent as is when a string, else as JSON; `undefined` sends no body.
   */
  async function issueRefused(body: unknown, options: { authorization?: string | null; contentType?: string | null } = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    const authorization = options.authorization === undefined ? `Bearer ${apiKey}` : options.authorization;
    if (authorization !== null) headers['authorization'] = authorization;
    const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
    if (contentType !== null) headers['content-type'] = contentType;
    const before = await rows();
    const res = await send(`${p.issuer.url}/credentials/issue`, {
      method: 'POST',
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    expect(await rows(), `rows written by a refused request (${res.status} ${res.text.slice(0, 200)})`).toEqual(before);
    return res;
  }

  describe('issuer POST /credentials/issue', () => {
    describe('body that cannot be read', () => {
      it('malformed JSON → 400 request.malformed-json', async () => {
        const res = await issueRefused('{"credential": {"type": "SeoulCitizenCard",');
        expectProblem(res, 400, 'request.malformed-json');
      });

      it('prototype-poisoning JSON (__proto__) → 400 problem, not parsed', async () => {
        const res = await issueRefused(`{"credential": ${JSON.stringify(citizenCard)}, "__proto__": {"isAdmin": true}}`);
        expectProblem(res, 400, 'request.malformed-json');
      });

      it('empty body declared as JSON → 400 request.malformed-json', async () => {
        const res = await issueRefused('');
        expectProblem(res, 400, 'request.malformed-json');
      });

      it('no body and no content type → 400 request.invalid', async () => {
        const res = await issueRefused(undefined, { contentType: null });
        expectProblem(res, 400, 'request.invalid');
      });

      it.each([
        ['an empty array', []],
        ['an array holding a valid request', [{ credential: citizenCard }]],
        ['a string', 'SeoulCitizenCard'],
        ['a number', 42],
        ['null', null],
        ['an empty object', {}],
      ])('body that is %s → 400 request.invalid', async (_label, value) => {
        const res = await issueRefused(JSON.stringify(value));
        expectProblem(res, 400, 'request.invalid');
      });

      it.each(['text/plain', 'application/xml', 'application/octet-stream'])('a valid JSON request sent as %s → 415 request.unsupported-media-type', async (contentType) => {
        const res = await issueRefused({ credential: citizenCard }, { contentType });
        expectProblem(res, 415, 'request.unsupported-media-type');
      });

      // Form bodies are not parsed at all (test/e2e/http-edge.e2e.spec.ts has the other media types, charsets and codings).
      it('a valid JSON request sent as application/x-www-form-urlencoded → 415 request.unsupported-media-type', async () => {
        const res = await issueRefused({ credential: citizenCard }, { contentType: 'application/x-www-form-urlencoded' });
        expectProblem(res, 415, 'request.unsupported-media-type');
      });

      it('a form body carrying a resident registration number does not echo it', async () => {
        const res = await issueRefused(`note=${RRN}&credential=x`, { contentType: 'application/x-www-form-urlencoded' });
        expectProblem(res, 415, 'request.unsupported-media-type');
        expect(res.text).not.toContain('1234567');
      });

      it('a body over 1 MiB → 413 request.too-large', async () => {
        const res = await issueRefused({ credential: { ...citizenCard, credentialSubject: { ...subject, name: 'x'.repeat(1024 * 1024 + 16) } } });
        expectProblem(res, 413, 'request.too-large');
      });
    });

    describe('authentication', () => {
      it('no Authorization header → 401 auth.missing-api-key', async () => {
        const res = await issueRefused({ credential: citizenCard }, { authorization: null });
        expectProblem(res, 401, 'auth.missing-api-key');
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      });

      it.each([
        ['Basic credentials', `Basic ${Buffer.from('seoul-citizen:secret').toString('base64')}`],
        ['an unknown key of the right shape', `Bearer ccd_${'A'.repeat(43)}`],
        ['a key of the wrong shape', 'Bearer ccd_short'],
        ['the key without "Bearer"', 'KEY'],
        ['"Bearer" and nothing else', 'Bearer'],
      ])('%s → 401 auth.invalid-api-key', async (_label, authorization) => {
        const res = await issueRefused({ credential: citizenCard }, { authorization: authorization === 'KEY' ? apiKey : authorization });
        expectProblem(res, 401, 'auth.invalid-api-key');
        expect(res.text).not.toContain(apiKey);
      });

      it('a bad key is refused before the body is looked at', async () => {
        const res = await issueRefused({ nonsense: true }, { authorization: `Bearer ccd_${'B'.repeat(43)}` });
        expectProblem(res, 401, 'auth.invalid-api-key');
      });
    });

    describe('credential type', () => {
      // seoul-citizen is a department: it issues catalogue types only, never types of its own (open issuance).
      it.each([
        ['an unknown type', ['VerifiableCredential', 'DriverLicense']],
        ['AttendanceRecord (a co-signed event, not a VC)', ['VerifiableCredential', 'AttendanceRecord']],
        ['two CityCred types at once', ['VerifiableCredential', 'SeoulCitizenCard', 'EnrollmentStatus']],
        ['only VerifiableCredential', ['VerifiableCredential']],
        ['a type named like an Object.prototype member', ['VerifiableCredential', 'constructor']],
      ])('%s → 400 credential.unknown-type', async (_label, type) => {
        const res = await issueRefused({ credential: { ...citizenCard, type } });
        expectProblem(res, 400, 'credential.unknown-type');
      });

      it.each([
        ['an unknown type as a bare string', 'DriverLicense'],
        ['a catalogue type as a bare string', 'SeoulCitizenCard'],
        ['a catalogue type without VerifiableCredential', ['SeoulCitizenCard']],
        ['an empty list', []],
        ['a list holding a number', ['VerifiableCredential', 42]],
        ['VerifiableCredential twice', ['VerifiableCredential', 'VerifiableCredential', 'SeoulCitizenCard']],
      ])('%s → 400 credential.invalid naming /type', async (_label, type) => {
        const res = await issueRefused({ credential: { ...citizenCard, type } });
        expectProblem(res, 400, 'credential.invalid');
        expect(res.body.errors).toEqual([{ pointer: '/type', message: expect.any(String) }]);
      });

      it('a type the tenant may not issue (education-office issuing SeoulCitizenCard) → 403 issuance.type-not-allowed', async () => {
        const educationOffice = p.tenants.get('education-office')!;
        const res = await issueRefused({ credential: { ...citizenCard, issuer: educationOffice.did } }, { authorization: `Bearer ${educationOffice.apiKey}` });
        expectProblem(res, 403, 'issuance.type-not-allowed');
        expect(res.body.detail).toContain('SeoulCitizenCard');
      });
    });

    describe('credential subject', () => {
      it('a subject failing the schema → 422 credential.schema-invalid with errors naming each path', async () => {
        const { name: _name, ...withoutName } = subject;
        const res = await issueRefused({ credential: { ...citizenCard, credentialSubject: { ...withoutName, birthDate: 'April 12th', shoeSize: 270 } } });
        expectProblem(res, 422, 'credential.schema-invalid');
        expect(Array.isArray(res.body.errors)).toBe(true);
        const paths = res.body.errors.map((e: { path: string }) => e.path);
        // A claim the schema does not define is reported at its parent, without its name (docs/personal-data.md).
        expect(paths).toEqual(expect.arrayContaining(['/name', '/birthDate', '']));
        expect(res.text).not.toContain('shoeSize');
        for (const error of res.body.errors) expect(error).toMatchObject({ path: expect.any(String), message: expect.any(String) });
      });

      it('a subject that is not one object (a list of subjects) → 400 credential.invalid naming /credentialSubject', async () => {
        const res = await issueRefused({ credential: { ...citizenCard, credentialSubject: [subject] } });
        expectProblem(res, 400, 'credential.invalid');
        expect(res.body.errors).toEqual([{ pointer: '/credentialSubject', message: expect.any(String) }]);
      });

      // Refused at the edge, before the subject is looked at (test/e2e/personal-data.e2e.spec.ts has every disguise).
      it.each([
        ['as a claim value', { ...subject, name: RRN }, '/credential/credentialSubject/name'],
        ['without the hyphen, in a nested claim', { ...subject, residence: { city: '서울특별시', district: RRN.replace('-', '') } }, '/credential/credentialSubject/residence/district'],
        ['as a property name', { ...subject, [RRN]: 'x' }, '/credential/credentialSubject/[redacted]'],
      ])('a resident registration number %s → 400 request.personal-data naming where, and the number is never echoed', async (_label, credentialSubject, pointer) => {
        const res = await issueRefused({ credential: { ...citizenCard, credentialSubject } });
        expectProblem(res, 400, 'request.personal-data');
        expect(res.body.errors).toEqual([{ in: 'body', pointer }]);
        expect(res.text).not.toContain(RRN);
        expect(res.text).not.toContain(RRN.replace('-', ''));
        expect(res.text).not.toContain('1234567');
      });

      it.each(['RRN900101-1234567', '김서연_9001011234567', '900101 1234567'])('a resident registration number touching other text (%s) → 400 request.personal-data, never echoed', async (name) => {
        const res = await issueRefused({ credential: { ...citizenCard, credentialSubject: { ...subject, name } } });
        expectProblem(res, 400, 'request.personal-data');
        expect(res.text).not.toContain('1234567');
      });

      it('age flags that disagree with the birth date on the issuance day → 422 naming the flag', async () => {
        const res = await issueRefused({ credential: { ...citizenCard, credentialSubject: { ...subject, birthDate: '2015-01-01' } } });
        expectProblem(res, 422, 'credential.schema-invalid');
        expect(res.body.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ path: '/ageOver19', keyword: 'age-consistency' }), expect.objectContaining({ path: '/ageOver15', keyword: 'age-consistency' })]),
        );
      });

      it('a resident registration number anywhere else in the request is not echoed either', async () => {
        const res = await issueRefused({ credential: { ...citizenCard, [RRN]: true } });
        expectProblem(res, 400, 'request.personal-data');
        expect(res.text).not.toContain(RRN);
        expect(res.text).not.toContain('1234567');
      });

      it('a subject nested deeper than any schema → 422, not a crash', async () => {
        const depth = 100_000;
        const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
        const { credentialSubject: _subject, ...rest } = citizenCard;
        const body = `{"credential":${JSON.stringify({ ...rest, credentialSubject: '__DEEP__' }).replace('"__DEEP__"', `{"name":${deep}}`)}}`;
        const res = await issueRefused(body);
        expect(res.status).not.toBe(500);
        expectProblem(res, 422, 'credential.schema-invalid');
      });
    });

    describe('fields only the issuer sets', () => {
      it.each([
        ['a DID string', 'did:ethr:citycred:0x1111111111111111111111111111111111111111'],
        ['an object', { id: 'did:ethr:citycred:0x1111111111111111111111111111111111111111', name: 'Someone else' }],
        ['a DID on another network', 'did:ethr:0x1:0x1111111111111111111111111111111111111111'],
      ])('a different issuer as %s → 403 issuance.issuer-mismatch', async (_label, issuer) => {
        const res = await issueRefused({ credential: { ...citizenCard, issuer } });
        expectProblem(res, 403, 'issuance.issuer-mismatch');
      });

      it.each([
        ['proof', { proof: { type: 'JwtProof2020', jwt: 'a.b.c' } }],
        ['credentialStatus', { credentialStatus: { id: 'https://example.com/status/1#5', type: 'BitstringStatusListEntry' } }],
        ['credentialSchema', { credentialSchema: { id: 'https://example.com/schema', type: 'JsonSchema' } }],
      ])('a client-set %s → 400 credential.invalid naming it', async (field, extra) => {
        const res = await issueRefused({ credential: { ...citizenCard, ...extra } });
        expectProblem(res, 400, 'credential.invalid');
        expect(res.body.errors).toEqual([{ pointer: `/${field}`, message: expect.any(String) }]);
      });

      it.each([
        ['not an absolute URI', 'not-a-uri'],
        ['a number', 42],
        ['longer than 100 characters', `urn:uuid:${'a'.repeat(100)}`],
      ])('a client-set id that is %s → 400 credential.invalid naming /id', async (_label, id) => {
        const res = await issueRefused({ credential: { ...citizenCard, id } });
        expectProblem(res, 400, 'credential.invalid');
        expect(res.body.errors).toEqual([{ pointer: '/id', message: expect.any(String) }]);
      });

      it('a credential id already issued → 409 credential.id-taken, and nothing written', async () => {
        const id = `urn:uuid:${randomUUID()}`;
        const first = await send(`${p.issuer.url}/credentials/issue`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({ credential: { ...citizenCard, id } }),
        });
        expect(first.status, first.text).toBe(201);
        expectProblem(await issueRefused({ credential: { ...citizenCard, id } }), 409, 'credential.id-taken');
      });

      it('a VC Data Model 2.0 member in a 1.1 credential (validFrom, validUntil) → 400 credential.invalid naming each', async () => {
        const res = await issueRefused({ credential: { ...citizenCard, validFrom: '2026-01-01T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' } });
        expectProblem(res, 400, 'credential.invalid');
        expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/validFrom', '/validUntil']);
      });

      it('an issuanceDate in the future → 400 credential.invalid naming it', async () => {
        const res = await issueRefused({ credential: { ...citizenCard, issuanceDate: `${new Date().getUTCFullYear() + 1}-01-01T00:00:00Z` } });
        expectProblem(res, 400, 'credential.invalid');
        expect(res.body.errors).toEqual([{ pointer: '/issuanceDate', message: expect.any(String) }]);
      });

      it('an unknown member beside credential/options → 400 request.invalid', async () => {
        const res = await issueRefused({ credential: citizenCard, callback: 'https://example.com' });
        expectProblem(res, 400, 'request.invalid');
      });
    });

    describe('options and contexts', () => {
      it.each([
        ['vc+jwt for a VC Data Model 1.1 credential', () => ({ credential: citizenCard, options: { format: 'vc+jwt' } })],
        ['jwt_vc for a VC Data Model 2.0 credential', () => ({ credential: { ...citizenCard, '@context': ['https://www.w3.org/ns/credentials/v2'] }, options: { format: 'jwt_vc' } })],
      ])('%s → 400 issuance.unsupported-format', async (_label, body) => {
        const res = await issueRefused(body());
        expectProblem(res, 400, 'issuance.unsupported-format');
      });

      it('both options.format and options.proofFormat → 400 request.invalid', async () => {
        const res = await issueRefused({ credential: citizenCard, options: { format: 'jwt_vc', proofFormat: 'jwt' } });
        expectProblem(res, 400, 'request.invalid');
      });

      it('an unheard-of proofFormat → 400 request.invalid', async () => {
        const res = await issueRefused({ credential: citizenCard, options: { proofFormat: 'ldp_vc' } });
        expectProblem(res, 400, 'request.invalid');
      });

      it.each([
        ['a first entry that is no VC base context', ['https://example.com/evil-context', 'https://www.w3.org/2018/credentials/v1'], '/@context/0'],
        ['a bare URL that is no VC base context', 'https://example.com/evil-context', '/@context/0'],
        ['an entry that is neither a URL nor an object', ['https://www.w3.org/2018/credentials/v1', 42], '/@context/1'],
        ['an empty list', [], '/@context'],
        ['a number', 42, '/@context'],
      ])('@context with %s → 400 credential.invalid naming it', async (_label, context, pointer) => {
        const res = await issueRefused({ credential: { ...citizenCard, '@context': context } });
        expectProblem(res, 400, 'credential.invalid');
        expect(res.body.errors).toEqual([{ pointer, message: expect.any(String) }]);
      });

      // A 1.1 credential is signed as a JWT VC, whose contexts are URLs (libs/formats).
      it('an embedded context object in a VC Data Model 1.1 credential → 400 credential.invalid', async () => {
        const res = await issueRefused({ credential: { ...citizenCard, '@context': ['https://www.w3.org/2018/credentials/v1', { '@vocab': 'https://example.com/#' }] } });
        expectProblem(res, 400, 'credential.invalid');
        expect(res.body.errors).toHaveLength(1);
      });

      it('the pre-VC-API body (only type and credentialSubject) → 400 credential.invalid listing /@context and /issuer', async () => {
        const res = await issueRefused({ credential: { type: citizenCard['type'], credentialSubject: subject } });
        expectProblem(res, 400, 'credential.invalid');
        expect(res.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/@context', '/issuer']);
        for (const error of res.body.errors) expect(error).toEqual({ pointer: expect.any(String), message: expect.any(String) });
      });
    });

    describe('expirationDate', () => {
      const yearsFromNow = (years: number) => {
        const d = new Date();
        d.setUTCFullYear(d.getUTCFullYear() + years);
        return d.toISOString();
      };

      it('later than the type allows (SeoulCitizenCard: 5 years) → 400 credential.invalid naming it', async () => {
        const res = await issueRefused({ credential: { ...citizenCard, expirationDate: yearsFromNow(10) } });
        expectProblem(res, 400, 'credential.invalid');
        expect(res.body.errors).toEqual([{ pointer: '/expirationDate', message: expect.any(String) }]);
      });

      it('in the past → 400 credential.invalid naming it', async () => {
        const res = await issueRefused({ credential: { ...citizenCard, expirationDate: '2020-01-01T00:00:00Z' } });
        expectProblem(res, 400, 'credential.invalid');
        expect(res.body.errors).toEqual([{ pointer: '/expirationDate', message: expect.any(String) }]);
      });

      it.each(['2030-01-01', 'next year', '2027-02-30T00:00:00Z', '2027-01-01T25:00:00Z'])('not an ISO date-time (%s) → 400 credential.invalid naming it', async (expirationDate) => {
        const res = await issueRefused({ credential: { ...citizenCard, expirationDate } });
        expectProblem(res, 400, 'credential.invalid');
        expect(res.body.errors).toEqual([{ pointer: '/expirationDate', message: expect.any(String) }]);
      });
    });

    it('a valid request is accepted and writes one credential and one outbox row (the counting above can fail)', async () => {
      const before = await rows();
      const res = await send(`${p.issuer.url}/credentials/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ credential: citizenCard }),
      });
      expect(res.status, res.text).toBe(201);
      expect(await rows()).toEqual({ issued: before.issued + 1, outbox: before.outbox + 1 });
    });

    it('a client-given id, issuanceDate and expirationDate are signed as given', async () => {
      const id = `urn:uuid:${randomUUID()}`;
      const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
      const expiresAt = new Date(issuedAt.getTime() + 365 * 86_400_000);
      const seconds = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;
      const res = await send(`${p.issuer.url}/credentials/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify(issueBody(did, 'SeoulCitizenCard', subject, { credential: { id, issuanceDate: seconds(issuedAt), expirationDate: seconds(expiresAt) } })),
      });
      expect(res.status, res.text).toBe(201);
      const vc = res.body.verifiableCredential;
      expect(vc.id).toBe(id);
      expect(new Date(vc.issuanceDate).getTime()).toBe(issuedAt.getTime());
      expect(new Date(vc.expirationDate).getTime()).toBe(expiresAt.getTime());
      const payload = decodePart(vc.proof.jwt.split('.')[1]);
      expect(payload).toMatchObject({ jti: id, nbf: issuedAt.getTime() / 1000, exp: expiresAt.getTime() / 1000 });
    });

    it('an issuer given as an object with the tenant DID as id is accepted', async () => {
      const res = await send(`${p.issuer.url}/credentials/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ credential: { ...citizenCard, issuer: { id: did } } }),
      });
      expect(res.status, res.text).toBe(201);
      expect(res.body.verifiableCredential.issuer).toEqual({ id: did });
    });

    it('a long holder DID (a did:jwk of 400 characters) is stored on every database engine', async () => {
      const holder = `did:jwk:${'e'.repeat(392)}`;
      const res = await send(`${p.issuer.url}/credentials/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ credential: { ...citizenCard, credentialSubject: { ...subject, id: holder } } }),
      });
      expect(res.status, res.text).toBe(201);
      expect(res.body.verifiableCredential.credentialSubject.id).toBe(holder);
    });
  });

  describe('issuer routes', () => {
    it('an unknown route → 404 request.not-found', async () => {
      expectProblem(await send(`${p.issuer.url}/credentials/issue-many`, { method: 'POST' }), 404, 'request.not-found');
      expectProblem(await send(`${p.issuer.url}/no/such/thing`), 404, 'request.not-found');
    });

    it('the wrong method (GET /credentials/issue) → 405 problem with Allow', async () => {
      const res = await send(`${p.issuer.url}/credentials/issue`);
      expectProblem(res, 405, 'request.method-not-allowed');
      expect(res.headers.get('allow')).toBe('POST');
    });

    it.each(['xyz', '0x1234', `0x${'ab'.repeat(31)}`, 'zz'.repeat(32), `${'ab'.repeat(32)}00`])('GET /anchors/proofs/%s → 400 anchor.invalid-hash', async (hash) => {
      expectProblem(await send(`${p.issuer.url}/anchors/proofs/${hash}`), 400, 'anchor.invalid-hash');
    });

    it('an unknown 64-hex hash → 404 anchor.proof-not-found', async () => {
      expectProblem(await send(`${p.issuer.url}/anchors/proofs/${'cd'.repeat(32)}`), 404, 'anchor.proof-not-found');
      expectProblem(await send(`${p.issuer.url}/anchors/proofs/0x${'CD'.repeat(32)}`), 404, 'anchor.proof-not-found');
    });
  });

  describe('verifier POST /credentials/verify', () => {
    let vc: any;
    let jwt: string;

    beforeAll(async () => {
      const res = await send(`${p.issuer.url}/credentials/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ credential: citizenCard }),
      });
      expect(res.status, res.text).toBe(201);
      vc = res.body.verifiableCredential;
      jwt = vc.proof.jwt;
    });

    const verifyRaw = (body: string, contentType = 'application/json') =>
      send(`${p.verifier.url}/credentials/verify`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const verify = (body: unknown) => verifyRaw(JSON.stringify(body));
    const check = (res: Answer, id: string) => res.body.checks.find((c: { id: string }) => c.id === id);

    /** A refused credential: 400 problem+json carrying the full result, `format` failed and everything else skipped. */
    function expectFormatFailed(res: Answer): string {
      expectProblem(res, 400, 'verification.failed');
      expect(res.body.verified).toBe(false);
      expect(res.body.checks.map((c: { id: string }) => c.id)).toEqual(['format', 'signature', 'validity', 'schema', 'status', 'issuer-accreditation', 'anchor']);
      expect(check(res, 'format').status).toBe('failed');
      expect(res.body.checks.slice(1).every((c: { status: string }) => c.status === 'skipped')).toBe(true);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0]).toMatch(/^format: /);
      return check(res, 'format').detail as string;
    }

    it('sanity: the untouched credential verifies', async () => {
      const res = await verify({ verifiableCredential: vc });
      expect(res.status, res.text).toBe(200);
      expect(res.body.verified).toBe(true);
    });

    it('malformed JSON → 400 request.malformed-json', async () => {
      expectProblem(await verifyRaw('{"verifiableCredential": '), 400, 'request.malformed-json');
    });

    it('a text/plain body → 415 request.unsupported-media-type', async () => {
      expectProblem(await verifyRaw(jwt, 'text/plain'), 415, 'request.unsupported-media-type');
    });

    it('a body over 1 MiB → 413 request.too-large', async () => {
      expectProblem(await verify({ verifiableCredential: 'x'.repeat(1024 * 1024 + 16) }), 413, 'request.too-large');
    });

    it.each([
      ['{}', {}],
      ['an empty string credential', { verifiableCredential: '' }],
      ['a number credential', { verifiableCredential: 42 }],
      ['an array credential', { verifiableCredential: [] }],
      ['a JSON array body', []],
      ['options that are not an object', { verifiableCredential: 'x', options: 42 }],
    ])('%s → 400 request.invalid', async (_label, body) => {
      expectProblem(await verify(body), 400, 'request.invalid');
    });

    it("{verifiableCredential: 'garbage'} → 400 verified:false, format failed, the rest skipped", async () => {
      expect(expectFormatFailed(await verify({ verifiableCredential: 'garbage' }))).toMatch(/JWT/);
    });

    it('a JWT with alg none → format failed', async () => {
      const unsigned = rewriteJwt(jwt, { header: (h) => ({ ...h, alg: 'none' }), signature: '' });
      expectFormatFailed(await verify({ verifiableCredential: unsigned }));
      const withJunkSignature = rewriteJwt(jwt, { header: (h) => ({ ...h, alg: 'none' }), signature: 'AAAA' });
      expect(expectFormatFailed(await verify({ verifiableCredential: withJunkSignature }))).toMatch(/alg none/);
      expectFormatFailed(await verify({ verifiableCredential: { ...vc, proof: { ...vc.proof, jwt: withJunkSignature } } }));
    });

    it('a JWT with alg HS256 (HMAC-signed) → format failed naming the alg', async () => {
      const [, payload] = jwt.split('.');
      const header = b64url({ alg: 'HS256', typ: 'JWT' });
      const mac = createHmac('sha256', 'guessable').update(`${header}.${payload}`).digest('base64url');
      expect(expectFormatFailed(await verify({ verifiableCredential: `${header}.${payload}.${mac}` }))).toMatch(/HS256/);
    });

    it('a JWT without a "vc" claim → format failed', async () => {
      const noVc = rewriteJwt(jwt, { payload: ({ vc: _vc, ...rest }) => rest });
      expect(expectFormatFailed(await verify({ verifiableCredential: noVc }))).toMatch(/"vc"/);
    });

    it('a credential object without proof.jwt → format failed', async () => {
      const { proof: _proof, ...withoutProof } = vc;
      expect(expectFormatFailed(await verify({ verifiableCredential: withoutProof }))).toMatch(/proof\.jwt/);
      expectFormatFailed(await verify({ verifiableCredential: { ...vc, proof: { type: 'JwtProof2020' } } }));
      expectFormatFailed(await verify({ verifiableCredential: { ...vc, proof: { type: 'JwtProof2020', jwt: 42 } } }));
    });

    it.each([
      ['another proof type and verification method', (proof: any) => ({ ...proof, type: 'Ed25519Signature2020', verificationMethod: 'did:example:evil#k' })],
      ['an added verificationMethod', (proof: any) => ({ ...proof, verificationMethod: 'did:example:evil#k' })],
      ['an added proofPurpose', (proof: any) => ({ ...proof, proofPurpose: 'authentication' })],
      ['no type', ({ type: _type, ...proof }: any) => proof],
    ])('a JSON form whose proof has %s → format failed: only {type: JwtProof2020, jwt} is read', async (_label, tamper) => {
      expect(expectFormatFailed(await verify({ verifiableCredential: { ...vc, proof: tamper(vc.proof) } }))).toMatch(/proof/);
    });

    it('a credential from a did:ethr on another network → format failed naming the network', async () => {
      const otherIssuer = `did:ethr:0x1:${p.tenants.get('seoul-citizen')!.address}`;
      const foreign = rewriteJwt(jwt, { payload: (pl) => ({ ...pl, iss: otherIssuer }) });
      const detail = expectFormatFailed(await verify({ verifiableCredential: foreign }));
      // "iss" is named, not repeated: before the signature is checked it is only what the request says.
      expect(detail).not.toContain(otherIssuer);
      expect(detail).toMatch(/"iss" is not a did:ethr on network citycred/);
      expectFormatFailed(await verify({ verifiableCredential: { ...vc, issuer: { id: otherIssuer }, proof: { ...vc.proof, jwt: foreign } } }));
    });

    it('an issuer DID whose public key is not a curve point → format failed, not a crash', async () => {
      const badKey = `did:ethr:citycred:0x02${'ff'.repeat(32)}`;
      const res = await verify({ verifiableCredential: rewriteJwt(jwt, { payload: (pl) => ({ ...pl, iss: badKey }) }) });
      expect(res.status).not.toBe(500);
      expectFormatFailed(res);
    });

    it.each([
      ['no nbf', { nbf: undefined }, /nbf/],
      ['an nbf that is a string', { nbf: '2026-01-01' }, /nbf/],
      ['an nbf beyond the range of dates', { nbf: 9e15 }, /nbf/],
      ['an nbf of 1e308', { nbf: 1e308 }, /nbf/],
      ['an exp beyond the range of dates', { exp: 9e15 }, /exp/],
    ])('%s → format failed, not a crash', async (_label, claims, detail) => {
      const res = await verify({ verifiableCredential: rewriteJwt(jwt, { payload: (pl) => ({ ...pl, ...claims }) }) });
      expect(res.status).not.toBe(500);
      expect(expectFormatFailed(res)).toMatch(detail);
    });

    it('a JSON form with a deeply nested credentialSubject → refused, not a crash', async () => {
      const depth = 100_000;
      const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const form = JSON.stringify({ ...vc, credentialSubject: '__DEEP__' }).replace('"__DEEP__"', deep);
      const res = await verifyRaw(`{"verifiableCredential":${form}}`);
      expect(res.status).not.toBe(500);
      expectFormatFailed(res);
    });

    it('a self-signed credential from an unaccredited city-chain key: signature passes, accreditation fails', async () => {
      const wallet = Wallet.createRandom();
      const impostor = `did:ethr:citycred:${wallet.address}`;
      const forged = await createJWT(
        { vc: decodePart(jwt.split('.')[1]!).vc, nbf: Math.floor(Date.now() / 1000) - 10, sub: undefined },
        { issuer: impostor, signer: ES256KSigner(getBytes(wallet.privateKey)) },
        { alg: 'ES256K' },
      );
      const res = await verify({ verifiableCredential: forged });
      expectProblem(res, 400, 'verification.failed');
      expect(res.body.verified).toBe(false);
      expect(check(res, 'format').status).toBe('passed');
      expect(check(res, 'signature').status).toBe('passed');
      expect(check(res, 'issuer-accreditation').status).toBe('failed');
      expect(res.body.errors.join('\n')).toMatch(/^issuer-accreditation: /m);
    });

    it('unknown route and wrong method → 404/405 problem', async () => {
      expectProblem(await send(`${p.verifier.url}/credentials/verify-all`, { method: 'POST' }), 404, 'request.not-found');
      const res = await send(`${p.verifier.url}/credentials/verify`);
      expectProblem(res, 405, 'request.method-not-allowed');
      expect(res.headers.get('allow')).toBe('POST');
    });
  });
});
