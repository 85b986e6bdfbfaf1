import { Logger } from '@nestjs/common';
import { AnchorWriteError, type AnchorLedger, type AnchorWriteFailure, type AnchorWriter } from '@citycred/anchoring';
import { RepeatingTask, type Clock } from '@citycred/config';
import type { TenantEntity } from '@citycred/persistence';
import type { TenantDirectory } from '@citycred/tenancy';
import { randomUUID } from 'node:crypto';
import type { TenantAccreditations } from '../accreditation/tenant-accreditations.js';
import type { AnchorBatchStore, SealedBatch } from './anchor-batch-store.js';

/** What the worker asks of the accreditation cache: answers from memory, no chain call. */
export type AnchoringAccreditation = Pick<TenantAccreditations, 'anchoringType' | 'version'>;

/** The chain reads the worker needs (the read side of the chain port). */
export type AnchoringLedger = Pick<AnchorLedger, 'chainId' | 'anchorContract' | 'findAnchor' | 'findAnchorTransaction'>;

/** The write side of the chain port, for tenants. */
export type TenantAnchorWriter = AnchorWriter<TenantEntity>;

/** The refusal reason of a batch whose tenant is not accredited (the CredentialAnchor error's name). */
const NOT_ACCREDITED = 'IssuerNotAccredited';

/**
 * CredentialAnchor refusals that sending the same batch again cannot change: the tenant is not accredited for the
 * type now, the key that sent is not the current ERC-1056 owner of the tenant's identity, or (never for a sealed
 * batch) an empty root or batch. Such a batch is set aside with the error's name as its reason.
 */
const SET_ASIDE_REASONS: ReadonlySet<AnchorWriteFailure> = new Set(['IssuerNotAccredited', 'NotIdentityOwner', 'EmptyRoot', 'EmptyBatch']);

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
  /** Batches set aside because the chain refuses them for a reason that will not change (see {@link AnchoringWorker}). */
  refused: number;
}

/** How far back the first pass re-checks anchored batches against the chain. */
const RECHECK_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Batches pending credential hashes into Merkle trees and anchors each root in the tenant's name, sent from the
 * tenant's key (registered as the tenant identity's anchorer for the type first when it is not yet: docs/anchoring.md).
 *
 * CredentialAnchor keys anchors by (issuer, root): nobody else can anchor a root in the tenant's name, so a copy of
 * a pending root sent first by another party does not touch the tenant's anchor.
 * Exactly once across crashes: a batch's leaves and root are committed before any transaction is sent;
 * before sending, the chain is asked whether the tenant already anchored the root (a crash after sending), and the
 * contract refuses a second anchor of a root by the same issuer (`RootAlreadyAnchored`, which can only be our own
 * earlier transaction: it is recorded), so a root never lands twice and no sealed batch is forgotten.
 * The database can also be ahead of the chain: the local chain saves its state every second, and a chain can be
 * reset or redeployed. So the first pass after start re-checks recent anchored batches (and all batches anchored
 * on another contract) and reopens those whose root is not on chain; they are anchored again like new ones.
 *
 * The credential type sent with a root is one the accreditation cache says the tenant is accredited for now (the
 * contract takes a root only from an issuer accredited for the type it names; the verifier still checks each
 * credential's own type at the anchoring time). A batch the chain refuses for a reason that will not change —
 * `IssuerNotAccredited`, or `NotIdentityOwner` (the key that sent is not the identity's current ERC-1056 owner) —
 * is set aside in state `refused` with the reason and time, and not sent again; so is a batch whose tenant the
 * cache already knows to be accredited for no type, without asking the chain. Set-aside batches go back to
 * `sealed` and are sent again, unchanged, on the first pass where the cache says the tenant is accredited and its
 * accreditation changed since this worker last saw one of its batches refused (also once after a restart), or, after
 * `NotIdentityOwner`, its key changed (a rotation whose `changeOwner` was mined just before the tenant's key was
 * switched here): a retry that is refused again is set aside again, so no batch is retried in a loop.
 */
export class AnchoringWorker {
  private readonly logger = new Logger('Anchoring');
  private readonly repeating: RepeatingTask;
  private running: Promise<AnchoringRun> | undefined;
  private rechecked = false;
  /** Aborted by {@link stop}: a wait for a transaction to be mined ends then, and a later pass confirms it. */
  private stopping = new AbortController();
  /** Identifies this worker's leases. */
  private readonly owner = randomUUID();
  /** Per tenant, the accreditation version at which this worker last had one of its batches refused. */
  private readonly refusedAtVersion = new Map<string, number | undefined>();
  /** Per tenant, the key that sent when the chain last answered `NotIdentityOwner` in this worker. */
  private readonly refusedSender = new Map<string, string>();

  /**
   * @param chain - chain reads: whether (and in which transaction) a tenant anchored a root
   * @param writer - sends anchoring transactions from a tenant's current key
   * @param tenants - where tenants are looked up by id
   */
  constructor(
    private readonly store: AnchorBatchStore,
    private readonly chain: AnchoringLedger,
    private readonly writer: TenantAnchorWriter,
    private readonly tenants: Pick<TenantDirectory, 'findById'>,
    private readonly clock: Clock,
    private readonly settings: AnchoringSettings,
    private readonly accreditation: AnchoringAccreditation,
  ) {
    this.repeating = new RepeatingTask(() => this.runOnce(), settings.intervalMs, (error) => this.logger.error(`anchoring pass failed: ${String(error)}`));
  }

  /** Starts running every `intervalMs` (runs never overlap). */
  start(): void {
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    this.repeating.start();
  }

  /**
   * Stops scheduling and waits for a run in progress. A run waiting for an anchoring transaction to be mined stops
   * waiting at once (the batch is marked failed, not lost: the next pass, in this process or another, finds the
   * transaction on chain or sends it again), so a stop fits in the service's shutdown grace.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
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
      const tenant = await this.tenants.findById(batch.tenantId);
      if (!tenant) continue;
      const onChain = batch.contract?.toLowerCase() === this.chain.anchorContract.toLowerCase() ? await this.chain.findAnchor(tenant.address, batch.root) : null;
      if (onChain) continue;
      this.logger.warn(`batch ${batch.id}: root ${batch.root} is not on chain ${this.chain.chainId} at ${this.chain.anchorContract}; anchoring it again`);
      await this.store.reopen(batch.id);
      reopened += 1;
    }
    return reopened;
  }

  /**
   * Puts back the set-aside batches of tenants accredited now whose accreditation changed since their refusal, or
   * whose key changed since the chain answered `NotIdentityOwner` (a key rotation: its `changeOwner` was mined
   * before the tenant's key was switched here).
   */
  private async retrySetAside(): Promise<void> {
    for (const tenantId of await this.store.tenantsWithRefusedBatches()) {
      if (this.accreditation.anchoringType(tenantId).verdict !== 'accredited') continue;
      const version = this.accreditation.version(tenantId);
      const seen = this.refusedAtVersion.has(tenantId) && this.refusedAtVersion.get(tenantId) === version;
      if (seen && !(await this.keyChangedSinceRefusal(tenantId))) continue;
      this.refusedSender.delete(tenantId);
      const count = await this.store.retryRefused(tenantId);
      if (count > 0) this.logger.log(`tenant ${await this.tenantName(tenantId)} may anchor again: sending its ${count} set-aside batch(es) again`);
    }
  }

  /** Whether the key the tenant's anchors are sent from is another than the one refused with `NotIdentityOwner`. */
  private async keyChangedSinceRefusal(tenantId: string): Promise<boolean> {
    const refused = this.refusedSender.get(tenantId);
    const tenant = refused ? await this.tenants.findById(tenantId) : null;
    if (!refused || !tenant) return false;
    const current = await this.writer.currentSender(tenant);
    return current.toLowerCase() !== refused.toLowerCase();
  }

  /**
   * Sets a batch aside for a refusal that will not change (`reason`: the CredentialAnchor error's name); `owner`
   * when this worker holds its lease.
   */
  private async setAside(batch: SealedBatch, run: AnchoringRun, reason: string, detail: string, owner?: string): Promise<void> {
    const done = await this.store.setAside(batch.id, { reason, detail, at: this.clock.now(), ...(owner ? { owner } : {}) });
    this.refusedAtVersion.set(batch.tenantId, this.accreditation.version(batch.tenantId));
    if (!done) return;
    run.refused += 1;
    this.logger.warn(
      `batch ${batch.id} (${batch.leafCount} credentials) of tenant ${await this.tenantName(batch.tenantId)} set aside: ${detail}; it is sent again once the tenant's accreditation changes (or after a restart)`,
    );
  }

  private async tenantName(tenantId: string): Promise<string> {
    return (await this.tenants.findById(tenantId))?.slug ?? tenantId;
  }

  private async submit(batch: SealedBatch, run: AnchoringRun): Promise<boolean> {
    const accreditation = this.accreditation.anchoringType(batch.tenantId);
    if (accreditation.verdict === 'not-accredited') {
      await this.setAside(batch, run, NOT_ACCREDITED, `${NOT_ACCREDITED}: the IssuerRegistry accredits the tenant for none of its credential types now (not sent)`);
      return false;
    }
    if (accreditation.verdict === 'unknown') {
      // Without a current reading there is no type to name that the chain would take; the batch waits, sealed.
      this.logger.warn(`batch ${batch.id} (${batch.leafCount} credentials) not anchored yet: the tenant's accreditation on the city chain is not known now`);
      run.failed += 1;
      return false;
    }
    if (!(await this.store.acquireLease(batch.id, this.owner, this.clock.now(), this.settings.leaseMs))) return false;
    try {
      const tenant = await this.tenants.findById(batch.tenantId);
      if (!tenant) throw new Error(`tenant ${batch.tenantId} not found`);
      const anchor = { credentialType: accreditation.credentialType, root: batch.root, leafCount: batch.leafCount };
      let receipt = await this.chain.findAnchorTransaction(tenant.address, batch.root);
      for (let attempt = 1; !receipt; attempt += 1) {
        try {
          receipt = await unlessStopped(() => this.writer.submitAnchor(tenant, anchor, { timeoutMs: this.settings.leaseMs / 2 }), this.stopping.signal);
        } catch (error) {
          if (!(error instanceof AnchorWriteError)) throw error;
          if (error.reason === 'NotIdentityOwner' && error.sender) this.refusedSender.set(tenant.id, error.sender);
          // RootAlreadyAnchored: anchors are keyed by issuer, so it is our own earlier transaction (a crash after
          // sending, or another worker's). A taken nonce: another worker's transaction from the same tenant account
          // was accepted instead of ours, so (still holding the lease) check the root again and resend with a fresh nonce.
          const nonceTaken = error.reason === 'nonce-taken';
          if (error.reason !== 'RootAlreadyAnchored' && !(nonceTaken && attempt < MAX_SEND_ATTEMPTS)) throw error;
          receipt = await this.chain.findAnchorTransaction(tenant.address, batch.root);
          if (!receipt && !nonceTaken) throw error;
        }
      }
      await this.store.markAnchored(batch.id, this.owner, { ...receipt, chainId: this.chain.chainId, contract: this.chain.anchorContract });
      run.anchored += 1;
      return true;
    } catch (error) {
      if (error instanceof AnchorWriteError && SET_ASIDE_REASONS.has(error.reason)) {
        await this.setAside(batch, run, error.reason, `${error.reason}: CredentialAnchor refused the root (${error.message})`, this.owner);
        return false;
      }
      const reason = error instanceof AnchorWriteError ? `${error.reason}: ${error.message}` : error instanceof Error ? error.message : String(error);
      this.logger.warn(`batch ${batch.id} (${batch.leafCount} credentials) not anchored yet: ${reason}`);
      await this.store.markFailed(batch.id, this.owner, reason);
      run.failed += 1;
      return false;
    }
  }
}

/**
 * Runs `send` unless `signal` has aborted, and gives up waiting for it as soon as `signal` aborts (the transaction may
 * still be mined; its outcome is then ignored here and read from the chain by a later pass).
 */
function unlessStopped<T>(send: () => Promise<T>, signal: AbortSignal): Promise<T> {
  const stopped = (): Error => new Error('the worker stopped before the anchoring transaction was confirmed; the next pass confirms or resends it');
  if (signal.aborted) return Promise.reject(stopped());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(stopped());
    signal.addEventListener('abort', onAbort, { once: true });
    send()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
