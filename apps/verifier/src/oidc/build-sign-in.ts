import type { RequestSigningKey } from '../oid4vp/request-signing-key.js';
import { Logger } from '@nestjs/common';
import type { Clock } from '@citycred/config';
import type { DataSource } from 'typeorm';
import type { VerifierConfig } from '../config.js';
import { buildOid4vpService } from '../oid4vp/build-oid4vp.js';
import type { Oid4vpService } from '../oid4vp/oid4vp.service.js';
import type { ChallengeStore, ChallengeStoreSettings } from '../presentations/challenge-store.js';
import type { PresentationVerifier } from '../presentations/presentation-verifier.js';
import { loadClientSecrets } from './oidc-clients.js';
import { loadOidcSecrets } from './oidc-secrets.js';
import { refusalOf } from './refusal.js';
import { SignInRecords } from './sign-in-records.js';
import { signInPolicyRegistry } from './sign-in-scopes.js';
import { SignInService } from './sign-in.service.js';
import { SignInSubjects } from './subjects.js';

/** The OpenID Provider context, assembled at start-up. */
export interface SignIn {
  service: SignInService;
  /** Its own OpenID4VP requests, decided with the sign-in policies. */
  oid4vp: Oid4vpService;
}

/** What the OpenID Provider context is assembled from. */
export interface SignInParts {
  config: VerifierConfig;
  dataSource: DataSource;
  clock: Clock;
  challenges: ChallengeStore;
  challengeSettings: ChallengeStoreSettings;
  presentationVerifier(challenges: ChallengeStore): PresentationVerifier;
  /** The verifier's request-signing key, loaded once at start-up. */
  signingKey: RequestSigningKey;
}

/**
 * Assembles the OpenID Provider (docs/oidc-provider.md): its secrets (made and kept in the database at the first
 * start), the registered clients and their secrets, and its own OpenID4VP service over the sign-in policies, which
 * tells it of every verified presentation.
 * @throws Error when a stored secret or a client secret file is malformed
 */
export async function buildSignIn(parts: SignInParts): Promise<SignIn> {
  const { config, dataSource, clock } = parts;
  const secrets = await loadOidcSecrets(dataSource, clock);
  const clientSecrets = loadClientSecrets(config.OIDC_CLIENTS_FILE, config.OIDC_CLIENT_SECRETS, config.OIDC_CLIENT_SECRETS_DIR, (message) => new Logger('OpenID Provider').warn(message));
  let service: SignInService | undefined;
  const oid4vp = buildOid4vpService({
    dataSource,
    clock,
    challenges: parts.challenges,
    challengeSettings: parts.challengeSettings,
    policies: signInPolicyRegistry(),
    presentationVerifier: parts.presentationVerifier,
    signingKey: parts.signingKey,
    onFulfilled: (request, credentials) => service!.onFulfilled(request, credentials),
    refusal: async (_request, outcome) => (outcome.verified ? undefined : refusalOf(outcome)),
  });
  service = new SignInService({
    dataSource,
    clock,
    clients: config.OIDC_CLIENTS_FILE,
    clientSecrets,
    secrets,
    subjects: new SignInSubjects(secrets.accountKey, secrets.pairwiseSalt),
    records: new SignInRecords(dataSource, clock),
    proxy: config.TRUST_PROXY !== false,
    oid4vp,
    walletUrl: config.WALLET_URL,
  });
  return { service, oid4vp };
}
