import type { Clock } from '@citycred/config';
import type { DataSource } from 'typeorm';
import type { PolicyRegistry } from '../policies/index.js';
import type { ChallengeStore, ChallengeStoreSettings } from '../presentations/challenge-store.js';
import type { PresentationVerifier } from '../presentations/presentation-verifier.js';
import type { PolicyDecisions } from '../programs/policy-decisions.js';
import { Oid4vpService, type Oid4vpDependencies } from './oid4vp.service.js';
import { PresentationRequestStore } from './presentation-request-store.js';
import type { RequestSigningKey } from './request-signing-key.js';
import { ResponseChallenges } from './response-challenges.js';

/** What the OpenID4VP context is assembled from at start-up. */
export interface Oid4vpParts {
  dataSource: DataSource;
  clock: Clock;
  /** The presentations context's challenge store (the nonces are its challenges) and its settings. */
  challenges: ChallengeStore;
  challengeSettings: ChallengeStoreSettings;
  policies: PolicyRegistry;
  /** Builds a presentation verifier over the given challenge store. */
  presentationVerifier(challenges: ChallengeStore): PresentationVerifier;
  /** The request-signing key, loaded once at start-up (`loadRequestSigningKey`) and shared by every context. */
  signingKey: RequestSigningKey;
  /** Where decisions are made and receipted (the one `POST /presentations/verify` uses too). */
  decisions?: Pick<PolicyDecisions, 'decide'>;
  /** See {@link Oid4vpDependencies.onFulfilled}. */
  onFulfilled?: Oid4vpDependencies['onFulfilled'];
  /** See {@link Oid4vpDependencies.refusal}. */
  refusal?: Oid4vpDependencies['refusal'];
}

/** Assembles an OpenID4VP service over the verifier's one request-signing key. */
export function buildOid4vpService(parts: Oid4vpParts): Oid4vpService {
  const { dataSource, clock } = parts;
  return new Oid4vpService({
    requests: new PresentationRequestStore(dataSource, clock),
    challenges: parts.challenges,
    policies: parts.policies,
    presentationsForResponse: () => parts.presentationVerifier(new ResponseChallenges(dataSource, clock, parts.challengeSettings)),
    ...(parts.decisions ? { decisions: parts.decisions } : {}),
    ...(parts.onFulfilled ? { onFulfilled: parts.onFulfilled } : {}),
    ...(parts.refusal ? { refusal: parts.refusal } : {}),
    signingKey: parts.signingKey,
    clock,
  });
}
