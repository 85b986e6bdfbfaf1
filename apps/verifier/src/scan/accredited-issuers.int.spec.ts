import {
  credentialTypeHash,
  issuerRegistryAt,
  startLocalCity,
  type CityDeployment,
  type LocalChain,
  type LocalCity,
} from '@citycred/anchors';
import { CityChain } from '@citycred/chain';
import { hexlify, JsonRpcProvider, randomBytes, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccreditedIssuerIndex } from './accredited-issuers.js';

/*
 * The offline bundle's list of issuers, read from a real local chain (anvil) with the city's contracts: the
 * IssuerRegistry's IssuerAccredited events, read from the deployment's block once and then only the new blocks, and
 * read again from the start when the chain under the verifier was reset.
 */
describe('AccreditedIssuerIndex', () => {
  let city: LocalCity;
  let chain: LocalChain;
  let provider: JsonRpcProvider;
  let root: Wallet;
  let deployment: CityDeployment;
  let dir: string;

  beforeAll(async () => {
    city = await startLocalCity();
    ({ chain, provider, root, deployment, deploymentsDir: dir } = city);
  });
  afterAll(async () => {
    await city?.stop();
  });

  /** Accredits a new address for `types` for an hour of chain time; returns its address (lower case). */
  async function accredit(types: string[]): Promise<string> {
    const issuer = Wallet.createRandom().address;
    const now = BigInt((await provider.getBlock('latest'))!.timestamp);
    const registry = issuerRegistryAt(deployment.issuerRegistry, root);
    await (await registry.accreditIssuer(issuer, types.map(credentialTypeHash), now, now + 3_600n)).wait();
    return issuer.toLowerCase();
  }

  it('lists every accredited issuer with its type hashes, reads only new blocks later, and starts over after a reset', async () => {
    const index = new AccreditedIssuerIndex(new CityChain(provider, deployment), deployment.blockNumber);
    const card = await accredit(['SeoulCitizenCard']);
    const first = await index.candidates();
    expect(first.types.get(card)).toEqual(new Set([credentialTypeHash('SeoulCitizenCard').toLowerCase()]));

    const snapshot = await provider.send('evm_snapshot', []);
    const cafe = await accredit(['LaborContract', 'WorkExperience']);
    const second = await index.candidates();
    expect(second.head.number).toBeGreaterThan(first.head.number);
    expect([...second.types.keys()].sort()).toEqual([card, cafe].sort());
    expect(second.types.get(cafe)!.size).toBe(2);

    // The chain goes back before the café's accreditation, and on with other blocks: the index notices.
    await provider.send('evm_revert', [snapshot]);
    await provider.send('anvil_mine', ['0x3']);
    const third = await index.candidates();
    expect([...third.types.keys()]).toEqual([card]);

    // Concurrent callers share one reading.
    const [a, b] = await Promise.all([index.candidates(), index.candidates()]);
    expect(a).toBe(b);
  });

  it('lists the roots each issuer anchored (RootAnchored events), new ones on the next reading, none of a reverted chain', async () => {
    const cityChain = new CityChain(provider, deployment);
    const index = new AccreditedIssuerIndex(cityChain, deployment.blockNumber);
    const issuer = await city.fundedWallet();
    const now = BigInt((await provider.getBlock('latest'))!.timestamp);
    await (await issuerRegistryAt(deployment.issuerRegistry, root).accreditIssuer(issuer.address, [credentialTypeHash('SeoulCitizenCard')], now, now + 3_600n)).wait();
    const address = issuer.address.toLowerCase();
    const newRoot = () => hexlify(randomBytes(32)) as `0x${string}`;
    const first = newRoot();
    const receipt = await cityChain.anchorRoot(issuer, { issuer: issuer.address, credentialType: 'SeoulCitizenCard', root: first, leafCount: 3 });
    await index.candidates();
    expect(index.rootsOf(address)).toEqual({
      events: [{ issuer: issuer.address, root: first, credentialType: credentialTypeHash('SeoulCitizenCard').toLowerCase(), leafCount: 3, blockNumber: receipt.blockNumber }],
      complete: true,
    });

    const snapshot = await provider.send('evm_snapshot', []);
    const second = newRoot();
    await cityChain.anchorRoot(issuer, { issuer: issuer.address, credentialType: 'SeoulCitizenCard', root: second, leafCount: 1 });
    await index.candidates();
    expect(index.rootsOf(address).events.map((event) => event.root)).toEqual([first, second]);
    await provider.send('evm_revert', [snapshot]);
    await provider.send('anvil_mine', ['0x3']);
    await index.candidates();
    expect(index.rootsOf(address).events.map((event) => event.root)).toEqual([first]);
    expect(index.rootsOf(Wallet.createRandom().address.toLowerCase())).toEqual({ events: [], complete: true });
  });
});
