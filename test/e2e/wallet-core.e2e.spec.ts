import { FixedClock } from '@citycred/config';
import {
  fetchAnchorProof,
  generateHolderKeyPair,
  holderKeyOf,
  issuerServiceUrlOf,
  Oid4vciClient,
  Oid4vciErrorCode,
  Oid4vpClient,
  Oid4vpErrorCode,
  postResponse,
  proofLeadsToRoot,
  publicJwkOf,
  readCredentialStatus,
  scanPresentation,
  buildVpToken,
  type HolderKey,
  type ReceivedCredential,
  type WalletTransport,
} from '@citycred/wallet-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { citizenCardSubject as subject, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';

/*
 * The citizen wallet's protocol library (libs/wallet-core, oid4vci/ and oid4vp/) run in Node against the whole
 * platform — a local chain with the city's contracts, the demo tenants, the issuer and the verifier on SQLite or
 * PostgreSQL — exactly as the browser app calls it: Node's global fetch, WebCrypto, and a holder key made by the wallet
 * core (a non-extractable P-256 CryptoKey behind the JwsSigner interface). Time is a FixedClock set to the chain's
 * latest block before each case; each case makes its own offers and requests, so it runs alone.
 */

const CARD_VCT = 'https://schemas.citycred.seoul.go.kr/vct/SeoulCitizenCard';

describe('the wallet protocol library against the real issuer and verifier', () => {
  let p: TestPlatform;
  const clock = new FixedClock(new Date());
  let holder: HolderKey;
  let transport: WalletTransport;
  let issuing: Oid4vciClient;
  let presenting: Oid4vpClient;
  let tenant: { slug: string; did: string; apiKey: string };

  type CreatedOffer = { offerId: string; credential_offer_link: string; tx_code?: string };
  const newOffer = async (configuration: string, extra: Record<string, unknown> = {}): Promise<CreatedOffer> => {
    const created = await postJson(`${p.issuer.url}/oid4vci/offers`, { credential_configuration_id: configuration, claims: { ...subject }, ...extra }, { authorization: `Bearer ${tenant.apiKey}` });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as CreatedOffer;
  };
  /** Receives one credential by a new offer with a transaction code, as the wallet's issue screen does. */
  const receiveByOffer = async (configuration: string): Promise<ReceivedCredential> => {
    const offer = await newOffer(configuration);
    const prepared = await issuing.prepare(offer.credential_offer_link);
    const [received] = await issuing.receive(prepared, { holder, txCode: offer.tx_code! });
    return received!;
  };
  const newRequest = async (policy: string, responseMode?: 'direct_post' | 'direct_post.jwt') => {
    const created = await postJson(`${p.verifier.url}/presentation-requests`, { policy, ...(responseMode ? { responseMode } : {}) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body as { id: string; deepLink: string };
  };
  const stateOf = async (id: string) => (await send(`${p.verifier.url}/presentation-requests/${id}`)).body;

  beforeAll(async () => {
    p = await startTestPlatform('wallet-core', { clock });
    tenant = p.tenants.get('seoul-citizen')!;
    const keys = await generateHolderKeyPair();
    holder = holderKeyOf(keys.privateKey, await publicJwkOf(keys.publicKey));
    transport = { fetch: (input, init) => fetch(input, init), clock };
    issuing = new Oid4vciClient(transport);
    presenting = new Oid4vpClient(transport);
  });
  beforeEach(async () => {
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
  });
  afterAll(async () => p?.stop());

  it('receives a SeoulCitizenCard SD-JWT VC by an offer with a transaction code, bound to the wallet key; the used offer is gone', async () => {
    const offer = await newOffer('SeoulCitizenCard_dc_sd_jwt');
    const prepared = await issuing.prepare(offer.credential_offer_link);
    expect(prepared.offer).toMatchObject({ credentialIssuer: `${p.issuer.url}/oid4vci/${tenant.slug}`, txCode: { inputMode: 'numeric', length: 6 } });
    expect(prepared.configurations.map((c) => [c.id, c.format, c.vct])).toEqual([['SeoulCitizenCard_dc_sd_jwt', 'dc+sd-jwt', CARD_VCT]]);
    expect(prepared.configurations[0]!.display).toContainEqual({ name: '서울시민카드', locale: 'ko-KR' });

    const received = await issuing.receive(prepared, { holder, txCode: offer.tx_code! });
    expect(received).toHaveLength(1);
    const [card] = received;
    expect(card!.record).toMatchObject({ format: 'dc+sd-jwt', issuer: tenant.did, type: CARD_VCT, receivedAt: clock.now().toISOString() });
    expect(card!.decoded.holder.jwk).toMatchObject({ x: holder.jwk.x, y: holder.jwk.y });
    expect(card!.decoded.claims).toMatchObject({ ageOver18: true, birthDate: subject.birthDate });
    expect(card!.credentialIssuer).toBe(prepared.offer.credentialIssuer);

    // A used offer is no longer served by reference: the wallet says so before asking for the code.
    await expect(issuing.prepare(offer.credential_offer_link)).rejects.toMatchObject({ code: Oid4vciErrorCode.OfferNotFound });
  });

  it('refuses a wrong transaction code (and one of the wrong form without sending it), then takes the right one', async () => {
    const offer = await newOffer('SeoulCitizenCard_dc_sd_jwt');
    const prepared = await issuing.prepare(offer.credential_offer_link);
    const wrong = offer.tx_code === '000000' ? '000001' : '000000';
    await expect(issuing.receive(prepared, { holder, txCode: wrong })).rejects.toMatchObject({ code: Oid4vciErrorCode.GrantRefused, oauthError: 'invalid_grant' });
    await expect(issuing.receive(prepared, { holder, txCode: '12345' })).rejects.toMatchObject({ code: Oid4vciErrorCode.TxCodeMalformed });
    await expect(issuing.receive(prepared, { holder })).rejects.toMatchObject({ code: Oid4vciErrorCode.TxCodeRequired });
    const [card] = await issuing.receive(prepared, { holder, txCode: offer.tx_code! });
    expect(card!.record.format).toBe('dc+sd-jwt');
  });

  it('refuses a reused offer: the pre-authorized code is single use', async () => {
    const offer = await newOffer('SeoulCitizenCard_dc_sd_jwt');
    const prepared = await issuing.prepare(offer.credential_offer_link);
    await issuing.receive(prepared, { holder, txCode: offer.tx_code! });
    await expect(issuing.receive(prepared, { holder, txCode: offer.tx_code! })).rejects.toMatchObject({ code: Oid4vciErrorCode.GrantRefused });
  });

  it('refuses an expired offer: gone by reference, and its code refused when it was read before', async () => {
    const offer = await newOffer('SeoulCitizenCard_dc_sd_jwt', { expires_in: 30 });
    const prepared = await issuing.prepare(offer.credential_offer_link);
    clock.set(new Date(clock.now().getTime() + 31_000));
    await expect(issuing.prepare(offer.credential_offer_link)).rejects.toMatchObject({ code: Oid4vciErrorCode.OfferNotFound });
    await expect(issuing.receive(prepared, { holder, txCode: offer.tx_code! })).rejects.toMatchObject({ code: Oid4vciErrorCode.GrantRefused });
  });

  it('receives a jwt_vc_json card whose subject is the wallet DID, reads its status from the whole list (valid, then revoked), and keeps its anchor proof once anchored', async () => {
    const card = await receiveByOffer('SeoulCitizenCard_jwt_vc_json');
    expect(card.record).toMatchObject({ format: 'jwt_vc', type: 'SeoulCitizenCard' });
    expect(card.decoded.holder.id).toBe(holder.did);

    const status = await readCredentialStatus(card.record, transport);
    expect(status.length).toBeGreaterThan(0);
    expect(status.every((s) => s.status === 'valid' && s.reference.kind === 'bitstring' && s.signature === 'unchecked')).toBe(true);
    const revoked = await postJson(
      `${p.issuer.url}/credentials/status`,
      { credentialId: card.decoded.id, credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' }, status: true },
      { authorization: `Bearer ${tenant.apiKey}` },
    );
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const after = await readCredentialStatus(card.record, transport);
    expect(after.map((s) => s.reference.kind === 'bitstring' && [s.reference.purpose, s.status])).toContainEqual(['revocation', 'revoked']);

    const service = issuerServiceUrlOf(card.credentialIssuer);
    expect(service).toBe(p.issuer.url);
    expect(await fetchAnchorProof(card.record, service, transport)).toMatchObject({ state: 'pending' });
    await p.worker.runOnce();
    const anchored = await fetchAnchorProof(card.record, service, transport);
    expect(anchored.state).toBe('anchored');
    if (anchored.state !== 'anchored') return;
    expect(await proofLeadsToRoot(anchored.proof.credentialHash, anchored.proof.proof, anchored.proof.root)).toBe(true);
  });

  it('reads an SD-JWT VC status from its Token Status List', async () => {
    const card = await receiveByOffer('SeoulCitizenCard_dc_sd_jwt');
    const status = await readCredentialStatus(card.record, transport);
    expect(status.map((s) => [s.reference.kind, s.status])).toEqual([['token', 'valid']]);
  });

  it('presents ageOver18 from the card to an OpenID4VP request and is verified; the same presentation again is refused', async () => {
    const card = await receiveByOffer('SeoulCitizenCard_dc_sd_jwt');
    const created = await newRequest('age-over-18');
    const request = await presenting.open(created.deepLink);
    expect(request.clientId).toMatch(/^decentralized_identifier:did:jwk:/);
    const match = presenting.match(request, [card.record]);
    expect(match.satisfiable).toBe(true);
    const [query] = match.queries;
    expect(query!.candidates.map((c) => [c.credential.id, c.disclose])).toEqual([[card.record.id, ['ageOver18']]]);

    const vpToken = await buildVpToken(request, match, { [query!.query.id]: [card.record.id] }, holder, clock.now());
    expect(await postResponse(request, { vp_token: vpToken }, transport)).toEqual({});
    const done = await stateOf(created.id);
    expect(done.state).toBe('fulfilled');
    expect(done.result).toMatchObject({ verified: true, decision: { policy: { id: 'age-over-18' }, satisfied: true } });

    // The same answer again, to this request or to a new one, is refused.
    await expect(postResponse(request, { vp_token: vpToken }, transport)).rejects.toMatchObject({ code: Oid4vpErrorCode.ResponseRefused, oauthError: 'invalid_request' });
    const next = await presenting.open((await newRequest('age-over-18')).deepLink);
    await expect(postResponse(next, { vp_token: vpToken }, transport)).rejects.toMatchObject({ code: Oid4vpErrorCode.ResponseRefused });
    // The answered request is no longer served to a wallet.
    await expect(presenting.open(created.deepLink)).rejects.toMatchObject({ code: Oid4vpErrorCode.RequestClosed });
  });

  it('answers an encrypted direct_post.jwt request, and a declined request fails at once', async () => {
    const card = await receiveByOffer('SeoulCitizenCard_dc_sd_jwt');
    const created = await newRequest('age-over-19', 'direct_post.jwt');
    const request = await presenting.open(created.deepLink);
    expect(request.encryption).toMatchObject({ enc: 'A256GCM', jwk: { kty: 'EC', crv: 'P-256' } });
    const match = presenting.match(request, [card.record]);
    expect(match.queries[0]!.candidates[0]!.disclose).toEqual(['ageOver19']);
    await presenting.present(request, match, { SeoulCitizenCard: [card.record.id] }, holder);
    expect((await stateOf(created.id)).state).toBe('fulfilled');

    const declined = await newRequest('seoul-resident');
    await presenting.decline(await presenting.open(declined.deepLink));
    expect(await stateOf(declined.id)).toMatchObject({ state: 'failed', result: { walletError: { error: 'access_denied' } } });
  });

  it('finds nothing to present for a policy whose credential the wallet does not hold', async () => {
    const request = await presenting.open((await newRequest('work-history')).deepLink);
    const match = presenting.match(request, []);
    expect(match).toMatchObject({ satisfiable: false, required: ['WorkExperience'] });
    await expect(presenting.present(request, match, {}, holder)).rejects.toMatchObject({ code: Oid4vpErrorCode.SelectionInvalid });
  });

  it('shows a citycred-vp: QR code the employer scanner accepts once', async () => {
    const card = await receiveByOffer('SeoulCitizenCard_dc_sd_jwt');
    const drawn = await scanPresentation(card.record, { verifierUrl: p.verifier.url, disclose: ['ageOver18'], holder, now: clock.now() });
    const scanned = await postJson(`${p.verifier.url}/scan/presentations`, { presentation: drawn.text, policy: 'age-over-18' });
    expect(scanned.status, JSON.stringify(scanned.body)).toBe(200);
    expect(scanned.body).toMatchObject({ verified: true, decision: { satisfied: true } });
    const again = await postJson(`${p.verifier.url}/scan/presentations`, { presentation: drawn.text, policy: 'age-over-18' });
    expect(again.status).toBe(400);
    expect(JSON.stringify(again.body.checks)).toContain('replay');
  });

  it('shows the card with its anchor proof in the QR code once the record keeps it: the scanner checks that proof', async () => {
    const card = await receiveByOffer('SeoulCitizenCard_dc_sd_jwt');
    await p.worker.runOnce();
    const anchored = await fetchAnchorProof(card.record, issuerServiceUrlOf(card.credentialIssuer), transport);
    expect(anchored.state).toBe('anchored');
    if (anchored.state !== 'anchored') return;
    const record = { ...card.record, anchorProof: { ...anchored.proof } };
    const drawn = await scanPresentation(record, { verifierUrl: p.verifier.url, disclose: ['ageOver18'], holder, now: clock.now() });
    expect([drawn.carriesAnchorProof, drawn.text.includes('#')]).toEqual([true, true]);
    const scanned = await postJson(`${p.verifier.url}/scan/presentations`, { presentation: drawn.text, policy: 'age-over-18' });
    expect(scanned.status, JSON.stringify(scanned.body)).toBe(200);
    const anchor = scanned.body.credentials[0].checks.find((c: { id: string }) => c.id === 'anchor');
    expect(anchor).toMatchObject({ status: 'passed', detail: expect.stringContaining(`anchored in root ${anchored.proof.root}`) });
  });
});
