import { randomUUID } from 'node:crypto';
import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import type { TenantEntity } from '@citycred/persistence';
import { claimsFromCsv, CsvError } from './csv-claims.js';
import { MAX_BULK_ROWS } from './offer-request.js';
import type { Oid4vciStore } from './oid4vci-store.js';
import type { CreatedOffer, OfferActor, OfferLifetimes, OfferRequest, Oid4vciService } from './oid4vci.service.js';

/** A bulk job's report is kept this long at least — longer when its offers live longer (see {@link Oid4vciBulkOffers.run}). */
export const BULK_JOB_TTL_MS = 24 * 60 * 60 * 1000;
/** The job row is saved after every this many rows, so its progress can be followed. */
const PROGRESS_EVERY = 25;

/** One row's outcome as stored and reported later: no claim and no secret. */
export type BulkRowReport = { row: number; offerId: string } | { row: number; error: { code: string; pointer: string } };

/** One row's outcome as answered once to the creator: the offer with its secrets. */
export type BulkRowResult = ({ row: number } & CreatedOffer) | { row: number; error: { code: string; pointer: string } };

/**
 * Many offers of one configuration in one request: each row is checked and offered on its own, a bad row does not
 * stop the others, and the job (progress and per-row report without secrets) can be read while and after it runs.
 */
export class Oid4vciBulkOffers {
  constructor(
    private readonly offers: Pick<Oid4vciService, 'createOffer' | 'configuration' | 'offerLifetime' | 'offerLifetimes'>,
    private readonly store: Oid4vciStore,
    private readonly clock: Clock,
  ) {}

  /**
   * The claims of each CSV row (see {@link claimsFromCsv}) for a configuration the tenant offers.
   * @throws AppError `oid4vci.unknown-credential-configuration` (400), `request.invalid` (400: unreadable CSV, too many rows)
   */
  rowsFromCsv(tenant: TenantEntity, configurationId: string, csv: string): Array<Record<string, unknown>> {
    const configuration = this.offers.configuration(tenant, configurationId);
    let rows: Array<Record<string, unknown>>;
    try {
      rows = claimsFromCsv(configuration.type, csv);
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      throw new AppError(ErrorCode.RequestInvalid, `The CSV cannot be read: ${error.message}.`, { extensions: { errors: [{ path: '/csv', message: error.message }] } });
    }
    if (rows.length > MAX_BULK_ROWS) throw new AppError(ErrorCode.RequestInvalid, `At most ${MAX_BULK_ROWS} rows per bulk request.`);
    return rows;
  }

  /** The longest lifetimes of single and bulk offers (`OID4VCI_OFFER_TTL_SECONDS`, `OID4VCI_BULK_OFFER_TTL_SECONDS`). */
  offerLifetimes(): OfferLifetimes {
    return this.offers.offerLifetimes();
  }

  /**
   * Creates the rows' offers in order, each living a bulk offer's lifetime. The answer holds each created offer with
   * its secrets, this once. The job's report is kept 24 hours, or until its offers expire when they live longer, so
   * it can be read as long as any of its offers can be redeemed.
   * @throws AppError `oid4vci.offer-lifetime-too-long`, `oid4vci.tx-code-required` (400, before any offer is made);
   *   `service.unavailable` (and other faults of our own) — a row's own problem is reported in its row
   */
  async run(tenant: TenantEntity, rows: readonly OfferRequest[], actor: OfferActor) {
    const lifetimeSeconds = Math.max(0, ...rows.map((row) => this.offers.offerLifetime('bulk', row)));
    const jobId = randomUUID();
    const now = this.clock.now();
    const report: BulkRowReport[] = [];
    const results: BulkRowResult[] = [];
    await this.store.addBulkJob({
      id: jobId,
      tenantId: tenant.id,
      state: 'running',
      total: rows.length,
      processed: 0,
      report: '[]',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + Math.max(BULK_JOB_TTL_MS, lifetimeSeconds * 1000)).toISOString(),
    });
    for (const [index, row] of rows.entries()) {
      try {
        const offer = await this.offers.createOffer(tenant, row, actor, jobId);
        report.push({ row: index, offerId: offer.offerId });
        results.push({ row: index, ...offer });
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        const failure = { row: index, error: { code: error.code, pointer: rowPointer(index, error) } };
        report.push(failure);
        results.push(failure);
      }
      if ((index + 1) % PROGRESS_EVERY === 0 && index + 1 < rows.length) {
        await this.store.updateBulkJob(jobId, { state: 'running', processed: index + 1, report: JSON.stringify(report) });
      }
    }
    await this.store.updateBulkJob(jobId, { state: 'done', processed: rows.length, report: JSON.stringify(report) });
    return { jobId, state: 'done', total: rows.length, processed: rows.length, rows: results };
  }

  /**
   * A tenant's job: state, progress and the per-row report.
   * @throws AppError `oid4vci.bulk-job-not-found` (404)
   */
  async report(tenant: TenantEntity, jobId: string) {
    const job = /^[0-9a-f-]{36}$/.test(jobId) ? await this.store.bulkJob(tenant.id, jobId) : null;
    if (!job) throw new AppError(ErrorCode.Oid4vciBulkJobNotFound, 'This tenant has no bulk offer job with this id (reports are kept 24 hours, or as long as their offers live).');
    return { jobId: job.id, state: job.state, total: job.total, processed: job.processed, rows: JSON.parse(job.report) as BulkRowReport[] };
  }
}

/** Where in the bulk body a row's problem is: the first path the error names, under the row, else the row. */
function rowPointer(index: number, error: AppError): string {
  const errors = error.extensions['errors'];
  const first = Array.isArray(errors) ? (errors[0] as { path?: unknown } | undefined)?.path : undefined;
  if (error.code === ErrorCode.Oid4vciUnknownConfiguration) return '/credential_configuration_id';
  return `/rows/${index}${typeof first === 'string' ? first : ''}`;
}
