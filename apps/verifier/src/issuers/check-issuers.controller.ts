import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { RateLimited, refuseQueryParameters, type HttpReply } from '@citycred/http';
import { AccreditedIssuerNames, NAMES_REUSE_SECONDS } from './accredited-names.js';

/**
 * The names of the issuers the city accredits, for the public check page (docs/certificates.md, "Issuer names"):
 * one document the page reads once, whatever credential it checks, so nothing here learns which issuer is looked up.
 */
@Controller('check')
export class CheckIssuersController {
  constructor(@Inject(AccreditedIssuerNames) private readonly names: AccreditedIssuerNames) {}

  /**
   * `GET /check/issuers` → 200 `{didNetwork, readAt, block, directoryFetchedAt, issuers: [{did, address, kind, name:
   * {ko, en}}]}`, `Cache-Control: public, max-age=60`; 400 `request.invalid` for a query parameter (it takes none);
   * 503 `service.unavailable` when neither the issuer directory nor the chain could ever be read.
   */
  @Get('issuers')
  @RateLimited()
  async issuers(@Query() query: unknown, @Res() reply: HttpReply): Promise<void> {
    refuseQueryParameters(query, 'GET /check/issuers');
    const answer = await this.names.current();
    void reply.status(200).header('cache-control', `public, max-age=${NAMES_REUSE_SECONDS}`).send(answer);
  }
}
