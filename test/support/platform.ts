import { randomBytes } from 'node:crypto';
import { startLocalCity, type CityDeployment, type LocalChain } from '@citycred/anchors';
import { systemClock, type Clock } from '@citycred/config';
import { AnchoringWorker, loadIssuerConfig, startIssuer, TenantAccreditations, type IssuerServer } from '@citycred/issuer';
import { provisionTenants, type ProvisionedTenant } from '@citycred/platform';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import { distinctFreePorts } from './launcher.js';
import { loadVerifierConfig, startVerifier, type VerifierServer } from '@citycred/verifier';
import type { JsonRpcProvider, Wallet } from 'ethers';

/** A valid SeoulCitizenCard subject (fictitious person; personId is an opaque UUID). */
export const citizenCardSubject = Object.freeze({
  personId: '3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b',
  name: '김서연',
  birthDate: '2001-04-12',
  ageOver15: true,
  ageOver18: true,
  ageOver19: true,
  residence: Object.freeze({ city: '서울특별시', district: '마포구' }),
  residentSince: '2019-03-01',
});

/**
 * The issuer's accreditation cache polls the chain only every hour and trusts its reading for a day, so that
 * tests decide when it notices an accreditation change (`accreditations.refresh()`), as they run the worker.
 */
const MANUAL_ACCREDITATION_REFRESH = { ACCREDITATION_REFRESH_MS: '3600000', ACCREDITATION_MAX_STALENESS_MS: '86400000' };

/** A fresh local chain with the city's contracts and the demo tenants provisioned in a fresh database. */
export interface ProvisionedCity {
  chain: LocalChain;
  provider: JsonRpcProvider;
  /** The city root account (funded), which owns the IssuerRegistry. */
  root: Wallet;
  deployment: CityDeployment;
  /** Holds the deployment record (`DEPLOYMENTS_DIR`). */
  deploymentsDir: string;
  db: TestDatabase;
  /** The `KEY_ENCRYPTION_SECRET` the tenants' keys were stored with. */
  keyEncryptionSecret: string;
  tenants: ProvisionedTenant[];
  /** Stops the chain, drops the database and removes the deployment record. */
  stop(): Promise<void>;
}

/**
 * Starts anvil, deploys the contracts from a random funded root account and provisions the demo tenants (accredited
 * on chain, keys in the database) — what the issuer needs before it starts.
 * @param label - names the database
 */
export async function provisionCity(label: string): Promise<ProvisionedCity> {
  const city = await startLocalCity();
  const { chain, provider, root, deployment, deploymentsDir } = city;
  const db = testDatabase(label);
  const keyEncryptionSecret = randomBytes(32).toString('hex');
  let tenants: ProvisionedTenant[];
  try {
    tenants = await provisionTenants({
      database: { url: db.url, schema: db.schema, sqlitePath: db.sqlitePath },
      keyEncryptionSecret,
      rpcUrl: chain.rpcUrl,
      didNetwork: 'citycred',
      deployment,
      root,
    });
  } catch (error) {
    await city.stop();
    await db.drop();
    throw error;
  }
  return {
    chain,
    provider,
    root,
    deployment,
    deploymentsDir,
    db,
    keyEncryptionSecret,
    tenants,
    async stop() {
      await city.stop();
      await db.drop();
    },
  };
}

/** A whole platform on a fresh local chain and database, with servers on free ports. */
export interface TestPlatform {
  chain: LocalChain;
  provider: JsonRpcProvider;
  root: Wallet;
  deployment: CityDeployment;
  db: TestDatabase;
  issuer: IssuerServer;
  verifier: VerifierServer;
  tenants: Map<string, ProvisionedTenant>;
  /** The issuer's anchoring worker (not scheduled: tests run it with `runOnce`). */
  worker: AnchoringWorker;
  /** The issuer's accreditation cache (read at start, then only when a test calls `refresh()`). */
  accreditations: TenantAccreditations;
  stop(): Promise<void>;
}

/**
 * Starts anvil, deploys the contracts from a random root account, provisions the demo tenants and starts
 * the issuer and verifier in this process ({@link provisionCity}, then the servers). The anchoring worker is not
 * scheduled so tests decide when batches are anchored.
 */
export async function startTestPlatform(
  label: string,
  options: {
    clock?: Clock;
    verifierEnv?: Record<string, string>;
    /**
     * Added to the issuer's environment last (e.g. a `DATABASE_URL` through a proxy, database time limits); a function
     * is given the provisioned city (e.g. to hand the issuer the city root's key).
     */
    issuerEnv?: Record<string, string> | ((city: ProvisionedCity) => Record<string, string>);
  } = {},
): Promise<TestPlatform> {
  const clock = options.clock ?? systemClock;
  const city = await provisionCity(label);
  const { chain, provider, root, deployment, db } = city;
  // No rate limit: every client here is 127.0.0.1 (test/e2e/rate-limit.e2e.spec.ts turns it on where it tests it).
  // A short shutdown quiet period: closing a service here need not wait for the tests' idle keep-alive connections
  // (test/e2e/shutdown.e2e.spec.ts tests the real one).
  const common = { ...db.env, CHAIN_RPC_URL: chain.rpcUrl, DEPLOYMENTS_DIR: city.deploymentsDir, LOG_LEVEL: 'fatal', RATE_LIMIT_PER_MINUTE: '0', SHUTDOWN_QUIET_MS: '20' };
  // The issuer's public URL names its status lists and schemas, which the verifier fetches: the port is chosen first.
  const [issuerPort] = await distinctFreePorts(1);
  const issuerUrl = { ISSUER_PORT: String(issuerPort), ISSUER_PUBLIC_URL: `http://127.0.0.1:${issuerPort}` };
  const issuer = await startIssuer(
    loadIssuerConfig({
      ...common,
      ...issuerUrl,
      KEY_ENCRYPTION_SECRET: city.keyEncryptionSecret,
      ANCHOR_WORKER: 'false',
      ...MANUAL_ACCREDITATION_REFRESH,
      ...(typeof options.issuerEnv === 'function' ? options.issuerEnv(city) : options.issuerEnv),
    }),
    clock,
  );
  // The issuer's public URL (a local relay in some tests) is an internal issuer the verifier is told to trust, as an
  // operator would in VERIFIER_FETCH_ALLOWED_ORIGINS: its status lists are plain http on a loopback address.
  const issuerPublicUrl = issuer.runtime.config.ISSUER_PUBLIC_URL ?? issuerUrl.ISSUER_PUBLIC_URL;
  const verifier = await startVerifier(
    loadVerifierConfig({
      ...common,
      ANCHOR_PROOF_URL: issuer.url,
      DID_CACHE_TTL_MS: '1',
      VERIFIER_FETCH_ALLOWED_ORIGINS: new URL(issuerPublicUrl).origin,
      // The application pages offer eligibility credentials with youth-policy's key, as `npm start` passes it.
      PROGRAM_ISSUER_URL: issuer.url,
      PROGRAM_ISSUER_API_KEYS: city.tenants.filter((t) => t.slug === 'youth-policy').map((t) => `${t.slug}=${t.apiKey}`).join(','),
      // Receipt hashes and petition tallies are anchored by the city tenant, as `npm start` passes its key (ADR 0015);
      // tests run the outbox by hand (`verifier.runtime.digestAnchoring.runOnce()`), as they run the issuer's worker.
      ANCHOR_DIGEST_URL: issuer.url,
      ANCHOR_DIGEST_API_KEY: city.tenants.find((t) => t.slug === 'seoul-citizen')!.apiKey,
      ANCHOR_DIGEST_INTERVAL_MS: '0',
      ...options.verifierEnv,
    }),
    clock,
    0,
  );
  return {
    chain,
    provider,
    root,
    deployment,
    db,
    issuer,
    verifier,
    tenants: new Map(city.tenants.map((t) => [t.slug, t])),
    worker: issuer.app.get(AnchoringWorker),
    accreditations: issuer.app.get(TenantAccreditations),
    async stop() {
      await verifier.close().catch(() => undefined);
      await issuer.close().catch(() => undefined);
      await city.stop();
    },
  };
}

/**
 * A VC-API `POST /credentials/issue` body: a complete VCDM 1.1 credential without proof, as a standard client sends
 * it (`@context`, `type`, `issuer`, `credentialSubject`), plus any other members and options given.
 * @param issuer - the calling tenant's DID (or anything, to test a mismatch)
 */
export function issueBody(
  issuer: string,
  type: string,
  credentialSubject: unknown,
  extra: { credential?: Record<string, unknown>; options?: Record<string, unknown> } = {},
): { credential: Record<string, unknown>; options?: Record<string, unknown> } {
  return {
    credential: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential', type], issuer, credentialSubject, ...extra.credential },
    ...(extra.options ? { options: extra.options } : {}),
  };
}

/** POSTs JSON and returns status, content type and parsed body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.json().catch(() => null) };
}

/** An HTTP answer read in full: raw text, and the parsed body when it is JSON. */
export interface Answer {
  status: number;
  type: string;
  cacheControl: string | null;
  headers: Headers;
  text: string;
  body: any;
}

/** Sends any request and reads the whole answer (never throws for a non-JSON body). */
export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', cacheControl: res.headers.get('cache-control'), headers: res.headers, text, body };
}

/** GETs and returns status, content type, headers and parsed body. */
export async function getJson(url: string): Promise<{ status: number; type: string; headers: Headers; body: any }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, body: await res.json().catch(() => null) };
}
