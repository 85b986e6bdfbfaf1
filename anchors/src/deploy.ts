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
import { credentialAnchorAt, issuerRegistryAt } from './contracts.js';

/** Version of the city contract interfaces this code deploys and talks to (`VERSION()` of both contracts). */
export const CITY_CONTRACTS_VERSION = 3;

/**
 * How many seconds before its block an accreditation may start, as deployed into the `IssuerRegistry`
 * (it absorbs the gap between the accreditor's clock and the block time).
 */
export const DEFAULT_BACKDATE_TOLERANCE_SECONDS = 60;

/** Where the city's contracts live on one chain; stored as `<dir>/<chainId>.json`. */
export interface CityDeployment {
  /** Version of the contracts ({@link CITY_CONTRACTS_VERSION}); records of another version are not used. */
  version: typeof CITY_CONTRACTS_VERSION;
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

/**
 * A well-formed deployment record of another contracts version (or of version 1, which had no
 * `version` field): its contracts do not have the interfaces this code calls.
 */
export class OutdatedDeploymentRecordError extends Error {
  /** Stable code to branch on. */
  readonly code = 'DEPLOYMENT_RECORD_OUTDATED';

  /**
   * @param file The record's path.
   * @param chainId The chain it describes.
   * @param recordedVersion The version it names; 1 for a record without one.
   */
  constructor(
    readonly file: string,
    readonly chainId: number,
    readonly recordedVersion: number,
  ) {
    super(
      `Deployment record ${file} is for version ${recordedVersion} of the city contracts, but this CityCred needs ` +
        `version ${CITY_CONTRACTS_VERSION}: run "npm run deploy" to deploy the current contracts to chain ${chainId} ` +
        '(in embedded mode "npm start" redeploys them by itself)',
    );
    this.name = 'OutdatedDeploymentRecordError';
  }
}

/** Default directory of deployment records: `anchors/deployments`. */
const DEFAULT_DEPLOYMENTS_DIR = fileURLToPath(new URL('../deployments/', import.meta.url));

const addressField = z
  .string()
  .refine((value) => isAddress(value), 'expected a 0x-prefixed 20-byte address')
  .transform((value) => getAddress(value));

/** A record of any version: version 1 records have no `version` field. */
const anyVersionSchema = z.object({
  version: z.number().int().positive().optional(),
  chainId: z.number().int().positive(),
  issuerRegistry: addressField,
  credentialAnchor: addressField,
  didRegistry: addressField,
  root: addressField,
  deployedAt: z.iso.datetime(),
  blockNumber: z.number().int().nonnegative(),
});

const deploymentSchema = anyVersionSchema.extend({ version: z.literal(CITY_CONTRACTS_VERSION) });

/** Field order of a written record: the version first. */
function ordered(record: z.infer<typeof deploymentSchema>): CityDeployment {
  const { version, chainId, issuerRegistry, credentialAnchor, didRegistry, root, deployedAt, blockNumber } = record;
  return { version, chainId, issuerRegistry, credentialAnchor, didRegistry, root, deployedAt, blockNumber };
}

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
 * @throws OutdatedDeploymentRecordError when the record is well-formed but of another contracts version
 *   (its message tells to run `npm run deploy`); Error naming the file when it is not JSON, does not have
 *   the {@link CityDeployment} shape or records another chain id; RangeError for an invalid `chainId`.
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
  const parsed = anyVersionSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `Deployment record ${file} is malformed; fix or delete it to redeploy:\n${z.prettifyError(parsed.error)}`,
    );
  }
  if (parsed.data.chainId !== chainId) {
    throw new Error(`Deployment record ${file} is for chain ${parsed.data.chainId}, not ${chainId}`);
  }
  const { version = 1 } = parsed.data;
  if (version !== CITY_CONTRACTS_VERSION) throw new OutdatedDeploymentRecordError(file, chainId, version);
  return ordered({ ...parsed.data, version });
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
  writeFileSync(temporary, `${JSON.stringify(ordered(parsed.data), null, 2)}\n`);
  renameSync(temporary, file);
  return file;
}

/**
 * Whether a recorded deployment is usable on the chain behind `provider`: the chain id matches,
 * all three addresses hold code, both city contracts report {@link CITY_CONTRACTS_VERSION}, the
 * `CredentialAnchor` points at the recorded `IssuerRegistry` and ERC-1056 registry, and the `IssuerRegistry`
 * at that same ERC-1056 registry.
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
    const anchor = credentialAnchorAt(record.credentialAnchor, provider);
    const issuerRegistry = issuerRegistryAt(record.issuerRegistry, provider);
    const [anchorVersion, registryVersion, registry, didRegistry, registryDidRegistry] = await Promise.all([
      anchor.VERSION(),
      issuerRegistry.VERSION(),
      anchor.registry(),
      anchor.didRegistry(),
      issuerRegistry.didRegistry(),
    ]);
    return (
      anchorVersion === BigInt(CITY_CONTRACTS_VERSION) &&
      registryVersion === BigInt(CITY_CONTRACTS_VERSION) &&
      getAddress(registry) === getAddress(record.issuerRegistry) &&
      getAddress(didRegistry) === getAddress(record.didRegistry) &&
      getAddress(registryDidRegistry) === getAddress(record.didRegistry)
    );
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

/** Options of {@link deployCityContracts}. */
export interface DeployCityContractsOptions {
  /**
   * Seconds an accreditation may start before or after its block (immutable in the `IssuerRegistry`);
   * default {@link DEFAULT_BACKDATE_TOLERANCE_SECONDS}.
   */
  backdateToleranceSeconds?: number;
}

/**
 * Deploys the city's contracts: the ERC-1056 `EthereumDIDRegistry`, the `IssuerRegistry` with the
 * signer as root, the backdate tolerance and the ERC-1056 registry (which decides the key that acts for a
 * department), and the `CredentialAnchor` bound to both registries.
 * Transactions are sent one after the other, each awaited until mined.
 * @param signer The deployer, connected to a provider; it becomes the registry's root.
 * @param options The backdate tolerance.
 * @returns The new deployment (not written anywhere; see {@link writeDeploymentRecord}).
 * @throws RangeError for a tolerance that is not a non-negative integer; Error when the signer has no
 *   provider, artifacts are missing (run `npm run build`) or a deployment transaction fails; the
 *   provider's error when the chain cannot be reached.
 */
export async function deployCityContracts(
  signer: Signer,
  options: DeployCityContractsOptions = {},
): Promise<CityDeployment> {
  const tolerance = options.backdateToleranceSeconds ?? DEFAULT_BACKDATE_TOLERANCE_SECONDS;
  if (!Number.isSafeInteger(tolerance) || tolerance < 0) {
    throw new RangeError(`the backdate tolerance must be a non-negative integer of seconds, got ${tolerance}`);
  }
  const provider = providerOf(signer);
  const { chainId } = await provider.getNetwork();
  const root = getAddress(await signer.getAddress());
  // Nonces are set here: ethers' provider caches eth_getTransactionCount for a moment, so letting
  // each deployment look its own up can hand the second one the first one's nonce.
  const nonce = await signer.getNonce('pending');
  const didRegistry = await deployContract(signer, 'EthereumDIDRegistry', ethrDidRegistryArtifact(), [], nonce);
  const registry = await deployContract(
    signer,
    'IssuerRegistry',
    loadArtifact('IssuerRegistry'),
    [root, tolerance, didRegistry.address],
    nonce + 1,
  );
  const anchor = await deployContract(
    signer,
    'CredentialAnchor',
    loadArtifact('CredentialAnchor'),
    [registry.address, didRegistry.address],
    nonce + 2,
  );
  const firstBlock = await provider.getBlock(didRegistry.receipt.blockNumber);
  if (!firstBlock) throw new Error(`Block ${didRegistry.receipt.blockNumber} of the deployment is not available`);
  return {
    version: CITY_CONTRACTS_VERSION,
    chainId: Number(chainId),
    issuerRegistry: registry.address,
    credentialAnchor: anchor.address,
    didRegistry: didRegistry.address,
    root,
    deployedAt: new Date(firstBlock.timestamp * 1000).toISOString(),
    blockNumber: didRegistry.receipt.blockNumber,
  };
}

/** Arguments of {@link ensureCityDeployment}. */
export interface EnsureCityDeploymentOptions {
  /** Deployer, connected to the target chain; used only when a deployment is needed. */
  signer: Signer;
  /** Directory of the records; defaults to `anchors/deployments`. */
  dir?: string;
  /**
   * What to do with a well-formed record of another contracts version: `'redeploy'` (default: embedded
   * mode and `npm run deploy`) deploys the current contracts and replaces the record; `'refuse'` throws
   * {@link OutdatedDeploymentRecordError}, whose message tells to run `npm run deploy`.
   */
  outdatedRecord?: 'redeploy' | 'refuse';
  /** Passed to {@link deployCityContracts} when a deployment is needed. */
  backdateToleranceSeconds?: number;
}

/**
 * Makes sure the current city contracts exist on the signer's chain: reuses the recorded deployment
 * when it is live (see {@link deploymentIsLive}), otherwise deploys and records a new one; a record of
 * another contracts version is redeployed or refused as `options.outdatedRecord` says. Not safe
 * against two processes deploying to the same chain at the same moment.
 * @returns The deployment in use, and whether this call deployed it.
 * @throws OutdatedDeploymentRecordError for a record of another version with `outdatedRecord: 'refuse'`;
 *   Error when the existing record is malformed (it is never silently overwritten), the signer has no
 *   provider, artifacts are missing, or a deployment fails; the provider's error when the chain cannot
 *   be reached.
 */
export async function ensureCityDeployment(
  options: EnsureCityDeploymentOptions,
): Promise<{ deployment: CityDeployment; deployed: boolean }> {
  const provider = providerOf(options.signer);
  const chainId = Number((await provider.getNetwork()).chainId);
  let existing: CityDeployment | null;
  try {
    existing = readDeploymentRecord(chainId, options.dir);
  } catch (error) {
    if (!(error instanceof OutdatedDeploymentRecordError) || options.outdatedRecord === 'refuse') throw error;
    existing = null;
  }
  if (existing && (await deploymentIsLive(provider, existing))) return { deployment: existing, deployed: false };
  const deployment = await deployCityContracts(options.signer, {
    backdateToleranceSeconds: options.backdateToleranceSeconds,
  });
  writeDeploymentRecord(deployment, options.dir);
  return { deployment, deployed: true };
}
