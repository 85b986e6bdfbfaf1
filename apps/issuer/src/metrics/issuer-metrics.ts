import type { Clock } from '@citycred/config';
import { IssuedCredentialEntity, TenantEntity } from '@citycred/persistence';
import type { DataSource } from 'typeorm';
import type { AnchorBatchStore } from '../anchoring/anchor-batch-store.js';
import type { MetricFamily, ProblemCounter } from '@citycred/http';

/** Credentials issued, per tenant, type and format. */
export interface IssuanceCount {
  tenant: string;
  type: string;
  format: string;
  count: number;
}

/**
 * Counts issued credentials from the database (`issued_credentials`, one GROUP BY at each scrape). Counting rows,
 * not calls, keeps the number honest: it covers every issuance path (VC-API, OpenID4VCI, bulk), survives restarts
 * and is the same in every issuer process — credentials are never deleted, so it only grows.
 */
export class IssuanceCounts {
  constructor(private readonly dataSource: DataSource) {}

  /** Credentials issued so far, per tenant (slug), type and format. */
  async counts(): Promise<IssuanceCount[]> {
    const rows = await this.dataSource
      .getRepository(IssuedCredentialEntity)
      .createQueryBuilder('c')
      .innerJoin(TenantEntity, 't', 't.id = c.tenant_id')
      .select('t.slug', 'tenant')
      .addSelect('c.type', 'type')
      .addSelect('c.format', 'format')
      .addSelect('COUNT(*)', 'n')
      .groupBy('t.slug')
      .addGroupBy('c.type')
      .addGroupBy('c.format')
      .orderBy('t.slug', 'ASC')
      .addOrderBy('c.type', 'ASC')
      .addOrderBy('c.format', 'ASC')
      .getRawMany<{ tenant: string; type: string; format: string; n: string | number }>();
    return rows.map((r) => ({ tenant: r.tenant, type: r.type, format: r.format, count: Number(r.n) }));
  }
}

/**
 * The issuer's metrics for the platform team: issuance and anchoring from the database (the same in every process),
 * problem answers counted in this process.
 */
export class IssuerMetrics {
  constructor(
    private readonly issuances: Pick<IssuanceCounts, 'counts'>,
    private readonly anchoring: Pick<AnchorBatchStore, 'stats'>,
    private readonly problems: Pick<ProblemCounter, 'snapshot'>,
    private readonly clock: Clock,
  ) {}

  /** Every metric family, read now. */
  async collect(): Promise<MetricFamily[]> {
    const [issued, anchoring] = await Promise.all([this.issuances.counts(), this.anchoring.stats()]);
    const now = this.clock.now().getTime();
    const lagSeconds = anchoring.oldestPendingSince ? Math.max(0, (now - Date.parse(anchoring.oldestPendingSince)) / 1000) : 0;
    const byKind = (counts: Record<string, number>) => Object.entries(counts).map(([kind, value]) => ({ labels: { kind }, value }));
    return [
      {
        name: 'citycred_issuances_total',
        help: 'Credentials issued, by tenant, credential type and format (counted in the database: every issuer process reports the same value).',
        type: 'counter',
        samples: issued.map((i) => ({ labels: { tenant: i.tenant, type: i.type, format: i.format }, value: i.count })),
      },
      {
        name: 'citycred_anchor_pending',
        help: 'Digests queued for anchoring and not on chain yet (no batch, or a batch not confirmed), by kind.',
        type: 'gauge',
        samples: byKind(anchoring.pendingByKind),
      },
      {
        name: 'citycred_anchor_lag_seconds',
        help: 'Age of the oldest digest not anchored yet, in seconds (0 when nothing is pending).',
        type: 'gauge',
        samples: [{ value: lagSeconds }],
      },
      {
        name: 'citycred_anchored_batches_total',
        help: 'Batches whose Merkle root is anchored on the city chain.',
        type: 'counter',
        samples: [{ value: anchoring.anchoredBatches }],
      },
      {
        name: 'citycred_anchored_digests_total',
        help: 'Digests in anchored batches, by kind (credential, status-list, audit-head, attendance-head, signature-receipt, petition-tally).',
        type: 'counter',
        samples: byKind(anchoring.anchoredByKind),
      },
      {
        name: 'citycred_anchor_gas_used_total',
        help: 'Gas used by the anchoring transactions of anchored batches (from their receipts).',
        type: 'counter',
        samples: [{ value: anchoring.gasUsed }],
      },
      {
        name: 'citycred_anchor_refused_batches',
        help: 'Batches set aside because the chain refuses them (see /health details).',
        type: 'gauge',
        samples: [{ value: anchoring.refusedBatches }],
      },
      {
        name: 'citycred_http_problems_total',
        help: 'Problem+json answers of this issuer process, by error code and HTTP status.',
        type: 'counter',
        samples: this.problems.snapshot().map((p) => ({ labels: { code: p.code, status: String(p.status) }, value: p.count })),
      },
    ];
  }
}
