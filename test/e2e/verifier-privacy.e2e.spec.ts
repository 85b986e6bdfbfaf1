import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { credentialHash } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';

/*
 * "The issuer's logs show no request per verification": the verifier reaches the issuer's anchoring through a relay
 * that records every request, and verifies anchored and queued credentials; the relay sees whole batches and whole
 * queues asked for, never a credential.
 */
describe('the verifier never asks the issuer about one credential', () => {
  let p: TestPlatform;
  let relay: Server;
  const seen: string[] = [];
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    let issuerUrl = '';
    relay = createServer((req, res) => {
      seen.push(req.url ?? '');
      void fetch(`${issuerUrl}${req.url}`).then(
        async (answer) => {
          const headers: Record<string, string> = {};
          for (const name of ['content-type', 'cache-control', 'etag', 'retry-after']) {
            const value = answer.headers.get(name);
            if (value) headers[name] = value;
          }
          res.writeHead(answer.status, headers).end(Buffer.from(await answer.arrayBuffer()));
        },
        () => res.writeHead(502).end(),
      );
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
    p = await startTestPlatform('verifier_privacy', { clock, verifierEnv: { ANCHOR_PROOF_URL: relayUrl } });
    issuerUrl = p.issuer.url;
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
  });
  afterAll(async () => {
    await p?.stop();
    await new Promise<void>((resolve) => relay.close(() => resolve()));
  });

  it('verifies anchored and queued credentials from whole batches and the whole queue', async () => {
    const city = p.tenants.get('seoul-citizen')!;
    const issue = async () => {
      const res = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${city.apiKey}` });
      expect(res.status).toBe(201);
      return res.body.verifiableCredential;
    };
    const verify = (vc: unknown) => postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: vc });
    const anchoredOnes = [await issue(), await issue(), await issue()];
    expect((await p.worker.runOnce()).anchored).toBeGreaterThan(0);
    const queued = await issue();

    for (const vc of anchoredOnes) {
      const res = await verify(vc);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.checks.find((c: { id: string }) => c.id === 'anchor').status).toBe('passed');
    }
    const pending = await verify(queued);
    expect(pending.body.checks.find((c: { id: string }) => c.id === 'anchor').status).toBe('pending');

    const hashes = [...anchoredOnes, queued].map((vc) => credentialHash(vc.proof.jwt).slice(2));
    expect(seen.length).toBeGreaterThan(0);
    for (const path of seen) {
      expect(path).not.toMatch(/\/anchors\/proofs\//);
      for (const hash of hashes) expect(path.toLowerCase()).not.toContain(hash);
    }
    // The listing of the day and the batch's leaves, once each for the three anchored credentials.
    expect(seen.filter((path) => path.endsWith('/leaves'))).toHaveLength(1);
  });
});
