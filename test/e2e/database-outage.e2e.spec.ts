import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { startStallProxy, testPostgresUrl, type StallProxy } from '@citycred/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, send, startTestPlatform, type Answer, type TestPlatform } from '../support/platform.js';

/*
 * A database that stops answering must not hang the service: requests get a 503 problem within the configured time
 * limits, and everything works again as soon as the database answers. Bounds below are generous deadlines for an
 * answer at all (a hung request never answers), not measurements.
 */

/** How long a request may take before it counts as hung: several times the limits configured below. */
const ANSWER_DEADLINE_MS = 10_000;

const postgresUrl = testPostgresUrl();

/** Resolves with `work`'s outcome, or rejects when it has not settled within {@link ANSWER_DEADLINE_MS}. */
async function settlesInTime<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ANSWER_DEADLINE_MS / 1000} s (hung)`)), ANSWER_DEADLINE_MS);
  });
  try {
    return await Promise.race([work, hung]);
  } finally {
    clearTimeout(timer);
  }
}

function expectUnavailable(res: Answer): void {
  expect(res.status, res.text).toBe(503);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 503, code: 'service.unavailable' });
  expect(res.body.detail).toContain('database');
}

function client(p: TestPlatform) {
  const issue = () =>
    settlesInTime(
      'POST /credentials/issue',
      send(`${p.issuer.url}/credentials/issue`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${p.tenants.get('seoul-citizen')!.apiKey}` },
        body: JSON.stringify(issueBody(p.tenants.get('seoul-citizen')!.did, 'SeoulCitizenCard', citizenCardSubject)),
      }),
    );
  const proof = (hash: string) => settlesInTime('GET /anchors/proofs', send(`${p.issuer.url}/anchors/proofs/${hash}`));
  return { issue, proof };
}

const hashOf = (issued: Answer) => createHash('sha256').update(issued.body.verifiableCredential.proof.jwt).digest('hex');

// PostgreSQL only: a server that accepts connections but does not answer is a network fault SQLite cannot have.
describe.skipIf(!postgresUrl)('PostgreSQL that accepts connections but stops answering, through a stalled loopback proxy (skipped on SQLite: no network)', () => {
  let proxy: StallProxy;
  let p: TestPlatform;

  beforeAll(async () => {
    const direct = new URL(postgresUrl!);
    proxy = await startStallProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(postgresUrl!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    // Only the issuer goes through the proxy; its tenants are provisioned directly.
    p = await startTestPlatform('db-stall', {
      issuerEnv: { DATABASE_URL: viaProxy.toString(), DB_QUERY_TIMEOUT_MS: '2000', DB_CONNECT_TIMEOUT_MS: '2000' },
    });
  });
  afterAll(async () => {
    proxy?.resume();
    await p?.stop();
    await proxy?.close();
  });

  it('answers issue and proof requests 503 problem+json while stalled, and issues normally once it answers again, twice in a row', { timeout: 120_000 }, async () => {
    const { issue, proof } = client(p);
    const before = await issue();
    expect(before.status, before.text).toBe(201);
    for (const outage of [1, 2]) {
      proxy.stall();
      try {
        expectUnavailable(await issue());
        expectUnavailable(await proof(hashOf(before)));
        const health = await settlesInTime('GET /health', send(`${p.issuer.url}/health`));
        expect(health.status, health.text).toBe(503);
        expect(health.body.status_of).toMatchObject({ database: 'down' });
      } finally {
        proxy.resume();
      }
      const after = await issue();
      expect(after.status, `first issuance after outage ${outage}: ${after.text}`).toBe(201);
      const pending = await proof(hashOf(after));
      expect(pending.status, pending.text).toBe(202);
    }
  });

  it('the anchoring worker fails a pass fast while stalled and anchors on the next pass once it answers again', { timeout: 120_000 }, async () => {
    const { issue, proof } = client(p);
    const issued = await issue();
    expect(issued.status, issued.text).toBe(201);
    proxy.stall();
    try {
      const failed = await settlesInTime(
        'a worker pass',
        p.worker.runOnce().then(
          () => null,
          (error: unknown) => error,
        ),
      );
      expect(failed, 'a pass against a stalled database must fail, not succeed').toBeInstanceOf(Error);
    } finally {
      proxy.resume();
    }
    const run = await settlesInTime('the next worker pass', p.worker.runOnce());
    expect(run.anchored).toBeGreaterThanOrEqual(1);
    const anchored = await proof(hashOf(issued));
    expect(anchored.status, anchored.text).toBe(200);
    expect(anchored.body.status).toBe('anchored');
  });
});

// SQLite only: its way of not answering is another connection holding the write lock past the busy timeout.
describe.skipIf(postgresUrl)('SQLite file whose write lock another connection holds (skipped on PostgreSQL: covered by the stall above)', () => {
  let p: TestPlatform;

  beforeAll(async () => {
    p = await startTestPlatform('db-busy', { issuerEnv: { DB_BUSY_TIMEOUT_MS: '500' } });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('answers issuance 503 problem+json once the busy timeout has passed, and issues again when the lock is gone', async () => {
    const { issue } = client(p);
    const other = new Database(p.db.sqlitePath!);
    try {
      other.exec('BEGIN IMMEDIATE');
      expectUnavailable(await issue());
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    const after = await issue();
    expect(after.status, after.text).toBe(201);
  });
});
