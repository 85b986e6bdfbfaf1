import type { HolderKey } from '../holder-key.js';
import type { WalletTransport } from '../oid4vci/http.js';
import { Oid4vpError, Oid4vpErrorCode } from './errors.js';
import { matchDcqlQuery, type DcqlMatch, type HeldCredential } from './dcql.js';
import { fetchPresentationRequest, parsePresentationRequestLink, type PresentationRequest } from './request.js';
import { buildVpToken, postResponse, type PresentationChoice, type VerifierAnswer } from './response.js';

/**
 * The wallet's side of OpenID4VP 1.0 (Final), as the city's verifier speaks it (docs/wallet-protocols.md): read the
 * scanned request link, fetch the signed request object and check it against the verifier's
 * `decentralized_identifier:` key, match its DCQL query against the held credentials for the consent screen, and post
 * the presentations the citizen chose (`direct_post`, or encrypted for `direct_post.jwt`) — or the refusal. Runs in a
 * browser: `fetch`, WebCrypto and the injected clock only.
 */
export class Oid4vpClient {
  constructor(private readonly transport: WalletTransport) {}

  /**
   * Reads a scanned link and fetches and checks the request it names.
   * @throws Oid4vpError — see {@link parsePresentationRequestLink} and {@link fetchPresentationRequest}
   */
  async open(text: string): Promise<PresentationRequest> {
    return fetchPresentationRequest(parsePresentationRequestLink(text, this.transport.allowInsecureHttp), this.transport);
  }

  /** Which held credentials answer the request, and what each would disclose ({@link matchDcqlQuery}). */
  match(request: PresentationRequest, held: readonly HeldCredential[]): DcqlMatch {
    return matchDcqlQuery(request.query, held);
  }

  /**
   * Presents the citizen's choice: builds the `vp_token` (each presentation bound to the request's nonce and
   * `client_id`, at the clock's now) and posts it.
   * @throws Oid4vpError `oid4vp.request-expired` (the request's `exp` passed before the answer), see {@link buildVpToken} and {@link postResponse}
   */
  async present(request: PresentationRequest, match: DcqlMatch, choice: PresentationChoice, holder: HolderKey): Promise<VerifierAnswer> {
    const now = this.transport.clock.now();
    if (now.getTime() > request.expiresAt.getTime()) throw new Oid4vpError(Oid4vpErrorCode.RequestExpired, 'the request expired before the answer');
    const vpToken = await buildVpToken(request, match, choice, holder, now);
    return postResponse(request, { vp_token: vpToken }, this.transport);
  }

  /**
   * Tells the verifier the citizen declined (`error=access_denied`), so its page shows it at once instead of waiting
   * for the request to expire.
   */
  async decline(request: PresentationRequest): Promise<VerifierAnswer> {
    return postResponse(request, { error: 'access_denied', error_description: 'The holder declined.' }, this.transport);
  }
}
