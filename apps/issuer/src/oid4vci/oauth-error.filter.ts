import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { HttpReply } from '@citycred/http';
import { Oauth2ServerErrorResponseError } from '@openid4vc/oauth2';

/**
 * Answers the OAuth errors of the token, nonce and credential endpoints as the protocols require — RFC 6749 §5.2
 * `{error, error_description}` JSON, not problem+json — with `Cache-Control: no-store`, and a `WWW-Authenticate`
 * challenge (RFC 6750 §3) for a refused access token. Any other error reaches the service's problem+json filter.
 */
@Catch(Oauth2ServerErrorResponseError)
export class OauthErrorFilter implements ExceptionFilter {
  catch(error: Oauth2ServerErrorResponseError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<HttpReply>();
    const { error: code, error_description: description } = error.errorResponse;
    if (error.status === 401) {
      // RFC 6750 §3: error_description holds only %x20-21 / %x23-5B / %x5D-7E (the JSON body keeps the full text).
      reply.header('www-authenticate', `Bearer error="${code}"${description ? `, error_description="${description.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '')}"` : ''}`);
    }
    void reply
      .status(error.status)
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .header('content-type', 'application/json; charset=utf-8')
      .send({ error: code, ...(description ? { error_description: description } : {}) });
  }
}
