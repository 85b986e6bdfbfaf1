import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One participation in a benefit program, recorded when an eligible decision was made for an application. It holds
 * no personal data: `pseudonym` is HMAC-SHA-256 of the citizen card's `personId` under a key derived per program from
 * the verifier's participation secret, so the same person has unrelated values in two programs and the raw personId
 * cannot be read back (docs/youth-allowance.md#prior-participation). One row per (program, pseudonym).
 */
@Entity({ name: 'program_participations' })
export class ProgramParticipationEntity {
  /** The program id, e.g. `youth-allowance-2026`. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  program!: string;

  /** 64 lower-case hex digits: the keyed pseudonym. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  pseudonym!: string;

  /** The program configuration version the eligible decision was made under. */
  @Column({ name: 'config_version', type: 'varchar', length: 32 })
  configVersion!: string;

  /** ISO 8601: when the eligible decision was made (injected clock). */
  @Column({ name: 'decided_at', type: 'varchar', length: 32 })
  decidedAt!: string;
}

/**
 * The participation pseudonyms' secret when `PARTICIPATION_SECRET` is not configured: made once by the first verifier
 * process that needs it and shared by every process on the database.
 */
@Entity({ name: 'program_secrets' })
export class ProgramSecretEntity {
  /** What the secret is for; one row, `participation`. */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  purpose!: string;

  /** 64 hex digits. */
  @Column({ type: 'varchar', length: 64 })
  secret!: string;

  /** ISO 8601 (injected clock). */
  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
