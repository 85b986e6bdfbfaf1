import type { JwsSigner } from '@citycred/formats';
import type { TenantEntity } from '@citycred/persistence';

/** What attendance needs to know of a labour contract (the contracts context owns it). */
export interface AttendanceContract {
  /** The version's id (the route's `:id`). */
  readonly id: string;
  /**
   * The contract's lineage id (the document's `contractId`, its first version's id): the chain's key and every
   * event's `contractId`, so a revised contract keeps its chain.
   */
  readonly chainId: string;
  /** The employer tenant's id. */
  readonly tenantId: string;
  /** `awaiting-worker`, `awaiting-employer`, `active`, `ended`, `superseded`: events are recorded only while `active`. */
  readonly state: string;
  /** The worker's did:jwk (from the worker's signature of the contract), once signed. */
  readonly workerDid: string | null;
  /** The terms the pay estimate uses. */
  readonly hourlyWageKrw: number;
  readonly weeklyHolidayAllowance: boolean;
}

/** Finds a contract for attendance; both throw `labor.contract-not-found` (404) for an unknown one. */
export interface AttendanceContracts {
  /** By id and the worker's token `t` (a wrong token answers as an unknown id). */
  forWorker(id: string, token: string): Promise<AttendanceContract>;
  /** One of the employer tenant's contracts. */
  forEmployer(tenantId: string, id: string): Promise<AttendanceContract>;
}

/** The employer tenants' keys and records. */
export interface AttendanceEmployers {
  /** The tenant's current signer (its did:ethr key, ES256K). */
  signerFor(tenant: Pick<TenantEntity, 'did'>): Promise<JwsSigner>;
  findById(id: string): Promise<TenantEntity | null>;
}

/** Settings read from the issuer's configuration once. */
export interface AttendanceSettings {
  /** The wallet's URL (`WALLET_URL`): the workplace QR is a wallet link `#attend?qr=`; without it, the JWS. */
  readonly walletUrl: string | undefined;
  /** The did:ethr network name (`DID_ETHR_NETWORK`), to read an employer DID's address. */
  readonly didNetwork: string;
}
