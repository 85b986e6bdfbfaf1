import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign as signBytes, type KeyObject } from 'node:crypto';
import { credentialTypeHash, issuerRegistryAt } from '@citycred/anchors';
import { credentialHash } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import { exampleSubject } from '@citycred/credentials';
import {
  credentialFormat,
  decodeSdJwtVc,
  didJwkOf,
  nobleSignatureCrypto,
  presentSdJwt,
  verifyKeyBinding,
  type JwsSigner,
  type NormalisedCredential,
  type PublicJwk,
  type VerificationKey,
} from '@citycred/formats';
import { IssuedCredentialEntity, Oid4vciOfferEntity } from '@citycred/persistence';
import { clientAuthenticationAnonymous, HashAlgorithm, type CallbackContext, type Jwk } from '@openid4vc/oauth2';
import { Openid4vciClient, Openid4vciRetrieveCredentialsError } from '@openid4vc/openid4vci';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Oid4vciStore } from '../../apps/issuer/src/oid4vci/oid4vci-store.js';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../apps/issuer/src/oid4vci/oid4vci.service.js';
import { getJson, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';

const PRE_AUTHORIZED_CODE = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** A P-256 wallet key made with node:crypto. */
interface WalletKey {
  privateKey: KeyObject;
  jwk: Jwk & PublicJwk;
}

function walletKey(): WalletKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  return { privateKey, jwk: { kty: kty!, crv: crv!, x: x!, y: y! } };
}

/** ES256 over a JWS signing input (raw r‖s), as a wallet signs. */
function es256Signature(privateKey: KeyObject, signingInput: Uint8Array): Uint8Array {
  return signBytes('sha256', signingInput, { key: privateKey, dsaEncoding: 'ieee-p1363' });
}

function es256(privateKey: KeyObject, header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${Buffer.from(es256Signature(privateKey, Buffer.from(input))).toString('base64url')}`;
}

/** The wallet key as the JwsSigner the SD-JWT presentation helper takes. */
function kbSigner(key: WalletKey): JwsSigner {
  return { alg: 'ES256', kid: 'wallet-key', sign: (input) => es256Signature(key.privateKey, input) };
}

/** The compact string of one `credentials[]` entry of a 1.0 credential response. */
function encodedOf(entry: unknown): string {
  const credential = (entry as { credential?: unknown }).credential;
  if (typeof credential !== 'string') throw new Error('expected {credential: <compact string>}');
  return credential;
}

/** The JWK a `did:jwk` names (the DID's method-specific id is base64url of the JWK's JSON). */
function jwkOfDidJwk(did: string): Record<string, unknown> {
  expect(did).toMatch(/^did:jwk:[A-Za-z0-9_-]+$/);
  return JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** One check of a verifier result. */
const checkOf = (result: { checks: Array<{ id: string }> }, id: string) => result.checks.find((check) => check.id === id);

const publicPart = (jwk: PublicJwk) => ({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });

/**
 * OpenID4VCI 1.0 pre-authorized code flow against the real issuer: a fresh local chain with the city's contracts,
 * the demo tenants provisioned on it and in a real database (SQLite, or PostgreSQL with DATABASE_URL), the issuer
 * and verifier servers — the issuer's OID4VCI module calling the real issuance command (tenant key, status lists,
 * anchoring outbox). The wallet is the OpenWallet Foundation's holder-side client with P-256 keys. Time is a
 * FixedClock reset to the chain's latest block before each case, so expiries are crossed without waiting and each
 * case runs alone.
 */
describe('OpenID4VCI 1.0 issuer on the real platform', () => {
  const clock = new FixedClock(new Date());
  let p: TestPlatform;
  let tenant: { slug: string; did: string; apiKey: string };
  let issuerId: string;
  /** The tenant's signing key: the compressed secp256k1 public key its did:ethr names. */
  let tenantKey: VerificationKey;
  /** Every answer the wallet's client received, for header checks. */
  const answers: Array<{ url: string; status: number; headers: Headers; body: string }> = [];
  let wallet = walletKey();

  const walletCallbacks: Omit<CallbackContext, 'encryptJwe' | 'decryptJwe'> = {
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      answers.push({ url: String(input), status: response.status, headers: response.headers, body: await response.clone().text() });
      return response;
    },
    hash: (data, algorithm) => createHash(algorithm === HashAlgorithm.Sha256 ? 'sha256' : 'sha512').update(data).digest(),
    generateRandom: (length) => randomBytes(length),
    clientAuthentication: clientAuthenticationAnonymous(),
    signJwt: async (signer, { header, payload }) => {
      if (signer.method !== 'jwk') throw new Error('the test wallet signs with its JWK');
      return { jwt: es256(wallet.privateKey, header, payload), signerJwk: signer.publicJwk };
    },
    verifyJwt: () => ({ verified: false }),
  };
  const client = new Openid4vciClient({ callbacks: walletCallbacks as CallbackContext });

  const claims = () => {
    const { id: _holder, ...rest } = exampleSubject('SeoulCitizenCard') as unknown as Record<string, unknown>;
    return rest;
  };
  const offer = (body: Record<string, unknown>, key = tenant.apiKey) => postJson(`${p.issuer.url}/oid4vci/offers`, body, { authorization: `Bearer ${key}` });
  type CreatedOffer = { offerId: string; credential_offer_link: string; credential_offer_uri: string; tx_code?: string; credential_offer: any; expiresAt: string };
  const newOffer = async (configuration = 'SeoulCitizenCard_jwt_vc_json', extra: Record<string, unknown> = {}): Promise<CreatedOffer> => {
    const created = await offer({ credential_configuration_id: configuration, claims: claims(), ...extra });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as CreatedOffer;
  };
  const tokenRequest = async (params: Record<string, string>, contentType = 'application/x-www-form-urlencoded') => {
    const res = await fetch(`${issuerId}/token`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: contentType.startsWith('application/json') ? JSON.stringify(params) : new URLSearchParams(params).toString(),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
  };
  const preAuthorizedCodeOf = (created: { credential_offer: any }): string => created.credential_offer.grants[PRE_AUTHORIZED_CODE]['pre-authorized_code'];
  const redeem = async (created: CreatedOffer) => {
    const answer = await tokenRequest({ grant_type: PRE_AUTHORIZED_CODE, 'pre-authorized_code': preAuthorizedCodeOf(created), ...(created.tx_code ? { tx_code: created.tx_code } : {}) });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body['access_token'] as string;
  };
  const freshNonce = async () => ((await (await fetch(`${issuerId}/nonce`, { method: 'POST' })).json()) as { c_nonce: string }).c_nonce;
  const credentialRequest = async (accessToken: string, body: Record<string, unknown>) => {
    const res = await fetch(`${issuerId}/credential`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
  };
  const proof = (nonce: string, overrides: { header?: Record<string, unknown>; payload?: Record<string, unknown>; key?: KeyObject } = {}) =>
    es256(
      overrides.key ?? wallet.privateKey,
      { alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: wallet.jwk, ...overrides.header },
      { aud: issuerId, iat: Math.floor(clock.now().getTime() / 1000), nonce, ...overrides.payload },
    );

  /** The whole wallet flow through the holder client: offer link → metadata → token → nonce → proofs → credentials. */
  const walletRedeems = async (created: CreatedOffer, extraProofKeys: WalletKey[] = []) => {
    const credentialOffer = await client.resolveCredentialOffer(created.credential_offer_link);
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
    const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: created.tx_code });
    const { c_nonce } = await client.requestNonce({ issuerMetadata });
    const credentialConfigurationId = credentialOffer.credential_configuration_ids[0]!;
    const { jwt } = await client.createCredentialRequestJwtProof({
      issuerMetadata,
      credentialConfigurationId,
      nonce: c_nonce,
      issuedAt: clock.now(),
      signer: { method: 'jwk', alg: 'ES256', publicJwk: wallet.jwk },
    });
    const others = extraProofKeys.map((key) => proof(c_nonce, { key: key.privateKey, header: { jwk: key.jwk } }));
    const { credentialResponse } = await client.retrieveCredentials({ issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId, proofs: { jwt: [jwt, ...others] } });
    return { credentialOffer, accessTokenResponse, credentialResponse };
  };

  /** The issuer's proof endpoint for a credential: 202 while queued, 200 once its batch is anchored. */
  const proofStatus = async (decoded: NormalisedCredential) => (await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(decoded.anchoredPart)}`)).status;
  const storedRow = (id: string) => p.issuer.runtime.dataSource.getRepository(IssuedCredentialEntity).findOneBy({ id });
  const offerRow = (id: string) => p.issuer.runtime.dataSource.getRepository(Oid4vciOfferEntity).findOneByOrFail({ id });

  beforeAll(async () => {
    p = await startTestPlatform('oid4vci', { clock });
    tenant = p.tenants.get('seoul-citizen')!;
    issuerId = `${p.issuer.url}/oid4vci/${tenant.slug}`;
    const keyHex = /^did:ethr:citycred:0x([0-9a-f]{66})$/.exec(tenant.did)?.[1];
    if (!keyHex) throw new Error(`the tenant DID ${tenant.did} does not name a compressed secp256k1 key`);
    tenantKey = { kind: 'secp256k1', publicKey: Buffer.from(keyHex, 'hex') };
  });
  beforeEach(async () => {
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    wallet = walletKey();
    answers.length = 0;
  });
  afterAll(async () => p?.stop());

  it('publishes issuer and authorization server metadata at the well-known URIs inserted between host and path', async () => {
    const issuerRes = await fetch(`${p.issuer.url}/.well-known/openid-credential-issuer/oid4vci/${tenant.slug}`);
    expect(issuerRes.status).toBe(200);
    const metadata = (await issuerRes.json()) as Record<string, any>;
    expect(metadata).toMatchObject({ credential_issuer: issuerId, credential_endpoint: `${issuerId}/credential`, nonce_endpoint: `${issuerId}/nonce` });
    expect(Object.keys(metadata['credential_configurations_supported']).sort()).toEqual(['SeoulCitizenCard_dc_sd_jwt', 'SeoulCitizenCard_jwt_vc_json']);
    expect(metadata['credential_configurations_supported']['SeoulCitizenCard_jwt_vc_json']).toMatchObject({
      format: 'jwt_vc_json',
      credential_definition: { type: ['VerifiableCredential', 'SeoulCitizenCard'] },
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256', 'ES256K'] } },
      credential_metadata: { display: [{ name: '서울시민카드', locale: 'ko-KR' }, { name: 'Seoul Citizen Card', locale: 'en-US' }] },
    });
    expect(metadata['credential_configurations_supported']['SeoulCitizenCard_dc_sd_jwt']).toMatchObject({
      format: 'dc+sd-jwt',
      vct: expect.stringContaining('SeoulCitizenCard'),
      cryptographic_binding_methods_supported: ['jwk'],
    });
    expect(metadata).not.toHaveProperty('token_endpoint');

    const asRes = await fetch(`${p.issuer.url}/.well-known/oauth-authorization-server/oid4vci/${tenant.slug}`);
    expect(await asRes.json()).toMatchObject({
      issuer: issuerId,
      token_endpoint: `${issuerId}/token`,
      grant_types_supported: [PRE_AUTHORIZED_CODE],
      'pre-authorized_grant_anonymous_access_supported': true,
    });
    // The path-appended form is not where 1.0 puts it.
    expect((await fetch(`${issuerId}/.well-known/openid-credential-issuer`)).status).toBe(404);
    expect((await fetch(`${p.issuer.url}/.well-known/openid-credential-issuer/oid4vci/no-such-tenant`)).status).toBe(404);
  });

  it('issues a jwt_vc_json credential to the wallet: signed by the tenant, the proof key as subject, verified, stored and anchored', async () => {
    const created = await newOffer();
    expect(created.tx_code).toMatch(/^\d{6}$/);
    expect(created.credential_offer_link).toBe(`openid-credential-offer://?credential_offer_uri=${encodeURIComponent(created.credential_offer_uri)}`);

    const { credentialOffer, accessTokenResponse, credentialResponse } = await walletRedeems(created);
    expect(credentialOffer.grants?.[PRE_AUTHORIZED_CODE]?.tx_code).toMatchObject({ input_mode: 'numeric', length: 6 });
    expect(accessTokenResponse).not.toHaveProperty('c_nonce');
    expect(accessTokenResponse.token_type).toBe('Bearer');
    expect(credentialResponse.credentials).toHaveLength(1);
    expect(credentialResponse).not.toHaveProperty('credential');
    const tokenAnswer = answers.find((a) => a.url === `${issuerId}/token`)!;
    expect(tokenAnswer.headers.get('cache-control')).toBe('no-store');
    expect(JSON.parse(tokenAnswer.body)).not.toHaveProperty('c_nonce');
    expect(answers.find((a) => a.url === `${issuerId}/nonce`)!.headers.get('cache-control')).toBe('no-store');

    const encoded = encodedOf(credentialResponse.credentials![0]);
    const decoded = credentialFormat('jwt_vc').decode(encoded);
    expect(decoded).toMatchObject({ format: 'jwt_vc', header: { alg: 'ES256K' }, issuer: tenant.did, primaryType: 'SeoulCitizenCard', claims: claims() });
    expect(decoded.credential).toMatchObject({
      '@context': ['https://www.w3.org/2018/credentials/v1', 'https://contexts.citycred.seoul.go.kr/v1'],
      type: ['VerifiableCredential', 'SeoulCitizenCard'],
      credentialSchema: { type: 'JsonSchema' },
    });
    expect(jwkOfDidJwk(decoded.holder.id!), 'the subject is the did:jwk of the proof key').toEqual(publicPart(wallet.jwk));
    expect(decoded.status.map((s) => s.kind), 'a status list entry was allocated').toContain('bitstring');
    expect(await credentialFormat('jwt_vc').verifyProof(decoded, [tenantKey], nobleSignatureCrypto)).toMatchObject({ valid: true });
    expect(await credentialFormat('jwt_vc').verifyProof(decoded, [{ kind: 'jwk', jwk: wallet.jwk }], nobleSignatureCrypto), 'the check can fail').toMatchObject({ valid: false });

    const verified = await postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: encoded });
    expect(verified.body).toMatchObject({ verified: true });
    expect(checkOf(verified.body, 'signature')).toMatchObject({ status: 'passed' });
    expect(checkOf(verified.body, 'status')).toMatchObject({ status: 'passed' });
    expect(checkOf(verified.body, 'anchor')).toMatchObject({ status: 'pending' });

    expect(await storedRow(decoded.id!)).toMatchObject({ tenantId: expect.any(String), format: 'jwt_vc', encoded, subjectId: decoded.holder.id });
    expect(await offerRow(created.offerId)).toMatchObject({ state: 'issued', claims: null, credentialIds: JSON.stringify([decoded.id]) });
    expect((await fetch(created.credential_offer_uri)).status, 'a used offer is no longer served by reference').toBe(404);

    expect(await proofStatus(decoded)).toBe(202);
    await p.worker.runOnce();
    expect(await proofStatus(decoded)).toBe(200);
    const afterAnchoring = await postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: encoded });
    expect(afterAnchoring.body).toMatchObject({ verified: true });
    expect(checkOf(afterAnchoring.body, 'anchor')).toMatchObject({ status: 'passed' });
  });

  it('issues dc+sd-jwt credentials bound to each proof key (cnf), with disclosures the holder can present with key binding', async () => {
    const created = await newOffer('SeoulCitizenCard_dc_sd_jwt');
    const second = walletKey();
    const { credentialResponse } = await walletRedeems(created, [second]);
    expect(credentialResponse.credentials).toHaveLength(2);
    const [first, other] = credentialResponse.credentials!.map((entry) => decodeSdJwtVc(encodedOf(entry)));

    for (const [credential, key] of [[first!, wallet], [other!, second]] as const) {
      expect(credential).toMatchObject({ format: 'dc+sd-jwt', header: { alg: 'ES256K', typ: 'dc+sd-jwt' }, issuer: tenant.did, claims: claims() });
      expect(credential.primaryType).toContain('SeoulCitizenCard');
      expect(credential.holder.jwk && publicPart(credential.holder.jwk)).toEqual(publicPart(key.jwk));
      expect(credential.holder.id, 'an SD-JWT VC binds the key in cnf, not as a subject id').toBeUndefined();
      expect(credential.disclosures.map((d) => d.name)).toEqual(expect.arrayContaining(['name', 'birthDate']));
      expect(credential.signedPayload).not.toHaveProperty('name');
      expect(credential.status.map((s) => s.kind), 'a Token Status List entry was allocated').toEqual(['token']);
      expect(await credentialFormat('dc+sd-jwt').verifyProof(credential, [tenantKey], nobleSignatureCrypto)).toMatchObject({ valid: true });
    }

    const encoded = encodedOf(credentialResponse.credentials![0]);
    const kb = { nonce: 'verifier-nonce-1', aud: 'x509_hash:verifier', iat: clock.now() };
    const presented = await presentSdJwt(encoded, { disclose: ['ageOver19'], kb: { signer: kbSigner(wallet), ...kb } });
    const expectation = { nonce: kb.nonce, aud: kb.aud, now: clock.now(), maxAgeSeconds: 300 };
    const binding = await verifyKeyBinding(presented, expectation, nobleSignatureCrypto);
    expect(binding).toMatchObject({ valid: true });
    if (binding.valid) expect(Object.keys(binding.credential.claims)).toEqual(['ageOver19']);
    const byAnother = await presentSdJwt(encoded, { disclose: ['ageOver19'], kb: { signer: kbSigner(second), ...kb } });
    expect(await verifyKeyBinding(byAnother, expectation, nobleSignatureCrypto), 'only the cnf key binds it').toMatchObject({ valid: false, reason: 'kb.signature-invalid' });

    expect(JSON.parse((await offerRow(created.offerId)).credentialIds!)).toEqual([first!.id, other!.id]);
    for (const credential of [first!, other!]) {
      expect(await storedRow(credential.id!)).toMatchObject({ format: 'dc+sd-jwt', subjectId: null });
      expect(await proofStatus(credential)).toBe(202);
    }
    await p.worker.runOnce();
    expect([await proofStatus(first!), await proofStatus(other!)]).toEqual([200, 200]);
  });

  it('makes offers in bulk with a per-row report and a job that can be read back', async () => {
    const res = await postJson(
      `${p.issuer.url}/oid4vci/offers/bulk`,
      { credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', rows: [{ claims: claims() }, { claims: { ...claims(), birthDate: 'x' } }, { claims: claims() }] },
      { authorization: `Bearer ${tenant.apiKey}` },
    );
    expect(res.status).toBe(201);
    const job = res.body as { jobId: string; rows: Array<Record<string, any>> };
    expect(job.rows.map((r) => ('offerId' in r ? 'offer' : r['error'].code))).toEqual(['offer', 'credential.schema-invalid', 'offer']);
    expect(job.rows[1]!['error'].pointer).toBe('/rows/1/claims/birthDate');
    expect(job.rows[0]!['tx_code']).toMatch(/^\d{6}$/);
    const read = (await fetch(`${p.issuer.url}/oid4vci/offers/bulk/${job.jobId}`, { headers: { authorization: `Bearer ${tenant.apiKey}` } }).then((r) => r.json())) as Record<string, any>;
    expect(read).toMatchObject({ jobId: job.jobId, state: 'done', total: 3, processed: 3 });
    expect(JSON.stringify(read)).not.toContain(job.rows[0]!['tx_code'] as string);
    expect(read['rows'][0]).toEqual({ row: 0, offerId: job.rows[0]!['offerId'] });

    const { credentialResponse } = await walletRedeems(job.rows[2] as CreatedOffer);
    expect(credentialFormat('jwt_vc').decode(encodedOf(credentialResponse.credentials![0]))).toMatchObject({ issuer: tenant.did, claims: claims() });
  });

  it('makes redeemable offers in bulk from CSV, typed by the schema, and refuses unreadable CSV', async () => {
    const c = claims() as Record<string, any>;
    const header = 'personId,name,birthDate,ageOver15,ageOver18,ageOver19,residence.city,residence.district,residentSince,photoHash';
    const line = (birthDate: string) => [c['personId'], `"${c['name']}"`, birthDate, 'true', 'true', 'true', c['residence'].city, c['residence'].district, c['residentSince'], c['photoHash']].join(',');
    const send = (csv: string) => postJson(`${p.issuer.url}/oid4vci/offers/bulk`, { credential_configuration_id: 'SeoulCitizenCard_dc_sd_jwt', csv }, { authorization: `Bearer ${tenant.apiKey}` });
    const res = await send(`${header}\r\n${line(c['birthDate'])}\r\n${line('2001-02-30')}\r\n`);
    expect(res.status).toBe(201);
    const job = res.body as { rows: Array<Record<string, any>> };
    expect(job.rows.map((r) => ('offerId' in r ? 'offer' : r['error'].code))).toEqual(['offer', 'credential.schema-invalid']);

    const { credentialResponse } = await walletRedeems(job.rows[0] as CreatedOffer);
    const issued = decodeSdJwtVc(encodedOf(credentialResponse.credentials![0]));
    expect(issued.claims, 'the CSV cells became the typed claims').toEqual(c);
    expect(issued.holder.jwk && publicPart(issued.holder.jwk)).toEqual(publicPart(wallet.jwk));
    expect(await proofStatus(issued)).toBe(202);

    const unreadable = await send(`${header}\n"unclosed`);
    expect(unreadable.status).toBe(400);
    expect(unreadable.body).toMatchObject({ code: 'request.invalid', errors: [{ path: '/csv' }] });
  });

  it('gives bulk offers their own ceiling (7 days by default), refuses more, and refuses one without transaction code beyond a single offer’s', async () => {
    const WEEK = 7 * 24 * 3600;
    const auth = { authorization: `Bearer ${tenant.apiKey}` };
    const bulk = (options: Record<string, unknown>, rows = 1) =>
      postJson(`${p.issuer.url}/oid4vci/offers/bulk`, { credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', rows: Array.from({ length: rows }, () => ({ claims: claims() })), ...options }, auth);
    const offersMade = () => p.issuer.runtime.dataSource.getRepository(Oid4vciOfferEntity).count();
    const lifetimeOf = (row: Record<string, any>) => (Date.parse(row['expiresAt']) - clock.now().getTime()) / 1000;

    const week = await bulk({ expires_in: WEEK }, 2);
    expect(week.status, JSON.stringify(week.body)).toBe(201);
    const [kept, guessed] = (week.body as { rows: Array<Record<string, any>> }).rows as [CreatedOffer & Record<string, any>, CreatedOffer & Record<string, any>];
    expect(lifetimeOf(kept)).toBe(WEEK);
    expect(kept.tx_code).toMatch(/^\d{6}$/);
    const byDefault = await bulk({});
    expect(lifetimeOf((byDefault.body as { rows: Array<Record<string, any>> }).rows[0]!), 'the bulk ceiling is also the default').toBe(WEEK);

    const before = await offersMade();
    const tooLong = await bulk({ expires_in: WEEK + 1 });
    expect(tooLong).toMatchObject({ status: 400, body: { code: 'oid4vci.offer-lifetime-too-long', maxExpiresIn: WEEK } });
    for (const options of [{ tx_code: false }, { tx_code: false, expires_in: 601 }, { tx_code: false, expires_in: WEEK }]) {
      const bare = await bulk(options);
      expect(bare, JSON.stringify(options)).toMatchObject({ status: 400, body: { code: 'oid4vci.tx-code-required', maxExpiresIn: 600 } });
      expect(bare.body['detail']).toMatch(/transaction code/);
    }
    expect(await offersMade(), 'a refused bulk request makes no offer').toBe(before);
    const short = await bulk({ tx_code: false, expires_in: 600 });
    expect(short.status, 'a bulk offer without code may live as long as a single offer').toBe(201);
    expect((short.body as { rows: Array<Record<string, any>> }).rows[0]!['tx_code']).toBeUndefined();

    // Single offers keep their short ceiling, refused above it rather than shortened.
    for (const expires_in of [601, WEEK]) {
      expect(await offer({ credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', claims: claims(), expires_in }), String(expires_in)).toMatchObject({
        status: 400,
        body: { code: 'oid4vci.offer-lifetime-too-long', maxExpiresIn: 600 },
      });
    }
    expect(lifetimeOf(await newOffer('SeoulCitizenCard_jwt_vc_json', { expires_in: 600 }))).toBe(600);

    // Days later, past the job report's first 24 hours: the expired-row clean-up keeps the offers and the report, and
    // the offer still redeems with its code; 5 wrong codes over those days burn the other one.
    const wrong = guessed.tx_code === '000000' ? '000001' : '000000';
    const guess = (code: string) => tokenRequest({ grant_type: PRE_AUTHORIZED_CODE, 'pre-authorized_code': preAuthorizedCodeOf(guessed), tx_code: code });
    for (let attempt = 1; attempt <= 4; attempt += 1) expect((await guess(wrong)).body['error_description']).toBe('Wrong transaction code.');
    clock.advance(6 * 24 * 3600 * 1000);
    await new Oid4vciStore(p.issuer.runtime.dataSource, clock).deleteExpired(ACCESS_TOKEN_TTL_SECONDS * 1000);
    const report = await send(`${p.issuer.url}/oid4vci/offers/bulk/${(week.body as { jobId: string }).jobId}`, { headers: auth });
    expect(report).toMatchObject({ status: 200, body: { state: 'done', rows: [{ row: 0, offerId: kept.offerId }, { row: 1, offerId: guessed.offerId }] } });
    expect((await guess(wrong)).body['error_description']).toMatch(/cancelled/);
    expect(await guess(guessed.tx_code!)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await offerRow(guessed.offerId)).toMatchObject({ state: 'burnt', txCodeFailures: 5 });
    await redeem(kept);
  });

  it('compares no more than 5 transaction codes of an offer however many guesses race', async () => {
    const created = await newOffer();
    const wrong = created.tx_code === '000000' ? '000001' : '000000';
    const grant = { grant_type: PRE_AUTHORIZED_CODE, 'pre-authorized_code': preAuthorizedCodeOf(created), tx_code: wrong };
    const answers = await Promise.all(Array.from({ length: 12 }, () => tokenRequest(grant)));
    expect(answers.every((answer) => answer.status === 400 && answer.body['error'] === 'invalid_grant')).toBe(true);
    expect(answers.filter((answer) => answer.body['error_description'] === 'Wrong transaction code.').length).toBeLessThanOrEqual(4);
    expect(await offerRow(created.offerId)).toMatchObject({ state: 'burnt', txCodeFailures: 5 });
  });

  it('checks offers against the tenant and the type schema, and needs the API key', async () => {
    expect(await offer({ credential_configuration_id: 'EnrollmentStatus_jwt_vc_json', claims: claims() })).toMatchObject({
      status: 400,
      body: { code: 'oid4vci.unknown-credential-configuration' },
    });
    const invalid = await offer({ credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', claims: { ...claims(), birthDate: 'yesterday' } });
    expect(invalid).toMatchObject({ status: 422, body: { code: 'credential.schema-invalid', errors: [expect.objectContaining({ path: '/claims/birthDate' })] } });
    expect(await offer({ credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', claims: { ...claims(), id: 'did:example:1' } })).toMatchObject({ status: 400 });
    expect((await offer({ credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', claims: claims() }, 'ccd_nope')).status).toBe(401);
    const plain = await newOffer('SeoulCitizenCard_jwt_vc_json', { tx_code: false });
    expect(plain.tx_code).toBeUndefined();
    const byReference = await fetch(plain.credential_offer_uri);
    expect(byReference.headers.get('cache-control')).toBe('no-store');
    expect(await byReference.json()).toEqual(plain.credential_offer);
  });

  it('refuses a wrong tx_code, and burns the offer at the fifth wrong one', async () => {
    const created = await newOffer();
    const grant = { grant_type: PRE_AUTHORIZED_CODE, 'pre-authorized_code': preAuthorizedCodeOf(created) };
    const wrong = created.tx_code === '000000' ? '000001' : '000000';
    expect(await tokenRequest(grant)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const answer = await tokenRequest({ ...grant, tx_code: wrong });
      expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'Wrong transaction code.' } });
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    }
    expect((await tokenRequest({ ...grant, tx_code: wrong })).body['error_description']).toMatch(/cancelled/);
    expect(await tokenRequest({ ...grant, tx_code: created.tx_code! })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await offerRow(created.offerId)).toMatchObject({ state: 'burnt' });
  });

  it('refuses an expired offer, a second redemption of a used one, another grant type and a JSON token request', async () => {
    const expiring = await newOffer('SeoulCitizenCard_jwt_vc_json', { expires_in: 60 });
    const stillLive = await newOffer('SeoulCitizenCard_jwt_vc_json', { expires_in: 120 });
    clock.advance(61_000);
    const grant = { grant_type: PRE_AUTHORIZED_CODE, 'pre-authorized_code': preAuthorizedCodeOf(expiring), tx_code: expiring.tx_code! };
    expect(await tokenRequest(grant)).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringMatching(/expired/) } });
    expect((await fetch(expiring.credential_offer_uri)).status).toBe(404);
    await redeem(stillLive);

    const used = await newOffer();
    await redeem(used);
    const again = await tokenRequest({ grant_type: PRE_AUTHORIZED_CODE, 'pre-authorized_code': preAuthorizedCodeOf(used), tx_code: used.tx_code! });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await tokenRequest({ grant_type: 'authorization_code', code: 'x' })).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(await tokenRequest({ grant_type: PRE_AUTHORIZED_CODE, 'pre-authorized_code': 'x' }, 'application/json')).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('refuses an access token and a nonce older than 5 minutes', async () => {
    const token = await redeem(await newOffer());
    const staleNonce = await freshNonce();
    clock.advance(301_000);
    const request = (nonce: string) => ({ credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', proofs: { jwt: [proof(nonce)] } });
    expect(await credentialRequest(token, request(await freshNonce()))).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    const liveToken = await redeem(await newOffer());
    expect(await credentialRequest(liveToken, request(staleNonce))).toMatchObject({ status: 400, body: { error: 'invalid_nonce' } });
    expect((await credentialRequest(liveToken, request(await freshNonce()))).status).toBe(200);
  });

  it('lets only one of concurrent redemptions of an offer win', async () => {
    const created = await newOffer();
    const grant = { grant_type: PRE_AUTHORIZED_CODE, 'pre-authorized_code': preAuthorizedCodeOf(created), tx_code: created.tx_code! };
    const results = await Promise.all([tokenRequest(grant), tokenRequest(grant), tokenRequest(grant)]);
    expect(results.map((a) => a.status).sort()).toEqual([200, 400, 400]);
  });

  it('answers a tenant where its offer stands (offered, redeemed, issued, burnt, expired), without claims or secrets, and no other tenant', async () => {
    const status = (id: string, key: string | null = tenant.apiKey) => send(`${p.issuer.url}/oid4vci/offers/${id}/status`, key === null ? {} : { headers: { authorization: `Bearer ${key}` } });
    const expiring = await newOffer('SeoulCitizenCard_jwt_vc_json', { expires_in: 60 });
    const waiting = await status(expiring.offerId);
    expect([waiting.status, waiting.headers.get('cache-control')]).toEqual([200, 'no-store']);
    expect(waiting.body).toEqual({ offerId: expiring.offerId, credentialConfigurationId: 'SeoulCitizenCard_jwt_vc_json', state: 'offered', createdAt: clock.now().toISOString(), expiresAt: expiring.expiresAt });
    for (const secret of [expiring.tx_code!, preAuthorizedCodeOf(expiring), String(claims()['name'])]) expect(waiting.text).not.toContain(secret);

    const other = p.tenants.get('education-office')!;
    for (const [id, key] of [[expiring.offerId, other.apiKey], [randomUUID(), tenant.apiKey], ['not-an-offer', tenant.apiKey]] as const) {
      const refused = await status(id, key);
      expect([refused.status, refused.type, refused.body?.code], id).toEqual([404, 'application/problem+json; charset=utf-8', 'oid4vci.offer-not-found']);
    }
    expect((await status(expiring.offerId, null)).body?.code).toBe('auth.missing-api-key');

    const received = await newOffer();
    const token = await redeem(received);
    expect((await status(received.offerId)).body).toMatchObject({ state: 'redeemed', redeemedAt: clock.now().toISOString() });
    expect(await status(received.offerId).then((res) => res.body.issuedAt)).toBeUndefined();
    const issued = await credentialRequest(token, { credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', proofs: { jwt: [proof(await freshNonce())] } });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    expect((await status(received.offerId)).body).toMatchObject({ state: 'issued', redeemedAt: clock.now().toISOString(), issuedAt: clock.now().toISOString() });

    const burning = await newOffer();
    const wrong = burning.tx_code === '000000' ? '000001' : '000000';
    for (let attempt = 1; attempt <= 5; attempt += 1) await tokenRequest({ grant_type: PRE_AUTHORIZED_CODE, 'pre-authorized_code': preAuthorizedCodeOf(burning), tx_code: wrong });
    expect((await status(burning.offerId)).body.state).toBe('burnt');

    clock.advance(61_000);
    expect((await status(expiring.offerId)).body.state).toBe('expired');
    expect((await status(received.offerId)).body.state).toBe('issued');
    // Once no token of it can be live, the clean-up deletes the offer that issued nothing: 404, as for an unknown id.
    clock.advance(300_000);
    await new Oid4vciStore(p.issuer.runtime.dataSource, clock).deleteExpired(ACCESS_TOKEN_TTL_SECONDS * 1000);
    expect((await status(expiring.offerId)).body?.code).toBe('oid4vci.offer-not-found');
    expect((await status(received.offerId)).body.state).toBe('issued');
  });

  it('takes form bodies only at the token endpoint', async () => {
    const res = await fetch(`${issuerId}/nonce`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('refuses a missing proof, a proof by another key, a wrong aud, a stale iat, an unknown nonce and configuration; issues nothing for them', async () => {
    const created = await newOffer();
    const token = await redeem(created);
    const request = (jwts?: string[]) => ({ credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', ...(jwts ? { proofs: { jwt: jwts } } : {}) });
    const nonce = await freshNonce();
    const impostor = walletKey();
    const refusals = [
      [request(), 'invalid_proof'],
      [request([proof(nonce, { key: impostor.privateKey })]), 'invalid_proof'],
      [request([proof(nonce, { payload: { aud: 'https://other.example' } })]), 'invalid_proof'],
      [request([proof(nonce, { payload: { iat: Math.floor(clock.now().getTime() / 1000) - 3_600 } })]), 'invalid_proof'],
      [request([proof('never-issued')]), 'invalid_nonce'],
      [{ credential_configuration_id: 'NoSuchThing', proofs: { jwt: [proof(nonce)] } }, 'unknown_credential_configuration'],
    ] as const;
    for (const [body, error] of refusals) {
      expect(await credentialRequest(token, body), JSON.stringify(body)).toMatchObject({ status: 400, body: { error } });
    }
    expect(await offerRow(created.offerId), 'a refused request leaves the offer redeemed, nothing issued').toMatchObject({ state: 'redeemed', credentialIds: null });

    // A did:jwk kid names the same key as the jwk header would; the token (refused requests did not use it) still works once.
    const didJwk = `did:jwk:${Buffer.from(JSON.stringify(publicPart(wallet.jwk))).toString('base64url')}`;
    const ok = await credentialRequest(token, request([proof(nonce, { header: { jwk: undefined, kid: `${didJwk}#0` } })]));
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(credentialFormat('jwt_vc').decode(encodedOf(ok.body['credentials'][0])).holder.id).toBe(didJwk);
    expect(await credentialRequest(token, request([proof(await freshNonce())]))).toMatchObject({ status: 401, body: { error: 'invalid_token' } });

    const nextToken = await redeem(await newOffer());
    expect(await credentialRequest(nextToken, request([proof(nonce)])), 'the nonce was used by the request before').toMatchObject({ status: 400, body: { error: 'invalid_nonce' } });
    const unauthenticated = await credentialRequest('not-a-token', request([proof(await freshNonce())]));
    expect(unauthenticated).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    expect(unauthenticated.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it('answers credential_request_denied when the issuance command refuses (tenant no longer accredited), and gives the token back', async () => {
    // Its own tenant, so the revocation touches no other case.
    const youth = p.tenants.get('youth-policy')!;
    const youthIssuer = `${p.issuer.url}/oid4vci/${youth.slug}`;
    const { id: _holder, ...youthClaims } = exampleSubject('YouthAllowanceEligibility') as unknown as Record<string, unknown>;
    const created = await offer({ credential_configuration_id: 'YouthAllowanceEligibility_jwt_vc_json', claims: youthClaims }, youth.apiKey);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const token = (
      await fetch(`${youthIssuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: PRE_AUTHORIZED_CODE, 'pre-authorized_code': preAuthorizedCodeOf(created.body), tx_code: created.body.tx_code }).toString(),
      }).then((r) => r.json() as Promise<{ access_token: string }>)
    ).access_token;
    const requestCredential = async () => {
      const nonce = ((await (await fetch(`${youthIssuer}/nonce`, { method: 'POST' })).json()) as { c_nonce: string }).c_nonce;
      const jwt = proof(nonce, { payload: { aud: youthIssuer } });
      const res = await fetch(`${youthIssuer}/credential`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ credential_configuration_id: 'YouthAllowanceEligibility_jwt_vc_json', proofs: { jwt: [jwt] } }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const registry = issuerRegistryAt(p.deployment.issuerRegistry, p.root);
    const type = credentialTypeHash('YouthAllowanceEligibility');
    await (await registry.revokeAccreditation(youth.address, type, 0)).wait();
    await p.accreditations.refresh();
    const credentials = () => p.issuer.runtime.dataSource.getRepository(IssuedCredentialEntity).countBy({ type: 'YouthAllowanceEligibility' });
    const before = await credentials();

    expect(await requestCredential()).toMatchObject({ status: 400, body: { error: 'credential_request_denied' } });
    expect(await requestCredential(), 'the token was given back: refused again, not invalid_token').toMatchObject({ status: 400, body: { error: 'credential_request_denied' } });
    expect(await credentials()).toBe(before);
    expect(await offerRow(created.body.offerId)).toMatchObject({ state: 'redeemed', credentialIds: null });

    // Accredited again (from the chain's time now): the same token now gets its credential.
    await (await registry.reinstateIssuer(youth.address, type)).wait();
    const now = Number((await p.provider.getBlock('latest'))!.timestamp);
    await (await registry.accreditIssuer(youth.address, [type], now, now + 86_400)).wait();
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    await p.accreditations.refresh();
    const issued = await requestCredential();
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    expect(credentialFormat('jwt_vc').decode(encodedOf(issued.body['credentials'][0]))).toMatchObject({ issuer: youth.did, primaryType: 'YouthAllowanceEligibility' });
    expect(await credentials()).toBe(before + 1);
  });

  it('binds an offer to a holder: another wallet gets invalid_proof and spends nothing, then the holder receives it as its subject', async () => {
    // The holder as a did:jwk whose JSON is not in canonical order: keys are compared by thumbprint, not by string.
    const holder = `did:jwk:${Buffer.from(JSON.stringify({ kty: wallet.jwk.kty, x: wallet.jwk.x, y: wallet.jwk.y, crv: wallet.jwk.crv })).toString('base64url')}`;
    const created = await newOffer('SeoulCitizenCard_jwt_vc_json', { holder });
    const request = (jwts: string[]) => ({ credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', proofs: { jwt: jwts } });
    const other = walletKey();
    const byOther = (nonce: string) => proof(nonce, { key: other.privateKey, header: { jwk: other.jwk } });

    // Another wallet with the link and the code: a token, but its proofs are refused — alone or beside the holder's.
    const otherToken = await redeem(created);
    const nonce = await freshNonce();
    const refused = await credentialRequest(otherToken, request([byOther(nonce)]));
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_proof', error_description: expect.stringMatching(/bound to another holder/) } });
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(await credentialRequest(otherToken, request([proof(nonce), byOther(nonce)])), 'every proof key must be the holder').toMatchObject({ status: 400, body: { error: 'invalid_proof' } });
    expect(await offerRow(created.offerId), 'the refused attempts spent nothing').toMatchObject({ state: 'offered', redeemedAt: null, credentialIds: null, holderDid: holder });
    expect((await fetch(created.credential_offer_uri)).status, 'the offer is still served to its holder').toBe(200);

    // The holder, through the wallet client, from the same link: a token of its own, the credential with it as subject.
    const { credentialResponse } = await walletRedeems(created);
    const decoded = credentialFormat('jwt_vc').decode(encodedOf(credentialResponse.credentials![0]));
    expect(decoded.holder.id, 'the subject is the holder the offer was bound to').toBe(holder);
    expect(jwkOfDidJwk(decoded.holder.id!)).toEqual({ kty: 'EC', x: wallet.jwk.x, y: wallet.jwk.y, crv: 'P-256' });
    expect(await offerRow(created.offerId)).toMatchObject({ state: 'issued', claims: null, credentialIds: JSON.stringify([decoded.id]) });
    expect((await postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: encodedOf(credentialResponse.credentials![0]) })).body).toMatchObject({ verified: true });

    // Once issued: the other wallet's token grants nothing, and the code is spent.
    expect(await credentialRequest(otherToken, request([byOther(await freshNonce())]))).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    const again = await tokenRequest({ grant_type: PRE_AUTHORIZED_CODE, 'pre-authorized_code': preAuthorizedCodeOf(created), tx_code: created.tx_code! });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('binds a dc+sd-jwt offer to its holder: cnf is that key; one holder request wins of two racing, none after its expiry', async () => {
    const created = await newOffer('SeoulCitizenCard_dc_sd_jwt', { holder: didJwkOf(wallet.jwk) });
    const request = (jwts: string[]) => ({ credential_configuration_id: 'SeoulCitizenCard_dc_sd_jwt', proofs: { jwt: jwts } });
    const [first, second] = [await redeem(created), await redeem(created)];
    const answers = await Promise.all([credentialRequest(first, request([proof(await freshNonce())])), credentialRequest(second, request([proof(await freshNonce())]))]);
    expect(answers.map((a) => a.status).sort(), JSON.stringify(answers.map((a) => a.body))).toEqual([200, 401]);
    const issued = decodeSdJwtVc(encodedOf(answers.find((a) => a.status === 200)!.body['credentials'][0]));
    expect(issued.holder.jwk && publicPart(issued.holder.jwk)).toEqual(publicPart(wallet.jwk));
    expect(JSON.parse((await offerRow(created.offerId)).credentialIds!)).toEqual([issued.id]);

    // A token got before a bound offer's expiry gets nothing after it: an offer its tenant saw `expired` never issues.
    const late = await newOffer('SeoulCitizenCard_dc_sd_jwt', { holder: didJwkOf(wallet.jwk), expires_in: 30 });
    const lateToken = await redeem(late);
    clock.advance(31_000);
    expect(await credentialRequest(lateToken, request([proof(await freshNonce())]))).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    const status = await send(`${p.issuer.url}/oid4vci/offers/${late.offerId}/status`, { headers: { authorization: `Bearer ${tenant.apiKey}` } });
    expect(status.body).toMatchObject({ state: 'expired' });
  });

  it('refuses an offer bound to a malformed holder (400 oid4vci.invalid-holder), and a holder in bulk offers', async () => {
    const ed25519 = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const didJwkOfJson = (json: unknown) => `did:jwk:${Buffer.from(JSON.stringify(json)).toString('base64url')}`;
    const malformed = [
      'did:web:example.com',
      'did:jwk:not-base64-json',
      didJwkOfJson({ kty: 'EC', crv: 'P-256', x: wallet.jwk.x, y: wallet.jwk.x }),
      didJwkOfJson(ed25519),
      `${didJwkOf(wallet.jwk)}#0`,
      'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    ];
    for (const holder of malformed) {
      const res = await offer({ credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', claims: claims(), holder });
      expect(res, holder).toMatchObject({ status: 400, body: { code: 'oid4vci.invalid-holder', errors: [{ path: '/holder' }] } });
    }
    expect(await offer({ credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', claims: claims(), holder: 42 })).toMatchObject({ status: 400, body: { code: 'request.invalid' } });
    const bulk = await postJson(
      `${p.issuer.url}/oid4vci/offers/bulk`,
      { credential_configuration_id: 'SeoulCitizenCard_jwt_vc_json', rows: [{ claims: claims() }], holder: didJwkOf(wallet.jwk) },
      { authorization: `Bearer ${tenant.apiKey}` },
    );
    expect(bulk).toMatchObject({ status: 400, body: { code: 'request.invalid' } });
  });

  it('answers a wallet error as an Openid4vciRetrieveCredentialsError through the client (the OAuth error shape)', async () => {
    const created = await newOffer();
    const credentialOffer = await client.resolveCredentialOffer(created.credential_offer_link);
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
    const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode: created.tx_code });
    const error = await client
      .retrieveCredentials({ issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId: 'SeoulCitizenCard_jwt_vc_json', proofs: { jwt: [proof('replayed-or-unknown')] } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Openid4vciRetrieveCredentialsError);
    expect((error as Openid4vciRetrieveCredentialsError).response.credentialErrorResponseResult?.data).toMatchObject({ error: 'invalid_nonce' });
  });
});
