import {
  credentialAnchorAt,
  credentialTypeHash,
  ethrDidRegistryArtifact,
  issuerRegistryAt,
  startLocalCity,
  type CityDeployment,
  type IssuerRegistryContract,
  type LocalChain,
  type LocalCity,
} from '@citycred/anchors';
import { AnchorWriteError, buildMerkleTree, type Hex32 } from '@citycred/anchoring';
import { freePort } from '@citycred/anchors';
import { Contract, JsonRpcProvider, keccak256, toUtf8Bytes, Wallet } from 'ethers';
import { CityAnchorWriter } from './anchor-writer.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CityChain } from './city-chain.js';

/*
 * The ethers adapter against a real local chain and the deployed v3 contracts: anchors are read per issuer, the
 * sending key is registered as the issuer's anchorer when it is not yet, the contract's refusals come back as
 * AnchorWriteError reasons, and the registry's events as accreditation changes.
 * Every case makes its own issuers (fresh random accounts), so each can run alone.
 */

let city: LocalCity;
let chain: LocalChain;
let provider: JsonRpcProvider;
let deployment: CityDeployment;
let cityChain: CityChain;
let registry: IssuerRegistryContract;
let deploymentsDir: string;

beforeAll(async () => {
  city = await startLocalCity();
  ({ chain, provider, deployment, deploymentsDir } = city);
  const { root } = city;
  cityChain = new CityChain(provider, deployment);
  registry = issuerRegistryAt(deployment.issuerRegistry, root);
});

afterAll(async () => {
  await city?.stop();
});

const chainNow = async () => (await provider.getBlock('latest'))!.timestamp;

/** A funded account the city root accredits for `types` from now for an hour. */
async function accreditedIssuer(types: string[]): Promise<Wallet> {
  const issuer = await city.fundedWallet();
  const now = await chainNow();
  await (await registry.accreditIssuer(issuer.address, types.map(credentialTypeHash), now, now + 3_600)).wait();
  return issuer;
}

/**
 * What `anchor(type, root, 1)` sent by `key` would do at the latest block, asked with eth_call from its address (so a
 * key deleted elsewhere can be asked): `anchors`, or the name of the contract's custom error.
 */
async function anchorFrom(key: string, type: string): Promise<string | undefined> {
  const anchors = credentialAnchorAt(deployment.credentialAnchor, provider);
  return anchors.anchor.staticCall(credentialTypeHash(type), newRoot(), 1, { from: key }).then(
    () => 'anchors',
    (error: { data?: string }) => anchors.interface.parseError(error.data ?? '0x')?.name,
  );
}

/** A fresh batch root. */
const newRoot = (): Hex32 => buildMerkleTree([keccak256(toUtf8Bytes(Wallet.createRandom().address)) as Hex32]).root;

/** The reason `anchorRoot` was refused with, or null when it landed. */
async function refusalOf(send: Promise<unknown>): Promise<string | null> {
  try {
    await send;
    return null;
  } catch (error) {
    if (error instanceof AnchorWriteError) return error.reason;
    throw error;
  }
}

describe('CityChain (real chain, contracts v3)', () => {
  it('reads an anchor per issuer: the same root anchored by two issuers is two anchors, each with its own transaction', async () => {
    const first = await accreditedIssuer(['EnrollmentStatus']);
    const second = await accreditedIssuer(['WorkExperience']);
    const root = newRoot();
    expect(await cityChain.findAnchor(first.address, root)).toBeNull();

    const byFirst = await cityChain.anchorRoot(first, { issuer: first.address, credentialType: 'EnrollmentStatus', root, leafCount: 1 });
    expect(await cityChain.findAnchor(second.address, root)).toBeNull();
    const bySecond = await cityChain.anchorRoot(second, { issuer: second.address, credentialType: 'WorkExperience', root, leafCount: 3 });

    expect(await cityChain.findAnchor(first.address, root)).toEqual({ anchoredAt: byFirst.anchoredAt, blockNumber: byFirst.blockNumber, leafCount: 1 });
    expect(await cityChain.findAnchor(second.address, root)).toEqual({ anchoredAt: bySecond.anchoredAt, blockNumber: bySecond.blockNumber, leafCount: 3 });
    expect(await cityChain.findAnchorTransaction(first.address, root)).toEqual(byFirst);
    expect(await cityChain.findAnchorTransaction(second.address, root)).toEqual(bySecond);
  });

  it('names the contract’s refusals: NotIdentityOwner, IssuerNotAccredited for the type named, RootAlreadyAnchored by the same issuer', async () => {
    const issuer = await accreditedIssuer(['EnrollmentStatus']);
    const other = await accreditedIssuer(['EnrollmentStatus']);
    const root = newRoot();
    expect(await refusalOf(cityChain.anchorRoot(other, { issuer: issuer.address, credentialType: 'EnrollmentStatus', root, leafCount: 1 }))).toBe('NotIdentityOwner');
    expect(await refusalOf(cityChain.anchorRoot(issuer, { issuer: issuer.address, credentialType: 'WorkExperience', root, leafCount: 1 }))).toBe('IssuerNotAccredited');
    expect(await refusalOf(cityChain.anchorRoot(issuer, { issuer: issuer.address, credentialType: 'EnrollmentStatus', root, leafCount: 1 }))).toBeNull();
    expect(await refusalOf(cityChain.anchorRoot(issuer, { issuer: issuer.address, credentialType: 'EnrollmentStatus', root, leafCount: 1 }))).toBe('RootAlreadyAnchored');
  });

  it('registers the sending key as the issuer’s anchorer once per accreditation window, and a new owner key in its place', async () => {
    const issuer = await accreditedIssuer(['EnrollmentStatus']);
    const submission = () => ({ issuer: issuer.address, credentialType: 'EnrollmentStatus', root: newRoot(), leafCount: 2 });
    const type = credentialTypeHash('EnrollmentStatus');
    expect(await cityChain.anchorerStanding(issuer.address, issuer.address, type)).toEqual({ owner: issuer.address, accredited: true, registered: false });

    await cityChain.anchorRoot(issuer, submission());
    expect(await provider.getTransactionCount(issuer.address)).toBe(2);
    expect((await cityChain.anchorerStanding(issuer.address, issuer.address, type)).registered).toBe(true);
    const second = await cityChain.anchorRoot(issuer, submission());
    expect(await provider.getTransactionCount(issuer.address)).toBe(3);
    expect(second.gasUsed).toBeLessThanOrEqual(50_000);

    const newKey = await city.fundedWallet();
    const didRegistry = new Contract(deployment.didRegistry, ethrDidRegistryArtifact().abi, issuer);
    await (await didRegistry.getFunction('changeOwner')(issuer.address, newKey.address)).wait();
    // The old key's registration is still on chain until the new key registers, but it sends nothing.
    expect(await refusalOf(cityChain.anchorRoot(issuer, submission()))).toBe('NotIdentityOwner');
    expect(await provider.getTransactionCount(issuer.address)).toBe(4);
    const rotated = submission();
    const receipt = await cityChain.anchorRoot(newKey, rotated);
    expect(await provider.getTransactionCount(newKey.address)).toBe(2);
    expect(await cityChain.findAnchorTransaction(issuer.address, rotated.root)).toEqual(receipt);
    expect((await cityChain.anchorerStanding(issuer.address, issuer.address, type)).registered).toBe(false);
    expect((await cityChain.anchorerStanding(newKey.address, issuer.address, type)).registered).toBe(true);
    expect(await refusalOf(cityChain.anchorRoot(issuer, submission()))).toBe('NotIdentityOwner');
  });

  it('sends nothing for an issuer whose accreditation was revoked while its key is still registered (IssuerNotAccredited)', async () => {
    const issuer = await accreditedIssuer(['EnrollmentStatus']);
    await cityChain.anchorRoot(issuer, { issuer: issuer.address, credentialType: 'EnrollmentStatus', root: newRoot(), leafCount: 1 });
    await (await registry.revokeAccreditation(issuer.address, credentialTypeHash('EnrollmentStatus'), 0)).wait();
    const nonce = await provider.getTransactionCount(issuer.address);

    const standing = await cityChain.anchorerStanding(issuer.address, issuer.address, credentialTypeHash('EnrollmentStatus'));
    expect(standing).toEqual({ owner: issuer.address, accredited: false, registered: true });
    expect(await refusalOf(cityChain.anchorRoot(issuer, { issuer: issuer.address, credentialType: 'EnrollmentStatus', root: newRoot(), leafCount: 1 }))).toBe('IssuerNotAccredited');
    expect(await provider.getTransactionCount(issuer.address)).toBe(nonce);
  });

  it('turns a chain that does not answer, and a transaction not mined in time, into the stable reasons unavailable and timeout', async () => {
    const issuer = await accreditedIssuer(['EnrollmentStatus']);
    const deadProvider = new JsonRpcProvider(`http://127.0.0.1:${await freePort()}`, chain.chainId, { staticNetwork: true, cacheTimeout: -1 });
    try {
      const deadChain = new CityChain(deadProvider, deployment);
      const error = await deadChain.anchorRoot(issuer.connect(deadProvider), { issuer: issuer.address, credentialType: 'EnrollmentStatus', root: newRoot(), leafCount: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AnchorWriteError);
      expect(error).toMatchObject({ reason: 'unavailable', sender: issuer.address });
    } finally {
      deadProvider.destroy();
    }
    await provider.send('evm_setAutomine', [false]);
    try {
      const error = await cityChain.anchorRoot(issuer, { issuer: issuer.address, credentialType: 'EnrollmentStatus', root: newRoot(), leafCount: 1 }, 300).catch((e: unknown) => e);
      expect(error).toMatchObject({ reason: 'timeout', sender: issuer.address });
    } finally {
      await provider.send('evm_setAutomine', [true]);
      await provider.send('evm_mine', []);
    }
  });

  it('sends through the AnchorWriter port from the issuer’s current key, with the gas of the receipt', async () => {
    const issuer = await accreditedIssuer(['EnrollmentStatus']);
    const writer = new CityAnchorWriter<{ address: string }>(cityChain, async (identity, runner) => {
      expect(identity.address).toBe(issuer.address);
      return issuer.connect(runner);
    });
    expect(await writer.currentSender({ address: issuer.address })).toBe(issuer.address);
    const root = newRoot();
    const receipt = await writer.submitAnchor({ address: issuer.address }, { credentialType: 'EnrollmentStatus', root, leafCount: 7 }, { timeoutMs: 10_000 });
    const mined = (await provider.getTransactionReceipt(receipt.txHash))!;
    expect(receipt).toMatchObject({ blockNumber: mined.blockNumber, gasUsed: Number(mined.gasUsed), effectiveGasPrice: mined.gasPrice });
    expect(receipt.gasUsed).toBeGreaterThan(21_000);
    expect(receipt.gasUsed).toBeLessThanOrEqual(50_000);
    expect(await cityChain.findAnchorTransaction(issuer.address, root)).toEqual(receipt);
    const again = await writer.submitAnchor({ address: issuer.address }, { credentialType: 'EnrollmentStatus', root, leafCount: 7 }, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(again).toMatchObject({ reason: 'RootAlreadyAnchored', sender: issuer.address });
  });

  it('reads the registry’s answer per type (windows, accreditor standing, suspension) and its events as changes', async () => {
    const from = (await provider.getBlockNumber()) + 1;
    const department = await accreditedIssuer(['EmploymentInsuranceStatus']);
    await (await registry.setAccreditorTypes(department.address, [credentialTypeHash('WorkExperience')], true)).wait();
    const employer = Wallet.createRandom().address;
    const now = await chainNow();
    await (await issuerRegistryAt(deployment.issuerRegistry, department).accreditIssuer(employer, [credentialTypeHash('WorkExperience')], now, now + 3_600)).wait();
    await (await registry.suspendIssuer(employer, credentialTypeHash('WorkExperience'))).wait();

    const read = await cityChain.accreditationOf(employer, ['WorkExperience', 'LaborContract'], await chainNow());
    expect(read.get('WorkExperience')).toEqual({
      windows: [{ validFrom: now, validUntil: now + 3_600, revokedAt: null, accreditor: department.address, accreditorStands: true }],
      suspended: true,
    });
    expect(read.get('LaborContract')).toEqual({ windows: [], suspended: false });

    await (await registry.reinstateIssuer(employer, credentialTypeHash('WorkExperience'))).wait();
    await (await registry.setAccreditorTypes(department.address, [credentialTypeHash('WorkExperience')], false)).wait();
    const after = await cityChain.accreditationOf(employer, ['WorkExperience'], await chainNow());
    expect(after.get('WorkExperience')).toMatchObject({ windows: [{ accreditorStands: false }], suspended: false });

    const changes = await cityChain.accreditationChanges(from, await provider.getBlockNumber());
    const type = (name: string) => credentialTypeHash(name).toLowerCase();
    expect(changes.map(({ blockNumber: _block, ...change }) => change)).toEqual([
      { event: 'IssuerAccredited', issuer: department.address, credentialType: type('EmploymentInsuranceStatus') },
      { event: 'AccreditorAuthorized', department: department.address, credentialType: type('WorkExperience') },
      { event: 'IssuerAccredited', issuer: employer, credentialType: type('WorkExperience') },
      { event: 'IssuerSuspended', issuer: employer, credentialType: type('WorkExperience') },
      { event: 'IssuerReinstated', issuer: employer, credentialType: type('WorkExperience') },
      { event: 'AccreditorAuthorized', department: department.address, credentialType: type('WorkExperience') },
    ]);
  });

  it('ends a registration only once its right ended — a type revoked, the key rotated away — sent by anyone, and lists the keys that registered', async () => {
    const issuer = await accreditedIssuer(['EnrollmentStatus', 'WorkExperience']);
    const stranger = await city.fundedWallet('1');
    const [enrollment, work] = ['EnrollmentStatus', 'WorkExperience'].map(credentialTypeHash) as [string, string];
    expect(await cityChain.withdrawStaleAnchorer(stranger, issuer.address, issuer.address, enrollment)).toEqual({ outcome: 'not-registered' });
    for (const credentialType of ['EnrollmentStatus', 'WorkExperience']) await cityChain.anchorRoot(issuer, { issuer: issuer.address, credentialType, root: newRoot(), leafCount: 1 });
    // While the key owns the identity, accredited for the type, its registration stands: nothing is sent.
    expect(await cityChain.withdrawStaleAnchorer(stranger, issuer.address, issuer.address, enrollment)).toEqual({ outcome: 'still-valid' });
    expect(await provider.getTransactionCount(stranger.address)).toBe(0);

    // A revocation leaves the registration live (the contract cannot see it) until it is withdrawn.
    await (await registry.revokeAccreditation(issuer.address, work, 0)).wait();
    expect(await anchorFrom(issuer.address, 'WorkExperience')).toBe('anchors');
    expect(await cityChain.withdrawStaleAnchorer(stranger, issuer.address, issuer.address, work)).toEqual({ outcome: 'withdrawn', txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(await anchorFrom(issuer.address, 'WorkExperience')).toBe('NotAnchorer');
    expect(await anchorFrom(issuer.address, 'EnrollmentStatus')).toBe('anchors');
    expect(await cityChain.withdrawStaleAnchorer(stranger, issuer.address, issuer.address, work)).toEqual({ outcome: 'not-registered' });

    // A rotation likewise: the old key's registration is withdrawn, and the new key registers and anchors.
    const newKey = await city.fundedWallet();
    await (await new Contract(deployment.didRegistry, ethrDidRegistryArtifact().abi, issuer).getFunction('changeOwner')(issuer.address, newKey.address)).wait();
    expect(await anchorFrom(issuer.address, 'EnrollmentStatus')).toBe('anchors');
    expect(await cityChain.withdrawStaleAnchorer(stranger, issuer.address, issuer.address, enrollment)).toMatchObject({ outcome: 'withdrawn' });
    expect(await anchorFrom(issuer.address, 'EnrollmentStatus')).toBe('NotAnchorer');
    const rotated = { issuer: issuer.address, credentialType: 'EnrollmentStatus', root: newRoot(), leafCount: 1 };
    await cityChain.anchorRoot(newKey, rotated);
    expect(await cityChain.findAnchor(issuer.address, rotated.root)).not.toBeNull();
    expect(await cityChain.withdrawStaleAnchorer(stranger, newKey.address, issuer.address, enrollment)).toEqual({ outcome: 'still-valid' });

    const registered = await cityChain.registeredAnchorers(issuer.address, deployment.blockNumber);
    const type = (name: string) => credentialTypeHash(name).toLowerCase();
    expect(registered).toHaveLength(3);
    expect(registered).toEqual(
      expect.arrayContaining([
        { anchorer: issuer.address, credentialType: type('EnrollmentStatus') },
        { anchorer: issuer.address, credentialType: type('WorkExperience') },
        { anchorer: newKey.address, credentialType: type('EnrollmentStatus') },
      ]),
    );
  });
});
