import { Logger } from '@nestjs/common';
import { AnchorRejectedError, type CityChain } from '@citycred/chain';
import type { Clock } from '@citycred/config';
import type { TenantDirectory } from '@citycred/tenancy';
import { randomUUID } from 'node:crypto';
import { isError } from 'ethers';
import type { AnchorBatchStore, SealedBatch } from './anchor-batch-store.js';

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
 */
export class AnchoringWorker {
  private readonly logger = new Logger('Anchoring');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<AnchoringRun> | undefined;
  private stopped = true;
  private rechecked = false;
  /** Identifies this worker's leases. */
  private readonly owner = randomUUID();

  constructor(
    private readonly store: AnchorBatchStore,
    private readonly chain: CityChain,
    private readonly tenants: TenantDirectory,
    private readonly clock: Clock,
    private readonly settings: AnchoringSettings,
  ) {}

  /** Starts running every `intervalMs` (runs never overlap). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Stops scheduling and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
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

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runOnce()
        .catch((error: unknown) => this.logger.error(`anchoring pass failed: ${String(error)}`))
        .finally(() => this.schedule());
    }, this.settings.intervalMs);
  }

  private async pass(): Promise<AnchoringRun> {
    const run: AnchoringRun = { sealed: 0, anchored: 0, failed: 0, reopened: 0 };
    if (!this.rechecked) {
      try {
        run.reopened = await this.recheckAnchored();
        this.rechecked = true;
      } catch (error) {
        this.logger.warn(`could not re-check anchored batches against the chain yet: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    for (const batch of await this.store.unconfirmedBatches(this.clock.now())) {
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

  private async submit(batch: SealedBatch, run: AnchoringRun): Promise<boolean> {
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
      const reason = error instanceof AnchorRejectedError ? error.reason : error instanceof Error ? error.message : String(error);
      this.logger.warn(`batch ${batch.id} (${batch.leafCount} credentials) not anchored yet: ${reason}`);
      await this.store.markFailed(batch.id, this.owner, reason);
      run.failed += 1;
      return false;
    }
  }
}
