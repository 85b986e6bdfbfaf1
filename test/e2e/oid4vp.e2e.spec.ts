import { FixedClock } from '@citycred/config';
import { presentSdJwt, publicJwkOfDid } from '@citycred/formats';
import { startVerifier, type VerifierServer } from '@citycred/verifier';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { CompactEncrypt, decodeProtectedHeader, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { fetchPresentationRequest, parsePresentationRequestLink, PURPOSE_VERIFIER_INFO_FORMAT } from '@citycred/wallet-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { issueSdJwtCitizenCard, walletKey } from '../support/wallet.js';

/*
 * OpenID4VP 1.0 on the verifier, with this test playing the wallet as a script: it scans the deep link, fetches the
 * request object by reference and checks its signature against the key its client_id names, reads the DCQL query,
 * presents an SD-JWT VC with key binding over the request's nonce and client_id, and posts the answer to the
 * response_uri as a form (direct_post), or encrypted with jose to the request's own key (direct_post.jwt). The
 * verifier's client reads the outcome by GET and by server-sent events, with the id only it was given.
 */

const CITIZEN_CARD_VCT = 'https://schemas.citycred.seoul.go.kr/vct/SeoulCitizenCard';

/** A request object as a wallet reads it, once its signature checked out. */
interface ReadRequest {
  clientId: string;
  requestUri: string;
  payload: JWTPayload & Record<string, any>;
}

/** One server-sent event. */
interface ServerEvent {
  event: string;
  data: any;
}

describe('OpenID4VP 1.0 presentation requests', () => {
  let p: TestPlatform;
  const clock = new FixedClock(new Date());
  const holder = walletKey();
  let issued: string;

  beforeAll(async () => {
    p = await startTestPlatform('oid4vp', { clock });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    issued = await issueSdJwtCitizenCard(p, holder.jwk);
    await p.worker.runOnce();
  });
  afterAll(async () => p?.stop());

  const createRequest = async (policy = 'age-over-19', verifier: VerifierServer = p.verifier, responseMode?: 'direct_post' | 'direct_post.jwt') => {
    const res = await postJson(`${verifier.url}/presentation-requests`, { policy, purpose: 'door check', ...(responseMode ? { responseMode } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; requestUri: string; deepLink: string; qrSvg: string; expiresAt: string; responseMode: string };
  };

  /** The wallet's side of a scan: read the deep link, fetch the request object (from `origin`, a load balancer's pick), check its signature. */
  async function scan(deepLink: string, origin?: string): Promise<ReadRequest> {
    const link = new URL(deepLink);
    expect(link.protocol).toBe('openid4vp:');
    const clientId = link.searchParams.get('client_id')!;
    const requestUri = link.searchParams.get('request_uri')!;
    const fetched = await send(origin ? `${origin}${new URL(requestUri).pathname}` : requestUri, { headers: { accept: 'application/oauth-authz-req+jwt' } });
    expect(fetched.status, fetched.text).toBe(200);
    expect(fetched.type).toContain('application/oauth-authz-req+jwt');
    expect(fetched.cacheControl).toBe('no-store');
    // decentralized_identifier:<did>: the key is the DID's, named by the header's kid.
    expect(clientId).toMatch(/^decentralized_identifier:did:jwk:/);
    const did = clientId.slice('decentralized_identifier:'.length);
    const header = decodeProtectedHeader(fetched.text);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'oauth-authz-req+jwt', kid: `${did}#0` });
    const key = await importJWK({ ...publicJwkOfDid(did) }, 'ES256');
    const { payload } = await jwtVerify(fetched.text, key, { typ: 'oauth-authz-req+jwt', audience: 'https://self-issued.me/v2', currentDate: clock.now() });
    expect(payload['client_id']).toBe(clientId);
    return { clientId, requestUri, payload: payload as ReadRequest['payload'] };
  }

  const present = (request: ReadRequest, extra: { nonce?: string; disclose?: string[] } = {}) =>
    presentSdJwt(issued, {
      disclose: extra.disclose ?? ['ageOver19'],
      kb: { signer: holder.signer, nonce: extra.nonce ?? String(request.payload['nonce']), aud: request.clientId, iat: clock.now() },
    });

  /** Posts a direct_post response as a wallet does: a form body. */
  const answer = (responseUri: string, params: Record<string, string>, origin?: string) =>
    send(origin ? `${origin}${new URL(responseUri).pathname}` : responseUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });

  const vpToken = (request: ReadRequest, presentations: string[]) => JSON.stringify({ [request.payload['dcql_query'].credentials[0].id]: presentations });

  /**
   * Encrypts a direct_post.jwt answer as a wallet does (OpenID4VP 1.0 §8.3): the response parameters as one JSON
   * object, ECDH-ES to the key in the request's client_metadata.jwks (its kid in the header), `enc` one the verifier
   * lists. `header` overrides alg, enc or kid; `key` another public JWK.
   */
  async function encryptResponse(request: ReadRequest, payload: unknown, header: { alg?: string; enc?: string } = {}, key?: JWK): Promise<string> {
    const jwk = key ?? (request.payload['client_metadata'].jwks.keys[0] as JWK);
    const alg = header.alg ?? 'ECDH-ES';
    const enc = header.enc ?? request.payload['client_metadata'].encrypted_response_enc_values_supported.at(-1);
    const publicKey = await importJWK({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! }, alg);
    return new CompactEncrypt(new TextEncoder().encode(typeof payload === 'string' ? payload : JSON.stringify(payload)))
      .setProtectedHeader({ alg, enc, kid: jwk.kid! })
      .encrypt(publicKey);
  }

  /** The parameters of a genuine answer, as the decrypted payload carries them: vp_token as a JSON object. */
  const encryptedAnswer = async (request: ReadRequest) => ({ vp_token: JSON.parse(vpToken(request, [await present(request)])), state: request.payload['state'] });
  const stateOf = async (id: string, verifier: VerifierServer = p.verifier) => (await send(`${verifier.url}/presentation-requests/${id}`)).body;

  /** Reads a server-sent event stream to its end; `onEvent` may act while it is open. */
  async function readEvents(url: string, onEvent: (event: ServerEvent) => Promise<void> = async () => undefined): Promise<ServerEvent[]> {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events: ServerEvent[] = [];
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1];
        const parsed = { event, data: data === undefined ? undefined : JSON.parse(data) };
        events.push(parsed);
        await onEvent(parsed);
      }
    }
    return events;
  }

  it("signs a request's purpose into verifier_info, which the wallet core shows; a request without one has none", async () => {
    const transport = { fetch: (url: string, init?: RequestInit) => fetch(url, init), clock, allowInsecureHttp: true };
    const withPurpose = await createRequest();
    expect((await fetchPresentationRequest(parsePresentationRequestLink(withPurpose.deepLink, true), transport)).purpose).toBe('door check');
    const res = await postJson(`${p.verifier.url}/presentation-requests`, { policy: 'age-over-19' });
    expect(res.status).toBe(201);
    const without = res.body as { deepLink: string };
    expect((await scan(without.deepLink)).payload['verifier_info']).toBeUndefined();
    expect((await fetchPresentationRequest(parsePresentationRequestLink(without.deepLink, true), transport)).purpose).toBeUndefined();
  });

  it('answers a request for age-over-19 from a wallet and tells the client: fulfilled, decision satisfied', async () => {
    const created = await createRequest();
    expect(created.deepLink.startsWith('openid4vp://?')).toBe(true);
    expect(created.qrSvg).toContain('<svg');
    expect(new URL(created.deepLink).searchParams.get('request_uri')).toBe(created.requestUri);
    expect(await stateOf(created.id)).toMatchObject({ id: created.id, state: 'pending', policy: { id: 'age-over-19', version: '1' }, purpose: 'door check', expiresAt: created.expiresAt });

    const request = await scan(created.deepLink);
    expect(request.payload).toMatchObject({
      response_type: 'vp_token',
      response_mode: 'direct_post',
      response_uri: created.requestUri.replace(/\/request$/, '/response'),
      client_metadata: { vp_formats_supported: { 'dc+sd-jwt': { 'sd-jwt_alg_values': expect.arrayContaining(['ES256K']), 'kb-jwt_alg_values': expect.arrayContaining(['ES256']) } } },
    });
    expect(typeof request.payload['state']).toBe('string');
    expect(request.payload['exp']).toBe(Math.floor(new Date(created.expiresAt).getTime() / 1000));
    // The purpose is signed into verifier_info (1.0 has no purpose parameter), in the format the city's wallet reads.
    expect(request.payload['verifier_info']).toEqual([{ format: PURPOSE_VERIFIER_INFO_FORMAT, data: { text: 'door check' } }]);
    // DCQL asks for the citizen card's ageOver19, or its birth date instead, and for nothing else.
    expect(request.payload['dcql_query']).toEqual({
      credentials: [
        {
          id: 'SeoulCitizenCard',
          format: 'dc+sd-jwt',
          meta: { vct_values: [CITIZEN_CARD_VCT] },
          claims: [
            { id: 'ageOver19', path: ['ageOver19'] },
            { id: 'birthDate', path: ['birthDate'] },
          ],
          claim_sets: [['ageOver19'], ['birthDate']],
        },
      ],
    });

    const vp = await present(request);
    const posted = await answer(request.payload['response_uri'], { vp_token: vpToken(request, [vp]), state: request.payload['state'] });
    expect(posted.status, posted.text).toBe(200);
    expect(posted.body).toEqual({});

    const done = await stateOf(created.id);
    expect(done.state).toBe('fulfilled');
    expect(done.result.verified).toBe(true);
    expect(done.result.decision).toMatchObject({ policy: { id: 'age-over-19', version: '1' }, satisfied: true });
    expect(done.result.presentations).toHaveLength(1);
    expect(done.result.presentations[0]).toMatchObject({ credentialQueryId: 'SeoulCitizenCard', verified: true, credentials: [{ verified: true, credential: { type: 'SeoulCitizenCard' } }] });
    expect(done.result.decision.criteria[0].evidenceHash).toBe(done.result.presentations[0].credentials[0].credential.hash);
    // The outcome keeps what was decided, not what was disclosed.
    expect(done.result.presentations[0].credentials[0].credential.claims).toBeUndefined();

    // What the OpenAPI document says is what is answered.
    const doc = (await getJson(`${p.verifier.url}/docs/json`)).body;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const created201 = ajv.compile(doc.paths['/presentation-requests'].post.responses[201].content['application/json'].schema);
    expect(created201(created), JSON.stringify(created201.errors)).toBe(true);
    const status200 = ajv.compile(doc.paths['/presentation-requests/{id}'].get.responses[200].content['application/json'].schema);
    expect(status200(done), JSON.stringify(status200.errors)).toBe(true);

    const events = await readEvents(`${p.verifier.url}/presentation-requests/${created.id}/events`);
    expect(events.map((e) => [e.event, e.data.state])).toEqual([['state', 'fulfilled']]);
    expect(events[0]!.data.result.decision.satisfied).toBe(true);

    // A second response for the same request is refused, and the presentation cannot be replayed elsewhere either.
    const again = await answer(request.payload['response_uri'], { vp_token: vpToken(request, [vp]), state: request.payload['state'] });
    expect([again.status, again.body?.error]).toEqual([400, 'invalid_request']);
    expect(again.cacheControl).toBe('no-store');
    const replayed = await postJson(`${p.verifier.url}/presentations/verify`, { verifiablePresentation: vp, options: { challenge: request.payload['nonce'], domain: request.clientId } });
    expect(replayed.status).toBe(400);
    expect(replayed.body.checks.find((c: { id: string }) => c.id === 'holder-binding').detail).toContain('replay');
    // Answered, the request object is no longer served.
    expect((await send(created.requestUri)).status).toBe(410);
    expect((await stateOf(created.id)).state).toBe('fulfilled');
  });

  it('streams pending, then failed, for a wallet whose presentation does not satisfy the policy', async () => {
    const created = await createRequest('seoul-resident');
    const request = await scan(created.deepLink);
    expect(request.payload['dcql_query'].credentials[0].claims).toEqual([{ path: ['residence'] }]);
    const events = await readEvents(`${p.verifier.url}/presentation-requests/${created.id}/events`, async (event) => {
      if (event.data.state !== 'pending') return;
      // Bound to the request, but residence is not disclosed: the presentation holds, the policy is not satisfied.
      const posted = await answer(request.payload['response_uri'], { vp_token: vpToken(request, [await present(request)]), state: request.payload['state'] });
      expect(posted.status, posted.text).toBe(200);
    });
    expect(events.map((e) => e.data.state)).toEqual(['pending', 'failed']);
    const failed = events[1]!.data;
    expect(failed.result.verified).toBe(false);
    expect(failed.result.decision.satisfied).toBe(false);
    expect(failed.result.errors.join(' ')).toContain('policy seoul-resident');
  });

  it('refuses a presentation over another nonce and keeps the request pending for the genuine one', async () => {
    const created = await createRequest();
    const request = await scan(created.deepLink);
    const otherNonce = await answer(request.payload['response_uri'], { vp_token: vpToken(request, [await present(request, { nonce: 'not-the-nonce' })]), state: request.payload['state'] });
    expect(otherNonce.status).toBe(400);
    expect(otherNonce.body.error).toBe('invalid_request');
    expect(otherNonce.body.error_description).toContain('another challenge');
    expect((await stateOf(created.id)).state).toBe('pending');

    const genuine = await answer(request.payload['response_uri'], { vp_token: vpToken(request, [await present(request)]), state: request.payload['state'] });
    expect(genuine.status, genuine.text).toBe(200);
    expect((await stateOf(created.id)).state).toBe('fulfilled');
  });

  it('refuses malformed responses with OAuth errors, leaving the request pending', async () => {
    const created = await createRequest();
    const request = await scan(created.deepLink);
    const responseUri = request.payload['response_uri'];
    const state = request.payload['state'];
    const vp = await present(request);
    const cases: Array<[string, Record<string, string>]> = [
      ['not JSON', { vp_token: 'eyJhbGciOi~', state }],
      ['an array', { vp_token: JSON.stringify([vp]), state }],
      ['the 0.x string form', { vp_token: vp, state }],
      ['another query id', { vp_token: JSON.stringify({ SomethingElse: [vp] }), state }],
      ['not an array', { vp_token: JSON.stringify({ SeoulCitizenCard: vp }), state }],
      ['two presentations for a single one', { vp_token: JSON.stringify({ SeoulCitizenCard: [vp, vp] }), state }],
      ['no vp_token', { state }],
      ['another state', { vp_token: vpToken(request, [vp]), state: 'not-the-state' }],
      ['no state', { vp_token: vpToken(request, [vp]) }],
    ];
    for (const [label, params] of cases) {
      const res = await answer(responseUri, params);
      expect([res.status, res.body?.error], label).toEqual([400, 'invalid_request']);
      expect(typeof res.body.error_description, label).toBe('string');
    }
    const asJson = await postJson(responseUri, { vp_token: vpToken(request, [vp]), state });
    expect([asJson.status, asJson.body?.error]).toEqual([400, 'invalid_request']);
    expect((await stateOf(created.id)).state).toBe('pending');
    // None of them used the nonce.
    expect((await answer(responseUri, { vp_token: vpToken(request, [vp]), state })).status).toBe(200);
  });

  it('records a wallet that declines as failed', async () => {
    const created = await createRequest();
    const request = await scan(created.deepLink);
    const declined = await answer(request.payload['response_uri'], { error: 'access_denied', error_description: 'the holder said no', state: request.payload['state'] });
    expect(declined.status, declined.text).toBe(200);
    const status = await stateOf(created.id);
    expect(status.state).toBe('failed');
    expect(status.result.walletError).toEqual({ error: 'access_denied', description: 'the holder said no' });
  });

  it('gives whoever has only the QR code no access to the state or outcome; the creator reads both by its id', async () => {
    const created = await createRequest();
    const link = new URL(created.deepLink);
    // What the QR code (the deep link) carries: client_id and request_uri, neither with the creator's id.
    expect([...link.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect(created.deepLink).not.toContain(created.id);
    const requestUri = new URL(link.searchParams.get('request_uri')!);
    const handle = requestUri.pathname.split('/').at(-2)!;
    expect(handle).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const request = await scan(created.deepLink);
    expect(JSON.stringify(request.payload)).not.toContain(created.id);
    expect(new URL(request.payload['response_uri']).pathname).toBe(`/presentation-requests/${handle}/response`);

    // Everything the QR code gives, tried where the state is read: not found, before and after the answer.
    const fromQr = [handle, `${handle}/events`, encodeURIComponent(link.searchParams.get('request_uri')!)];
    const tryReading = async () => {
      for (const path of fromQr) {
        const res = await send(`${p.verifier.url}/presentation-requests/${path}`);
        expect([res.status, res.body?.code], path).toEqual([404, 'oid4vp.request-not-found']);
        expect(JSON.stringify(res.body), path).not.toContain('door check');
      }
    };
    await tryReading();
    const posted = await answer(request.payload['response_uri'], { vp_token: vpToken(request, [await present(request)]), state: request.payload['state'] });
    expect(posted.status, posted.text).toBe(200);
    await tryReading();
    // And the creator's id opens nothing on the wallet's side.
    expect((await send(`${p.verifier.url}/presentation-requests/${created.id}/request`)).status).toBe(404);
    expect((await answer(`${p.verifier.url}/presentation-requests/${created.id}/response`, { vp_token: '{}', state: 'x' })).status).toBe(404);

    const status = await stateOf(created.id);
    expect(status).toMatchObject({ id: created.id, state: 'fulfilled', purpose: 'door check', result: { verified: true } });
    const events = await readEvents(`${p.verifier.url}/presentation-requests/${created.id}/events`);
    expect(events.map((e) => e.data.state)).toEqual(['fulfilled']);
  });

  it('the verifier database holds the columns the entity describes (migration 1765300000000)', async () => {
    const pending = await p.verifier.runtime.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query).filter((q) => /oid4vp_requests/.test(q))).toEqual([]);
  });

  it('direct_post.jwt: the request carries its own encryption key; a wallet encrypts its answer with jose and the request is fulfilled', async () => {
    const created = await createRequest('age-over-19', p.verifier, 'direct_post.jwt');
    expect(created.responseMode).toBe('direct_post.jwt');
    const request = await scan(created.deepLink);
    expect(request.payload['response_mode']).toBe('direct_post.jwt');
    const metadata = request.payload['client_metadata'];
    expect(metadata.vp_formats_supported).toHaveProperty('dc+sd-jwt');
    expect(metadata.encrypted_response_enc_values_supported).toEqual(['A128GCM', 'A256GCM']);
    expect(metadata.jwks.keys).toEqual([{ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: expect.any(String), use: 'enc', alg: 'ECDH-ES' }]);
    // A key per request.
    const other = await scan((await createRequest('age-over-19', p.verifier, 'direct_post.jwt')).deepLink);
    expect(other.payload['client_metadata'].jwks.keys[0].kid).not.toBe(metadata.jwks.keys[0].kid);
    expect(other.payload['client_metadata'].jwks.keys[0].x).not.toBe(metadata.jwks.keys[0].x);
    // A direct_post request carries none.
    const plain = await scan((await createRequest()).deepLink);
    expect(plain.payload['response_mode']).toBe('direct_post');
    expect(plain.payload['client_metadata']).toEqual({ vp_formats_supported: expect.any(Object) });

    const posted = await answer(request.payload['response_uri'], { response: await encryptResponse(request, await encryptedAnswer(request)) });
    expect(posted.status, posted.text).toBe(200);
    expect(posted.body).toEqual({});
    const done = await stateOf(created.id);
    expect(done).toMatchObject({ state: 'fulfilled', result: { verified: true, decision: { satisfied: true } } });
    // The request's private key goes once it is settled.
    const row = await p.verifier.runtime.dataSource.query(`SELECT response_mode, response_key FROM oid4vp_requests WHERE id = '${created.id}'`);
    expect(row).toEqual([{ response_mode: 'direct_post.jwt', response_key: null }]);
    const again = await answer(request.payload['response_uri'], { response: await encryptResponse(request, await encryptedAnswer(request)) });
    expect([again.status, again.body.error]).toEqual([400, 'invalid_request']);
  });

  it('direct_post.jwt: refuses plaintext, undecryptable and misshapen answers with OAuth errors, leaving the request pending', async () => {
    const created = await createRequest('age-over-19', p.verifier, 'direct_post.jwt');
    const request = await scan(created.deepLink);
    const other = await scan((await createRequest('age-over-19', p.verifier, 'direct_post.jwt')).deepLink);
    const responseUri = request.payload['response_uri'];
    const genuine = await encryptedAnswer(request);
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ['a plaintext answer', { vp_token: JSON.stringify(genuine.vp_token), state: genuine.state }, /direct_post\.jwt/],
      ['a plaintext answer beside an error', { error: 'access_denied', vp_token: JSON.stringify(genuine.vp_token), state: genuine.state }, /direct_post\.jwt/],
      ['not a JWE', { response: 'not-a-jwe' }, /not a compact JWE/],
      ['a signed JWT', { response: (await send(request.requestUri)).text }, /not a compact JWE/],
      ['encrypted to another request’s key', { response: await encryptResponse(request, genuine, {}, other.payload['client_metadata'].jwks.keys[0]) }, /another key/],
      ['another key-management alg', { response: await encryptResponse(request, genuine, { alg: 'ECDH-ES+A128KW' }) }, /alg ECDH-ES/],
      ['another enc', { response: await encryptResponse(request, genuine, { enc: 'A128CBC-HS256' }) }, /enc A128GCM or A256GCM/],
      ['a payload that is an array', { response: await encryptResponse(request, [genuine]) }, /JSON object/],
      ['a payload that is not JSON', { response: await encryptResponse(request, 'vp_token=x') }, /not UTF-8 JSON/],
      ['a payload with another state', { response: await encryptResponse(request, { ...genuine, state: 'not-the-state' }) }, /state/],
      ['a payload without vp_token', { response: await encryptResponse(request, { state: genuine.state }) }, /vp_token is missing/],
      ['a payload whose vp_token is an array', { response: await encryptResponse(request, { ...genuine, vp_token: Object.values(genuine.vp_token)[0] }) }, /object keyed/],
    ];
    for (const [label, params, reason] of cases) {
      const res = await answer(responseUri, params);
      expect([res.status, res.body?.error], label).toEqual([400, 'invalid_request']);
      expect(res.body.error_description, label).toMatch(reason);
      expect(res.cacheControl, label).toBe('no-store');
    }
    const twice = await send(responseUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `response=${await encryptResponse(request, genuine)}&response=${await encryptResponse(request, genuine)}`,
    });
    expect([twice.status, twice.body?.error]).toEqual([400, 'invalid_request']);
    // An encrypted answer to a request that asked for direct_post is refused too.
    const plain = await scan((await createRequest()).deepLink);
    const toPlain = await answer(plain.payload['response_uri'], { response: await encryptResponse(request, await encryptedAnswer(plain)) });
    expect([toPlain.status, toPlain.body.error]).toEqual([400, 'invalid_request']);
    expect(toPlain.body.error_description).toContain('direct_post');

    expect((await stateOf(created.id)).state).toBe('pending');
    // None of them used the nonce: the genuine encrypted answer still settles the request (A128GCM this time).
    const ok = await answer(responseUri, { response: await encryptResponse(request, genuine, { enc: 'A128GCM' }) });
    expect(ok.status, ok.text).toBe(200);
    expect((await stateOf(created.id)).state).toBe('fulfilled');
  });

  it('direct_post.jwt: a wallet that cannot encrypt may still decline in plain, as 1.0 allows', async () => {
    const created = await createRequest('age-over-19', p.verifier, 'direct_post.jwt');
    const request = await scan(created.deepLink);
    const declined = await answer(request.payload['response_uri'], { error: 'access_denied', state: request.payload['state'] });
    expect(declined.status, declined.text).toBe(200);
    expect(await stateOf(created.id)).toMatchObject({ state: 'failed', result: { walletError: { error: 'access_denied' } } });
  });

  it('answers 404 problem+json for an unknown request and 400 for an unknown policy', async () => {
    const unknownHandle = 'A'.repeat(43);
    for (const path of ['00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000000/request', `${unknownHandle}/request`, 'not-a-handle/request', '00000000-0000-4000-8000-000000000000/events', 'not-an-id']) {
      const res = await send(`${p.verifier.url}/presentation-requests/${path}`);
      expect(res.status, path).toBe(404);
      expect(res.type, path).toContain('application/problem+json');
      expect(res.body.code, path).toBe('oid4vp.request-not-found');
    }
    for (const handle of ['00000000-0000-4000-8000-000000000000', unknownHandle, 'not-a-handle']) {
      const response = await answer(`${p.verifier.url}/presentation-requests/${handle}/response`, { vp_token: '{}', state: 'x' });
      expect([response.status, response.body.code], handle).toEqual([404, 'oid4vp.request-not-found']);
    }
    for (const policy of ['age-over-99', 'city']) {
      const res = await postJson(`${p.verifier.url}/presentation-requests`, { policy });
      expect([res.status, res.body.code], policy).toEqual([400, 'verification.unknown-policy']);
      expect(res.body.detail).toContain('age-over-19');
    }
    const extra = await postJson(`${p.verifier.url}/presentation-requests`, { policy: 'age-over-19', challenge: 'x' });
    expect([extra.status, extra.body.code]).toEqual([400, 'request.invalid']);
    const mode = await postJson(`${p.verifier.url}/presentation-requests`, { policy: 'age-over-19', responseMode: 'fragment' });
    expect([mode.status, mode.body.code]).toEqual([400, 'request.invalid']);
    expect(mode.body.detail).toContain('direct_post.jwt');
  });

  it('expires a request: the stream ends with expired, the request object is gone and a late answer is refused', async () => {
    const created = await createRequest();
    const request = await scan(created.deepLink);
    const vp = await present(request);
    const events = await readEvents(`${p.verifier.url}/presentation-requests/${created.id}/events`, async (event) => {
      if (event.data.state === 'pending') clock.set(new Date(new Date(created.expiresAt).getTime() + 1000));
    });
    expect(events.map((e) => e.data.state)).toEqual(['pending', 'expired']);
    expect((await stateOf(created.id)).state).toBe('expired');
    const late = await answer(request.payload['response_uri'], { vp_token: vpToken(request, [vp]), state: request.payload['state'] });
    expect([late.status, late.body.error]).toEqual([400, 'invalid_request']);
    expect(late.body.error_description).toContain('expired');
    const object = await send(created.requestUri);
    expect([object.status, object.body.code]).toEqual([410, 'oid4vp.request-closed']);
  });

  it('serves one request from two verifier processes on one database: made on one, answered on the other, read on the first', async () => {
    const second = await startVerifier({ ...p.verifier.runtime.config }, clock, 0);
    try {
      const created = await createRequest('age-over-19', p.verifier);
      // The load balancer sends the wallet to the second process: it signs the same request as the same client.
      const request = await scan(created.deepLink, second.url);
      expect(request.clientId).toBe(new URL(created.deepLink).searchParams.get('client_id'));
      const events = await readEvents(`${p.verifier.url}/presentation-requests/${created.id}/events`, async (event) => {
        if (event.data.state !== 'pending') return;
        const posted = await answer(request.payload['response_uri'], { vp_token: vpToken(request, [await present(request)]), state: request.payload['state'] }, second.url);
        expect(posted.status, posted.text).toBe(200);
      });
      expect(events.map((e) => e.data.state)).toEqual(['pending', 'fulfilled']);
      expect((await stateOf(created.id, p.verifier)).result.decision.satisfied).toBe(true);
      expect((await stateOf(created.id, second)).state).toBe('fulfilled');
    } finally {
      await second.close();
    }
  });

  it('direct_post.jwt across two processes: the key made on one decrypts the answer posted to the other', async () => {
    const second = await startVerifier({ ...p.verifier.runtime.config }, clock, 0);
    try {
      const created = await createRequest('age-over-19', p.verifier, 'direct_post.jwt');
      const request = await scan(created.deepLink, second.url);
      expect(request.payload['response_mode']).toBe('direct_post.jwt');
      const events = await readEvents(`${p.verifier.url}/presentation-requests/${created.id}/events`, async (event) => {
        if (event.data.state !== 'pending') return;
        const posted = await answer(request.payload['response_uri'], { response: await encryptResponse(request, await encryptedAnswer(request)) }, second.url);
        expect(posted.status, posted.text).toBe(200);
      });
      expect(events.map((e) => e.data.state)).toEqual(['pending', 'fulfilled']);
      expect((await stateOf(created.id, second)).result.decision.satisfied).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('closing a verifier ends its open event streams instead of waiting for them', async () => {
    const third = await startVerifier({ ...p.verifier.runtime.config }, clock, 0);
    let closing: Promise<void> | undefined;
    let hangTimer: NodeJS.Timeout | undefined;
    // Generous: without the stream ending, closing would wait for the stream's ten minutes.
    const hang = new Promise<'hung'>((resolve) => (hangTimer = setTimeout(() => resolve('hung'), 20_000)));
    try {
      const created = await createRequest('age-over-19', third);
      const streamed = readEvents(`${third.url}/presentation-requests/${created.id}/events`, async (event) => {
        if (event.data.state === 'pending') closing ??= third.close();
      });
      const outcome = await Promise.race([streamed.then(async (events) => ({ events, closed: await closing }) as const), hang]);
      expect(outcome).not.toBe('hung');
      // The stream ended without a final state: the client reconnects elsewhere, and the request is still pending there.
      if (outcome !== 'hung') expect(outcome.events.map((e) => e.data.state)).toEqual(['pending']);
      expect((await stateOf(created.id)).state).toBe('pending');
    } finally {
      clearTimeout(hangTimer);
      if (closing) {
        third.resetConnections();
        await closing;
      } else {
        await third.close();
      }
    }
  });
});
