import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import type { HttpReply } from '@citycred/http';
import { AuditLog } from '@citycred/tenancy';
import { ConsoleCredentials } from './console-credentials.js';
import { ConsoleOfferImports } from './console-offer-imports.js';
import { ConsoleOperators } from './console-operators.js';
import { ConsoleReadModel } from './console-read-model.js';
import { bulkOfferSchema, credentialIdSchema, credentialListQuerySchema, issueSchema, newOperatorSchema, offerSchema, statusChangeSchema } from './console-requests.js';
import { ConsoleSessionGuard, CurrentOperator, Roles } from './console-session.guard.js';
import type { ConsoleIdentity } from './console-sessions.js';
import { parseRequest } from './parse.js';

const credentialId = (id: string) => parseRequest(credentialIdSchema, id, 'a credential id of at most 100 characters');

/**
 * The console's API (`/console/api/*`, docs/console.md): every route needs a live session, and answers only about
 * the session's tenant. Roles: `admin` everything; `issuer` issue, offers, status changes, certificates; `auditor`
 * reads.
 */
@Controller('console/api')
@UseGuards(ConsoleSessionGuard)
export class ConsoleApiController {
  constructor(
    @Inject(ConsoleCredentials) private readonly credentials: ConsoleCredentials,
    @Inject(ConsoleReadModel) private readonly reads: ConsoleReadModel,
    @Inject(ConsoleOperators) private readonly operators: ConsoleOperators,
    @Inject(ConsoleOfferImports) private readonly imports: ConsoleOfferImports,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  /**
   * `GET /console/api/types` → `{types, offerLifetimes}`: the tenant's types, and the longest lifetimes of offers in
   * seconds (`{offerSeconds, bulkOfferSeconds}`, null without the OpenID4VCI context).
   */
  @Get('types')
  async types(@CurrentOperator() identity: ConsoleIdentity) {
    return { types: await this.credentials.types(identity.tenant), offerLifetimes: this.imports.offerLifetimes() };
  }

  /** `GET /console/api/credentials?type=&status=&q=&cursor=` → `{items, next?}`. */
  @Get('credentials')
  async list(@CurrentOperator() identity: ConsoleIdentity, @Query() query: unknown) {
    return this.reads.credentials(identity.tenant.id, parseRequest(credentialListQuerySchema, query, 'type, status, q and cursor only'));
  }

  /** `POST /console/api/credentials` → 201 `{id, type, format, credentialHash, encoded}`. */
  @Post('credentials')
  @HttpCode(201)
  @Roles('admin', 'issuer')
  async issue(@CurrentOperator() identity: ConsoleIdentity, @Body() body: unknown) {
    return this.credentials.issue(identity, parseRequest(issueSchema, body, '{type, subject, format?, validUntil?, holderDid?}'));
  }

  /** `GET /console/api/credentials/:id` → the item with `history` and `anchor`. */
  @Get('credentials/:id')
  async detail(@CurrentOperator() identity: ConsoleIdentity, @Param('id') id: string) {
    return this.reads.credential(identity.tenant.id, credentialId(id));
  }

  /** `POST /console/api/credentials/:id/status` `{action, reason}` → 200 `{status}`. */
  @Post('credentials/:id/status')
  @HttpCode(200)
  @Roles('admin', 'issuer')
  async changeStatus(@CurrentOperator() identity: ConsoleIdentity, @Param('id') id: string, @Body() body: unknown) {
    const { action, reason } = parseRequest(statusChangeSchema, body, "{action: 'revoke'|'suspend'|'reinstate', reason}");
    const target = credentialId(id);
    // The status-list context answers its own 404 for an unknown id; checking here first keeps the console's code.
    await this.reads.issued(identity.tenant.id, target);
    return this.credentials.changeStatus(identity, target, action, reason);
  }

  /** `GET /console/api/credentials/:id/certificate.pdf` → `application/pdf`. */
  @Get('credentials/:id/certificate.pdf')
  @Roles('admin', 'issuer')
  async certificate(@CurrentOperator() identity: ConsoleIdentity, @Param('id') id: string, @Res() reply: HttpReply): Promise<void> {
    const pdf = await this.credentials.certificate(identity, credentialId(id));
    void reply.status(200).header('content-type', 'application/pdf').header('cache-control', 'no-store').send(Buffer.from(pdf));
  }

  /** `POST /console/api/offers` `{type, claims, format}` → 201 `{offerUri, qrSvg, txCode, expiresAt}`. */
  @Post('offers')
  @Roles('admin', 'issuer')
  async offer(@CurrentOperator() identity: ConsoleIdentity, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const offer = await this.credentials.offer(identity, parseRequest(offerSchema, body, "{type, claims, format: 'jwt_vc'|'dc+sd-jwt'}"));
    // The answer holds the transaction code: never cached.
    void reply.status(201).header('cache-control', 'no-store').send(offer);
  }

  /** `POST /console/api/offers/bulk` `{type, format, csv, expiresIn?}` → 201 `{jobId, total, offered, failed, rows}` (one offer per CSV row). */
  @Post('offers/bulk')
  @Roles('admin', 'issuer')
  async bulkOffer(@CurrentOperator() identity: ConsoleIdentity, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const imported = await this.imports.offer(identity, parseRequest(bulkOfferSchema, body, "{type, format: 'jwt_vc'|'dc+sd-jwt', csv, expiresIn?: seconds}"));
    // The answer holds every offer's transaction code: never cached.
    void reply.status(201).header('cache-control', 'no-store').send(imported);
  }

  /** `GET /console/api/anchoring` → `{pending, oldestPendingSeconds, batches}`. */
  @Get('anchoring')
  async anchoring(@CurrentOperator() identity: ConsoleIdentity) {
    return this.reads.anchoring(identity.tenant.id);
  }

  /** `GET /console/api/audit?cursor=` → `{items, head, next?}`, newest first. */
  @Get('audit')
  async auditLog(@CurrentOperator() identity: ConsoleIdentity, @Query('cursor') cursor: string | undefined) {
    const [page, head] = await Promise.all([this.audit.page(identity.tenant.id, cursor), this.audit.head(identity.tenant.id)]);
    return {
      items: page.items.map(({ seq, at, actor, action, target, hash, prevHash }) => ({ seq, at, actor, action, target, hash, prevHash })),
      head: { seq: head.seq, hash: head.hash, anchored: head.anchored },
      ...(page.next ? { next: page.next } : {}),
    };
  }

  /** `GET /console/api/audit/verification` → `{ok, entries, headHash}` or `{ok: false, brokenAt, reason}`. */
  @Get('audit/verification')
  async verifyAuditLog(@CurrentOperator() identity: ConsoleIdentity) {
    return this.audit.verify(identity.tenant.id);
  }

  /** `GET /console/api/operators` → `{items}` (admin). */
  @Get('operators')
  @Roles('admin')
  async listOperators(@CurrentOperator() identity: ConsoleIdentity) {
    return { items: await this.operators.list(identity) };
  }

  /** `POST /console/api/operators` `{username, displayName, role, password}` → 201 the operator (admin). */
  @Post('operators')
  @HttpCode(201)
  @Roles('admin')
  async createOperator(@CurrentOperator() identity: ConsoleIdentity, @Body() body: unknown) {
    return this.operators.create(identity, parseRequest(newOperatorSchema, body, '{username, displayName, role, password}'));
  }

  /** `POST /console/api/operators/:username/disable` → 200 `{disabled: true}` (admin); 404 for a name the tenant lacks. */
  @Post('operators/:username/disable')
  @HttpCode(200)
  @Roles('admin')
  async disableOperator(@CurrentOperator() identity: ConsoleIdentity, @Param('username') username: string) {
    if (username.length > 64) throw new AppError(ErrorCode.NotFound, 'This tenant has no operator with this username.');
    const outcome = await this.operators.disable(identity, username);
    if (outcome === 'unknown') throw new AppError(ErrorCode.NotFound, 'This tenant has no operator with this username.');
    return { disabled: true };
  }
}
