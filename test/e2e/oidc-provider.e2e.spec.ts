import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@citycred/config';
import { presentSdJwt } from '@citycred/formats';
import { decodeJwt, exportJWK, generateKeyPair } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { issueSdJwtCitizenCard, walletKey, type WalletKey } from '../support/wallet.js';

/*
 * The verifier as an OpenID Provider (docs/oidc-provider.md), with openid-client 6 — a certified relying-party
 * library — as the site, this test as the citizen's browser (a cookie jar following redirects by hand) and as the
 * citizen's wallet (it reads the sign-in page's OpenID4VP link, fetches the request object, presents the SD-JWT
 * citizen card disclosing what the DCQL query asks, and posts the answer).
 */

const SECRET_A = 'site-a-secret-0123456789abcdefghijklmnop';
const SECRET_B = 'site-b-secret-0123456789abcdefghijklmnop';
const CLIENTS = {
  clients: [
    {
      clientId: 'pool-booking',
      name: { ko: '수영장 예약', en: 'Pool booking' },
      redirectUris: ['http://127.0.0.1:5501/callback'],
      scopes: ['age_over_19', 'name', 'seoul_resident'],
      tokenEndpointAuthMethod: 'client_secret_basic',
    },
    {
      clientId: 'library-card',
      name: { ko: '도서관', en: 'Library' },
      redirectUris: ['http://localhost:5502/callback'],
      scopes: ['age_over_18'],
      tokenEndpointAuthMethod: 'client_secret_post',
    },
  ],
};

/** A site that authenticates with `private_key_jwt`: its key pair, made afresh per run; only the public key is registered. */
const siteKeys = await generateKeyPair('ES256');
const KEY_CLIENT = {
  clientId: 'gym-booking',
  name: { ko: '체육관 예약', en: 'Gym booking' },
  redirectUris: ['http://127.0.0.1:5503/callback'],
  scopes: ['age_over_19'],
  tokenEndpointAuthMethod: 'private_key_jwt',
  jwks: { keys: [{ ...(await exportJWK(siteKeys.publicKey)), alg: 'ES256', use: 'sig' }] },
};

/** A browser's cookies, by name, with the path each was set for. */
class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attributes.some((a) => /^expires=thu, 01 jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
  }

  header(url: string): string {
    const path = new URL(url).pathname;
    return [...this.cookies].filter(([, c]) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)).map(([name, c]) => `${name}=${c.value}`).join('; ');
  }
}

describe('the verifier as an OpenID Provider for public facility sites', () => {
  let p: TestPlatform;
  let dir: string;
  const clock = new FixedClock(new Date());
  const holder = walletKey();
  let card: string;
  let issuer: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oidc-clients-'));
    writeFileSync(join(dir, 'clients.json'), JSON.stringify({ clients: [...CLIENTS.clients, KEY_CLIENT] }));
    p = await startTestPlatform('oidc-provider', {
      clock,
      verifierEnv: {
        OIDC_CLIENTS_FILE: join(dir, 'clients.json'),
        OIDC_CLIENT_SECRETS: `pool-booking=${SECRET_A},library-card=${SECRET_B}`,
        OIDC_CLIENT_SECRETS_DIR: join(dir, 'secrets'),
        // Every presentation reads the status list afresh: a card revoked in a test is seen as revoked at once.
        STATUS_LIST_MAX_CACHE_SECONDS: '0',
      },
    });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    card = await issueSdJwtCitizenCard(p, holder.jwk);
    await p.worker.runOnce();
    issuer = `${p.verifier.url}/oidc`;
  });
  afterAll(async () => {
    await p?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const siteA = () => oidc.discovery(new URL(issuer), 'pool-booking', { id_token_signed_response_alg: 'ES256' }, oidc.ClientSecretBasic(SECRET_A), { execute: [oidc.allowInsecureRequests] });
  const siteB = () => oidc.discovery(new URL(issuer), 'library-card', { id_token_signed_response_alg: 'ES256' }, oidc.ClientSecretPost(SECRET_B), { execute: [oidc.allowInsecureRequests] });

  /** A site starts a sign-in: PKCE (S256), state and nonce, as openid-client makes them. */
  async function start(config: oidc.Configuration, scope: string, redirectUri: string, pkce = true) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope,
      state,
      nonce,
      ...(pkce ? { code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' } : {}),
    });
    return { url, verifier, state, nonce };
  }

  /** The browser: GETs `url` with its cookies, without following a redirect. */
  async function browse(jar: CookieJar, url: string): Promise<{ status: number; location: string | null; text: string; res: Response }> {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(url) } });
    jar.take(res);
    const location = res.headers.get('location');
    return { status: res.status, location: location === null ? null : new URL(location, url).href, text: await res.text(), res };
  }

  /** The wallet: opens the page's OpenID4VP link, presents `sdJwt` disclosing what the query asks (its first claim set). */
  async function present(deepLink: string, sdJwt: string, key: WalletKey) {
    const link = new URL(deepLink);
    const clientId = link.searchParams.get('client_id')!;
    const requestObject = await (await fetch(link.searchParams.get('request_uri')!)).text();
    const request = decodeJwt(requestObject) as Record<string, any>;
    const query = request['dcql_query'].credentials[0];
    const disclose: string[] = query.claim_sets ? query.claim_sets[0] : query.claims.map((c: { path: string[] }) => c.path[0]);
    const presentation = await presentSdJwt(sdJwt, { disclose, kb: { signer: key.signer, nonce: request['nonce'], aud: clientId, iat: clock.now() } });
    const res = await fetch(request['response_uri'], {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify({ [query.id]: [presentation] }), state: request['state'] }).toString(),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return { disclose, query };
  }

  /**
   * A whole sign-in as far as the site's callback: the browser follows the authorization request to the sign-in page,
   * the wallet presents, the page's state says verified or refused, and the browser finishes.
   * @returns the callback URL the provider sent the browser to, and what the page and the wallet saw
   */
  async function signIn(config: oidc.Configuration, scope: string, redirectUri: string, sdJwt = card, key = holder) {
    const jar = new CookieJar();
    const started = await start(config, scope, redirectUri);
    const auth = await browse(jar, started.url.href);
    expect(auth.status, auth.text).toBe(303);
    expect(auth.location).toMatch(/\/sign-in\/[A-Za-z0-9_-]+$/);
    const page = await browse(jar, auth.location!);
    expect(page.status, page.text).toBe(200);
    expect(page.res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const deepLink = /id="wallet-link" href="([^"]+)"/.exec(page.text)![1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    expect(deepLink.startsWith('openid4vp://?')).toBe(true);
    expect(page.text).toContain('<svg');
    const wallet = await present(deepLink, sdJwt, key);
    const state = JSON.parse((await browse(jar, `${auth.location}/state`)).text);
    const finish = await browse(jar, `${auth.location}/finish`);
    expect(finish.status).toBe(303);
    const resume = await browse(jar, finish.location!);
    expect(resume.status, resume.text).toBe(303);
    return { callback: new URL(resume.location!), started, state, page: page.text, wallet };
  }

  it('publishes its discovery document and JWKS; openid-client discovers it', async () => {
    const config = await siteA();
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.subject_types_supported).toEqual(['pairwise']);
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'age_over_19', 'age_over_18', 'seoul_resident', 'name']));
    expect(metadata.userinfo_endpoint).toBeUndefined();
    const jwks = (await (await fetch(metadata.jwks_uri!)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
  });

  it('signs a citizen in: only the claims the scopes asked for, PKCE checked, the ID token validated by openid-client; the code works once', async () => {
    const config = await siteA();
    const { callback, started, state, wallet } = await signIn(config, 'openid age_over_19 name', 'http://127.0.0.1:5501/callback');
    expect(state).toEqual({ state: 'verified' });
    // The wallet was asked for the personId, the age flag (or the birth date instead) and the name: nothing else.
    expect(wallet.disclose.sort()).toEqual(['ageOver19', 'name', 'personId']);
    expect(wallet.query.claims.map((c: { path: string[] }) => c.path[0]).sort()).toEqual(['ageOver19', 'birthDate', 'name', 'personId']);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce, idTokenExpected: true });
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(issuer);
    expect(claims.aud).toBe('pool-booking');
    expect(claims.age_over_19).toBe(true);
    expect(claims.name).toBe(citizenCardSubject.name);
    for (const absent of ['seoul_resident', 'age_over_18', 'birthdate', 'personId', 'residence']) expect(claims).not.toHaveProperty(absent);
    expect(claims.sub).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(claims)).not.toContain(citizenCardSubject.personId);

    // The same code again: refused.
    const again = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce }).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(oidc.ResponseBodyError);
    expect((again as oidc.ResponseBodyError).error).toBe('invalid_grant');
  });

  it('gives the same citizen the same subject at one site and an unrelated one at another', async () => {
    const a = await siteA();
    const b = await siteB();
    const subOf = async (config: oidc.Configuration, scope: string, redirectUri: string) => {
      const { callback, started } = await signIn(config, scope, redirectUri);
      const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce });
      return tokens.claims()!;
    };
    const first = await subOf(a, 'openid seoul_resident', 'http://127.0.0.1:5501/callback');
    const second = await subOf(a, 'openid', 'http://127.0.0.1:5501/callback');
    const library = await subOf(b, 'openid age_over_18', 'http://localhost:5502/callback');
    expect(first.seoul_resident).toBe(true);
    expect(first).not.toHaveProperty('name');
    expect(second.sub).toBe(first.sub);
    expect(library.age_over_18).toBe(true);
    expect(library.sub).not.toBe(first.sub);
  });

  it('refuses a site that asks without PKCE, and a code exchanged without its verifier', async () => {
    const config = await siteA();
    const jar = new CookieJar();
    const started = await start(config, 'openid', 'http://127.0.0.1:5501/callback', false);
    const auth = await browse(jar, started.url.href);
    expect(auth.status).toBe(303);
    const back = new URL(auth.location!);
    expect(back.origin + back.pathname).toBe('http://127.0.0.1:5501/callback');
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/i);

    const { callback } = await signIn(config, 'openid', 'http://127.0.0.1:5501/callback');
    const tokenEndpoint = config.serverMetadata().token_endpoint!;
    const res = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`pool-booking:${SECRET_A}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: 'http://127.0.0.1:5501/callback' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('refuses a revoked card and an under-19 card with a reason on the page and access_denied to the site', async () => {
    const config = await siteA();
    const city = p.tenants.get('seoul-citizen')!;
    // A second citizen whose card the city then revokes.
    const revokedHolder = walletKey();
    const revoked = await issueSdJwtCitizenCard(p, revokedHolder.jwk);
    const payload = decodeJwt(revoked.split('~')[0]!);
    const status = await postJson(`${p.issuer.url}/credentials/status`, { credentialId: payload['jti'] ?? payload['id'], credentialStatus: { type: 'TokenStatusList', statusPurpose: 'revocation' }, status: true }, { authorization: `Bearer ${city.apiKey}` });
    expect(status.status, JSON.stringify(status.body)).toBe(200);
    await p.worker.runOnce();
    const refusedRevoked = await signIn(config, 'openid age_over_19', 'http://127.0.0.1:5501/callback', revoked, revokedHolder);
    expect(refusedRevoked.state).toMatchObject({ state: 'refused', reason: { en: expect.stringMatching(/revoked/) } });
    expect(refusedRevoked.callback.searchParams.get('error')).toBe('access_denied');
    expect(refusedRevoked.callback.searchParams.get('error_description')).toMatch(/revoked/);
    expect(refusedRevoked.callback.searchParams.get('code')).toBeNull();

    // A citizen under 19 (and 18) when the card was issued.
    const young = walletKey();
    const youngSubject = { ...citizenCardSubject, personId: '5a1c2e3d-4b5f-4a6e-9c7d-8e9f0a1b2c3d', birthDate: '2012-05-05', ageOver15: false, ageOver18: false, ageOver19: false };
    const issued = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(city.did, 'SeoulCitizenCard', youngSubject, { options: { format: 'dc+sd-jwt', holderJwk: young.jwk } }), { authorization: `Bearer ${city.apiKey}` });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    await p.worker.runOnce();
    const youngCard = String(issued.body.verifiableCredential.id).slice('data:application/dc+sd-jwt,'.length);
    const refusedYoung = await signIn(config, 'openid age_over_19', 'http://127.0.0.1:5501/callback', youngCard, young);
    expect(refusedYoung.state).toMatchObject({ state: 'refused', reason: { en: expect.stringMatching(/under 19/) } });
    expect(refusedYoung.callback.searchParams.get('error')).toBe('access_denied');
    expect(refusedYoung.callback.searchParams.get('error_description')).toMatch(/under 19/);
  });

  it('refuses a suspended card with a reason on the page and access_denied to the site', async () => {
    const config = await siteA();
    const city = p.tenants.get('seoul-citizen')!;
    const suspendedHolder = walletKey();
    const suspended = await issueSdJwtCitizenCard(p, suspendedHolder.jwk);
    const payload = decodeJwt(suspended.split('~')[0]!);
    const status = await postJson(`${p.issuer.url}/credentials/status`, { credentialId: payload['jti'] ?? payload['id'], credentialStatus: { type: 'TokenStatusList', statusPurpose: 'suspension' }, status: true }, { authorization: `Bearer ${city.apiKey}` });
    expect(status.status, JSON.stringify(status.body)).toBe(200);
    await p.worker.runOnce();
    const refused = await signIn(config, 'openid age_over_19', 'http://127.0.0.1:5501/callback', suspended, suspendedHolder);
    expect(refused.state).toMatchObject({ state: 'refused', reason: { en: expect.stringMatching(/suspended/) } });
    expect(refused.callback.searchParams.get('error')).toBe('access_denied');
    expect(refused.callback.searchParams.get('error_description')).toMatch(/suspended/);
    expect(refused.callback.searchParams.get('code')).toBeNull();
  });

  it('signs a citizen in at a site that authenticates with private_key_jwt, and refuses its code with another key', async () => {
    const discover = (key: CryptoKey) => oidc.discovery(new URL(issuer), KEY_CLIENT.clientId, { id_token_signed_response_alg: 'ES256' }, oidc.PrivateKeyJwt(key), { execute: [oidc.allowInsecureRequests] });
    const config = await discover(siteKeys.privateKey);
    expect(config.serverMetadata().token_endpoint_auth_methods_supported).toContain('private_key_jwt');

    // Signed with a key the site never registered: the client is not authenticated, and the code is not spent.
    const wrong = await discover((await generateKeyPair('ES256')).privateKey);
    const { callback, started } = await signIn(config, 'openid age_over_19', 'http://127.0.0.1:5503/callback');
    const checks = { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce, idTokenExpected: true };
    const refused = await oidc.authorizationCodeGrant(wrong, callback, checks).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(oidc.ResponseBodyError);
    expect((refused as oidc.ResponseBodyError).error).toBe('invalid_client');

    const tokens = await oidc.authorizationCodeGrant(config, callback, checks);
    const claims = tokens.claims()!;
    expect(claims.aud).toBe(KEY_CLIENT.clientId);
    expect(claims.age_over_19).toBe(true);
    expect(claims.sub).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers an unknown or foreign interaction with a plain page, not a sign-in', async () => {
    const res = await fetch(`${p.verifier.url}/sign-in/AAAAAAAAAAAAAAAAAAAAA`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    // A started sign-in, opened without its interaction cookie (another browser): not shown.
    const config = await siteA();
    const jar = new CookieJar();
    const started = await start(config, 'openid', 'http://127.0.0.1:5501/callback');
    const auth = await browse(jar, started.url.href);
    expect((await fetch(auth.location!)).status).toBe(404);
    expect((await fetch(`${auth.location}/state`)).status).toBe(404);
  });
});
