// Benchmarks (not tests): each prints a table and compares against a baseline measured in the same run,
// so results are comparable on a shared, noisy machine. Results go to bench/results/<name>.json.
// Run: npm run bench                 every benchmark, one after the other
//      npm run bench -- issue merkle  only the ones named
// (after npm run build: benchmarks run the built dist/ of the libraries.)
// A benchmark that drives the HTTP services starts them with RATE_LIMIT_PER_MINUTE=0: from one load generator
// every request is one client, which the per-client rate limit would throttle (README "Configuration").
// Each benchmark runs in its own process, so one's warm-up, heap and JIT state do not bias the next; the exit code
// is non-zero when any missed its target.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BENCHMARKS = {
  merkle: 'merkle.mjs',
  'personal-data': 'personal-data.mjs',
  issue: 'issue.mjs',
  anchor: 'anchor.mjs',
  verify: 'verify.mjs',
  'verify-http': 'verify-http.mjs',
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in BENCHMARKS));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
const failed = [];
for (const name of asked.length > 0 ? asked : Object.keys(BENCHMARKS)) {
  console.log(`\n== bench: ${name}`);
  const { status, signal } = spawnSync(process.execPath, [join(here, BENCHMARKS[name])], { stdio: 'inherit' });
  if (status !== 0) failed.push(`${name} (${signal ?? `exit ${status}`})`);
}
if (failed.length > 0) console.error(`\nbench: missed target or failed: ${failed.join(', ')}`);
process.exit(failed.length === 0 ? 0 : 1);
