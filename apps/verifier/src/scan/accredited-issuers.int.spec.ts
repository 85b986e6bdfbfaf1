import {
  credentialTypeHash,
  issuerRegistryAt,
  startLocalCity,
  type CityDeployment,
  type LocalChain,
  type LocalCity,
} from '@citycred/anchors';
import { CityChain } from '@citycred/chain';
import { JsonRpcProvider, Wallet } from 'ethers';
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
});
