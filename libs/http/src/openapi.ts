import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ERROR_HTTP, ErrorCode, PROBLEM_TYPE_BASE } from '@citycred/errors';
import { z } from 'zod';
import { PROMETHEUS_TEXT } from './metrics.js';
import type { HttpReply } from './problem-filter.js';

/** One response of an operation. */
export interface ApiResponse {
  description: string;
  /** zod schema of the body (converted to JSON Schema); omitted for bodies described in words only. */
  schema?: z.ZodType;
  /**
   * Error codes answered with this status, as problem+json. With a `schema` and no `contentType`, the status is
   * answered either way: the schema's body as JSON, or a problem.
   */
  problems?: ErrorCode[];
  /** Media type of the body, or the media types it may come in (each with the same schema, if any). */
  contentType?: string | readonly string[];
  /** Response headers worth knowing (ETag, Retry-After…), by name: what each says. */
  headers?: Readonly<Record<string, string>>;
}

/** One HTTP operation of a service, described from the same zod schemas the controllers parse with. */
export interface ApiOperation {
  method: 'get' | 'post' | 'put';
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** Requires `Authorization: Bearer <tenant API key>`. */
  apiKey?: boolean;
  /** Requires another credential: the name of one of the document's `bearerSchemes` (see {@link buildOpenApiDocument}). */
  bearer?: string;
  parameters?: Array<{ name: string; in: 'path' | 'query'; description: string; schema: z.ZodType }>;
  requestBody?: z.ZodType;
  /** Media type of the request body (default `application/json`), e.g. `application/x-www-form-urlencoded`. */
  requestContentType?: string;
  responses: Record<number, ApiResponse>;
}

/** Injection token of the service's OpenAPI document. */
export const OPENAPI_DOCUMENT = Symbol.for('citycred.openapi');

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details; `code` is stable, `type` ends with it',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', enum: Object.values(ErrorCode) },
    detail: { type: 'string' },
  },
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const PROBLEM_MEDIA_TYPE = 'application/problem+json';
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

function responseContent(response: ApiResponse): Record<string, unknown> | undefined {
  const problems = response.problems ?? [];
  const mediaTypes = response.contentType === undefined ? [] : typeof response.contentType === 'string' ? [response.contentType] : [...response.contentType];
  if (response.schema) {
    const schema = jsonSchema(response.schema, 'output');
    const content: Record<string, unknown> = Object.fromEntries((mediaTypes.length > 0 ? mediaTypes : ['application/json']).map((type) => [type, { schema }]));
    if (problems.length > 0 && mediaTypes.length === 0) content[PROBLEM_MEDIA_TYPE] = { schema: PROBLEM_REF };
    return content;
  }
  if (problems.length > 0) return Object.fromEntries((mediaTypes.length > 0 ? mediaTypes : [PROBLEM_MEDIA_TYPE]).map((type) => [type, { schema: PROBLEM_REF }]));
  // A body that no JSON Schema describes (a PDF, a JWT, Prometheus text): its media type alone.
  return mediaTypes.length > 0 ? Object.fromEntries(mediaTypes.map((type) => [type, {}])) : undefined;
}

/**
 * Builds an OpenAPI 3.1 document. Request bodies and responses are generated from the zod schemas the code
 * itself uses, so the document cannot drift from what the service accepts.
 * @param options - `bearerSchemes`: bearer credentials other than the tenant API key (e.g. a metrics token), by the
 *   name operations give as `bearer`, with what the token is
 * @throws TypeError when an operation names a bearer scheme the options do not define (a programming fault)
 */
export function buildOpenApiDocument(
  info: { title: string; version: string; description: string },
  operations: readonly ApiOperation[],
  options: { bearerSchemes?: Readonly<Record<string, string>> } = {},
): Record<string, unknown> {
  const bearerSchemes = options.bearerSchemes ?? {};
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    if (op.bearer !== undefined && !Object.hasOwn(bearerSchemes, op.bearer)) throw new TypeError(`${op.method.toUpperCase()} ${op.path} names an undefined bearer scheme ${op.bearer}`);
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(op.responses)) {
      const problems = response.problems ?? [];
      const description = problems.length > 0 ? `${response.description} (${problems.join(', ')})` : response.description;
      const content = responseContent(response);
      const headers = response.headers
        ? Object.fromEntries(Object.entries(response.headers).map(([name, about]) => [name, { description: about, schema: { type: 'string' } }]))
        : undefined;
      responses[status] = { description, ...(headers ? { headers } : {}), ...(content ? { content } : {}) };
    }
    const security = [...(op.apiKey ? [{ tenantApiKey: [] }] : []), ...(op.bearer !== undefined ? [{ [op.bearer]: [] }] : [])];
    paths[op.path] = {
      ...paths[op.path],
      [op.method]: {
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        tags: [op.tag],
        ...(security.length > 0 ? { security } : {}),
        ...(op.parameters
          ? { parameters: op.parameters.map((p) => ({ name: p.name, in: p.in, required: p.in === 'path', description: p.description, schema: jsonSchema(p.schema, 'input') })) }
          : {}),
        ...(op.requestBody
          ? { requestBody: { required: true, content: { [op.requestContentType ?? 'application/json']: { schema: jsonSchema(op.requestBody, 'input') } } } }
          : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { Problem: problemSchema },
      securitySchemes: {
        tenantApiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key (ccd_…)' },
        ...Object.fromEntries(Object.entries(bearerSchemes).map(([name, description]) => [name, { type: 'http', scheme: 'bearer', description }])),
      },
    },
    'x-problem-types': Object.fromEntries(Object.entries(ERROR_HTTP).map(([code, { status, title }]) => [`${PROBLEM_TYPE_BASE}${code}`, { status, title }])),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A self-contained HTML rendering of the document (no scripts, no external assets). */
export function renderOpenApiHtml(document: Record<string, unknown>): string {
  const info = document['info'] as { title: string; version: string; description: string };
  const paths = document['paths'] as Record<string, Record<string, { summary: string; description?: string; requestBody?: unknown; responses: Record<string, { description: string }> }>>;
  const sections = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const responses = Object.entries(op.responses)
        .map(([status, r]) => `<li><code>${status}</code> ${escapeHtml(r.description)}</li>`)
        .join('');
      const body = op.requestBody ? `<details><summary>Request body schema</summary><pre>${escapeHtml(JSON.stringify(op.requestBody, null, 2))}</pre></details>` : '';
      return `<section><h2><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h2><p>${escapeHtml(op.summary)}</p>${op.description ? `<p>${escapeHtml(op.description)}</p>` : ''}${body}<ul>${responses}</ul></section>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}section{border-top:1px solid #ddd;padding:.5rem 0}pre{background:#f5f7fa;padding:.75rem;overflow:auto}</style></head>
<body><h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1><p>${escapeHtml(info.description)}</p><p>Machine-readable: <a href="/docs/json">/docs/json</a> (OpenAPI 3.1)</p>${sections.join('')}</body></html>`;
}

/** `GET /docs` (HTML) and `GET /docs/json` (OpenAPI 3.1) of a service. */
@Controller('docs')
export class OpenApiController {
  private readonly html: string;

  constructor(@Inject(OPENAPI_DOCUMENT) private readonly document: Record<string, unknown>) {
    this.html = renderOpenApiHtml(document);
  }

  @Get('json')
  @Header('cache-control', 'no-cache')
  json(): Record<string, unknown> {
    return this.document;
  }

  @Get()
  page(@Res() reply: HttpReply): void {
    void reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(this.html);
  }
}

/** `/health` as an operation, shared by every service's document. */
export const HEALTH_OPERATION: ApiOperation = {
  method: 'get',
  path: '/health',
  summary: 'Whether the service and its dependencies (database, chain) answer',
  tag: 'operations',
  responses: {
    200: { description: 'Everything answers', schema: z.object({ status: z.literal('ok') }) },
    503: { description: 'A dependency does not answer; the detail names it', problems: [ErrorCode.ServiceUnavailable] },
  },
};

/**
 * `/metrics` as an operation (every service serves it the same way, {@link serveMetrics}); its document defines the
 * `metricsToken` bearer scheme ({@link METRICS_BEARER_SCHEME}).
 */
export const METRICS_OPERATION: ApiOperation = {
  method: 'get',
  path: '/metrics',
  summary: 'Metrics for the platform team’s Prometheus',
  description: 'Off unless METRICS_TOKEN is set (then 404, as if it did not exist); with it, only with `Authorization: Bearer <METRICS_TOKEN>`. Not for tenants.',
  tag: 'operations',
  bearer: 'metricsToken',
  responses: {
    200: { description: 'The Prometheus text exposition format 0.0.4; never cached', contentType: PROMETHEUS_TEXT },
    401: { description: 'No metrics token, or a wrong one', problems: [ErrorCode.AuthInvalidMetricsToken] },
    404: { description: 'METRICS_TOKEN is not set', problems: [ErrorCode.NotFound] },
  },
};

/** The bearer scheme {@link METRICS_OPERATION} names, for `buildOpenApiDocument`'s `bearerSchemes`. */
export const METRICS_BEARER_SCHEME = { metricsToken: 'The METRICS_TOKEN the operators configured' } as const;
