import { decodeCompactJws } from '@citycred/formats';
import { describe, expect, it } from 'vitest';
import { CITIZEN_CARD_VCT, testCitizenCard, testHolderKey } from '../oid4vp/test-credentials.js';
import { Oid4vciClient } from './client.js';
import { Oid4vciErrorCode } from './errors.js';
import { PRE_AUTHORIZED_CODE_GRANT } from './offer.js';

const ISSUER = 'https://city.example/oid4vci/seoul-citizen';
const NOW = new Date('2026-11-30T03:00:00Z');
const holder = testHolderKey(1);
const stranger = testHolderKey(2);

/** What the fake issuer answers at its credential endpoint, request after request. */
type CredentialAnswer = { status: number; body: unknown };

/** A scripted issuer: metadata, token and nonce as ours answers them; the credential endpoint from a script. */
function fakeIssuer(credentialAnswers: CredentialAnswer[], options: { metadataIssuer?: string; tokenAnswer?: CredentialAnswer } = {}) {
  const requests: Array<{ url: string; body: string; headers: Headers }> = [];
  let nonces = 0;
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = async (url: string, init?: RequestInit) => {
    requests.push({ url, body: String(init?.body ?? ''), headers: new Headers(init?.headers) });
    switch (url) {
      case 'https://city.example/.well-known/openid-credential-issuer/oid4vci/seoul-citizen':
        return json(200, {
          credential_issuer: options.metadataIssuer ?? ISSUER,
          credential_endpoint: `${ISSUER}/credential`,
          nonce_endpoint: `${ISSUER}/nonce`,
          credential_configurations_supported: {
            SeoulCitizenCard_dc_sd_jwt: { format: 'dc+sd-jwt', vct: CITIZEN_CARD_VCT, proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256', 'ES256K'] } } },
            SeoulCitizenCard_mdoc: { format: 'mso_mdoc', doctype: 'x' },
          },
        });
      case 'https://city.example/.well-known/oauth-authorization-server/oid4vci/seoul-citizen':
        return json(200, { issuer: ISSUER, token_endpoint: `${ISSUER}/token` });
      case `${ISSUER}/token`:
        return options.tokenAnswer ? json(options.tokenAnswer.status, options.tokenAnswer.body) : json(200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 300 });
      case `${ISSUER}/nonce`:
        nonces += 1;
        return json(200, { c_nonce: `nonce-${nonces}` });
      case `${ISSUER}/credential`: {
        const next = credentialAnswers.shift() ?? { status: 500, body: {} };
        return json(next.status, next.body);
      }
      default:
        return json(404, {});
    }
  };
  return { fetch, requests, transport: { fetch, clock: { now: () => NOW } } };
}

const offerLink = (configurations = ['SeoulCitizenCard_dc_sd_jwt']) =>
  `openid-credential-offer://?credential_offer=${encodeURIComponent(
    JSON.stringify({ credential_issuer: ISSUER, credential_configuration_ids: configurations, grants: { [PRE_AUTHORIZED_CODE_GRANT]: { 'pre-authorized_code': 'pac', tx_code: { length: 6, input_mode: 'numeric' } } } }),
  )}`;

describe('the OpenID4VCI client against a scripted issuer', async () => {
  const card = await testCitizenCard(holder);
  const strangersCard = await testCitizenCard(stranger);

  it('sends the 1.0 requests: a form token request with tx_code, a proof over the nonce for the issuer, proofs.jwt', async () => {
    const issuer = fakeIssuer([{ status: 200, body: { credentials: [{ credential: card }] } }]);
    const client = new Oid4vciClient(issuer.transport);
    const prepared = await client.prepare(offerLink(['SeoulCitizenCard_mdoc', 'SeoulCitizenCard_dc_sd_jwt']));
    expect(prepared.configurations.map((c) => c.id)).toEqual(['SeoulCitizenCard_dc_sd_jwt']);
    const [received] = await client.receive(prepared, { holder, txCode: '042917' });
    expect(received!.record).toMatchObject({ format: 'dc+sd-jwt', type: CITIZEN_CARD_VCT, receivedAt: NOW.toISOString() });

    const token = issuer.requests.find((r) => r.url.endsWith('/token'))!;
    expect(token.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token.body))).toEqual({ grant_type: PRE_AUTHORIZED_CODE_GRANT, 'pre-authorized_code': 'pac', tx_code: '042917' });
    const credential = issuer.requests.find((r) => r.url.endsWith('/credential'))!;
    expect(credential.headers.get('authorization')).toBe('Bearer at-1');
    const body = JSON.parse(credential.body);
    expect(Object.keys(body).sort()).toEqual(['credential_configuration_id', 'proofs']);
    const proof = decodeCompactJws(body.proofs.jwt[0]);
    expect(proof.header).toEqual({ alg: 'ES256', typ: 'openid4vci-proof+jwt', kid: `${holder.did}#0` });
    expect(proof.payload).toEqual({ aud: ISSUER, iat: NOW.getTime() / 1000, nonce: 'nonce-1' });
  });

  it('retries once with a fresh nonce after invalid_nonce, and not twice', async () => {
    const issuer = fakeIssuer([{ status: 400, body: { error: 'invalid_nonce' } }, { status: 200, body: { credentials: [{ credential: card }] } }]);
    const client = new Oid4vciClient(issuer.transport);
    await client.receive(await client.prepare(offerLink()), { holder, txCode: '042917' });
    const proofs = issuer.requests.filter((r) => r.url.endsWith('/credential')).map((r) => decodeCompactJws(JSON.parse(r.body).proofs.jwt[0]).payload['nonce']);
    expect(proofs).toEqual(['nonce-1', 'nonce-2']);

    const stubborn = fakeIssuer([{ status: 400, body: { error: 'invalid_nonce' } }, { status: 400, body: { error: 'invalid_nonce' } }]);
    const again = new Oid4vciClient(stubborn.transport);
    await expect(again.receive(await again.prepare(offerLink()), { holder, txCode: '042917' })).rejects.toMatchObject({ code: Oid4vciErrorCode.ProofRefused, oauthError: 'invalid_nonce' });
  });

  it.each<[string, CredentialAnswer, string]>([
    ['invalid_proof', { status: 400, body: { error: 'invalid_proof' } }, Oid4vciErrorCode.ProofRefused],
    ['credential_request_denied', { status: 400, body: { error: 'credential_request_denied' } }, Oid4vciErrorCode.CredentialDenied],
    ['invalid_token', { status: 401, body: { error: 'invalid_token' } }, Oid4vciErrorCode.TokenRefused],
    ['a deferred issuance', { status: 202, body: { transaction_id: 't' } }, Oid4vciErrorCode.DeferredUnsupported],
    ['an outage', { status: 503, body: { code: 'service.unavailable' } }, Oid4vciErrorCode.IssuerUnavailable],
    ['the singular credential of the drafts', { status: 200, body: { credential: card } }, Oid4vciErrorCode.CredentialInvalid],
    ["a credential bound to someone else's key", { status: 200, body: { credentials: [{ credential: strangersCard }] } }, Oid4vciErrorCode.CredentialInvalid],
    ['garbage', { status: 200, body: { credentials: [{ credential: 'not-a-credential' }] } }, Oid4vciErrorCode.CredentialInvalid],
  ])('maps %s to a typed error', async (_label, answer, code) => {
    const client = new Oid4vciClient(fakeIssuer([answer]).transport);
    await expect(client.receive(await client.prepare(offerLink()), { holder, txCode: '042917' })).rejects.toMatchObject({ code });
  });

  it('refuses an issuer whose metadata names another credential_issuer', async () => {
    const client = new Oid4vciClient(fakeIssuer([], { metadataIssuer: 'https://evil.example/oid4vci/seoul-citizen' }).transport);
    await expect(client.prepare(offerLink())).rejects.toMatchObject({ code: Oid4vciErrorCode.MetadataInvalid });
  });

  it('refuses an offer of nothing this wallet holds, and an offered configuration the issuer does not publish', async () => {
    const client = new Oid4vciClient(fakeIssuer([]).transport);
    await expect(client.prepare(offerLink(['SeoulCitizenCard_mdoc']))).rejects.toMatchObject({ code: Oid4vciErrorCode.UnsupportedCredential });
    await expect(client.prepare(offerLink(['Unknown']))).rejects.toMatchObject({ code: Oid4vciErrorCode.MetadataInvalid });
  });

  it('maps invalid_grant at the token endpoint to grant-refused', async () => {
    const client = new Oid4vciClient(fakeIssuer([], { tokenAnswer: { status: 400, body: { error: 'invalid_grant', error_description: 'Wrong transaction code.' } } }).transport);
    await expect(client.receive(await client.prepare(offerLink()), { holder, txCode: '000000' })).rejects.toMatchObject({
      code: Oid4vciErrorCode.GrantRefused,
      description: 'Wrong transaction code.',
    });
  });
});
