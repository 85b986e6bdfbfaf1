import { Body, Controller, Get, Headers, Inject, Param, Post, Res, UseGuards } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { RateLimited, type HttpReply } from '@citycred/http';
import type { TenantEntity } from '@citycred/persistence';
import { API_KEY_SHOWN_PREFIX_LENGTH } from '@citycred/tenancy';
import { describeIssues } from '../issuance/issue-request.js';
import { ApiKeyGuard } from '../tenants/api-key.guard.js';
import { CurrentTenant } from '../tenants/current-tenant.js';
import { Oid4vciBulkOffers } from './oid4vci-bulk-offers.js';
import { Oid4vciService, type OfferActor } from './oid4vci.service.js';
import { bulkOfferRequestSchema, offerRequestSchema } from './offer-request.js';

/** The API key's public prefix (what `keys list` shows), naming the actor without the secret. */
function apiKeyActor(authorization: string | undefined): OfferActor {
  const key = /^Bearer\s+(\S+)/i.exec(authorization ?? '')?.[1] ?? '';
  return { kind: 'api-key', id: key.slice(0, API_KEY_SHOWN_PREFIX_LENGTH) };
}

/** Credential offers: made by a tenant (API key), fetched by reference by wallets (public). */
@Controller('oid4vci/offers')
export class Oid4vciOffersController {
  constructor(
    @Inject(Oid4vciService) private readonly oid4vci: Oid4vciService,
    @Inject(Oid4vciBulkOffers) private readonly bulk: Oid4vciBulkOffers,
  ) {}

  /** `POST /oid4vci/offers` → 201 `{offerId, credential_offer, credential_offer_uri, credential_offer_link, tx_code?, expiresAt}`. */
  @Post()
  @UseGuards(ApiKeyGuard)
  async create(@CurrentTenant() tenant: TenantEntity, @Headers('authorization') authorization: string | undefined, @Body() body: unknown, @Res() reply: HttpReply) {
    const parsed = offerRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new AppError(ErrorCode.RequestInvalid, 'The body must be {credential_configuration_id, claims, tx_code?, expires_in?, holder?}.', {
        extensions: { errors: describeIssues(parsed.error) },
      });
    }
    const { credential_configuration_id, claims, tx_code, expires_in, holder } = parsed.data;
    const offer = await this.oid4vci.createOffer(tenant, { credentialConfigurationId: credential_configuration_id, claims, txCode: tx_code, expiresInSeconds: expires_in, holder }, apiKeyActor(authorization));
    // The answer holds the offer's secrets (pre-authorized code, transaction code): never cached.
    void reply.status(201).header('cache-control', 'no-store').send(offer);
  }

  /** `POST /oid4vci/offers/bulk` → 201 `{jobId, state, total, processed, rows: [{row, offerId, …} | {row, error: {code, pointer}}]}`. */
  @Post('bulk')
  @UseGuards(ApiKeyGuard)
  async createMany(@CurrentTenant() tenant: TenantEntity, @Headers('authorization') authorization: string | undefined, @Body() body: unknown, @Res() reply: HttpReply) {
    const parsed = bulkOfferRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new AppError(ErrorCode.RequestInvalid, 'The body must be {credential_configuration_id, rows: [{claims}] or csv, tx_code?, expires_in?}.', {
        extensions: { errors: describeIssues(parsed.error) },
      });
    }
    const { credential_configuration_id, rows, csv, tx_code, expires_in } = parsed.data;
    const claimRows = rows?.map((row) => row.claims) ?? this.bulk.rowsFromCsv(tenant, credential_configuration_id, csv!);
    const result = await this.bulk.run(
      tenant,
      claimRows.map((claims) => ({ credentialConfigurationId: credential_configuration_id, claims, txCode: tx_code, expiresInSeconds: expires_in })),
      apiKeyActor(authorization),
    );
    void reply.status(201).header('cache-control', 'no-store').send(result);
  }

  /** `GET /oid4vci/offers/bulk/:jobId` → the job's progress and per-row report (offer ids and errors, no secrets). */
  @Get('bulk/:jobId')
  @UseGuards(ApiKeyGuard)
  async job(@CurrentTenant() tenant: TenantEntity, @Param('jobId') jobId: string) {
    return this.bulk.report(tenant, jobId);
  }

  /**
   * `GET /oid4vci/offers/:id/status` → `{offerId, credentialConfigurationId, state, createdAt, expiresAt, redeemedAt?,
   * issuedAt?}`: where one of the calling tenant's offers stands (no claim, no secret); another tenant's is 404.
   */
  @Get(':id/status')
  @UseGuards(ApiKeyGuard)
  @RateLimited()
  async status(@CurrentTenant() tenant: TenantEntity, @Param('id') id: string, @Res() reply: HttpReply) {
    void reply.status(200).header('cache-control', 'no-store').send(await this.oid4vci.offerStatus(tenant, id));
  }

  /** `GET /oid4vci/offers/:id` → the credential offer object (the target of `credential_offer_uri`). */
  @Get(':id')
  @RateLimited()
  async byReference(@Param('id') id: string, @Res() reply: HttpReply) {
    const offer = await this.oid4vci.offerByReference(id);
    void reply.status(200).header('cache-control', 'no-store').send(offer);
  }
}
