import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { RateLimited, refuseQueryParameters, type HttpReply } from '@citycred/http';
import { DID_ANSWER_MAX_AGE_SECONDS, DID_RESOLUTION_MEDIA_TYPE, PublicDidResolver } from './public-did-resolver.js';

/**
 * Public DID resolution for citizen wallets (docs/http-api.md): a wallet checks an issuer's signature on what it
 * receives with the keys the city chain holds for the issuer's did:ethr, which a browser cannot read itself. The
 * request names the issuer's DID and nothing else.
 */
@Controller('check')
export class CheckDidsController {
  constructor(@Inject(PublicDidResolver) private readonly dids: PublicDidResolver) {}

  /**
   * `GET /check/dids/{did}` → 200 a DID resolution result (`application/did-resolution`, `Cache-Control: public,
   * max-age=60`); 400 `did.malformed`, 501 `did.method-not-supported`, 404 `did.foreign-network`, 503
   * `did.resolution-unavailable`; 400 `request.invalid` for a query parameter (it takes none, `versionId` neither).
   */
  // A wildcard, not `:did`: the router's parameters stop at 100 characters, and a did:jwk is longer.
  @Get('dids/*')
  @RateLimited()
  async did(@Param('*') did: string, @Query() query: unknown, @Res() reply: HttpReply): Promise<void> {
    refuseQueryParameters(query, 'GET /check/dids/{did}');
    const answer = await this.dids.resolve(did);
    void reply
      .status(200)
      .header('content-type', `${DID_RESOLUTION_MEDIA_TYPE}; charset=utf-8`)
      .header('cache-control', `public, max-age=${DID_ANSWER_MAX_AGE_SECONDS}`)
      .send(JSON.stringify(answer));
  }
}
