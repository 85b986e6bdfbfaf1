import { AppError, ErrorCode } from '@citycred/errors';
import { describe, expect, it } from 'vitest';
import { refuseQueryParameters } from './no-query.js';

describe('refuseQueryParameters', () => {
  it('lets a request without query parameters through', () => {
    expect(() => refuseQueryParameters({}, 'GET /issuers')).not.toThrow();
    expect(() => refuseQueryParameters(undefined, 'GET /issuers')).not.toThrow();
  });

  it('refuses each parameter by JSON pointer', () => {
    let error: unknown;
    try {
      refuseQueryParameters({ slug: 'x', 'a/b': '1' }, 'GET /issuers');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.RequestInvalid);
    expect((error as AppError).message).toBe('GET /issuers takes no query parameter.');
    expect((error as AppError).extensions).toEqual({ errors: [{ pointer: '/slug', message: 'is not a parameter of this request' }, { pointer: '/a~1b', message: 'is not a parameter of this request' }] });
  });
});
