import {
  Contract,
  Interface,
  type AddressLike,
  type BaseContract,
  type BaseContractMethod,
  type BigNumberish,
  type BytesLike,
  type ContractEvent,
  type ContractRunner,
  type ContractTransactionResponse,
} from 'ethers';
import { loadArtifact } from './artifacts.js';

/** A state-changing contract method: calling it sends a transaction. */
type SendMethod<A extends unknown[]> = BaseContractMethod<A, void, ContractTransactionResponse>;
/** A view method: calling it returns the decoded value. */
type ViewMethod<A extends unknown[], R> = BaseContractMethod<A, R, R>;

/** `end` of a delegation or suspension period that is still open (`type(uint64).max`). */
export const OPEN_PERIOD_END = 2n ** 64n - 1n;

/** The credential type that stands for "all types" in suspensions (`bytes32(0)`). */
export const ALL_CREDENTIAL_TYPES = `0x${'0'.repeat(64)}`;

/** One accreditation window as returned by `IssuerRegistry.windowAt` / `accreditationsOf` (times in unix seconds). */
export interface AccreditationView {
  /** The account that made the window. */
  accreditor: string;
  /** Whether the accreditor was the root when it made it; otherwise it counts only within its delegation period. */
  byRoot: boolean;
  validFrom: bigint;
  /** Exclusive end. */
  validUntil: bigint;
  /** 0 while not revoked. */
  revokedAt: bigint;
  /** Index into `delegationsOf(accreditor, type)` of the period it was made in (0 and meaningless when `byRoot`). */
  delegationIndex: bigint;
}

/** A delegation or suspension period [start, end) in unix seconds; `end` is {@link OPEN_PERIOD_END} while open. */
export interface PeriodView {
  start: bigint;
  end: bigint;
}

/** What `CredentialAnchor.anchorOf(issuer, root)` returns, by position and by name. */
export type AnchorView = [anchoredAt: bigint, blockNumber: bigint, leafCount: bigint] & {
  /** 0 when this issuer never anchored the root. */
  anchoredAt: bigint;
  blockNumber: bigint;
  leafCount: bigint;
};

/** What `CredentialAnchor.anchorerOf(anchorer, credentialType)` returns, by position and by name. */
export type AnchorerView = [issuer: string, validUntil: bigint] & {
  /** The identity the key anchors for under the type; the zero address when it is not registered. */
  issuer: string;
  /** When the registration ends (unix seconds, exclusive). */
  validUntil: bigint;
};

/** Arguments of `IssuerRegistry.IssuerAccredited`. */
export interface IssuerAccreditedEvent {
  issuer: string;
  credentialType: string;
  accreditor: string;
  index: bigint;
  validFrom: bigint;
  validUntil: bigint;
}

/** Arguments of `IssuerRegistry.AccreditationRevoked`. */
export interface AccreditationRevokedEvent {
  issuer: string;
  credentialType: string;
  revokedBy: string;
  index: bigint;
  revokedAt: bigint;
}

/** Arguments of `IssuerRegistry.IssuerSuspended` (`credentialType` zero: all types). */
export interface IssuerSuspendedEvent {
  issuer: string;
  credentialType: string;
  suspendedAt: bigint;
}

/** Arguments of `IssuerRegistry.IssuerReinstated` (`credentialType` zero: all types). */
export interface IssuerReinstatedEvent {
  issuer: string;
  credentialType: string;
  reinstatedAt: bigint;
}

/** Arguments of `IssuerRegistry.AccreditorAuthorized`. */
export interface AccreditorAuthorizedEvent {
  department: string;
  credentialType: string;
  allowed: boolean;
  changedAt: bigint;
}

/** Arguments of `IssuerRegistry.RootProposed` (`proposedRoot` zero: proposal withdrawn). */
export interface RootProposedEvent {
  currentRoot: string;
  proposedRoot: string;
}

/** Arguments of `IssuerRegistry.RootTransferred`. */
export interface RootTransferredEvent {
  previousRoot: string;
  newRoot: string;
}

/** Arguments of `CredentialAnchor.RootAnchored` (the block gives the time, the transaction the key that sent it). */
export interface RootAnchoredEvent {
  issuer: string;
  root: string;
  credentialType: string;
  leafCount: bigint;
}

/** Arguments of `CredentialAnchor.AnchorerRegistered`. */
export interface AnchorerRegisteredEvent {
  issuer: string;
  anchorer: string;
  credentialType: string;
  validUntil: bigint;
}

/** Arguments of `CredentialAnchor.AnchorerWithdrawn`. */
export interface AnchorerWithdrawnEvent {
  issuer: string;
  anchorer: string;
  credentialType: string;
}

/** Every `IssuerRegistry` event by name, with its arguments. */
export interface IssuerRegistryEvents {
  IssuerAccredited: IssuerAccreditedEvent;
  AccreditationRevoked: AccreditationRevokedEvent;
  IssuerSuspended: IssuerSuspendedEvent;
  IssuerReinstated: IssuerReinstatedEvent;
  AccreditorAuthorized: AccreditorAuthorizedEvent;
  RootProposed: RootProposedEvent;
  RootTransferred: RootTransferredEvent;
}

/** Every `CredentialAnchor` event by name, with its arguments. */
export interface CredentialAnchorEvents {
  RootAnchored: RootAnchoredEvent;
  AnchorerRegistered: AnchorerRegisteredEvent;
  AnchorerWithdrawn: AnchorerWithdrawnEvent;
}

/** A decoded contract log: the event name and its arguments as a plain object (addresses checksummed). */
export type DecodedLog<E> = { [N in keyof E]: { name: N; args: E[N] } }[keyof E];

/** The custom errors `CredentialAnchor.registerAnchorer` and `CredentialAnchor.anchor` revert with. */
export type CredentialAnchorErrorName =
  | 'NotIdentityOwner'
  | 'IssuerNotAccredited'
  | 'NotAnchorer'
  | 'RootAlreadyAnchored'
  | 'EmptyRoot'
  | 'EmptyBatch';

/**
 * The `IssuerRegistry` contract as ethers sees it, with its methods and indexed event filters typed
 * (see anchors/contracts/IssuerRegistry.sol for their semantics and revert reasons).
 */
export interface IssuerRegistryContract extends BaseContract {
  VERSION: ViewMethod<[], bigint>;
  backdateTolerance: ViewMethod<[], bigint>;
  /** The ERC-1056 registry whose `identityOwner` decides which key acts for a department. */
  didRegistry: ViewMethod<[], string>;
  root: ViewMethod<[], string>;
  pendingRoot: ViewMethod<[], string>;
  proposeRoot: SendMethod<[proposedRoot: AddressLike]>;
  acceptRoot: SendMethod<[]>;
  setAccreditorTypes: SendMethod<[department: AddressLike, credentialTypes: BytesLike[], allowed: boolean]>;
  accreditIssuer: SendMethod<
    [issuer: AddressLike, credentialTypes: BytesLike[], validFrom: BigNumberish, validUntil: BigNumberish]
  >;
  /** As `accreditIssuer` called by `department`; sent by the department identity's current ERC-1056 owner key. */
  accreditIssuerAs: SendMethod<
    [
      department: AddressLike,
      issuer: AddressLike,
      credentialTypes: BytesLike[],
      validFrom: BigNumberish,
      validUntil: BigNumberish,
    ]
  >;
  revokeAccreditation: SendMethod<[issuer: AddressLike, credentialType: BytesLike, index: BigNumberish]>;
  /** As `revokeAccreditation` called by `department`; sent by the department identity's current ERC-1056 owner key. */
  revokeAccreditationAs: SendMethod<
    [department: AddressLike, issuer: AddressLike, credentialType: BytesLike, index: BigNumberish]
  >;
  suspendIssuer: SendMethod<[issuer: AddressLike, credentialType: BytesLike]>;
  reinstateIssuer: SendMethod<[issuer: AddressLike, credentialType: BytesLike]>;
  isAccredited: ViewMethod<[issuer: AddressLike, credentialType: BytesLike, atTime: BigNumberish], boolean>;
  /** The effective end (unix seconds, exclusive) of the window accrediting the issuer at `atTime`; 0 when none. */
  accreditedUntil: ViewMethod<[issuer: AddressLike, credentialType: BytesLike, atTime: BigNumberish], bigint>;
  isSuspended: ViewMethod<[issuer: AddressLike, credentialType: BytesLike, atTime: BigNumberish], boolean>;
  canAccredit: ViewMethod<[department: AddressLike, credentialType: BytesLike], boolean>;
  everDelegated: ViewMethod<[account: AddressLike], boolean>;
  everAccreditedByRoot: ViewMethod<[account: AddressLike], boolean>;
  windowCount: ViewMethod<[issuer: AddressLike, credentialType: BytesLike], bigint>;
  windowAt: ViewMethod<[issuer: AddressLike, credentialType: BytesLike, index: BigNumberish], AccreditationView>;
  accreditationsOf: ViewMethod<
    [issuer: AddressLike, credentialType: BytesLike, offset: BigNumberish, limit: BigNumberish],
    AccreditationView[]
  >;
  credentialTypesOf: ViewMethod<[issuer: AddressLike], string[]>;
  delegationsOf: ViewMethod<[department: AddressLike, credentialType: BytesLike], PeriodView[]>;
  suspensionsOf: ViewMethod<[issuer: AddressLike, credentialType: BytesLike], PeriodView[]>;
  filters: BaseContract['filters'] & {
    IssuerAccredited: ContractEvent<[issuer: AddressLike, credentialType: BytesLike, accreditor: AddressLike]>;
    AccreditationRevoked: ContractEvent<[issuer: AddressLike, credentialType: BytesLike, revokedBy: AddressLike]>;
    IssuerSuspended: ContractEvent<[issuer: AddressLike, credentialType: BytesLike]>;
    IssuerReinstated: ContractEvent<[issuer: AddressLike, credentialType: BytesLike]>;
    AccreditorAuthorized: ContractEvent<[department: AddressLike, credentialType: BytesLike]>;
    RootProposed: ContractEvent<[currentRoot: AddressLike, proposedRoot: AddressLike]>;
    RootTransferred: ContractEvent<[previousRoot: AddressLike, newRoot: AddressLike]>;
  };
}

/**
 * The `CredentialAnchor` contract as ethers sees it, with its methods and indexed event filter typed
 * (see anchors/contracts/CredentialAnchor.sol).
 */
export interface CredentialAnchorContract extends BaseContract {
  VERSION: ViewMethod<[], bigint>;
  registry: ViewMethod<[], string>;
  didRegistry: ViewMethod<[], string>;
  /** Sent by the identity's ERC-1056 owner while the identity is accredited for the type: the sender anchors for it. */
  registerAnchorer: SendMethod<[issuer: AddressLike, credentialType: BytesLike]>;
  /** Ends a registration: by the anchorer at any time, by anyone once its key or accreditation no longer holds. */
  withdrawAnchorer: SendMethod<[anchorer: AddressLike, credentialType: BytesLike]>;
  /** Anchors a root in the name of the issuer the sender is registered for under the type. */
  anchor: SendMethod<[credentialType: BytesLike, root: BytesLike, leafCount: BigNumberish]>;
  anchorOf: ViewMethod<[issuer: AddressLike, root: BytesLike], AnchorView>;
  anchorerOf: ViewMethod<[anchorer: AddressLike, credentialType: BytesLike], AnchorerView>;
  filters: BaseContract['filters'] & {
    RootAnchored: ContractEvent<[issuer: AddressLike, root: BytesLike, credentialType: BytesLike]>;
    AnchorerRegistered: ContractEvent<[issuer: AddressLike, anchorer: AddressLike, credentialType: BytesLike]>;
    AnchorerWithdrawn: ContractEvent<[issuer: AddressLike, anchorer: AddressLike, credentialType: BytesLike]>;
  };
}

/**
 * An `IssuerRegistry` client bound to a deployed address.
 * @param address The registry's address.
 * @param runner A signer to send transactions, a provider for read-only use, or null.
 * @returns An ethers Contract built from the compiled ABI; custom-error reverts decode by name.
 * @throws Error when the artifact is missing (run `npm run build`).
 */
export function issuerRegistryAt(address: string, runner: ContractRunner | null): IssuerRegistryContract {
  return new Contract(address, loadArtifact('IssuerRegistry').abi, runner) as unknown as IssuerRegistryContract;
}

/**
 * A `CredentialAnchor` client bound to a deployed address.
 * @param address The anchor contract's address.
 * @param runner A signer to send transactions, a provider for read-only use, or null.
 * @returns An ethers Contract built from the compiled ABI; custom-error reverts decode by name.
 * @throws Error when the artifact is missing (run `npm run build`).
 */
export function credentialAnchorAt(address: string, runner: ContractRunner | null): CredentialAnchorContract {
  return new Contract(address, loadArtifact('CredentialAnchor').abi, runner) as unknown as CredentialAnchorContract;
}

const interfaces = new Map<string, Interface>();

function decodeLog<E>(contract: 'IssuerRegistry' | 'CredentialAnchor', log: LogLike): DecodedLog<E> | null {
  let abi = interfaces.get(contract);
  if (!abi) {
    abi = new Interface(loadArtifact(contract).abi);
    interfaces.set(contract, abi);
  }
  const parsed = abi.parseLog({ topics: [...log.topics], data: log.data });
  if (!parsed) return null;
  return { name: parsed.name, args: parsed.args.toObject() } as DecodedLog<E>;
}

/** The parts of a log (ethers `Log`, `EventLog` or a raw RPC log) needed to decode it. */
export interface LogLike {
  topics: readonly string[];
  data: string;
}

/**
 * Decodes a log emitted by the `IssuerRegistry` (the caller filters by the registry's address).
 * @param log The log's topics and data.
 * @returns The event name and its arguments, narrowed by name; null when the log is not one of its events.
 * @throws Error when the artifact is missing (run `npm run build`).
 */
export function decodeIssuerRegistryLog(log: LogLike): DecodedLog<IssuerRegistryEvents> | null {
  return decodeLog<IssuerRegistryEvents>('IssuerRegistry', log);
}

/**
 * Decodes a log emitted by the `CredentialAnchor` (the caller filters by the contract's address).
 * @param log The log's topics and data.
 * @returns The event name and its arguments; null when the log is not one of its events.
 * @throws Error when the artifact is missing (run `npm run build`).
 */
export function decodeCredentialAnchorLog(log: LogLike): DecodedLog<CredentialAnchorEvents> | null {
  return decodeLog<CredentialAnchorEvents>('CredentialAnchor', log);
}
