import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { RateLimited, type HttpReply } from '@citycred/http';
import { matchesIfNoneMatch } from '../status-list/status-list.controller.js';
import { AnchorBatchReads } from './anchor-batch-reads.js';
import { parseBatchRoot, parseBatchWindow, parseIssuerQuery } from './anchor-batch-requests.js';

/**
 * Public anchoring reads for verifiers that must not ask about one credential (docs/anchoring.md, "Batches: proofs
 * without asking per credential"): every question names an issuer or a batch, and the verifier computes the proof
 * of the credential in front of it itself.
 */
@Controller('anchors')
export class AnchorBatchesController {
  constructor(@Inject(AnchorBatchReads) private readonly reads: AnchorBatchReads) {}

  /**
   * `GET /anchors/batches?issuer=<DID>&from=<ISO 8601>&to=<ISO 8601>` → 200
   * `{issuer, from, to, batches: [{root, leafCount, anchoredAt, txHash, blockNumber, chainId, contract}], truncated,
   * pending: {count, since}}`, `Cache-Control: public, max-age=30`: the issuer's anchored batches with `anchoredAt` in
   * [from, to) (at most 7 days), at most 100 (`truncated` beyond). 400 `request.invalid`; 404 `anchor.issuer-not-found`.
   */
  @Get('batches')
  @RateLimited()
  async batches(@Query() query: unknown, @Res() reply: HttpReply): Promise<void> {
    const window = parseBatchWindow(query);
    const tenantId = await this.tenantOf(window.issuer);
    const { batches, truncated } = await this.reads.anchoredBatches(tenantId, window.from, window.to);
    const pending = await this.reads.pendingSummary(tenantId);
    void reply
      .status(200)
      .header('cache-control', 'public, max-age=30')
      .send({ issuer: window.issuer, from: window.from.toISOString(), to: window.to.toISOString(), batches, truncated, pending });
  }

  /**
   * `GET /anchors/batches/{root}/leaves` → 200 `{root, leaves}`: the digests of an anchored batch in leaf order, so
   * that `buildMerkleTree(leaves).root === root`. Immutable (a root is a digest of its leaves): `Cache-Control:
   * public, max-age=31536000, immutable`, `ETag: "<root>"`, 304 for a matching `If-None-Match`. 400
   * `request.invalid` for a root that is not 32 bytes of hex; 404 `anchor.batch-not-found` when no batch with this root
   * is anchored.
   */
  @Get('batches/:root/leaves')
  @RateLimited()
  async leaves(@Param('root') raw: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: HttpReply): Promise<void> {
    const root = parseBatchRoot(raw);
    const leaves = await this.reads.anchoredBatchLeaves(root);
    if (!leaves) throw new AppError(ErrorCode.AnchorBatchNotFound, 'No batch with this root is anchored by this service (unknown, or not confirmed on chain yet).');
    const etag = `"${root}"`;
    reply.header('etag', etag).header('cache-control', 'public, max-age=31536000, immutable');
    if (matchesIfNoneMatch(ifNoneMatch, etag)) {
      void reply.status(304).send('');
      return;
    }
    void reply.status(200).send({ root, leaves });
  }

  /**
   * `GET /anchors/pending?issuer=<DID>` → 200 `{issuer, pending: [{credentialHash, enqueuedAt}], refused, truncated}`,
   * `Cache-Control: public, max-age=5`: every digest of the issuer not anchored yet (oldest first) and those in its
   * set-aside batches, at most 20,000 of each (`truncated` when either was cut). 400 `request.invalid`; 404
   * `anchor.issuer-not-found`.
   */
  @Get('pending')
  @RateLimited()
  async pending(@Query() query: unknown, @Res() reply: HttpReply): Promise<void> {
    const issuer = parseIssuerQuery(query);
    const queue = await this.reads.queue(await this.tenantOf(issuer));
    void reply.status(200).header('cache-control', 'public, max-age=5').send({ issuer, ...queue });
  }

  private async tenantOf(did: string): Promise<string> {
    const tenantId = await this.reads.tenantIdByDid(did);
    if (!tenantId) throw new AppError(ErrorCode.AnchorIssuerNotFound, 'No issuer of this service has this DID.');
    return tenantId;
  }
}
