import { Logger } from '@nestjs/common';
import { ProblemCounter } from '@citycred/http';
import type { CityDeployment } from '@citycred/anchors';
import { CityChain, loadDeployment } from '@citycred/chain';
import type { Clock } from '@citycred/config';
import { createChainProvider, createDidResolver, ethrNetwork, NodeSignatureCrypto } from '@citycred/did';
import { createVerifierDataSource, databaseLocationFrom, openDatabase } from '@citycred/persistence';
import type { DataSource } from 'typeorm';
import { fetchAllowedOrigins, workHistoryConfigOf, type VerifierConfig } from './config.js';
import { FetchGuard } from './outbound/fetch-guard.js';
import { defaultPolicyRegistry, type PolicyRegistry } from './policies/index.js';
import { ChallengeStore } from './presentations/challenge-store.js';
import { PRESENTATION_ENTITIES, PRESENTATION_MIGRATIONS } from './presentations/schema.js';
import { PresentationVerifier } from './presentations/presentation-verifier.js';
import { buildOid4vpService } from './oid4vp/build-oid4vp.js';
import { ScannedPresentations } from './scan/scanned-presentations.js';
import { AccreditedIssuerIndex } from './scan/accredited-issuers.js';
import { OfflineBundles } from './scan/offline-bundle.js';
import { AccreditedIssuerNames } from './issuers/accredited-names.js';
import { PublicDidResolver } from './dids/public-did-resolver.js';
import { HttpIssuerDirectorySource } from './issuers/issuer-directory-source.js';
import { loadRequestSigningKey } from './oid4vp/request-signing-key.js';
import { TrustedStatusLists } from './verification/trusted-status-lists.js';
import type { Oid4vpService } from './oid4vp/oid4vp.service.js';
import { OID4VP_ENTITIES, OID4VP_MIGRATIONS } from './oid4vp/schema.js';
import { DecisionReceipts } from './programs/decision-receipts.js';
import { loadParticipationSecret, ParticipationPseudonyms, ParticipationRegister } from './programs/participation-register.js';
import { PolicyDecisions } from './programs/policy-decisions.js';
import { PROGRAM_ENTITIES, PROGRAM_MIGRATIONS } from './programs/schema.js';
import { applicationPagesOf } from './apply/application-page.js';
import { Applications } from './apply/applications.js';
import { HttpEligibilityIssuer } from './apply/eligibility-issuer.js';
import { EligibilityOfferStore } from './apply/eligibility-offer-store.js';
import { APPLY_ENTITIES, APPLY_MIGRATIONS } from './apply/schema.js';
import { buildSignIn, type SignIn } from './oidc/build-sign-in.js';
import { OIDC_ENTITIES, OIDC_MIGRATIONS } from './oidc/schema.js';
import { buildSignatures, type SignaturesContext } from './signatures/build-signatures.js';
import { SIGNATURE_ENTITIES, SIGNATURE_MIGRATIONS } from './signatures/schema.js';
import { buildPetitions, type PetitionsContext } from './petitions/build-petitions.js';
import { PETITION_ENTITIES, PETITION_MIGRATIONS } from './petitions/schema.js';
import { buildDigestAnchoring } from './digest-anchoring/build-digest-anchoring.js';
import type { DigestAnchoring } from './digest-anchoring/digest-anchoring.js';
import { DIGEST_ANCHORING_ENTITIES, DIGEST_ANCHORING_MIGRATIONS } from './digest-anchoring/schema.js';
import { HttpAnchorProofSource, type AnchorProofSource } from './verification/anchor-proof-source.js';
import { isCountingCache } from './verification/cache-stats.js';
import { VerifierMetrics } from './metrics/verifier-metrics.js';
import { BatchAnchorProofSource } from './verification/batch-anchor-source.js';
import { CachingLedger } from './verification/caching-ledger.js';
import { CredentialVerifier } from './verification/credential-verifier.js';
import { HttpStatusListSource } from './verification/status-list-source.js';

/** The verifier's tables, each declared by the context that owns it. */
const VERIFIER_SCHEMA = {
  entities: [...PRESENTATION_ENTITIES, ...OID4VP_ENTITIES, ...PROGRAM_ENTITIES, ...APPLY_ENTITIES, ...OIDC_ENTITIES, ...SIGNATURE_ENTITIES, ...PETITION_ENTITIES, ...DIGEST_ANCHORING_ENTITIES],
  migrations: [...PRESENTATION_MIGRATIONS, ...OID4VP_MIGRATIONS, ...PROGRAM_MIGRATIONS, ...APPLY_MIGRATIONS, ...OIDC_MIGRATIONS, ...SIGNATURE_MIGRATIONS, ...PETITION_MIGRATIONS, ...DIGEST_ANCHORING_MIGRATIONS],
};

/** Everything the verifier's modules share, assembled once at start-up. */
export interface VerifierRuntime {
  config: VerifierConfig;
  dataSource: DataSource;
  chain: CityChain;
  deployment: CityDeployment;
  verifier: CredentialVerifier;
  presentations: PresentationVerifier;
  challenges: ChallengeStore;
  /** The credential policies presentations may be decided by (policies as code). */
  policies: PolicyRegistry;
  /** OpenID4VP 1.0 presentation requests. */
  oid4vp: Oid4vpService;
  /** Signs decision receipts (the request-signing key); its public key is served at `GET /programs/receipt-key`. */
  receipts: DecisionReceipts;
  /** Applications to the benefit programs from their pages (`/apply/{page}`). */
  applications: Applications;
  /** The OpenID Provider for public facility sites and its sign-in page (docs/oidc-provider.md). */
  signIn: SignIn;
  /** Electronic signatures of documents with the citizen card (docs/e-signature.md). */
  signatures: SignaturesContext;
  /** Resident audit claims: petitions signed with the citizen card (docs/petitions.md). */
  petitions: PetitionsContext;
  /**
   * Digests (e-signature receipts, petition tallies) handed to the city issuer's anchoring through an outbox (ADR 0015):
   * `enqueue` in the transaction of the record, `status` to show or check its anchor.
   */
  digestAnchoring: DigestAnchoring;
  /** Presentations wallets show as QR codes to the employer scanner (`POST /scan/presentations`). */
  scanned: ScannedPresentations;
  /** The employer scanner's signed offline bundle (`GET /scan/offline-bundle`). */
  offlineBundles: OfflineBundles;
  /** The names of the issuers the city accredits, from the issuer service's directory (`GET /check/issuers`). */
  issuerNames: AccreditedIssuerNames;
  /** Public DID resolution for citizen wallets (`GET /check/dids/{did}`): the issuers' keys on the city chain. */
  didResolution: PublicDidResolver;
  metrics: VerifierMetrics;
  problems: ProblemCounter;
  close(): Promise<void>;
}

/**
 * Opens the verifier's database and connects to the chain's registries.
 * @throws Error when the chain cannot be reached or no deployment record exists for it
 */
export async function buildVerifierRuntime(config: VerifierConfig, clock: Clock): Promise<VerifierRuntime> {
  const deployment = await loadDeployment(config.CHAIN_RPC_URL, config.DEPLOYMENTS_DIR);
  const chainId = deployment.chainId;
  const dataSource = await openDatabase(
    createVerifierDataSource(databaseLocationFrom(config, 'var/verifier.sqlite', (message) => new Logger('Database').warn(message)), VERIFIER_SCHEMA),
  );
  const provider = createChainProvider(config.CHAIN_RPC_URL, chainId);
  const network = ethrNetwork({ name: config.DID_ETHR_NETWORK, chainId, rpcUrl: config.CHAIN_RPC_URL, registry: deployment.didRegistry, provider });
  const chain = new CityChain(provider, deployment);
  // Every URL the verifier calls without choosing it (status lists credentials name, the issuer's anchoring) goes
  // through one guard: no request can make it call into its own network.
  const guard = new FetchGuard(clock, { allowedOrigins: fetchAllowedOrigins(config) });
  const statusLists = new HttpStatusListSource(guard, clock, { timeoutMs: config.STATUS_LIST_TIMEOUT_MS, maxCacheSeconds: config.STATUS_LIST_MAX_CACHE_SECONDS });
  const resolver = createDidResolver(network, { cacheTtlMs: config.DID_CACHE_TTL_MS, now: () => clock.now().getTime() });
  const proofSource: AnchorProofSource =
    config.ANCHOR_PROOF_MODE === 'per-credential'
      ? new HttpAnchorProofSource(config.ANCHOR_PROOF_URL, guard)
      : new BatchAnchorProofSource(config.ANCHOR_PROOF_URL, guard, clock, {
          timeoutMs: 3_000,
          searchDays: config.ANCHOR_SEARCH_DAYS,
          clockSkewSeconds: config.CLOCK_SKEW_SECONDS,
          maxCachedLeaves: config.ANCHOR_BATCH_CACHE_LEAVES,
          maxListingCacheSeconds: 30,
        });
  // Anchors found and settled accreditation answers are kept: one chain read per root, not per credential.
  const ledger = new CachingLedger(chain, clock, { finalAfterSeconds: await chain.backdateToleranceSeconds(), maxEntries: 100_000, latestBlockTtlMs: 1_000 });
  // The status lists whose signature held, by issuer: the scanner's offline bundle carries them.
  const trustedLists = new TrustedStatusLists();
  const verifier = new CredentialVerifier(
    resolver,
    ledger,
    proofSource,
    clock,
    { didNetwork: config.DID_ETHR_NETWORK, anchorGraceSeconds: config.ANCHOR_GRACE_SECONDS, clockSkewSeconds: config.CLOCK_SKEW_SECONDS },
    statusLists,
    trustedLists,
  );
  // The city issuer's directory (names, status list URLs): one document for every reader, never asked per credential.
  const directory = new HttpIssuerDirectorySource(config.ANCHOR_PROOF_URL, guard, clock, { timeoutMs: config.STATUS_LIST_TIMEOUT_MS, maxCacheSeconds: config.STATUS_LIST_MAX_CACHE_SECONDS });
  const problems = new ProblemCounter();
  const metrics = new VerifierMetrics(problems, [ledger, statusLists, directory, ...(isCountingCache(proofSource) ? [proofSource] : [])]);
  const challengeSettings = {
    challengeTtlSeconds: config.CHALLENGE_TTL_SECONDS,
    // Holders' own nonces (scanned QR codes) are remembered as challenges a client chose are.
    seenRetentionSeconds: Math.max(config.PRESENTATION_MAX_AGE_SECONDS, config.SCAN_PRESENTATION_MAX_AGE_SECONDS) + config.CLOCK_SKEW_SECONDS,
  };
  const challenges = new ChallengeStore(dataSource, clock, challengeSettings);
  // The request-signing key (made and stored by the first process when not configured) signs receipts and the bundle.
  const signingKey = await loadRequestSigningKey(dataSource, clock, config.OID4VP_SIGNING_KEY);
  const receipts = new DecisionReceipts(signingKey);
  const participations = new ParticipationRegister(dataSource, new ParticipationPseudonyms(await loadParticipationSecret(dataSource, clock, config.PARTICIPATION_SECRET)));
  const decisions = new PolicyDecisions(participations, receipts, clock);
  const presentationVerifier = (store: ChallengeStore) =>
    new PresentationVerifier(
      verifier,
      store,
      resolver,
      new NodeSignatureCrypto(),
      clock,
      {
        audience: config.VERIFIER_PUBLIC_URL ?? `http://127.0.0.1:${config.VERIFIER_PORT}`,
        maxAgeSeconds: config.PRESENTATION_MAX_AGE_SECONDS,
        clockSkewSeconds: config.CLOCK_SKEW_SECONDS,
      },
      decisions,
    );
  const presentations = presentationVerifier(challenges);
  const policies = defaultPolicyRegistry({ programs: config.PROGRAMS_FILE, workHistory: workHistoryConfigOf(config) });
  const scanned = new ScannedPresentations(presentations, policies, metrics, { maxAgeSeconds: config.SCAN_PRESENTATION_MAX_AGE_SECONDS });
  const accreditedIssuers = new AccreditedIssuerIndex(chain, deployment.blockNumber);
  const issuerNames = new AccreditedIssuerNames({ directory, issuers: accreditedIssuers, ledger, clock }, config.DID_ETHR_NETWORK);
  const didResolution = new PublicDidResolver({ resolver, chainIsUp: () => chain.isUp() }, config.DID_ETHR_NETWORK);
  const offlineBundles = new OfflineBundles(
    {
      issuers: accreditedIssuers,
      directory,
      ledger,
      resolver,
      statusLists,
      trustedLists,
      signingKey,
      clock,
    },
    {
      ttlSeconds: config.SCAN_OFFLINE_BUNDLE_TTL_SECONDS,
      anchorDays: config.SCAN_OFFLINE_ANCHOR_DAYS,
      rootsPerIssuer: config.SCAN_OFFLINE_ANCHOR_ROOTS,
      maxPresentationAgeSeconds: config.SCAN_PRESENTATION_MAX_AGE_SECONDS,
      clockSkewSeconds: config.CLOCK_SKEW_SECONDS,
      didNetwork: config.DID_ETHR_NETWORK,
      chainId,
    },
  );
  const oid4vp = buildOid4vpService({ dataSource, clock, challenges, challengeSettings, policies, presentationVerifier, decisions, signingKey });
  // Every program's page, derived from its configuration; an eligibility credential the catalogue refuses stops start-up.
  const applications = new Applications({
    pages: applicationPagesOf(config.PROGRAMS_FILE, (program) => policies.get(program)!),
    oid4vp,
    offers: new EligibilityOfferStore(dataSource, clock),
    issuer: new HttpEligibilityIssuer({ issuerUrl: config.PROGRAM_ISSUER_URL ?? config.ANCHOR_PROOF_URL, apiKeys: config.PROGRAM_ISSUER_API_KEYS, timeoutMs: 5_000 }),
    walletUrl: config.WALLET_URL,
  });
  const signIn = await buildSignIn({ config, dataSource, clock, challenges, challengeSettings, presentationVerifier, signingKey });
  const digestAnchoring = buildDigestAnchoring({ config, dataSource, clock, ledger });
  const signatures = await buildSignatures({ config, dataSource, clock, challenges, challengeSettings, presentationVerifier, signingKey, digestAnchoring });
  const petitions = await buildPetitions({ config, dataSource, clock, challenges, challengeSettings, presentationVerifier, signingKey, digestAnchoring });
  return {
    config,
    dataSource,
    chain,
    deployment,
    verifier,
    presentations,
    challenges,
    policies,
    oid4vp,
    receipts,
    applications,
    signIn,
    signatures,
    petitions,
    digestAnchoring,
    scanned,
    offlineBundles,
    issuerNames,
    didResolution,
    metrics,
    problems,
    async close() {
      provider.destroy();
      guard.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
