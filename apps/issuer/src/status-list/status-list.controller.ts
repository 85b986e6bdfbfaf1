import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res, UseGuards } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { RateLimited, type HttpReply } from '@citycred/http';
import type { TenantEntity } from '@citycred/persistence';
import { ApiKeyGuard } from '../tenants/api-key.guard.js';
import { CurrentTenant } from '../tenants/current-tenant.js';
import { STATUS_LIST_SETTINGS, type StatusListSettings } from './ports.js';
import { StatusLists } from './status-lists.service.js';
import { describeStatusIssues, requestedAction, statusRequestSchema } from './status-request.js';

/** Whether an `If-None-Match` header names the ETag (weak comparison, as RFC 9110 asks for this header). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

/** The published status lists: public, cacheable, no API key. */
@Controller('status-lists')
export class StatusListsController {
  constructor(
    @Inject(StatusLists) private readonly statusLists: StatusLists,
    @Inject(STATUS_LIST_SETTINGS) private readonly settings: StatusListSettings,
  ) {}

  /**
   * `GET /status-lists/{listId}`: the signed list, `application/vc+jwt` (bitstring) or `application/statuslist+jwt`
   * (token), with a strong ETag and `Cache-Control: public, max-age=STATUS_LIST_MAX_AGE_SECONDS`; 304 when
   * `If-None-Match` names the current ETag; 404 problem for an unknown list.
   */
  @Get(':listId')
  @RateLimited()
  async list(@Param('listId') listId: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: HttpReply): Promise<void> {
    const published = await this.statusLists.published(listId);
    if (!published) throw new AppError(ErrorCode.StatusListNotFound, 'No status list with this id is published here.');
    reply.header('etag', published.etag).header('cache-control', `public, max-age=${this.settings.maxAgeSeconds}`);
    if (matchesIfNoneMatch(ifNoneMatch, published.etag)) {
      void reply.status(304).send('');
      return;
    }
    void reply.status(200).header('content-type', published.mediaType).send(published.jwt);
  }
}

/** VC-API `POST /credentials/status`: revoke, suspend or reinstate a credential the calling tenant issued. */
@Controller('credentials')
@UseGuards(ApiKeyGuard)
export class CredentialStatusController {
  constructor(@Inject(StatusLists) private readonly statusLists: StatusLists) {}

  /** → 200 `{credentialId, status: active|suspended|revoked, changed, lists}`. */
  @Post('status')
  @HttpCode(200)
  async update(@CurrentTenant() tenant: TenantEntity, @Body() body: unknown) {
    const parsed = statusRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new AppError(ErrorCode.RequestInvalid, 'The body must be {credentialId, credentialStatus: {type, statusPurpose: revocation|suspension}, status: boolean, reason?}.', {
        extensions: { errors: describeStatusIssues(parsed.error) },
      });
    }
    const action = requestedAction(parsed.data);
    const { credentialId, reason } = parsed.data;
    if (action === 'confirm-not-revoked') {
      const status = await this.statusLists.statusOf(tenant, credentialId);
      if (status === 'revoked') throw new AppError(ErrorCode.StatusRevoked, 'The credential is revoked, and revocation is final.');
      return { credentialId, status, changed: false, lists: [] };
    }
    // The API key authenticates the tenant, not a person: the history names the tenant until keys carry an owner.
    return this.statusLists.changeStatus(tenant, { credentialId, action, reason, actor: `tenant:${tenant.slug}` });
  }
}
