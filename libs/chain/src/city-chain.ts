import {
  credentialAnchorAt,
  credentialTypeHash,
  ethrDidRegistryArtifact,
  issuerRegistryAt,
  OPEN_PERIOD_END,
  type AccreditationView,
  type CityDeployment,
  type CredentialAnchorErrorName,
  type CredentialAnchorContract,
  type IssuerRegistryContract,
} from '@citycred/anchors';
import { AnchorWriteError, type AnchorLedger, type AnchorReceipt, type AnchorWriteFailure, type Hex32, type OnChainAnchor } from '@citycred/anchoring';
import { Contract, getAddress, isError, ZeroAddress, type ContractRunner, type Provider, type Signer, type TransactionReceipt } from 'ethers';

/** One accreditation window of an issuer for a credential type, as the IssuerRegistry records it. */
export interface AccreditationWindow {
  /** Start of the window, unix seconds (inclusive). */
  validFrom: number;
  /** End of the window, unix seconds (exclusive). */
  validUntil: number;
  /** Block time of its revocation (unix seconds), or null while not revoked. */
  revokedAt: number | null;
  /** The account that made it (checksummed). */
  accreditor: string;
  /**
   * Whether its accreditor still stands behind it now: true for a window the city root made; for a department's
   * window, whether the delegation period it was made in is still open (withdrawing a delegation ends the windows
   * made under it, for good).
   */
  accreditorStands: boolean;
}

/** What the IssuerRegistry says of an issuer and one credential type, as read at one block. */
export interface TypeAccreditation {
  /** Every window, in the order made (their starts never go back, and they never overlap). */
  windows: AccreditationWindow[];
  /** Whether the city root has the issuer suspended now, for this type or for all types. */
  suspended: boolean;
}

/** A block the chain has, by number and hash (a hash that changes for a number means the chain was reset or reorganised). */
export interface ChainBlock {
  number: number;
  hash: string;
  /** Block time, unix seconds. */
  timestamp: number;
}

/** An IssuerRegistry event that changes the registry's answer for `issuer` (the issuer named in it). */
export interface IssuerChange {
  event: 'IssuerAccredited' | 'AccreditationRevoked' | 'IssuerSuspended' | 'IssuerReinstated';
  /** Checksummed issuer address. */
  issuer: string;
  /** `keccak256(typeName)`, lowercase hex (zero for a suspension of all types). */
  credentialType: string;
  blockNumber: number;
}

/** A delegation granted or withdrawn: changes the answer for every issuer `department` accredited for the type. */
export interface DelegationChange {
  event: 'AccreditorAuthorized';
  /** Checksummed department address. */
  department: string;
  /** `keccak256(typeName)`, lowercase hex. */
  credentialType: string;
  blockNumber: number;
}

/** An IssuerRegistry event that changes whom it accredits ({@link CityChain.accreditationChanges}). */
export type AccreditationChange = IssuerChange | DelegationChange;

/** A `RootAnchored` event of the CredentialAnchor contract: an issuer anchored a batch's root. */
export interface RootAnchoredEvent {
  /** The issuer identity's address (checksummed). */
  readonly issuer: string;
  /** The root, `0x` + 64 lower-case hex digits. */
  readonly root: Hex32;
  /** The type hash the batch was anchored under (`keccak256(name)`, lower case). */
  readonly credentialType: string;
  readonly leafCount: number;
  readonly blockNumber: number;
}

/**
 * The IssuerRegistry events that change whom it accredits. `RootProposed`/`RootTransferred` change who may accredit
 * from now on, not an existing window: a window records whether the root made it.
 */
const ACCREDITATION_EVENTS = ['IssuerAccredited', 'AccreditationRevoked', 'IssuerSuspended', 'IssuerReinstated', 'AccreditorAuthorized'] as const;

/** Largest block range asked of `eth_getLogs` at once (nodes limit the range they answer). */
const MAX_LOG_RANGE = 5_000;

/** Windows read per `accreditationsOf` call. */
const WINDOW_PAGE = 100;

/**
 * The custom errors of `CredentialAnchor.registerAnchorer` and `CredentialAnchor.anchor` that the caller can act on.
 * `NotAnchorer` is not one: {@link CityChain.anchorRoot} registers the key first, so it only means that the
 * registration ended or was withdrawn between that check and the anchor's block (`unknown`: the next attempt asks
 * again).
 */
const ANCHOR_REJECTIONS = ['NotIdentityOwner', 'IssuerNotAccredited', 'RootAlreadyAnchored', 'EmptyRoot', 'EmptyBatch'] as const satisfies readonly CredentialAnchorErrorName[];

/** ethers codes of a transaction that lost its nonce to another one from the same account. */
const NONCE_TAKEN_CODES = ['NONCE_EXPIRED', 'REPLACEMENT_UNDERPRICED', 'TRANSACTION_REPLACED'] as const;

/** ethers codes, and Node/undici socket codes, of a chain that did not answer. */
const UNAVAILABLE_CODES = new Set(['NETWORK_ERROR', 'SERVER_ERROR', 'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** What {@link CityChain.withdrawStaleAnchorer} did with one anchorer registration. */
export type AnchorerWithdrawal =
  /** The registration was live and its right had ended: `withdrawAnchorer` was mined in `txHash`. */
  | { outcome: 'withdrawn'; txHash: string }
  /** The key holds no live registration for the issuer under the type (never made, ended, replaced or withdrawn). */
  | { outcome: 'not-registered' }
  /** The key still owns the identity, which is still accredited for the type: its right to anchor has not ended. */
  | { outcome: 'still-valid' };

/** A key that registered as an issuer's anchorer for a type at some time ({@link CityChain.registeredAnchorers}). */
export interface AnchorerRegistration {
  /** The key, checksummed. */
  anchorer: string;
  /** `keccak256(typeName)`, lowercase hex. */
  credentialType: string;
}

/** What is anchored: a batch root in an issuer's name. */
export interface AnchorSubmission {
  /** The issuer's did:ethr identity address (the tenant's address), not the key that sends. */
  issuer: string;
  /** A credential type name the issuer is accredited for now (the contract refuses the root otherwise). */
  credentialType: string;
  root: Hex32;
  leafCount: number;
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
  private readonly didRegistry: Contract;

  constructor(
    readonly provider: Provider,
    readonly deployment: CityDeployment,
  ) {
    this.chainId = deployment.chainId;
    this.anchorContract = deployment.credentialAnchor;
    this.registry = issuerRegistryAt(deployment.issuerRegistry, provider);
    this.anchors = credentialAnchorAt(deployment.credentialAnchor, provider);
    this.didRegistry = new Contract(deployment.didRegistry, ethrDidRegistryArtifact().abi, provider);
  }

  async findAnchor(issuerAddress: string, root: Hex32): Promise<OnChainAnchor | null> {
    const view = await this.anchors.anchorOf(issuerAddress, root);
    if (view.anchoredAt === 0n) return null;
    return {
      anchoredAt: new Date(Number(view.anchoredAt) * 1000),
      blockNumber: Number(view.blockNumber),
      leafCount: Number(view.leafCount),
    };
  }

  async findAnchorTransaction(issuerAddress: string, root: Hex32): Promise<AnchorReceipt | null> {
    const found = await this.findAnchor(issuerAddress, root);
    if (!found) return null;
    const filter = this.anchors.filters.RootAnchored(issuerAddress, root);
    const logs = await this.anchors.queryFilter(filter, found.blockNumber, found.blockNumber);
    const log = logs[0];
    if (!log) return null;
    const receipt = await this.provider.getTransactionReceipt(log.transactionHash);
    if (!receipt) return null;
    return { ...gasOf(receipt), txHash: log.transactionHash, blockNumber: log.blockNumber, anchoredAt: found.anchoredAt };
  }

  /**
   * How many seconds before (or after) its block an accreditation may start: the registry's answer for a moment older
   * than the latest block's time minus this never changes again (revocations and suspensions start at their block).
   */
  async backdateToleranceSeconds(): Promise<number> {
    return Number(await this.registry.backdateTolerance());
  }

  async isAccredited(issuer: string, credentialType: string, at: Date): Promise<boolean> {
    return this.registry.isAccredited(issuer, credentialTypeHash(credentialType), BigInt(Math.floor(at.getTime() / 1000)));
  }

  /**
   * Anchors a root in the issuer's name, sent from `signer` (the key that owns the issuer's identity in ERC-1056 now),
   * and waits for the receipt.
   *
   * The contract checks the key and the accreditation when a key registers as the issuer's anchorer
   * (`registerAnchorer`, kept until the accreditation window ends), not on every batch. So this asks the chain first
   * whether `signer` owns the identity and the identity is accredited for the type now, and refuses without sending
   * when not (as the contract would: a batch anchored in a gap of the accreditation could never verify, and the root
   * could not be anchored again); then registers `signer` unless it is registered for the issuer and type past the
   * latest block, and waits for that; then sends the anchor.
   * @param confirmTimeoutMs - how long to wait for the transactions to be mined, both together (a chain that stopped
   *   producing blocks must not hold the caller forever); a transaction may still be mined later
   * @returns the anchoring transaction's receipt, with the gas it used and its effective gas price (a registration
   *   sent first is not counted: it serves every batch of the key until the window ends)
   * @throws AnchorWriteError (`@citycred/anchoring`) for every failure, its `reason` a stable code: `NotIdentityOwner`,
   *   `IssuerNotAccredited` (for the type named, now), the contract's `RootAlreadyAnchored` (this issuer anchored the
   *   root before), `EmptyRoot`, `EmptyBatch`, `nonce-taken`, `timeout` (not mined in time), `unavailable` (the chain
   *   did not answer) or `unknown`; `sender` is the signer's address
   */
  async anchorRoot(signer: Signer, submission: AnchorSubmission, confirmTimeoutMs = 60_000): Promise<AnchorReceipt> {
    const sender = await signer.getAddress();
    const contract = this.anchors.connect(signer as ContractRunner) as CredentialAnchorContract;
    const credentialType = credentialTypeHash(submission.credentialType);
    // A deadline for the waits, on the monotonic clock: it bounds waiting and says nothing of the time of day.
    const deadline = performance.now() + confirmTimeoutMs;
    const timeLeft = (): number => Math.max(1, Math.round(deadline - performance.now()));
    let receipt;
    try {
      const standing = await this.anchorerStanding(sender, submission.issuer, credentialType);
      if (standing.owner !== getAddress(sender)) {
        throw new AnchorWriteError('NotIdentityOwner', `${sender} is not the ERC-1056 owner of ${submission.issuer} (${standing.owner} is)`, { sender });
      }
      if (!standing.accredited) {
        throw new AnchorWriteError('IssuerNotAccredited', `${submission.issuer} is not accredited for ${submission.credentialType} now`, { sender });
      }
      if (!standing.registered) {
        const registration = await (await contract.registerAnchorer(submission.issuer, credentialType)).wait(1, timeLeft());
        if (!registration || registration.status !== 1) throw new AnchorWriteError('unknown', 'anchorer registration failed', { sender });
      }
      const tx = await contract.anchor(credentialType, submission.root, submission.leafCount);
      receipt = await tx.wait(1, timeLeft());
    } catch (error) {
      throw error instanceof AnchorWriteError ? error : this.writeError(error, sender);
    }
    if (!receipt || receipt.status !== 1) throw new AnchorWriteError('unknown', 'anchoring transaction failed', { sender });
    let block;
    try {
      block = await this.provider.getBlock(receipt.blockNumber);
    } catch (error) {
      // Mined, but its block time is not known yet: the caller looks the anchor up again (findAnchorTransaction).
      throw this.writeError(error, sender);
    }
    return { ...gasOf(receipt), txHash: receipt.hash, blockNumber: receipt.blockNumber, anchoredAt: new Date(Number(block?.timestamp ?? 0) * 1000) };
  }

  /**
   * What the chain says now of `anchorer` sending anchors for `issuer` under `credentialType` (a type hash), as of the
   * latest block: the identity's ERC-1056 owner (checksummed), whether the identity is accredited for the type, and
   * whether `anchorer` is registered as its anchorer for the type past that block's time.
   * @throws whatever the provider throws when the chain does not answer
   */
  async anchorerStanding(anchorer: string, issuer: string, credentialType: string): Promise<{ owner: string; accredited: boolean; registered: boolean }> {
    const latest = await this.provider.getBlock('latest');
    if (!latest) throw new Error('the chain returned no latest block');
    const [owner, accredited, registration] = await Promise.all([
      this.didRegistry.getFunction('identityOwner').staticCall(issuer) as Promise<string>,
      this.registry.isAccredited(issuer, credentialType, latest.timestamp),
      this.anchors.anchorerOf(anchorer, credentialType),
    ]);
    const registered = registration.issuer !== ZeroAddress && getAddress(registration.issuer) === getAddress(issuer) && registration.validUntil > BigInt(latest.timestamp);
    return { owner: getAddress(owner), accredited, registered };
  }

  /**
   * Ends `anchorer`'s registration as `issuer`'s anchorer for `credentialType` (a type hash) once the right it stood
   * for has ended: the key no longer owns the identity in ERC-1056 (a key rotation) or the identity is no longer
   * accredited for the type (a revocation, a suspension, a type removed). Reads the registration, the owner and the
   * accreditation at the latest block first and sends nothing when there is no live registration of the key for the
   * issuer (`not-registered`) or when the right still holds (`still-valid`: CredentialAnchor would refuse anyone but
   * the key itself); otherwise sends `withdrawAnchorer(anchorer, credentialType)` from `sender` — anyone may, for such
   * a registration — and waits for it to be mined.
   * @throws whatever the provider throws when the chain does not answer, and the transaction's error when it is
   *   refused, reverts or cannot be paid for
   */
  async withdrawStaleAnchorer(sender: Signer, anchorer: string, issuer: string, credentialType: string): Promise<AnchorerWithdrawal> {
    const standing = await this.anchorerStanding(anchorer, issuer, credentialType);
    if (!standing.registered) return { outcome: 'not-registered' };
    if (standing.owner === getAddress(anchorer) && standing.accredited) return { outcome: 'still-valid' };
    const contract = this.anchors.connect(sender as ContractRunner) as CredentialAnchorContract;
    const receipt = await (await contract.withdrawAnchorer(anchorer, credentialType)).wait();
    if (!receipt || receipt.status !== 1) throw new Error(`withdrawAnchorer(${anchorer}) was not mined`);
    return { outcome: 'withdrawn', txHash: receipt.hash };
  }

  /**
   * Every (key, type) that registered as `issuer`'s anchorer from block `fromBlock` on (its `AnchorerRegistered`
   * events, read with `eth_getLogs` filtered by the issuer, in ranges the nodes answer), each once: the candidates for
   * a registration that outlived its right. Most of them ended long ago; {@link withdrawStaleAnchorer} tells.
   * @param fromBlock - where to start: the deployment's block
   * @throws whatever the provider throws when the chain does not answer
   */
  async registeredAnchorers(issuer: string, fromBlock: number): Promise<AnchorerRegistration[]> {
    const latest = await this.provider.getBlockNumber();
    const topics = await this.anchors.filters.AnchorerRegistered(issuer).getTopicFilter();
    const found = new Map<string, AnchorerRegistration>();
    for (let from = fromBlock; from <= latest; from += MAX_LOG_RANGE) {
      const to = Math.min(latest, from + MAX_LOG_RANGE - 1);
      const logs = await this.provider.getLogs({ address: this.anchorContract, topics, fromBlock: from, toBlock: to });
      for (const log of logs) {
        const parsed = this.anchors.interface.parseLog(log);
        if (parsed?.name !== 'AnchorerRegistered') continue;
        const registration = { anchorer: getAddress(String(parsed.args[1])), credentialType: String(parsed.args[2]).toLowerCase() };
        found.set(`${registration.anchorer}/${registration.credentialType}`, registration);
      }
    }
    return [...found.values()];
  }

  /**
   * Every `RootAnchored` event of the CredentialAnchor contract in blocks `fromBlock..toBlock` (inclusive), of every
   * issuer, in chain order, read with `eth_getLogs` (one call per 5,000 blocks).
   * @throws whatever the provider throws when the chain does not answer
   */
  async anchoredRoots(fromBlock: number, toBlock: number): Promise<RootAnchoredEvent[]> {
    const topic = this.anchors.interface.getEvent('RootAnchored')!.topicHash;
    const found: RootAnchoredEvent[] = [];
    for (let from = fromBlock; from <= toBlock; from += MAX_LOG_RANGE) {
      const to = Math.min(toBlock, from + MAX_LOG_RANGE - 1);
      const logs = await this.provider.getLogs({ address: this.anchorContract, topics: [topic], fromBlock: from, toBlock: to });
      for (const log of logs) {
        const parsed = this.anchors.interface.parseLog(log);
        if (parsed?.name !== 'RootAnchored') continue;
        found.push({
          issuer: getAddress(String(parsed.args[0])),
          root: String(parsed.args[1]).toLowerCase() as Hex32,
          credentialType: String(parsed.args[2]).toLowerCase(),
          leafCount: Number(parsed.args[3]),
          blockNumber: log.blockNumber,
        });
      }
    }
    return found;
  }

  /**
   * The latest block.
   * @throws whatever the provider throws when the chain does not answer
   */
  async latestBlock(): Promise<ChainBlock> {
    const block = await this.provider.getBlock('latest');
    if (!block?.hash) throw new Error('the chain returned no latest block');
    return { number: block.number, hash: block.hash, timestamp: block.timestamp };
  }

  /** The latest block's time, unix seconds. */
  async latestBlockTime(): Promise<number> {
    return (await this.latestBlock()).timestamp;
  }

  /**
   * The hash of block `blockNumber`.
   * @returns null when the chain has no such block (it was reset below it)
   */
  async blockHash(blockNumber: number): Promise<string | null> {
    return (await this.provider.getBlock(blockNumber))?.hash ?? null;
  }

  /**
   * What the IssuerRegistry says of `issuer` for each of `credentialTypes`: every window (read in pages, revoked
   * and ended ones included), whether each window's accreditor still stands behind it, and whether the issuer is
   * suspended (for the type or for all types) at `atSeconds`.
   * @param credentialTypes - type names; the answer is keyed by them
   * @param atSeconds - the block time to judge suspensions at (the head the caller read)
   * @throws whatever the provider throws when the chain does not answer
   */
  async accreditationOf(issuer: string, credentialTypes: readonly string[], atSeconds: number): Promise<Map<string, TypeAccreditation>> {
    const byType = new Map<string, TypeAccreditation>();
    for (const name of credentialTypes) {
      const type = credentialTypeHash(name);
      const views: AccreditationView[] = [];
      for (let offset = 0; ; offset += WINDOW_PAGE) {
        const page = await this.registry.accreditationsOf(issuer, type, offset, WINDOW_PAGE);
        views.push(...page);
        if (page.length < WINDOW_PAGE) break;
      }
      const openDelegations = new Map<string, ReadonlySet<number>>();
      for (const view of views) {
        if (view.byRoot || openDelegations.has(view.accreditor)) continue;
        // (copied out of ethers' Result first: its own array methods do not build plain arrays)
        const periods = [...(await this.registry.delegationsOf(view.accreditor, type))];
        openDelegations.set(view.accreditor, new Set(periods.flatMap((period, index) => (period.end === OPEN_PERIOD_END ? [index] : []))));
      }
      byType.set(name, {
        windows: views.map((w) => ({
          validFrom: Number(w.validFrom),
          validUntil: Number(w.validUntil),
          revokedAt: w.revokedAt === 0n ? null : Number(w.revokedAt),
          accreditor: getAddress(w.accreditor),
          accreditorStands: w.byRoot || openDelegations.get(w.accreditor)!.has(Number(w.delegationIndex)),
        })),
        suspended: await this.registry.isSuspended(issuer, type, atSeconds),
      });
    }
    return byType;
  }

  /**
   * The IssuerRegistry events that change whom it accredits (`IssuerAccredited`, `AccreditationRevoked`,
   * `IssuerSuspended`, `IssuerReinstated`, `AccreditorAuthorized`) in blocks `fromBlock..toBlock` (inclusive), read
   * with `eth_getLogs` filtered by the registry's address, in chain order.
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
        if (!parsed || !(ACCREDITATION_EVENTS as readonly string[]).includes(parsed.name)) continue;
        const account = getAddress(String(parsed.args[0]));
        const credentialType = String(parsed.args[1]).toLowerCase();
        changes.push(
          parsed.name === 'AccreditorAuthorized'
            ? { event: 'AccreditorAuthorized', department: account, credentialType, blockNumber: log.blockNumber }
            : { event: parsed.name as IssuerChange['event'], issuer: account, credentialType, blockNumber: log.blockNumber },
        );
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

  /** The {@link AnchorWriteError} for what ethers threw while sending or awaiting an anchoring transaction. */
  private writeError(error: unknown, sender: string): AnchorWriteError {
    const data = findRevertData(error);
    if (data) {
      const parsed = this.anchors.interface.parseError(data);
      if (parsed && (ANCHOR_REJECTIONS as readonly string[]).includes(parsed.name)) {
        return new AnchorWriteError(parsed.name as (typeof ANCHOR_REJECTIONS)[number], `CredentialAnchor reverted: ${parsed.name}(${parsed.args.join(', ')})`, { sender, cause: error });
      }
    }
    return new AnchorWriteError(failureOf(error), error instanceof Error ? error.message : String(error), { sender, cause: error });
  }
}

/** The stable code of a send that failed without a custom error of the contract. */
function failureOf(error: unknown): AnchorWriteFailure {
  if (NONCE_TAKEN_CODES.some((code) => isError(error, code))) return 'nonce-taken';
  if (isError(error, 'TIMEOUT')) return 'timeout';
  return isChainUnavailable(error) ? 'unavailable' : 'unknown';
}

/**
 * Whether `error`, thrown by a chain call or transaction through ethers, says the chain did not answer (a refused or
 * reset connection, a JSON-RPC server error, an undici failure), looking through up to five wrapped causes. A revert,
 * a bad argument or a transaction that waited too long for mining is not an outage.
 */
export function isChainUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('UND_ERR_'))) return true;
    current = (current as { cause?: unknown; error?: unknown }).cause ?? (current as { error?: unknown }).error;
  }
  return false;
}

/** The gas a mined transaction used and the price per unit it paid. */
function gasOf(receipt: TransactionReceipt): { gasUsed: number; effectiveGasPrice: bigint } {
  return { gasUsed: Number(receipt.gasUsed), effectiveGasPrice: receipt.gasPrice };
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
