import { ContractFactory, ZeroAddress, type HDNodeWallet, type JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadArtifact } from '../src/artifacts.js';
import { issuerRegistryAt, type AccreditationView, type IssuerRegistryContract } from '../src/contracts.js';
import { credentialTypeHash } from '../src/credential-type.js';
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
} from './chain-test-kit.js';

const CITIZEN_CARD = credentialTypeHash('SeoulCitizenCard');
const LABOR_CONTRACT = credentialTypeHash('LaborContract');
const WORK_EXPERIENCE = credentialTypeHash('WorkExperience');

/** Plain copies of the accreditation structs (ethers returns them as positional Results). */
function windowsOf(windows: AccreditationView[]): AccreditationView[] {
  return windows.map(({ accreditor, validFrom, validUntil, revokedAt }) => ({ accreditor, validFrom, validUntil, revokedAt }));
}

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

describe('IssuerRegistry', () => {
  let cityRoot: HDNodeWallet;
  let registry: IssuerRegistryContract;
  let registryAddress: string;
  let deployReceiptLogs: Record<string, unknown>[];
  /** The registry as seen by another account. */
  const as = (wallet: HDNodeWallet) => issuerRegistryAt(registryAddress, wallet);

  beforeEach(async () => {
    cityRoot = await fundedWallet(provider);
    const artifact = loadArtifact('IssuerRegistry');
    const deployed = await new ContractFactory(artifact.abi, artifact.bytecode, cityRoot).deploy(cityRoot.address);
    const receipt = await deployed.deploymentTransaction()!.wait();
    registryAddress = await deployed.getAddress();
    registry = as(cityRoot);
    deployReceiptLogs = eventsIn(receipt!, registry, 'RootTransferred');
  });

  it('makes the deployer the root and announces it with RootTransferred(0, root)', async () => {
    expect(await registry.root()).toBe(cityRoot.address);
    expect(deployReceiptLogs).toEqual([{ previousRoot: ZeroAddress, newRoot: cityRoot.address }]);
  });

  it('refuses to be deployed without a root (ZeroAddress)', async () => {
    const artifact = loadArtifact('IssuerRegistry');
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, cityRoot);
    await expectCustomError(factory.deploy(ZeroAddress), factory, 'ZeroAddress');
  });

  it('lets the root accredit an issuer for several types over [validFrom, validUntil)', async () => {
    const issuer = await fundedWallet(provider);
    const now = await chainNow(provider);
    const validFrom = BigInt(now + 1_000);
    const validUntil = BigInt(now + 2_000);

    const receipt = await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD, LABOR_CONTRACT], validFrom, validUntil));

    expect(eventsIn(receipt, registry, 'IssuerAccredited')).toEqual([
      { issuer: issuer.address, credentialType: CITIZEN_CARD, accreditor: cityRoot.address, index: 0n, validFrom, validUntil },
      { issuer: issuer.address, credentialType: LABOR_CONTRACT, accreditor: cityRoot.address, index: 0n, validFrom, validUntil },
    ]);
    expect(windowsOf(await registry.accreditationsOf(issuer.address, CITIZEN_CARD))).toEqual([
      { accreditor: cityRoot.address, validFrom, validUntil, revokedAt: 0n },
    ]);
    expect(await registry.credentialTypesOf(issuer.address)).toEqual([CITIZEN_CARD, LABOR_CONTRACT]);

    expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, validFrom - 1n)).toBe(false);
    expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, validFrom)).toBe(true);
    expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, validUntil - 1n)).toBe(true);
    expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, validUntil)).toBe(false);
    expect(await registry.isAccredited(issuer.address, LABOR_CONTRACT, validFrom)).toBe(true);
    expect(await registry.isAccredited(issuer.address, WORK_EXPERIENCE, validFrom)).toBe(false);

    expect(await registry.isAccreditedForAnyType(issuer.address, validFrom - 1n)).toBe(false);
    expect(await registry.isAccreditedForAnyType(issuer.address, validFrom)).toBe(true);
    expect(await registry.isAccreditedForAnyType(issuer.address, validUntil)).toBe(false);
  });

  it('keeps every window: a second one for the same type gets the next index and the gap stays uncovered', async () => {
    const issuer = await fundedWallet(provider);
    const now = BigInt(await chainNow(provider));
    await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], now, now + 100n));
    const receipt = await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], now + 200n, now + 300n));

    expect(eventsIn(receipt, registry, 'IssuerAccredited')[0]).toMatchObject({ index: 1n });
    expect(await registry.accreditationsOf(issuer.address, CITIZEN_CARD)).toHaveLength(2);
    expect(await registry.credentialTypesOf(issuer.address)).toEqual([CITIZEN_CARD]);
    expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, now + 50n)).toBe(true);
    expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, now + 150n)).toBe(false);
    expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, now + 250n)).toBe(true);
    expect(await registry.isAccreditedForAnyType(issuer.address, now + 150n)).toBe(false);
  });

  it('revokes from the revocation time on without rewriting the past', async () => {
    const issuer = await fundedWallet(provider);
    const now = BigInt(await chainNow(provider));
    const validFrom = now - 1_000n;
    const validUntil = now + 10_000n;
    await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], validFrom, validUntil));
    await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], validFrom, validUntil));
    await advanceTime(provider, 60);

    const receipt = await mined(registry.revokeAccreditation(issuer.address, CITIZEN_CARD, 0));
    const revokedAt = BigInt(await blockTime(provider, receipt));

    expect(eventsIn(receipt, registry, 'AccreditationRevoked')).toEqual([
      { issuer: issuer.address, credentialType: CITIZEN_CARD, revokedBy: cityRoot.address, index: 0n, revokedAt },
    ]);
    expect(windowsOf(await registry.accreditationsOf(issuer.address, CITIZEN_CARD))).toEqual([
      { accreditor: cityRoot.address, validFrom, validUntil, revokedAt },
      { accreditor: cityRoot.address, validFrom, validUntil, revokedAt: 0n },
    ]);

    await mined(registry.revokeAccreditation(issuer.address, CITIZEN_CARD, 1));
    expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, validFrom)).toBe(true);
    expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, revokedAt - 1n)).toBe(true);
    expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, revokedAt + 60n)).toBe(false);
    expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, validUntil - 1n)).toBe(false);
    expect(await registry.isAccreditedForAnyType(issuer.address, revokedAt - 1n)).toBe(true);
    expect(await registry.isAccreditedForAnyType(issuer.address, validUntil - 1n)).toBe(false);
  });

  it('lets the root accredit and revoke itself', async () => {
    const now = BigInt(await chainNow(provider));
    await mined(registry.accreditIssuer(cityRoot.address, [CITIZEN_CARD], now, now + 1_000n));
    expect(await registry.isAccredited(cityRoot.address, CITIZEN_CARD, now)).toBe(true);

    const receipt = await mined(registry.revokeAccreditation(cityRoot.address, CITIZEN_CARD, 0));
    const revokedAt = BigInt(await blockTime(provider, receipt));
    expect(windowsOf(await registry.accreditationsOf(cityRoot.address, CITIZEN_CARD))).toEqual([
      { accreditor: cityRoot.address, validFrom: now, validUntil: now + 1_000n, revokedAt },
    ]);
  });

  it('revokes only an existing, unrevoked accreditation', async () => {
    const issuer = await fundedWallet(provider);
    const now = BigInt(await chainNow(provider));
    await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], now, now + 1_000n));
    await mined(registry.revokeAccreditation(issuer.address, CITIZEN_CARD, 0));

    await expectCustomError(
      registry.revokeAccreditation(issuer.address, CITIZEN_CARD, 0),
      registry,
      'AccreditationAlreadyRevoked',
      [issuer.address, CITIZEN_CARD, 0n],
    );
    await expectCustomError(
      registry.revokeAccreditation(issuer.address, CITIZEN_CARD, 1),
      registry,
      'AccreditationNotFound',
      [issuer.address, CITIZEN_CARD, 1n],
    );
    await expectCustomError(
      registry.revokeAccreditation(issuer.address, LABOR_CONTRACT, 0),
      registry,
      'AccreditationNotFound',
      [issuer.address, LABOR_CONTRACT, 0n],
    );
  });

  it('rejects accreditations without issuer, without types or with an empty window', async () => {
    const issuer = await fundedWallet(provider);
    const now = BigInt(await chainNow(provider));
    await expectCustomError(registry.accreditIssuer(ZeroAddress, [CITIZEN_CARD], now, now + 1n), registry, 'ZeroAddress');
    await expectCustomError(registry.accreditIssuer(issuer.address, [], now, now + 1n), registry, 'NoCredentialTypes');
    await expectCustomError(
      registry.accreditIssuer(issuer.address, [CITIZEN_CARD], now, now),
      registry,
      'InvalidValidityWindow',
      [now, now],
    );
    await expectCustomError(
      registry.accreditIssuer(issuer.address, [CITIZEN_CARD], now + 10n, now),
      registry,
      'InvalidValidityWindow',
      [now + 10n, now],
    );
    expect(await registry.credentialTypesOf(issuer.address)).toEqual([]);
  });

  it('lets nobody but the root and delegated departments accredit or revoke', async () => {
    const stranger = await fundedWallet(provider);
    const issuer = await fundedWallet(provider);
    const now = BigInt(await chainNow(provider));
    await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], now, now + 1_000n));

    await expectCustomError(
      as(stranger).accreditIssuer(stranger.address, [CITIZEN_CARD], now, now + 1_000n),
      registry,
      'AccreditorNotAuthorized',
      [stranger.address, CITIZEN_CARD],
    );
    await expectCustomError(
      as(stranger).revokeAccreditation(issuer.address, CITIZEN_CARD, 0),
      registry,
      'AccreditorNotAuthorized',
      [stranger.address, CITIZEN_CARD],
    );
    expect(await registry.canAccredit(stranger.address, CITIZEN_CARD)).toBe(false);
    expect(await registry.canAccredit(cityRoot.address, CITIZEN_CARD)).toBe(true);
  });

  describe('delegation to a department', () => {
    let department: HDNodeWallet;
    let employer: HDNodeWallet;

    beforeEach(async () => {
      department = await fundedWallet(provider);
      employer = await fundedWallet(provider);
    });

    it('is granted per type by the root, announced with AccreditorAuthorized', async () => {
      const receipt = await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT, WORK_EXPERIENCE], true));
      expect(eventsIn(receipt, registry, 'AccreditorAuthorized')).toEqual([
        { department: department.address, credentialType: LABOR_CONTRACT, allowed: true },
        { department: department.address, credentialType: WORK_EXPERIENCE, allowed: true },
      ]);
      expect(await registry.canAccredit(department.address, LABOR_CONTRACT)).toBe(true);
      expect(await registry.canAccredit(department.address, WORK_EXPERIENCE)).toBe(true);
      expect(await registry.canAccredit(department.address, CITIZEN_CARD)).toBe(false);
    });

    it('lets the department accredit employers for LaborContract but not for SeoulCitizenCard', async () => {
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      const now = BigInt(await chainNow(provider));
      const asDepartment = as(department);

      const receipt = await mined(asDepartment.accreditIssuer(employer.address, [LABOR_CONTRACT], now, now + 1_000n));
      expect(eventsIn(receipt, registry, 'IssuerAccredited')).toEqual([
        {
          issuer: employer.address,
          credentialType: LABOR_CONTRACT,
          accreditor: department.address,
          index: 0n,
          validFrom: now,
          validUntil: now + 1_000n,
        },
      ]);
      expect((await registry.accreditationsOf(employer.address, LABOR_CONTRACT))[0]?.accreditor).toBe(department.address);
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, now)).toBe(true);

      await expectCustomError(
        asDepartment.accreditIssuer(employer.address, [CITIZEN_CARD], now, now + 1_000n),
        registry,
        'AccreditorNotAuthorized',
        [department.address, CITIZEN_CARD],
      );
      await expectCustomError(
        asDepartment.accreditIssuer(employer.address, [LABOR_CONTRACT, CITIZEN_CARD], now, now + 1_000n),
        registry,
        'AccreditorNotAuthorized',
        [department.address, CITIZEN_CARD],
      );
      expect(await registry.accreditationsOf(employer.address, LABOR_CONTRACT)).toHaveLength(1);
      expect(await registry.isAccredited(employer.address, CITIZEN_CARD, now)).toBe(false);
    });

    it('lets the department revoke the accreditations it made, of its delegated types only', async () => {
      const citizenOffice = await fundedWallet(provider);
      const now = BigInt(await chainNow(provider));
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      await mined(registry.accreditIssuer(citizenOffice.address, [CITIZEN_CARD], now, now + 1_000n));
      const asDepartment = as(department);
      await mined(asDepartment.accreditIssuer(employer.address, [LABOR_CONTRACT], now, now + 1_000n));

      const receipt = await mined(asDepartment.revokeAccreditation(employer.address, LABOR_CONTRACT, 0));
      expect(eventsIn(receipt, registry, 'AccreditationRevoked')[0]).toMatchObject({
        issuer: employer.address,
        credentialType: LABOR_CONTRACT,
        revokedBy: department.address,
        index: 0n,
      });
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, now + 999n)).toBe(false);
      await expectCustomError(
        asDepartment.revokeAccreditation(citizenOffice.address, CITIZEN_CARD, 0),
        registry,
        'AccreditorNotAuthorized',
        [department.address, CITIZEN_CARD],
      );
      expect((await registry.accreditationsOf(citizenOffice.address, CITIZEN_CARD))[0]?.revokedAt).toBe(0n);
    });

    it('refuses to let the department revoke what the root or another department accredited (NotTheAccreditor)', async () => {
      const otherDepartment = await fundedWallet(provider);
      const now = BigInt(await chainNow(provider));
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      await mined(registry.setAccreditorTypes(otherDepartment.address, [LABOR_CONTRACT], true));
      await mined(registry.accreditIssuer(employer.address, [LABOR_CONTRACT], now, now + 1_000n));
      await mined(as(otherDepartment).accreditIssuer(employer.address, [LABOR_CONTRACT], now, now + 1_000n));

      await expectCustomError(
        as(department).revokeAccreditation(employer.address, LABOR_CONTRACT, 0),
        registry,
        'NotTheAccreditor',
        [department.address, cityRoot.address],
      );
      await expectCustomError(
        as(department).revokeAccreditation(employer.address, LABOR_CONTRACT, 1),
        registry,
        'NotTheAccreditor',
        [department.address, otherDepartment.address],
      );
      expect((await registry.accreditationsOf(employer.address, LABOR_CONTRACT)).map((a) => a.revokedAt)).toEqual([0n, 0n]);

      const receipt = await mined(registry.revokeAccreditation(employer.address, LABOR_CONTRACT, 1));
      expect(eventsIn(receipt, registry, 'AccreditationRevoked')[0]).toMatchObject({
        issuer: employer.address,
        credentialType: LABOR_CONTRACT,
        revokedBy: cityRoot.address,
        index: 1n,
      });
      expect((await registry.accreditationsOf(employer.address, LABOR_CONTRACT)).map((a) => a.accreditor)).toEqual([
        cityRoot.address,
        otherDepartment.address,
      ]);
    });

    it('refuses to let the department accredit itself, even for its delegated types (SelfAccreditation)', async () => {
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT, WORK_EXPERIENCE], true));
      const now = BigInt(await chainNow(provider));
      const asDepartment = as(department);

      await expectCustomError(
        asDepartment.accreditIssuer(department.address, [LABOR_CONTRACT], now - 10_000n, now + 1_000n),
        registry,
        'SelfAccreditation',
        [department.address],
      );
      await expectCustomError(
        asDepartment.accreditIssuer(department.address, [WORK_EXPERIENCE, LABOR_CONTRACT], now, now + 1_000n),
        registry,
        'SelfAccreditation',
        [department.address],
      );
      expect(await registry.credentialTypesOf(department.address)).toEqual([]);
      expect(await registry.isAccreditedForAnyType(department.address, now)).toBe(false);

      await mined(registry.accreditIssuer(department.address, [LABOR_CONTRACT], now, now + 1_000n));
      expect((await registry.accreditationsOf(department.address, LABOR_CONTRACT))[0]?.accreditor).toBe(cityRoot.address);
    });

    it('can be withdrawn; accreditations the department made stay on record', async () => {
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      const now = BigInt(await chainNow(provider));
      await mined(as(department).accreditIssuer(employer.address, [LABOR_CONTRACT], now, now + 1_000n));

      const receipt = await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], false));
      expect(eventsIn(receipt, registry, 'AccreditorAuthorized')).toEqual([
        { department: department.address, credentialType: LABOR_CONTRACT, allowed: false },
      ]);
      expect(await registry.canAccredit(department.address, LABOR_CONTRACT)).toBe(false);
      await expectCustomError(
        as(department).accreditIssuer(employer.address, [LABOR_CONTRACT], now, now + 1_000n),
        registry,
        'AccreditorNotAuthorized',
        [department.address, LABOR_CONTRACT],
      );
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, now)).toBe(true);
    });

    it('is set by the root only, for a real account and at least one type', async () => {
      await expectCustomError(
        as(department).setAccreditorTypes(department.address, [CITIZEN_CARD], true),
        registry,
        'NotRoot',
        [department.address],
      );
      await expectCustomError(registry.setAccreditorTypes(ZeroAddress, [LABOR_CONTRACT], true), registry, 'ZeroAddress');
      await expectCustomError(registry.setAccreditorTypes(department.address, [], true), registry, 'NoCredentialTypes');
    });
  });

  it('transfers the root authority: the new root governs, the old one no longer does', async () => {
    const newRoot = await fundedWallet(provider);
    const stranger = await fundedWallet(provider);
    await expectCustomError(as(stranger).transferRoot(stranger.address), registry, 'NotRoot', [stranger.address]);
    await expectCustomError(registry.transferRoot(ZeroAddress), registry, 'ZeroAddress');

    const receipt = await mined(registry.transferRoot(newRoot.address));
    expect(eventsIn(receipt, registry, 'RootTransferred')).toEqual([
      { previousRoot: cityRoot.address, newRoot: newRoot.address },
    ]);
    expect(await registry.root()).toBe(newRoot.address);
    expect(await registry.canAccredit(cityRoot.address, CITIZEN_CARD)).toBe(false);
    expect(await registry.canAccredit(newRoot.address, CITIZEN_CARD)).toBe(true);

    const now = BigInt(await chainNow(provider));
    await expectCustomError(
      registry.accreditIssuer(stranger.address, [CITIZEN_CARD], now, now + 1n),
      registry,
      'AccreditorNotAuthorized',
      [cityRoot.address, CITIZEN_CARD],
    );
    await expectCustomError(registry.setAccreditorTypes(stranger.address, [LABOR_CONTRACT], true), registry, 'NotRoot', [
      cityRoot.address,
    ]);
    await expectCustomError(registry.transferRoot(cityRoot.address), registry, 'NotRoot', [cityRoot.address]);
    await mined(as(newRoot).accreditIssuer(stranger.address, [CITIZEN_CARD], now, now + 1n));
    expect(await registry.isAccredited(stranger.address, CITIZEN_CARD, now)).toBe(true);
  });
});
