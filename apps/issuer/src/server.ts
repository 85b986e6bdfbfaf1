import type { Clock } from '@citycred/config';
import { httpOptionsFrom, serveRuntime, type CrossOriginPaths, type RunningService } from '@citycred/http';
import type { IssuerConfig } from './config.js';
import { IssuerModule } from './issuer.module.js';
import { buildIssuerRuntime, type IssuerRuntime } from './runtime.js';

/**
 * What the citizen wallet (a PWA on its own origin) reads from the issuer: the OpenID4VCI metadata, an offer by
 * reference, the token, nonce and credential endpoints, anchor proofs, status lists, the issuer directory and the
 * worker's labour contract endpoints (review, signature, attendance). No cookie
 * is honoured on any of them (the credential endpoint takes the Bearer token the wallet just received), so any origin
 * may read them; the tenants' API and the console stay same-origin.
 */
export const ISSUER_WALLET_PATHS: CrossOriginPaths = Object.freeze({
  paths: [
    /^\/\.well-known\/(openid-credential-issuer|oauth-authorization-server)\/oid4vci\/[^/]+$/,
    /^\/oid4vci\/offers\/(?!bulk$)[^/]+$/,
    /^\/oid4vci\/(?!offers$)[^/]+\/(token|nonce|credential)$/,
    /^\/anchors\/proofs\/[^/]+$/,
    /^\/status-lists\/[^/]+$/,
    /^\/issuers$/,
    // The worker's labour contract review, signature and attendance (docs/labor.md): the contract link's token `t`
    // in the query is the only credential, so the wallet's origin may call them as any other.
    /^\/labor\/contracts\/[^/]+(\/(worker-signature|attendance))?$/,
  ],
});

/** A running issuer service. */
export type IssuerServer = RunningService<IssuerRuntime>;

/**
 * Assembles and starts the issuer service.
 * @param config - parsed configuration
 * @param clock - the clock every module uses
 * @param port - overrides `ISSUER_PORT` (tests pass 0)
 */
export async function startIssuer(config: IssuerConfig, clock: Clock, port = config.ISSUER_PORT): Promise<IssuerServer> {
  const runtime = await buildIssuerRuntime(config, clock);
  return serveRuntime(runtime, (r) => IssuerModule.forRuntime(r), {
    port,
    host: config.HOST,
    logLevel: config.LOG_LEVEL,
    http: { ...httpOptionsFrom(config, clock), crossOrigin: ISSUER_WALLET_PATHS },
  });
}
