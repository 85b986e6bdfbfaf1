import {
  JsonRpcProvider,
  Wallet,
  isError,
  parseEther,
  toQuantity,
  type BaseContract,
  type ContractTransactionResponse,
  type HDNodeWallet,
  type Interface,
  type TransactionReceipt,
} from 'ethers';
import { expect } from 'vitest';
import type { LocalChain } from '../src/local-chain.js';

/**
 * A provider for a local anvil: fixed network (no detection round-trips), no response caching
 * (time and blocks move between calls) and fast polling.
 */
export function localProvider(chain: LocalChain): JsonRpcProvider {
  const provider = new JsonRpcProvider(chain.rpcUrl, chain.chainId, { staticNetwork: true, cacheTimeout: -1 });
  provider.pollingInterval = 50;
  return provider;
}

/** A new random account holding 100 ETH on the local chain (never one of anvil's well-known keys). */
export async function fundedWallet(provider: JsonRpcProvider): Promise<HDNodeWallet> {
  const wallet = Wallet.createRandom().connect(provider);
  await provider.send('anvil_setBalance', [wallet.address, toQuantity(parseEther('100'))]);
  return wallet;
}

/** Timestamp of the latest block. */
export async function chainNow(provider: JsonRpcProvider): Promise<number> {
  const block = await provider.getBlock('latest');
  if (!block) throw new Error('no latest block');
  return block.timestamp;
}

/** Moves chain time forward by `seconds` and mines a block carrying the new time. */
export async function advanceTime(provider: JsonRpcProvider, seconds: number): Promise<void> {
  await provider.send('evm_increaseTime', [seconds]);
  await provider.send('evm_mine', []);
}

/** Sends a transaction, waits for it to be mined and returns its successful receipt. */
export async function mined(sent: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const receipt = await (await sent).wait();
  if (!receipt || receipt.status !== 1) throw new Error('transaction failed');
  return receipt;
}

/** Block time of the block that included `receipt`. */
export async function blockTime(provider: JsonRpcProvider, receipt: TransactionReceipt): Promise<number> {
  const block = await provider.getBlock(receipt.blockNumber);
  if (!block) throw new Error(`no block ${receipt.blockNumber}`);
  return block.timestamp;
}

/** The named arguments of every `eventName` log that `contract` emitted in `receipt`, in order. */
export function eventsIn(
  receipt: TransactionReceipt,
  contract: BaseContract,
  eventName: string,
): Record<string, unknown>[] {
  const address = String(contract.target).toLowerCase();
  return receipt.logs
    .filter((log) => log.address.toLowerCase() === address)
    .map((log) => contract.interface.parseLog(log))
    .filter((parsed) => parsed?.name === eventName)
    .map((parsed) => parsed!.args.toObject());
}

/**
 * Asserts that `action` reverts with the custom error `errorName(...args)` declared in
 * `contract`'s ABI, decoded from the revert data (not from a message string).
 */
export async function expectCustomError(
  action: Promise<unknown>,
  contract: { interface: Interface },
  errorName: string,
  args: unknown[] = [],
): Promise<void> {
  let caught: unknown = undefined;
  let reverted = false;
  try {
    await action;
  } catch (error) {
    caught = error;
    reverted = true;
  }
  expect(reverted, `expected a ${errorName} revert, but the call succeeded`).toBe(true);
  if (!isError(caught, 'CALL_EXCEPTION')) throw caught;
  expect(caught.data, 'revert carries no data').toMatch(/^0x[0-9a-f]{8}/i);
  const decoded = contract.interface.parseError(caught.data ?? '0x');
  expect(decoded?.name).toBe(errorName);
  expect(decoded?.args.toArray()).toEqual(args);
}
