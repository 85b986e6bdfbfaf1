import type { Clock } from '@citycred/config';
import type { DataSource } from 'typeorm';
import type { VerifierConfig } from '../config.js';
import { buildOid4vpService } from '../oid4vp/build-oid4vp.js';
import type { Oid4vpService } from '../oid4vp/oid4vp.service.js';
import type { DigestAnchoringApi } from '../digest-anchoring/digest-anchoring.js';
import type { RequestSigningKey } from '../oid4vp/request-signing-key.js';
import type { ChallengeStore, ChallengeStoreSettings } from '../presentations/challenge-store.js';
import type { PresentationVerifier } from '../presentations/presentation-verifier.js';
import { signatureRefusalOf } from './refusal.js';
import { signaturePolicyRegistry } from './signature-policy.js';
import { SignatureReceipts } from './signature-receipts.js';
import { Signatures } from './signatures.service.js';

/** The e-signature context, assembled at start-up. */
export interface SignaturesContext {
  service: Signatures;
  receipts: SignatureReceipts;
  /** Its own OpenID4VP requests, decided with the signature policies. */
  oid4vp: Oid4vpService;
}

/** What the e-signature context is assembled from. */
export interface SignaturesParts {
  config: VerifierConfig;
  dataSource: DataSource;
  clock: Clock;
  challenges: ChallengeStore;
  challengeSettings: ChallengeStoreSettings;
  presentationVerifier(challenges: ChallengeStore): PresentationVerifier;
  /** The verifier's request-signing key: it signs the receipts too. */
  signingKey: RequestSigningKey;
  /** The digest outbox receipt hashes are anchored through (ADR 0015). */
  digestAnchoring: Pick<DigestAnchoringApi, 'enqueue' | 'status'>;
}

/**
 * Assembles electronic signatures (docs/e-signature.md): its own OpenID4VP service over the signature policies,
 * which tells it of every verified signature, and the receipts signed by the verifier's request-signing key.
 */
export async function buildSignatures(parts: SignaturesParts): Promise<SignaturesContext> {
  const { config, dataSource, clock } = parts;
  const receipts = new SignatureReceipts(parts.signingKey);
  let service: Signatures | undefined;
  const oid4vp = buildOid4vpService({
    dataSource,
    clock,
    challenges: parts.challenges,
    challengeSettings: parts.challengeSettings,
    policies: signaturePolicyRegistry(),
    presentationVerifier: parts.presentationVerifier,
    signingKey: parts.signingKey,
    onFulfilled: (request, credentials, presentations) => service!.onFulfilled(request, credentials, presentations),
    refusal: async (_request, outcome) => (outcome.verified ? undefined : signatureRefusalOf(outcome)),
  });
  service = new Signatures({ dataSource, clock, oid4vp: () => oid4vp, receipts, walletUrl: config.WALLET_URL, anchoring: parts.digestAnchoring, clockSkewSeconds: config.CLOCK_SKEW_SECONDS });
  return { service, receipts, oid4vp };
}
