import type { Clock } from '@citycred/config';
import type { DataSource } from 'typeorm';
import { OidcAdapter } from './oidc-adapter.js';
import type { SignInClaims, SignInScope } from './sign-in-scopes.js';

/** The OpenID4VP request an interaction showed, by its presentation request id. */
export interface SignInRecord {
  /** The interaction (oidc-provider's uid). */
  uid: string;
  clientId: string;
  scopes: SignInScope[];
  /** The presentation request's deep link and its expiry, to show it again when the page is reloaded. */
  deepLink: string;
  qrSvg: string;
  expiresAt: string;
  /** Set once the presentation verified: the account and the claims for the ID token. */
  result?: { accountId: string; claims: SignInClaims };
}

/**
 * The sign-in's own short-lived records, in the provider's table (models `SignIn`, `SignInOf`, `GrantClaims`): which
 * OpenID4VP request an interaction showed, what it yielded, and the claims a grant's ID token carries until its code
 * is exchanged. Each lives no longer than the interaction or the code: the citizen's name is held only between the
 * presentation and the code exchange, and never the personId.
 */
export class SignInRecords {
  private readonly byRequest: OidcAdapter;
  private readonly byInteraction: OidcAdapter;
  private readonly grantClaims: OidcAdapter;

  constructor(dataSource: DataSource, clock: Clock) {
    this.byRequest = new OidcAdapter('SignIn', dataSource, clock);
    this.byInteraction = new OidcAdapter('SignInOf', dataSource, clock);
    this.grantClaims = new OidcAdapter('GrantClaims', dataSource, clock);
  }

  /** Records the request an interaction shows, for `ttlSeconds`. */
  async save(requestId: string, record: SignInRecord, ttlSeconds: number): Promise<void> {
    await this.byRequest.upsert(requestId, { ...record }, ttlSeconds);
    await this.byInteraction.upsert(record.uid, { requestId }, ttlSeconds);
  }

  /** The request an interaction showed last, and its record. */
  async ofInteraction(uid: string): Promise<{ requestId: string; record: SignInRecord } | undefined> {
    const link = await this.byInteraction.find(uid);
    const requestId = typeof link?.['requestId'] === 'string' ? link['requestId'] : undefined;
    if (requestId === undefined) return undefined;
    const record = await this.ofRequest(requestId);
    return record && record.uid === uid ? { requestId, record } : undefined;
  }

  /** The record of a presentation request, if it is a sign-in's. */
  async ofRequest(requestId: string): Promise<SignInRecord | undefined> {
    return (await this.byRequest.find(requestId)) as SignInRecord | undefined;
  }

  /** Adds what a verified presentation yielded to a request's record (its expiry unchanged). */
  async setResult(requestId: string, record: SignInRecord, result: NonNullable<SignInRecord['result']>, ttlSeconds: number): Promise<void> {
    await this.byRequest.upsert(requestId, { ...record, result }, ttlSeconds);
  }

  /** Forgets an interaction's sign-in (once finished: it cannot be finished twice). */
  async forget(uid: string, requestId: string): Promise<void> {
    await this.byRequest.destroy(requestId);
    await this.byInteraction.destroy(uid);
  }

  /** Keeps the claims a grant's ID token carries, for `ttlSeconds`. */
  async saveGrantClaims(grantId: string, accountId: string, claims: SignInClaims, ttlSeconds: number): Promise<void> {
    await this.grantClaims.upsert(grantId, { accountId, claims: { ...claims } }, ttlSeconds);
  }

  /** The claims of a grant, when they are still kept and belong to `accountId`. */
  async claimsOfGrant(grantId: string, accountId: string): Promise<SignInClaims | undefined> {
    const found = await this.grantClaims.find(grantId);
    if (found === undefined || found['accountId'] !== accountId) return undefined;
    return found['claims'] as SignInClaims;
  }
}
