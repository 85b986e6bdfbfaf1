import { DigestAnchorOutbox1767760000000 } from './1767760000000-digest-anchor-outbox.js';
import { DigestAnchorEntity } from './digest-anchor.entity.js';

/** The digest-anchoring context's tables. */
export const DIGEST_ANCHORING_ENTITIES = [DigestAnchorEntity] as const;

/** Their migrations, in order. */
export const DIGEST_ANCHORING_MIGRATIONS = [DigestAnchorOutbox1767760000000] as const;
