import { ErrorCode } from '@citycred/errors';
import { FORM_MEDIA_TYPE, type ApiOperation } from '@citycred/http';
import { z } from 'zod';
import {
  createdPresentationRequestSchema,
  createPresentationRequestSchema,
  directPostResponseSchema,
  oauthErrorSchema,
  presentationRequestStatusSchema,
} from './presentation-request-schemas.js';

const idParameter = { name: 'id', in: 'path' as const, description: 'the presentation request id (a UUID), answered only to its creator', schema: z.string() };
const handleParameter = {
  name: 'handle',
  in: 'path' as const,
  description: 'the wallet handle in the request_uri and response_uri (256 random bits, base64url): it opens the wallet’s side only, never the state',
  schema: z.string(),
};
const NOT_FOUND = { description: 'No presentation request with this id', problems: [ErrorCode.Oid4vpRequestNotFound] };
const HANDLE_NOT_FOUND = { description: 'No presentation request with this wallet handle', problems: [ErrorCode.Oid4vpRequestNotFound] };
const RATE_LIMITED = { description: 'Rate limited; retry after Retry-After seconds', problems: [ErrorCode.RequestRateLimited] };
const UNAVAILABLE = { description: 'The database is not answering: retry after Retry-After seconds', problems: [ErrorCode.ServiceUnavailable] };

/** The OpenID4VP 1.0 operations of the verifier, for its OpenAPI document (docs/oid4vp.md). */
export const OID4VP_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/presentation-requests',
    summary: 'Make an OpenID4VP presentation request for a credential policy',
    description:
      'The request asks a wallet, by DCQL, for exactly the claims the policy reads. Show `deepLink` (or `qrSvg`) to the holder; follow the request with GET /presentation-requests/{id} or its event stream. The `id` is in neither the QR code nor the deep link (they carry a separate wallet handle): whoever photographs the QR code cannot read the outcome. `responseMode` direct_post.jwt makes the wallet encrypt its answer to a key made for this request. It lives CHALLENGE_TTL_SECONDS: its nonce is a single-use challenge.',
    tag: 'oid4vp',
    requestBody: createPresentationRequestSchema,
    responses: {
      201: { description: 'Made', schema: createdPresentationRequestSchema, headers: { 'Cache-Control': 'no-store' } },
      400: { description: 'Not a credential policy, or another body', problems: [ErrorCode.VerificationUnknownPolicy, ErrorCode.RequestInvalid, ErrorCode.RequestMalformedJson, ErrorCode.RequestPersonalData] },
      415: { description: 'Not UTF-8 JSON sent as is', problems: [ErrorCode.RequestUnsupportedMediaType] },
      429: RATE_LIMITED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'get',
    path: '/presentation-requests/{id}',
    summary: 'The state of a presentation request, and its outcome once answered',
    description: 'pending, then fulfilled (every presentation verified and the policy satisfied), failed or expired. The outcome carries the decision and each check, never the claims disclosed but those the policy shows (work-history: each work experience’s employer name, role, period, total hours and attendance root, in `result.shown`).',
    tag: 'oid4vp',
    parameters: [idParameter],
    responses: {
      200: { description: 'The state', schema: presentationRequestStatusSchema, headers: { 'Cache-Control': 'no-store' } },
      404: NOT_FOUND,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'get',
    path: '/presentation-requests/{id}/events',
    summary: 'The state of a presentation request as server-sent events',
    description:
      'A `state` event with the state now (the body of GET /presentation-requests/{id}), then one per change; the stream ends after fulfilled, failed or expired, after ten minutes, or when the process shuts down (reconnect: any verifier process on the same database serves it).',
    tag: 'oid4vp',
    parameters: [idParameter],
    responses: {
      200: { description: 'The event stream', contentType: 'text/event-stream' },
      404: NOT_FOUND,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'get',
    path: '/presentation-requests/{handle}/request',
    summary: 'The signed request object (the request_uri a wallet fetches)',
    description:
      'A JWT (RFC 9101) with `typ: oauth-authz-req+jwt`, signed ES256 by the key of the `client_id` (`decentralized_identifier:did:jwk:…`, header `kid` = `<did>#0`), `aud` https://self-issued.me/v2: `response_type` vp_token, `response_mode` direct_post or direct_post.jwt, `response_uri`, `nonce`, `state`, `dcql_query`, `client_metadata.vp_formats_supported`; for direct_post.jwt also `client_metadata.jwks` (the request’s own P-256 key: `kid`, `use` enc, `alg` ECDH-ES) and `client_metadata.encrypted_response_enc_values_supported` (A128GCM, A256GCM).',
    tag: 'oid4vp',
    parameters: [handleParameter],
    responses: {
      200: { description: 'The request object', contentType: 'application/oauth-authz-req+jwt', headers: { 'Cache-Control': 'no-store' } },
      404: HANDLE_NOT_FOUND,
      410: { description: 'The request was answered or has expired', problems: [ErrorCode.Oid4vpRequestClosed] },
      429: RATE_LIMITED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'post',
    path: '/presentation-requests/{handle}/response',
    summary: 'The response_uri: a wallet posts its answer (direct_post or direct_post.jwt)',
    description:
      'A form body. direct_post: `vp_token` (JSON: credential query id → array of presentations, each bound by key binding to the request’s nonce with `aud` = client_id) and `state`; or `error` (the holder declined). direct_post.jwt: `response`, a compact JWE (alg ECDH-ES to the request object’s key, its `kid` in the header; enc A128GCM or A256GCM) whose payload is the JSON object `{vp_token, state}`; a plain `error` and `state` is taken too. 200 `{}` once the request is settled, fulfilled or failed; a second answer is refused.',
    tag: 'oid4vp',
    parameters: [handleParameter],
    requestBody: directPostResponseSchema,
    requestContentType: FORM_MEDIA_TYPE,
    responses: {
      200: { description: 'Taken', schema: z.object({}), headers: { 'Cache-Control': 'no-store' } },
      400: {
        description:
          'invalid_request: not a form body, not the response mode the request asked for (a plain vp_token where direct_post.jwt was asked, or the other way round), a response that is not a JWE or does not decrypt with the request’s key, alg or enc, a decrypted payload that is not a JSON object, a malformed vp_token, another state, no presentation bound to this request’s nonce, already answered or expired (OAuth error JSON, not problem+json)',
        schema: oauthErrorSchema,
        problems: [ErrorCode.RequestInvalidEncoding, ErrorCode.RequestPersonalData],
      },
      404: HANDLE_NOT_FOUND,
      415: { description: 'Neither a form body nor JSON', problems: [ErrorCode.RequestUnsupportedMediaType] },
      429: RATE_LIMITED,
      503: UNAVAILABLE,
    },
  },
];
