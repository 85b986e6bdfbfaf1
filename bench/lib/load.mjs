// A loopback load generator for the HTTP benchmarks: `connections` keep-alive connections, each sending its next
// request as soon as the previous answer is read (closed loop), for a bounded duration. Reports requests/s over
// the answered requests and the latency percentiles. Not a test helper: benchmarks only.
import { Agent, request as httpRequest } from 'node:http';

/**
 * @typedef {object} LoadRequest
 * @property {string} [method] - default GET (POST when a body is given)
 * @property {string} path
 * @property {Record<string, string>} [headers]
 * @property {string | Buffer} [body]
 */

/**
 * @typedef {object} LoadResult
 * @property {number} requests - answered requests (any status)
 * @property {number} failures - answers `ok` refused, and transport errors
 * @property {number} opsPerSec - successful requests per second of the measured window
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number} maxMs
 * @property {string[]} firstFailures - up to five examples (status and the start of the body, or the error code)
 */

/**
 * Drives `url` with `connections` concurrent keep-alive connections for `durationMs` after a `warmupMs` that is not
 * measured.
 * @param {object} options
 * @param {string} options.url - base URL, e.g. http://127.0.0.1:3001
 * @param {(i: number) => LoadRequest} options.request - the i-th request (i counts across all connections)
 * @param {number} [options.connections] - default 16
 * @param {number} [options.durationMs] - default 5000
 * @param {number} [options.warmupMs] - default 1000
 * @param {(status: number, body: string) => boolean} [options.ok] - default: status 2xx
 * @returns {Promise<LoadResult>}
 */
export async function runLoad({ url, request, connections = 16, durationMs = 5000, warmupMs = 1000, ok = (status) => status >= 200 && status < 300 }) {
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let counter = 0;
  const latencies = [];
  const firstFailures = [];
  let requests = 0;
  let failures = 0;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;

  async function connection() {
    while (performance.now() < end) {
      const spec = request(counter++);
      const t0 = performance.now();
      const outcome = await send(agent, base, spec);
      const t1 = performance.now();
      if (t0 < measureFrom) continue;
      requests += 1;
      if (outcome.error || !ok(outcome.status, outcome.body)) {
        failures += 1;
        if (firstFailures.length < 5) firstFailures.push(outcome.error ?? `${outcome.status} ${outcome.body.slice(0, 200)}`);
        continue;
      }
      latencies.push(t1 - t0);
    }
  }

  await Promise.all(Array.from({ length: connections }, connection));
  const measuredMs = performance.now() - measureFrom;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => (latencies.length === 0 ? NaN : +latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(2));
  return {
    requests,
    failures,
    opsPerSec: Math.round((latencies.length / measuredMs) * 1000),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: at(1),
    firstFailures,
  };
}

/** One request; resolves with the status and body, or the transport error's code (never rejects). */
function send(agent, base, { method, path, headers = {}, body }) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const req = httpRequest(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: method ?? (payload ? 'POST' : 'GET'),
        path,
        headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length, ...headers } : headers,
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => resolve({ status: 0, body: '', error: error.code ?? error.message }));
      },
    );
    req.on('error', (error) => resolve({ status: 0, body: '', error: error.code ?? error.message }));
    req.end(payload);
  });
}
