import { createHash } from 'node:crypto';
import { credentialHash } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';

/** The public reference of a credential as docs/certificates.md defines it: `<hash hex>/<base64url SHA-256(label ‖ credential)>`. */
function documentedReference(encoded: string): string {
  const secret = createHash('sha256').update('citycred/certificate-reference/v1\n').update(encoded).digest('base64url');
  return `${credentialHash(encoded).slice(2)}/${secret}`;
}

describe('certificates over HTTP: the tenant downloads a PDF; a reference serves the credential', () => {
  const clock = new FixedClock(new Date());
  let p: TestPlatform;
  let jwt: string;
  let id: string;

  beforeAll(async () => {
    p = await startTestPlatform('certificates', { clock, issuerEnv: { CERTIFICATE_CHECK_URL: 'http://verifier.test/check' } });
    // The tenants' accreditations start at the chain's time when they were provisioned: the issuer's clock moves there.
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    const { did, apiKey } = p.tenants.get('seoul-citizen')!;
    const issued = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(did, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${apiKey}` });
    expect(issued.status).toBe(201);
    jwt = issued.body.verifiableCredential.proof.jwt;
    id = issued.body.verifiableCredential.id;
  });
  afterAll(async () => p?.stop());

  const download = (credentialId: string, apiKey?: string) =>
    fetch(`${p.issuer.url}/credentials/${credentialId}/certificate.pdf`, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });

  it('answers the issuing tenant with a one-page A4 PDF, as an attachment nobody caches', async () => {
    const res = await download(id, p.tenants.get('seoul-citizen')!.apiKey);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="certificate-${id.replace('urn:uuid:', '')}.pdf"`);
    const pdf = Buffer.from(await res.arrayBuffer());
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text).toMatch(/\/Type \/Pages\s*\/Count 1\b/);
    expect(text).toContain('/MediaBox [0 0 595.28 841.89]');
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansKR-Regular/);
    expect(pdf.length).toBeLessThan(200_000);
  });

  it('finds the credential by its bare UUID too', async () => {
    expect((await download(id.replace('urn:uuid:', ''), p.tenants.get('seoul-citizen')!.apiKey)).status).toBe(200);
  });

  it('answers 404 credential.not-found to another tenant, and for an id nobody issued; 401 without a key', async () => {
    for (const [credentialId, key] of [
      [id, p.tenants.get('education-office')!.apiKey],
      ['urn:uuid:00000000-0000-4000-8000-000000000000', p.tenants.get('seoul-citizen')!.apiKey],
    ] as const) {
      const res = await send(`${p.issuer.url}/credentials/${credentialId}/certificate.pdf`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(404);
      expect(res.type).toContain('application/problem+json');
      expect(res.body.code).toBe('credential.not-found');
    }
    expect((await download(id)).status).toBe(401);
  });

  it('serves the credential by its reference to any origin, uncached; a wrong secret is unknown', async () => {
    const reference = documentedReference(jwt);
    const res = await send(`${p.issuer.url}/certificates/${reference}`, { headers: { origin: 'http://verifier.test' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ format: 'jwt_vc', credential: jwt });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.cacheControl).toBe('no-store');
    const [hash] = reference.split('/');
    for (const wrong of [`${hash}/${'A'.repeat(43)}`, `${hash}/short`, `x/${'A'.repeat(43)}`]) {
      const refused = await send(`${p.issuer.url}/certificates/${wrong}`);
      expect(refused.status, wrong).toBe(404);
      expect(refused.body.code).toBe('credential.not-found');
    }
  });
});
