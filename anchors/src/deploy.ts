import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ContractFactory,
  getAddress,
  isAddress,
  isError,
  type Provider,
  type Signer,
  type TransactionReceipt,
} from 'ethers';
import { z } from 'zod';
import { ethrDidRegistryArtifact, loadArtifact, type DeployableArtifact } from './artifacts.js';
import { credentialAnchorAt } from './contracts.js';

/** Where the city's contracts live on one chain; stored as `<dir>/<chainId>.json`. */
export interface CityDeployment {
  chainId: number;
  /** `IssuerRegistry` address (checksummed). */
  issuerRegistry: string;
  /** `CredentialAnchor` address (checksummed). */
  credentialAnchor: string;
  /** ERC-1056 `EthereumDIDRegistry` address that `did:ethr` resolves against (checksummed). */
  didRegistry: string;
  /** The account that deployed the contracts and became the registry's initial root. */
  root: string;
  /** Block time of the first deployment transaction, ISO 8601 UTC. */
  deployedAt: string;
  /** Block of the first deployment transaction: the earliest block to scan for the contracts' events. */
  blockNumber: number;
}

/** Default directory of deployment records: `anchors/deployments`. */
const DEFAULT_DEPLOYMENTS_DIR = fileURLToPath(new URL('../deployments/', import.meta.url));

const addressField = z
  .string()
  .refine((value) => isAddress(value), 'expected a 0x-prefixed 20-byte address')
  .transform((value) => getAddress(value));

const deploymentSchema = z.object({
  chainId: z.number().int().positive(),
  issuerRegistry: addressField,
  credentialAnchor: addressField,
  didRegistry: addressField,
  root: addressField,
  deployedAt: z.iso.datetime(),
  blockNumber: z.number().int().nonnegative(),
});

function checkChainId(chainId: number): void {
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new RangeError(`chain id must be a positive integer, got ${chainId}`);
  }
}

/**
 * Path of the deployment record for a chain.
 * @param chainId The chain id.
 * @param dir Directory of the records; defaults to `anchors/deployments`.
 * @returns `<dir>/<chainId>.json`.
 * @throws RangeError when `chainId` is not a positive integer.
 */
export function deploymentRecordPath(chainId: number, dir: string = DEFAULT_DEPLOYMENTS_DIR): string {
  checkChainId(chainId);
  return join(dir, `${chainId}.json`);
}

/**
 * Reads and validates the deployment record of a chain.
 * @param chainId The chain id.
 * @param dir Directory of the records; defaults to `anchors/deployments`.
 * @returns The record with checksummed addresses, or null when there is no record for this chain.
 * @throws Error naming the file when it is not JSON, does not have the {@link CityDeployment} shape
 *   or records another chain id; RangeError for an invalid `chainId`.
 */
export function readDeploymentRecord(chainId: number, dir?: string): CityDeployment | null {
  const file = deploymentRecordPath(chainId, dir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw cause;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new Error(`Deployment record ${file} is not valid JSON; fix or delete it to redeploy`, { cause });
  }
  const parsed = deploymentSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `Deployment record ${file} is malformed; fix or delete it to redeploy:\n${z.prettifyError(parsed.error)}`,
    );
  }
  if (parsed.data.chainId !== chainId) {
    throw new Error(`Deployment record ${file} is for chain ${parsed.data.chainId}, not ${chainId}`);
  }
  return parsed.data;
}

/**
 * Writes a deployment record as pretty-printed JSON to `<dir>/<chainId>.json`, creating the
 * directory if needed. The file is replaced atomically, so a crash never leaves half a record.
 * @param record The deployment to record.
 * @param dir Directory of the records; defaults to `anchors/deployments`.
 * @returns The path written.
 * @throws Error when `record` does not have the {@link CityDeployment} shape (nothing is written),
 *   or the file system error when the file cannot be written.
 */
export function writeDeploymentRecord(record: CityDeployment, dir: string = DEFAULT_DEPLOYMENTS_DIR): string {
  const parsed = deploymentSchema.safeParse(record);
  if (!parsed.success) {
    throw new Error(`Refusing to write an invalid deployment record:\n${z.prettifyError(parsed.error)}`);
  }
  const file = deploymentRecordPath(parsed.data.chainId, dir);
  mkdirSync(dir, { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(parsed.data, null, 2)}\n`);
  renameSync(temporary, file);
  return file;
}

/**
 * Whether a recorded deployment is usable on the chain behind `provider`: the chain id matches,
 * all three addresses hold code, and the `CredentialAnchor` points at the recorded registry.
 * @param provider A provider of the chain to check.
 * @param record The recorded deployment.
 * @returns True when the deployment can be used as is.
 * @throws The provider's error when the chain cannot be reached (an outage is not "not deployed").
 */
export async function deploymentIsLive(provider: Provider, record: CityDeployment): Promise<boolean> {
  const network = await provider.getNetwork();
  if (network.chainId !== BigInt(record.chainId)) return false;
  const codes = await Promise.all(
    [record.issuerRegistry, record.credentialAnchor, record.didRegistry].map((address) => provider.getCode(address)),
  );
  if (codes.some((code) => code === '0x')) return false;
  try {
    const registry = await credentialAnchorAt(record.credentialAnchor, provider).registry();
    return getAddress(registry) === getAddress(record.issuerRegistry);
  } catch (error) {
    if (isError(error, 'CALL_EXCEPTION') || isError(error, 'BAD_DATA')) return false;
    throw error;
  }
}

function providerOf(signer: Signer): Provider {
  if (!signer.provider) throw new Error('The deployer signer must be connected to a provider');
  return signer.provider;
}

async function deployContract(
  signer: Signer,
  label: string,
  artifact: DeployableArtifact,
  args: unknown[],
  nonce: number,
): Promise<{ address: string; receipt: TransactionReceipt }> {
  const factory = new ContractFactory(artifact.abi, artifact.bytecode, signer);
  const contract = await factory.deploy(...args, { nonce });
  const receipt = await contract.deploymentTransaction()?.wait();
  if (!receipt || receipt.status !== 1 || !receipt.contractAddress) {
    throw new Error(`Deploying ${label} failed${receipt ? ` in transaction ${receipt.hash}` : ''}`);
  }
  return { address: getAddress(receipt.contractAddress), receipt };
}

/**
 * Deploys the city's contracts: `IssuerRegistry` with the signer as root, `CredentialAnchor` bound
 * to that registry, and the ERC-1056 `EthereumDIDRegistry`. Transactions are sent one after the
 * other, each awaited until mined.
 * @param signer The deployer, connected to a provider; it becomes the registry's root.
 * @returns The new deployment (not written anywhere; see {@link writeDeploymentRecord}).
 * @throws Error when the signer has no provider, artifacts are missing (run `npm run build`)
 *   or a deployment transaction fails; the provider's error when the chain cannot be reached.
 */
export async function deployCityContracts(signer: Signer): Promise<CityDeployment> {
  const provider = providerOf(signer);
  const { chainId } = await provider.getNetwork();
  const root = getAddress(await signer.getAddress());
  // Nonces are set here: ethers' provider caches eth_getTransactionCount for a moment, so letting
  // each deployment look its own up can hand the second one the first one's nonce.
  const nonce = await signer.getNonce('pending');
  const registry = await deployContract(signer, 'IssuerRegistry', loadArtifact('IssuerRegistry'), [root], nonce);
  const anchor = await deployContract(
    signer,
    'CredentialAnchor',
    loadArtifact('CredentialAnchor'),
    [registry.address],
    nonce + 1,
  );
  const didRegistry = await deployContract(signer, 'EthereumDIDRegistry', ethrDidRegistryArtifact(), [], nonce + 2);
  const firstBlock = await provider.getBlock(registry.receipt.blockNumber);
  if (!firstBlock) throw new Error(`Block ${registry.receipt.blockNumber} of the deployment is not available`);
  return {
    chainId: Number(chainId),
    issuerRegistry: registry.address,
    credentialAnchor: anchor.address,
    didRegistry: didRegistry.address,
    root,
    deployedAt: new Date(firstBlock.timestamp * 1000).toISOString(),
    blockNumber: registry.receipt.blockNumber,
  };
}

/** Arguments of {@link ensureCityDeployment}. */
export interface EnsureCityDeploymentOptions {
  /** Deployer, connected to the target chain; used only when a deployment is needed. */
  signer: Signer;
  /** Directory of the records; defaults to `anchors/deployments`. */
  dir?: string;
}

/**
 * Makes sure the city's contracts exist on the signer's chain: reuses the recorded deployment when
 * it is live (see {@link deploymentIsLive}), otherwise deploys and records a new one. Not safe
 * against two processes deploying to the same chain at the same moment.
 * @returns The deployment in use, and whether this call deployed it.
 * @throws Error when the existing record is malformed (it is never silently overwritten), the signer
 *   has no provider, artifacts are missing, or a deployment fails; the provider's error when the
 *   chain cannot be reached.
 */
export async function ensureCityDeployment(
  options: EnsureCityDeploymentOptions,
): Promise<{ deployment: CityDeployment; deployed: boolean }> {
  const provider = providerOf(options.signer);
  const chainId = Number((await provider.getNetwork()).chainId);
  const existing = readDeploymentRecord(chainId, options.dir);
  if (existing && (await deploymentIsLive(provider, existing))) return { deployment: existing, deployed: false };
  const deployment = await deployCityContracts(options.signer);
  writeDeploymentRecord(deployment, options.dir);
  return { deployment, deployed: true };
}
