// oidc-provider ships no typings (and @types/oidc-provider is not installed); the sign-in context needs only this much.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** What an adapter stores for one model instance (a JSON object). */
  export type AdapterPayload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string; consumed?: number };

  /** Storage of one model (`Session`, `AuthorizationCode`, `Grant`, `Interaction`…). */
  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  /** A registered client as the provider sees it. */
  export interface Client {
    readonly clientId: string;
    readonly sectorIdentifier?: string;
    readonly redirectUris: string[];
  }

  /** The account `findAccount` answers. */
  export interface Account {
    accountId: string;
    claims(use: string, scope: string, claims: Record<string, unknown>, rejected: string[]): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  /** A token or code the provider found (`findAccount`'s third argument at the token endpoint). */
  export interface FoundToken {
    readonly kind: string;
    readonly grantId?: string;
    readonly accountId?: string;
  }

  /** The Koa context with the provider's state (only what is read here). */
  export interface KoaContextWithOIDC {
    oidc: { route: string; client?: Client };
    set(name: string, value: string): void;
    type: string;
    body: unknown;
    status: number;
  }

  /** A pending interaction (login, consent) of an authorization request. */
  export interface Interaction {
    readonly uid: string;
    readonly exp: number;
    readonly prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    readonly params: Record<string, unknown> & { client_id: string; scope?: string; redirect_uri?: string };
    readonly session?: { accountId: string };
    readonly grantId?: string;
    readonly returnTo: string;
  }

  /** A grant (consent) of scopes to a client for an account. */
  export class Grant {
    constructor(properties: { accountId: string; clientId: string });
    readonly jti: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(ttl?: number): Promise<string>;
  }

  /** What the interaction hands back to the authorization endpoint. */
  export type InteractionResults =
    | { login: { accountId: string; amr?: string[]; acr?: string; remember?: boolean; ts?: number }; consent: { grantId: string } }
    | { error: string; error_description?: string };

  export type Configuration = Record<string, unknown>;

  export class Provider {
    constructor(issuer: string, configuration: Configuration);
    readonly issuer: string;
    proxy: boolean;
    readonly Grant: typeof Grant;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: InteractionResults, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    on(event: string, listener: (...args: any[]) => void): this;
  }

  export const errors: {
    InvalidGrant: new (description?: string) => Error;
    SessionNotFound: new (description?: string) => Error;
  };

  export default Provider;
}
