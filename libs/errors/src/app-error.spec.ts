import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode, ERROR_HTTP, problemFor, toProblem } from './app-error.js';

describe('AppError → problem+json', () => {
  it('keeps the code, status and detail of an AppError', () => {
    const problem = toProblem(new AppError(ErrorCode.CredentialSchemaInvalid, 'name is required', { extensions: { errors: [{ path: '/name' }] } }));
    expect(problem).toMatchObject({
      type: 'https://citycred.seoul.go.kr/problems/credential.schema-invalid',
      status: 422,
      code: 'credential.schema-invalid',
      detail: 'name is required',
      errors: [{ path: '/name' }],
    });
  });

  it('hides the message of an unexpected error', () => {
    const problem = toProblem(new Error('connection string postgres://secret@db'));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('secret');
  });

  it('maps every code to a 4xx or 5xx status and a title', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(ERROR_HTTP[code].status).toBeGreaterThanOrEqual(400);
      expect(ERROR_HTTP[code].title.length).toBeGreaterThan(0);
      expect(problemFor(code).type.endsWith(code)).toBe(true);
    }
  });

  it('does not let extensions overwrite the standard members', () => {
    expect(problemFor(ErrorCode.NotFound, 'x', { status: 200, type: 'evil' })).toMatchObject({ status: 404, code: 'request.not-found' });
  });
});
