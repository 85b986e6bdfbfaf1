import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { RateLimited } from '@citycred/http';
import { ConsoleSessionGuard, CurrentOperator, Roles } from '../../console/console-session.guard.js';
import type { ConsoleIdentity } from '../../console/console-sessions.js';
import { parseRequest } from '../../console/parse.js';
import { attendancePostSchema, contractTokenSchema, correctionProposalSchema } from './attendance-requests.js';
import { AttendanceService } from './attendance.service.js';

const notFound = () => new AppError(ErrorCode.LaborContractNotFound, 'No labour contract with this id and token.');
const CONTRACT_ID = /^[0-9a-f-]{36}$/;

/** A contract version id from the path (anything else answers as an unknown contract). */
function contractId(id: string): string {
  if (!CONTRACT_ID.test(id)) throw notFound();
  return id;
}

/** The worker's token `t` (a missing one answers as an unknown contract: same answer as a wrong one). */
function token(t: unknown): string {
  const parsed = contractTokenSchema.safeParse(t);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

/** Only an employer tenant has workplaces and labour contracts. */
function employer(identity: ConsoleIdentity): ConsoleIdentity['tenant'] {
  if (identity.tenant.kind !== 'employer') throw new AppError(ErrorCode.LaborEmployerOnly, 'Only an employer tenant has a workplace QR and labour contracts.');
  return identity.tenant;
}

/**
 * The employer's attendance API (docs/labor.md, "Attendance"), under the console session of an employer tenant
 * (other tenants: 403 `labor.employer-only`): the timesheet for every role; the workplace QR and corrections for
 * `admin` and `issuer` (the CSRF header on POST, as the rest of `/console/api`).
 */
@Controller('console/api/labor')
@UseGuards(ConsoleSessionGuard)
export class AttendanceConsoleController {
  constructor(@Inject(AttendanceService) private readonly attendance: AttendanceService) {}

  /** `GET /console/api/labor/workplace-qr` → `{jws, link, issuedAt, expiresAt, refreshInSeconds}` (a new nonce every 30 s). */
  @Get('workplace-qr')
  @Roles('admin', 'issuer')
  async workplaceQr(@CurrentOperator() identity: ConsoleIdentity) {
    return this.attendance.workplaceQr(employer(identity));
  }

  /** `GET /console/api/labor/contracts/:id/attendance` → `{events, check, shifts, totalMinutes, head, monthly, pendingCorrections}`. */
  @Get('contracts/:id/attendance')
  async attendanceOf(@CurrentOperator() identity: ConsoleIdentity, @Param('id') id: string) {
    return this.attendance.employerView(employer(identity).id, contractId(id));
  }

  /** `POST /console/api/labor/contracts/:id/corrections` `{eventHash, at, reason}` → 201 the pending correction. */
  @Post('contracts/:id/corrections')
  @HttpCode(201)
  @Roles('admin', 'issuer')
  async propose(@CurrentOperator() identity: ConsoleIdentity, @Param('id') id: string, @Body() body: unknown) {
    const proposal = parseRequest(correctionProposalSchema, body, '{eventHash, at, reason}');
    return this.attendance.proposeCorrection(employer(identity).id, contractId(id), proposal, identity.operator.username);
  }
}

/**
 * The worker's attendance API (docs/labor.md, "Attendance"): reads need the contract link's token `t`; a write is the
 * worker's signed event itself, checked against the contract's worker key. Public and costly (signatures checked and
 * made): rate-limited per client; answers are never cached.
 */
@Controller('labor/contracts')
export class AttendanceWorkerController {
  constructor(@Inject(AttendanceService) private readonly attendance: AttendanceService) {}

  /** `POST /labor/contracts/:id/attendance?t=` `{event, workerSignature, qr?}` → 201 `{signed, head}`. */
  @Post(':id/attendance')
  @HttpCode(201)
  @RateLimited()
  @Header('cache-control', 'no-store')
  async record(@Param('id') id: string, @Query('t') t: unknown, @Body() body: unknown) {
    const post = parseRequest(attendancePostSchema, body, '{event, workerSignature, qr?}');
    return this.attendance.record(contractId(id), token(t), post);
  }

  /** `GET /labor/contracts/:id/attendance?t=` → the same view as the employer's. */
  @Get(':id/attendance')
  @RateLimited()
  @Header('cache-control', 'no-store')
  async view(@Param('id') id: string, @Query('t') t: unknown) {
    return this.attendance.workerView(contractId(id), token(t));
  }
}
