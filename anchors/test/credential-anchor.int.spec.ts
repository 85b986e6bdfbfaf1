import { ZeroAddress, ZeroHash, hexlify, randomBytes, type HDNodeWallet, type JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  credentialAnchorAt,
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
} from './chain-test-kit.js';

const CITIZEN_CARD = credentialTypeHash('SeoulCitizenCard');
const LABOR_CONTRACT = credentialTypeHash('LaborContract');

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
  let issuer: HDNodeWallet;
  let deployment: CityDeployment;
  let registry: IssuerRegistryContract;
  /** The anchor contract as seen by the accredited issuer. */
  let anchor: CredentialAnchorContract;
  const anchorAs = (wallet: HDNodeWallet) => credentialAnchorAt(deployment.credentialAnchor, wallet);

  /** Accredits `wallet` for the citizen card over [now + fromOffset, now + untilOffset) of chain time. */
  async function accredit(wallet: HDNodeWallet, fromOffset: number, untilOffset: number): Promise<void> {
    const now = BigInt(await chainNow(provider));
    await mined(registry.accreditIssuer(wallet.address, [CITIZEN_CARD], now + BigInt(fromOffset), now + BigInt(untilOffset)));
  }

  beforeAll(async () => {
    cityRoot = await fundedWallet(provider);
    deployment = await deployCityContracts(cityRoot);
    registry = issuerRegistryAt(deployment.issuerRegistry, cityRoot);
  });

  beforeEach(async () => {
    issuer = await fundedWallet(provider);
    anchor = anchorAs(issuer);
  });

  it('consults the registry it was deployed with', async () => {
    expect(await anchor.registry()).toBe(deployment.issuerRegistry);
  });

  it('records a root from an accredited issuer with its block time, block number and leaf count', async () => {
    await accredit(issuer, -10, 3_600);
    const root = newRoot();

    const receipt = await mined(anchor.anchor(root, 42));
    const anchoredAt = BigInt(await blockTime(provider, receipt));

    expect(eventsIn(receipt, anchor, 'RootAnchored')).toEqual([
      { root, issuer: issuer.address, leafCount: 42n, anchoredAt },
    ]);
    const recorded = await anchor.anchorOf(root);
    expect([...recorded]).toEqual([issuer.address, anchoredAt, BigInt(receipt.blockNumber), 42n]);
    expect(recorded.issuer).toBe(issuer.address);
    expect(recorded.anchoredAt).toBe(anchoredAt);
    expect(recorded.blockNumber).toBe(BigInt(receipt.blockNumber));
    expect(recorded.leafCount).toBe(42n);
  });

  it('returns a zero issuer for a root that was never anchored', async () => {
    expect([...(await anchor.anchorOf(newRoot()))]).toEqual([ZeroAddress, 0n, 0n, 0n]);
  });

  it('accepts an employer accredited by a department for LaborContract only', async () => {
    const department = await fundedWallet(provider);
    const employer = await fundedWallet(provider);
    await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));
    const now = BigInt(await chainNow(provider));
    await mined(issuerRegistryAt(deployment.issuerRegistry, department).accreditIssuer(employer.address, [LABOR_CONTRACT], now, now + 3_600n));

    const root = newRoot();
    await mined(anchorAs(employer).anchor(root, 1));
    expect((await anchor.anchorOf(root)).issuer).toBe(employer.address);
  });

  it('anchors a root once: a second submission reverts RootAlreadyAnchored, even from another issuer', async () => {
    const otherIssuer = await fundedWallet(provider);
    await accredit(issuer, -10, 3_600);
    await accredit(otherIssuer, -10, 3_600);
    const root = newRoot();
    const receipt = await mined(anchor.anchor(root, 3));

    await expectCustomError(anchor.anchor(root, 3), anchor, 'RootAlreadyAnchored', [root, issuer.address]);
    await expectCustomError(anchorAs(otherIssuer).anchor(root, 7), anchor, 'RootAlreadyAnchored', [root, issuer.address]);
    expect([...(await anchor.anchorOf(root))]).toEqual([
      issuer.address,
      BigInt(await blockTime(provider, receipt)),
      BigInt(receipt.blockNumber),
      3n,
    ]);
  });

  it('rejects an empty root (EmptyRoot) and an empty batch (EmptyBatch)', async () => {
    await accredit(issuer, -10, 3_600);
    await expectCustomError(anchor.anchor(ZeroHash, 1), anchor, 'EmptyRoot');
    const root = newRoot();
    await expectCustomError(anchor.anchor(root, 0), anchor, 'EmptyBatch');
    expect((await anchor.anchorOf(root)).issuer).toBe(ZeroAddress);
  });

  it('rejects callers that are not accredited: strangers, the city root itself, a department with only delegation', async () => {
    const stranger = await fundedWallet(provider);
    const department = await fundedWallet(provider);
    await mined(registry.setAccreditorTypes(department.address, [LABOR_CONTRACT], true));

    await expectCustomError(anchorAs(stranger).anchor(newRoot(), 1), anchor, 'IssuerNotAccredited', [stranger.address]);
    await expectCustomError(anchorAs(cityRoot).anchor(newRoot(), 1), anchor, 'IssuerNotAccredited', [cityRoot.address]);
    await expectCustomError(anchorAs(department).anchor(newRoot(), 1), anchor, 'IssuerNotAccredited', [
      department.address,
    ]);
  });

  it('accepts an issuer only inside its window: not before validFrom, not after validUntil', async () => {
    await accredit(issuer, 100, 200);
    await expectCustomError(anchor.anchor(newRoot(), 1), anchor, 'IssuerNotAccredited', [issuer.address]);

    await advanceTime(provider, 150);
    const root = newRoot();
    const receipt = await mined(anchor.anchor(root, 1));
    const anchoredAt = await blockTime(provider, receipt);

    await advanceTime(provider, 100);
    await expectCustomError(anchor.anchor(newRoot(), 1), anchor, 'IssuerNotAccredited', [issuer.address]);
    expect((await anchor.anchorOf(root)).issuer).toBe(issuer.address);
    expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, anchoredAt)).toBe(true);
  });

  it('rejects an issuer after its accreditation was revoked; earlier roots stay attributed to it', async () => {
    await accredit(issuer, -10, 3_600);
    const before = newRoot();
    const anchored = await mined(anchor.anchor(before, 5));
    const anchoredAt = await blockTime(provider, anchored);
    await advanceTime(provider, 30);
    await mined(registry.revokeAccreditation(issuer.address, CITIZEN_CARD, 0));

    await expectCustomError(anchor.anchor(newRoot(), 1), anchor, 'IssuerNotAccredited', [issuer.address]);
    expect((await anchor.anchorOf(before)).issuer).toBe(issuer.address);
    expect(await registry.isAccredited(issuer.address, CITIZEN_CARD, anchoredAt)).toBe(true);
  });
});
