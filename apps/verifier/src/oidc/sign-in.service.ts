import type { IncomingMessage, ServerResponse } from 'node:http';
import { walletPresentLink } from '@citycred/credentials/wallet-links';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import { SEOUL_CITIZEN_CARD, type LocalisedText, type PresentedCredential } from '../policies/index.js';
import type { Oid4vpService } from '../oid4vp/oid4vp.service.js';
import type { OidcClientConfig } from './oidc-clients.js';
import { createOidcProvider, OIDC_MOUNT, OIDC_TTL, SIGN_IN_PATH, type OidcProviderParts } from './oidc-provider.js';
import { refusalOf, REFUSALS } from './refusal.js';
import type { SignInRecord, SignInRecords } from './sign-in-records.js';
import { signInClaimsOf, signInPolicyId, signInScopesOf, type SignInScope } from './sign-in-scopes.js';

/** What the sign-in page shows. */
export interface SignInView {
  uid: string;
  client: Pick<OidcClientConfig, 'clientId' | 'name'>;
  scopes: SignInScope[];
  deepLink: string;
  /** The link that opens the request in the wallet on this device ({@link walletPresentLink}). */
  walletLink: string;
  qrSvg: string;
  expiresAt: string;
}

/** Where a sign-in stands, as the page polls it. */
export type SignInState = { state: 'pending' } | { state: 'verified' } | { state: 'refused'; reason: LocalisedText } | { state: 'expired'; reason: LocalisedText };

/** The interaction is unknown, over, or not this browser's (no or another interaction cookie). */
export class SignInNotFound extends Error {
  constructor() {
    super('This sign-in is over or unknown: go back to the site and sign in again.');
    this.name = 'SignInNotFound';
  }
}

/** What the sign-in service is made of. */
export interface SignInDependencies extends OidcProviderParts {
  /** The sign-in's OpenID4VP requests (its own instance, deciding with the sign-in policies). */
  oid4vp: Oid4vpService;
  /** The citizen wallet's URL (`WALLET_URL`), for the same-device link. */
  walletUrl: string | undefined;
}

/**
 * The verifier as an OpenID Provider for public facility sites (docs/oidc-provider.md): the oidc-provider instance,
 * built once the verifier's public URL is known, and the interaction its authorization endpoint hands over — an
 * OpenID4VP 1.0 request for the citizen card asking only what the site's scopes need, and, once the wallet's answer
 * verified, the account (a keyed hash of the card's personId) and the claims for the ID token.
 */
export class SignInService {
  private built: { issuer: string; provider: Provider; handler: ReturnType<Provider['callback']> } | undefined;
  private readonly clients: ReadonlyMap<string, OidcClientConfig>;

  constructor(private readonly deps: SignInDependencies) {
    this.clients = new Map(deps.clients.map((client) => [client.clientId, client]));
  }

  /**
   * The provider, its issuer `<publicUrl>/oidc`. Built at the first call; the issuer then stays (the verifier's public
   * URL does not change while it runs).
   */
  provider(publicUrl: string): Provider {
    if (this.built === undefined) {
      const issuer = `${publicUrl}${OIDC_MOUNT}`;
      const provider = createOidcProvider(issuer, this.deps);
      this.built = { issuer, provider, handler: provider.callback() };
    }
    return this.built.provider;
  }

  /** The provider's request handler (Node's `(req, res)`), made once. */
  handler(provider: Provider): ReturnType<Provider['callback']> {
    return this.built?.provider === provider ? this.built.handler : provider.callback();
  }

  /**
   * Called by the sign-in's OpenID4VP service for a presentation that verified and satisfied its sign-in policy: keeps
   * the account and claims on the sign-in's record (the personId only enters the account's keyed hash).
   */
  async onFulfilled(request: { id: string }, credentials: readonly PresentedCredential[]): Promise<void> {
    const record = await this.deps.records.ofRequest(request.id);
    if (record === undefined) throw new Error('a sign-in presentation request has no record (expired meanwhile)');
    const card = credentials.find((c) => c.type === SEOUL_CITIZEN_CARD && typeof c.claims['personId'] === 'string' && c.claims['personId'] !== '');
    if (card === undefined) throw new Error('a satisfied sign-in policy without a citizen card personId');
    const accountId = this.deps.subjects.accountOf(card.claims['personId'] as string);
    await this.deps.records.setResult(request.id, record, { accountId, claims: signInClaimsOf(record.scopes, card) }, OIDC_TTL.Interaction);
  }

  /**
   * The page of an interaction: its OpenID4VP request, made now when it has none yet or the last one expired.
   * @throws SignInNotFound
   */
  async view(req: IncomingMessage, res: ServerResponse, uid: string, publicUrl: string): Promise<SignInView> {
    const interaction = await this.interaction(req, res, uid, publicUrl);
    const client = this.clients.get(interaction.params.client_id);
    if (client === undefined) throw new SignInNotFound();
    const existing = await this.deps.records.ofInteraction(uid);
    let record = existing?.record;
    if (existing === undefined || (await this.deps.oid4vp.status(existing.requestId)).state === 'expired') {
      record = await this.newRequest(interaction, client, publicUrl);
    }
    return { uid, client: { clientId: client.clientId, name: client.name }, scopes: record!.scopes, deepLink: record!.deepLink, walletLink: walletPresentLink(this.deps.walletUrl, record!.deepLink), qrSvg: record!.qrSvg, expiresAt: record!.expiresAt };
  }

  /**
   * Where the interaction's sign-in stands.
   * @throws SignInNotFound
   */
  async state(req: IncomingMessage, res: ServerResponse, uid: string, publicUrl: string): Promise<SignInState> {
    await this.interaction(req, res, uid, publicUrl);
    const current = await this.deps.records.ofInteraction(uid);
    if (current === undefined) return { state: 'expired', reason: REFUSALS.expired };
    const status = await this.deps.oid4vp.status(current.requestId);
    if (status.state === 'pending') return { state: 'pending' };
    if (status.state === 'expired') return { state: 'expired', reason: REFUSALS.expired };
    if (status.state === 'fulfilled' && current.record.result) return { state: 'verified' };
    return { state: 'refused', reason: status.result ? refusalOf(status.result) : REFUSALS.notVerified };
  }

  /**
   * Ends the interaction: for a verified presentation, signs the account in and grants the site its scopes (the claims
   * kept for the grant's ID token); for a refused one, or when the citizen cancels, `access_denied` with the reason.
   * @returns where to send the browser: the authorization endpoint, which answers the site; or the page again, while
   *   the presentation is pending or expired
   * @throws SignInNotFound
   */
  async finish(req: IncomingMessage, res: ServerResponse, uid: string, publicUrl: string, cancel: boolean): Promise<string> {
    const interaction = await this.interaction(req, res, uid, publicUrl);
    const provider = this.provider(publicUrl);
    const current = await this.deps.records.ofInteraction(uid);
    if (cancel) {
      if (current) await this.deps.records.forget(uid, current.requestId);
      return provider.interactionResult(req, res, { error: 'access_denied', error_description: REFUSALS.cancelled.en }, { mergeWithLastSubmission: false });
    }
    if (current === undefined) return `${SIGN_IN_PATH}/${uid}`;
    const status = await this.deps.oid4vp.status(current.requestId);
    if (status.state === 'pending' || status.state === 'expired') return `${SIGN_IN_PATH}/${uid}`;
    await this.deps.records.forget(uid, current.requestId);
    const result = current.record.result;
    if (status.state !== 'fulfilled' || result === undefined) {
      const reason = status.result ? refusalOf(status.result) : REFUSALS.notVerified;
      return provider.interactionResult(req, res, { error: 'access_denied', error_description: reason.en }, { mergeWithLastSubmission: false });
    }
    const grant = new provider.Grant({ accountId: result.accountId, clientId: interaction.params.client_id });
    grant.addOIDCScope(['openid', ...current.record.scopes].join(' '));
    const grantId = await grant.save(OIDC_TTL.Grant);
    await this.deps.records.saveGrantClaims(grantId, result.accountId, result.claims, OIDC_TTL.Grant);
    return provider.interactionResult(
      req,
      res,
      { login: { accountId: result.accountId, amr: ['vc'], remember: false }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  private async interaction(req: IncomingMessage, res: ServerResponse, uid: string, publicUrl: string): Promise<Interaction> {
    let interaction: Interaction;
    try {
      interaction = await this.provider(publicUrl).interactionDetails(req, res);
    } catch {
      throw new SignInNotFound();
    }
    if (interaction.uid !== uid) throw new SignInNotFound();
    return interaction;
  }

  private async newRequest(interaction: Interaction, client: OidcClientConfig, publicUrl: string): Promise<SignInRecord> {
    const scopes = signInScopesOf(interaction.params.scope).filter((scope) => client.scopes.includes(scope));
    const created = await this.deps.oid4vp.create({ policy: signInPolicyId(scopes), purpose: `${client.name.ko} 로그인 · Sign in to ${client.name.en}` }, `${publicUrl}${SIGN_IN_PATH}`);
    const record: SignInRecord = { uid: interaction.uid, clientId: client.clientId, scopes, deepLink: created.deepLink, qrSvg: created.qrSvg, expiresAt: created.expiresAt };
    const ttl = Math.max(1, interaction.exp - Math.floor(Date.now() / 1000));
    await this.deps.records.save(created.id, record, ttl);
    return record;
  }
}
