import { Body, Controller, Inject, Post, Res, UseGuards } from '@nestjs/common';
import { DIGEST_ANCHOR_TYPES, isDigestAnchorKind, isHex32, type Hex32 } from '@citycred/anchoring';
import { AppError, ErrorCode } from '@citycred/errors';
import { RateLimited, type HttpReply } from '@citycred/http';
import type { TenantEntity } from '@citycred/persistence';
import { ApiKeyGuard } from '../tenants/api-key.guard.js';
import { CurrentTenant } from '../tenants/current-tenant.js';
import { AnchorDigests } from './anchor-digests.js';

/** Other services' digests for the tenant's anchoring (ADR 0015), with the tenant's API key. */
@Controller('anchors')
@UseGuards(ApiKeyGuard)
export class AnchorDigestsController {
  constructor(@Inject(AnchorDigests) private readonly digests: AnchorDigests) {}

  /**
   * `POST /anchors/digests` `{kind: "signature-receipt" | "petition-tally", digest: "0x" + 64 lower-case hex}` → 202
   * `{digest, kind, type, issuer, status, enqueuedAt}` (the same answer, with the current status, for a digest handed
   * again); 400 `request.invalid` / `anchor.invalid-hash`, 401, 403 `anchor.digest-not-accredited`, 409
   * `anchor.digest-conflict`, 503 when the chain cannot tell the tenant's accreditation.
   */
  @Post('digests')
  @RateLimited()
  async accept(@CurrentTenant() tenant: TenantEntity, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const kinds = Object.keys(DIGEST_ANCHOR_TYPES).join(', ');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError(ErrorCode.RequestInvalid, `The body must be {kind: one of ${kinds}, digest: "0x" + 64 lower-case hex digits}.`);
    const { kind, digest, ...rest } = body as Record<string, unknown>;
    const errors = [
      ...(isDigestAnchorKind(kind) ? [] : [{ pointer: '/kind', message: `is one of ${kinds}` }]),
      ...Object.keys(rest).map((member) => ({ pointer: `/${member}`, message: 'is not a member of this request' })),
    ];
    if (errors.length > 0) throw new AppError(ErrorCode.RequestInvalid, `The body must be {kind: one of ${kinds}, digest: "0x" + 64 lower-case hex digits}.`, { extensions: { errors } });
    if (typeof digest !== 'string' || !isHex32(digest)) {
      throw new AppError(ErrorCode.AnchorInvalidHash, 'The digest is "0x" + 64 lower-case hexadecimal digits (a SHA-256).', { extensions: { errors: [{ pointer: '/digest', message: 'is "0x" + 64 lower-case hex digits' }] } });
    }
    const accepted = await this.digests.accept(tenant, kind as keyof typeof DIGEST_ANCHOR_TYPES, digest as Hex32);
    void reply.status(202).header('cache-control', 'no-store').send(accepted);
  }
}
