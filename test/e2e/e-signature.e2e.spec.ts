import { createHash } from 'node:crypto';
import { FixedClock } from '@citycred/config';
import { DOCUMENT_SIGNATURE_TRANSACTION_TYPE, presentSdJwt, readDocumentSignature } from '@citycred/formats';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { issueSdJwtCitizenCard, walletKey, type WalletKey } from '../support/wallet.js';

/*
 * Electronic signatures with the citizen card (docs/e-signature.md): the signing page's request carries the document
 * as OpenID4VP transaction_data; this test plays the wallet (it fetches the request object, presents the SD-JWT card
 * with a KB-JWT whose transaction_data_hashes bind the document) and anyone who later checks a document and receipt.
 */

const sha256 = (bytes: string | Buffer) => `0x${createHash('sha256').update(bytes).digest('hex')}`;

describe('electronic signatures with the citizen card', () => {
  let p: TestPlatform;
  const clock = new FixedClock(new Date());
  const holder = walletKey();
  let card: string;

  beforeAll(async () => {
    p = await startTestPlatform('e-signature', { clock, verifierEnv: { STATUS_LIST_MAX_CACHE_SECONDS: '0' } });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    card = await issueSdJwtCitizenCard(p, holder.jwk);
    await p.worker.runOnce();
  });
  afterAll(async () => {
    await p?.stop();
  });

  async function newRequest(document: Buffer, fileName = '임대차계약서.pdf', extra: Record<string, unknown> = {}) {
    const res = await postJson(`${p.verifier.url}/signatures/requests`, { documentHash: sha256(document), fileName, mediaType: 'application/pdf', ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { requestId: string; requestLink: string; walletLink: string; qrSvg: string; expiresAt: string };
  }

  /** The wallet: reads the request, and answers with the card (binding the transaction data unless told not to). */
  async function sign(requestLink: string, sdJwt = card, key: WalletKey = holder, options: { bind?: boolean; transactionData?: string[] } = {}) {
    const link = new URL(requestLink);
    const clientId = link.searchParams.get('client_id')!;
    const request = decodeJwt(await (await fetch(link.searchParams.get('request_uri')!)).text()) as Record<string, any>;
    const query = request['dcql_query'].credentials[0];
    const disclose: string[] = (query.claims ?? []).map((c: { path: string[] }) => c.path[0]);
    const transactionData = options.transactionData ?? (options.bind === false ? undefined : (request['transaction_data'] as string[]));
    const presentation = await presentSdJwt(sdJwt, { disclose, kb: { signer: key.signer, nonce: request['nonce'], aud: clientId, iat: clock.now(), ...(transactionData ? { transactionData } : {}) } });
    const res = await fetch(request['response_uri'], {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify({ [query.id]: [presentation] }), state: request['state'] }).toString(),
    });
    return { status: res.status, body: await res.json(), request, query, disclose };
  }

  const status = async (id: string) => (await getJson(`${p.verifier.url}/signatures/requests/${id}`)).body;
  const verify = async (body: Record<string, unknown>) => postJson(`${p.verifier.url}/signatures/verify`, body);

  it('signs a document: the request carries it as transaction_data, the wallet binds it, the receipt verifies, and a tampered document is refused', async () => {
    const document = Buffer.from('%PDF-1.7 임대차계약서 — 보증금 1억 원');
    const created = await newRequest(document);
    expect(created.requestLink).toMatch(/^openid4vp:\/\/\?/);
    expect(created.qrSvg).toContain('<svg');

    const signed = await sign(created.requestLink);
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    // The request asks for the card and no claim; its transaction data names the document.
    expect(signed.query).toMatchObject({ id: 'SeoulCitizenCard', format: 'dc+sd-jwt' });
    expect(signed.query.claims).toBeUndefined();
    expect(signed.request['transaction_data']).toHaveLength(1);
    const data = readDocumentSignature(signed.request['transaction_data'][0]);
    expect(data).toMatchObject({ ok: true, value: { type: DOCUMENT_SIGNATURE_TRANSACTION_TYPE, credential_ids: ['SeoulCitizenCard'], document_hash: sha256(document), file_name: '임대차계약서.pdf', media_type: 'application/pdf' } });

    const state = await status(created.requestId);
    expect(state.state).toBe('fulfilled');
    expect(state.receiptHash).toBe(sha256(state.receipt));
    const receipt: string = state.receipt;

    // The receipt verifies with the published JWKS, and holds no personal data beyond the holder key.
    const jwks = (await getJson(`${p.verifier.url}/signatures/jwks`)).body;
    const { payload, protectedHeader } = await jwtVerify(receipt, createLocalJWKSet(jwks), { typ: 'citycred-signature-receipt+jwt' });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ jti: created.requestId, document: { hash: sha256(document), fileName: '임대차계약서.pdf', mediaType: 'application/pdf' }, holder: { did: holder.did }, card: { type: 'SeoulCitizenCard' } });
    expect(payload['disclosed']).toBeUndefined();
    expect(decodeJwt(payload['kbJwt'] as string)).toMatchObject({ nonce: payload['nonce'], transaction_data_hashes: [expect.any(String)], transaction_data_hashes_alg: 'sha-256' });
    for (const personal of ['홍길동', 'personId', 'birthDate', 'residence']) expect(JSON.stringify(payload)).not.toContain(personal);

    const ok = await verify({ documentHash: sha256(document), receipt });
    expect(ok.status).toBe(200);
    expect(ok.body.valid).toBe(true);
    expect(Object.fromEntries(ok.body.checks.map((c: { id: string; status: string }) => [c.id, c.status]))).toEqual({
      'receipt-signature': 'passed',
      'document-hash': 'passed',
      'holder-signature': 'passed',
      'card-valid-at-signing': 'passed',
      // Queued for anchoring with the receipt; test/e2e/digest-anchoring.e2e.spec.ts follows it onto the chain.
      'receipt-anchored': 'pending',
    });
    // The file itself (base64) instead of its hash.
    expect((await verify({ document: document.toString('base64'), receipt })).body.valid).toBe(true);

    // One byte changed: refused, with the reason.
    const tampered = Buffer.from(document);
    tampered[tampered.length - 1] ^= 1;
    const altered = await verify({ document: tampered.toString('base64'), receipt });
    expect(altered.status).toBe(200);
    expect(altered.body.valid).toBe(false);
    expect(altered.body.checks.find((c: { id: string }) => c.id === 'document-hash')).toMatchObject({ status: 'failed', detail: expect.stringMatching(/not the one signed/) });

    // The request is closed: its request object is gone (410), and a replayed answer is refused.
    const closed = await fetch(new URL(created.requestLink).searchParams.get('request_uri')!);
    expect(closed.status).toBe(410);
    const replay = await fetch(signed.request['response_uri'], {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify({ SeoulCitizenCard: ['x~'] }), state: signed.request['state'] }).toString(),
    });
    expect(replay.status).toBe(400);
  });

  it('refuses a tampered receipt, and one from another key', async () => {
    const document = Buffer.from('contract B');
    const created = await newRequest(document, 'contract-b.txt');
    expect((await sign(created.requestLink)).status).toBe(200);
    const receipt: string = (await status(created.requestId)).receipt;
    const [header, body, signature] = receipt.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8'));
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...payload, document: { ...payload.document, hash: sha256('other') } })).toString('base64url')}.${signature}`;
    const refused = await verify({ documentHash: sha256('other'), receipt: forged });
    expect(refused.status).toBe(200);
    expect(refused.body.valid).toBe(false);
    expect(refused.body.checks[0]).toMatchObject({ id: 'receipt-signature', status: 'failed' });
    expect(refused.body.checks.slice(1, 4).map((c: { status: string }) => c.status)).toEqual(['skipped', 'skipped', 'skipped']);
    const garbage = await verify({ documentHash: sha256(document), receipt: 'a.b.c' });
    expect(garbage.body).toMatchObject({ valid: false, checks: [{ id: 'receipt-signature', status: 'failed' }, ...[1, 2, 3].map(() => expect.anything()), expect.anything()] });
  });

  it('refuses a presentation that does not bind the document (no or other transaction_data_hashes)', async () => {
    const created = await newRequest(Buffer.from('unbound'), 'unbound.pdf');
    const unbound = await sign(created.requestLink, card, holder, { bind: false });
    expect(unbound.status).toBe(200);
    const state = await status(created.requestId);
    expect(state.state).toBe('failed');
    expect(state.receipt).toBeUndefined();
    expect(state.errors.join(' ')).toMatch(/transaction_data_hashes/);

    const other = await newRequest(Buffer.from('other doc'), 'other.pdf');
    const wrong = await newRequest(Buffer.from('wrong doc'), 'wrong.pdf');
    const wrongData = decodeJwt(await (await fetch(new URL(wrong.requestLink).searchParams.get('request_uri')!)).text())['transaction_data'] as string[];
    expect((await sign(other.requestLink, card, holder, { transactionData: wrongData })).status).toBe(200);
    const otherState = await status(other.requestId);
    expect(otherState.state).toBe('failed');
    expect(otherState.errors.join(' ')).toMatch(/signed other data/);
  });

  it('a revoked card cannot sign; a card revoked after signing leaves the signature valid, even years later', async () => {
    const city = p.tenants.get('seoul-citizen')!;
    const revoke = async (sdJwt: string) => {
      const payload = decodeJwt(sdJwt.split('~')[0]!);
      const res = await postJson(`${p.issuer.url}/credentials/status`, { credentialId: payload['jti'] ?? payload['id'], credentialStatus: { type: 'TokenStatusList', statusPurpose: 'revocation' }, status: true }, { authorization: `Bearer ${city.apiKey}` });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      await p.worker.runOnce();
    };

    // A card signs, then is revoked: its receipt still verifies.
    const signerKey = walletKey();
    const signerCard = await issueSdJwtCitizenCard(p, signerKey.jwk);
    await p.worker.runOnce();
    const document = Buffer.from('signed before revocation');
    const created = await newRequest(document, 'before.txt', { withName: true });
    const signed = await sign(created.requestLink, signerCard, signerKey);
    expect(signed.disclose).toEqual(['name']);
    const state = await status(created.requestId);
    expect(state.state).toBe('fulfilled');
    expect(decodeJwt(state.receipt)['disclosed']).toEqual({ name: expect.any(String) });
    await revoke(signerCard);

    // Revoked: cannot sign.
    const refusedRequest = await newRequest(Buffer.from('after revocation'), 'after.txt');
    expect((await sign(refusedRequest.requestLink, signerCard, signerKey)).status).toBe(200);
    const refused = await status(refusedRequest.requestId);
    expect(refused.state).toBe('failed');
    expect(refused.receipt).toBeUndefined();
    expect(refused.errors.join(' ')).toMatch(/revoked/);

    // Years later (the card long expired and revoked), the earlier signature still verifies.
    const now = clock.now();
    try {
      clock.set(new Date(now.getTime() + 20 * 365 * 24 * 3600 * 1000));
      const later = await verify({ documentHash: sha256(document), receipt: state.receipt });
      expect(later.body.valid, JSON.stringify(later.body)).toBe(true);
    } finally {
      clock.set(now);
    }
  });

  it('answers problem+json for bad input', async () => {
    for (const body of [{}, { documentHash: 'abc', fileName: 'a.pdf', mediaType: 'application/pdf' }, { documentHash: sha256('x'), fileName: 'a\u0007.pdf', mediaType: 'application/pdf' }, { documentHash: sha256('x'), fileName: 'a.pdf', mediaType: 'pdf' }, { documentHash: sha256('x'), fileName: 'a.pdf', mediaType: 'application/pdf', extra: 1 }]) {
      const res = await postJson(`${p.verifier.url}/signatures/requests`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.type).toContain('application/problem+json');
      expect(res.body.type).toMatch(/request\.invalid$/);
    }
    const unknown = await getJson(`${p.verifier.url}/signatures/requests/00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.type).toMatch(/signature\.request-not-found$/);
    expect((await getJson(`${p.verifier.url}/signatures/requests/not-a-uuid`)).status).toBe(404);
    for (const body of [{}, { documentHash: sha256('x') }, { documentHash: sha256('x'), receipt: 'not a jws' }, { document: '***', receipt: 'a.b.c' }]) {
      const res = await postJson(`${p.verifier.url}/signatures/verify`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.type).toMatch(/request\.invalid$/);
    }
  });
});
