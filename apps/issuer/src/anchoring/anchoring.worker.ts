import { Logger } from '@nestjs/common';
import { AnchorRejectedError, type CityChain } from '@citycred/chain';
import type { Clock } from '@citycred/config';
import type { TenantDirectory } from '@citycred/tenancy';
import { randomUUID } from 'node:crypto';
import { isError } from 'ethers';
import type { TenantAccreditations } from '../accreditation/tenant-accreditations.js';
import { RepeatingTask } from '../repeating-task.js';
import type { AnchorBatchStore, SealedBatch } from './anchor-batch-store.js';

/** What the worker asks of the accreditation cache: answers from memory, no chain call. */
export type AnchoringAccreditation = Pick<TenantAccreditations, 'mayAnchor' | 'version'>;

/** The refusal reason of a batch whose tenant is not accredited (the CredentialAnchor error's name). */
const NOT_ACCREDITED = 'IssuerNotAccredited';

/** Sends of one batch in one pass when other submissions from the same tenant account keep taking the nonce. */
const MAX_SEND_ATTEMPTS = 5;

/** Settings of the anchoring worker. */
export interface AnchoringSettings {
  batchSize: number;
  intervalMs: number;
  leaseMs: number;
}

/** What one run of the worker did. */
export interface AnchoringRun {
  sealed: number;
  anchored: number;
  failed: number;
  /** Batches recorded as anchored whose root the chain no longer has (see {@link AnchoringWorker}). */
  reopened: number;
  /** Batches set aside because their tenant is not accredited (see {@link AnchoringWorker}). */
  refused: number;
}

/** How far back the first pass re-checks anchored batches against the chain. */
const RECHECK_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Batches pending credential hashes into Merkle trees and anchors each root from the tenant's own key.
 *
 * Exactly once across crashes: a batch's leaves and root are committed before any transaction is sent;
 * before sending, the chain is asked whether the root is already there (a crash after sending), and the
 * contract refuses a second anchor of a root, so a root never lands twice and no sealed batch is forgotten.
 * The database can also be ahead of the chain: the local chain saves its state every second, and a chain can be
 * reset or redeployed. So the first pass after start re-checks recent anchored batches (and all batches anchored
 * on another contract) and reopens those whose root is not on chain; they are anchored again like new ones.
 *
 * A batch the chain refuses because its tenant is not accredited (`IssuerNotAccredited`: CredentialAnchor takes
 * roots only from an issuer accredited for some type now) is set aside in state `refused` with the reason and
 * time, and not sent again; so is a batch whose tenant the accreditation cache already knows to be accredited for
 * no type, without asking the chain. Set-aside batches go back to `sealed` and are sent again, unchanged, on
 * the first pass where the cache says the tenant is accredited again and its accreditation changed since this
 * worker last saw one of its batches refused (also once after a restart): a retry that is refused again is set
 * aside again, so no batch is retried in a loop.
 */
export class AnchoringWorker {
  private readonly logger = new Logger('Anchoring');
  private readonly repeating: RepeatingTask;
  private running: Promise<AnchoringRun> | undefined;
  private rechecked = false;
  /** Identifies this worker's leases. */
  private readonly owner = randomUUID();
  /** Per tenant, the accreditation version at which this worker last had one of its batches refused. */
  private readonly refusedAtVersion = new Map<string, number | undefined>();

  constructor(
    private readonly store: AnchorBatchStore,
    private readonly chain: CityChain,
    private readonly tenants: TenantDirectory,
    private readonly clock: Clock,
    private readonly settings: AnchoringSettings,
    private readonly accreditation: AnchoringAccreditation,
  ) {
    this.repeating = new RepeatingTask(() => this.runOnce(), settings.intervalMs, (error) => this.logger.error(`anchoring pass failed: ${String(error)}`));
  }

  /** Starts running every `intervalMs` (runs never overlap). */
  start(): void {
    this.repeating.start();
  }

  /** Stops scheduling and waits for a run in progress. */
  async stop(): Promise<void> {
    await this.repeating.stop();
    await this.running?.catch(() => undefined);
  }

  /**
   * One pass: first confirms batches left unconfirmed, then seals and anchors what is pending.
   * Chain failures are recorded on the batch and retried on a later pass; they never lose a credential.
   */
  async runOnce(): Promise<AnchoringRun> {
    if (this.running) return this.running;
    this.running = this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<AnchoringRun> {
    const run: AnchoringRun = { sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 };
    if (!this.rechecked) {
      try {
        run.reopened = await this.recheckAnchored();
        this.rechecked = true;
      } catch (error) {
        this.logger.warn(`could not re-check anchored batches against the chain yet: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await this.retrySetAside();
    for (const batch of await this.store.unconfirmedBatches(this.clock.now(), this.owner)) {
      await this.submit(batch, run);
    }
    for (const tenantId of await this.store.tenantsWithPendingLeaves()) {
      for (;;) {
        const batch = await this.store.sealBatch(tenantId, this.settings.batchSize, this.clock.now());
        if (!batch) break;
        run.sealed += 1;
        const ok = await this.submit(batch, run);
        if (!ok || batch.leafCount < this.settings.batchSize) break;
      }
    }
    return run;
  }

  private async recheckAnchored(): Promise<number> {
    const since = new Date(this.clock.now().getTime() - RECHECK_WINDOW_MS);
    let reopened = 0;
    for (const batch of await this.store.anchoredToRecheck(since, this.chain.anchorContract)) {
      const onChain = batch.contract?.toLowerCase() === this.chain.anchorContract.toLowerCase() ? await this.chain.findAnchor(batch.root) : null;
      if (onChain) continue;
      this.logger.warn(`batch ${batch.id}: root ${batch.root} is not on chain ${this.chain.chainId} at ${this.chain.anchorContract}; anchoring it again`);
      await this.store.reopen(batch.id);
      reopened += 1;
    }
    return reopened;
  }

  /** Puts back the set-aside batches of tenants accredited again since their refusal. */
  private async retrySetAside(): Promise<void> {
    for (const tenantId of await this.store.tenantsWithRefusedBatches()) {
      if (this.accreditation.mayAnchor(tenantId) !== true) continue;
      const version = this.accreditation.version(tenantId);
      if (this.refusedAtVersion.has(tenantId) && this.refusedAtVersion.get(tenantId) === version) continue;
      const count = await this.store.retryRefused(tenantId);
      if (count > 0) this.logger.log(`tenant ${await this.tenantName(tenantId)} is accredited again: sending its ${count} set-aside batch(es) again`);
    }
  }

  /** Sets a batch aside for its tenant's lack of accreditation; `owner` when this worker holds its lease. */
  private async setAside(batch: SealedBatch, run: AnchoringRun, detail: string, owner?: string): Promise<void> {
    const done = await this.store.setAside(batch.id, { reason: NOT_ACCREDITED, detail, at: this.clock.now(), ...(owner ? { owner } : {}) });
    this.refusedAtVersion.set(batch.tenantId, this.accreditation.version(batch.tenantId));
    if (!done) return;
    run.refused += 1;
    this.logger.warn(`batch ${batch.id} (${batch.leafCount} credentials) of tenant ${await this.tenantName(batch.tenantId)} set aside: ${detail}; it is sent again once the tenant is accredited again`);
  }

  private async tenantName(tenantId: string): Promise<string> {
    return (await this.tenants.findById(tenantId))?.slug ?? tenantId;
  }

  private async submit(batch: SealedBatch, run: AnchoringRun): Promise<boolean> {
    if (this.accreditation.mayAnchor(batch.tenantId) === false) {
      await this.setAside(batch, run, `${NOT_ACCREDITED}: the IssuerRegistry accredits the tenant for no credential type now (not sent)`);
      return false;
    }
    if (!(await this.store.acquireLease(batch.id, this.owner, this.clock.now(), this.settings.leaseMs))) return false;
    try {
      const tenant = await this.tenants.findById(batch.tenantId);
      if (!tenant) throw new Error(`tenant ${batch.tenantId} not found`);
      let receipt = await this.chain.findAnchorTransaction(batch.root);
      for (let attempt = 1; !receipt; attempt += 1) {
        try {
          receipt = await this.chain.anchorRoot(await this.tenants.signerFor(tenant, this.chain.provider), batch.root, batch.leafCount, this.settings.leaseMs / 2);
        } catch (error) {
          // Another worker's transaction from the same tenant account took the nonce: ours was not accepted, so
          // (still holding the lease) check the root again and resend with a fresh nonce.
          const nonceTaken = isError(error, 'NONCE_EXPIRED') || isError(error, 'REPLACEMENT_UNDERPRICED') || isError(error, 'TRANSACTION_REPLACED');
          if (!(error instanceof AnchorRejectedError && error.reason === 'RootAlreadyAnchored') && !(nonceTaken && attempt < MAX_SEND_ATTEMPTS)) throw error;
          receipt = await this.chain.findAnchorTransaction(batch.root);
          if (!receipt && !nonceTaken) throw error;
        }
      }
      const onChain = await this.chain.findAnchor(batch.root);
      if (!onChain || onChain.issuer.toLowerCase() !== tenant.address.toLowerCase()) {
        throw new Error(`root ${batch.root} is on chain for another issuer`);
      }
      await this.store.markAnchored(batch.id, this.owner, { ...receipt, chainId: this.chain.chainId, contract: this.chain.anchorContract });
      run.anchored += 1;
      return true;
    } catch (error) {
      if (error instanceof AnchorRejectedError && error.reason === NOT_ACCREDITED) {
        await this.setAside(batch, run, `${NOT_ACCREDITED}: CredentialAnchor refused the root`, this.owner);
        return false;
      }
      const reason = error instanceof AnchorRejectedError ? error.reason : error instanceof Error ? error.message : String(error);
      this.logger.warn(`batch ${batch.id} (${batch.leafCount} credentials) not anchored yet: ${reason}`);
      await this.store.markFailed(batch.id, this.owner, reason);
      run.failed += 1;
      return false;
    }
  }
}
