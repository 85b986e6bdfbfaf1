import { Contract, encodeBytes32String, getAddress, type ContractRunner, type ContractTransactionResponse } from 'ethers';
import { EthereumDIDRegistry } from 'ethr-did-resolver';

/**
 * The ERC-1056 `EthereumDIDRegistry` calls CityCred makes: who owns an identity (the key that may change its DID
 * document and, on the CredentialAnchor, anchor in its name), handing ownership to a new key, and the delegates
 * a department may register. Every write must come from the identity's current owner.
 */
export interface DidRegistry {
  /** The registry's address. */
  readonly address: string;
  /** The current owner of `identity` (the identity itself until its first `changeOwner`), checksummed. */
  identityOwner(identity: string): Promise<string>;
  /** Makes `newOwner` the owner of `identity`; sent by the current owner. */
  changeOwner(identity: string, newOwner: string): Promise<ContractTransactionResponse>;
  /**
   * Registers `delegate` as a delegate of type `delegateType` (e.g. `veriKey`: may sign for the identity) for
   * `validitySeconds` from the block's time; sent by the current owner.
   */
  addDelegate(identity: string, delegateType: DelegateType, delegate: string, validitySeconds: bigint): Promise<ContractTransactionResponse>;
  /** Ends `delegate`'s validity at the block's time; sent by the current owner. */
  revokeDelegate(identity: string, delegateType: DelegateType, delegate: string): Promise<ContractTransactionResponse>;
}

/** ERC-1056 delegate types: `veriKey` signs for the identity, `sigAuth` also authenticates as it. */
export type DelegateType = 'veriKey' | 'sigAuth';

/**
 * The ERC-1056 registry at `address`, read through `runner` (a provider) or written through it (a signer).
 * @param address - the registry's address (the deployment record's `didRegistry`)
 * @param runner - a provider for reads, a signer for writes
 */
export function didRegistryAt(address: string, runner: ContractRunner): DidRegistry {
  const contract = new Contract(address, EthereumDIDRegistry.abi, runner);
  const call = <T>(name: string, ...args: unknown[]): Promise<T> => contract.getFunction(name)(...args) as Promise<T>;
  return {
    address: getAddress(address),
    identityOwner: async (identity) => getAddress(await call<string>('identityOwner', identity)),
    changeOwner: (identity, newOwner) => call('changeOwner', identity, newOwner),
    addDelegate: (identity, delegateType, delegate, validitySeconds) => call('addDelegate', identity, encodeBytes32String(delegateType), delegate, validitySeconds),
    revokeDelegate: (identity, delegateType, delegate) => call('revokeDelegate', identity, encodeBytes32String(delegateType), delegate),
  };
}
