// Compiles the contracts in anchors/contracts with the solc-js compiler shipped in node_modules
// (offline: no compiler download) and writes one artifact per contract to anchors/artifacts.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';

/** EVM version pinned so the bytecode runs the same on anvil and on a Besu QBFT network. */
export const EVM_VERSION = 'shanghai';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const contractsDir = join(root, 'contracts');
const artifactsDir = join(root, 'artifacts');

const sources = Object.fromEntries(
  readdirSync(contractsDir)
    .filter((f) => f.endsWith('.sol'))
    .map((f) => [f, { content: readFileSync(join(contractsDir, f), 'utf8') }]),
);

const input = {
  language: 'Solidity',
  sources,
  settings: {
    evmVersion: EVM_VERSION,
    // Both contracts are deployed once per city and called for every batch and every verification: weigh run-time gas
    // over code size (IssuerRegistry stays under half the 24 KiB limit).
    optimizer: { enabled: true, runs: 10_000 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};

const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
for (const e of output.errors ?? []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);

mkdirSync(artifactsDir, { recursive: true });
for (const [file, contracts] of Object.entries(output.contracts)) {
  for (const [name, c] of Object.entries(contracts)) {
    // Interfaces (such as the IERC1056 view CredentialAnchor calls) have no bytecode to deploy.
    if (c.evm.bytecode.object === '') continue;
    const artifact = {
      contractName: name,
      sourceName: file,
      compiler: solc.version(),
      evmVersion: EVM_VERSION,
      abi: c.abi,
      bytecode: `0x${c.evm.bytecode.object}`,
      deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
    };
    writeFileSync(join(artifactsDir, `${name}.json`), `${JSON.stringify(artifact, null, 2)}\n`);
  }
}
console.log(`anchors: compiled ${Object.keys(sources).length} source(s) with solc ${solc.version()} (evm ${EVM_VERSION})`);
