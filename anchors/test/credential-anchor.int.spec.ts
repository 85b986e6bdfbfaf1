import {
  Contract,
  ContractFactory,
  ZeroAddress,
  ZeroHash,
  encodeBytes32String,
  hexlify,
  randomBytes,
  type HDNodeWallet,
  type JsonRpcProvider,
} from 'ethers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ethrDidRegistryArtifact, loadArtifact } from '../src/artifacts.js';
import {
  credentialAnchorAt,
  decodeCredentialAnchorLog,
  issuerRegistryAt,
  type CredentialAnchorContract,
  type IssuerRegistryContract,
} from '../src/contracts.js';
import { credentialTypeHash } from '../src/credential-type.js';
import { deployCityContracts, type CityDeployment } from '../src/deploy.js';
import { startLocalChain, type LocalChain } from '../src/local-chain.js';
import {
  advanceTime,
  blockTime,
  chainNow,
  eventsIn,
  expectCustomError,
  fundedWallet,
  localProvider,
  mined,
  sendAll,
} from './chain-test-kit.js';

const CITIZEN_CARD = credentialTypeHash('SeoulCitizenCard');
const LABOR_CONTRACT = credentialTypeHash('LaborContract');
const WORK_EXPERIENCE = credentialTypeHash('WorkExperience');

/** A fresh 32-byte value standing in for a batch's Merkle root. */
const newRoot = (): string => hexlify(randomBytes(32));

let chain: LocalChain;
let provider: JsonRpcProvider;

beforeAll(async () => {
  chain = await startLocalChain();
  provider = localProvider(chain);
});

afterAll(async () => {
  provider?.destroy();
  await chain?.stop();
});

describe('CredentialAnchor', () => {
  let cityRoot: HDNodeWallet;
  let deployment: CityDeployment;
  let registry: IssuerRegistryContract;
  /** An issuer identity that sends with its own key (its ERC-1056 owner is itself). */
  let issuer: HDNodeWallet;
  /** The anchor contract as seen by `issuer`. */
  let anchor: CredentialAnchorContract;
  const anchorAs = (wallet: HDNodeWallet) => credentialAnchorAt(deployment.credentialAnchor, wallet);
  const registryAs = (wallet: HDNodeWallet) => issuerRegistryAt(deployment.issuerRegistry, wallet);
  const didRegistryAs = (wallet: HDNodeWallet) => new Contract(deployment.didRegistry, ethrDidRegistryArtifact().abi, wallet);

  /** Accredits `wallet` for `type` over [now + fromOffset, now + untilOffset) of chain time. */
  async function accredit(wallet: HDNodeWallet, fromOffset: number, untilOffset: number, type = CITIZEN_CARD): Promise<void> {
    const now = BigInt(await chainNow(provider));
    await mined(registry.accreditIssuer(wallet.address, [type], now + BigInt(fromOffset), now + BigInt(untilOffset)));
  }

  beforeAll(async () => {
    cityRoot = await fundedWallet(provider);
    deployment = await deployCityContracts(cityRoot);
    registry = registryAs(cityRoot);
  });

  beforeEach(async () => {
    issuer = await fundedWallet(provider);
    anchor = anchorAs(issuer);
  });

  it('is bound to the registries it was deployed with and reports version 2', async () => {
    expect(await anchor.registry()).toBe(deployment.issuerRegistry);
    expect(await anchor.didRegistry()).toBe(deployment.didRegistry);
    expect(await anchor.VERSION()).toBe(2n);
  });

  it('refuses to be deployed without either registry (ZeroAddress)', async () => {
    const artifact = loadArtifact('CredentialAnchor');
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, cityRoot);
    await expectCustomError(factory.deploy(ZeroAddress, deployment.didRegistry), factory, 'ZeroAddress');
    await expectCustomError(factory.deploy(deployment.issuerRegistry, ZeroAddress), factory, 'ZeroAddress');
  });

  it('records a root of an accredited issuer, sent by its key, with time, block, leaf count and sender', async () => {
    await accredit(issuer, 0, 3_600);
    const root = newRoot();

    const receipt = await mined(anchor.anchor(issuer.address, CITIZEN_CARD, root, 42));
    const anchoredAt = BigInt(await blockTime(provider, receipt));

    expect(eventsIn(receipt, anchor, 'RootAnchored')).toEqual([
      { issuer: issuer.address, root, credentialType: CITIZEN_CARD, leafCount: 42n, anchoredAt, sender: issuer.address },
    ]);
    const recorded = await anchor.anchorOf(issuer.address, root);
    expect([...recorded]).toEqual([anchoredAt, BigInt(receipt.blockNumber), 42n, issuer.address]);
    expect(recorded.anchoredAt).toBe(anchoredAt);
    expect(recorded.sender).toBe(issuer.address);
    expect([...(await anchor.anchorOf(cityRoot.address, root))]).toEqual([0n, 0n, 0n, ZeroAddress]);
  });

  it('answers zeros for a root the issuer never anchored', async () => {
    expect([...(await anchor.anchorOf(issuer.address, newRoot()))]).toEqual([0n, 0n, 0n, ZeroAddress]);
  });

  it('rejects an empty root (EmptyRoot) and an empty batch (EmptyBatch)', async () => {
    await accredit(issuer, 0, 3_600);
    await expectCustomError(anchor.anchor(issuer.address, CITIZEN_CARD, ZeroHash, 1), anchor, 'EmptyRoot');
    const root = newRoot();
    await expectCustomError(anchor.anchor(issuer.address, CITIZEN_CARD, root, 0), anchor, 'EmptyBatch');
    expect((await anchor.anchorOf(issuer.address, root)).anchoredAt).toBe(0n);
  });

  it('anchors a root once per issuer (RootAlreadyAnchored)', async () => {
    await accredit(issuer, 0, 3_600);
    const root = newRoot();
    const receipt = await mined(anchor.anchor(issuer.address, CITIZEN_CARD, root, 3));

    await expectCustomError(anchor.anchor(issuer.address, CITIZEN_CARD, root, 7), anchor, 'RootAlreadyAnchored', [issuer.address, root]);
    expect([...(await anchor.anchorOf(issuer.address, root))]).toEqual([
      BigInt(await blockTime(provider, receipt)),
      BigInt(receipt.blockNumber),
      3n,
      issuer.address,
    ]);
  });

  it('rejects issuers not accredited for the named type now: strangers, the root, a delegation alone, another type', async () => {
    const stranger = await fundedWallet(provider);
    const department = await fundedWallet(provider);
    await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
    await accredit(issuer, 0, 3_600);

    await expectCustomError(anchorAs(stranger).anchor(stranger.address, CITIZEN_CARD, newRoot(), 1), anchor, 'IssuerNotAccredited', [
      stranger.address,
      CITIZEN_CARD,
    ]);
    await expectCustomError(anchorAs(cityRoot).anchor(cityRoot.address, CITIZEN_CARD, newRoot(), 1), anchor, 'IssuerNotAccredited', [
      cityRoot.address,
      CITIZEN_CARD,
    ]);
    await expectCustomError(
      anchorAs(department).anchor(department.address, LABOR_CONTRACT, newRoot(), 1),
      anchor,
      'IssuerNotAccredited',
      [department.address, LABOR_CONTRACT],
    );
    await expectCustomError(anchor.anchor(issuer.address, LABOR_CONTRACT, newRoot(), 1), anchor, 'IssuerNotAccredited', [
      issuer.address,
      LABOR_CONTRACT,
    ]);
  });

  it('accepts an issuer only inside its window: not before validFrom, not after validUntil', async () => {
    // A window may start at most the 60 s tolerance ahead of its block.
    await accredit(issuer, 30, 130);
    await expectCustomError(anchor.anchor(issuer.address, CITIZEN_CARD, newRoot(), 1), anchor, 'IssuerNotAccredited', [
      issuer.address,
      CITIZEN_CARD,
    ]);

    await advanceTime(provider, 80);
    const root = newRoot();
    await mined(anchor.anchor(issuer.address, CITIZEN_CARD, root, 1));

    await advanceTime(provider, 100);
    await expectCustomError(anchor.anchor(issuer.address, CITIZEN_CARD, newRoot(), 1), anchor, 'IssuerNotAccredited', [
      issuer.address,
      CITIZEN_CARD,
    ]);
    expect((await anchor.anchorOf(issuer.address, root)).sender).toBe(issuer.address);
  });

  it('rejects an issuer after its accreditation was revoked; earlier roots stay attributed to it', async () => {
    await accredit(issuer, 0, 3_600);
    const before = newRoot();
    const anchored = await mined(anchor.anchor(issuer.address, CITIZEN_CARD, before, 5));
    const anchoredAt = await blockTime(provider, anchored);
    await advanceTime(provider, 30);
    await mined(registry.revokeAccreditation(issuer.address, CITIZEN_CARD, 0));

    await expectCustomError(anchor.anchor(issuer.address, CITIZEN_CARD, newRoot(), 1), anchor, 'IssuerNotAccredited', [
      issuer.address,
      CITIZEN_CARD,
    ]);
    expect((await anchor.anchorOf(issuer.address, before)).anchoredAt).toBe(BigInt(anchoredAt));
    expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, anchoredAt)).toBe(true);
  });

  it('keys anchors by issuer: an employer copying the education office’s pending root cannot pre-empt it', async () => {
    const educationOffice = issuer;
    const labourDepartment = await fundedWallet(provider);
    const employer = await fundedWallet(provider);
    await accredit(educationOffice, 0, 3_600);
    await mined(registry.setAccreditorTypes(labourDepartment.address, [WORK_EXPERIENCE], true));
    const now = BigInt(await chainNow(provider));
    await mined(registryAs(labourDepartment).accreditIssuer(employer.address, [WORK_EXPERIENCE], now, now + 3_600n));
    const pending = newRoot();

    // The employer cannot send it in the education office's name…
    await expectCustomError(
      anchorAs(employer).anchor(educationOffice.address, CITIZEN_CARD, pending, 10),
      anchor,
      'NotIdentityOwner',
      [employer.address, educationOffice.address, educationOffice.address],
    );
    // …nor for a type it is not accredited for; under its own name and type it lands under its own name only.
    await expectCustomError(anchorAs(employer).anchor(employer.address, CITIZEN_CARD, pending, 10), anchor, 'IssuerNotAccredited', [
      employer.address,
      CITIZEN_CARD,
    ]);
    const copied = await mined(anchorAs(employer).anchor(employer.address, WORK_EXPERIENCE, pending, 10));

    const genuine = await mined(anchor.anchor(educationOffice.address, CITIZEN_CARD, pending, 10));

    const logs = await anchor.queryFilter(anchor.filters.RootAnchored(educationOffice.address, pending));
    expect(logs.map((log) => decodeCredentialAnchorLog(log))).toEqual([
      {
        name: 'RootAnchored',
        args: {
          issuer: educationOffice.address,
          root: pending,
          credentialType: CITIZEN_CARD,
          leafCount: 10n,
          anchoredAt: BigInt(await blockTime(provider, genuine)),
          sender: educationOffice.address,
        },
      },
    ]);
    expect((await anchor.anchorOf(educationOffice.address, pending)).blockNumber).toBe(BigInt(genuine.blockNumber));
    expect((await anchor.anchorOf(employer.address, pending)).blockNumber).toBe(BigInt(copied.blockNumber));
  });

  describe('with a rotated ERC-1056 owner key', () => {
    it('refuses the old key (NotIdentityOwner) and anchors for the same identity from the new key', async () => {
      const identity = issuer;
      const newKey = await fundedWallet(provider);
      await accredit(identity, 0, 3_600);
      await mined(anchor.anchor(identity.address, CITIZEN_CARD, newRoot(), 1));

      await mined(didRegistryAs(identity).getFunction('changeOwner')(identity.address, newKey.address));

      await expectCustomError(anchor.anchor(identity.address, CITIZEN_CARD, newRoot(), 1), anchor, 'NotIdentityOwner', [
        identity.address,
        identity.address,
        newKey.address,
      ]);
      const root = newRoot();
      const receipt = await mined(anchorAs(newKey).anchor(identity.address, CITIZEN_CARD, root, 4));
      expect(eventsIn(receipt, anchor, 'RootAnchored')[0]).toMatchObject({ issuer: identity.address, sender: newKey.address });
      expect((await anchor.anchorOf(identity.address, root)).sender).toBe(newKey.address);
      // The accreditation stays with the identity, not with the key.
      await expectCustomError(anchorAs(newKey).anchor(newKey.address, CITIZEN_CARD, newRoot(), 1), anchor, 'IssuerNotAccredited', [
        newKey.address,
        CITIZEN_CARD,
      ]);
    });

    it('refuses a veriKey delegate of the identity (NotIdentityOwner)', async () => {
      const delegate = await fundedWallet(provider);
      await accredit(issuer, 0, 3_600);
      await mined(didRegistryAs(issuer).getFunction('addDelegate')(issuer.address, encodeBytes32String('veriKey'), delegate.address, 86_400));

      await expectCustomError(anchorAs(delegate).anchor(issuer.address, CITIZEN_CARD, newRoot(), 1), anchor, 'NotIdentityOwner', [
        delegate.address,
        issuer.address,
        issuer.address,
      ]);
    });
  });

  it('keeps anchor() cheap however many windows a department pushed ahead of an employer’s live one', async () => {
    // Windows start at most the backdate tolerance after their block: a city deployed with a tolerance of
    // 10,000 s lets a department push 1,001 one-second windows ahead in one go (with 60 s it takes longer, not less).
    const wide = await deployCityContracts(cityRoot, { backdateToleranceSeconds: 10_000 });
    const registry = issuerRegistryAt(wide.issuerRegistry, cityRoot);
    const anchorAs = (wallet: HDNodeWallet) => credentialAnchorAt(wide.credentialAnchor, wallet);
    const department = await fundedWallet(provider);
    const employer = await fundedWallet(provider);
    const baseline = await fundedWallet(provider);
    await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
    const start = BigInt(await chainNow(provider)) + 10n;
    const junk = 1_001n;
    const calls = [];
    for (let i = 0n; i < junk; i += 1n) {
      calls.push({
        to: wide.issuerRegistry,
        data: registry.interface.encodeFunctionData('accreditIssuer', [employer.address, [LABOR_CONTRACT], start + i, start + i + 1n]),
      });
    }
    await sendAll(department, calls);
    const asDepartment = issuerRegistryAt(wide.issuerRegistry, department);
    await mined(asDepartment.accreditIssuer(employer.address, [LABOR_CONTRACT], start + junk, start + 100_000n));
    await mined(asDepartment.accreditIssuer(baseline.address, [LABOR_CONTRACT], start, start + 100_000n));
    await advanceTime(provider, Number(junk) + 20);

    const lookupGas = async (who: string) =>
      registry.isAccredited.estimateGas(who, LABOR_CONTRACT, BigInt(await chainNow(provider)));
    const lookupWithJunk = await lookupGas(employer.address);
    expect(lookupWithJunk).toBeLessThan(2n * (await lookupGas(baseline.address)));

    const withJunk = await mined(anchorAs(employer).anchor(employer.address, LABOR_CONTRACT, newRoot(), 1));
    const withOne = await mined(anchorAs(baseline).anchor(baseline.address, LABOR_CONTRACT, newRoot(), 1));
    expect(withJunk.gasUsed).toBeLessThan(150_000n);
    expect(withJunk.gasUsed).toBeLessThan(2n * withOne.gasUsed);
    expect(await registry.windowCount(employer.address, LABOR_CONTRACT)).toBe(junk + 1n);
  }, 120_000);
});
