import { ErrorCode } from '@citycred/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildOpenApiDocument, type ApiOperation } from './openapi.js';

const info = { title: 't', version: '1', description: 'd' };
const operationOf = (document: Record<string, unknown>, path: string, method: string) => (document['paths'] as Record<string, Record<string, any>>)[path]![method];

describe('buildOpenApiDocument', () => {
  it('describes form bodies, several or schemaless media types, headers and other bearer schemes', () => {
    const operations: ApiOperation[] = [
      {
        method: 'post',
        path: '/token',
        summary: 's',
        tag: 'x',
        bearer: 'accessToken',
        requestBody: z.object({ grant_type: z.string() }),
        requestContentType: 'application/x-www-form-urlencoded',
        responses: {
          200: { description: 'ok', contentType: ['application/vc+jwt', 'application/statuslist+jwt'], headers: { ETag: 'version' } },
          400: { description: 'bad', schema: z.object({ error: z.string() }), problems: [ErrorCode.RequestInvalidEncoding] },
        },
      },
      { method: 'put', path: '/schema', summary: 's', tag: 'x', apiKey: true, responses: { 204: { description: 'done' } } },
    ];
    const document = buildOpenApiDocument(info, operations, { bearerSchemes: { accessToken: 'an access token' } });
    const token = operationOf(document, '/token', 'post');
    expect(Object.keys(token.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    expect(token.security).toEqual([{ accessToken: [] }]);
    expect(token.responses['200'].content).toEqual({ 'application/vc+jwt': {}, 'application/statuslist+jwt': {} });
    expect(token.responses['200'].headers).toEqual({ ETag: { description: 'version', schema: { type: 'string' } } });
    expect(Object.keys(token.responses['400'].content)).toEqual(['application/json', 'application/problem+json']);
    expect(token.responses['400'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    expect(operationOf(document, '/schema', 'put').security).toEqual([{ tenantApiKey: [] }]);
    expect(operationOf(document, '/schema', 'put').responses['204'].content).toBeUndefined();
    expect((document['components'] as any).securitySchemes.accessToken).toEqual({ type: 'http', scheme: 'bearer', description: 'an access token' });
  });

  it('keeps a problem-shaped schema under the media type it names', () => {
    const document = buildOpenApiDocument(info, [
      { method: 'post', path: '/v', summary: 's', tag: 'x', responses: { 400: { description: 'no', schema: z.object({ a: z.string() }), contentType: 'application/problem+json', problems: [ErrorCode.RequestInvalid] } } },
    ]);
    expect(Object.keys(operationOf(document, '/v', 'post').responses['400'].content)).toEqual(['application/problem+json']);
    expect(operationOf(document, '/v', 'post').responses['400'].content['application/problem+json'].schema.properties).toHaveProperty('a');
  });

  it('refuses an operation naming a bearer scheme the document does not define', () => {
    expect(() => buildOpenApiDocument(info, [{ method: 'get', path: '/m', summary: 's', tag: 'x', bearer: 'nope', responses: {} }])).toThrow(TypeError);
  });
});
