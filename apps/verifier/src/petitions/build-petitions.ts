import type { RequestSigningKey } from '../oid4vp/request-signing-key.js';
import type { Clock } from '@citycred/config';
import type { DataSource } from 'typeorm';
import type { VerifierConfig } from '../config.js';
import type { DigestAnchoringApi } from '../digest-anchoring/digest-anchoring.js';
import { buildOid4vpService } from '../oid4vp/build-oid4vp.js';
import type { Oid4vpService } from '../oid4vp/oid4vp.service.js';
import type { ChallengeStore, ChallengeStoreSettings } from '../presentations/challenge-store.js';
import type { PresentationVerifier } from '../presentations/presentation-verifier.js';
import { PetitionAdmins } from './petition-admins.js';
import { petitionPolicyRegistry } from './petition-policy.js';
import { PetitionStore } from './petition-store.js';
import { Petitions } from './petitions.service.js';
import { loadPetitionKey, PetitionPseudonyms } from './pseudonyms.js';

/** The petitions context, assembled at start-up. */
export interface PetitionsContext {
  service: Petitions;
  admins: PetitionAdmins;
  /** Its own OpenID4VP requests, decided with the petition policy. */
  oid4vp: Oid4vpService;
}

/** What the petitions context is assembled from. */
export interface PetitionsParts {
  config: VerifierConfig;
  dataSource: DataSource;
  clock: Clock;
  challenges: ChallengeStore;
  challengeSettings: ChallengeStoreSettings;
  presentationVerifier(challenges: ChallengeStore): PresentationVerifier;
  /** The verifier's request-signing key, loaded once at start-up. */
  signingKey: RequestSigningKey;
  /** The verifier's digest outbox (ADR 0015): closed petitions' tally digests are anchored through it. */
  digestAnchoring?: Pick<DigestAnchoringApi, 'enqueue' | 'status'>;
}

/**
 * Assembles petitions (docs/petitions.md): the pseudonym key (configured, or made and kept in the database at the
 * first start), the officials' keys, and its own OpenID4VP service over the petition policy, which tells it of every
 * verified signature.
 * @throws Error when a stored key is malformed
 */
export async function buildPetitions(parts: PetitionsParts): Promise<PetitionsContext> {
  const { config, dataSource, clock } = parts;
  const pseudonyms = new PetitionPseudonyms(await loadPetitionKey(dataSource, clock, config.PETITION_SECRET));
  let service: Petitions | undefined;
  const oid4vp = buildOid4vpService({
    dataSource,
    clock,
    challenges: parts.challenges,
    challengeSettings: parts.challengeSettings,
    policies: petitionPolicyRegistry(),
    presentationVerifier: parts.presentationVerifier,
    signingKey: parts.signingKey,
    onFulfilled: (request, credentials) => service!.onFulfilled(request, credentials),
    refusal: (request, outcome) => service!.refusal(request, outcome),
  });
  service = new Petitions({ store: new PetitionStore(dataSource), pseudonyms, clock, oid4vp: () => oid4vp, walletUrl: config.WALLET_URL, ...(parts.digestAnchoring ? { anchoring: parts.digestAnchoring } : {}) });
  return { service, admins: new PetitionAdmins(config.PETITION_ADMIN_KEYS), oid4vp };
}
