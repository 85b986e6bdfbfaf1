import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { HttpReply } from '@citycred/http';
import type { LocalisedText } from '../policies/index.js';

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

/**
 * The response endpoint's 200 answer to a response it processed but the verifier refused (OpenID4VP 1.0 §8.2: a
 * processed response is answered 200 with a JSON object, which may carry parameters of its own that other wallets
 * ignore): `error: access_denied`, `error_description` in English and `error_description#ko` in Korean (language-tagged
 * as human-readable values are in RFC 7591 §2.2), for the wallet to tell the citizen why.
 */
export function refusalAnswer(refusal: LocalisedText): { error: 'access_denied'; error_description: string; 'error_description#ko': string } {
  return { error: 'access_denied', error_description: refusal.en, 'error_description#ko': refusal.ko };
}
