import { randomBytes } from 'node:crypto';
import type { Clock } from '@citycred/config';
import { isUniqueViolation } from '@citycred/persistence';
import type { DataSource, Repository } from 'typeorm';
import { IsNull, LessThan, MoreThan } from 'typeorm';
import { PresentationChallengeEntity } from './challenge.entity.js';

/** Settings of {@link ChallengeStore}. */
export interface ChallengeStoreSettings {
  /** How long a challenge from `POST /challenges` may be used (seconds). */
  challengeTtlSeconds: number;
  /**
   * How long a challenge first seen in a presentation is remembered (seconds): at least as long as a presentation
   * may be old, so a replay of it is refused as used while it would still be fresh.
   */
  seenRetentionSeconds: number;
}

/**
 * What consuming a challenge found:
 * - `issued`: this verifier handed it out, it was unused and current; it is used now;
 * - `first-seen`: the client chose it (not from `POST /challenges`) and no presentation used it before; it is
 *   remembered as used now;
 * - `used`: a presentation already used it (a replay);
 * - `expired`: this verifier handed it out, and its time is over.
 */
export type ChallengeUse = 'issued' | 'first-seen' | 'used' | 'expired';

/** Expired rows are deleted once every this many challenges handed out (no scheduler needed). */
const PURGE_EVERY = 256;

/**
 * Single-use presentation challenges in the verifier's database, so every verifier process behind one address
 * knows them. Consuming is one conditional `UPDATE` (or an `INSERT` on the primary key for a challenge first seen):
 * two presentations racing with one challenge cannot both win, on SQLite or PostgreSQL.
 */
export class ChallengeStore {
  private readonly rows: Repository<PresentationChallengeEntity>;
  private handedOut = 0;

  constructor(
    dataSource: DataSource,
    private readonly clock: Clock,
    private readonly settings: ChallengeStoreSettings,
  ) {
    this.rows = dataSource.getRepository(PresentationChallengeEntity);
  }

  /** A new random challenge (256 bits, base64url) and until when it may be used. */
  async issue(): Promise<{ challenge: string; expiresAt: Date }> {
    const now = this.clock.now();
    const challenge = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.settings.challengeTtlSeconds * 1000);
    await this.rows.insert({ challenge, origin: 'issued', createdAt: now.toISOString(), expiresAt: expiresAt.toISOString(), usedAt: null });
    this.handedOut += 1;
    if (this.handedOut % PURGE_EVERY === 0) await this.purgeExpired();
    return { challenge, expiresAt };
  }

  /**
   * Uses `challenge` for one presentation. Call it only once the presentation's holder signature over the challenge
   * verified, so nobody can burn a challenge with a forged presentation.
   * @param challenge - at most 128 characters (longer ones are refused by the request schema)
   */
  async consume(challenge: string): Promise<ChallengeUse> {
    const now = this.clock.now().toISOString();
    const claimed = await this.rows.update({ challenge, usedAt: IsNull(), expiresAt: MoreThan(now) }, { usedAt: now });
    if ((claimed.affected ?? 0) > 0) return 'issued';
    const existing = await this.rows.findOneBy({ challenge });
    if (existing) return existing.usedAt !== null ? 'used' : 'expired';
    const expiresAt = new Date(this.clock.now().getTime() + this.settings.seenRetentionSeconds * 1000).toISOString();
    try {
      await this.rows.insert({ challenge, origin: 'seen', createdAt: now, expiresAt, usedAt: now });
      return 'first-seen';
    } catch (error) {
      if (isUniqueViolation(error)) return 'used';
      throw error;
    }
  }

  /** Deletes the rows past their expiry; returns how many. */
  async purgeExpired(): Promise<number> {
    const result = await this.rows.delete({ expiresAt: LessThan(this.clock.now().toISOString()) });
    return result.affected ?? 0;
  }
}

