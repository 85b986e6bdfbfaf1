import { credentialAnchorAt, credentialTypeHash, issuerRegistryAt, type CityDeployment, type CredentialAnchorContract, type IssuerRegistryContract } from '@citycred/anchors';
import type { AnchorLedger, AnchorReceipt, Hex32, OnChainAnchor } from '@citycred/anchoring';
import { ZeroAddress, type ContractRunner, type Provider, type Signer } from 'ethers';

/** The submission of a root was refused by the contract for a reason the caller can act on. */
export class AnchorRejectedError extends Error {
  constructor(
    readonly reason: 'IssuerNotAccredited' | 'RootAlreadyAnchored' | 'EmptyRoot' | 'EmptyBatch' | 'unknown',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AnchorRejectedError';
  }
}

/**
 * The city chain through ethers: reads the registries and submits anchors.
 * Implements the {@link AnchorLedger} port of the anchoring domain.
 */
export class CityChain implements AnchorLedger {
  readonly chainId: number;
  readonly anchorContract: string;
  private readonly registry: IssuerRegistryContract;
  private readonly anchors: CredentialAnchorContract;

  constructor(
    readonly provider: Provider,
    readonly deployment: CityDeployment,
  ) {
    this.chainId = deployment.chainId;
    this.anchorContract = deployment.credentialAnchor;
    this.registry = issuerRegistryAt(deployment.issuerRegistry, provider);
    this.anchors = credentialAnchorAt(deployment.credentialAnchor, provider);
  }

  async findAnchor(root: Hex32): Promise<OnChainAnchor | null> {
    const view = await this.anchors.anchorOf(root);
    if (view.issuer === ZeroAddress) return null;
    return {
      issuer: view.issuer,
      anchoredAt: new Date(Number(view.anchoredAt) * 1000),
      blockNumber: Number(view.blockNumber),
      leafCount: Number(view.leafCount),
    };
  }

  async findAnchorTransaction(root: Hex32): Promise<AnchorReceipt | null> {
    const found = await this.findAnchor(root);
    if (!found) return null;
    const filter = this.anchors.filters['RootAnchored']!(root);
    const logs = await this.anchors.queryFilter(filter, found.blockNumber, found.blockNumber);
    const log = logs[0];
    if (!log) return null;
    return { txHash: log.transactionHash, blockNumber: log.blockNumber, anchoredAt: found.anchoredAt };
  }

  async isAccredited(issuer: string, credentialType: string, at: Date): Promise<boolean> {
    return this.registry.isAccredited(issuer, credentialTypeHash(credentialType), BigInt(Math.floor(at.getTime() / 1000)));
  }

  /**
   * Submits `root` from `signer` (the tenant's key) and waits for the receipt.
   * @param confirmTimeoutMs - how long to wait for the transaction to be mined (a chain that stopped producing
   *   blocks must not hold the caller forever); the transaction may still be mined later
   * @throws AnchorRejectedError when the contract reverts with one of its custom errors; ethers' TIMEOUT error
   *   when it is not mined in time
   */
  async anchorRoot(signer: Signer, root: Hex32, leafCount: number, confirmTimeoutMs = 60_000): Promise<AnchorReceipt> {
    const contract = this.anchors.connect(signer as ContractRunner) as CredentialAnchorContract;
    let receipt;
    try {
      const tx = await contract.anchor(root, leafCount);
      receipt = await tx.wait(1, confirmTimeoutMs);
    } catch (error) {
      throw this.rejection(error);
    }
    if (!receipt || receipt.status !== 1) throw new AnchorRejectedError('unknown', 'anchoring transaction failed');
    const block = await this.provider.getBlock(receipt.blockNumber);
    return { txHash: receipt.hash, blockNumber: receipt.blockNumber, anchoredAt: new Date(Number(block?.timestamp ?? 0) * 1000) };
  }

  /** True when the chain answers JSON-RPC. */
  async isUp(): Promise<boolean> {
    try {
      await this.provider.getBlockNumber();
      return true;
    } catch {
      return false;
    }
  }

  private rejection(error: unknown): Error {
    const data = findRevertData(error);
    if (data) {
      const parsed = this.anchors.interface.parseError(data);
      if (parsed && ['IssuerNotAccredited', 'RootAlreadyAnchored', 'EmptyRoot', 'EmptyBatch'].includes(parsed.name)) {
        return new AnchorRejectedError(parsed.name as AnchorRejectedError['reason'], `CredentialAnchor reverted: ${parsed.name}`, { cause: error });
      }
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

function findRevertData(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    const data = (current as { data?: unknown }).data;
    if (typeof data === 'string' && data.startsWith('0x') && data.length >= 10) return data;
    current = (current as { error?: unknown; info?: { error?: unknown } }).error ?? (current as { info?: { error?: unknown } }).info?.error;
  }
  return null;
}
