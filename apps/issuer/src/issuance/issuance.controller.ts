import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import type { TenantEntity } from '@citycred/persistence';
import { ApiKeyGuard } from '../tenants/api-key.guard.js';
import { CurrentTenant } from '../tenants/current-tenant.js';
import { IssuanceService, type IssueCommand } from './issuance.service.js';
import { describeIssues, issueRequestSchema, type IssueRequest } from './issue-request.js';

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
      throw new AppError(ErrorCode.RequestInvalid, 'The body must be {credential: {@context, type, issuer, credentialSubject, …}, options?}.', {
        extensions: { errors: describeIssues(parsed.error) },
      });
    }
    const { verifiableCredential } = await this.issuance.issue(tenant, commandFrom(parsed.data, tenant));
    return { verifiableCredential };
  }
}

/** Maps the VC-API body onto the issuance command. */
function commandFrom(request: IssueRequest, tenant: TenantEntity): IssueCommand {
  const { credential, options } = request;
  if (options.credentialId !== undefined && credential['id'] !== undefined && credential['id'] !== options.credentialId) {
    throw new AppError(ErrorCode.CredentialInvalid, 'options.credentialId and credential.id name different ids.', {
      extensions: { errors: [{ pointer: '/id', message: 'differs from options.credentialId' }] },
    });
  }
  if (options.format !== undefined && options.proofFormat !== undefined) {
    throw new AppError(ErrorCode.RequestInvalid, 'Give options.format or options.proofFormat, not both.');
  }
  const format = options.format ?? (options.proofFormat === 'sd-jwt' ? 'dc+sd-jwt' : undefined);
  return {
    credential: options.credentialId !== undefined ? { ...credential, id: options.credentialId } : credential,
    ...(format ? { format } : {}),
    ...(options.holderJwk ? { holderJwk: options.holderJwk } : {}),
    actor: { kind: 'api-key', id: tenant.id },
  };
}
