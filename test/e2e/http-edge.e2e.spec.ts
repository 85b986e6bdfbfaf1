import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { systemClock } from '@citycred/config';
import { startIssuer } from '@citycred/issuer';
import { startVerifier } from '@citycred/verifier';
import { startWallet } from '@citycred/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, send, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { openSocket, readAnswer, sendRaw } from '../support/raw-http.js';

/*
 * Issue 13 item 5, "every error is problem+json": what Fastify's router, its body handling and Node's HTTP parser
 * answer before any route handler runs, and what a service answers while it shuts down, is RFC 9457 problem+json
 * with a stable code on the issuer, the verifier and the wallet — and never repeats the request.
 */

/** Looks like a resident registration number; it must never come back in an answer. */
const RRN = '900101-1234567';

interface Problem {
  status: number;
  type: string;
  text: string;
  body: any;
}

function expectProblem(res: Problem, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, title: expect.any(String) });
  expect(res.body.type.endsWith(`/${code}`)).toBe(true);
}

const raw = async (url: string, request: string) => {
  const answer = await sendRaw(url, request);
  return { ...answer, type: answer.headers['content-type'] ?? '' };
};

describe('the HTTP edge answers problem+json before any handler runs', () => {
  let p: TestPlatform;
  let wallet: { server: FastifyInstance; url: string };
  let apiKey: string;
  let did: string;

  beforeAll(async () => {
    p = await startTestPlatform('http_edge');
    wallet = await startWallet(0, '127.0.0.1');
    ({ apiKey, did } = p.tenants.get('seoul-citizen')!);
  });
  afterAll(async () => {
    await wallet?.server.close();
    await p?.stop();
  });

  const services = [
    { name: 'issuer', url: () => p.issuer.url, getRoute: '/health', postRoute: '/credentials/issue', paramRoute: '/anchors/proofs/' },
    { name: 'verifier', url: () => p.verifier.url, getRoute: '/health', postRoute: '/credentials/verify', paramRoute: undefined },
    { name: 'wallet', url: () => wallet.url, getRoute: '/health', postRoute: undefined, paramRoute: undefined },
  ];

  describe.each(services)('$name', (service) => {
    it('a malformed percent-encoding in the path → 400 request.malformed-url, the path not repeated', async () => {
      const res = await send(`${service.url()}${service.paramRoute ?? '/'}%zz${RRN}`);
      expectProblem(res, 400, 'request.malformed-url');
      expect(res.text).not.toContain(RRN);
      expect(res.text).not.toContain('%zz');
    });

    it('a path of 100 KB (sent raw) → 414 request.uri-too-long, not a bare 431', async () => {
      const res = await raw(service.url(), `GET /${RRN}${'a'.repeat(100 * 1024)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      expectProblem(res, 414, 'request.uri-too-long');
      expect(res.text).not.toContain(RRN);
    });

    it('header fields over the limit → 431 request.header-too-large', async () => {
      const res = await raw(service.url(), `GET ${service.getRoute} HTTP/1.1\r\nHost: localhost\r\nX-Note: ${RRN}${'a'.repeat(32 * 1024)}\r\n\r\n`);
      expectProblem(res, 431, 'request.header-too-large');
      expect(res.text).not.toContain(RRN);
    });

    it('an unknown method (FOO) → 501 request.method-not-implemented', async () => {
      const res = await raw(service.url(), `FOO ${service.getRoute} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
      expectProblem(res, 501, 'request.method-not-implemented');
    });

    it.each([
      ['a space inside the path', `GET /${RRN} x HTTP/1.1\r\nHost: localhost\r\n\r\n`],
      ['a control character in the path', `GET /${RRN}\u0001 HTTP/1.1\r\nHost: localhost\r\n\r\n`],
      ['an HTTP version that does not exist', `GET /${RRN} HTTP/9.9\r\nHost: localhost\r\n\r\n`],
      ['not HTTP at all', `${RRN}\r\n\r\n`],
      ['a header line without a colon', `GET ${'/health'} HTTP/1.1\r\nHost: localhost\r\n${RRN}\r\n\r\n`],
      ['both Content-Length and Transfer-Encoding', `POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n`],
    ])('%s → 400 request.invalid, written raw but still problem+json', async (_label, request) => {
      const res = await raw(service.url(), request);
      expectProblem(res, 400, 'request.invalid');
      expect(res.text).not.toContain(RRN);
    });

    it('an HTTP/1.1 request without Host → 400 request.invalid, not a bare 400', async () => {
      const res = await raw(service.url(), `GET ${service.getRoute} HTTP/1.1\r\n\r\n`);
      expectProblem(res, 400, 'request.invalid');
    });

    it('an Expect the server cannot meet → 417 request.expectation-failed', async () => {
      const res = await raw(service.url(), `GET ${service.getRoute} HTTP/1.1\r\nHost: localhost\r\nExpect: ${RRN}\r\n\r\n`);
      expectProblem(res, 417, 'request.expectation-failed');
      expect(res.text).not.toContain(RRN);
    });

    // (A path holding a resident registration number is refused as such, 400 request.personal-data, on the issuer and verifier.)
    it('an unknown route → 404 request.not-found that does not repeat the path', async () => {
      const res = await send(`${service.url()}/residents/kim-seoyeon-private-note?q=private-query`);
      expectProblem(res, 404, 'request.not-found');
      expect(res.text).not.toMatch(/residents|private/);
    });

    it('a known path with a method it does not accept → 405 request.method-not-allowed with Allow', async () => {
      const res = await send(`${service.url()}${service.getRoute}`, { method: 'DELETE' });
      expectProblem(res, 405, 'request.method-not-allowed');
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    });

    it('CONNECT (a proxy tunnel) → 501 request.method-not-implemented, not a silent close', async () => {
      const res = await raw(service.url(), `CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: ${RRN}\r\n\r\n`);
      expectProblem(res, 501, 'request.method-not-implemented');
      expect(res.headers['connection']).toBe('close');
      expect(res.text).not.toContain(RRN);
    });

    it('a WebSocket upgrade is answered as a plain request (the Upgrade is ignored): 200 on a route, 404 problem+json elsewhere', async () => {
      const upgrade = (path: string) =>
        raw(service.url(), `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
      expect((await upgrade(service.getRoute)).status).toBe(200);
      expectProblem(await upgrade('/socket'), 404, 'request.not-found');
    });
  });

  describe.each(services.filter((s) => s.paramRoute))('$name path parameters', (service) => {
    it('a path parameter of 10 KB → 414 request.uri-too-long, the parameter not repeated', async () => {
      const res = await send(`${service.url()}${service.paramRoute}${RRN}${'a'.repeat(10 * 1024)}`);
      expectProblem(res, 414, 'request.uri-too-long');
      expect(res.text).not.toContain(RRN);
    });
  });

  describe.each(services.filter((s) => s.postRoute))('$name POST $postRoute bodies', (service) => {
    const body = () => JSON.stringify(service.name === 'issuer' ? issueBody(did, 'SeoulCitizenCard', citizenCardSubject) : { verifiableCredential: 'x.y.z' });
    const post = (headers: Record<string, string>, payload: string | Uint8Array<ArrayBuffer> = body()) =>
      send(`${service.url()}${service.postRoute}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, ...headers }, body: payload });

    it.each([
      ['gzip with a plain JSON body', 'gzip'],
      ['deflate', 'deflate'],
      ['br', 'br'],
      ['an unknown coding', 'x-citycred'],
    ])('Content-Encoding %s → 415 request.unsupported-media-type with Accept-Encoding: identity', async (_label, coding) => {
      const res = await post({ 'content-type': 'application/json', 'content-encoding': coding });
      expectProblem(res, 415, 'request.unsupported-media-type');
      expect(res.headers.get('accept-encoding')).toBe('identity');
    });

    it('a really gzipped JSON body → 415 too (nothing is decompressed)', async () => {
      const res = await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, new Uint8Array(gzipSync(body())));
      expectProblem(res, 415, 'request.unsupported-media-type');
    });

    it.each([
      ['bytes that are not UTF-8 (FF C0 AF) inside a string', (json: Buffer) => Buffer.concat([json.subarray(0, json.indexOf('"') + 1), Buffer.from([0xff, 0xc0, 0xaf]), json.subarray(json.indexOf('"') + 1)])],
      ['an overlong encoding of "/" (C0 AF)', (json: Buffer) => Buffer.concat([json.subarray(0, json.indexOf('"') + 1), Buffer.from([0xc0, 0xaf]), json.subarray(json.indexOf('"') + 1)])],
      ['a lone surrogate encoded as UTF-8 (ED A0 80)', (json: Buffer) => Buffer.concat([json.subarray(0, json.indexOf('"') + 1), Buffer.from([0xed, 0xa0, 0x80]), json.subarray(json.indexOf('"') + 1)])],
      ['a leading byte order mark', (json: Buffer) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json])],
    ])('%s → 400 request.invalid-encoding, before any handler (nothing is decoded with U+FFFD)', async (_label, corrupt) => {
      const res = await post({ 'content-type': 'application/json' }, new Uint8Array(corrupt(Buffer.from(body()))));
      expectProblem(res, 400, 'request.invalid-encoding');
    });

    it('UTF-8 text beyond ASCII is read as it is', async () => {
      const res = await post({ 'content-type': 'application/json' }, JSON.stringify(service.name === 'issuer' ? issueBody(did, 'SeoulCitizenCard', { ...citizenCardSubject, name: '김서연 🏙' }) : { verifiableCredential: '김서연' }));
      expect(res.status, res.text).toBe(service.name === 'issuer' ? 201 : 400);
      if (service.name === 'issuer') expect(JSON.parse(Buffer.from(res.body.verifiableCredential.proof.jwt.split('.')[1], 'base64url').toString()).vc.credentialSubject.name).toBe('김서연 🏙');
    });

    it.each([
      ['application/x-www-form-urlencoded', `note=${RRN}&credential=x`],
      ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="note"\r\n\r\n${RRN}\r\n--x--\r\n`],
      ['text/plain', body()],
      ['application/xml', '<credential/>'],
      ['not a media type', body()],
    ])('a %s body → 415 request.unsupported-media-type, its content not repeated', async (contentType, payload) => {
      const res = await post({ 'content-type': contentType }, payload);
      expectProblem(res, 415, 'request.unsupported-media-type');
      expect(res.text).not.toContain(RRN);
    });

    it.each(['utf-16', 'iso-8859-1', 'UTF-16LE', '"utf-32"'])('JSON declared as charset=%s → 415 request.unsupported-media-type', async (charset) => {
      const res = await post({ 'content-type': `application/json; charset=${charset}` });
      expectProblem(res, 415, 'request.unsupported-media-type');
    });

    it('a body without any Content-Type → 415', async () => {
      const res = await send(`${service.url()}${service.postRoute}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: new Blob([body()]) });
      expectProblem(res, 415, 'request.unsupported-media-type');
    });

    it.each(['application/json', 'application/json; charset=UTF-8', 'application/json;charset="utf-8"', 'application/ld+json', 'application/json; Content-Encoding=identity'])(
      'JSON as %s is read (the refusals above are not a blanket one)',
      async (contentType) => {
        const res = await post({ 'content-type': contentType, 'content-encoding': 'identity' });
        expect(res.status, res.text).not.toBe(415);
        expect([200, 201, 400]).toContain(res.status);
        // The issue request is valid: read as JSON, it is issued.
        if (service.name === 'issuer') expect(res.status, res.text).toBe(201);
        if (res.status === 400) expect(res.body.code).not.toMatch(/^request\.(malformed-json|unsupported-media-type)$/);
      },
    );
  });

  describe('shutting down', () => {
    it.each(['issuer', 'verifier'] as const)(
      '%s: requests in flight finish, new ones get 503 service.unavailable problem+json with Retry-After and Connection: close',
      async (name) => {
        const server = name === 'issuer' ? await startIssuer(p.issuer.runtime.config, systemClock, 0) : await startVerifier(p.verifier.runtime.config, systemClock, 0);
        const route = name === 'issuer' ? '/credentials/issue' : '/credentials/verify';
        const payload = Buffer.from(
          JSON.stringify(name === 'issuer' ? issueBody(did, 'SeoulCitizenCard', citizenCardSubject) : { verifiableCredential: 'garbage' }),
        );
        // In flight: headers and half of the body sent when closing begins.
        const inFlight = await openSocket(server.url);
        const inFlightAnswer = readAnswer(inFlight);
        inFlight.write(
          `POST ${route} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${apiKey}\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n`,
        );
        inFlight.write(payload.subarray(0, 10));
        // A second connection has begun a request too (so it is not idle and stays open), finished only after closing began.
        const late = await openSocket(server.url);
        const lateAnswer = readAnswer(late);
        late.write(`GET /health HTTP/1.1\r\nHost: localhost\r\n`);
        const closed = server.close();
        const http = server.app.getHttpServer();
        for (let i = 0; i < 1000 && http.listening; i += 1) await new Promise((r) => setTimeout(r, 10));
        expect(http.listening).toBe(false);

        late.write('\r\n');
        const refused = { ...(await lateAnswer), type: '' };
        refused.type = refused.headers['content-type'] ?? '';
        expectProblem(refused, 503, 'service.unavailable');
        expect(refused.headers['retry-after']).toBe('5');
        expect(refused.headers['connection']).toBe('close');

        inFlight.write(payload.subarray(10));
        const finished = await inFlightAnswer;
        expect(finished.status, finished.text).toBe(name === 'issuer' ? 201 : 400);
        if (name === 'verifier') expect(finished.body.code).toBe('verification.failed');
        expect(finished.headers['connection']).toBe('close');
        await closed;
        inFlight.destroy();
        late.destroy();
      },
    );
  });

  describe('slow clients and too many connections', () => {
    /** Resolves once the server has ended `socket` (it sent FIN). */
    const ended = (socket: Socket) => new Promise<void>((resolve) => (socket.readableEnded || socket.destroyed ? resolve() : socket.once('end', resolve).once('close', resolve)));

    /** A keep-alive connection from `localAddress` on which GET /health was answered; it stays open. */
    async function heldConnection(url: string, localAddress: string): Promise<{ socket: Socket; status: number }> {
      const socket = await openSocket(url, localAddress);
      const answer = readAnswer(socket);
      socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
      return { socket, status: (await answer).status };
    }

    it.each(['issuer', 'verifier'] as const)(
      '%s: a body that trickles in slower than HTTP_REQUEST_TIMEOUT_MS → 408 request.timeout problem+json and the connection is closed',
      async (name) => {
        const limits = { HTTP_REQUEST_TIMEOUT_MS: 400, HTTP_HEADERS_TIMEOUT_MS: 200 };
        const server =
          name === 'issuer' ? await startIssuer({ ...p.issuer.runtime.config, ...limits }, systemClock, 0) : await startVerifier({ ...p.verifier.runtime.config, ...limits }, systemClock, 0);
        const socket = await openSocket(server.url);
        try {
          const answer = readAnswer(socket);
          const route = name === 'issuer' ? '/credentials/issue' : '/credentials/verify';
          // The headers arrive at once; of the 100 bytes of body only one ever does.
          socket.write(`POST ${route} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${apiKey}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`);
          const res = await answer;
          expectProblem({ ...res, type: res.headers['content-type'] ?? '' }, 408, 'request.timeout');
          expect(res.headers['connection']).toBe('close');
          await ended(socket);
        } finally {
          socket.destroy();
          await server.close();
        }
      },
      20_000,
    );

    it('verifier: beyond HTTP_MAX_CONNECTIONS_PER_CLIENT and HTTP_MAX_CONNECTIONS a new connection is answered 503 with Retry-After and closed; the service keeps serving', async () => {
      const verifier = await startVerifier({ ...p.verifier.runtime.config, HTTP_MAX_CONNECTIONS: 5, HTTP_MAX_CONNECTIONS_PER_CLIENT: 2 }, systemClock, 0);
      const sockets: Socket[] = [];
      const refusedFrom = async (localAddress: string, reason: RegExp) => {
        const socket = await openSocket(verifier.url, localAddress);
        sockets.push(socket);
        const answer = readAnswer(socket);
        socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
        const res = await answer;
        expectProblem({ ...res, type: res.headers['content-type'] ?? '' }, 503, 'service.unavailable');
        expect(res.body.detail).toMatch(reason);
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
        expect(res.headers['connection']).toBe('close');
        await ended(socket);
      };
      try {
        for (const from of ['127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.2', '127.0.0.3']) {
          const held = await heldConnection(verifier.url, from);
          sockets.push(held.socket);
          expect(held.status).toBe(200);
        }
        await refusedFrom('127.0.0.1', /This client holds/);
        await refusedFrom('127.0.0.4', /as many connections as it serves/);
        // The connections it holds are still served.
        const again = readAnswer(sockets[0]!);
        sockets[0]!.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
        expect((await again).status).toBe(200);
        // Once a client lets one go, a new connection is served again (the server sees the close in its own time).
        sockets[1]!.destroy();
        let status = 0;
        while (status !== 200) status = (await heldConnection(verifier.url, '127.0.0.4').then(({ socket, status: s }) => (sockets.push(socket), s), () => 0));
      } finally {
        for (const socket of sockets) socket.destroy();
        await verifier.close();
      }
    });

    it('issuer: RATE_LIMIT_EXEMPT addresses are not held to HTTP_MAX_CONNECTIONS_PER_CLIENT', async () => {
      const issuer = await startIssuer({ ...p.issuer.runtime.config, HTTP_MAX_CONNECTIONS_PER_CLIENT: 1, RATE_LIMIT_EXEMPT: ['127.0.0.4'] }, systemClock, 0);
      const sockets: Socket[] = [];
      try {
        for (let i = 0; i < 3; i += 1) {
          const held = await heldConnection(issuer.url, '127.0.0.4');
          sockets.push(held.socket);
          expect(held.status).toBe(200);
        }
        const first = await heldConnection(issuer.url, '127.0.0.5');
        sockets.push(first.socket);
        expect(first.status).toBe(200);
        const second = await heldConnection(issuer.url, '127.0.0.5');
        sockets.push(second.socket);
        expect(second.status).toBe(503);
      } finally {
        for (const socket of sockets) socket.destroy();
        await issuer.close();
      }
    });
  });
});
