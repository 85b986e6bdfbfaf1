import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { freePort } from '@citycred/anchors';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repo } from '../support/launcher.js';
import { citizenCardSubject, issueBody, provisionCity, type ProvisionedCity } from '../support/platform.js';
import { openSocket, readAnswer, sendRaw, type RawAnswer } from '../support/raw-http.js';

const issuerEntry = join(repo, 'apps/issuer/dist/main.js');

/** A built issuer running as its own process, as `npm start` or a process manager runs it. */
interface IssuerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** What a client got for one request: an answer, or the error its connection ended with. */
type Outcome = { status: number; connection: string | undefined; body: any } | { error: string };

/** A request whose headers the server has read (it answered `100 Continue`) and whose body is half sent. */
interface HeldRequest {
  /** Sends the rest of the body. */
  finish(): void;
  outcome: Promise<Outcome>;
}

/**
 * Opens a request and keeps it in flight: the server has routed it (it answered `100 Continue` to the headers)
 * and is reading a body that is only half sent until `finish()`.
 */
async function holdRequest(agent: Agent, url: string, headers: Record<string, string>, body: string): Promise<HeldRequest> {
  const payload = Buffer.from(body);
  const half = Math.floor(payload.length / 2);
  const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length), expect: '100-continue' } });
  const outcome = new Promise<Outcome>((resolve) => {
    req.once('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: JSON.parse(text) }));
    });
  });
  const routed = new Promise<void>((resolve, reject) => {
    req.once('continue', () => resolve());
    void outcome.then((o) => reject(new Error(`request ended before the server read its headers: ${JSON.stringify(o)}`)));
  });
  req.flushHeaders();
  await routed;
  req.write(payload.subarray(0, half));
  return { finish: () => req.end(payload.subarray(half)), outcome };
}

/** Resolves once nothing accepts connections on `port` any more (the server stopped listening), polling until a deadline. */
async function untilRefused(port: number, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return;
    // Not more often: a stopping service keeps listening while connections keep arriving (to answer them, not reset them).
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`port ${port} still accepts connections`);
}

describe('a service stopped by a signal drains its requests and exits 0 (built issuer, own process)', () => {
  let city: ProvisionedCity;
  let env: Record<string, string>;
  let apiKey: string;
  let did: string;
  const running: IssuerProcess[] = [];

  beforeAll(async () => {
    expect(existsSync(issuerEntry), 'run "npm run build" first (npm test does it in pretest)').toBe(true);
    city = await provisionCity('shutdown');
    ({ apiKey, did } = city.tenants.find((t) => t.slug === 'seoul-citizen')!);
    env = {
      ...city.db.env,
      CHAIN_RPC_URL: city.chain.rpcUrl,
      DEPLOYMENTS_DIR: city.deploymentsDir,
      KEY_ENCRYPTION_SECRET: city.keyEncryptionSecret,
      // The worker runs while the requests drain, so its stop is part of every shutdown below.
      ANCHOR_BATCH_INTERVAL_MS: '100',
      LOG_LEVEL: 'warn',
    };
  });

  afterEach(() => {
    for (const p of running.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  });

  afterAll(async () => {
    await city?.stop();
  });

  async function startIssuerProcess(extra: Record<string, string>): Promise<IssuerProcess> {
    const port = await freePort();
    const { DATABASE_URL: _url, DATABASE_SCHEMA: _schema, SQLITE_PATH: _path, CHAIN_RPC_URL: _rpc, ...inherited } = process.env;
    const child = spawn(process.execPath, [issuerEntry], { cwd: repo, env: { ...inherited, ...env, ISSUER_PORT: String(port), ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const started = { child, url: `http://127.0.0.1:${port}`, port, output, exited };
    running.push(started);
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output.push(chunk.toString());
        if (output.join('').includes('issuer listening on')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then(({ code, signal }) => reject(new Error(`issuer exited (${code ?? signal}) while starting:\n${output.join('')}`)));
    });
    return started;
  }

  /** The JSON body of an issue request for the i-th citizen. */
  const citizenBody = (i: number) => JSON.stringify(issueBody(did, 'SeoulCitizenCard', { ...citizenCardSubject, name: `시민${i}` }));

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s: stops listening, answers every request in flight, closes keep-alive connections and exits 0',
    async (signal) => {
      const issuer = await startIssuerProcess({ SHUTDOWN_GRACE_MS: '30000' });
      const agent = new Agent({ keepAlive: true });
      try {
        // An idle keep-alive connection, as a client's pool leaves one between requests.
        const idle = await fetch(`${issuer.url}/health`);
        expect(idle.status).toBe(200);
        const held = await Promise.all(Array.from({ length: 6 }, (_, i) => holdRequest(agent, `${issuer.url}/credentials/issue`, { authorization: `Bearer ${apiKey}` }, citizenBody(i))));

        issuer.child.kill(signal);
        await untilRefused(issuer.port);
        expect(issuer.child.exitCode, issuer.output.join('')).toBeNull();
        for (const h of held) h.finish();

        const outcomes = await Promise.all(held.map((h) => h.outcome));
        for (const outcome of outcomes) {
          expect(outcome).toMatchObject({ status: 201, connection: 'close' });
          expect((outcome as { body: any }).body.verifiableCredential.proof.jwt).toMatch(/^ey/);
        }
        expect(await issuer.exited, issuer.output.join('')).toEqual({ code: 0, signal: null });
      } finally {
        agent.destroy();
      }
    },
    90_000,
  );

  /** The raw bytes of an issue request for the i-th citizen. */
  const issueRequest = (i: number, connection: 'keep-alive' | 'close') => {
    const body = Buffer.from(citizenBody(i));
    return Buffer.concat([
      Buffer.from(
        `POST /credentials/issue HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${apiKey}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: ${connection}\r\n\r\n`,
      ),
      body,
    ]);
  };

  /** The answer `socket` gets, or the error its connection ended with before any answer. */
  const outcomeOf = (socket: Socket): Promise<RawAnswer | { error: string }> => readAnswer(socket).catch((error: NodeJS.ErrnoException) => ({ error: error.code ?? error.message }));

  /** Every outcome is an HTTP answer: 201 (accepted before the signal) or 503 service.unavailable problem+json telling to retry. */
  function expectAnsweredOrRefused(outcomes: Array<RawAnswer | { error: string }>, output: string): void {
    for (const outcome of outcomes) {
      expect(outcome, output).not.toHaveProperty('error');
      const answer = outcome as RawAnswer;
      expect(answer.status, `${answer.status} ${answer.text}`).toBeOneOf([201, 503]);
      if (answer.status === 503) {
        expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(answer.body).toMatchObject({ status: 503, code: 'service.unavailable' });
        expect(answer.headers['retry-after']).toMatch(/^\d+$/);
        expect(answer.headers['connection']).toBe('close');
      }
    }
  }

  it('a busy service stopped with 20 requests queued (sent, not yet read) answers every one of them and exits 0', async () => {
    const issuer = await startIssuerProcess({ SHUTDOWN_GRACE_MS: '30000' });
    const agent = new Agent({ keepAlive: true });
    const sockets: Socket[] = [];
    try {
      const busy = await holdRequest(agent, `${issuer.url}/credentials/issue`, { authorization: `Bearer ${apiKey}` }, citizenBody(100));
      // Frozen, the process reads nothing: the kernel completes the connections and buffers the requests, as while a
      // busy event loop is not getting to them. The signal then arrives together with all of them.
      issuer.child.kill('SIGSTOP');
      for (let i = 0; i < 20; i += 1) sockets.push(await openSocket(issuer.url));
      const outcomes = sockets.map(outcomeOf);
      sockets.forEach((socket, i) => socket.write(issueRequest(i, 'keep-alive')));
      issuer.child.kill('SIGTERM');
      issuer.child.kill('SIGCONT');
      busy.finish();

      expect(await busy.outcome).toMatchObject({ status: 201 });
      expectAnsweredOrRefused(await Promise.all(outcomes), issuer.output.join(''));
      expect(await issuer.exited, issuer.output.join('')).toEqual({ code: 0, signal: null });
    } finally {
      agent.destroy();
      for (const socket of sockets) socket.destroy();
    }
  }, 90_000);

  it('stopped under load (300 concurrent requests without keep-alive, all connected), answers every one and exits 0', async () => {
    // One client here opens them all: the per-client connection limit must not be what answers them.
    const issuer = await startIssuerProcess({ SHUTDOWN_GRACE_MS: '30000', HTTP_MAX_CONNECTIONS_PER_CLIENT: '1000' });
    const sockets = await Promise.all(Array.from({ length: 300 }, () => openSocket(issuer.url)));
    try {
      const outcomes = sockets.map(outcomeOf);
      sockets.forEach((socket, i) => socket.write(issueRequest(i, 'close')));
      issuer.child.kill('SIGTERM');
      expectAnsweredOrRefused(await Promise.all(outcomes), issuer.output.join(''));
      expect(await issuer.exited, issuer.output.join('')).toEqual({ code: 0, signal: null });
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  }, 90_000);

  it('a request written after the signal on an idle keep-alive connection gets 503 problem+json, not a reset, and the service exits 0', async () => {
    // Long enough for the test to write on every idle connection before the service would close them, in its
    // shutdown (SHUTDOWN_QUIET_MS) or before (HTTP_KEEP_ALIVE_TIMEOUT_MS, on a busy machine); and no per-client
    // connection limit, so that a 503 to the probe below can only mean the shutdown has begun.
    const issuer = await startIssuerProcess({ SHUTDOWN_GRACE_MS: '30000', SHUTDOWN_QUIET_MS: '15000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '60000', HTTP_MAX_CONNECTIONS_PER_CLIENT: '1000' });
    const sockets: Socket[] = [];
    try {
      await Promise.all(
        Array.from({ length: 100 }, async () => {
          const socket = await openSocket(issuer.url);
          sockets.push(socket);
          const answer = readAnswer(socket);
          socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
          expect((await answer).status).toBe(200);
        }),
      );
      issuer.child.kill('SIGTERM');
      // The service has begun its shutdown once a new request is refused (or no longer connects).
      for (;;) {
        const probe = await sendRaw(issuer.url, 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n').catch(() => undefined);
        if (probe === undefined || probe.status === 503) break;
      }
      const outcomes = sockets.map(outcomeOf);
      sockets.forEach((socket, i) => socket.write(issueRequest(i, 'keep-alive')));
      const answers = await Promise.all(outcomes);
      expectAnsweredOrRefused(answers, issuer.output.join(''));
      expect(answers.filter((a) => (a as RawAnswer).status === 503)).toHaveLength(100);
      expect(await issuer.exited, issuer.output.join('')).toEqual({ code: 0, signal: null });
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  }, 90_000);

  it('when a request is still in flight after SHUTDOWN_GRACE_MS, resets it, says so and exits 1', async () => {
    const issuer = await startIssuerProcess({ SHUTDOWN_GRACE_MS: '500' });
    const agent = new Agent({ keepAlive: true });
    try {
      const stuck = await holdRequest(agent, `${issuer.url}/credentials/issue`, { authorization: `Bearer ${apiKey}` }, citizenBody(99));
      issuer.child.kill('SIGTERM');
      expect(await issuer.exited, issuer.output.join('')).toEqual({ code: 1, signal: null });
      expect(await stuck.outcome).toHaveProperty('error');
      expect(issuer.output.join('')).toContain('SHUTDOWN_GRACE_MS');
    } finally {
      agent.destroy();
    }
  }, 60_000);
});
