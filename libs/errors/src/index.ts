export { AppError, ErrorCode, ERROR_HTTP, PROBLEM_TYPE_BASE, problemFor, toProblem } from './app-error.js';
export type { ProblemDocument } from './app-error.js';
