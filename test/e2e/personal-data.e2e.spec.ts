import { CITYCRED_CONTEXT_URL, containsResidentRegistrationNumber, credentialSchemaUrl, normaliseForDetection, UNNAMED, VC_V1_CONTEXT_URL } from '@citycred/credentials';
import { disguisedResidentRegistrationNumber, disguisedResidentRegistrationNumbers } from '@citycred/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, send, startTestPlatform, type Answer, type TestPlatform } from '../support/platform.js';

/*
 * Issue 13, item 1: a resident registration number (주민등록번호) is never issued, never anchored and never echoed,
 * however it is written. Each of the 27 frozen variants (and, over HTTP, numbers fast-check disguises at random) is
 * sent to the real issuer and verifier in a claim value, a property name, the type, the @context, the URL path and
 * the query: every request is refused with 400 request.personal-data naming where, no credential row is written, and
 * no answer carries the text or its digits. A credential validly signed by a tenant key whose subject carries one
 * fails verification without the verifier repeating it. The frozen variants include the 18 that an outside red team
 * of issue 13's fix still got issued; and no answer repeats a property, member or parameter name the request chose
 * unless it is a plausible field name (red team, finding 3), nor does a megabyte of adversarial text stall a service.
 */

const VARIANTS = disguisedResidentRegistrationNumbers().map((v) => [v.label, v.text] as const);

/** Asserts that the answer carries nothing of `text`: not as written, not percent-encoded, not its digit groups in any script. */
function expectNoEcho(res: Answer, text: string): void {
  expect(res.text).not.toContain(text);
  expect(res.text).not.toContain(encodeURIComponent(text));
  const digits = normaliseForDetection(text).replace(/\D/g, '');
  const answer = normaliseForDetection(res.text);
  expect(answer).not.toContain(digits.slice(0, 6));
  expect(answer).not.toContain(digits.slice(-7));
  expect(containsResidentRegistrationNumber(res.text)).toBe(false);
}

/** Asserts the edge's refusal: 400 request.personal-data problem+json naming `where`, and no echo. */
function expectRefused(res: Answer, text: string, where?: { in: string; pointer: string }): void {
  expect(res.status, res.text).toBe(400);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ code: 'request.personal-data', status: 400 });
  if (where) expect(res.body.errors).toContainEqual(where);
  expectNoEcho(res, text);
}

describe('resident registration numbers at the HTTP edges (issue 13)', () => {
  let p: TestPlatform;
  let apiKey: string;
  let tenantDid: string;
  /** A complete SeoulCitizenCard credential without proof, issued by the seoul-citizen tenant. */
  let citizenCard: Record<string, unknown>;
  /** A credential the issuer really issued, in Veramo's JSON form, for the verifier cases. */
  let issued: Record<string, any>;

  beforeAll(async () => {
    p = await startTestPlatform('personal_data');
    const tenant = p.tenants.get('seoul-citizen')!;
    apiKey = tenant.apiKey;
    tenantDid = tenant.did;
    citizenCard = issueBody(tenantDid, 'SeoulCitizenCard', citizenCardSubject).credential;
    const res = await issue({ credential: citizenCard });
    expect(res.status, res.text).toBe(201);
    issued = res.body.verifiableCredential;
  });
  afterAll(async () => p?.stop());

  async function issuedRows(): Promise<number> {
    return Number((await p.issuer.runtime.dataSource.query('SELECT COUNT(*) AS n FROM issued_credentials'))[0].n);
  }

  function issue(body: unknown, query = ''): Promise<Answer> {
    return send(`${p.issuer.url}/credentials/issue${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  function verify(body: unknown, query = ''): Promise<Answer> {
    return send(`${p.verifier.url}/credentials/verify${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  /** The issue requests that carry `text` somewhere, each with where the refusal must point. */
  function issueRequests(text: string): Array<{ place: string; send: () => Promise<Answer>; where: { in: string; pointer: string } }> {
    return [
      { place: 'name', send: () => issue({ credential: { ...citizenCard, credentialSubject: { ...citizenCardSubject, name: text } } }), where: { in: 'body', pointer: '/credential/credentialSubject/name' } },
      { place: 'type', send: () => issue({ credential: { ...citizenCard, type: ['VerifiableCredential', text] } }), where: { in: 'body', pointer: '/credential/type/1' } },
      { place: '@context', send: () => issue({ credential: { ...citizenCard, '@context': [VC_V1_CONTEXT_URL, text] } }), where: { in: 'body', pointer: '/credential/@context/1' } },
      { place: 'key', send: () => issue({ credential: { ...citizenCard, credentialSubject: { ...citizenCardSubject, [text]: '김서연' } } }), where: { in: 'body', pointer: '/credential/credentialSubject/[redacted]' } },
      { place: 'query', send: () => issue({ credential: citizenCard }, `?note=${encodeURIComponent(text)}`), where: { in: 'query', pointer: '/note' } },
      { place: 'path', send: () => send(`${p.issuer.url}/residents/${encodeURIComponent(text)}`), where: { in: 'path', pointer: '/1' } },
    ];
  }

  describe('issuer', () => {
    it('issues the same request without the number (the refusals below are about the number alone)', async () => {
      const before = await issuedRows();
      const res = await issue({ credential: citizenCard }, '?note=ok');
      expect(res.status, res.text).toBe(201);
      expect(await issuedRows()).toBe(before + 1);
    });

    it.each(VARIANTS)('refuses %s in a name, the type, the @context, a key, the query and the path: nothing issued, nothing echoed', async (_label, text) => {
      for (const request of issueRequests(text)) {
        const before = await issuedRows();
        const res = await request.send();
        expectRefused(res, text, request.where);
        expect(await issuedRows(), request.place).toBe(before);
      }
      // The proof endpoint takes a hash in its path: a number there is refused the same way.
      expectRefused(await send(`${p.issuer.url}/anchors/proofs/${encodeURIComponent(text)}`), text, { in: 'path', pointer: '/2' });
    });

    it('refuses every number fast-check disguises, wherever it is put, and writes nothing (property, over HTTP)', async () => {
      const places = fc.constantFrom('name', 'type', '@context', 'key', 'query', 'path');
      await fc.assert(
        fc.asyncProperty(disguisedResidentRegistrationNumber(), places, async (text, place) => {
          const request = issueRequests(text).find((r) => r.place === place)!;
          const before = await issuedRows();
          const res = await request.send();
          expectRefused(res, text, request.where);
          expect(await issuedRows()).toBe(before);
        }),
        { numRuns: 30 },
      );
    });
  });

  describe('verifier', () => {
    it('verifies the untouched credential (the refusals below are about the number alone)', async () => {
      const res = await verify({ verifiableCredential: issued });
      expect(res.status, res.text).toBe(200);
    });

    it.each(VARIANTS)('refuses %s in a claim, the type, the @context, a key, the query and the path, never echoed', async (_label, text) => {
      const requests: Array<[() => Promise<Answer>, { in: string; pointer: string }]> = [
        [() => verify({ verifiableCredential: { ...issued, credentialSubject: { ...issued.credentialSubject, name: text } } }), { in: 'body', pointer: '/verifiableCredential/credentialSubject/name' }],
        [() => verify({ verifiableCredential: { ...issued, type: ['VerifiableCredential', text] } }), { in: 'body', pointer: '/verifiableCredential/type/1' }],
        [() => verify({ verifiableCredential: { ...issued, '@context': [VC_V1_CONTEXT_URL, CITYCRED_CONTEXT_URL, text] } }), { in: 'body', pointer: '/verifiableCredential/@context/2' }],
        [() => verify({ verifiableCredential: { ...issued, [text]: true } }), { in: 'body', pointer: '/verifiableCredential/[redacted]' }],
        [() => verify({ verifiableCredential: text }), { in: 'body', pointer: '/verifiableCredential' }],
        [() => verify({ verifiableCredential: issued }, `?policy=${encodeURIComponent(text)}`), { in: 'query', pointer: '/policy' }],
        [() => send(`${p.verifier.url}/residents/${encodeURIComponent(text)}`), { in: 'path', pointer: '/1' }],
      ];
      for (const [request, where] of requests) expectRefused(await request(), text, where);
    });

    it.each(VARIANTS)('a credential validly signed by a tenant key whose name is %s is not verified, and the number is not repeated', async (_label, text) => {
      const signed = await p.issuer.runtime.agent.createVerifiableCredential({
        proofFormat: 'jwt',
        credential: {
          '@context': [VC_V1_CONTEXT_URL, CITYCRED_CONTEXT_URL],
          id: 'urn:uuid:0b0e0f6a-3c1d-4e5f-8a9b-0c1d2e3f4a5b',
          type: ['VerifiableCredential', 'SeoulCitizenCard'],
          issuer: { id: tenantDid },
          issuanceDate: new Date(Date.now() - 5_000).toISOString(),
          credentialSchema: { id: credentialSchemaUrl('SeoulCitizenCard'), type: 'JsonSchema' },
          credentialSubject: { ...structuredClone(citizenCardSubject), name: text },
        },
      });
      const jwt = (signed.proof as { jwt: string }).jwt;
      // The compact JWT hides the number in base64url, so the edge cannot see it: the verifier's schema check must.
      const res = await verify({ verifiableCredential: jwt });
      expect(res.status, res.text).toBe(400);
      expect(res.body).toMatchObject({ code: 'verification.failed', verified: false });
      const checks = Object.fromEntries((res.body.checks as { id: string; status: string }[]).map((c) => [c.id, c.status]));
      expect(checks).toMatchObject({ format: 'passed', signature: 'passed', schema: 'failed' });
      expect(res.body.checks.find((c: { id: string }) => c.id === 'schema').detail).toMatch(/\/name looks like a resident registration number/);
      expectNoEcho(res, text);
    });
  });

  describe('names the request chose are not repeated (red team of issue 13, finding 3)', () => {
    const MARKUP_KEY = `<img src=x onerror=alert(1)>ZQXMARK${'x'.repeat(5000)}`;

    function expectNoName(res: Answer): void {
      expect(res.text).not.toMatch(/ZQXMARK|<img|<script|onerror|xxxxxxxx/);
      // The markup name alone is over 5,000 characters.
      expect(res.text.length).toBeLessThan(4000);
    }

    it('the issuer reports a claim its schema does not define at its parent, without the name, and issues nothing', async () => {
      const before = await issuedRows();
      const res = await issue({ credential: { ...citizenCard, credentialSubject: { ...citizenCardSubject, [MARKUP_KEY]: 1, shoeSize: 270 } } });
      expect(res.status, res.text).toBe(422);
      expect(res.body).toMatchObject({ code: 'credential.schema-invalid' });
      expect(res.body.errors).toEqual([{ path: '', message: 'has a property the schema does not define', keyword: 'additionalProperties' }]);
      expectNoName(res);
      expect(res.text).not.toContain('shoeSize');
      expect(await issuedRows()).toBe(before);
    });

    // The credential takes any data-model member (VC-API); the envelope and its options are closed.
    it('the issuer names a member of the request envelope it does not accept only when it is a credential member', async () => {
      const res = await issue({ credential: citizenCard, options: { issuanceDate: '2020-01-01T00:00:00Z', [MARKUP_KEY]: true } });
      expect(res.status, res.text).toBe(400);
      expect(res.body).toMatchObject({ code: 'request.invalid' });
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { path: '/options/issuanceDate', message: 'is not accepted here' },
          { path: '/options', message: 'has a member this request does not define' },
        ]),
      );
      expectNoName(res);
    });

    it.each(['issuer', 'verifier'] as const)('the %s refuses a number under a query parameter name that is markup as /[unnamed]', async (service) => {
      const res = await send(`${p[service].url}/health?%3Cscript%3EZQXMARK=900101-1234567`);
      expectRefused(res, '900101-1234567', { in: 'query', pointer: `/${UNNAMED}` });
      expectNoName(res);
    });

    it('the refusal of a body names a markup property as [unnamed]', async () => {
      const res = await verify({ verifiableCredential: { ...issued, [MARKUP_KEY]: { note: '900101-1234567' } } });
      expectRefused(res, '900101-1234567', { in: 'body', pointer: `/verifiableCredential/${UNNAMED}/note` });
      expectNoName(res);
    });

    it.each([
      ['a plausible but unknown name', 'ZQXMARK'],
      ['markup', '<script>ZQXMARK</script>'],
    ])('the verifier does not name a member added to the JSON form (%s)', async (_label, member) => {
      const res = await verify({ verifiableCredential: { ...issued, [member]: 'x' } });
      expect(res.status, res.text).toBe(400);
      expect(res.body.verified).toBe(false);
      const format = res.body.checks.find((c: { id: string }) => c.id === 'format');
      expect(format).toMatchObject({ status: 'failed' });
      expect(format.detail).toMatch(/does not match its signed JWT/);
      expectNoName(res);
    });

    it('the verifier does not repeat subject names from a JWT whose signature fails', async () => {
      const [header, payload, signature] = (issued.proof.jwt as string).split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      claims.vc.credentialSubject = { ...claims.vc.credentialSubject, [MARKUP_KEY]: 'x', '⑼(0)(0)⑴(0)⑴-⑴⑵⑶⑷⑸⑹⑺': true };
      const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
      const res = await verify({ verifiableCredential: forged });
      expect(res.status, res.text).toBe(400);
      const checks = Object.fromEntries((res.body.checks as { id: string; status: string }[]).map((c) => [c.id, c.status]));
      expect(checks).toMatchObject({ signature: 'failed', schema: 'failed' });
      expectNoName(res);
      expectNoEcho(res, '⑼(0)(0)⑴(0)⑴-⑴⑵⑶⑷⑸⑹⑺');
    });
  });

  describe('adversarial text does not stall a service (red team of issue 13, finding 1)', () => {
    it('the verifier answers the red team’s 256 KB request, and /health beside it', async () => {
      const body = JSON.stringify({ verifiableCredential: 'a9001011234567'.repeat(18725) });
      const [refused, health] = await Promise.all([
        send(`${p.verifier.url}/credentials/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
        send(`${p.verifier.url}/health`),
      ]);
      expectRefused(refused, '9001011234567', { in: 'body', pointer: '/verifiableCredential' });
      expect(health.status).toBeLessThan(500);
    });

    it('the issuer answers a 15 KB query string of the same pattern', async () => {
      const res = await send(`${p.issuer.url}/health?q=${'a9001011234567'.repeat(1100)}`);
      expectRefused(res, '9001011234567', { in: 'query', pointer: '/q' });
    });
  });
});
