import { decodeCompactJws, nobleSignatureCrypto, verifyJwsSignature, verifyKeyBinding } from '@citycred/formats';
import { compactDecrypt, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { matchDcqlQuery, type DcqlQuery } from './dcql.js';
import { Oid4vpError, Oid4vpErrorCode } from './errors.js';
import { OID4VP_MESSAGES, verifierRefusalText } from './messages.js';
import { encryptJwe } from './jwe.js';
import type { PresentationRequest } from './request.js';
import { buildVpToken, postResponse } from './response.js';
import { SCAN_PRESENTATION_PREFIX, scanPresentation } from './scan-qr.js';
import { CITIZEN_CARD_VCT, testCitizenCard, testHolderKey, testJwtVc } from './test-credentials.js';

const holder = testHolderKey(1);
const other = testHolderKey(2);
const NOW = new Date('2026-11-30T03:00:00Z');
const query: DcqlQuery = {
  credentials: [
    { id: 'SeoulCitizenCard', format: 'dc+sd-jwt', meta: { vct_values: [CITIZEN_CARD_VCT] }, claims: [{ path: ['ageOver18'] }] },
    { id: 'WorkExperience', format: 'jwt_vc_json', meta: { type_values: [['VerifiableCredential', 'WorkExperience']] } },
  ],
};
const request = (patch: Partial<PresentationRequest> = {}): PresentationRequest => ({
  clientId: 'decentralized_identifier:did:jwk:verifier',
  verifierDid: 'did:jwk:verifier',
  requestUri: 'https://verifier.example/r',
  responseMode: 'direct_post',
  responseUri: 'https://verifier.example/response',
  nonce: 'request-nonce',
  state: 'st',
  query,
  expiresAt: new Date(NOW.getTime() + 300_000),
  claims: {},
  ...patch,
});

describe('building the vp_token for the citizen’s choice', async () => {
  const card = { id: 'card', encoded: await testCitizenCard(holder) };
  const work = { id: 'work', encoded: await testJwtVc('WorkExperience', holder.did, { employer: '한강카페' }) };
  const othersCard = { id: 'others', encoded: await testCitizenCard(other) };
  const match = matchDcqlQuery(query, [card, work, othersCard]);

  it('presents the card with only ageOver18 and a key binding over the nonce and client_id, and the JWT VC in a signed VP', async () => {
    const token = await buildVpToken(request(), match, { SeoulCitizenCard: ['card'], WorkExperience: ['work'] }, holder, NOW);
    expect(Object.keys(token)).toEqual(['SeoulCitizenCard', 'WorkExperience']);
    const presented = token['SeoulCitizenCard']![0]!;
    const binding = await verifyKeyBinding(presented, { nonce: 'request-nonce', aud: request().clientId, now: NOW, maxAgeSeconds: 60 }, nobleSignatureCrypto);
    expect(binding.valid).toBe(true);
    expect(binding.valid && Object.keys(binding.credential.claims)).toEqual(['ageOver18']);

    const vp = decodeCompactJws(token['WorkExperience']![0]!);
    expect(vp.header).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: `${holder.did}#0` });
    expect(vp.payload).toMatchObject({ iss: holder.did, aud: request().clientId, nonce: 'request-nonce', iat: NOW.getTime() / 1000, vp: { verifiableCredential: [work.encoded] } });
    expect((await verifyJwsSignature(vp, [{ kind: 'jwk', jwk: holder.jwk }], nobleSignatureCrypto)).valid).toBe(true);
  });

  it.each<[string, DcqlQuery, Partial<Record<'disclosesMore', boolean>> & { extraPaths: unknown[] }]>([
    ['a nested claim: residence.city sends the whole residence disclosure, and the candidate says so', { credentials: [{ id: 'q', format: 'dc+sd-jwt', claims: [{ path: ['residence', 'city'] }] }] }, { disclosesMore: true, extraPaths: [['residence', 'district']] }],
    ['a nested claim with a value', { credentials: [{ id: 'q', format: 'dc+sd-jwt', claims: [{ path: ['residence', 'city'], values: ['서울특별시'] }] }] }, { disclosesMore: true, extraPaths: [['residence', 'district']] }],
    ['the whole residence', { credentials: [{ id: 'q', format: 'dc+sd-jwt', claims: [{ path: ['residence'] }] }] }, { disclosesMore: false, extraPaths: [] }],
    ['two top-level claims', { credentials: [{ id: 'q', format: 'dc+sd-jwt', claims: [{ path: ['ageOver18'] }, { path: ['name'] }] }] }, { disclosesMore: false, extraPaths: [] }],
  ])('lists exactly what the verifier receives: %s', async (_label, nested, expected) => {
    const candidate = matchDcqlQuery(nested, [card]).queries[0]!.candidates[0]!;
    expect(candidate).toMatchObject(expected);
    const token = await buildVpToken(request({ query: nested }), matchDcqlQuery(nested, [card]), { q: ['card'] }, holder, NOW);
    const binding = await verifyKeyBinding(token['q']![0]!, { nonce: 'request-nonce', aud: request().clientId, now: NOW, maxAgeSeconds: 60 }, nobleSignatureCrypto);
    expect(binding.valid).toBe(true);
    const received = binding.valid ? binding.credential.claims : {};
    expect(received).toEqual(Object.fromEntries(candidate.claims.map((claim) => [claim.path[0], claim.value])));
    expect(candidate.claims.every((claim) => claim.path.length === 1)).toBe(true);
  });

  it.each<[string, Record<string, string[]>, string]>([
    ['a required query left out', { SeoulCitizenCard: ['card'] }, Oid4vpErrorCode.SelectionInvalid],
    ['a credential that does not answer its query', { SeoulCitizenCard: ['work'], WorkExperience: ['work'] }, Oid4vpErrorCode.SelectionInvalid],
    ['two credentials for a query without multiple', { SeoulCitizenCard: ['card', 'others'], WorkExperience: ['work'] }, Oid4vpErrorCode.SelectionInvalid],
    ['a query the request does not have', { SeoulCitizenCard: ['card'], WorkExperience: ['work'], Other: ['card'] }, Oid4vpErrorCode.SelectionInvalid],
    ["another wallet's card", { SeoulCitizenCard: ['others'], WorkExperience: ['work'] }, Oid4vpErrorCode.CredentialNotPresentable],
  ])('refuses %s', async (_label, choice, code) => {
    await expect(buildVpToken(request(), match, choice, holder, NOW)).rejects.toMatchObject({ code });
  });
});

describe('direct_post.jwt encryption (ECDH-ES, WebCrypto)', () => {
  it.each(['A128GCM', 'A256GCM'] as const)('makes a JWE the verifier decrypts with its key (%s)', async (enc) => {
    const { publicKey, privateKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'request-key' };
    const jwe = await encryptJwe({ vp_token: { q: ['x~'] }, state: 'st' }, jwk as never, enc);
    expect(jwe.split('.')).toHaveLength(5);
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, privateKey, { keyManagementAlgorithms: ['ECDH-ES'], contentEncryptionAlgorithms: [enc] });
    expect(protectedHeader).toMatchObject({ alg: 'ECDH-ES', enc, kid: 'request-key' });
    expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual({ vp_token: { q: ['x~'] }, state: 'st' });
  });
});

describe('posting the response', () => {
  const posting = (status: number, body: unknown, seen: Array<{ url: string; body: string }> = []) => ({
    fetch: async (url: string, init?: RequestInit) => {
      seen.push({ url, body: String(init?.body) });
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    },
    clock: { now: () => NOW },
  });

  it('sends vp_token as JSON text and state as a form for direct_post', async () => {
    const seen: Array<{ url: string; body: string }> = [];
    await expect(postResponse(request(), { vp_token: { q: ['p'] } }, posting(200, {}, seen))).resolves.toEqual({});
    const form = new URLSearchParams(seen[0]!.body);
    expect([seen[0]!.url, form.get('vp_token'), form.get('state')]).toEqual(['https://verifier.example/response', '{"q":["p"]}', 'st']);
  });

  it('tells a refusal after the verifier took the presentation (200 with error) from a success, with the reason in the citizen’s language', async () => {
    const refusal = { error: 'access_denied', error_description: 'You have already signed this claim: each person signs once.', 'error_description#ko': '이미 이 청구에 서명했습니다. 한 사람은 한 번만 서명할 수 있습니다.' };
    const caught = await postResponse(request(), { vp_token: { q: ['p'] } }, posting(200, refusal)).catch((error: unknown) => error);
    expect(caught).toBeInstanceOf(Oid4vpError);
    const error = caught as Oid4vpError;
    expect(error).toMatchObject({ code: Oid4vpErrorCode.VerifierRefused, status: 200, oauthError: 'access_denied', description: refusal.error_description, descriptions: { ko: refusal['error_description#ko'] } });
    expect(verifierRefusalText(error, 'ko')).toBe('요청한 곳에서 거절했습니다: 이미 이 청구에 서명했습니다. 한 사람은 한 번만 서명할 수 있습니다.');
    expect(verifierRefusalText(error, 'en')).toBe('The verifier refused: You have already signed this claim: each person signs once.');
  });

  it('shows a refusal without a Korean reason with the English one, and one without any reason with the message alone', async () => {
    const english = (await postResponse(request(), { vp_token: { q: ['p'] } }, posting(200, { error: 'access_denied', error_description: 'The claim is closed.' })).catch((e: unknown) => e)) as Oid4vpError;
    expect(verifierRefusalText(english, 'ko')).toBe('요청한 곳에서 거절했습니다: The claim is closed.');
    const bare = (await postResponse(request(), { vp_token: { q: ['p'] } }, posting(200, { error: 'access_denied' })).catch((e: unknown) => e)) as Oid4vpError;
    expect(bare.code).toBe(Oid4vpErrorCode.VerifierRefused);
    expect([verifierRefusalText(bare, 'ko'), verifierRefusalText(bare, 'en')]).toEqual([OID4VP_MESSAGES['oid4vp.verifier-refused'].ko, 'The verifier refused.']);
  });

  it('keeps a 200 without error a success, its redirect_uri and unknown members aside', async () => {
    await expect(postResponse(request(), { vp_token: { q: ['p'] } }, posting(200, { redirect_uri: 'https://verifier.example/done', other: 1 }))).resolves.toEqual({ redirectUri: 'https://verifier.example/done' });
  });

  it.each<[number, unknown, string]>([
    [400, { error: 'invalid_request', error_description: 'replay' }, Oid4vpErrorCode.ResponseRefused],
    [410, {}, Oid4vpErrorCode.RequestClosed],
    [503, {}, Oid4vpErrorCode.VerifierUnavailable],
    [302, {}, Oid4vpErrorCode.VerifierError],
  ])('maps %i to a typed error', async (status, body, code) => {
    await expect(postResponse(request(), { vp_token: { q: ['p'] } }, posting(status, body))).rejects.toMatchObject({ code });
  });
});

describe('the employer scanner QR code', async () => {
  const card = { encoded: await testCitizenCard(holder) };

  it('binds the chosen claims to <verifier>/scan with a nonce of the wallet and lives 120 s', async () => {
    const drawn = await scanPresentation(card, { verifierUrl: 'https://jobs.seoul.example/', disclose: ['ageOver18'], holder, now: NOW });
    expect(drawn.text.startsWith(SCAN_PRESENTATION_PREFIX)).toBe(true);
    expect(drawn.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(drawn.expiresAt.getTime() - drawn.issuedAt.getTime()).toBe(120_000);
    const binding = await verifyKeyBinding(drawn.text.slice(SCAN_PRESENTATION_PREFIX.length), { nonce: drawn.nonce, aud: 'https://jobs.seoul.example/scan', now: NOW, maxAgeSeconds: 120 }, nobleSignatureCrypto);
    expect(binding.valid && Object.keys(binding.credential.claims)).toEqual(['ageOver18']);
    const again = await scanPresentation(card, { verifierUrl: 'https://jobs.seoul.example', disclose: ['ageOver18'], holder, now: NOW });
    expect(again.nonce).not.toBe(drawn.nonce);
  });

  it('refuses a card of another key and a claim the card does not have', async () => {
    await expect(scanPresentation(card, { verifierUrl: 'https://jobs.seoul.example', disclose: ['ageOver18'], holder: other, now: NOW })).rejects.toMatchObject({ code: Oid4vpErrorCode.CredentialNotPresentable });
    await expect(scanPresentation(card, { verifierUrl: 'https://jobs.seoul.example', disclose: ['passport'], holder, now: NOW })).rejects.toMatchObject({ code: Oid4vpErrorCode.CredentialNotPresentable });
  });
});
