import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ConsoleSessionGuard, CurrentOperator, Roles } from '../console/console-session.guard.js';
import type { ConsoleIdentity } from '../console/console-sessions.js';
import { parseRequest } from '../console/parse.js';
import { LaborContracts } from './labor-contracts.js';
import { contractIdSchema, contractTermsSchema, endSchema, socialInsuranceSchema, workExperienceSchema } from './labor-requests.js';

const TERMS = '{worker, workplace, duties, role?, period, hourlyWageKrw, weeklyHours, workDays, breaks, weeklyHolidayAllowance, weeklyHoliday?, annualLeave?, wagePayment?, socialInsurance}';
const contractId = (id: string) => parseRequest(contractIdSchema, id, 'a contract id (UUID)');

/**
 * The employer's labour contracts (`/console/api/labor/*`, docs/labor.md): a console session of an employer tenant
 * (other tenants: 403 `labor.employer-only`); reads for every role, changes for `admin` and `issuer`.
 */
@Controller('console/api/labor')
@UseGuards(ConsoleSessionGuard)
export class LaborEmployerController {
  constructor(@Inject(LaborContracts) private readonly contracts: LaborContracts) {}

  /** `GET /console/api/labor/settings` → `{employer: {slug, name, did, businessNumber}, minimumWageKrw, workplaceQrSeconds}`. */
  @Get('settings')
  settings(@CurrentOperator() identity: ConsoleIdentity) {
    return this.contracts.settingsFor(identity.tenant);
  }

  /** `POST /console/api/labor/contracts` terms → 201 contract view; 422 `labor.terms-refused` with `findings`. */
  @Post('contracts')
  @HttpCode(201)
  @Roles('admin', 'issuer')
  draft(@CurrentOperator() identity: ConsoleIdentity, @Body() body: unknown) {
    return this.contracts.draft(identity, parseRequest(contractTermsSchema, body, TERMS));
  }

  /** `GET /console/api/labor/contracts` → `{items: [contract view]}`, newest first. */
  @Get('contracts')
  list(@CurrentOperator() identity: ConsoleIdentity) {
    return this.contracts.list(identity.tenant);
  }

  /** `GET /console/api/labor/contracts/:id` → contract view. */
  @Get('contracts/:id')
  get(@CurrentOperator() identity: ConsoleIdentity, @Param('id') id: string) {
    return this.contracts.get(identity.tenant, contractId(id));
  }

  /** `POST /console/api/labor/contracts/:id/countersign` → 200 contract view (`active`, LaborContract offered). */
  @Post('contracts/:id/countersign')
  @HttpCode(200)
  @Roles('admin', 'issuer')
  countersign(@CurrentOperator() identity: ConsoleIdentity, @Param('id') id: string) {
    return this.contracts.countersign(identity, contractId(id));
  }

  /** `POST /console/api/labor/contracts/:id/revise` terms → 201 the new version's view. */
  @Post('contracts/:id/revise')
  @HttpCode(201)
  @Roles('admin', 'issuer')
  revise(@CurrentOperator() identity: ConsoleIdentity, @Param('id') id: string, @Body() body: unknown) {
    return this.contracts.revise(identity, contractId(id), parseRequest(contractTermsSchema, body, TERMS));
  }

  /** `POST /console/api/labor/contracts/:id/social-insurance` `{nationalPension, healthInsurance, employmentInsurance, industrialAccident, since}` → 200 contract view. */
  @Post('contracts/:id/social-insurance')
  @HttpCode(200)
  @Roles('admin', 'issuer')
  socialInsurance(@CurrentOperator() identity: ConsoleIdentity, @Param('id') id: string, @Body() body: unknown) {
    return this.contracts.socialInsurance(identity, contractId(id), parseRequest(socialInsuranceSchema, body, '{nationalPension, healthInsurance, employmentInsurance, industrialAccident, since}'));
  }

  /** `POST /console/api/labor/contracts/:id/end` `{endDate}` → 200 contract view (`ended`). */
  @Post('contracts/:id/end')
  @HttpCode(200)
  @Roles('admin', 'issuer')
  end(@CurrentOperator() identity: ConsoleIdentity, @Param('id') id: string, @Body() body: unknown) {
    return this.contracts.end(identity, contractId(id), parseRequest(endSchema, body, '{endDate: YYYY-MM-DD}').endDate);
  }

  /** `POST /console/api/labor/contracts/:id/work-experience` `{role?}` → 200 contract view (WorkExperience offered). */
  @Post('contracts/:id/work-experience')
  @HttpCode(200)
  @Roles('admin', 'issuer')
  workExperience(@CurrentOperator() identity: ConsoleIdentity, @Param('id') id: string, @Body() body: unknown) {
    return this.contracts.workExperience(identity, contractId(id), parseRequest(workExperienceSchema, body ?? {}, '{role?}'));
  }
}
