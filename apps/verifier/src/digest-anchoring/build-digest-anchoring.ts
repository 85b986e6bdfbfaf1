import type { Clock } from '@citycred/config';
import type { DataSource } from 'typeorm';
import type { VerifierConfig } from '../config.js';
import { HttpDigestAnchorClient } from './digest-anchor-client.js';
import { DigestAnchoring, type DigestAnchorLedger } from './digest-anchoring.js';

/** What {@link buildDigestAnchoring} assembles the outbox from. */
export interface DigestAnchoringParts {
  config: Pick<VerifierConfig, 'ANCHOR_DIGEST_URL' | 'ANCHOR_PROOF_URL' | 'ANCHOR_DIGEST_API_KEY' | 'ANCHOR_GRACE_SECONDS' | 'DID_ETHR_NETWORK'>;
  dataSource: DataSource;
  clock: Clock;
  /** The verifier's chain reads (its `CachingLedger`). */
  ledger: DigestAnchorLedger;
}

/**
 * The digest outbox over the city issuer's anchoring (ADR 0015): `ANCHOR_DIGEST_URL` (default `ANCHOR_PROOF_URL`)
 * with the city tenant's `ANCHOR_DIGEST_API_KEY`. The repeating task is the `DigestAnchoringModule`'s.
 */
export function buildDigestAnchoring(parts: DigestAnchoringParts): DigestAnchoring {
  const { config } = parts;
  const client = new HttpDigestAnchorClient({ issuerUrl: config.ANCHOR_DIGEST_URL ?? config.ANCHOR_PROOF_URL, apiKey: config.ANCHOR_DIGEST_API_KEY, timeoutMs: 5_000 });
  return new DigestAnchoring(parts.dataSource, client, parts.ledger, parts.clock, { didNetwork: config.DID_ETHR_NETWORK, graceSeconds: config.ANCHOR_GRACE_SECONDS, batchLimit: 100 });
}
