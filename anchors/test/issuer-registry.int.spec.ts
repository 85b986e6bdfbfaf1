import { Contract, ContractFactory, ZeroAddress, ZeroHash, type HDNodeWallet, type JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ethrDidRegistryArtifact, loadArtifact } from '../src/artifacts.js';
import {
  OPEN_PERIOD_END,
  decodeIssuerRegistryLog,
  issuerRegistryAt,
  type AccreditationView,
  type IssuerRegistryContract,
  type PeriodView,
} from '../src/contracts.js';
import { credentialTypeHash } from '../src/credential-type.js';
import { startLocalChain, type LocalChain } from '../src/local-chain.js';
import {
  advanceTime,
  blockTime,
  chainNow,
  deployDidRegistry,
  deployRegistry,
  eventsIn,
  expectCustomError,
  fundedWallet,
  localProvider,
  mined,
  pinNextBlockTime,
} from './chain-test-kit.js';

const CITIZEN_CARD = credentialTypeHash('SeoulCitizenCard');
const LABOR_CONTRACT = credentialTypeHash('LaborContract');
const WORK_EXPERIENCE = credentialTypeHash('WorkExperience');
/** The tolerance the deploy script uses. */
const TOLERANCE = 60;

/** Plain copies of the window structs (ethers returns them as positional Results). */
function plainWindows(windows: AccreditationView[]): AccreditationView[] {
  return windows.map(({ accreditor, byRoot, validFrom, validUntil, revokedAt, delegationIndex }) => ({
    accreditor,
    byRoot,
    validFrom,
    validUntil,
    revokedAt,
    delegationIndex,
  }));
}

function plainPeriods(periods: PeriodView[]): PeriodView[] {
  return periods.map(({ start, end }) => ({ start, end }));
}

let chain: LocalChain;
let provider: JsonRpcProvider;
/** The ERC-1056 registry every IssuerRegistry here consults (each case uses fresh identities in it). */
let didRegistry: string;

beforeAll(async () => {
  chain = await startLocalChain();
  provider = localProvider(chain);
  didRegistry = await deployDidRegistry(await fundedWallet(provider));
});

afterAll(async () => {
  provider?.destroy();
  await chain?.stop();
});

describe('IssuerRegistry', () => {
  let cityRoot: HDNodeWallet;
  let registry: IssuerRegistryContract;
  /** The registry as seen by another account. */
  const as = (wallet: HDNodeWallet) => issuerRegistryAt(String(registry.target), wallet);
  /** Current chain time as a bigint. */
  const now = async () => BigInt(await chainNow(provider));

  beforeEach(async () => {
    cityRoot = await fundedWallet(provider);
    registry = await deployRegistry(cityRoot, TOLERANCE, didRegistry);
  });

  describe('deployment', () => {
    it('makes the deployer the root, announced with RootTransferred(0, root), with version 3 and the tolerance', async () => {
      expect(await registry.root()).toBe(cityRoot.address);
      expect(await registry.pendingRoot()).toBe(ZeroAddress);
      expect(await registry.VERSION()).toBe(3n);
      expect(await registry.backdateTolerance()).toBe(BigInt(TOLERANCE));
      expect(await registry.didRegistry()).toBe(didRegistry);
      const logs = await registry.queryFilter(registry.filters.RootTransferred());
      expect(logs.map((log) => decodeIssuerRegistryLog(log))).toEqual([
        { name: 'RootTransferred', args: { previousRoot: ZeroAddress, newRoot: cityRoot.address } },
      ]);
    });

    it('refuses to be deployed without a root or without an ERC-1056 registry (ZeroAddress)', async () => {
      const artifact = loadArtifact('IssuerRegistry');
      const factory = new ContractFactory(artifact.abi, artifact.bytecode, cityRoot);
      await expectCustomError(factory.deploy(ZeroAddress, TOLERANCE, didRegistry), factory, 'ZeroAddress');
      await expectCustomError(factory.deploy(cityRoot.address, TOLERANCE, ZeroAddress), factory, 'ZeroAddress');
    });
  });

  describe('accreditation by the root', () => {
    it('accredits an issuer for several types over [validFrom, validUntil) and records it as made by the root', async () => {
      const issuer = await fundedWallet(provider);
      const validFrom = (await now()) + 50n;
      const validUntil = validFrom + 1_000n;

      const receipt = await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD, LABOR_CONTRACT], validFrom, validUntil));

      expect(eventsIn(receipt, registry, 'IssuerAccredited')).toEqual([
        { issuer: issuer.address, credentialType: CITIZEN_CARD, accreditor: cityRoot.address, index: 0n, validFrom, validUntil },
        { issuer: issuer.address, credentialType: LABOR_CONTRACT, accreditor: cityRoot.address, index: 0n, validFrom, validUntil },
      ]);
      const window = { accreditor: cityRoot.address, byRoot: true, validFrom, validUntil, revokedAt: 0n, delegationIndex: 0n };
      expect(plainWindows([await registry.windowAt(issuer.address, CITIZEN_CARD, 0)])).toEqual([window]);
      expect(await registry.windowCount(issuer.address, CITIZEN_CARD)).toBe(1n);
      expect(await registry.credentialTypesOf(issuer.address)).toEqual([CITIZEN_CARD, LABOR_CONTRACT]);
      expect(await registry.everAccreditedByRoot(issuer.address)).toBe(true);

      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, validFrom - 1n)).toBe(false);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, validFrom)).toBe(true);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, validUntil - 1n)).toBe(true);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, validUntil)).toBe(false);
      expect(await registry.isAccredited(issuer.address, LABOR_CONTRACT, validFrom)).toBe(true);
      expect(await registry.isAccredited(issuer.address, WORK_EXPERIENCE, validFrom)).toBe(false);
      expect(await registry.accreditedUntil(issuer.address, CITIZEN_CARD, validFrom - 1n)).toBe(0n);
      expect(await registry.accreditedUntil(issuer.address, CITIZEN_CARD, validFrom)).toBe(validUntil);
      expect(await registry.accreditedUntil(issuer.address, CITIZEN_CARD, validUntil - 1n)).toBe(validUntil);
      expect(await registry.accreditedUntil(issuer.address, CITIZEN_CARD, validUntil)).toBe(0n);
      expect(await registry.accreditedUntil(issuer.address, WORK_EXPERIENCE, validFrom)).toBe(0n);
    });

    it('keeps windows in time order: the next one gets the next index, the gap stays uncovered, overlaps are refused', async () => {
      const issuer = await fundedWallet(provider);
      const t = await now();
      await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], t, t + 20n));
      await expectCustomError(
        registry.accreditIssuer(issuer.address, [CITIZEN_CARD], t + 19n, t + 300n),
        registry,
        'OverlappingWindow',
        [issuer.address, CITIZEN_CARD, t + 19n, t + 20n],
      );
      const receipt = await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], t + 40n, t + 300n));

      expect(eventsIn(receipt, registry, 'IssuerAccredited')[0]).toMatchObject({ index: 1n });
      expect(await registry.windowCount(issuer.address, CITIZEN_CARD)).toBe(2n);
      expect(await registry.credentialTypesOf(issuer.address)).toEqual([CITIZEN_CARD]);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, t + 10n)).toBe(true);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, t + 30n)).toBe(false);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, t + 250n)).toBe(true);
    });

    it('pages the windows with accreditationsOf(offset, limit)', async () => {
      const issuer = await fundedWallet(provider);
      const t = await now();
      for (let i = 0n; i < 3n; i += 1n) {
        await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], t + 10n * i, t + 10n * i + 5n));
      }
      const starts = async (offset: number, limit: number) =>
        (await registry.accreditationsOf(issuer.address, CITIZEN_CARD, offset, limit)).map((w) => w.validFrom);

      expect(await starts(0, 10)).toEqual([t, t + 10n, t + 20n]);
      expect(await starts(1, 1)).toEqual([t + 10n]);
      expect(await starts(2, 5)).toEqual([t + 20n]);
      expect(await starts(3, 5)).toEqual([]);
      expect(await starts(0, 0)).toEqual([]);
    });

    it('rejects accreditations without issuer, without types, of the all-types zero type or with an empty window', async () => {
      const issuer = await fundedWallet(provider);
      const t = await now();
      await expectCustomError(registry.accreditIssuer(ZeroAddress, [CITIZEN_CARD], t, t + 1n), registry, 'ZeroAddress');
      await expectCustomError(registry.accreditIssuer(issuer.address, [], t, t + 1n), registry, 'NoCredentialTypes');
      await expectCustomError(registry.accreditIssuer(issuer.address, [ZeroHash], t, t + 1n), registry, 'ZeroCredentialType');
      await expectCustomError(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], t, t), registry, 'InvalidValidityWindow', [t, t]);
      await expectCustomError(
        registry.accreditIssuer(issuer.address, [CITIZEN_CARD], t + 10n, t),
        registry,
        'InvalidValidityWindow',
        [t + 10n, t],
      );
      expect(await registry.credentialTypesOf(issuer.address)).toEqual([]);
    });

    it('never accredits the root: it cannot accredit itself (SelfAccreditation)', async () => {
      const t = await now();
      await expectCustomError(
        registry.accreditIssuer(cityRoot.address, [CITIZEN_CARD], t, t + 1_000n),
        registry,
        'SelfAccreditation',
        [cityRoot.address],
      );
      expect(await registry.isAccredited(cityRoot.address, CITIZEN_CARD, t + 10n)).toBe(false);
      expect(await registry.windowCount(cityRoot.address, CITIZEN_CARD)).toBe(0n);
    });

    it('lets nobody but the root and delegated departments accredit or revoke (AccreditorNotAuthorized)', async () => {
      const stranger = await fundedWallet(provider);
      const issuer = await fundedWallet(provider);
      const t = await now();
      await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], t, t + 1_000n));

      await expectCustomError(
        as(stranger).accreditIssuer(stranger.address, [CITIZEN_CARD], t, t + 1_000n),
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
  });

  describe('backdating (issue 14, 2: an accreditation cannot be made retroactive)', () => {
    it('refuses validFrom 0 and now - 61 with a 60 s tolerance (BackdatedAccreditation) and accepts now - 60', async () => {
      const issuer = await fundedWallet(provider);
      const at = await pinNextBlockTime(provider, 100);
      const earliest = BigInt(at - TOLERANCE);
      const until = BigInt(at + 3_600);

      await expectCustomError(
        registry.accreditIssuer(issuer.address, [CITIZEN_CARD], 0, until),
        registry,
        'BackdatedAccreditation',
        [0n, earliest],
      );
      await expectCustomError(
        registry.accreditIssuer(issuer.address, [CITIZEN_CARD], earliest - 1n, until),
        registry,
        'BackdatedAccreditation',
        [earliest - 1n, earliest],
      );
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, 1n)).toBe(false);

      const receipt = await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], earliest, until));
      expect(await blockTime(provider, receipt)).toBe(at);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, earliest)).toBe(true);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, earliest - 1n)).toBe(false);
    });

    it('holds for departments too, and a zero tolerance refuses even one second in the past', async () => {
      const strict = await deployRegistry(cityRoot, 0, didRegistry);
      const department = await fundedWallet(provider);
      const employer = await fundedWallet(provider);
      await mined(strict.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      const asDepartment = issuerRegistryAt(String(strict.target), department);

      const at = await pinNextBlockTime(provider, 100);
      await expectCustomError(
        asDepartment.accreditIssuer(employer.address, [LABOR_CONTRACT], at - 1, at + 100),
        strict,
        'BackdatedAccreditation',
        [BigInt(at - 1), BigInt(at)],
      );
      await mined(asDepartment.accreditIssuer(employer.address, [LABOR_CONTRACT], at, at + 100));
      expect(await strict.isAccredited(employer.address, LABOR_CONTRACT, at - 1)).toBe(false);
      expect(await strict.isAccredited(employer.address, LABOR_CONTRACT, at)).toBe(true);
    });

    it('refuses a window starting more than the tolerance ahead (FutureAccreditation), so no department can lock an address out of a type', async () => {
      // Red team: a department accredited a victim over [2^64-3, 2^64-2); even once the root revoked that window,
      // withdrew the delegation and reinstated the victim, every new window was an OverlappingWindow for good.
      const department = await fundedWallet(provider);
      const victim = await fundedWallet(provider);
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      const farFuture = 2n ** 64n - 3n;
      const at = await pinNextBlockTime(provider, 100);
      const latest = BigInt(at + TOLERANCE);

      await expectCustomError(
        as(department).accreditIssuer(victim.address, [LABOR_CONTRACT], farFuture, farFuture + 1n),
        registry,
        'FutureAccreditation',
        [farFuture, latest],
      );
      await expectCustomError(
        as(department).accreditIssuer(victim.address, [LABOR_CONTRACT], latest + 1n, farFuture + 1n),
        registry,
        'FutureAccreditation',
        [latest + 1n, latest],
      );
      expect(await registry.windowCount(victim.address, LABOR_CONTRACT)).toBe(0n);

      // The furthest a department can still go: a window starting the tolerance ahead that never ends.
      const pushed = await mined(as(department).accreditIssuer(victim.address, [LABOR_CONTRACT], latest, farFuture + 1n));
      expect(await blockTime(provider, pushed)).toBe(at);
      await mined(registry.revokeAccreditation(victim.address, LABOR_CONTRACT, 0));
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], false));
      await mined(registry.reinstateIssuer(victim.address, LABOR_CONTRACT));

      // At once, without waiting: the revoked window blocks no later than its start, the tolerance after it was made.
      await expectCustomError(
        registry.accreditIssuer(victim.address, [LABOR_CONTRACT], latest - 1n, latest + 3_600n),
        registry,
        'OverlappingWindow',
        [victim.address, LABOR_CONTRACT, latest - 1n, latest],
      );
      const direct = await mined(registry.accreditIssuer(victim.address, [LABOR_CONTRACT], latest, latest + 3_600n));
      expect(eventsIn(direct, registry, 'IssuerAccredited')[0]).toMatchObject({ accreditor: cityRoot.address, index: 1n });
      expect(await registry.isAccredited(victim.address, LABOR_CONTRACT, latest)).toBe(true);
    });

    it('lets a department accredit again at once after the root revoked its pushed-ahead window and reinstated the issuer', async () => {
      const department = await fundedWallet(provider);
      const employer = await fundedWallet(provider);
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      const at = await pinNextBlockTime(provider, 100);
      const latest = BigInt(at + TOLERANCE);
      await mined(as(department).accreditIssuer(employer.address, [LABOR_CONTRACT], latest, 2n ** 64n - 2n));
      await mined(registry.revokeAccreditation(employer.address, LABOR_CONTRACT, 0));
      await mined(registry.reinstateIssuer(employer.address, LABOR_CONTRACT));

      await mined(as(department).accreditIssuer(employer.address, [LABOR_CONTRACT], latest, latest + 3_600n));
      expect(await registry.windowCount(employer.address, LABOR_CONTRACT)).toBe(2n);
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, latest)).toBe(true);
    });
  });

  describe('revocation', () => {
    it('ends a window from the revocation time on; the past keeps its answer (not retroactive)', async () => {
      const issuer = await fundedWallet(provider);
      const validFrom = await now();
      const validUntil = validFrom + 10_000n;
      await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], validFrom, validUntil));
      await advanceTime(provider, 60);

      const receipt = await mined(registry.revokeAccreditation(issuer.address, CITIZEN_CARD, 0));
      const revokedAt = BigInt(await blockTime(provider, receipt));

      expect(eventsIn(receipt, registry, 'AccreditationRevoked')).toEqual([
        { issuer: issuer.address, credentialType: CITIZEN_CARD, revokedBy: cityRoot.address, index: 0n, revokedAt },
      ]);
      expect((await registry.windowAt(issuer.address, CITIZEN_CARD, 0)).revokedAt).toBe(revokedAt);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, validFrom)).toBe(true);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, revokedAt - 1n)).toBe(true);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, revokedAt)).toBe(false);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, validUntil - 1n)).toBe(false);
      expect(await registry.accreditedUntil(issuer.address, CITIZEN_CARD, validFrom)).toBe(revokedAt);
      expect(await registry.accreditedUntil(issuer.address, CITIZEN_CARD, revokedAt)).toBe(0n);

      await advanceTime(provider, 3_600);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, revokedAt - 1n)).toBe(true);
    });

    it('revokes only an existing, unrevoked window (AccreditationAlreadyRevoked, AccreditationNotFound)', async () => {
      const issuer = await fundedWallet(provider);
      const t = await now();
      await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], t, t + 1_000n));
      await mined(registry.revokeAccreditation(issuer.address, CITIZEN_CARD, 0));

      await expectCustomError(registry.revokeAccreditation(issuer.address, CITIZEN_CARD, 0), registry, 'AccreditationAlreadyRevoked', [
        issuer.address,
        CITIZEN_CARD,
        0n,
      ]);
      await expectCustomError(registry.revokeAccreditation(issuer.address, CITIZEN_CARD, 1), registry, 'AccreditationNotFound', [
        issuer.address,
        CITIZEN_CARD,
        1n,
      ]);
      await expectCustomError(registry.windowAt(issuer.address, LABOR_CONTRACT, 0), registry, 'AccreditationNotFound', [
        issuer.address,
        LABOR_CONTRACT,
        0n,
      ]);
    });

    it('by the root also suspends the issuer for the type until the root reinstates it', async () => {
      const issuer = await fundedWallet(provider);
      const t = await now();
      await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD, LABOR_CONTRACT], t, t + 10_000n));

      const receipt = await mined(registry.revokeAccreditation(issuer.address, CITIZEN_CARD, 0));
      const revokedAt = BigInt(await blockTime(provider, receipt));

      expect(eventsIn(receipt, registry, 'IssuerSuspended')).toEqual([
        { issuer: issuer.address, credentialType: CITIZEN_CARD, suspendedAt: revokedAt },
      ]);
      expect(plainPeriods(await registry.suspensionsOf(issuer.address, CITIZEN_CARD))).toEqual([{ start: revokedAt, end: OPEN_PERIOD_END }]);
      expect(await registry.isSuspended(issuer.address, CITIZEN_CARD, revokedAt)).toBe(true);
      expect(await registry.isSuspended(issuer.address, LABOR_CONTRACT, revokedAt)).toBe(false);
      expect(await registry.isAccredited(issuer.address, LABOR_CONTRACT, revokedAt)).toBe(true);
      await expectCustomError(
        registry.accreditIssuer(issuer.address, [CITIZEN_CARD], revokedAt + 10n, revokedAt + 100n),
        registry,
        'IssuerIsSuspended',
        [issuer.address, CITIZEN_CARD],
      );

      const reinstated = await mined(registry.reinstateIssuer(issuer.address, CITIZEN_CARD));
      const reinstatedAt = BigInt(await blockTime(provider, reinstated));
      const start = reinstatedAt + 1n;
      await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], start, start + 100n));
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, start)).toBe(true);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, revokedAt)).toBe(false);
    });
  });

  describe('suspension', () => {
    let issuer: HDNodeWallet;
    let t: bigint;

    beforeEach(async () => {
      issuer = await fundedWallet(provider);
      t = await now();
      await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD, LABOR_CONTRACT], t, t + 10_000n));
    });

    it('per type: not accredited while suspended, accredited again on the live window once reinstated', async () => {
      await advanceTime(provider, 10);
      const suspended = await mined(registry.suspendIssuer(issuer.address, CITIZEN_CARD));
      const suspendedAt = BigInt(await blockTime(provider, suspended));
      await advanceTime(provider, 10);
      const reinstated = await mined(registry.reinstateIssuer(issuer.address, CITIZEN_CARD));
      const reinstatedAt = BigInt(await blockTime(provider, reinstated));

      expect(eventsIn(suspended, registry, 'IssuerSuspended')).toEqual([
        { issuer: issuer.address, credentialType: CITIZEN_CARD, suspendedAt },
      ]);
      expect(eventsIn(reinstated, registry, 'IssuerReinstated')).toEqual([
        { issuer: issuer.address, credentialType: CITIZEN_CARD, reinstatedAt },
      ]);
      expect(plainPeriods(await registry.suspensionsOf(issuer.address, CITIZEN_CARD))).toEqual([{ start: suspendedAt, end: reinstatedAt }]);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, suspendedAt - 1n)).toBe(true);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, suspendedAt)).toBe(false);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, reinstatedAt - 1n)).toBe(false);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, reinstatedAt)).toBe(true);
      expect(await registry.isAccredited(issuer.address, LABOR_CONTRACT, suspendedAt)).toBe(true);
      // Before the suspension, the window's own end: a suspension recorded later is not foreseen.
      expect(await registry.accreditedUntil(issuer.address, CITIZEN_CARD, suspendedAt - 1n)).toBe(t + 10_000n);
      expect(await registry.accreditedUntil(issuer.address, CITIZEN_CARD, suspendedAt)).toBe(0n);
    });

    it('for all types (type zero) covers every type', async () => {
      await advanceTime(provider, 10);
      const receipt = await mined(registry.suspendIssuer(issuer.address, ZeroHash));
      const suspendedAt = BigInt(await blockTime(provider, receipt));

      expect(await registry.isSuspended(issuer.address, ZeroHash, suspendedAt)).toBe(true);
      expect(await registry.isSuspended(issuer.address, WORK_EXPERIENCE, suspendedAt)).toBe(true);
      expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, suspendedAt)).toBe(false);
      expect(await registry.isAccredited(issuer.address, LABOR_CONTRACT, suspendedAt)).toBe(false);
      expect(await registry.isAccredited(issuer.address, LABOR_CONTRACT, suspendedAt - 1n)).toBe(true);
      await expectCustomError(
        registry.accreditIssuer(issuer.address, [WORK_EXPERIENCE], suspendedAt + 10n, suspendedAt + 100n),
        registry,
        'IssuerIsSuspended',
        [issuer.address, WORK_EXPERIENCE],
      );
    });

    it('is the root’s alone and refuses double suspension, reinstating what is not suspended and the zero address', async () => {
      const department = await fundedWallet(provider);
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      await expectCustomError(as(department).suspendIssuer(issuer.address, LABOR_CONTRACT), registry, 'NotRoot', [department.address]);
      await expectCustomError(registry.reinstateIssuer(issuer.address, LABOR_CONTRACT), registry, 'NotSuspended', [
        issuer.address,
        LABOR_CONTRACT,
      ]);
      await expectCustomError(registry.suspendIssuer(ZeroAddress, LABOR_CONTRACT), registry, 'ZeroAddress');

      await mined(registry.suspendIssuer(issuer.address, LABOR_CONTRACT));
      await expectCustomError(registry.suspendIssuer(issuer.address, LABOR_CONTRACT), registry, 'AlreadySuspended', [
        issuer.address,
        LABOR_CONTRACT,
      ]);
      await expectCustomError(as(department).reinstateIssuer(issuer.address, LABOR_CONTRACT), registry, 'NotRoot', [department.address]);
      await expectCustomError(registry.reinstateIssuer(issuer.address, ZeroHash), registry, 'NotSuspended', [issuer.address, ZeroHash]);
    });
  });

  describe('departments', () => {
    let department: HDNodeWallet;
    let employer: HDNodeWallet;

    beforeEach(async () => {
      department = await fundedWallet(provider);
      employer = await fundedWallet(provider);
    });

    it('are delegated types by the root in periods, announced with AccreditorAuthorized; a repeat changes nothing', async () => {
      const granted = await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT, WORK_EXPERIENCE], true));
      const grantedAt = BigInt(await blockTime(provider, granted));
      expect(eventsIn(granted, registry, 'AccreditorAuthorized')).toEqual([
        { department: department.address, credentialType: LABOR_CONTRACT, allowed: true, changedAt: grantedAt },
        { department: department.address, credentialType: WORK_EXPERIENCE, allowed: true, changedAt: grantedAt },
      ]);
      expect(await registry.canAccredit(department.address, LABOR_CONTRACT)).toBe(true);
      expect(await registry.canAccredit(department.address, CITIZEN_CARD)).toBe(false);
      expect(await registry.everDelegated(department.address)).toBe(true);

      const repeated = await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      expect(eventsIn(repeated, registry, 'AccreditorAuthorized')).toEqual([]);

      const withdrawn = await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT, CITIZEN_CARD], false));
      const withdrawnAt = BigInt(await blockTime(provider, withdrawn));
      expect(eventsIn(withdrawn, registry, 'AccreditorAuthorized')).toEqual([
        { department: department.address, credentialType: LABOR_CONTRACT, allowed: false, changedAt: withdrawnAt },
      ]);
      expect(plainPeriods(await registry.delegationsOf(department.address, LABOR_CONTRACT))).toEqual([{ start: grantedAt, end: withdrawnAt }]);
      expect(plainPeriods(await registry.delegationsOf(department.address, WORK_EXPERIENCE))).toEqual([
        { start: grantedAt, end: OPEN_PERIOD_END },
      ]);
      expect(await registry.canAccredit(department.address, LABOR_CONTRACT)).toBe(false);
    });

    it('are set by the root only, for a real account other than the root and at least one non-zero type', async () => {
      await expectCustomError(as(department).setAccreditorTypes(department.address, [CITIZEN_CARD], true), registry, 'NotRoot', [
        department.address,
      ]);
      await expectCustomError(registry.setAccreditorTypes(ZeroAddress, [LABOR_CONTRACT], true), registry, 'ZeroAddress');
      await expectCustomError(registry.setAccreditorTypes(cityRoot.address, [LABOR_CONTRACT], true), registry, 'RootNotAllowed', [
        cityRoot.address,
      ]);
      await expectCustomError(registry.setAccreditorTypes(department.address, [], true), registry, 'NoCredentialTypes');
      await expectCustomError(registry.setAccreditorTypes(department.address, [ZeroHash], true), registry, 'ZeroCredentialType');
    });

    it('accredit employers for their delegated types only, recorded with the department as accreditor', async () => {
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      const t = await now();
      const asDepartment = as(department);

      const receipt = await mined(asDepartment.accreditIssuer(employer.address, [LABOR_CONTRACT], t, t + 30n));
      expect(eventsIn(receipt, registry, 'IssuerAccredited')).toEqual([
        { issuer: employer.address, credentialType: LABOR_CONTRACT, accreditor: department.address, index: 0n, validFrom: t, validUntil: t + 30n },
      ]);
      expect(plainWindows([await registry.windowAt(employer.address, LABOR_CONTRACT, 0)])).toEqual([
        { accreditor: department.address, byRoot: false, validFrom: t, validUntil: t + 30n, revokedAt: 0n, delegationIndex: 0n },
      ]);
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, t)).toBe(true);
      expect(await registry.everAccreditedByRoot(employer.address)).toBe(false);

      await expectCustomError(
        asDepartment.accreditIssuer(employer.address, [LABOR_CONTRACT, CITIZEN_CARD], t + 30n, t + 2_000n),
        registry,
        'AccreditorNotAuthorized',
        [department.address, CITIZEN_CARD],
      );
      expect(await registry.windowCount(employer.address, LABOR_CONTRACT)).toBe(1n);
      expect(await registry.isAccredited(employer.address, CITIZEN_CARD, t)).toBe(false);
    });

    it('revoke the windows they made, of their delegated types, and nobody else’s (NotTheAccreditor)', async () => {
      const otherDepartment = await fundedWallet(provider);
      const otherEmployer = await fundedWallet(provider);
      const t = await now();
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      await mined(registry.setAccreditorTypes(otherDepartment.address, [LABOR_CONTRACT], true));
      await mined(as(department).accreditIssuer(employer.address, [LABOR_CONTRACT], t, t + 1_000n));
      await mined(as(otherDepartment).accreditIssuer(otherEmployer.address, [LABOR_CONTRACT], t, t + 1_000n));

      await expectCustomError(as(department).revokeAccreditation(otherEmployer.address, LABOR_CONTRACT, 0), registry, 'NotTheAccreditor', [
        department.address,
        otherDepartment.address,
      ]);
      await expectCustomError(as(department).revokeAccreditation(employer.address, CITIZEN_CARD, 0), registry, 'AccreditorNotAuthorized', [
        department.address,
        CITIZEN_CARD,
      ]);

      const receipt = await mined(as(department).revokeAccreditation(employer.address, LABOR_CONTRACT, 0));
      const revokedAt = BigInt(await blockTime(provider, receipt));
      expect(eventsIn(receipt, registry, 'AccreditationRevoked')).toEqual([
        { issuer: employer.address, credentialType: LABOR_CONTRACT, revokedBy: department.address, index: 0n, revokedAt },
      ]);
      expect(eventsIn(receipt, registry, 'IssuerSuspended')).toEqual([]);
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, revokedAt)).toBe(false);
      expect(await registry.isAccredited(otherEmployer.address, LABOR_CONTRACT, revokedAt)).toBe(true);
    });

    it('cannot re-accredit an employer the root revoked, not even backdated (IssuerIsSuspended)', async () => {
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      const t = await now();
      await mined(as(department).accreditIssuer(employer.address, [LABOR_CONTRACT], t, t + 86_400n));
      await advanceTime(provider, 120);
      const revoked = await mined(registry.revokeAccreditation(employer.address, LABOR_CONTRACT, 0));
      const revokedAt = BigInt(await blockTime(provider, revoked));

      await expectCustomError(
        as(department).accreditIssuer(employer.address, [LABOR_CONTRACT], revokedAt + 10n, revokedAt + 86_400n),
        registry,
        'IssuerIsSuspended',
        [employer.address, LABOR_CONTRACT],
      );
      await expectCustomError(
        as(department).accreditIssuer(employer.address, [LABOR_CONTRACT], revokedAt - 30n, revokedAt + 86_400n),
        registry,
        'IssuerIsSuspended',
        [employer.address, LABOR_CONTRACT],
      );
      await advanceTime(provider, 60);
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, revokedAt + 60n)).toBe(false);
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, revokedAt - 1n)).toBe(true);
    });

    it('lose their employers when the root withdraws the delegation; the root can then accredit them directly', async () => {
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      const t = await now();
      await mined(as(department).accreditIssuer(employer.address, [LABOR_CONTRACT], t, t + 86_400n));
      await advanceTime(provider, 60);

      const withdrawn = await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], false));
      const withdrawnAt = BigInt(await blockTime(provider, withdrawn));

      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, withdrawnAt - 1n)).toBe(true);
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, withdrawnAt)).toBe(false);
      expect(await registry.accreditedUntil(employer.address, LABOR_CONTRACT, t)).toBe(withdrawnAt);
      expect(await registry.accreditedUntil(employer.address, LABOR_CONTRACT, withdrawnAt)).toBe(0n);
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, t + 86_399n)).toBe(false);
      await expectCustomError(as(department).revokeAccreditation(employer.address, LABOR_CONTRACT, 0), registry, 'AccreditorNotAuthorized', [
        department.address,
        LABOR_CONTRACT,
      ]);
      await expectCustomError(
        as(department).accreditIssuer(employer.address, [LABOR_CONTRACT], withdrawnAt + 10n, withdrawnAt + 100n),
        registry,
        'AccreditorNotAuthorized',
        [department.address, LABOR_CONTRACT],
      );

      const direct = await mined(registry.accreditIssuer(employer.address, [LABOR_CONTRACT], withdrawnAt, t + 86_400n));
      expect(eventsIn(direct, registry, 'IssuerAccredited')[0]).toMatchObject({ accreditor: cityRoot.address, index: 1n });
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, withdrawnAt)).toBe(true);

      // Granting the delegation again does not bring the department's old window back.
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      const other = await fundedWallet(provider);
      const before = await now();
      await mined(as(department).accreditIssuer(other.address, [LABOR_CONTRACT], before, before + 100n));
      expect((await registry.windowAt(other.address, LABOR_CONTRACT, 0)).delegationIndex).toBe(1n);
      expect(await registry.windowCount(employer.address, LABOR_CONTRACT)).toBe(2n);
      expect((await registry.windowAt(employer.address, LABOR_CONTRACT, 1)).byRoot).toBe(true);
    });

    it('keep the windows of a withdrawn period ended even after a new grant', async () => {
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      const t = await now();
      await mined(as(department).accreditIssuer(employer.address, [LABOR_CONTRACT], t, t + 86_400n));
      await advanceTime(provider, 10);
      const withdrawn = await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], false));
      const withdrawnAt = BigInt(await blockTime(provider, withdrawn));
      const regranted = await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      const regrantedAt = BigInt(await blockTime(provider, regranted));

      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, regrantedAt)).toBe(false);
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, withdrawnAt - 1n)).toBe(true);
      const renewed = await mined(as(department).accreditIssuer(employer.address, [LABOR_CONTRACT], regrantedAt, regrantedAt + 1_000n));
      const renewedAt = BigInt(await blockTime(provider, renewed));
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, renewedAt)).toBe(true);
    });

    it('accredit only employers: not themselves, another department, the root or an address the root accredited', async () => {
      const otherDepartment = await fundedWallet(provider);
      const cityOffice = await fundedWallet(provider);
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT, WORK_EXPERIENCE], true));
      await mined(registry.setAccreditorTypes(otherDepartment.address, [WORK_EXPERIENCE], true));
      const t = await now();
      await mined(registry.accreditIssuer(cityOffice.address, [CITIZEN_CARD], t, t + 1_000n));
      const asDepartment = as(department);
      const attempt = (issuer: string) => asDepartment.accreditIssuer(issuer, [LABOR_CONTRACT], t, t + 1_000n);

      await expectCustomError(attempt(department.address), registry, 'SelfAccreditation', [department.address]);
      await expectCustomError(attempt(otherDepartment.address), registry, 'NotAnEmployer', [department.address, otherDepartment.address]);
      await expectCustomError(attempt(cityRoot.address), registry, 'RootNotAllowed', [cityRoot.address]);
      await expectCustomError(attempt(cityOffice.address), registry, 'NotAnEmployer', [department.address, cityOffice.address]);
      for (const refused of [department, otherDepartment, cityRoot, cityOffice]) {
        expect(await registry.isAccredited(refused.address, LABOR_CONTRACT, t + 10n)).toBe(false);
      }

      // What stays trusted: a fresh address (possibly the department's own) becomes an employer, on record.
      const freshAddress = await fundedWallet(provider);
      await mined(attempt(freshAddress.address));
      expect((await registry.windowAt(freshAddress.address, LABOR_CONTRACT, 0)).accreditor).toBe(department.address);
    });
  });

  describe('departments after a key rotation (ERC-1056 changeOwner of their identity)', () => {
    let department: HDNodeWallet;
    let newKey: HDNodeWallet;
    let employer: HDNodeWallet;
    /** Start of the employer's window, made by the department with its first key before the rotation. */
    let t: bigint;
    /** `changeOwner(identity, newOwner)` on the ERC-1056 registry, sent by the identity's current owner. */
    const changeOwner = async (owner: HDNodeWallet, identity: string, newOwner: string) =>
      mined(new Contract(didRegistry, ethrDidRegistryArtifact().abi, owner).getFunction('changeOwner')(identity, newOwner));

    beforeEach(async () => {
      department = await fundedWallet(provider);
      newKey = await fundedWallet(provider);
      employer = await fundedWallet(provider);
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      t = await now();
      await mined(as(department).accreditIssuer(employer.address, [LABOR_CONTRACT], t, t + 86_400n));
      await changeOwner(department, department.address, newKey.address);
    });

    it('act through their new key with the …As functions: windows and events name the department, not the key', async () => {
      const revoked = await mined(as(newKey).revokeAccreditationAs(department.address, employer.address, LABOR_CONTRACT, 0));
      const revokedAt = BigInt(await blockTime(provider, revoked));
      expect(eventsIn(revoked, registry, 'AccreditationRevoked')).toEqual([
        { issuer: employer.address, credentialType: LABOR_CONTRACT, revokedBy: department.address, index: 0n, revokedAt },
      ]);
      expect(eventsIn(revoked, registry, 'IssuerSuspended')).toEqual([]);
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, revokedAt)).toBe(false);

      const accredited = await mined(as(newKey).accreditIssuerAs(department.address, employer.address, [LABOR_CONTRACT], revokedAt, revokedAt + 1_000n));
      expect(eventsIn(accredited, registry, 'IssuerAccredited')).toEqual([
        { issuer: employer.address, credentialType: LABOR_CONTRACT, accreditor: department.address, index: 1n, validFrom: revokedAt, validUntil: revokedAt + 1_000n },
      ]);
      expect(plainWindows([await registry.windowAt(employer.address, LABOR_CONTRACT, 1)])).toEqual([
        { accreditor: department.address, byRoot: false, validFrom: revokedAt, validUntil: revokedAt + 1_000n, revokedAt: 0n, delegationIndex: 0n },
      ]);
      expect(await registry.isAccredited(employer.address, LABOR_CONTRACT, revokedAt)).toBe(true);

      // The department's windows stay its own: the new key revokes the one it made for the department as well.
      const again = await mined(as(newKey).revokeAccreditationAs(department.address, employer.address, LABOR_CONTRACT, 1));
      expect(eventsIn(again, registry, 'AccreditationRevoked')[0]).toMatchObject({ revokedBy: department.address, index: 1n });
    });

    it('leave the old key no right at all, neither through the plain functions nor the …As ones (NotIdentityOwner)', async () => {
      const other = await fundedWallet(provider);
      const old = as(department);
      const refusal = [department.address, department.address, newKey.address];

      await expectCustomError(old.accreditIssuer(other.address, [LABOR_CONTRACT], t, t + 100n), registry, 'NotIdentityOwner', refusal);
      await expectCustomError(old.revokeAccreditation(employer.address, LABOR_CONTRACT, 0), registry, 'NotIdentityOwner', refusal);
      await expectCustomError(
        old.accreditIssuerAs(department.address, other.address, [LABOR_CONTRACT], t, t + 100n),
        registry,
        'NotIdentityOwner',
        refusal,
      );
      await expectCustomError(old.revokeAccreditationAs(department.address, employer.address, LABOR_CONTRACT, 0), registry, 'NotIdentityOwner', refusal);
      expect(await registry.windowCount(other.address, LABOR_CONTRACT)).toBe(0n);
      expect((await registry.windowAt(employer.address, LABOR_CONTRACT, 0)).revokedAt).toBe(0n);

      // The new key is no department by itself: the plain functions act for its own address.
      await expectCustomError(as(newKey).accreditIssuer(other.address, [LABOR_CONTRACT], t, t + 100n), registry, 'AccreditorNotAuthorized', [
        newKey.address,
        LABOR_CONTRACT,
      ]);

      // A second rotation retires the first new key the same way.
      const newerKey = await fundedWallet(provider);
      await changeOwner(newKey, department.address, newerKey.address);
      await expectCustomError(
        as(newKey).revokeAccreditationAs(department.address, employer.address, LABOR_CONTRACT, 0),
        registry,
        'NotIdentityOwner',
        [newKey.address, department.address, newerKey.address],
      );
      await mined(as(newerKey).revokeAccreditationAs(department.address, employer.address, LABOR_CONTRACT, 0));
    });

    it('let nobody else act as a department: a stranger, another department or the root (NotIdentityOwner)', async () => {
      const stranger = await fundedWallet(provider);
      const otherDepartment = await fundedWallet(provider);
      const other = await fundedWallet(provider);
      await mined(registry.setAccreditorTypes(otherDepartment.address, [LABOR_CONTRACT], true));

      for (const intruder of [stranger, otherDepartment, cityRoot]) {
        await expectCustomError(
          as(intruder).accreditIssuerAs(department.address, other.address, [LABOR_CONTRACT], t, t + 100n),
          registry,
          'NotIdentityOwner',
          [intruder.address, department.address, newKey.address],
        );
        await expectCustomError(
          as(intruder).revokeAccreditationAs(department.address, employer.address, LABOR_CONTRACT, 0),
          registry,
          'NotIdentityOwner',
          [intruder.address, department.address, newKey.address],
        );
      }
      // Nor as one that never rotated: its owner is itself.
      await expectCustomError(
        as(stranger).accreditIssuerAs(otherDepartment.address, other.address, [LABOR_CONTRACT], t, t + 100n),
        registry,
        'NotIdentityOwner',
        [stranger.address, otherDepartment.address, otherDepartment.address],
      );
      expect(await registry.windowCount(other.address, LABOR_CONTRACT)).toBe(0n);
      expect((await registry.windowAt(employer.address, LABOR_CONTRACT, 0)).revokedAt).toBe(0n);
    });

    it('keep exactly a department’s limits through the new key, refusals naming the department', async () => {
      const asNewKey = as(newKey);
      const cityOffice = await fundedWallet(provider);
      const other = await fundedWallet(provider);
      await mined(registry.accreditIssuer(cityOffice.address, [CITIZEN_CARD], t, t + 1_000n));

      await expectCustomError(
        asNewKey.accreditIssuerAs(department.address, other.address, [CITIZEN_CARD], t, t + 100n),
        registry,
        'AccreditorNotAuthorized',
        [department.address, CITIZEN_CARD],
      );
      await expectCustomError(
        asNewKey.accreditIssuerAs(department.address, department.address, [LABOR_CONTRACT], t, t + 100n),
        registry,
        'SelfAccreditation',
        [department.address],
      );
      await expectCustomError(
        asNewKey.accreditIssuerAs(department.address, cityOffice.address, [LABOR_CONTRACT], t, t + 100n),
        registry,
        'NotAnEmployer',
        [department.address, cityOffice.address],
      );
      await expectCustomError(asNewKey.revokeAccreditationAs(department.address, cityOffice.address, CITIZEN_CARD, 0), registry, 'AccreditorNotAuthorized', [
        department.address,
        CITIZEN_CARD,
      ]);

      // Withdrawing the delegation ends the department's rights whichever key it uses.
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], false));
      await expectCustomError(asNewKey.revokeAccreditationAs(department.address, employer.address, LABOR_CONTRACT, 0), registry, 'AccreditorNotAuthorized', [
        department.address,
        LABOR_CONTRACT,
      ]);
    });

    it('leave the root as it is: it acts only as itself, and its own ERC-1056 owner change gives it no second key', async () => {
      const other = await fundedWallet(provider);
      await expectCustomError(
        registry.accreditIssuerAs(cityRoot.address, other.address, [CITIZEN_CARD], t, t + 100n),
        registry,
        'RootNotAllowed',
        [cityRoot.address],
      );
      const rootKey = await fundedWallet(provider);
      await changeOwner(cityRoot, cityRoot.address, rootKey.address);
      await expectCustomError(
        as(rootKey).accreditIssuerAs(cityRoot.address, other.address, [CITIZEN_CARD], t, t + 100n),
        registry,
        'RootNotAllowed',
        [cityRoot.address],
      );
      await expectCustomError(as(rootKey).revokeAccreditationAs(cityRoot.address, employer.address, LABOR_CONTRACT, 0), registry, 'RootNotAllowed', [
        cityRoot.address,
      ]);

      // The root's plain calls do not consult ERC-1056: they still work from the root account.
      const accredited = await mined(registry.accreditIssuer(other.address, [CITIZEN_CARD], t, t + 100n));
      expect(eventsIn(accredited, registry, 'IssuerAccredited')[0]).toMatchObject({ accreditor: cityRoot.address });
      const revoked = await mined(registry.revokeAccreditation(employer.address, LABOR_CONTRACT, 0));
      expect(eventsIn(revoked, registry, 'AccreditationRevoked')[0]).toMatchObject({ revokedBy: cityRoot.address });
      expect(eventsIn(revoked, registry, 'IssuerSuspended')).toHaveLength(1);
    });
  });

  describe('departments that own their identity', () => {
    it('may use the …As functions naming themselves, exactly like the plain ones', async () => {
      const department = await fundedWallet(provider);
      const employer = await fundedWallet(provider);
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      const t = await now();
      const receipt = await mined(as(department).accreditIssuerAs(department.address, employer.address, [LABOR_CONTRACT], t, t + 100n));
      expect(eventsIn(receipt, registry, 'IssuerAccredited')[0]).toMatchObject({ accreditor: department.address, index: 0n });
      await mined(as(department).revokeAccreditationAs(department.address, employer.address, LABOR_CONTRACT, 0));
      expect((await registry.windowAt(employer.address, LABOR_CONTRACT, 0)).accreditor).toBe(department.address);
    });
  });

  describe('root transfer', () => {
    let newRoot: HDNodeWallet;
    let stranger: HDNodeWallet;

    beforeEach(async () => {
      newRoot = await fundedWallet(provider);
      stranger = await fundedWallet(provider);
    });

    it('takes two steps: the proposed root accepts, then the old root has no rights at all', async () => {
      const proposed = await mined(registry.proposeRoot(newRoot.address));
      expect(eventsIn(proposed, registry, 'RootProposed')).toEqual([{ currentRoot: cityRoot.address, proposedRoot: newRoot.address }]);
      expect(await registry.pendingRoot()).toBe(newRoot.address);
      expect(await registry.root()).toBe(cityRoot.address);
      await expectCustomError(as(stranger).acceptRoot(), registry, 'NotPendingRoot', [stranger.address]);

      const accepted = await mined(as(newRoot).acceptRoot());
      expect(eventsIn(accepted, registry, 'RootTransferred')).toEqual([{ previousRoot: cityRoot.address, newRoot: newRoot.address }]);
      expect(await registry.root()).toBe(newRoot.address);
      expect(await registry.pendingRoot()).toBe(ZeroAddress);

      const t = await now();
      const issuer = await fundedWallet(provider);
      await expectCustomError(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], t, t + 100n), registry, 'AccreditorNotAuthorized', [
        cityRoot.address,
        CITIZEN_CARD,
      ]);
      await expectCustomError(registry.suspendIssuer(issuer.address, CITIZEN_CARD), registry, 'NotRoot', [cityRoot.address]);
      await expectCustomError(registry.setAccreditorTypes(stranger.address, [LABOR_CONTRACT], true), registry, 'NotRoot', [cityRoot.address]);
      await expectCustomError(registry.proposeRoot(cityRoot.address), registry, 'NotRoot', [cityRoot.address]);
      await expectCustomError(as(newRoot).acceptRoot(), registry, 'NotPendingRoot', [newRoot.address]);
      expect(await registry.canAccredit(cityRoot.address, CITIZEN_CARD)).toBe(false);
      expect(await registry.isAccredited(cityRoot.address, CITIZEN_CARD, t)).toBe(false);
      expect(await registry.windowCount(cityRoot.address, CITIZEN_CARD)).toBe(0n);

      await mined(as(newRoot).accreditIssuer(issuer.address, [CITIZEN_CARD], t, t + 100n));
      expect((await registry.windowAt(issuer.address, CITIZEN_CARD, 0)).accreditor).toBe(newRoot.address);
    });

    it('is proposed by the root only, to an account with no history, and can be withdrawn', async () => {
      const department = await fundedWallet(provider);
      const issuer = await fundedWallet(provider);
      const t = await now();
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      await mined(registry.accreditIssuer(issuer.address, [CITIZEN_CARD], t, t + 100n));

      await expectCustomError(as(stranger).proposeRoot(stranger.address), registry, 'NotRoot', [stranger.address]);
      await expectCustomError(registry.proposeRoot(department.address), registry, 'UnsuitableRoot', [department.address]);
      await expectCustomError(registry.proposeRoot(issuer.address), registry, 'UnsuitableRoot', [issuer.address]);

      await mined(registry.proposeRoot(newRoot.address));
      const withdrawn = await mined(registry.proposeRoot(ZeroAddress));
      expect(eventsIn(withdrawn, registry, 'RootProposed')).toEqual([{ currentRoot: cityRoot.address, proposedRoot: ZeroAddress }]);
      await expectCustomError(as(newRoot).acceptRoot(), registry, 'NotPendingRoot', [newRoot.address]);
      expect(await registry.root()).toBe(cityRoot.address);
    });

    it('keeps the proposed root unaccredited until it accepts: nobody may accredit it or delegate to it', async () => {
      const department = await fundedWallet(provider);
      await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
      await mined(registry.proposeRoot(newRoot.address));
      const t = await now();

      await expectCustomError(as(department).accreditIssuer(newRoot.address, [LABOR_CONTRACT], t, t + 100n), registry, 'RootNotAllowed', [
        newRoot.address,
      ]);
      await expectCustomError(registry.accreditIssuer(newRoot.address, [CITIZEN_CARD], t, t + 100n), registry, 'RootNotAllowed', [
        newRoot.address,
      ]);
      await expectCustomError(registry.setAccreditorTypes(newRoot.address, [LABOR_CONTRACT], true), registry, 'RootNotAllowed', [
        newRoot.address,
      ]);
      await mined(as(newRoot).acceptRoot());
      expect(await registry.isAccredited(newRoot.address, LABOR_CONTRACT, t + 10n)).toBe(false);
    });
  });
});
