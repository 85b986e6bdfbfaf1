import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FixedClock } from '@citycred/config';
import type { IssuerDirectory } from '@citycred/credentials';
import { DEMO_TENANTS } from '@citycred/tenancy';
import { startVerifier, type VerifierServer } from '@citycred/verifier';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { issueSdJwtCitizenCard, walletKey } from '../support/wallet.js';

/*
 * The city's issuer directory on a whole platform (SQLite or PostgreSQL): the issuer's public GET /issuers (every
 * tenant that issues, its names, types and status list URLs; cacheable, no API key), and the verifier's
 * GET /check/issuers, which reads it once for everyone and names only the issuers the chain accredits — also when the
 * directory lies, and on its last copy while the issuer is down (docs/issuer-directory.md).
 */

describe('the issuer directory', () => {
  let p: TestPlatform;
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    p = await startTestPlatform('issuer-directory', { clock });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
  });
  afterAll(async () => p?.stop());

  describe('GET /issuers (issuer)', () => {
    it('lists every tenant that issues, without an API key, cacheable with a strong ETag; lists appear as they open', async () => {
      const res = await send(`${p.issuer.url}/issuers`);
      expect(res.status, res.text).toBe(200);
      expect(res.type).toBe('application/json; charset=utf-8');
      expect(res.cacheControl).toBe('public, max-age=300');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
      const directory = res.body as IssuerDirectory;
      expect(directory.version).toBe(1);
      // Every demo tenant that issues: the labour department (`labor`) only accredits employers, so it is not listed.
      const issuing = DEMO_TENANTS.filter((seed) => seed.credentialTypes.length > 0);
      expect(issuing.length).toBe(DEMO_TENANTS.length - 1);
      expect(directory.issuers.map((issuer) => issuer.slug)).toEqual(issuing.map((seed) => seed.slug).sort());
      for (const seed of issuing) {
        const tenant = p.tenants.get(seed.slug)!;
        expect(directory.issuers.find((issuer) => issuer.slug === seed.slug)).toEqual({
          did: tenant.did,
          address: tenant.address,
          slug: seed.slug,
          kind: seed.kind,
          name: { ko: seed.name, en: seed.nameEn ?? null },
          credentialTypes: seed.credentialTypes,
          statusLists: { bitstring: { revocation: [], suspension: [] }, token: [] },
        });
      }
      // Unchanged: 304 for its ETag.
      const again = await send(`${p.issuer.url}/issuers`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');

      const city = p.tenants.get('seoul-citizen')!;
      const card = await issueSdJwtCitizenCard(p, walletKey().jwk);
      const issued = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${city.apiKey}` });
      expect(issued.status, JSON.stringify(issued.body)).toBe(201);
      const changed = await send(`${p.issuer.url}/issuers`, { headers: { 'if-none-match': etag } });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
      const lists = (changed.body as IssuerDirectory).issuers.find((issuer) => issuer.slug === 'seoul-citizen')!.statusLists;
      const entries = [issued.body.verifiableCredential.credentialStatus].flat() as Array<{ statusPurpose: string; statusListCredential: string }>;
      const tokenUri = JSON.parse(Buffer.from(card.split('.')[1]!, 'base64url').toString('utf8')).status.status_list.uri as string;
      expect(lists).toEqual({
        bitstring: {
          revocation: entries.filter((e) => e.statusPurpose === 'revocation').map((e) => e.statusListCredential),
          suspension: entries.filter((e) => e.statusPurpose === 'suspension').map((e) => e.statusListCredential),
        },
        token: [tokenUri],
      });
      for (const url of [...lists.bitstring.revocation, ...lists.bitstring.suspension, ...lists.token]) expect((await send(url)).status, url).toBe(200);
      // Organisations only: nothing of a person, no key.
      expect(changed.text).not.toContain(citizenCardSubject.name);
      expect(changed.text).not.toContain(city.apiKey.slice(0, 12));
    });

    it('answers a query parameter with problem+json, and is in the OpenAPI document', async () => {
      const res = await send(`${p.issuer.url}/issuers?slug=seoul-citizen`);
      expect(res.status).toBe(400);
      expect(res.type).toContain('application/problem+json');
      expect(res.body).toMatchObject({ code: 'request.invalid', status: 400, errors: [{ pointer: '/slug' }] });
      const docs = await send(`${p.issuer.url}/docs/json`);
      expect(Object.keys(docs.body.paths)).toContain('/issuers');
    });
  });

  describe('GET /check/issuers (verifier)', () => {
    it('names the issuers the city accredits, from the issuer’s directory, in one document', async () => {
      const res = await send(`${p.verifier.url}/check/issuers`);
      expect(res.status, res.text).toBe(200);
      expect(res.cacheControl).toBe('public, max-age=60');
      expect(res.body).toMatchObject({ didNetwork: 'citycred', block: expect.any(Number), readAt: clock.now().toISOString(), directoryFetchedAt: clock.now().toISOString() });
      // Every demo tenant that issues is accredited on chain for its types (the app operator for its own); `labor`
      // issues nothing itself (it accredits employers), so the directory does not name it.
      expect(res.body.issuers).toEqual(
        DEMO_TENANTS.filter((seed) => seed.credentialTypes.length > 0)
          .map((seed) => seed.slug)
          .sort()
          .map((slug) => {
            const seed = DEMO_TENANTS.find((t) => t.slug === slug)!;
            const tenant = p.tenants.get(slug)!;
            return { did: tenant.did, address: tenant.address.toLowerCase(), kind: seed.kind, name: { ko: seed.name, en: seed.nameEn ?? null } };
          }),
      );
      const bad = await send(`${p.verifier.url}/check/issuers?did=did:ethr:citycred:0x0`);
      expect(bad.status).toBe(400);
      expect(bad.type).toContain('application/problem+json');
      expect(bad.body).toMatchObject({ code: 'request.invalid', status: 400 });
      const docs = await send(`${p.verifier.url}/docs/json`);
      expect(Object.keys(docs.body.paths)).toContain('/check/issuers');
    });

    describe('with a directory that lies, then an issuer that is down', () => {
      let fake: Server;
      let liar: VerifierServer;
      const liarClock = new FixedClock(new Date());
      const stranger = Wallet.createRandom().address;

      beforeAll(async () => {
        liarClock.set(clock.now());
        const real = (await send(`${p.issuer.url}/issuers`)).body as IssuerDirectory;
        const city = real.issuers.find((issuer) => issuer.slug === 'seoul-citizen')!;
        const lying: IssuerDirectory = {
          version: 1,
          issuers: [
            // A DID the chain never accredited, under the city's name.
            { ...city, slug: 'stranger', did: `did:ethr:citycred:${stranger}`, address: stranger },
            // The city's own DID, under another address: not the address the DID names.
            { ...city, slug: 'mismatch', address: stranger },
            city,
          ],
        };
        fake = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=10' }).end(JSON.stringify(lying)));
        await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
        liar = await startVerifier({ ...p.verifier.runtime.config, ANCHOR_PROOF_URL: `http://127.0.0.1:${(fake.address() as AddressInfo).port}` }, liarClock, 0);
      });
      afterAll(async () => {
        await liar?.close();
        fake?.closeAllConnections();
        await new Promise((resolve) => fake?.close(resolve));
      });

      it('names only the DIDs the chain accredits, and keeps the last answer while the issuer is down', async () => {
        const city = p.tenants.get('seoul-citizen')!;
        const expected = [{ did: city.did, address: city.address.toLowerCase(), kind: 'department', name: { ko: '서울특별시 주민등록과', en: 'Seoul Metropolitan Government — Resident Registration' } }];
        const first = await send(`${liar.url}/check/issuers`);
        expect(first.status, first.text).toBe(200);
        expect(first.body.issuers).toEqual(expected);
        // The bundle names the city's issuer only, under its own address.
        const bundle = await send(`${liar.url}/scan/offline-bundle`);
        expect(bundle.status).toBe(200);
        const payload = JSON.parse(Buffer.from(bundle.text.split('.')[1]!, 'base64url').toString('utf8')) as { issuers: Array<{ address: string; name?: unknown }> };
        expect(payload.issuers.filter((issuer) => issuer.name !== undefined).map((issuer) => [issuer.address, issuer.name])).toEqual([[city.address.toLowerCase(), expected[0]!.name]]);

        fake.closeAllConnections();
        await new Promise((resolve) => fake.close(resolve));
        liarClock.advance(120_000);
        const kept = await send(`${liar.url}/check/issuers`);
        expect(kept.status).toBe(200);
        expect(kept.body.issuers).toEqual(expected);
        expect(kept.body.directoryFetchedAt).toBe(first.body.directoryFetchedAt);
      });

      it('is 503 problem+json on a verifier whose issuer has never answered', async () => {
        // Port 9 (discard) has no listener here: connections are refused.
        const nobody = await startVerifier({ ...p.verifier.runtime.config, ANCHOR_PROOF_URL: 'http://127.0.0.1:9' }, liarClock, 0);
        try {
          const res = await send(`${nobody.url}/check/issuers`);
          expect(res.status).toBe(503);
          expect(res.type).toContain('application/problem+json');
          expect(res.body).toMatchObject({ code: 'service.unavailable', status: 503 });
          expect(res.headers.get('retry-after')).toBe('30');
        } finally {
          await nobody.close();
        }
      });
    });
  });
});
