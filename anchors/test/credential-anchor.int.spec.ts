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

/** The gas budget of one batch's anchoring transaction: 5 gas per credential in a batch of 10,000 (bench/anchor.mjs). */
const ANCHOR_GAS_BUDGET = 50_000n;

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

  /** Accredits `wallet` for `type` over [now + fromOffset, now + untilOffset) of chain time; returns validUntil. */
  async function accredit(wallet: HDNodeWallet, fromOffset: number, untilOffset: number, type = CITIZEN_CARD): Promise<bigint> {
    const now = BigInt(await chainNow(provider));
    await mined(registry.accreditIssuer(wallet.address, [type], now + BigInt(fromOffset), now + BigInt(untilOffset)));
    return now + BigInt(untilOffset);
  }

  /** The registration of `key` under `type` as plain values. */
  async function registrationOf(key: string, type = CITIZEN_CARD): Promise<[string, bigint]> {
    const { issuer, validUntil } = await anchor.anchorerOf(key, type);
    return [issuer, validUntil];
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

  it('is bound to the registries it was deployed with and reports version 3', async () => {
    expect(await anchor.registry()).toBe(deployment.issuerRegistry);
    expect(await anchor.didRegistry()).toBe(deployment.didRegistry);
    expect(await anchor.VERSION()).toBe(3n);
  });

  it('refuses to be deployed without either registry (ZeroAddress)', async () => {
    const artifact = loadArtifact('CredentialAnchor');
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, cityRoot);
    await expectCustomError(factory.deploy(ZeroAddress, deployment.didRegistry), factory, 'ZeroAddress');
    await expectCustomError(factory.deploy(deployment.issuerRegistry, ZeroAddress), factory, 'ZeroAddress');
  });

  describe('registerAnchorer', () => {
    it('registers the identity owner’s key for the identity and type until the accreditation window ends', async () => {
      const validUntil = await accredit(issuer, 0, 3_600);

      const receipt = await mined(anchor.registerAnchorer(issuer.address, CITIZEN_CARD));

      expect(eventsIn(receipt, anchor, 'AnchorerRegistered')).toEqual([
        { issuer: issuer.address, anchorer: issuer.address, credentialType: CITIZEN_CARD, validUntil },
      ]);
      expect(await registrationOf(issuer.address)).toEqual([issuer.address, validUntil]);
      expect(await registrationOf(issuer.address, LABOR_CONTRACT)).toEqual([ZeroAddress, 0n]);
    });

    it('ends with a department’s delegation when that comes first, as the registry says then', async () => {
      const department = await fundedWallet(provider);
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      const now = BigInt(await chainNow(provider));
      await mined(registryAs(department).accreditIssuer(issuer.address, [LABOR_CONTRACT], now, now + 600n));
      await mined(anchor.registerAnchorer(issuer.address, LABOR_CONTRACT));
      expect(await registrationOf(issuer.address, LABOR_CONTRACT)).toEqual([issuer.address, now + 600n]);
    });

    it('refuses a key that is not the identity’s ERC-1056 owner (NotIdentityOwner)', async () => {
      const stranger = await fundedWallet(provider);
      await accredit(issuer, 0, 3_600);
      await expectCustomError(anchorAs(stranger).registerAnchorer(issuer.address, CITIZEN_CARD), anchor, 'NotIdentityOwner', [
        stranger.address,
        issuer.address,
        issuer.address,
      ]);
      expect(await registrationOf(stranger.address)).toEqual([ZeroAddress, 0n]);
    });

    it('refuses a veriKey delegate of the identity (NotIdentityOwner)', async () => {
      const delegate = await fundedWallet(provider);
      await accredit(issuer, 0, 3_600);
      await mined(didRegistryAs(issuer).getFunction('addDelegate')(issuer.address, encodeBytes32String('veriKey'), delegate.address, 86_400));

      await expectCustomError(anchorAs(delegate).registerAnchorer(issuer.address, CITIZEN_CARD), anchor, 'NotIdentityOwner', [
        delegate.address,
        issuer.address,
        issuer.address,
      ]);
    });

    it('refuses identities not accredited for the type now: strangers, the root, a delegation alone, another type', async () => {
      const stranger = await fundedWallet(provider);
      const department = await fundedWallet(provider);
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      await accredit(issuer, 0, 3_600);

      for (const [who, type] of [
        [stranger, CITIZEN_CARD],
        [cityRoot, CITIZEN_CARD],
        [department, LABOR_CONTRACT],
        [issuer, LABOR_CONTRACT],
      ] as const) {
        await expectCustomError(anchorAs(who).registerAnchorer(who.address, type), anchor, 'IssuerNotAccredited', [who.address, type]);
      }
    });

    it('refuses before validFrom and after validUntil of the window', async () => {
      // A window may start at most the 60 s tolerance ahead of its block.
      await accredit(issuer, 30, 130);
      await expectCustomError(anchor.registerAnchorer(issuer.address, CITIZEN_CARD), anchor, 'IssuerNotAccredited', [
        issuer.address,
        CITIZEN_CARD,
      ]);
      await advanceTime(provider, 180);
      await expectCustomError(anchor.registerAnchorer(issuer.address, CITIZEN_CARD), anchor, 'IssuerNotAccredited', [
        issuer.address,
        CITIZEN_CARD,
      ]);
    });
  });

  describe('anchor', () => {
    it('records a root of a registered key’s issuer with block time, block and leaf count, in one slot under 50,000 gas', async () => {
      await accredit(issuer, 0, 3_600);
      await mined(anchor.registerAnchorer(issuer.address, CITIZEN_CARD));
      const root = newRoot();

      const receipt = await mined(anchor.anchor(CITIZEN_CARD, root, 10_000));
      const anchoredAt = BigInt(await blockTime(provider, receipt));

      expect(eventsIn(receipt, anchor, 'RootAnchored')).toEqual([{ issuer: issuer.address, root, credentialType: CITIZEN_CARD, leafCount: 10_000n }]);
      const recorded = await anchor.anchorOf(issuer.address, root);
      expect([...recorded]).toEqual([anchoredAt, BigInt(receipt.blockNumber), 10_000n]);
      expect(recorded.anchoredAt).toBe(anchoredAt);
      expect(recorded.blockNumber).toBe(BigInt(receipt.blockNumber));
      expect(recorded.leafCount).toBe(10_000n);
      expect(receipt.gasUsed).toBeLessThanOrEqual(ANCHOR_GAS_BUDGET);
      // The largest batch the tree format allows costs the same.
      const largest = await mined(anchor.anchor(CITIZEN_CARD, newRoot(), 2n ** 32n - 1n));
      expect(largest.gasUsed).toBeLessThanOrEqual(ANCHOR_GAS_BUDGET);
      expect([...(await anchor.anchorOf(cityRoot.address, root))]).toEqual([0n, 0n, 0n]);
    });

    it('answers zeros for a root the issuer never anchored', async () => {
      expect([...(await anchor.anchorOf(issuer.address, newRoot()))]).toEqual([0n, 0n, 0n]);
    });

    it('rejects an empty root (EmptyRoot) and an empty batch (EmptyBatch)', async () => {
      await accredit(issuer, 0, 3_600);
      await mined(anchor.registerAnchorer(issuer.address, CITIZEN_CARD));
      await expectCustomError(anchor.anchor(CITIZEN_CARD, ZeroHash, 1), anchor, 'EmptyRoot');
      const root = newRoot();
      await expectCustomError(anchor.anchor(CITIZEN_CARD, root, 0), anchor, 'EmptyBatch');
      expect((await anchor.anchorOf(issuer.address, root)).anchoredAt).toBe(0n);
    });

    it('anchors a root once per issuer (RootAlreadyAnchored)', async () => {
      await accredit(issuer, 0, 3_600);
      await mined(anchor.registerAnchorer(issuer.address, CITIZEN_CARD));
      const root = newRoot();
      const receipt = await mined(anchor.anchor(CITIZEN_CARD, root, 3));

      await expectCustomError(anchor.anchor(CITIZEN_CARD, root, 7), anchor, 'RootAlreadyAnchored', [issuer.address, root]);
      expect([...(await anchor.anchorOf(issuer.address, root))]).toEqual([BigInt(await blockTime(provider, receipt)), BigInt(receipt.blockNumber), 3n]);
    });

    it('refuses a key without a registration for the type (NotAnchorer), accredited or not', async () => {
      const stranger = await fundedWallet(provider);
      await accredit(issuer, 0, 3_600);
      await expectCustomError(anchorAs(stranger).anchor(CITIZEN_CARD, newRoot(), 1), anchor, 'NotAnchorer', [stranger.address, CITIZEN_CARD]);
      await expectCustomError(anchor.anchor(CITIZEN_CARD, newRoot(), 1), anchor, 'NotAnchorer', [issuer.address, CITIZEN_CARD]);
      await mined(anchor.registerAnchorer(issuer.address, CITIZEN_CARD));
      await expectCustomError(anchor.anchor(LABOR_CONTRACT, newRoot(), 1), anchor, 'NotAnchorer', [issuer.address, LABOR_CONTRACT]);
    });

    it('refuses once the accreditation window the registration was made in has ended (NotAnchorer)', async () => {
      await accredit(issuer, 0, 100);
      await mined(anchor.registerAnchorer(issuer.address, CITIZEN_CARD));
      const root = newRoot();
      await mined(anchor.anchor(CITIZEN_CARD, root, 1));

      await advanceTime(provider, 120);
      await expectCustomError(anchor.anchor(CITIZEN_CARD, newRoot(), 1), anchor, 'NotAnchorer', [issuer.address, CITIZEN_CARD]);
      expect((await anchor.anchorOf(issuer.address, root)).leafCount).toBe(1n);
    });

    it('keys anchors by issuer: an employer copying the education office’s pending root cannot pre-empt it', async () => {
      const educationOffice = issuer;
      const labourDepartment = await fundedWallet(provider);
      const employer = await fundedWallet(provider);
      await accredit(educationOffice, 0, 3_600);
      await mined(anchor.registerAnchorer(educationOffice.address, CITIZEN_CARD));
      await mined(registry.setAccreditorTypes(labourDepartment.address, [WORK_EXPERIENCE], true));
      const now = BigInt(await chainNow(provider));
      await mined(registryAs(labourDepartment).accreditIssuer(employer.address, [WORK_EXPERIENCE], now, now + 3_600n));
      const pending = newRoot();

      // The employer cannot register in the education office's name…
      await expectCustomError(anchorAs(employer).registerAnchorer(educationOffice.address, CITIZEN_CARD), anchor, 'NotIdentityOwner', [
        employer.address,
        educationOffice.address,
        educationOffice.address,
      ]);
      // …nor anchor without a registration; under its own name and type the root lands under its own name only.
      await expectCustomError(anchorAs(employer).anchor(CITIZEN_CARD, pending, 10), anchor, 'NotAnchorer', [employer.address, CITIZEN_CARD]);
      await mined(anchorAs(employer).registerAnchorer(employer.address, WORK_EXPERIENCE));
      const copied = await mined(anchorAs(employer).anchor(WORK_EXPERIENCE, pending, 10));

      const genuine = await mined(anchor.anchor(CITIZEN_CARD, pending, 10));

      const logs = await anchor.queryFilter(anchor.filters.RootAnchored(educationOffice.address, pending));
      expect(logs.map((log) => decodeCredentialAnchorLog(log))).toEqual([
        { name: 'RootAnchored', args: { issuer: educationOffice.address, root: pending, credentialType: CITIZEN_CARD, leafCount: 10n } },
      ]);
      expect(logs[0]?.transactionHash).toBe(genuine.hash);
      expect((await anchor.anchorOf(educationOffice.address, pending)).blockNumber).toBe(BigInt(genuine.blockNumber));
      expect((await anchor.anchorOf(employer.address, pending)).blockNumber).toBe(BigInt(copied.blockNumber));
    });

    it('lets a key anchor for one identity per type: registering for another ends the first', async () => {
      const other = await fundedWallet(provider);
      await accredit(issuer, 0, 3_600);
      await accredit(other, 0, 3_600);
      await mined(anchor.registerAnchorer(issuer.address, CITIZEN_CARD));
      // The issuer's key comes to own the other identity too.
      await mined(didRegistryAs(other).getFunction('changeOwner')(other.address, issuer.address));

      const receipt = await mined(anchor.registerAnchorer(other.address, CITIZEN_CARD));

      expect(eventsIn(receipt, anchor, 'AnchorerWithdrawn')).toEqual([{ issuer: issuer.address, anchorer: issuer.address, credentialType: CITIZEN_CARD }]);
      const root = newRoot();
      await mined(anchor.anchor(CITIZEN_CARD, root, 2));
      expect((await anchor.anchorOf(other.address, root)).leafCount).toBe(2n);
      expect((await anchor.anchorOf(issuer.address, root)).anchoredAt).toBe(0n);
    });
  });

  describe('with a rotated ERC-1056 owner key', () => {
    it('moves the registration to the new key: the old one is refused at once, the identity’s anchors go on', async () => {
      const identity = issuer;
      const newKey = await fundedWallet(provider);
      await accredit(identity, 0, 3_600);
      await mined(anchor.registerAnchorer(identity.address, CITIZEN_CARD));
      const before = newRoot();
      await mined(anchor.anchor(CITIZEN_CARD, before, 1));

      await mined(didRegistryAs(identity).getFunction('changeOwner')(identity.address, newKey.address));

      await expectCustomError(anchor.registerAnchorer(identity.address, CITIZEN_CARD), anchor, 'NotIdentityOwner', [
        identity.address,
        identity.address,
        newKey.address,
      ]);
      const registered = await mined(anchorAs(newKey).registerAnchorer(identity.address, CITIZEN_CARD));
      expect(eventsIn(registered, anchor, 'AnchorerWithdrawn')).toEqual([
        { issuer: identity.address, anchorer: identity.address, credentialType: CITIZEN_CARD },
      ]);
      expect(await registrationOf(identity.address)).toEqual([ZeroAddress, 0n]);
      await expectCustomError(anchor.anchor(CITIZEN_CARD, newRoot(), 1), anchor, 'NotAnchorer', [identity.address, CITIZEN_CARD]);

      const root = newRoot();
      const receipt = await mined(anchorAs(newKey).anchor(CITIZEN_CARD, root, 4));
      expect(eventsIn(receipt, anchor, 'RootAnchored')[0]).toMatchObject({ issuer: identity.address, root });
      expect(receipt.from).toBe(newKey.address);
      expect((await anchor.anchorOf(identity.address, before)).leafCount).toBe(1n);
      // The accreditation stays with the identity, not with the key.
      await expectCustomError(anchorAs(newKey).registerAnchorer(newKey.address, CITIZEN_CARD), anchor, 'IssuerNotAccredited', [
        newKey.address,
        CITIZEN_CARD,
      ]);
    });
  });

  describe('withdrawAnchorer', () => {
    it('refuses anyone but the anchorer while the key owns the identity and the identity is accredited (AnchorerStillValid)', async () => {
      const stranger = await fundedWallet(provider);
      await accredit(issuer, 0, 3_600);
      await mined(anchor.registerAnchorer(issuer.address, CITIZEN_CARD));

      await expectCustomError(anchorAs(stranger).withdrawAnchorer(issuer.address, CITIZEN_CARD), anchor, 'AnchorerStillValid', [
        issuer.address,
        CITIZEN_CARD,
      ]);
      await expectCustomError(anchorAs(stranger).withdrawAnchorer(stranger.address, CITIZEN_CARD), anchor, 'NotAnchorer', [
        stranger.address,
        CITIZEN_CARD,
      ]);

      const receipt = await mined(anchor.withdrawAnchorer(issuer.address, CITIZEN_CARD));
      expect(eventsIn(receipt, anchor, 'AnchorerWithdrawn')).toEqual([{ issuer: issuer.address, anchorer: issuer.address, credentialType: CITIZEN_CARD }]);
      await expectCustomError(anchor.anchor(CITIZEN_CARD, newRoot(), 1), anchor, 'NotAnchorer', [issuer.address, CITIZEN_CARD]);
      // Registering again is possible while accredited.
      await mined(anchor.registerAnchorer(issuer.address, CITIZEN_CARD));
      await mined(anchor.anchor(CITIZEN_CARD, newRoot(), 1));
    });

    it('lets anyone end a registration once its issuer’s accreditation is revoked; until then the key still anchors', async () => {
      const stranger = await fundedWallet(provider);
      await accredit(issuer, 0, 3_600);
      await mined(anchor.registerAnchorer(issuer.address, CITIZEN_CARD));
      await advanceTime(provider, 30);
      const revoked = await mined(registry.revokeAccreditation(issuer.address, CITIZEN_CARD, 0));
      const revokedAt = await blockTime(provider, revoked);

      // Still registered: the root lands, and a verifier finds the issuer not accredited at its anchoring time.
      const late = newRoot();
      await mined(anchor.anchor(CITIZEN_CARD, late, 1));
      const lateAt = (await anchor.anchorOf(issuer.address, late)).anchoredAt;
      expect(lateAt).toBeGreaterThanOrEqual(BigInt(revokedAt));
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, lateAt)).toBe(false);

      await mined(anchorAs(stranger).withdrawAnchorer(issuer.address, CITIZEN_CARD));
      await expectCustomError(anchor.anchor(CITIZEN_CARD, newRoot(), 1), anchor, 'NotAnchorer', [issuer.address, CITIZEN_CARD]);
      await expectCustomError(anchor.registerAnchorer(issuer.address, CITIZEN_CARD), anchor, 'IssuerNotAccredited', [
        issuer.address,
        CITIZEN_CARD,
      ]);
    });

    it('lets anyone end a registration once the root suspended the issuer, or its key no longer owns the identity', async () => {
      const stranger = await fundedWallet(provider);
      const suspended = await fundedWallet(provider);
      const rotated = await fundedWallet(provider);
      for (const wallet of [suspended, rotated]) {
        await accredit(wallet, 0, 3_600);
        await mined(anchorAs(wallet).registerAnchorer(wallet.address, CITIZEN_CARD));
      }
      await mined(registry.suspendIssuer(suspended.address, ZeroHash));
      await mined(didRegistryAs(rotated).getFunction('changeOwner')(rotated.address, stranger.address));

      for (const wallet of [suspended, rotated]) {
        const receipt = await mined(anchorAs(stranger).withdrawAnchorer(wallet.address, CITIZEN_CARD));
        expect(eventsIn(receipt, anchor, 'AnchorerWithdrawn')).toEqual([{ issuer: wallet.address, anchorer: wallet.address, credentialType: CITIZEN_CARD }]);
        await expectCustomError(anchorAs(wallet).anchor(CITIZEN_CARD, newRoot(), 1), anchor, 'NotAnchorer', [wallet.address, CITIZEN_CARD]);
      }
    });
  });

  it('keeps registering and anchoring cheap however many windows a department pushed ahead of an employer’s live one', async () => {
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

    const registeredWithJunk = await mined(anchorAs(employer).registerAnchorer(employer.address, LABOR_CONTRACT));
    const registeredWithOne = await mined(anchorAs(baseline).registerAnchorer(baseline.address, LABOR_CONTRACT));
    expect(registeredWithJunk.gasUsed).toBeLessThan(150_000n);
    expect(registeredWithJunk.gasUsed).toBeLessThan(2n * registeredWithOne.gasUsed);
    const withJunk = await mined(anchorAs(employer).anchor(LABOR_CONTRACT, newRoot(), 1));
    expect(withJunk.gasUsed).toBeLessThanOrEqual(ANCHOR_GAS_BUDGET);
    expect(await registry.windowCount(employer.address, LABOR_CONTRACT)).toBe(junk + 1n);
  }, 120_000);
});
