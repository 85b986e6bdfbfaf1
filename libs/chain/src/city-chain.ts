import { credentialAnchorAt, credentialTypeHash, issuerRegistryAt, type CityDeployment, type CredentialAnchorContract, type IssuerRegistryContract } from '@citycred/anchors';
import type { AnchorLedger, AnchorReceipt, Hex32, OnChainAnchor } from '@citycred/anchoring';
import { getAddress, ZeroAddress, type ContractRunner, type Provider, type Signer } from 'ethers';

/** One accreditation window of an issuer for a credential type, as the IssuerRegistry records it. */
export interface AccreditationWindow {
  /** Start of the window, unix seconds (inclusive). */
  validFrom: number;
  /** End of the window, unix seconds (exclusive). */
  validUntil: number;
  /** Block time of its revocation (unix seconds), or null while not revoked. */
  revokedAt: number | null;
}

/** A block the chain has, by number and hash (a hash that changes for a number means the chain was reset or reorganised). */
export interface ChainBlock {
  number: number;
  hash: string;
}

/** An IssuerRegistry event that changes the registry's answer for `issuer`. */
export interface AccreditationChange {
  event: 'IssuerAccredited' | 'AccreditationRevoked';
  /** Checksummed issuer address. */
  issuer: string;
  /** `keccak256(typeName)`, lowercase hex. */
  credentialType: string;
  blockNumber: number;
}

/** The IssuerRegistry events that change whom it accredits ({@link CityChain.accreditationChanges}). */
const ACCREDITATION_EVENTS = ['IssuerAccredited', 'AccreditationRevoked'] as const;

/** Largest block range asked of `eth_getLogs` at once (nodes limit the range they answer). */
const MAX_LOG_RANGE = 5_000;

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

  /**
   * The latest block.
   * @throws whatever the provider throws when the chain does not answer
   */
  async latestBlock(): Promise<ChainBlock> {
    const block = await this.provider.getBlock('latest');
    if (!block?.hash) throw new Error('the chain returned no latest block');
    return { number: block.number, hash: block.hash };
  }

  /**
   * The hash of block `blockNumber`.
   * @returns null when the chain has no such block (it was reset below it)
   */
  async blockHash(blockNumber: number): Promise<string | null> {
    return (await this.provider.getBlock(blockNumber))?.hash ?? null;
  }

  /**
   * Every accreditation window the IssuerRegistry holds for `issuer`, revoked and expired ones included, by
   * credential type hash (every type the issuer was ever accredited for, including types outside our catalogue:
   * CredentialAnchor accepts an anchor from an issuer accredited for any of them).
   * @throws whatever the provider throws when the chain does not answer
   */
  async accreditationWindows(issuer: string): Promise<Map<string, AccreditationWindow[]>> {
    const byType = new Map<string, AccreditationWindow[]>();
    for (const type of await this.registry.credentialTypesOf(issuer)) {
      const windows = await this.registry.accreditationsOf(issuer, type);
      byType.set(
        type.toLowerCase(),
        windows.map((w) => ({ validFrom: Number(w.validFrom), validUntil: Number(w.validUntil), revokedAt: w.revokedAt === 0n ? null : Number(w.revokedAt) })),
      );
    }
    return byType;
  }

  /**
   * The IssuerRegistry's `IssuerAccredited` and `AccreditationRevoked` events in blocks `fromBlock..toBlock`
   * (inclusive), read with `eth_getLogs` filtered by the registry's address, in chain order.
   * @throws whatever the provider throws when the chain does not answer
   */
  async accreditationChanges(fromBlock: number, toBlock: number): Promise<AccreditationChange[]> {
    const topics = ACCREDITATION_EVENTS.map((name) => this.registry.interface.getEvent(name)!.topicHash);
    const changes: AccreditationChange[] = [];
    for (let from = fromBlock; from <= toBlock; from += MAX_LOG_RANGE) {
      const to = Math.min(toBlock, from + MAX_LOG_RANGE - 1);
      const logs = await this.provider.getLogs({ address: this.registry.target as string, topics: [topics], fromBlock: from, toBlock: to });
      for (const log of logs) {
        const parsed = this.registry.interface.parseLog(log);
        if (!parsed || !ACCREDITATION_EVENTS.includes(parsed.name as AccreditationChange['event'])) continue;
        changes.push({
          event: parsed.name as AccreditationChange['event'],
          issuer: getAddress(String(parsed.args[0])),
          credentialType: String(parsed.args[1]).toLowerCase(),
          blockNumber: log.blockNumber,
        });
      }
    }
    return changes;
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
