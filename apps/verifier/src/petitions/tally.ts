import { createHash } from 'node:crypto';
import { buildMerkleTree, type Hex32 } from '@citycred/anchoring';

/** What a signature is made of in the tally: its pseudonym (the order), when, and its leaf hash. */
export interface TalliedSignature {
  pseudonym: string;
  signedAt: string;
  leafHash: string;
}

/** A closed petition's tally: what is published and anchored (docs/petitions.md, "Checking a tally"). */
export interface PetitionTally {
  petitionId: string;
  /** The number of signatures. */
  count: number;
  /** The Merkle root (libs/anchoring's tree) over `leaves`, in their order; null when nobody signed. */
  root: Hex32 | null;
  /** ISO 8601. */
  closedAt: string;
  /** The leaf hashes, ordered by the signatures' pseudonyms (a deterministic order that says nothing about time). */
  leaves: Hex32[];
  /** `0x` + SHA-256 of {@link tallyStatementOf}: the digest anchored. */
  digest: Hex32;
}

const sha256 = (text: string): Hex32 => `0x${createHash('sha256').update(text, 'utf8').digest('hex')}`;

/**
 * A signature's leaf hash: `SHA-256("citycred-petition-signature|" + petitionId + "|" + pseudonym + "|" + signedAt)`.
 * It commits to the signature without revealing anything: the pseudonym in it is keyed, so nobody can tell whose it is,
 * and the signer, who is told it, can find it in the published list.
 */
export function signatureLeafOf(petitionId: string, pseudonym: string, signedAt: string): Hex32 {
  return sha256(`citycred-petition-signature|${petitionId}|${pseudonym}|${signedAt}`);
}

/**
 * The tally statement, the exact UTF-8 JSON whose SHA-256 is the tally digest:
 * `{"petitionId":…,"count":…,"root":…,"closedAt":…}` in this key order, no white space (`root` null when nobody signed).
 */
export function tallyStatementOf(tally: Pick<PetitionTally, 'petitionId' | 'count' | 'root' | 'closedAt'>): string {
  return JSON.stringify({ petitionId: tally.petitionId, count: tally.count, root: tally.root, closedAt: tally.closedAt });
}

/**
 * The tally of a petition's signatures: ordered by pseudonym (code-unit order), counted, and the Merkle root of their
 * leaf hashes in that order.
 * @throws TypeError when a leaf hash is not canonical Hex32 (the database was altered)
 */
export function tallyOf(petitionId: string, signatures: readonly TalliedSignature[], closedAt: string): PetitionTally {
  const ordered = [...signatures].sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : a.pseudonym > b.pseudonym ? 1 : 0));
  const leaves = ordered.map((s) => s.leafHash as Hex32);
  const root = leaves.length === 0 ? null : buildMerkleTree(leaves).root;
  const count = leaves.length;
  return { petitionId, count, root, closedAt, leaves, digest: sha256(tallyStatementOf({ petitionId, count, root, closedAt })) };
}

/** One check of {@link checkTally}. */
export interface TallyCheck {
  id: 'count' | 'distinct' | 'root' | 'digest';
  passed: boolean;
}

/**
 * What anyone can check of a published tally from its leaf list alone: the count is the number of leaves, no leaf
 * appears twice, the root is the Merkle root of the leaves in the published order, and the digest is the statement's.
 */
export function checkTally(published: Pick<PetitionTally, 'petitionId' | 'count' | 'root' | 'closedAt' | 'leaves' | 'digest'>): TallyCheck[] {
  const { leaves } = published;
  let root: Hex32 | null = null;
  let rootOk = false;
  try {
    root = leaves.length === 0 ? null : buildMerkleTree(leaves).root;
    rootOk = root === published.root;
  } catch {
    rootOk = false;
  }
  return [
    { id: 'count', passed: published.count === leaves.length },
    { id: 'distinct', passed: new Set(leaves).size === leaves.length },
    { id: 'root', passed: rootOk },
    { id: 'digest', passed: sha256(tallyStatementOf(published)) === published.digest },
  ];
}
