// Shared set-up of the verification benchmarks (verify.mjs, verify-http.mjs): a real local platform (anvil, the
// issuer with its anchoring worker, the verifier, all from the built dist, RATE_LIMIT_PER_MINUTE=0), thousands of
// credentials issued through the issuer's VC-API by several tenants, and every one of them anchored by the worker.
// Not a test helper: benchmarks only.
import { generateKeyPairSync } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { CityChain, loadDeployment } from '../../libs/chain/dist/index.js';
import { exampleSubject } from '../../libs/credentials/dist/index.js';
import { createChainProvider } from '../../libs/did/dist/index.js';
import { startPlatform } from './platform.mjs';

/**
 * The demo tenants the benchmarks issue from (one catalogue type each, every one with revocation and suspension
 * status entries), and how the i-th subject differs from the others.
 */
export const ISSUING_TENANTS = [
  { slug: 'seoul-citizen', type: 'SeoulCitizenCard', vary: (s, i) => ({ ...s, personId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }) },
  { slug: 'education-office', type: 'EnrollmentStatus', vary: (s, i) => ({ ...s, institution: { ...s.institution, code: String(i % 10_000_000).padStart(7, '0') } }) },
  { slug: 'health-insurance', type: 'IncomeBracket', vary: (s, i) => ({ ...s, householdIncomePercentOfMedian: i % 200 }) },
  { slug: 'youth-policy', type: 'YouthAllowanceEligibility', vary: (s, i) => ({ ...s, months: 1 + (i % 12) }) },
];

/** The tenants whose types the issuer offers as SD-JWT VCs (selectively disclosable claims), by slug. */
export const SD_JWT_TENANTS = ['seoul-citizen', 'health-insurance'];

/**
 * Starts the platform and issues `count` jwt_vc credentials round-robin over {@link ISSUING_TENANTS} (and, when asked,
 * `sdJwtCount` SD-JWT VCs round-robin over {@link SD_JWT_TENANTS}, each bound to a P-256 holder key of its own), then
 * waits until the anchoring worker has anchored all of them (nothing pending or refused at any of the tenants).
 * @param {object} options
 * @param {number} options.count
 * @param {number} [options.sdJwtCount] - default 0
 * @param {Record<string, string>} [options.env] - added to the platform's environment
 * @param {(line: string) => void} [options.log]
 * @returns {Promise<{platform: Awaited<ReturnType<typeof startPlatform>>, tenants: Array<{slug: string, did: string, type: string}>, credentials: Array<{jwt: string, tenant: number}>, sdJwts: Array<{sdJwt: string, tenant: number, holder: {jwk: object, privateKey: Buffer}}>, issueSeconds: number, anchorSeconds: number}>}
 */
export async function platformWithAnchoredCredentials({ count, sdJwtCount = 0, env = {}, log = () => {} }) {
  const platform = await startPlatform({ env: { RATE_LIMIT_PER_MINUTE: '0', ANCHOR_BATCH_INTERVAL_MS: '1000', ...env } });
  try {
    const tenants = ISSUING_TENANTS.map((spec) => {
      const tenant = platform.tenants.find((t) => t.slug === spec.slug);
      if (!tenant) throw new Error(`demo tenant ${spec.slug} is missing`);
      return { ...spec, did: tenant.did, apiKey: tenant.apiKey, subject: exampleSubject(spec.type) };
    });
    const t0 = performance.now();
    const credentials = await issueAll(platform.issuerUrl, tenants, count);
    const sdJwts = sdJwtCount > 0 ? await issueSdJwts(platform.issuerUrl, tenants, sdJwtCount) : [];
    const issueSeconds = (performance.now() - t0) / 1000;
    log(`issued ${count} credentials${sdJwtCount > 0 ? ` and ${sdJwtCount} SD-JWT VCs` : ''} from ${tenants.length} tenants in ${issueSeconds.toFixed(1)} s`);
    const t1 = performance.now();
    await waitAnchored(platform.issuerUrl, tenants, 120_000);
    const anchorSeconds = (performance.now() - t1) / 1000;
    log(`all anchored ${anchorSeconds.toFixed(1)} s later`);
    return { platform, tenants: tenants.map(({ slug, did, type }) => ({ slug, did, type })), credentials, sdJwts, issueSeconds, anchorSeconds };
  } catch (error) {
    await platform.stop();
    throw error;
  }
}

/** POST /credentials/issue for `count` distinct subjects, 32 in flight; the compact JWTs in issuance order. */
async function issueAll(issuerUrl, tenants, count) {
  const base = new URL(issuerUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const credentials = new Array(count);
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      const tenant = tenants[i % tenants.length];
      const body = JSON.stringify({
        credential: {
          '@context': ['https://www.w3.org/2018/credentials/v1'],
          type: ['VerifiableCredential', tenant.type],
          issuer: tenant.did,
          credentialSubject: tenant.vary(tenant.subject, i),
        },
      });
      const answer = await post(agent, base, '/credentials/issue', body, { authorization: `Bearer ${tenant.apiKey}` });
      if (answer.status !== 201) throw new Error(`issuing ${tenant.type} answered ${answer.status}: ${answer.body.slice(0, 400)}`);
      const vc = JSON.parse(answer.body).verifiableCredential;
      const jwt = typeof vc === 'string' ? vc : vc?.proof?.jwt;
      if (typeof jwt !== 'string') throw new Error(`the issuer answered no JWT: ${answer.body.slice(0, 400)}`);
      credentials[i] = { jwt, tenant: i % tenants.length };
    }
  }
  try {
    await Promise.all(Array.from({ length: 32 }, worker));
  } finally {
    agent.destroy();
  }
  return credentials;
}

/** Issues `count` SD-JWT VCs, 32 in flight, each bound to a fresh P-256 holder key; in issuance order. */
async function issueSdJwts(issuerUrl, tenants, count) {
  const base = new URL(issuerUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const issuers = SD_JWT_TENANTS.map((slug) => tenants.findIndex((t) => t.slug === slug));
  const issued = new Array(count);
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      const tenantIndex = issuers[i % issuers.length];
      const tenant = tenants[tenantIndex];
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const { kty, crv, x, y, d } = privateKey.export({ format: 'jwk' });
      const body = JSON.stringify({
        credential: {
          '@context': ['https://www.w3.org/2018/credentials/v1'],
          type: ['VerifiableCredential', tenant.type],
          issuer: tenant.did,
          credentialSubject: tenant.vary(tenant.subject, count + i),
        },
        options: { format: 'dc+sd-jwt', holderJwk: { kty, crv, x, y } },
      });
      const answer = await post(agent, base, '/credentials/issue', body, { authorization: `Bearer ${tenant.apiKey}` });
      if (answer.status !== 201) throw new Error(`issuing an SD-JWT ${tenant.type} answered ${answer.status}: ${answer.body.slice(0, 400)}`);
      const vc = JSON.parse(answer.body).verifiableCredential;
      const id = typeof vc === 'string' ? vc : vc?.id;
      const sdJwt = typeof id === 'string' ? id.slice(id.indexOf(',') + 1) : undefined;
      if (!sdJwt || !sdJwt.includes('~')) throw new Error(`the issuer answered no SD-JWT: ${answer.body.slice(0, 400)}`);
      issued[i] = { sdJwt, tenant: tenantIndex, holder: { jwk: { kty, crv, x, y }, privateKey: Buffer.from(d, 'base64url') } };
    }
  }
  try {
    await Promise.all(Array.from({ length: 32 }, worker));
  } finally {
    agent.destroy();
  }
  return issued;
}

/** Polls GET /anchors/pending of every tenant until nothing is pending (a refused leaf stops the benchmark). */
async function waitAnchored(issuerUrl, tenants, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let pending = 0;
    for (const tenant of tenants) {
      const response = await fetch(new URL(`/anchors/pending?issuer=${encodeURIComponent(tenant.did)}`, issuerUrl));
      if (!response.ok) throw new Error(`GET /anchors/pending answered ${response.status}`);
      const queue = await response.json();
      if ((queue.refused ?? []).length > 0) throw new Error(`the chain refused ${queue.refused.length} of ${tenant.slug}'s credentials`);
      pending += queue.pending.length;
    }
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending} credentials still not anchored after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Moves the chain's clock `seconds` ahead and mines a block: credentials issued a moment ago then lie further back
 * than the IssuerRegistry's backdate tolerance, so their accreditation answers are final and the verifier's
 * CachingLedger keeps them — the steady state of a city chain that mines blocks, where almost every credential
 * checked is older than that tolerance. (The embedded anvil mines only on transactions: without this, the latest
 * block stays at the last anchoring and every verification asks the registry again.)
 */
export async function advanceChainTime(rpcUrl, seconds) {
  for (const [method, params] of [
    ['evm_increaseTime', [seconds]],
    ['evm_mine', []],
  ]) {
    const response = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    const answer = await response.json();
    if (answer.error) throw new Error(`${method}: ${answer.error.message}`);
  }
}

/**
 * {@link advanceChainTime} past the platform's IssuerRegistry backdate tolerance plus the verifier's finality margin
 * (60 s) and some, then waits out the CachingLedger's 1 s reuse of the latest block's time.
 * @returns {Promise<number>} how many seconds the chain's clock was moved
 */
export async function settleAccreditations(platform) {
  const deployment = await loadDeployment(platform.chainRpcUrl, platform.deploymentsDir);
  const provider = createChainProvider(platform.chainRpcUrl, deployment.chainId);
  let seconds;
  try {
    seconds = (await new CityChain(provider, deployment).backdateToleranceSeconds()) + 180;
  } finally {
    provider.destroy();
  }
  await advanceChainTime(platform.chainRpcUrl, seconds);
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  return seconds;
}

/** One JSON POST; resolves with status and body. */
function post(agent, base, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body);
    const req = httpRequest(
      { agent, host: base.hostname, port: base.port, method: 'POST', path, headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers } },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
