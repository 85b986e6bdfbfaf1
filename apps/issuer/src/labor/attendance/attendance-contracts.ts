import { AppError, ErrorCode } from '@citycred/errors';
import type { LaborContractEntity } from '@citycred/persistence';
import { tokenMatches, type LaborContractStore } from '../labor-contract-store.js';
import type { AttendanceContract, AttendanceContracts } from './attendance-ports.js';

const notFound = () => new AppError(ErrorCode.LaborContractNotFound, 'No labour contract with this id and token.');

/** A contract row as attendance sees it. */
export function attendanceContractOf(row: LaborContractEntity): AttendanceContract {
  const document = JSON.parse(row.document) as { hourlyWageKrw?: unknown; weeklyHolidayAllowance?: unknown };
  return {
    id: row.id,
    chainId: row.contractId,
    tenantId: row.tenantId,
    state: row.state,
    workerDid: row.workerDid,
    hourlyWageKrw: typeof document.hourlyWageKrw === 'number' ? document.hourlyWageKrw : 0,
    weeklyHolidayAllowance: document.weeklyHolidayAllowance === true,
  };
}

/**
 * The contracts as attendance reads them, from the contracts context's {@link LaborContractStore}: by id and the
 * worker's token (only its SHA-256 is stored), or by id within the employer tenant.
 */
export class StoredAttendanceContracts implements AttendanceContracts {
  constructor(private readonly contracts: Pick<LaborContractStore, 'byId' | 'ofTenant'>) {}

  async forWorker(id: string, token: string): Promise<AttendanceContract> {
    const row = await this.contracts.byId(id);
    if (!row || !tokenMatches(token, row.tokenHash)) throw notFound();
    return attendanceContractOf(row);
  }

  async forEmployer(tenantId: string, id: string): Promise<AttendanceContract> {
    const row = await this.contracts.ofTenant(tenantId, id);
    if (!row) throw notFound();
    return attendanceContractOf(row);
  }
}
