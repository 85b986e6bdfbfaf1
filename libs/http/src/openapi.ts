import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ERROR_HTTP, ErrorCode, PROBLEM_TYPE_BASE } from '@citycred/errors';
import { z } from 'zod';
import type { HttpReply } from './problem-filter.js';

/** One response of an operation. */
export interface ApiResponse {
  description: string;
  /** zod schema of the body (converted to JSON Schema); omitted for bodies described in words only. */
  schema?: z.ZodType;
  /** Error codes answered with this status, as problem+json. */
  problems?: ErrorCode[];
  contentType?: string;
}

/** One HTTP operation of a service, described from the same zod schemas the controllers parse with. */
export interface ApiOperation {
  method: 'get' | 'post';
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** Requires `Authorization: Bearer <tenant API key>`. */
  apiKey?: boolean;
  parameters?: Array<{ name: string; in: 'path' | 'query'; description: string; schema: z.ZodType }>;
  requestBody?: z.ZodType;
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

/**
 * Builds an OpenAPI 3.1 document. Request bodies and responses are generated from the zod schemas the code
 * itself uses, so the document cannot drift from what the service accepts.
 */
export function buildOpenApiDocument(info: { title: string; version: string; description: string }, operations: readonly ApiOperation[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(op.responses)) {
      const problems = response.problems ?? [];
      const description = problems.length > 0 ? `${response.description} (${problems.join(', ')})` : response.description;
      const schema = response.schema ? jsonSchema(response.schema, 'output') : problems.length > 0 ? { $ref: '#/components/schemas/Problem' } : undefined;
      const contentType = response.contentType ?? (problems.length > 0 && !response.schema ? 'application/problem+json' : 'application/json');
      responses[status] = { description, ...(schema ? { content: { [contentType]: { schema } } } : {}) };
    }
    paths[op.path] = {
      ...paths[op.path],
      [op.method]: {
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        tags: [op.tag],
        ...(op.apiKey ? { security: [{ tenantApiKey: [] }] } : {}),
        ...(op.parameters
          ? { parameters: op.parameters.map((p) => ({ name: p.name, in: p.in, required: p.in === 'path', description: p.description, schema: jsonSchema(p.schema, 'input') })) }
          : {}),
        ...(op.requestBody ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.requestBody, 'input') } } } } : {}),
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
      securitySchemes: { tenantApiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key (ccd_…)' } },
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
