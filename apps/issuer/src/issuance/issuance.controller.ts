import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import type { TenantEntity } from '@citycred/persistence';
import { ApiKeyGuard } from '../tenants/api-key.guard.js';
import { CurrentTenant } from '../tenants/current-tenant.js';
import { IssuanceService } from './issuance.service.js';
import { describeIssues, issueRequestSchema } from './issue-request.js';

/** W3C VC-API issuing endpoint. */
@Controller('credentials')
@UseGuards(ApiKeyGuard)
export class IssuanceController {
  constructor(@Inject(IssuanceService) private readonly issuance: IssuanceService) {}

  /** `POST /credentials/issue` → 201 `{ verifiableCredential }`. */
  @Post('issue')
  @HttpCode(201)
  async issue(@CurrentTenant() tenant: TenantEntity, @Body() body: unknown) {
    const parsed = issueRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new AppError(ErrorCode.RequestInvalid, 'The body must be {credential: {type, credentialSubject, …}, options?}.', {
        extensions: { errors: describeIssues(parsed.error) },
      });
    }
    const { verifiableCredential } = await this.issuance.issue(tenant, parsed.data);
    return { verifiableCredential };
  }
}
