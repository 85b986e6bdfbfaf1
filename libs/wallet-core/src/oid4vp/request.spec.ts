import { documentSignatureTransactionData, encodeTransactionData, signCompactJws, type TransactionData } from '@citycred/formats';
import { describe, expect, it } from 'vitest';
import { Oid4vpErrorCode } from './errors.js';
import { fetchPresentationRequest, parsePresentationRequestLink, PURPOSE_VERIFIER_INFO_FORMAT, SELF_ISSUED_AUDIENCE } from './request.js';
import { CITIZEN_CARD_VCT, testHolderKey } from './test-credentials.js';

const verifier = testHolderKey(5);
const stranger = testHolderKey(6);
const CLIENT_ID = `decentralized_identifier:${verifier.did}`;
const REQUEST_URI = 'https://verifier.example/presentation-requests/h/request';
const NOW = new Date('2026-11-30T03:00:00Z');
const now = Math.floor(NOW.getTime() / 1000);
const link = `openid4vp://?${new URLSearchParams({ client_id: CLIENT_ID, request_uri: REQUEST_URI })}`;

const claims = (patch: Record<string, unknown> = {}) => ({
  client_id: CLIENT_ID,
  iss: CLIENT_ID,
  aud: SELF_ISSUED_AUDIENCE,
  response_type: 'vp_token',
  response_mode: 'direct_post',
  response_uri: 'https://verifier.example/presentation-requests/h/response',
  nonce: 'n-0S6_WzA2Mj',
  state: 's-1',
  dcql_query: { credentials: [{ id: 'SeoulCitizenCard', format: 'dc+sd-jwt', meta: { vct_values: [CITIZEN_CARD_VCT] }, claims: [{ path: ['ageOver18'] }] }] },
  client_metadata: { vp_formats_supported: {} },
  iat: now,
  exp: now + 300,
  ...patch,
});

const requestObject = (patch: Record<string, unknown> = {}, header: Record<string, unknown> = {}, signer = verifier.signer) =>
  signCompactJws({ alg: 'ES256', typ: 'oauth-authz-req+jwt', kid: `${verifier.did}#0`, ...header }, claims(patch), signer);

const serving = (body: string | Promise<string>, status = 200) => ({
  fetch: async () => new Response(await body, { status, headers: { 'content-type': 'application/oauth-authz-req+jwt' } }),
  clock: { now: () => NOW },
});

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('reading a scanned presentation request link', () => {
  it('reads client_id and request_uri', () => {
    expect(parsePresentationRequestLink(` ${link} `)).toEqual({ clientId: CLIENT_ID, requestUri: REQUEST_URI });
  });

  it.each<[string, string, string]>([
    ['a credential offer', 'openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fcity.example%2Fo', Oid4vpErrorCode.RequestForeign],
    ['a web page', 'https://jobs.seoul.example/scan', Oid4vpErrorCode.RequestForeign],
    ['not a link', 'QR', Oid4vpErrorCode.RequestForeign],
    ['no request_uri', `openid4vp://?client_id=${encodeURIComponent(CLIENT_ID)}`, Oid4vpErrorCode.RequestMalformed],
    ['two client ids', `${link}&client_id=x`, Oid4vpErrorCode.RequestMalformed],
    ['a request_uri over plain http on a public host', `openid4vp://?client_id=x&request_uri=${encodeURIComponent('http://verifier.example/r')}`, Oid4vpErrorCode.RequestMalformed],
    ['a request by value', `openid4vp://?client_id=x&request=${'e30.e30.x'}`, Oid4vpErrorCode.RequestUnsupported],
    ['an unsigned DCQL query by value', `openid4vp://?client_id=x&dcql_query=%7B%7D&nonce=n`, Oid4vpErrorCode.RequestUnsupported],
    ['request_uri_method=post', `${link}&request_uri_method=post`, Oid4vpErrorCode.RequestUnsupported],
  ])('refuses %s', (_label, text, code) => {
    expect(codeOf(() => parsePresentationRequestLink(text))).toBe(code);
  });
});

describe('checking the request object', () => {
  const open = (body: string | Promise<string>, status?: number, clientId = CLIENT_ID) => fetchPresentationRequest({ clientId, requestUri: REQUEST_URI }, serving(body, status));

  it('accepts one signed by the key its decentralized_identifier names', async () => {
    const request = await open(requestObject());
    expect(request).toMatchObject({ clientId: CLIENT_ID, verifierDid: verifier.did, responseMode: 'direct_post', nonce: 'n-0S6_WzA2Mj', state: 's-1', expiresAt: new Date((now + 300) * 1000) });
    expect(request.query.credentials[0]!.id).toBe('SeoulCitizenCard');
  });

  it('reads the purpose the verifier signed in verifier_info, ignores other formats, and refuses a malformed verifier_info', async () => {
    expect((await open(requestObject())).purpose).toBeUndefined();
    const info = (text: unknown) => ({ format: PURPOSE_VERIFIER_INFO_FORMAT, data: { text } });
    const other = { format: 'https://example.com/registration', data: 'eyJ.e30.x' };
    expect((await open(requestObject({ verifier_info: [other, info(' 청년 일자리 지원 자격 확인 ')] }))).purpose).toBe('청년 일자리 지원 자격 확인');
    expect((await open(requestObject({ verifier_info: [other] }))).purpose).toBeUndefined();
    expect((await open(requestObject({ verifier_info: [info('x'.repeat(201))] }))).purpose).toBeUndefined();
    for (const bad of [[], 'purpose', [{ format: PURPOSE_VERIFIER_INFO_FORMAT }], [{ data: { text: 'x' } }]]) {
      await expect(open(requestObject({ verifier_info: bad }))).rejects.toMatchObject({ code: Oid4vpErrorCode.RequestInvalid });
    }
  });

  it('takes the response key and the strongest enc for direct_post.jwt', async () => {
    const key = { kty: 'EC', crv: 'P-256', x: stranger.jwk.x, y: stranger.jwk.y, kid: 'k1', use: 'enc', alg: 'ECDH-ES' };
    const request = await open(requestObject({ response_mode: 'direct_post.jwt', client_metadata: { jwks: { keys: [key] }, encrypted_response_enc_values_supported: ['A128GCM', 'A256GCM'] } }));
    expect(request.encryption).toEqual({ jwk: key, enc: 'A256GCM' });
    await expect(open(requestObject({ response_mode: 'direct_post.jwt', client_metadata: {} }))).rejects.toMatchObject({ code: Oid4vpErrorCode.RequestUnsupported });
  });

  it.each<[string, () => Promise<string> | string, string, number?]>([
    ['signed by another key', () => requestObject({}, {}, stranger.signer), Oid4vpErrorCode.RequestInvalid],
    ['a kid of another DID', () => requestObject({}, { kid: `${stranger.did}#0` }), Oid4vpErrorCode.RequestInvalid],
    ['another typ', () => requestObject({}, { typ: 'JWT' }), Oid4vpErrorCode.RequestInvalid],
    ['not a JWS', () => 'not-a-jws', Oid4vpErrorCode.RequestInvalid],
    ['alg none', () => `${btoa('{"alg":"none"}').replace(/=+$/, '')}.${btoa('{}').replace(/=+$/, '')}.`, Oid4vpErrorCode.RequestInvalid],
    ['another client_id inside', () => requestObject({ client_id: `decentralized_identifier:${stranger.did}` }), Oid4vpErrorCode.RequestInvalid],
    ['another aud', () => requestObject({ aud: 'https://verifier.example' }), Oid4vpErrorCode.RequestInvalid],
    ['expired', () => requestObject({ exp: now - 61 }), Oid4vpErrorCode.RequestExpired],
    ['no exp', () => requestObject({ exp: undefined }), Oid4vpErrorCode.RequestInvalid],
    ['issued in the future', () => requestObject({ iat: now + 120 }), Oid4vpErrorCode.RequestInvalid],
    ['no nonce', () => requestObject({ nonce: undefined }), Oid4vpErrorCode.RequestInvalid],
    ['a plain http response_uri on a public host', () => requestObject({ response_uri: 'http://verifier.example/r' }), Oid4vpErrorCode.RequestInvalid],
    ['a fragment response mode', () => requestObject({ response_mode: 'fragment' }), Oid4vpErrorCode.RequestUnsupported],
    ['an id_token request', () => requestObject({ response_type: 'id_token' }), Oid4vpErrorCode.RequestUnsupported],
    ['a DCQL query that cannot be read', () => requestObject({ dcql_query: { credentials: 'all' } }), Oid4vpErrorCode.RequestInvalid],
    ['transaction data of no known shape', () => requestObject({ transaction_data: ['e30'] }), Oid4vpErrorCode.TransactionDataInvalid],
    ['a closed request (410)', () => '{"code":"oid4vp.request-closed"}', Oid4vpErrorCode.RequestClosed, 410],
    ['an unknown handle (404)', () => '{}', Oid4vpErrorCode.RequestClosed, 404],
    ['a verifier outage (503)', () => '{}', Oid4vpErrorCode.VerifierUnavailable, 503],
  ])('refuses %s', async (_label, body, code, status) => {
    await expect(open(body(), status)).rejects.toMatchObject({ code });
  });

  it.each<[string, string]>([
    ['an x509_san_dns verifier', 'x509_san_dns:verifier.example'],
    ['a redirect_uri verifier', 'redirect_uri:https://verifier.example/cb'],
    ['a pre-registered verifier', 'verifier-123'],
    ['a did:web verifier (not resolved offline)', 'decentralized_identifier:did:web:verifier.example'],
  ])('does not fetch the request of %s', async (_label, clientId) => {
    let fetched = false;
    const transport = { fetch: async () => ((fetched = true), new Response('')), clock: { now: () => NOW } };
    await expect(fetchPresentationRequest({ clientId, requestUri: REQUEST_URI }, transport)).rejects.toMatchObject({ code: Oid4vpErrorCode.RequestUnsupported });
    expect(fetched).toBe(false);
  });
});

describe('transaction data (OpenID4VP 1.0 §5.1): document signatures only', () => {
  const document = { hash: `0x${'ab'.repeat(32)}`, fileName: '계약서.pdf', mediaType: 'application/pdf' };
  const entry = (patch: Record<string, unknown> = {}) => encodeTransactionData({ ...documentSignatureTransactionData(document, ['SeoulCitizenCard']), ...patch } as TransactionData);

  /** Serves the request object, and records what the wallet posts to the response URI. */
  function verifierServing(body: Promise<string>) {
    const posted: URLSearchParams[] = [];
    const transport = {
      fetch: async (url: string | URL | Request, init?: RequestInit) => {
        if (init?.method === 'POST') {
          posted.push(new URLSearchParams(String(init.body)));
          return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
        }
        return new Response(await body, { status: 200 });
      },
      clock: { now: () => NOW },
    };
    return { transport, posted };
  }

  it('reads a document signature for the SD-JWT card query: what the consent screen shows', async () => {
    const encoded = entry();
    const { transport } = verifierServing(requestObject({ transaction_data: [encoded] }));
    const request = await fetchPresentationRequest({ clientId: CLIENT_ID, requestUri: REQUEST_URI }, transport);
    expect(request.transactionData).toEqual([{ encoded, type: 'citycred-document-signature', credentialIds: ['SeoulCitizenCard'], document }]);
  });

  it.each<[string, () => unknown[]]>([
    ['an unknown type', () => [entry({ type: 'payment' })]],
    ['an unknown member of a known type', () => [entry({ amount: 100 })]],
    ['a document hash that is not SHA-256 hex', () => [entry({ document_hash: 'abc' })]],
    ['credential ids of no query', () => [entry({ credential_ids: ['DriverLicence'] })]],
    ['a hash algorithm the wallet does not compute', () => [entry({ transaction_data_hashes_alg: ['sha-384'] })]],
    ['an empty array', () => []],
    ['an entry that is not base64url JSON', () => ['%%%']],
  ])('refuses %s, and tells the verifier invalid_transaction_data', async (_label, data) => {
    const { transport, posted } = verifierServing(requestObject({ transaction_data: data() }));
    await expect(fetchPresentationRequest({ clientId: CLIENT_ID, requestUri: REQUEST_URI }, transport)).rejects.toMatchObject({ code: Oid4vpErrorCode.TransactionDataInvalid });
    expect(posted).toHaveLength(1);
    expect(posted[0]!.get('error')).toBe('invalid_transaction_data');
    expect(posted[0]!.get('state')).toBe('s-1');
    expect(posted[0]!.has('vp_token')).toBe(false);
  });
});
