import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Where a challenge came from: `issued` by this verifier (`POST /challenges`), or `seen` first in a presentation
 * (a challenge its client chose): either way a challenge binds one presentation only.
 */
export type ChallengeOrigin = 'issued' | 'seen';

/**
 * A presentation challenge (the `nonce` a holder signs). Single use: `used_at` is set by the one verification that
 * consumed it; a second presentation with the same challenge is a replay. Rows are deleted once expired.
 */
@Entity({ name: 'presentation_challenges' })
export class PresentationChallengeEntity {
  /** The challenge as the holder signs it (at most 128 characters). */
  @PrimaryColumn({ type: 'varchar', length: 128 })
  challenge!: string;

  @Column({ type: 'varchar', length: 8 })
  origin!: ChallengeOrigin;

  /** ISO 8601 (injected clock). */
  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  /** ISO 8601: an `issued` challenge is refused after it; any row may be deleted after it. */
  @Index()
  @Column({ name: 'expires_at', type: 'varchar', length: 32 })
  expiresAt!: string;

  /** ISO 8601, when a presentation consumed it; null while unused. */
  @Column({ name: 'used_at', type: 'varchar', length: 32, nullable: true })
  usedAt!: string | null;
}
