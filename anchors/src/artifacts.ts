import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JsonFragment } from 'ethers';
import { EthereumDIDRegistry } from 'ethr-did-resolver';
import { z } from 'zod';

/** Names of the CityCred contracts compiled from anchors/contracts. */
export type CityContractName = 'IssuerRegistry' | 'CredentialAnchor';

/** What a deployer or a client needs from a compiled contract. */
export interface DeployableArtifact {
  /** The contract's ABI, ready for `new ethers.Interface(abi)`. */
  abi: readonly JsonFragment[];
  /** Creation bytecode, `0x`-prefixed. */
  bytecode: string;
}

/** A compiled CityCred contract as written by `anchors/scripts/compile.mjs`. */
export interface ContractArtifact extends DeployableArtifact {
  contractName: CityContractName;
  /** Runtime bytecode (immutables left as zeros), `0x`-prefixed. */
  deployedBytecode: string;
  /** The EVM version the contract was compiled for. */
  evmVersion: string;
}

/**
 * Where the compiled artifacts live. `src/` and `dist/` both sit one level under `anchors/`,
 * so the same relative URL works from the sources and from the build.
 */
const DEFAULT_ARTIFACTS_DIR = new URL('../artifacts/', import.meta.url);

const hexCode = z.string().regex(/^0x(?:[0-9a-fA-F]{2})+$/, 'expected non-empty 0x-prefixed bytecode');

const artifactSchema = z.object({
  contractName: z.enum(['IssuerRegistry', 'CredentialAnchor']),
  evmVersion: z.string().min(1),
  abi: z.array(z.looseObject({ type: z.string() })),
  bytecode: hexCode,
  deployedBytecode: hexCode,
});

const cache = new Map<string, ContractArtifact>();

/**
 * Loads the compiled artifact of a CityCred contract from `anchors/artifacts/<name>.json`
 * (artifacts are built, not committed). The result is cached per file.
 * @param name The contract.
 * @param artifactsDir Directory holding the artifacts; defaults to `anchors/artifacts`.
 * @returns The contract's ABI and bytecode.
 * @throws Error telling to run `npm run build` when the file is missing, or naming the file when
 *   it is not a valid artifact of that contract.
 */
export function loadArtifact(name: CityContractName, artifactsDir: URL = DEFAULT_ARTIFACTS_DIR): ContractArtifact {
  const file = fileURLToPath(new URL(`${name}.json`, artifactsDir));
  const cached = cache.get(file);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`Contract artifact ${file} is missing: run npm run build (it compiles anchors/contracts)`, {
        cause,
      });
    }
    throw cause;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new Error(`Contract artifact ${file} is not valid JSON: run npm run build to regenerate it`, { cause });
  }
  const parsed = artifactSchema.safeParse(json);
  if (!parsed.success || parsed.data.contractName !== name) {
    const detail = parsed.success
      ? `it holds ${parsed.data.contractName}, not ${name}`
      : z.prettifyError(parsed.error);
    throw new Error(`Contract artifact ${file} is not a valid ${name} artifact (${detail}): run npm run build`);
  }
  const artifact: ContractArtifact = Object.freeze({
    contractName: name,
    evmVersion: parsed.data.evmVersion,
    abi: Object.freeze(parsed.data.abi as JsonFragment[]),
    bytecode: parsed.data.bytecode,
    deployedBytecode: parsed.data.deployedBytecode,
  });
  cache.set(file, artifact);
  return artifact;
}

/**
 * The ERC-1056 `EthereumDIDRegistry` that `did:ethr` resolves against, exactly as shipped by
 * `ethr-did-resolver` (so the resolver and the deployed registry cannot drift apart).
 * @returns Its ABI and creation bytecode.
 */
export function ethrDidRegistryArtifact(): DeployableArtifact {
  return { abi: EthereumDIDRegistry.abi, bytecode: EthereumDIDRegistry.bytecode };
}
