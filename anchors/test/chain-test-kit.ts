import {
  ContractFactory,
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
import { ethrDidRegistryArtifact, loadArtifact } from '../src/artifacts.js';
import { issuerRegistryAt, type IssuerRegistryContract } from '../src/contracts.js';
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

/**
 * Makes the next block carry the time `latest + seconds` and returns it. Gas estimation and calls on the
 * pending block see that time too, so a revert decided by `block.timestamp` is decided at that exact time.
 */
export async function pinNextBlockTime(provider: JsonRpcProvider, seconds: number): Promise<number> {
  const at = (await chainNow(provider)) + seconds;
  await provider.send('evm_setNextBlockTimestamp', [at]);
  return at;
}

/** Deploys the ERC-1056 `EthereumDIDRegistry` shipped with ethr-did-resolver and returns its address. */
export async function deployDidRegistry(deployer: Wallet | HDNodeWallet): Promise<string> {
  const { abi, bytecode } = ethrDidRegistryArtifact();
  const deployed = await new ContractFactory(abi, bytecode, deployer).deploy();
  await deployed.waitForDeployment();
  return deployed.getAddress();
}

/**
 * Deploys a bare `IssuerRegistry` with `root` as its root, the given backdate tolerance (seconds) and the ERC-1056
 * registry at `didRegistry` deciding which key acts for a department.
 */
export async function deployRegistry(
  root: Wallet | HDNodeWallet,
  backdateTolerance: number,
  didRegistry: string,
): Promise<IssuerRegistryContract> {
  const artifact = loadArtifact('IssuerRegistry');
  const deployed = await new ContractFactory(artifact.abi, artifact.bytecode, root).deploy(root.address, backdateTolerance, didRegistry);
  await deployed.waitForDeployment();
  return issuerRegistryAt(await deployed.getAddress(), root);
}

/**
 * Sends many calls from `wallet` quickly: signs them locally with consecutive nonces, broadcasts them together
 * (the provider batches the requests), mines until anvil's pool is empty and returns once every one was mined
 * successfully.
 *
 * The transactions are EIP-1559 with a fee cap far above today's base fee: mining a thousand calls fills blocks,
 * each full block raises the base fee by 12.5 %, and a fixed legacy gas price would soon sit below it, leaving the
 * rest of the pool unmineable for ever. A pool that stops shrinking is reported, not waited on.
 * @throws Error when one of them failed, or when the pool stopped shrinking.
 */
export async function sendAll(
  wallet: HDNodeWallet,
  calls: ReadonlyArray<{ to: string; data: string }>,
  gasLimit = 500_000n,
): Promise<void> {
  const provider = wallet.provider as JsonRpcProvider;
  const nonce = await wallet.getNonce('pending');
  const { chainId } = await provider.getNetwork();
  const latest = await provider.getBlock('latest');
  const maxFeePerGas = (latest?.baseFeePerGas ?? 1_000_000_000n) * 20n + 1_000_000_000n;
  const signed = await Promise.all(
    calls.map((call, i) =>
      wallet.signTransaction({
        ...call,
        nonce: nonce + i,
        gasLimit,
        maxFeePerGas,
        maxPriorityFeePerGas: 1_000_000n,
        type: 2,
        chainId,
      }),
    ),
  );
  const hashes: string[] = await Promise.all(signed.map((raw) => provider.send('eth_sendRawTransaction', [raw])));
  // Automine mines one block per arriving transaction and leaves what does not fit in the pool: mine it out.
  let left = Number.POSITIVE_INFINITY;
  let idleMines = 0;
  for (;;) {
    const pool: { pending: string; queued: string } = await provider.send('txpool_status', []);
    const inPool = Number(BigInt(pool.pending) + BigInt(pool.queued));
    if (inPool === 0) break;
    idleMines = inPool < left ? 0 : idleMines + 1;
    left = Math.min(left, inPool);
    if (idleMines > 20) throw new Error(`sendAll: ${inPool} of ${calls.length} transactions stay in the pool`);
    await provider.send('evm_mine', []);
  }
  const receipts = await Promise.all(
    hashes.map(async (hash) => (await provider.getTransactionReceipt(hash)) ?? provider.waitForTransaction(hash, 1, 10_000)),
  );
  const failed = receipts.filter((receipt) => receipt?.status !== 1).length;
  if (failed > 0) throw new Error(`${failed} of ${calls.length} transactions failed`);
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
