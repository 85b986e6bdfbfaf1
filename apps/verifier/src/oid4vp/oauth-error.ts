import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { HttpReply } from '@citycred/http';

/** The OAuth 2.0 error codes the response endpoint answers with (RFC 6749 §5.2, OpenID4VP 1.0 §8.5). */
export type Oid4vpErrorCode = 'invalid_request';

/**
 * A refusal of a wallet's response, answered as OAuth errors are — `{error, error_description}` JSON with status 400
 * and `Cache-Control: no-store` — not as problem+json: the wallet is an OAuth client here.
 */
export class Oid4vpResponseError extends Error {
  /**
   * @param error - the OAuth error code
   * @param description - what was wrong, safe to show to the wallet (never a value it sent)
   */
  constructor(
    readonly error: Oid4vpErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'Oid4vpResponseError';
  }
}

/** Answers {@link Oid4vpResponseError}; any other error reaches the service's problem+json filter. */
@Catch(Oid4vpResponseError)
export class Oid4vpResponseErrorFilter implements ExceptionFilter {
  catch(error: Oid4vpResponseError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<HttpReply>();
    void reply
      .status(400)
      .header('cache-control', 'no-store')
      .header('content-type', 'application/json; charset=utf-8')
      .send({ error: error.error, error_description: error.description });
  }
}
