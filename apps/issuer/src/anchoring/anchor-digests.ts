import { DIGEST_ANCHOR_TYPES, isHex32, type DigestAnchorKind, type Hex32 } from '@citycred/anchoring';
import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import { AnchorOutboxEntity, inTransaction, isUniqueViolation, type TenantEntity } from '@citycred/persistence';
import type { DataSource } from 'typeorm';
import type { AnchorBatchStore } from './anchor-batch-store.js';
import type { AnchorQueue } from './anchor-queue.js';

/** The chain read the door asks: whether a tenant is accredited for a record type now (`CityChain.isAccredited`). */
export interface RecordAccreditation {
  isAccredited(issuer: string, type: string, at: Date): Promise<boolean>;
}

/** What `POST /anchors/digests` answers (202): the digest's place in the tenant's anchoring queue. */
export interface AcceptedDigest {
  digest: Hex32;
  kind: DigestAnchorKind;
  /** The record type the tenant is accredited for (`SignatureReceipt`, `PetitionTally`). */
  type: string;
  /** The identity the digest is anchored under: the tenant's did:ethr. */
  issuer: string;
  /** `pending` until its batch is anchored; `refused` when its batch was set aside (`GET /anchors/proofs/{hash}` says why). */
  status: 'pending' | 'anchored' | 'refused';
  enqueuedAt: string;
}

/**
 * The anchoring's door for other services' digests (ADR 0015): a tenant authenticated by its API key hands a digest
 * of a known kind (an e-signature receipt's hash, a petition tally's digest), which is queued like the tenant's own
 * credentials and anchored in its next batch; proofs are served at `GET /anchors/proofs/{hash}`. The tenant must be
 * accredited on the city chain for the kind's record type now (read from the chain: these types are not the tenant's
 * configured credential types, which the accreditation cache follows). Idempotent: the same digest handed again by
 * the same tenant as the same kind answers its current state.
 */
export class AnchorDigests {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: AnchorQueue,
    private readonly store: Pick<AnchorBatchStore, 'lookup'>,
    private readonly accreditation: RecordAccreditation,
    private readonly clock: Clock,
  ) {}

  /**
   * Queues `digest` for `tenant`, or answers where it stands when it is already queued.
   * @throws AppError `anchor.digest-conflict` (409) when the digest is queued as another kind or by another tenant;
   *   `anchor.digest-not-accredited` (403) when the tenant is not accredited for the kind's type now;
   *   `service.unavailable` (503) when the chain cannot tell
   */
  async accept(tenant: TenantEntity, kind: DigestAnchorKind, digest: Hex32): Promise<AcceptedDigest> {
    if (!isHex32(digest)) throw new AppError(ErrorCode.AnchorInvalidHash, 'The digest is "0x" + 64 lower-case hexadecimal digits.');
    const type = DIGEST_ANCHOR_TYPES[kind];
    const existing = await this.dataSource.getRepository(AnchorOutboxEntity).findOneBy({ credentialHash: digest });
    if (existing) return this.answer(tenant, kind, digest, existing);
    let accredited: boolean;
    try {
      accredited = await this.accreditation.isAccredited(tenant.address, type, this.clock.now());
    } catch (error) {
      throw new AppError(ErrorCode.ServiceUnavailable, 'The city chain does not answer: whether the tenant is accredited for this record type cannot be told now. Try again later.', {
        cause: error,
        retryAfterSeconds: 30,
      });
    }
    if (!accredited) {
      throw new AppError(ErrorCode.AnchorDigestNotAccredited, `The tenant is not accredited on the city chain for ${type} now: the city accredits its tenant for ${type} to anchor ${kind} digests.`, {
        extensions: { recordType: type },
      });
    }
    try {
      await inTransaction(this.dataSource, (manager) => this.queue.enqueue(manager, { kind, digest, tenantId: tenant.id }, this.clock.now()));
    } catch (error) {
      // Handed twice at once: the other request queued it.
      if (!isUniqueViolation(error)) throw error;
    }
    const queued = await this.dataSource.getRepository(AnchorOutboxEntity).findOneBy({ credentialHash: digest });
    if (!queued) throw new Error('a digest just queued is not in the outbox');
    return this.answer(tenant, kind, digest, queued);
  }

  private async answer(tenant: TenantEntity, kind: DigestAnchorKind, digest: Hex32, row: AnchorOutboxEntity): Promise<AcceptedDigest> {
    if (row.kind !== kind || row.tenantId !== tenant.id) {
      throw new AppError(ErrorCode.AnchorDigestConflict, 'This digest is already queued for anchoring, as another kind or by another tenant.');
    }
    const found = await this.store.lookup(digest);
    const status = found.state === 'anchored' ? 'anchored' : found.state === 'refused' ? 'refused' : 'pending';
    return { digest, kind, type: DIGEST_ANCHOR_TYPES[kind], issuer: tenant.did, status, enqueuedAt: row.enqueuedAt };
  }
}
