import { credentialAnchorAt, credentialTypeHash, type CredentialAnchorContract } from '@citycred/anchors';
import { credentialHash } from '@citycred/anchoring';
import { exampleSubject } from '@citycred/credentials';
import type { AnchoringRun } from '@citycred/issuer';
import { AnchorBatchEntity, AnchorOutboxEntity } from '@citycred/persistence';
import type { TransactionResponse } from 'ethers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getJson, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';

/*
 * Issue 14, item 3: an insider cannot steal or pre-empt another issuer's anchor. The demo employer hangang-cafe
 * (accredited by labor for the labour types only) watches the transaction pool, copies the root of
 * education-office's pending anchoring transaction and sends it first, under its own address, with a higher tip.
 * Real anvil (blocks mined by hand while the two transactions wait in the pool), the real worker, the issuer's
 * proof endpoint and the verifier over HTTP, on SQLite or PostgreSQL.
 */

const { id: _holder, ...enrollment } = exampleSubject('EnrollmentStatus');

/** One transaction waiting in anvil's pool (`txpool_content`). */
interface PooledTransaction {
  hash: string;
  from: string;
  to: string | null;
  input: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
}

describe('nobody can pre-empt an issuer’s anchor', () => {
  let p: TestPlatform;
  let anchorContract: CredentialAnchorContract;

  beforeAll(async () => {
    p = await startTestPlatform('anchor_theft');
    anchorContract = credentialAnchorAt(p.deployment.credentialAnchor, p.provider);
  });
  afterAll(async () => {
    await p?.provider.send('evm_setAutomine', [true]).catch(() => undefined);
    await p?.stop();
  });

  const tenantEntity = async (slug: string) => {
    const found = (await p.issuer.runtime.tenants.list()).find((t) => t.slug === slug);
    if (!found) throw new Error(`no tenant ${slug}`);
    return found;
  };

  /** The CredentialAnchor calls waiting in the pool. */
  async function pooledAnchorCalls(): Promise<PooledTransaction[]> {
    const content = (await p.provider.send('txpool_content', [])) as { pending: Record<string, Record<string, PooledTransaction>> };
    return Object.values(content.pending)
      .flatMap((byNonce) => Object.values(byNonce))
      .filter((tx) => tx.to?.toLowerCase() === p.deployment.credentialAnchor.toLowerCase());
  }

  const issueEnrollment = async () => {
    const issued = await postJson(
      `${p.issuer.url}/credentials/issue`,
      issueBody(p.tenants.get('education-office')!.did, 'EnrollmentStatus', enrollment),
      { authorization: `Bearer ${p.tenants.get('education-office')!.apiKey}` },
    );
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    return issued.body.verifiableCredential;
  };

  it('an employer that anchors a copy of a department’s pending root first changes nothing for the department', async () => {
    const education = await tenantEntity('education-office');
    const cafe = await tenantEntity('hangang-cafe');
    const educationKey = await (await p.issuer.runtime.tenants.signerFor(education, p.provider)).getAddress();
    const attacker = anchorContract.connect(await p.issuer.runtime.tenants.signerFor(cafe, p.provider)) as CredentialAnchorContract;
    // A first batch registers education-office's key as its anchorer, so the pass below sends the anchor alone.
    await issueEnrollment();
    expect(await p.worker.runOnce()).toMatchObject({ anchored: 1, failed: 0 });
    const vc = await issueEnrollment();
    const hash = credentialHash(vc.proof.jwt);

    // Even with the key of an accredited employer, nobody registers, or anchors, in education-office's name.
    await expect(attacker.registerAnchorer.staticCall(education.address, credentialTypeHash('EnrollmentStatus'))).rejects.toMatchObject({
      revert: { name: 'NotIdentityOwner' },
    });
    await expect(attacker.anchor.staticCall(credentialTypeHash('EnrollmentStatus'), `0x${'ab'.repeat(32)}`, 1)).rejects.toMatchObject({
      revert: { name: 'NotAnchorer' },
    });
    await (await attacker.registerAnchorer(cafe.address, credentialTypeHash('WorkExperience'))).wait();

    let stolen: TransactionResponse;
    let victim: PooledTransaction;
    await p.provider.send('evm_setAutomine', [false]);
    let pass: Promise<AnchoringRun>;
    try {
      pass = p.worker.runOnce();
      // The worker's transaction waits in the pool, where anyone can read it.
      victim = await vi.waitFor(
        async () => {
          const calls = await pooledAnchorCalls();
          expect(calls).toHaveLength(1);
          return calls[0]!;
        },
        { timeout: 30_000, interval: 50 },
      );
      const call = anchorContract.interface.parseTransaction({ data: victim.input })!;
      expect(call.name).toBe('anchor');
      expect(victim.from.toLowerCase()).toBe(educationKey.toLowerCase());
      const [, root, leafCount] = call.args as unknown as [string, string, bigint];
      // The employer copies the root and anchors it under its own address, for a type it is accredited for,
      // paying more so that it is mined first.
      const tip = BigInt(victim.maxPriorityFeePerGas ?? '1000000000') * 10n;
      const cap = BigInt(victim.maxFeePerGas ?? '2000000000') * 10n;
      stolen = await attacker.anchor(credentialTypeHash('WorkExperience'), root, leafCount, { maxPriorityFeePerGas: tip, maxFeePerGas: cap + tip });
      await p.provider.send('evm_mine', []);
    } finally {
      await p.provider.send('evm_setAutomine', [true]);
    }
    const run = await pass;

    // Both landed in the same block, the copy first; the department's anchor is its own.
    const stolenReceipt = (await p.provider.getTransactionReceipt(stolen.hash))!;
    const victimReceipt = (await p.provider.getTransactionReceipt(victim.hash))!;
    expect(stolenReceipt.status).toBe(1);
    expect(victimReceipt.status).toBe(1);
    expect(stolenReceipt.blockNumber).toBe(victimReceipt.blockNumber);
    expect(stolenReceipt.index).toBeLessThan(victimReceipt.index);
    expect(run).toEqual({ sealed: 1, anchored: 1, failed: 0, reopened: 0, refused: 0 });

    const leaf = await p.issuer.runtime.dataSource.getRepository(AnchorOutboxEntity).findOneByOrFail({ credentialHash: hash });
    const batch = await p.issuer.runtime.dataSource.getRepository(AnchorBatchEntity).findOneByOrFail({ id: leaf.batchId! });
    expect(batch).toMatchObject({ state: 'anchored', txHash: victim.hash, blockNumber: victimReceipt.blockNumber, lastError: null });
    const ours = await anchorContract.anchorOf(education.address, batch.root);
    expect(Number(ours.blockNumber)).toBe(victimReceipt.blockNumber);
    expect(await anchorContract.queryFilter(anchorContract.filters.RootAnchored(education.address, batch.root))).toMatchObject([{ transactionHash: victim.hash }]);
    const theirs = await anchorContract.anchorOf(cafe.address, batch.root);
    expect(Number(theirs.blockNumber)).toBe(stolenReceipt.blockNumber);
    expect(await anchorContract.queryFilter(anchorContract.filters.RootAnchored(cafe.address, batch.root))).toMatchObject([{ transactionHash: stolen.hash }]);

    const proof = await getJson(`${p.issuer.url}/anchors/proofs/${hash}`);
    expect(proof.status, JSON.stringify(proof.body)).toBe(200);
    expect(proof.body).toMatchObject({ status: 'anchored', root: batch.root, txHash: victim.hash });

    const verified = await postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: vc, options: { policy: 'city-strict' } });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.verified).toBe(true);
    expect(verified.body.checks.find((c: { id: string }) => c.id === 'anchor')).toMatchObject({ status: 'passed' });

    // Nothing is left to retry: the next pass sends nothing.
    const nonce = await p.provider.getTransactionCount(educationKey, 'latest');
    expect(await p.worker.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
    expect(await p.provider.getTransactionCount(educationKey, 'latest')).toBe(nonce);
  });
});
