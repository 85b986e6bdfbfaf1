// A loopback load generator on several threads (worker_threads), for HTTP benchmarks whose target is more than one
// generator thread can send: each thread drives its share of the keep-alive connections, or of the offered rate.
// Two modes:
//   - closed loop (no `rate`): every connection sends its next request as soon as the previous answer is read;
//     throughput is what the server sustains;
//   - open loop (`rate` requests/s in total): requests are sent on a fixed schedule whatever the answers, and each
//     latency is measured from the moment the request was due, not from when a free connection took it, so a server
//     that falls behind shows it in the percentiles (no coordinated omission).
// Latencies of all threads are merged before the percentiles are taken. Not a test helper: benchmarks only.
import { Agent, request as httpRequest } from 'node:http';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/**
 * @typedef {object} ThreadedLoadResult
 * @property {number} requests - requests due (open loop) or answered (closed loop) in the measured window
 * @property {number} failures - wrong status or body, transport errors, and (open loop) requests left unanswered
 * @property {number} opsPerSec - successful answers per second of the measured window
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number} maxMs
 * @property {string[]} firstFailures
 * @property {number} threads
 */

/**
 * @param {object} options
 * @param {string} options.url - base URL, e.g. http://127.0.0.1:3002
 * @param {string} options.path
 * @param {string[]} options.bodies - JSON request bodies, sent in turn (the i-th request sends bodies[i % length])
 * @param {Record<string, string>} [options.headers]
 * @param {number} [options.threads] - default: the machine's cores
 * @param {number} [options.connections] - in total, shared among the threads; default 32
 * @param {number} [options.rate] - requests per second in total: open loop; closed loop when absent
 * @param {number} [options.durationMs] - measured window, default 5000
 * @param {number} [options.warmupMs] - sent before the window and not measured, default 1000
 * @param {number} [options.expectStatus] - default 200
 * @param {string} [options.expectBody] - a substring every successful answer contains
 * @param {number} [options.maxOutstanding] - open loop: requests in flight (in total) beyond which what falls due is
 *   counted as failed instead of sent; default 2,000
 * @returns {Promise<ThreadedLoadResult>}
 */
export async function runThreadedLoad(options) {
  const threads = options.threads ?? availableParallelism();
  const connections = options.connections ?? 32;
  // Every thread starts at the same wall-clock moment, once all of them are up.
  const startAt = Date.now() + 500;
  const results = await Promise.all(
    Array.from({ length: threads }, (_, thread) => {
      const worker = new Worker(new URL(import.meta.url), {
        workerData: {
          url: options.url,
          path: options.path,
          headers: options.headers ?? {},
          bodies: options.bodies,
          thread,
          threads,
          connections: Math.max(1, Math.round(connections / threads)),
          rate: options.rate === undefined ? undefined : options.rate / threads,
          durationMs: options.durationMs ?? 5000,
          warmupMs: options.warmupMs ?? 1000,
          expectStatus: options.expectStatus ?? 200,
          expectBody: options.expectBody,
          maxOutstanding: Math.max(1, Math.round((options.maxOutstanding ?? 2_000) / threads)),
          startAt,
        },
      });
      return new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => code !== 0 && reject(new Error(`load thread ${thread} exited ${code}`)));
      });
    }),
  );
  const latencies = new Float64Array(results.reduce((n, r) => n + r.latencies.length, 0));
  let offset = 0;
  for (const r of results) {
    latencies.set(r.latencies, offset);
    offset += r.latencies.length;
  }
  latencies.sort();
  const at = (q) => (latencies.length === 0 ? NaN : +latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(2));
  return {
    requests: results.reduce((n, r) => n + r.requests, 0),
    failures: results.reduce((n, r) => n + r.failures, 0),
    opsPerSec: Math.round(results.reduce((sum, r) => sum + (r.latencies.length / r.measuredMs) * 1000, 0)),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: at(1),
    firstFailures: results.flatMap((r) => r.firstFailures).slice(0, 5),
    threads,
  };
}

if (!isMainThread) {
  const data = workerData;
  const base = new URL(data.url);
  const agent = new Agent({ keepAlive: true, maxSockets: data.connections });
  const payloads = data.bodies.map((body) => Buffer.from(body));
  const latencies = [];
  const firstFailures = [];
  let requests = 0;
  let failures = 0;
  const fail = (why) => {
    failures += 1;
    if (firstFailures.length < 5) firstFailures.push(why);
  };
  const judge = (outcome) => {
    if (outcome.error) return outcome.error;
    if (outcome.status !== data.expectStatus) return `${outcome.status} ${outcome.body.slice(0, 200)}`;
    if (data.expectBody !== undefined && !outcome.body.includes(data.expectBody)) return `${outcome.status} without ${data.expectBody}: ${outcome.body.slice(0, 200)}`;
    return null;
  };

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, data.startAt - Date.now())));
  const start = performance.now();
  const measureFrom = start + data.warmupMs;
  const end = measureFrom + data.durationMs;

  if (data.rate === undefined) {
    // Closed loop: the i-th request of this thread is body (thread + i·threads).
    let counter = 0;
    const connection = async () => {
      while (performance.now() < end) {
        const i = data.thread + counter++ * data.threads;
        const t0 = performance.now();
        const outcome = await send(agent, base, data.path, data.headers, payloads[i % payloads.length]);
        const t1 = performance.now();
        if (t0 < measureFrom) continue;
        requests += 1;
        const why = judge(outcome);
        if (why) fail(why);
        else latencies.push(t1 - t0);
      }
    };
    await Promise.all(Array.from({ length: data.connections }, connection));
  } else {
    // Open loop: request k of this thread is due at start + (k + thread/threads) / rate; the threads interleave.
    const interval = 1000 / data.rate;
    const phase = (data.thread / data.threads) * interval;
    const total = Math.floor(((data.warmupMs + data.durationMs) * data.rate) / 1000);
    const dueAt = (k) => start + phase + k * interval;
    let k = 0;
    let outstanding = 0;
    let allSent;
    const sent = new Promise((resolve) => (allSent = resolve));
    let drained;
    const settled = new Promise((resolve) => (drained = resolve));
    let measuredOutstanding = 0;
    const fire = (due, index) => {
      const measured = due >= measureFrom;
      if (measured) requests += 1;
      // A server that has fallen this far behind is not answering at the offered rate: what is due meanwhile is
      // counted as failed, not queued without bound.
      if (outstanding >= data.maxOutstanding) {
        if (measured) fail(`dropped: ${outstanding} requests outstanding`);
        return;
      }
      outstanding += 1;
      if (measured) measuredOutstanding += 1;
      send(agent, base, data.path, data.headers, payloads[index % payloads.length]).then((outcome) => {
        const t1 = performance.now();
        outstanding -= 1;
        if (measured) {
          measuredOutstanding -= 1;
          const why = judge(outcome);
          if (why) fail(why);
          else latencies.push(t1 - due);
        }
        if (outstanding === 0 && k >= total) drained();
      });
    };
    const tick = () => {
      const now = performance.now();
      while (k < total && dueAt(k) <= now) {
        fire(dueAt(k), data.thread + k * data.threads);
        k += 1;
      }
      if (k < total) setTimeout(tick, Math.max(0, dueAt(k) - performance.now()));
      else allSent();
    };
    tick();
    await sent;
    if (outstanding > 0) {
      // Answers still missing 5 s after the last request was due count as failures.
      const timeout = new Promise((resolve) => setTimeout(resolve, 5_000));
      await Promise.race([settled, timeout]);
      for (let i = 0; i < measuredOutstanding; i += 1) fail('no answer within 5 s of the end');
    }
  }
  const measuredMs = data.rate === undefined ? performance.now() - measureFrom : data.durationMs;
  agent.destroy();
  const array = Float64Array.from(latencies);
  parentPort.postMessage({ requests, failures, latencies: array, measuredMs, firstFailures }, [array.buffer]);
}

/** One request; resolves with the status and body, or the transport error's code (never rejects). */
function send(agent, base, path, headers, payload) {
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers },
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
