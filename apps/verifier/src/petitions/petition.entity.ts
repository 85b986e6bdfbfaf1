import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A petition (resident audit claim, docs/petitions.md): what an official opened, its live count and, once closed, its
 * tally. `signature_count` is kept with every signature in the same transaction, which also serialises signing
 * against closing (both update this row).
 */
@Entity({ name: 'petitions' })
export class PetitionEntity {
  /** UUID. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  /** The number of signers the claim needs. */
  @Column({ type: 'integer' })
  threshold!: number;

  /** ISO 8601: signatures are refused from this instant on. */
  @Column({ type: 'varchar', length: 32 })
  deadline!: string;

  /** `open` or `closed`. */
  @Column({ type: 'varchar', length: 16 })
  state!: 'open' | 'closed';

  /** The live count: signatures stored. */
  @Column({ name: 'signature_count', type: 'integer' })
  signatureCount!: number;

  /** The label of the administrator key that opened it (`PETITION_ADMIN_KEYS`), never the key. */
  @Column({ name: 'opened_by', type: 'varchar', length: 64 })
  openedBy!: string;

  /** ISO 8601 (injected clock). */
  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  /** ISO 8601: when it closed (the deadline's task or an official); null while open. */
  @Column({ name: 'closed_at', type: 'varchar', length: 32, nullable: true })
  closedAt!: string | null;

  /** `deadline` or `official`; null while open. */
  @Column({ name: 'closed_by', type: 'varchar', length: 16, nullable: true })
  closedBy!: 'deadline' | 'official' | null;

  /** The Merkle root of the signatures' leaf hashes (sorted by pseudonym) at closing; null while open or with none. */
  @Column({ name: 'tally_root', type: 'varchar', length: 66, nullable: true })
  tallyRoot!: string | null;

  /** SHA-256 of the tally statement `{petitionId, count, root, closedAt}`; null while open. */
  @Column({ name: 'tally_digest', type: 'varchar', length: 66, nullable: true })
  tallyDigest!: string | null;
}

/**
 * One signature: a per-petition keyed pseudonym of the signer, when, and the leaf hash the tally's Merkle tree is
 * built over. No personId, name, address or card: the pseudonym cannot be computed without the verifier's key, nor
 * linked across petitions. Unique per (petition, pseudonym): a second signature by the same person cannot land, even
 * concurrently.
 */
@Entity({ name: 'petition_signatures' })
@Index('UQ_petition_signatures_pseudonym', ['petitionId', 'pseudonym'], { unique: true })
export class PetitionSignatureEntity {
  /** UUID. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'petition_id', type: 'varchar', length: 36 })
  petitionId!: string;

  /** HMAC-SHA-256(petition key, petitionId ‖ personId), base64url (43 characters). */
  @Column({ type: 'varchar', length: 64 })
  pseudonym!: string;

  /** ISO 8601 (injected clock). */
  @Column({ name: 'signed_at', type: 'varchar', length: 32 })
  signedAt!: string;

  /** `0x` + SHA-256 of the signature statement (tally.ts, `signatureLeafOf`). */
  @Column({ name: 'leaf_hash', type: 'varchar', length: 66 })
  leafHash!: string;
}

/**
 * A signing request: the OpenID4VP request a signer's browser made (its id) for a petition, and how it ended for the
 * petition once the presentation verified — `signed` (with the signature's leaf hash, for the signer to find in the
 * published list), or refused `already-signed` or `closed`. Null while no verified presentation came.
 */
@Entity({ name: 'petition_signature_requests' })
export class PetitionSignatureRequestEntity {
  /** The OpenID4VP presentation request's id (UUID). */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'petition_id', type: 'varchar', length: 36 })
  petitionId!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  outcome!: 'signed' | 'already-signed' | 'closed' | null;

  /** The signature's leaf hash when `signed`. */
  @Column({ name: 'leaf_hash', type: 'varchar', length: 66, nullable: true })
  leafHash!: string | null;

  /** ISO 8601 (injected clock). */
  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}

/** The petitions' pseudonym key when not configured (`PETITION_SECRET`): made once, shared by every verifier process. */
@Entity({ name: 'petition_secrets' })
export class PetitionSecretEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  purpose!: string;

  /** 64 hex digits. */
  @Column({ type: 'varchar', length: 64 })
  secret!: string;

  /** ISO 8601 (injected clock). */
  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
