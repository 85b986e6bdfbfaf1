import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FixedClock } from '@citycred/config';
import { presentSdJwt } from '@citycred/formats';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { issueSdJwtCitizenCard, walletKey } from '../support/wallet.js';

/*
 * Signature receipts anchored through the city issuer's anchoring (ADR 0015): the verifier queues a receipt's hash
 * with the receipt, its outbox hands it to the issuer's `POST /anchors/digests` with the city tenant's key (through a
 * relay here, so the issuer can be "down" for the verifier alone), the issuer's worker anchors it, and
 * `POST /signatures/verify` reports `receipt-anchored` pending, then passed with the block and its time.
 */

const sha256 = (bytes: string | Buffer) => `0x${createHash('sha256').update(bytes).digest('hex')}`;

/** A relay in front of the issuer that can drop every connection (the issuer is down, as the verifier sees it). */
function issuerRelay(): { server: Server; target: { url: string }; down: { value: boolean } } {
  const target = { url: '' };
  const down = { value: false };
  const server = createServer((req, res) => {
    if (down.value) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type']) if (typeof req.headers[name] === 'string') headers[name] = req.headers[name];
      fetch(`${target.url}${req.url}`, { method: req.method!, headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}), redirect: 'manual' })
        .then(async (upstream) => {
          res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
          res.end(Buffer.from(await upstream.arrayBuffer()));
        })
        .catch(() => req.socket.destroy());
    });
  });
  return { server, target, down };
}

describe('signature receipts anchored through the city issuer (ADR 0015)', () => {
  let p: TestPlatform;
  const clock = new FixedClock(new Date());
  const holder = walletKey();
  let card: string;
  const relay = issuerRelay();
  let cityKey: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
    const relayUrl = `http://127.0.0.1:${(relay.server.address() as AddressInfo).port}`;
    p = await startTestPlatform('digest-anchoring', { clock, verifierEnv: { STATUS_LIST_MAX_CACHE_SECONDS: '0', ANCHOR_DIGEST_URL: relayUrl } });
    relay.target.url = p.issuer.url;
    cityKey = p.tenants.get('seoul-citizen')!.apiKey;
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    card = await issueSdJwtCitizenCard(p, holder.jwk);
    await p.worker.runOnce();
  });
  afterAll(async () => {
    await p?.stop();
    relay.server.closeAllConnections();
    await new Promise((resolve) => relay.server.close(resolve));
  });

  /** Has the citizen sign `document` from the wallet; answers the receipt and its hash. */
  async function signed(document: Buffer, fileName: string): Promise<{ receipt: string; receiptHash: string }> {
    const created = await postJson(`${p.verifier.url}/signatures/requests`, { documentHash: sha256(document), fileName, mediaType: 'application/pdf' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const link = new URL(created.body.requestLink);
    const request = decodeJwt(await (await fetch(link.searchParams.get('request_uri')!)).text()) as Record<string, any>;
    const query = request['dcql_query'].credentials[0];
    const presentation = await presentSdJwt(card, { disclose: [], kb: { signer: holder.signer, nonce: request['nonce'], aud: link.searchParams.get('client_id')!, iat: clock.now(), transactionData: request['transaction_data'] } });
    const answered = await fetch(request['response_uri'], {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify({ [query.id]: [presentation] }), state: request['state'] }).toString(),
    });
    expect(answered.status).toBe(200);
    const state = (await getJson(`${p.verifier.url}/signatures/requests/${created.body.requestId}`)).body;
    expect(state.state).toBe('fulfilled');
    return { receipt: state.receipt, receiptHash: state.receiptHash };
  }

  const anchoredCheck = async (document: Buffer, receipt: string) => {
    const res = await postJson(`${p.verifier.url}/signatures/verify`, { documentHash: sha256(document), receipt });
    expect(res.status).toBe(200);
    return { valid: res.body.valid as boolean, check: res.body.checks.find((c: { id: string }) => c.id === 'receipt-anchored') };
  };
  const outbox = () => p.verifier.runtime.digestAnchoring.runOnce();

  it('anchors a receipt: pending when signed and while queued at the issuer, passed with its block once the issuer anchored it', async () => {
    const document = Buffer.from('%PDF-1.7 위임장');
    const { receipt, receiptHash } = await signed(document, '위임장.pdf');

    const queued = await anchoredCheck(document, receipt);
    expect(queued.valid).toBe(true);
    expect(queued.check).toMatchObject({ status: 'pending', detail: expect.stringMatching(/not yet handed to the city issuer/) });
    // The issuer does not know it yet.
    expect((await getJson(`${p.issuer.url}/anchors/proofs/${receiptHash}`)).status).toBe(404);

    expect(await outbox()).toMatchObject({ submitted: 1, retrying: 0 });
    expect((await getJson(`${p.issuer.url}/anchors/proofs/${receiptHash}`)).status).toBe(202);
    expect((await anchoredCheck(document, receipt)).check).toMatchObject({ status: 'pending', detail: expect.stringMatching(/in the city issuer's queue/) });

    const run = await p.worker.runOnce();
    expect(run.anchored).toBeGreaterThanOrEqual(1);
    const proof = (await getJson(`${p.issuer.url}/anchors/proofs/${receiptHash}`)).body;
    expect(proof).toMatchObject({ status: 'anchored', root: expect.any(String), blockNumber: expect.any(Number) });
    const block = await p.provider.getBlock(proof.blockNumber);
    const anchored = await anchoredCheck(document, receipt);
    expect(anchored.valid).toBe(true);
    expect(anchored.check).toMatchObject({
      status: 'passed',
      anchor: { block: proof.blockNumber, time: new Date(block!.timestamp * 1000).toISOString(), root: proof.root, issuer: p.tenants.get('seoul-citizen')!.did, chainId: expect.any(Number) },
    });
    expect(await outbox()).toMatchObject({ submitted: 0, retrying: 0 });
    expect(await p.verifier.runtime.digestAnchoring.status(receiptHash as `0x${string}`)).toMatchObject({ state: 'anchored', kind: 'signature-receipt', block: proof.blockNumber });
  });

  it('keeps a receipt pending while the issuer is down, and hands it over on a later run', async () => {
    const document = Buffer.from('%PDF-1.7 동의서');
    const { receipt, receiptHash } = await signed(document, '동의서.pdf');
    relay.down.value = true;
    expect(await outbox()).toMatchObject({ submitted: 0, retrying: 1 });
    expect(await outbox()).toMatchObject({ submitted: 0, retrying: 1 });
    const waiting = await anchoredCheck(document, receipt);
    expect(waiting.valid).toBe(true);
    expect(waiting.check).toMatchObject({ status: 'pending', detail: expect.stringMatching(/could not be reached/) });
    expect(await p.verifier.runtime.digestAnchoring.status(receiptHash as `0x${string}`)).toMatchObject({ state: 'pending', submitted: false, attempts: 2 });

    relay.down.value = false;
    expect(await outbox()).toMatchObject({ submitted: 1, retrying: 0 });
    await p.worker.runOnce();
    expect((await anchoredCheck(document, receipt)).check).toMatchObject({ status: 'passed' });
  });

  it('takes a digest once per tenant and kind, with the city tenant key, and answers problems for what it does not take', async () => {
    const digest = sha256('a petition tally');
    const post = (body: unknown, key: string | null = cityKey) => postJson(`${p.issuer.url}/anchors/digests`, body, key === null ? {} : { authorization: `Bearer ${key}` });

    const first = await post({ kind: 'petition-tally', digest });
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.body).toEqual({ digest, kind: 'petition-tally', type: 'PetitionTally', issuer: p.tenants.get('seoul-citizen')!.did, status: 'pending', enqueuedAt: expect.any(String) });
    const again = await post({ kind: 'petition-tally', digest });
    expect(again.status).toBe(202);
    expect(again.body.enqueuedAt).toBe(first.body.enqueuedAt);
    await p.worker.runOnce();
    expect((await post({ kind: 'petition-tally', digest })).body.status).toBe('anchored');

    const conflict = await post({ kind: 'signature-receipt', digest });
    expect(conflict).toMatchObject({ status: 409, type: expect.stringContaining('application/problem+json'), body: { code: 'anchor.digest-conflict' } });

    for (const bad of ['0x1234', digest.toUpperCase().replace('0X', '0x'), digest.slice(2), 42]) {
      const refused = await post({ kind: 'signature-receipt', digest: bad });
      expect(refused).toMatchObject({ status: 400, type: expect.stringContaining('application/problem+json'), body: { code: 'anchor.invalid-hash' } });
    }
    for (const bad of [{ kind: 'credential', digest }, { digest }, { kind: 'petition-tally', digest, tenant: 'other' }, [digest]]) {
      const refused = await post(bad);
      expect(refused).toMatchObject({ status: 400, type: expect.stringContaining('application/problem+json'), body: { code: 'request.invalid' } });
    }

    expect(await post({ kind: 'signature-receipt', digest: sha256('x') }, 'ccd_' + 'A'.repeat(43))).toMatchObject({ status: 401, body: { code: 'auth.invalid-api-key' } });
    expect(await post({ kind: 'signature-receipt', digest: sha256('y') }, null)).toMatchObject({ status: 401, body: { code: 'auth.missing-api-key' } });

    // A tenant the city does not accredit for the record type.
    const education = await post({ kind: 'signature-receipt', digest: sha256('not the city') }, p.tenants.get('education-office')!.apiKey);
    expect(education).toMatchObject({ status: 403, type: expect.stringContaining('application/problem+json'), body: { code: 'anchor.digest-not-accredited', recordType: 'SignatureReceipt' } });
    expect((await getJson(`${p.issuer.url}/anchors/proofs/${sha256('not the city')}`)).status).toBe(404);
  });
});
