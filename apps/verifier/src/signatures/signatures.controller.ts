import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { DOCUMENT_HASH, isDocumentFileName, isDocumentMediaType } from '@citycred/formats';
import { RateLimited, refuseQueryParameters, type HttpReply } from '@citycred/http';
import { z } from 'zod';
import { Oid4vpService } from '../oid4vp/oid4vp.service.js';
import { receiveWalletResponse, RequestObjectRoute, sendRequestObject, WalletResponseRoute } from '../oid4vp/wallet-routes.js';
import { SignatureReceipts } from './signature-receipts.js';
import { Signatures } from './signatures.service.js';

/** Token of the function that gives the verifier's public URL (no trailing slash). */
export const SIGNATURES_PUBLIC_URL = Symbol.for('citycred.verifier.signatures.public-url');
/** Token of the signatures' own OpenID4VP service. */
export const SIGNATURES_OID4VP = Symbol.for('citycred.verifier.signatures.oid4vp');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A compact JWS, at most 64 KB. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** The largest document `POST /signatures/verify` hashes itself (base64); larger ones are hashed by the caller. */
const MAX_DOCUMENT_BASE64 = 1_400_000;

const createSchema = z
  .object({
    documentHash: z.string().regex(DOCUMENT_HASH),
    fileName: z.string().refine(isDocumentFileName),
    mediaType: z.string().refine(isDocumentMediaType),
    withName: z.boolean().optional(),
  })
  .strict();

const verifySchema = z.union([
  z.object({ documentHash: z.string().regex(DOCUMENT_HASH), receipt: z.string().max(65_536).regex(COMPACT_JWS) }).strict(),
  z.object({ document: z.string().max(MAX_DOCUMENT_BASE64).regex(/^[A-Za-z0-9+/]*={0,2}$/), receipt: z.string().max(65_536).regex(COMPACT_JWS) }).strict(),
]);

/**
 * Electronic signatures with the citizen card (docs/e-signature.md): signing requests for the public `/sign` page, the
 * wallet's side of their OpenID4VP requests, the receipts' key, and the public check of a document and receipt.
 */
@Controller('signatures')
export class SignaturesController {
  constructor(
    @Inject(Signatures) private readonly signatures: Signatures,
    @Inject(SignatureReceipts) private readonly receipts: SignatureReceipts,
    @Inject(SIGNATURES_OID4VP) private readonly oid4vp: Oid4vpService,
    @Inject(SIGNATURES_PUBLIC_URL) private readonly publicUrl: () => string,
  ) {}

  /**
   * `POST /signatures/requests` `{documentHash, fileName, mediaType, withName?}` → 201 `{requestId, requestLink,
   * walletLink, qrSvg, expiresAt}`; 400 `request.invalid` for a body that is not one.
   */
  @Post('requests')
  @HttpCode(201)
  @RateLimited()
  async create(@Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const parsed = createSchema.safeParse(body);
    if (!parsed.success) {
      throw new AppError(ErrorCode.RequestInvalid, 'The body must be {documentHash: "0x" + 64 lower-case hex digits (SHA-256), fileName: 1 to 255 characters without control characters, mediaType: "type/subtype", withName?: boolean}.');
    }
    const created = await this.signatures.create(parsed.data, this.publicUrl());
    void reply.status(201).header('cache-control', 'no-store').send(created);
  }

  /** `GET /signatures/requests/{id}` → `{requestId, state, document, expiresAt, receipt?, receiptHash?, errors?}`; 404 `signature.request-not-found`. */
  @Get('requests/:id')
  @RateLimited()
  async status(@Param('id') id: string, @Res() reply: HttpReply): Promise<void> {
    if (!UUID.test(id)) throw new AppError(ErrorCode.SignatureRequestNotFound, 'No signature request with this id.');
    void reply.status(200).header('cache-control', 'no-store').send(await this.signatures.status(id));
  }

  /**
   * `POST /signatures/verify` `{documentHash | document (base64), receipt}` → 200 `{valid, checks, receipt?}`, never an
   * error for a bad pair (its checks say what failed); 400 `request.invalid` for a body that is not one.
   */
  @Post('verify')
  @HttpCode(200)
  @RateLimited()
  async verify(@Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const parsed = verifySchema.safeParse(body);
    if (!parsed.success) {
      throw new AppError(ErrorCode.RequestInvalid, 'The body must be {documentHash: "0x" + 64 lower-case hex digits, receipt: <compact JWS>} or {document: <the file in base64, at most 1 MB>, receipt}.');
    }
    const { receipt } = parsed.data;
    const document = 'documentHash' in parsed.data ? { documentHash: parsed.data.documentHash } : { document: Buffer.from(parsed.data.document, 'base64') };
    void reply.status(200).header('cache-control', 'no-store').send(await this.signatures.verify(document, receipt));
  }

  /** `GET /signatures/jwks` → `{keys: [jwk]}`: the key receipts are signed with (the verifier's did:jwk key). */
  @Get('jwks')
  @RateLimited()
  jwks(@Query() query: unknown, @Res() reply: HttpReply): void {
    refuseQueryParameters(query, 'GET /signatures/jwks');
    void reply.status(200).header('content-type', 'application/jwk-set+json').header('cache-control', 'public, max-age=300').send(JSON.stringify(this.receipts.jwks));
  }

  /** `GET /signatures/presentation-requests/{handle}/request`: the signed request object, as `/presentation-requests/…`. */
  @RequestObjectRoute('presentation-requests/:handle/request')
  async requestObject(@Param('handle') handle: string, @Res() reply: HttpReply): Promise<void> {
    await sendRequestObject(reply, this.oid4vp, handle);
  }

  /** `POST /signatures/presentation-requests/{handle}/response` (form body): the wallet's answer, as `/presentation-requests/…`. */
  @WalletResponseRoute('presentation-requests/:handle/response')
  async response(@Param('handle') handle: string, @Headers('content-type') contentType: string | undefined, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    await receiveWalletResponse(reply, this.oid4vp, handle, contentType, body);
  }
}
