import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { RateLimited, refuseQueryParameters, type HttpReply } from '@citycred/http';
import { STATUS_LIST_SETTINGS, type StatusListSettings } from '../status-list/ports.js';
import { matchesIfNoneMatch } from '../status-list/status-list.controller.js';
import { IssuerDirectoryReader } from './issuer-directory.js';

/** The public issuer directory: who issues here, under which DID and names, and where their status lists are. */
@Controller('issuers')
export class IssuerDirectoryController {
  constructor(
    @Inject(IssuerDirectoryReader) private readonly directory: IssuerDirectoryReader,
    @Inject(STATUS_LIST_SETTINGS) private readonly settings: Pick<StatusListSettings, 'maxAgeSeconds'>,
  ) {}

  /**
   * `GET /issuers` → 200 `{version: 1, issuers: [{did, address, slug, kind, name: {ko, en}, credentialTypes,
   * statusLists: {bitstring: {revocation, suspension}, token}}]}` (docs/issuer-directory.md), public, with a strong
   * ETag and `Cache-Control: public, max-age=STATUS_LIST_MAX_AGE_SECONDS`; 304 for a matching `If-None-Match`; any
   * origin may read it. 400 `request.invalid` for a query parameter (it takes none).
   */
  @Get()
  @RateLimited()
  async list(@Query() query: unknown, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: HttpReply): Promise<void> {
    refuseQueryParameters(query, 'GET /issuers');
    const { json, etag } = await this.directory.current();
    reply.header('etag', etag).header('cache-control', `public, max-age=${this.settings.maxAgeSeconds}`).header('access-control-allow-origin', '*');
    if (matchesIfNoneMatch(ifNoneMatch, etag)) {
      void reply.status(304).send('');
      return;
    }
    void reply.status(200).header('content-type', 'application/json; charset=utf-8').send(json);
  }
}
