import type { SignedAttendanceEvent } from '@citycred/labor';

/**
 * Port: a contract's co-signed attendance events, as the attendance context (apps/issuer/src/labor/attendance) stores
 * them. The contracts context reads them to issue WorkExperience (total hours and the chain's head).
 */
export interface AttendanceLedger {
  /**
   * The contract's signed events in sequence order.
   * @param contractId - the contract's lineage id (the document's `contractId`, the id of its first version): a
   *   revised contract keeps its chain
   */
  events(contractId: string): Promise<SignedAttendanceEvent[]>;
  /** Corrections the employer proposed and the worker has not signed yet (the worker's review page lists them). */
  pendingCorrections?(contractId: string): Promise<unknown[]>;
}

/** Injection token of the {@link AttendanceLedger}. */
export const LABOR_ATTENDANCE_LEDGER = Symbol.for('citycred.issuer.labor.attendance-ledger');

/** Injection token of the `LaborContracts` service's settings ({@link LaborSettings}). */
export const LABOR_SETTINGS = Symbol.for('citycred.issuer.labor.settings');

/** What the labour contracts context is configured with. */
export interface LaborSettings {
  /** The issuer's public base URL (no trailing slash): the worker's review links start with it. */
  readonly publicUrl: string;
  /** `WALLET_URL`: review links open the wallet's `#contract?url=` screen; undefined: the review URL itself. */
  readonly walletUrl: string | undefined;
  /** The minimum wage table (config/labor.json). */
  readonly minimumWageKrw: Readonly<Record<number, number>>;
  /** Hex secret the contracts' share tokens are derived from (`KEY_ENCRYPTION_SECRET`). */
  readonly tokenSecret: string;
  /** Slug of the tenant issuing SocialInsuranceEnrollment (`employment-insurance`). */
  readonly insuranceTenant: string;
}
