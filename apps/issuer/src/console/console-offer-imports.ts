import { AppError, ErrorCode } from '@citycred/errors';
import type { ConsoleBulkOffers, ConsoleOfferLifetimes } from './console-ports.js';
import type { ConsoleBulkOfferRequest } from './console-requests.js';
import type { ConsoleIdentity } from './console-sessions.js';

/** The OpenID4VCI configuration of a catalogue type in one of the console's offer formats. */
export function offerConfigurationId(type: string, format: 'jwt_vc' | 'dc+sd-jwt'): string {
  return `${type}_${format === 'dc+sd-jwt' ? 'dc_sd_jwt' : 'jwt_vc_json'}`;
}

/** One CSV row's outcome as the console shows it once: the offer with its link and transaction code, or the error. */
export type ConsoleImportRow =
  | { readonly row: number; readonly offerId: string; readonly offerUri: string; readonly txCode: string | null; readonly expiresAt: string }
  | { readonly row: number; readonly error: { readonly code: string; readonly pointer: string; readonly column: string | null } };

/** A bulk offer made from the console. */
export interface ConsoleImport {
  readonly jobId: string;
  readonly total: number;
  readonly offered: number;
  readonly failed: number;
  /** In CSV order; `row` counts the data rows from 0 (the line after the header is row 0), as the bulk job reports. */
  readonly rows: readonly ConsoleImportRow[];
}

/**
 * The CSV column a bulk row's error names: `/rows/3/claims/residence/district` → `residence.district`, or null when
 * the error is about the row as a whole.
 */
export function columnOfPointer(pointer: string): string | null {
  const match = /^\/rows\/\d+\/claims\/(.+)$/.exec(pointer);
  if (!match) return null;
  return match[1]!
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

/**
 * Offers to many citizens at once from the console: the clerk's CSV goes to the OpenID4VCI context's bulk offers
 * (the same checks, errors, job report and `offer.created` audit entries as `POST /oid4vci/offers/bulk`), made as
 * the signed-in operator, with a transaction code each.
 */
export class ConsoleOfferImports {
  constructor(private readonly bulk: ConsoleBulkOffers | null) {}

  /** The longest lifetimes of offers the issuer allows, for the bulk screen's choice; null without the OpenID4VCI context. */
  offerLifetimes(): ConsoleOfferLifetimes | null {
    return this.bulk?.offerLifetimes() ?? null;
  }

  /**
   * @throws AppError `console.feature-unavailable` (501) without the OpenID4VCI context;
   *   `oid4vci.unknown-credential-configuration` (400: a type or format the tenant does not offer);
   *   `request.invalid` (400: CSV that cannot be read, `errors[].path` `/csv`; more than 1000 rows);
   *   `oid4vci.offer-lifetime-too-long` (400: `expiresIn` above the bulk offers' ceiling)
   */
  async offer(identity: ConsoleIdentity, request: ConsoleBulkOfferRequest): Promise<ConsoleImport> {
    if (!this.bulk) throw new AppError(ErrorCode.ConsoleFeatureUnavailable, 'Making OpenID4VCI offers is not available on this issuer yet.');
    const credentialConfigurationId = offerConfigurationId(request.type, request.format);
    const claimRows = this.bulk.rowsFromCsv(identity.tenant, credentialConfigurationId, request.csv);
    const job = await this.bulk.run(
      identity.tenant,
      claimRows.map((claims) => ({ credentialConfigurationId, claims, txCode: true, expiresInSeconds: request.expiresIn })),
      { kind: 'operator', id: identity.operator.username },
    );
    const rows = job.rows.map((outcome): ConsoleImportRow =>
      'error' in outcome
        ? { row: outcome.row, error: { ...outcome.error, column: columnOfPointer(outcome.error.pointer) } }
        : { row: outcome.row, offerId: outcome.offerId, offerUri: outcome.credential_offer_link, txCode: outcome.tx_code ?? null, expiresAt: outcome.expiresAt },
    );
    const failed = rows.filter((row) => 'error' in row).length;
    return { jobId: job.jobId, total: job.total, offered: rows.length - failed, failed, rows };
  }
}
