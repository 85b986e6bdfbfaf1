// Benchmark (not a test): the anchoring pipeline's two costs, each against a baseline measured in the same run.
// 1. Building the Merkle tree of a 100k-leaf batch (libs/anchoring) vs the bare SHA-256 work such a tree needs
//    (2n-1 hashes of 33/65-byte inputs): `tree100kSeconds` (target < 0.5 s) and `treeVsRawHash`.
// 2. Gas per credential of a 10k-leaf batch anchored on a fresh local anvil through the chain adapter (libs/chain):
//    one root per batch, so `gasPerCredential10k` (target ≤ 5) is the anchor transaction's gas over 10,000; the
//    baseline is a plain value transfer (21,000 gas) in the same chain: `anchorVsTransfer`. As the transaction's
//    gas does not depend on the leaf count, `leavesForGasTarget` is the smallest batch that meets the target.
//    The issuer's key registers as its anchorer first (once per key and accreditation window, where the ERC-1056
//    owner and accreditation checks run: docs/anchoring.md): its gas is printed as `registrationGas`, not counted
//    in the batch's.
// Results go to bench/results/anchor.json. Run: npm run bench -- anchor   (after npm run build)
import { hash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JsonRpcProvider, parseEther, toQuantity, Wallet } from 'ethers';
import { credentialAnchorAt, credentialTypeHash, ensureCityDeployment, issuerRegistryAt, startLocalChain } from '../anchors/dist/index.js';
import { buildMerkleTree, credentialHash } from '../libs/anchoring/dist/index.js';
import { CityChain } from '../libs/chain/dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const TREE_LEAVES = 100_000;
const GAS_LEAVES = 10_000;
const TARGETS = { tree100kSeconds: 0.5, gasPerCredential10k: 5 };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall time of `fn` in seconds over `runs` runs, after one warm-up run. */
function seconds(fn, runs = 7) {
  fn();
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return median(samples);
}

// Part 1 — the tree. Rounds interleave the baseline and the tree so drift on a shared machine hits both.
const hashes = Array.from({ length: TREE_LEAVES }, (_, i) => credentialHash(`citycred-bench-${i}`));
const leafInput = Buffer.alloc(33, 1);
const nodeInput = Buffer.alloc(65, 1);
const rawHash = () => {
  for (let i = 0; i < TREE_LEAVES; i += 1) hash('sha256', leafInput, 'buffer');
  for (let i = 0; i < TREE_LEAVES - 1; i += 1) hash('sha256', nodeInput, 'buffer');
};
const rawSamples = [];
const treeSamples = [];
for (let round = 0; round < 3; round += 1) {
  rawSamples.push(seconds(rawHash, 3));
  treeSamples.push(seconds(() => buildMerkleTree(hashes), 3));
}
const rawSeconds = median(rawSamples);
const treeSeconds = median(treeSamples);

// Part 2 — gas, on a fresh anvil with the city's contracts: an issuer accredited by the city root anchors one root.
const chain = await startLocalChain();
const deploymentsDir = mkdtempSync(join(tmpdir(), 'citycred-bench-anchor-'));
let gas;
try {
  const provider = new JsonRpcProvider(chain.rpcUrl, chain.chainId, { staticNetwork: true, cacheTimeout: -1 });
  const root = new Wallet(Wallet.createRandom().privateKey, provider);
  const issuer = new Wallet(Wallet.createRandom().privateKey, provider);
  for (const account of [root, issuer]) await provider.send('anvil_setBalance', [account.address, toQuantity(parseEther('10'))]);
  const { deployment } = await ensureCityDeployment({ signer: root, dir: deploymentsDir });
  const now = (await provider.getBlock('latest')).timestamp;
  await (await issuerRegistryAt(deployment.issuerRegistry, root).accreditIssuer(issuer.address, [credentialTypeHash('SeoulCitizenCard')], now, now + 3_600)).wait();
  const registration = await (await credentialAnchorAt(deployment.credentialAnchor, issuer).registerAnchorer(issuer.address, credentialTypeHash('SeoulCitizenCard'))).wait();
  const batch = buildMerkleTree(hashes.slice(0, GAS_LEAVES));
  const city = new CityChain(provider, deployment);
  const t0 = process.hrtime.bigint();
  const receipt = await city.anchorRoot(issuer, { issuer: issuer.address, credentialType: 'SeoulCitizenCard', root: batch.root, leafCount: batch.leafCount });
  const anchorSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const transfer = await (await root.sendTransaction({ to: issuer.address, value: 1n })).wait();
  gas = { anchor: receipt.gasUsed, transfer: Number(transfer.gasUsed), registration: Number(registration.gasUsed), anchorSeconds };
  provider.destroy();
} finally {
  await chain.stop();
  rmSync(deploymentsDir, { recursive: true, force: true });
}

const runs = [
  { label: 'merkle-tree-100k (leaves/s)', opsPerSec: Math.round(TREE_LEAVES / treeSeconds) },
  { label: 'raw-sha256-same-nodes (leaves/s)', opsPerSec: Math.round(TREE_LEAVES / rawSeconds) },
  { label: 'anchor-batch-10k (credentials/s, one transaction)', opsPerSec: Math.round(GAS_LEAVES / gas.anchorSeconds) },
];
const ratios = {
  tree100kSeconds: +treeSeconds.toFixed(3),
  treeVsRawHash: +(treeSeconds / rawSeconds).toFixed(2),
  gasPerCredential10k: +(gas.anchor / GAS_LEAVES).toFixed(2),
  anchorVsTransfer: +(gas.anchor / gas.transfer).toFixed(2),
  // The transaction's gas does not grow with the batch: the smallest batch that meets the gas target.
  leavesForGasTarget: Math.ceil(gas.anchor / TARGETS.gasPerCredential10k),
};
console.table(runs);
console.table([{ rawHashSeconds: +rawSeconds.toFixed(3), ...ratios, anchorGas: gas.anchor, transferGas: gas.transfer, registrationGas: gas.registration }]);

const result = {
  name: 'anchor',
  measuredAt: new Date().toISOString(),
  node: process.version,
  targets: { tree100kSeconds: `< ${TARGETS.tree100kSeconds}`, gasPerCredential10k: `≤ ${TARGETS.gasPerCredential10k}` },
  runs,
  ratios,
  // The anchoring transaction, the one-off anchorer registration before it and the transfer baseline, in gas.
  gas: { anchor: gas.anchor, registration: gas.registration, transfer: gas.transfer },
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'anchor.json'), `${JSON.stringify(result, null, 2)}\n`);
const met = ratios.tree100kSeconds < TARGETS.tree100kSeconds && ratios.gasPerCredential10k <= TARGETS.gasPerCredential10k;
console.log(
  `anchor: 100k-leaf tree ${ratios.tree100kSeconds} s (target < ${TARGETS.tree100kSeconds}; ${ratios.treeVsRawHash}x the bare hashing), ` +
    `${ratios.gasPerCredential10k} gas per credential in a 10k batch (target ≤ ${TARGETS.gasPerCredential10k})`,
);
process.exit(met ? 0 : 1);
