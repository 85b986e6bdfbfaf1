import { DIGEST_ANCHOR_TYPES, isDigestAnchorKind, isHex32, rootFromProof, type AnchorLedger, type DigestAnchorKind, type Hex32 } from '@citycred/anchoring';
import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import { didEthrAddress } from '@citycred/formats';
import { IsNull, Not, type DataSource, type EntityManager, type Repository } from 'typeorm';
import type { DigestAnchorClient } from './digest-anchor-client.js';
import { DigestAnchorEntity } from './digest-anchor.entity.js';

/**
 * What a digest handed to the city issuer's anchoring stands for (ADR 0015), and so the outbox kind the issuer files
 * it under (`POST /anchors/digests`):
 * - `signature-receipt`: `SHA-256(receipt)` of an e-signature receipt (docs/e-signature.md), anchored as type
 *   `SignatureReceipt`;
 * - `petition-tally`: the digest of a closed petition's tally (docs/petitions.md), anchored as type `PetitionTally`.
 */
export type DigestKind = DigestAnchorKind;

/** Every {@link DigestKind}, in a stable order. */
export const DIGEST_KINDS: readonly DigestKind[] = Object.freeze(Object.keys(DIGEST_ANCHOR_TYPES) as DigestKind[]);

/** One digest to anchor: `0x` + 64 lower-case hex (a SHA-256 or keccak-256), and what it stands for. */
export interface DigestToAnchor {
  kind: DigestKind;
  digest: Hex32;
}

/**
 * What the verifier knows of a digest's anchoring:
 * - `unknown`: it was never enqueued here;
 * - `pending`: enqueued (`enqueuedAt`); `submitted` once the issuer accepted it into its queue (202), before that it
 *   is retried every run of the task (`attempts` so far, `lastError` the last failure, e.g. issuer down);
 * - `anchored`: the issuer's proof folds the digest up to `root`, and the chain says the city tenant's identity
 *   (`issuerDid`) anchored that root in block `block` at `time` while accredited for the kind's type — checked here,
 *   never taken from the issuer's word;
 * - `failed`: it will not be anchored: the issuer set its batch aside (the chain refused it), the issuer said it
 *   does not know the digest after the grace period, or its proof does not check against the chain (`reason`).
 */
export type DigestAnchorStatus =
  | { state: 'unknown' }
  | { state: 'pending'; kind: DigestKind; enqueuedAt: Date; submitted: boolean; attempts: number; lastError?: string }
  | {
      state: 'anchored';
      kind: DigestKind;
      /** The block whose transaction anchored `root`. */
      block: number;
      /** That block's time. */
      time: Date;
      root: Hex32;
      /** Merkle proof (sibling hashes, leaf to root) of the digest in `root` (ADR 0002). */
      proof: Hex32[];
      leafIndex: number;
      /** The identity that anchored the root: the city tenant's did:ethr. */
      issuerDid: string;
      chainId: number;
      /** The `CredentialAnchor` contract's address. */
      contract: string;
      txHash?: string;
    }
  | { state: 'failed'; kind: DigestKind; reason: string };

/** What one run of the outbox task did (for logs and tests). */
export interface DigestAnchoringRun {
  /** Digests the issuer accepted into its queue in this run. */
  submitted: number;
  /** Digests whose submission failed in this run (they stay pending and are retried next run). */
  retrying: number;
  /** Digests found anchored (proof checked on chain) in this run. */
  anchored: number;
  /** Digests that became `failed` in this run. */
  failed: number;
}

/**
 * Hands digests to the city issuer's anchoring (ADR 0015) through an outbox in the verifier's own database:
 * {@link DigestAnchoring.enqueue} writes a row (in the caller's transaction when given one, so the digest is never
 * lost nor anchored for something that was rolled back); a repeating task ({@link DigestAnchoring.start}) posts the
 * pending rows to the issuer's `POST /anchors/digests` with the city tenant's API key (`ANCHOR_DIGEST_API_KEY`),
 * retrying while the issuer or the chain is down, then follows each submitted digest until its proof checks against
 * the chain. The verifier keeps no chain key.
 *
 * Usage from a context (e.g. petitions): take the instance from the runtime (`runtime.digestAnchoring`, passed to
 * the context's builder), call `enqueue(manager, { kind: 'petition-tally', digest })` inside the transaction that
 * records what the digest is of, and `status(digest)` when showing or verifying it.
 */
export interface DigestAnchoringApi {
  /**
   * Enqueues a digest to anchor. Idempotent: enqueueing a digest already in the outbox (of any state) changes
   * nothing.
   * @param manager - the caller's transaction, so the row commits with the caller's; `undefined` writes on its own
   * @throws AppError `request.invalid` when `digest` is not `0x` + 64 lower-case hex or the kind is unknown (a
   *   programming fault: digests come from the caller's own hashing)
   */
  enqueue(manager: EntityManager | undefined, entry: DigestToAnchor): Promise<void>;

  /**
   * Where a digest's anchoring stands. For a submitted digest not yet known anchored it asks the issuer's
   * `GET /anchors/proofs/{digest}` and checks the proof against the chain now (it does not wait for the task), so
   * the answer is current; a failed look-up (issuer or chain down) answers `pending` with `lastError`. Never throws
   * for an unreachable issuer or chain.
   */
  status(digest: Hex32): Promise<DigestAnchorStatus>;
}

/** The chain reads the outbox checks proofs with (the verifier's `CachingLedger`). */
export type DigestAnchorLedger = Pick<AnchorLedger, 'chainId' | 'anchorContract' | 'findAnchor' | 'isAccredited'>;

/** Settings of {@link DigestAnchoring}. */
export interface DigestAnchoringSettings {
  /** The city chain's did:ethr network name (`DID_ETHR_NETWORK`): the issuer's identity must be on it. */
  didNetwork: string;
  /**
   * How long after the issuer accepted a digest its answer "no such digest" still counts as `pending`
   * (`ANCHOR_GRACE_SECONDS`); after that the digest is `failed` until the task has handed it to the issuer again.
   */
  graceSeconds: number;
  /** The most digests one run submits, and the most it follows (oldest first). */
  batchLimit: number;
}

/** What the verifier stores of a checked anchor (the `anchor` column). */
interface StoredAnchor {
  block: number;
  time: string;
  root: Hex32;
  proof: Hex32[];
  leafIndex: number;
  chainId: number;
  contract: string;
  txHash?: string;
}

/** What a look-up of a submitted digest found. */
type Followed = { state: 'anchored'; anchor: StoredAnchor } | { state: 'pending'; lastError?: string } | { state: 'failed'; reason: string; resubmit: boolean };

/** The implementation of {@link DigestAnchoringApi} over the `digest_anchor_outbox` table. */
export class DigestAnchoring implements DigestAnchoringApi {
  private readonly rows: Repository<DigestAnchorEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly client: DigestAnchorClient,
    private readonly ledger: DigestAnchorLedger,
    private readonly clock: Clock,
    private readonly settings: DigestAnchoringSettings,
  ) {
    this.rows = dataSource.getRepository(DigestAnchorEntity);
  }

  async enqueue(manager: EntityManager | undefined, entry: DigestToAnchor): Promise<void> {
    if (!isDigestAnchorKind(entry.kind) || !isHex32(entry.digest)) {
      throw new AppError(ErrorCode.RequestInvalid, 'A digest to anchor is "0x" + 64 lower-case hex digits, of a known kind.');
    }
    // A digest already in the outbox keeps its row (ON CONFLICT DO NOTHING / INSERT OR IGNORE: no error, so the
    // caller's transaction goes on).
    await (manager ?? this.dataSource.manager)
      .createQueryBuilder()
      .insert()
      .into(DigestAnchorEntity)
      .values({ digest: entry.digest, kind: entry.kind, enqueuedAt: this.clock.now().toISOString(), submittedAt: null, issuerDid: null, attempts: 0, lastError: null, anchor: null })
      .orIgnore()
      .execute();
  }

  async status(digest: Hex32): Promise<DigestAnchorStatus> {
    if (!isHex32(digest)) return { state: 'unknown' };
    const row = await this.rows.findOneBy({ digest });
    if (row === null) return { state: 'unknown' };
    if (row.anchor !== null) return anchoredStatus(row);
    if (row.submittedAt === null || row.issuerDid === null) return pendingStatus(row);
    const followed = await this.follow(row);
    if (followed.state === 'anchored') {
      await this.rows.update({ digest }, { anchor: JSON.stringify(followed.anchor), lastError: null });
      return anchoredStatus({ ...row, anchor: JSON.stringify(followed.anchor) });
    }
    if (followed.state === 'failed') return { state: 'failed', kind: row.kind as DigestKind, reason: followed.reason };
    return pendingStatus({ ...row, lastError: followed.lastError ?? null });
  }

  /**
   * One run of the outbox task: submits the digests the issuer has not accepted yet (oldest first; a failure is
   * recorded on the row and retried next run), then follows the accepted ones not known anchored: their proof is
   * checked against the chain and recorded once it holds; one the issuer no longer knows past the grace period is
   * handed to it again. Never throws for an unreachable issuer or chain.
   */
  async runOnce(): Promise<DigestAnchoringRun> {
    const run: DigestAnchoringRun = { submitted: 0, retrying: 0, anchored: 0, failed: 0 };
    const unsubmitted = await this.rows.find({ where: { submittedAt: IsNull() }, order: { enqueuedAt: 'ASC', digest: 'ASC' }, take: this.settings.batchLimit });
    for (const row of unsubmitted) {
      const answer = await this.client.submit(row.kind as DigestKind, row.digest as Hex32);
      if (answer.ok && didEthrAddress(answer.issuerDid, this.settings.didNetwork) !== null) {
        await this.rows.update({ digest: row.digest }, { submittedAt: this.clock.now().toISOString(), issuerDid: answer.issuerDid, lastError: null });
        run.submitted += 1;
      } else {
        const reason = answer.ok ? `the issuer named an identity that is not a did:ethr of the ${this.settings.didNetwork} network` : answer.reason;
        await this.rows.update({ digest: row.digest }, { attempts: row.attempts + 1, lastError: reason.slice(0, 500) });
        run.retrying += 1;
      }
    }
    const submitted = await this.rows.find({ where: { submittedAt: Not(IsNull()), anchor: IsNull() }, order: { submittedAt: 'ASC', digest: 'ASC' }, take: this.settings.batchLimit });
    for (const row of submitted) {
      const followed = await this.follow(row);
      if (followed.state === 'anchored') {
        await this.rows.update({ digest: row.digest }, { anchor: JSON.stringify(followed.anchor), lastError: null });
        run.anchored += 1;
      } else if (followed.state === 'failed') {
        run.failed += 1;
        // The issuer lost it (a restored database): it is handed over again, never lost.
        await this.rows.update({ digest: row.digest }, followed.resubmit ? { submittedAt: null, issuerDid: null, lastError: followed.reason.slice(0, 500) } : { lastError: followed.reason.slice(0, 500) });
      } else if (followed.lastError !== undefined) {
        await this.rows.update({ digest: row.digest }, { lastError: followed.lastError.slice(0, 500) });
      }
    }
    return run;
  }

  /**
   * Asks the issuer for a submitted digest's proof and checks it: the proof folds the digest to its root, the
   * issuer's identity anchored that root on chain, and was accredited for the kind's type at the block's time.
   */
  private async follow(row: DigestAnchorEntity): Promise<Followed> {
    const digest = row.digest as Hex32;
    const answer = await this.client.proof(digest);
    switch (answer.kind) {
      case 'pending':
        return { state: 'pending' };
      case 'unreachable':
        return { state: 'pending', lastError: answer.reason };
      case 'refused':
        return { state: 'failed', reason: `the issuer set the digest's batch aside: the city chain refused to anchor it (${answer.reason})`, resubmit: false };
      case 'unknown': {
        const since = Date.parse(row.submittedAt ?? row.enqueuedAt);
        if (this.clock.now().getTime() - since <= this.settings.graceSeconds * 1000) return { state: 'pending', lastError: 'the issuer does not know the digest (yet)' };
        return { state: 'failed', reason: 'the issuer has no record of the digest it had accepted; it is handed to the issuer again', resubmit: true };
      }
      case 'proof':
        break;
    }
    const { proof } = answer;
    let root: Hex32;
    try {
      root = rootFromProof(digest, proof.proof);
    } catch {
      return { state: 'failed', reason: "the issuer's proof is not a Merkle proof of the digest", resubmit: false };
    }
    if (root !== proof.root) return { state: 'failed', reason: `the issuer's proof does not lead from the digest to root ${proof.root}`, resubmit: false };
    const address = didEthrAddress(row.issuerDid ?? '', this.settings.didNetwork);
    if (address === null) return { state: 'failed', reason: 'the identity the issuer anchors under is not a did:ethr of the city chain', resubmit: true };
    const type = DIGEST_ANCHOR_TYPES[row.kind as DigestKind];
    try {
      const onChain = await this.ledger.findAnchor(address, root);
      if (onChain === null) return { state: 'pending', lastError: `root ${root} is not on chain for ${row.issuerDid} yet` };
      if (!(await this.ledger.isAccredited(address, type, onChain.anchoredAt))) {
        return { state: 'failed', reason: `root ${root} was anchored when ${row.issuerDid} was not accredited for ${type}`, resubmit: false };
      }
      return {
        state: 'anchored',
        anchor: {
          block: onChain.blockNumber,
          time: onChain.anchoredAt.toISOString(),
          root,
          proof: proof.proof,
          leafIndex: proof.leafIndex,
          chainId: this.ledger.chainId,
          contract: this.ledger.anchorContract,
          ...(proof.txHash ? { txHash: proof.txHash } : {}),
        },
      };
    } catch (error) {
      return { state: 'pending', lastError: `the city chain could not be read (${error instanceof Error ? error.message : String(error)})`.slice(0, 500) };
    }
  }
}

function pendingStatus(row: DigestAnchorEntity): DigestAnchorStatus {
  return {
    state: 'pending',
    kind: row.kind as DigestKind,
    enqueuedAt: new Date(row.enqueuedAt),
    submitted: row.submittedAt !== null,
    attempts: row.attempts,
    ...(row.lastError !== null ? { lastError: row.lastError } : {}),
  };
}

function anchoredStatus(row: DigestAnchorEntity): DigestAnchorStatus {
  const anchor = JSON.parse(row.anchor!) as StoredAnchor;
  return {
    state: 'anchored',
    kind: row.kind as DigestKind,
    block: anchor.block,
    time: new Date(anchor.time),
    root: anchor.root,
    proof: anchor.proof,
    leafIndex: anchor.leafIndex,
    issuerDid: row.issuerDid!,
    chainId: anchor.chainId,
    contract: anchor.contract,
    ...(anchor.txHash ? { txHash: anchor.txHash } : {}),
  };
}
