export { createHttpApp, listen, logLevelsFrom } from './bootstrap.js';
export type { HttpAppOptions } from './bootstrap.js';
export { HEALTH_PROBES, HealthController, unavailableDependencies } from './health.js';
export type { HealthProbe } from './health.js';
export { PROBLEM_JSON, ProblemJsonFilter, problemFromError, sendProblem } from './problem-filter.js';
export { closeOnSignals, serveRuntime } from './serve.js';
export type { Closable, RunningService } from './serve.js';
export { buildOpenApiDocument, HEALTH_OPERATION, OPENAPI_DOCUMENT, OpenApiController, renderOpenApiHtml } from './openapi.js';
export type { ApiOperation, ApiResponse } from './openapi.js';
