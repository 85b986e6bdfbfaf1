import { AppError, ErrorCode } from '@citycred/errors';

/**
 * Refuses a request to a route that takes no query parameter but was given some: a misspelt or invented parameter is
 * answered, not silently ignored (a client filtering a directory by `?slug=` would otherwise think it filtered).
 * @param query - the parsed query (`@Query()`)
 * @param route - how the message names the route (`GET /issuers`)
 * @throws AppError `request.invalid` (400) naming each parameter by JSON pointer in `errors`
 */
export function refuseQueryParameters(query: unknown, route: string): void {
  const names = query && typeof query === 'object' ? Object.keys(query) : [];
  if (names.length === 0) return;
  throw new AppError(ErrorCode.RequestInvalid, `${route} takes no query parameter.`, {
    extensions: { errors: names.map((name) => ({ pointer: `/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`, message: 'is not a parameter of this request' })) },
  });
}
