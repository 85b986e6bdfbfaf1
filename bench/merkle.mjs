// Benchmark (not a test): Merkle tree build and proof verification (libs/anchoring) against a baseline measured in
// the same run — the bare SHA-256 work a tree of n leaves needs. Results go to bench/results/merkle.json.
// Run: npm run bench -- merkle   (after npm run build)
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMerkleTree, credentialHash, verifyMerkleProof } from '../libs/anchoring/dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn, runs = 5) {
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

const sizes = [1_000, 10_000, 100_000];
const rows = [];
for (const n of sizes) {
  const hashes = Array.from({ length: n }, (_, i) => credentialHash(`citycred-bench-${i}`));
  // Baseline: the bare SHA-256 work a tree of n leaves needs (n leaf hashes + n-1 node hashes of 65 bytes).
  const block = Buffer.alloc(65, 1);
  const baselineMs = time(() => {
    for (let i = 0; i < 2 * n - 1; i += 1) createHash('sha256').update(block).digest();
  });
  let tree;
  const buildMs = time(() => {
    tree = buildMerkleTree(hashes);
  });
  const verifyMs = time(() => {
    for (let i = 0; i < 1000; i += 1) verifyMerkleProof(hashes[i % n], tree.proofs[i % n], tree.root);
  });
  rows.push({ leaves: n, baselineMs: +baselineMs.toFixed(2), buildMs: +buildMs.toFixed(2), ratio: +(buildMs / baselineMs).toFixed(2), verify1000Ms: +verifyMs.toFixed(2) });
}

console.table(rows);
const result = { name: 'merkle', measuredAt: new Date().toISOString(), node: process.version, target: 'tree build within 3x of the bare SHA-256 work', rows };
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'merkle.json'), `${JSON.stringify(result, null, 2)}\n`);
const worst = Math.max(...rows.map((r) => r.ratio));
console.log(`merkle: worst build/baseline ratio ${worst} (target ≤ 3)`);
process.exit(worst <= 3 ? 0 : 1);
