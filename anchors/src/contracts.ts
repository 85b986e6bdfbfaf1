import {
  Contract,
  type AddressLike,
  type BaseContract,
  type BaseContractMethod,
  type BigNumberish,
  type BytesLike,
  type ContractRunner,
  type ContractTransactionResponse,
} from 'ethers';
import { loadArtifact } from './artifacts.js';

/** A state-changing contract method: calling it sends a transaction. */
type SendMethod<A extends unknown[]> = BaseContractMethod<A, void, ContractTransactionResponse>;
/** A view method: calling it returns the decoded value. */
type ViewMethod<A extends unknown[], R> = BaseContractMethod<A, R, R>;

/** One accreditation window as returned by `IssuerRegistry.accreditationsOf` (times in unix seconds). */
export interface AccreditationView {
  accreditor: string;
  validFrom: bigint;
  validUntil: bigint;
  /** 0 while not revoked. */
  revokedAt: bigint;
}

/** What `CredentialAnchor.anchorOf` returns, by position and by name. */
export type AnchorView = [issuer: string, anchoredAt: bigint, blockNumber: bigint, leafCount: bigint] & {
  /** Zero address when the root was never anchored. */
  issuer: string;
  anchoredAt: bigint;
  blockNumber: bigint;
  leafCount: bigint;
};

/**
 * The `IssuerRegistry` contract as ethers sees it, with its methods typed
 * (see anchors/contracts/IssuerRegistry.sol for their semantics and revert reasons).
 */
export interface IssuerRegistryContract extends BaseContract {
  root: ViewMethod<[], string>;
  transferRoot: SendMethod<[newRoot: AddressLike]>;
  setAccreditorTypes: SendMethod<[department: AddressLike, credentialTypes: BytesLike[], allowed: boolean]>;
  accreditIssuer: SendMethod<
    [issuer: AddressLike, credentialTypes: BytesLike[], validFrom: BigNumberish, validUntil: BigNumberish]
  >;
  revokeAccreditation: SendMethod<[issuer: AddressLike, credentialType: BytesLike, index: BigNumberish]>;
  isAccredited: ViewMethod<[issuer: AddressLike, credentialType: BytesLike, atTime: BigNumberish], boolean>;
  isAccreditedForAnyType: ViewMethod<[issuer: AddressLike, atTime: BigNumberish], boolean>;
  canAccredit: ViewMethod<[department: AddressLike, credentialType: BytesLike], boolean>;
  accreditationsOf: ViewMethod<[issuer: AddressLike, credentialType: BytesLike], AccreditationView[]>;
  credentialTypesOf: ViewMethod<[issuer: AddressLike], string[]>;
}

/**
 * The `CredentialAnchor` contract as ethers sees it, with its methods typed
 * (see anchors/contracts/CredentialAnchor.sol).
 */
export interface CredentialAnchorContract extends BaseContract {
  registry: ViewMethod<[], string>;
  anchor: SendMethod<[root: BytesLike, leafCount: BigNumberish]>;
  anchorOf: ViewMethod<[root: BytesLike], AnchorView>;
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
