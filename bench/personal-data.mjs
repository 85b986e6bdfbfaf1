// Benchmark (not a test): the wall-clock time of the resident registration number detector on 1 MiB of each
// adversarial shape that libs/credentials/src/personal-data.spec.ts checks for linear work, against a baseline
// measured in the same run — the same detector on 1 MiB of plain ASCII prose, which it scans in one linear pass.
// Results go to bench/results/personal-data.json. Run: npm run bench   (after npm run build)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { containsResidentRegistrationNumber } from '../libs/credentials/dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const MIB = 1 << 20;
const fill = (unit, length) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median milliseconds of five scans of `text`. */
function time(text, runs = 5) {
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = process.hrtime.bigint();
    containsResidentRegistrationNumber(text);
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

const shapes = [
  ['red team pattern', 'a9001011234567'],
  ['one digit run', '9'],
  ['one separator run', '-'],
  ['digits and separators', '9-'],
  ['spaced digits', '9 '],
  ['first groups and spaces', '900101 '],
  ['first groups and words', '900101 주민 '],
  ['words and spaces', 'ab '],
  ['parenthesised digits', '⑼'],
  ['hex letters and digits', '0123456789abcdef'],
  ['UUIDs', '3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b '],
  ['dingbat digits and dashes', '❾-⓿'],
];

const baselineText = fill('The quick brown fox jumps over the lazy dog. ', MIB);
time(baselineText, 2);
const baselineMs = time(baselineText);
const rows = shapes.map(([shape, unit]) => {
  const text = fill(unit, MIB);
  time(text, 1);
  const ms = time(text);
  return { shape, mib: 1, ms: +ms.toFixed(2), baselineMs: +baselineMs.toFixed(2), ratio: +(ms / baselineMs).toFixed(2) };
});

console.table(rows);
const target = 'every adversarial 1 MiB shape within 8x of 1 MiB of plain ASCII prose';
const result = { name: 'personal-data', measuredAt: new Date().toISOString(), node: process.version, target, rows };
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'personal-data.json'), `${JSON.stringify(result, null, 2)}\n`);
const worst = Math.max(...rows.map((r) => r.ratio));
console.log(`personal-data: worst shape/baseline ratio ${worst} (target ≤ 8)`);
process.exit(worst <= 8 ? 0 : 1);
