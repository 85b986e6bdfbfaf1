import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secp256k1Signer } from '@citycred/did';
import { signCompactJws, vcJwtFormat, type JwsSigner } from '@citycred/formats';
import { bitstringStatusListCredential, bitstringStatusListEntry, createBitstring } from '@citycred/status-list';
import { getBytes, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { walletKey } from '../support/wallet.js';

/*
 * What a credential can make the verifier fetch (docs/verification-policy.md, "Outbound requests"). Two local HTTP
 * servers record every request: `trusted` is an internal issuer the verifier is told to trust
 * (VERIFIER_FETCH_ALLOWED_ORIGINS), `internal` is any other service on the verifier's host. Credentials come from
 * issuers outside the city registry (the `open` policy, where anyone may sign): a did:ethr the city never
 * accredited, and a wallet-style did:jwk. Each case uses list paths of its own, so cases share no cached list.
 *
 * - Order: a list URL is fetched only once the credential's signature holds (and, under the city's policies, its
 *   issuer is accredited): the same credential with a broken signature, or signed by someone else, leaves no trace.
 * - Where: a URL outside the allowed origins that is plain http or names (or resolves to) a non-public address is
 *   never requested; the status check fails and says why — a 400, never a 500, never verified.
 */

type Answer = { status: number; type: string; body: any };
const statusOf = (res: Answer, id: string): string | undefined => res.body?.checks?.find((c: { id: string }) => c.id === id)?.status;
const detailOf = (res: Answer, id: string): string => res.body?.checks?.find((c: { id: string }) => c.id === id)?.detail ?? '';

/** A local HTTP server that records the path of every request and answers from its routes (404 otherwise). */
interface Recorder {
  origin: string;
  port: number;
  hits: string[];
  routes: Map<string, (req: IncomingMessage, res: ServerResponse) => void>;
  close(): Promise<void>;
}

async function recorder(): Promise<Recorder> {
  const hits: string[] = [];
  const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const route = routes.get(req.url ?? '');
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    hits,
    routes,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Replaces one character in the middle of the JWS signature of `compact` (the issuer-signed part of an SD-JWT). */
function tamperSignature(compact: string): string {
  const [jwt, ...rest] = compact.split('~');
  const at = jwt!.lastIndexOf('.') + 10;
  return [`${jwt!.slice(0, at)}${jwt![at] === 'A' ? 'B' : 'A'}${jwt!.slice(at + 1)}`, ...rest].join('~');
}

describe('outbound requests: what a credential can make the verifier fetch', () => {
  let p: TestPlatform;
  let trusted: Recorder;
  let internal: Recorder;
  /** The city network's did:ethr prefix. */
  let didPrefix: string;

  beforeAll(async () => {
    trusted = await recorder();
    internal = await recorder();
    p = await startTestPlatform('outbound_requests', { verifierEnv: { VERIFIER_FETCH_ALLOWED_ORIGINS: trusted.origin } });
    const city = p.tenants.get('seoul-citizen')!.did;
    didPrefix = city.slice(0, city.lastIndexOf(':'));
  });
  afterAll(async () => {
    await p?.stop();
    await trusted?.close();
    await internal?.close();
  });

  const verify = (vc: unknown, policy?: string): Promise<Answer> => postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: vc, ...(policy ? { options: { policy } } : {}) });
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const nowIso = () => `${new Date().toISOString().slice(0, 19)}Z`;
  const hitsOn = (server: Recorder, path: string) => server.hits.filter((hit) => hit === path).length;

  /** An issuer outside the city registry with a did:ethr on the city network: it resolves, but nobody accredited it. */
  function strangerIssuer(): { did: string; signer: JwsSigner } {
    const wallet = Wallet.createRandom();
    const did = `${didPrefix}:${wallet.address}`;
    return { did, signer: new Secp256k1Signer({ privateKey: getBytes(wallet.privateKey), kid: `${did}#controller` }) };
  }

  /** A vc+jwt `LibraryCard` whose revocation entry names `listUrl`, signed by `signer` for `did`. */
  function libraryCard(did: string, signer: JwsSigner, listUrl: string): Promise<string> {
    const credential = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiableCredential', 'LibraryCard'],
      issuer: did,
      validFrom: nowIso(),
      credentialSubject: { member: true },
      credentialStatus: bitstringStatusListEntry({ listUrl, index: 42, purpose: 'revocation' }),
    };
    return signCompactJws({ alg: signer.alg, typ: 'vc+jwt', cty: 'vc', kid: signer.kid }, { ...credential, iat: nowSeconds() }, signer);
  }

  /** An SD-JWT VC `LibraryCard` (nothing selectively disclosed) whose Token Status List reference names `uri`. */
  function sdJwtLibraryCard(did: string, signer: JwsSigner, uri: string): Promise<string> {
    const payload = { iss: did, iat: nowSeconds(), vct: 'LibraryCard', member: true, status: { status_list: { idx: 42, uri } }, _sd_alg: 'sha-256', _sd: [] };
    return signCompactJws({ alg: signer.alg, typ: 'dc+sd-jwt', kid: signer.kid }, payload, signer).then((jwt) => `${jwt}~`);
  }

  /** Has `server` serve at `path` an empty revocation list for `did`, signed by `signer`. */
  async function serveList(server: Recorder, path: string, did: string, signer: JwsSigner): Promise<string> {
    const url = `${server.origin}${path}`;
    const list = bitstringStatusListCredential({ url, issuer: did, purpose: 'revocation', list: createBitstring(), validFrom: new Date(Date.now() - 60_000) });
    const signed = await vcJwtFormat.sign({ credential: list as unknown as Record<string, unknown> }, signer);
    server.routes.set(path, (_req, res) => res.writeHead(200, { 'content-type': 'application/vc+jwt', 'cache-control': 'max-age=60' }).end(signed.encoded));
    return url;
  }

  describe('order: nothing is fetched for a signature that does not hold', () => {
    it('fetches the list of an allowed origin only for the intact credential, never for the same one tampered or forged', async () => {
      const { did, signer } = strangerIssuer();
      const url = await serveList(trusted, '/order/lists/1', did, signer);
      const genuine = await libraryCard(did, signer, url);
      // Someone else signs the same claims in the stranger's name, naming the stranger's key.
      const forged = await libraryCard(did, new Secp256k1Signer({ privateKey: getBytes(Wallet.createRandom().privateKey), kid: signer.kid }), url);

      for (const bad of [tamperSignature(genuine), forged]) {
        const res = await verify(bad, 'open');
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(statusOf(res, 'signature')).toBe('failed');
        expect(statusOf(res, 'status')).toBe('skipped');
        expect(res.body.warnings).toContain('credential status was not checked');
      }
      expect(hitsOn(trusted, '/order/lists/1')).toBe(0);

      const good = await verify(genuine, 'open');
      expect(good.status, JSON.stringify(good.body)).toBe(200);
      expect(statusOf(good, 'status')).toBe('passed');
      expect(hitsOn(trusted, '/order/lists/1')).toBe(1);
    });

    it('fetches nothing under the city policy for a valid signature of an issuer the city does not accredit', async () => {
      const { did, signer } = strangerIssuer();
      const url = await serveList(trusted, '/order/lists/2', did, signer);
      const card = await libraryCard(did, signer, url);
      const city = await verify(card);
      expect(city.status).toBe(400);
      expect(statusOf(city, 'signature')).toBe('passed');
      expect(statusOf(city, 'issuer-accreditation')).toBe('failed');
      expect(statusOf(city, 'status')).toBe('skipped');
      expect(hitsOn(trusted, '/order/lists/2')).toBe(0);
      // The same credential under open, where its issuer counts once its signature holds: now the list is read.
      expect((await verify(card, 'open')).status).toBe(200);
      expect(hitsOn(trusted, '/order/lists/2')).toBe(1);
    });

    it('fetches no status list token for a tampered SD-JWT VC of a did:jwk issuer', async () => {
      const { did, signer } = walletKey();
      trusted.routes.set('/order/tokens/1', (_req, res) => res.writeHead(200).end('not read'));
      const res = await verify(tamperSignature(await sdJwtLibraryCard(did, signer, `${trusted.origin}/order/tokens/1`)), 'open');
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(statusOf(res, 'signature')).toBe('failed');
      expect(statusOf(res, 'status')).toBe('skipped');
      expect(hitsOn(trusted, '/order/tokens/1')).toBe(0);
    });
  });

  describe('where: a list URL outside the allowed origins reaches nothing', () => {
    it.each([
      ['plain http to a loopback port', (port: number) => `http://127.0.0.1:${port}/where/1`, 'it names a loopback address'],
      ['https to a loopback port', (port: number) => `https://127.0.0.1:${port}/where/2`, 'it names a loopback address'],
      ['localhost, which resolves to loopback', (port: number) => `https://localhost:${port}/where/3`, 'its host resolves to a loopback address'],
      ['127.0.0.1 mapped into IPv6', (port: number) => `http://[::ffff:127.0.0.1]:${port}/where/4`, 'it names a loopback address'],
      ['127.0.0.1 written as one decimal number', (port: number) => `http://2130706433:${port}/where/5`, 'it names a loopback address'],
      ['a user name and password', (port: number) => `https://admin:secret@localhost:${port}/where/6`, 'it carries a user name or password'],
      ['plain http to a host name', (port: number) => `http://localhost:${port}/where/7`, 'it is plain http, which is fetched only from the allowed origins (VERIFIER_FETCH_ALLOWED_ORIGINS)'],
      ['the cloud metadata service', () => 'http://169.254.169.254/latest/meta-data/iam', 'it names a link-local address'],
      ['a private network', () => 'https://10.0.0.7:8443/admin', 'it names a private address'],
    ])('refuses %s without a request, failing the status check with the reason', async (_what, urlFor, reason) => {
      const { did, signer } = walletKey();
      const url = urlFor(internal.port);
      const res = await verify(await libraryCard(did, signer, url), 'open');
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.verified).toBe(false);
      expect(statusOf(res, 'signature')).toBe('passed');
      expect(statusOf(res, 'status')).toBe('failed');
      expect(detailOf(res, 'status')).toBe(`the issuer's revocation list was not fetched: its URL is refused (${reason})`);
      expect(res.body.errors).toContain(`status: ${detailOf(res, 'status')}`);
      expect(hitsOn(internal, new URL(url).pathname)).toBe(0);
    });

    it("refuses an SD-JWT VC's status list token at the verifier's own database port", async () => {
      const { did, signer } = walletKey();
      const res = await verify(await sdJwtLibraryCard(did, signer, 'https://localhost:5432/'), 'open');
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(statusOf(res, 'signature')).toBe('passed');
      expect(detailOf(res, 'status')).toBe("the issuer's status list token was not fetched: its URL is refused (its host resolves to a loopback address)");
    });

    it('follows no redirect from an allowed origin to an internal one', async () => {
      const { did, signer } = strangerIssuer();
      trusted.routes.set('/where/redirect', (_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${internal.port}/where/redirected` }).end());
      const res = await verify(await libraryCard(did, signer, `${trusted.origin}/where/redirect`), 'open');
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(detailOf(res, 'status')).toBe("the issuer's revocation list was not fetched: its URL is refused (it redirects to a URL that is refused: it names a loopback address)");
      expect(hitsOn(trusted, '/where/redirect')).toBe(1);
      expect(hitsOn(internal, '/where/redirected')).toBe(0);
    });

    it('refuses an oversized list from an allowed origin cleanly: the status check fails, no 500 nor 503', async () => {
      const { did, signer } = strangerIssuer();
      trusted.routes.set('/where/huge', (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/vc+jwt' });
        // Streamed without a length, a megabyte and a bit: the verifier stops reading past its limit.
        const chunk = 'a'.repeat(64 * 1024);
        for (let i = 0; i < 17; i += 1) res.write(chunk);
        res.end();
      });
      const res = await verify(await libraryCard(did, signer, `${trusted.origin}/where/huge`), 'open');
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.verified).toBe(false);
      expect(detailOf(res, 'status')).toBe("the issuer's revocation list cannot be trusted: the list is larger than 1048576 bytes");
    });
  });
});
