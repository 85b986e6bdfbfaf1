import { createHmac } from 'node:crypto';
import type { Clock } from '@citycred/config';
import { isUniqueViolation } from '@citycred/persistence';
import { In, type DataSource } from 'typeorm';
import { loadKeptSecret } from '../kept-secret.js';
import { ProgramParticipationEntity, ProgramSecretEntity } from './participation.entity.js';

/** Domain separation of the per-program keys, so the secret keys nothing else the same way. */
const KEY_LABEL = 'citycred/program-participation/v1/';

/**
 * Keyed pseudonyms of citizen card personIds, one key per program: `HMAC-SHA-256(k_p, personId)` with
 * `k_p = HMAC-SHA-256(secret, "citycred/program-participation/v1/" + program)`. Without the secret nobody can tell
 * whose pseudonym a row is, nor link one person's rows across programs. Pure computation: nothing is stored.
 */
export class ParticipationPseudonyms {
  private readonly secret: Buffer;

  /** @param secret - 32 bytes */
  constructor(secret: Uint8Array) {
    if (secret.length !== 32) throw new RangeError('the participation secret is 32 bytes');
    this.secret = Buffer.from(secret);
  }

  /**
   * The pseudonym of `personId` in `program`.
   * @returns 64 lower-case hex digits
   */
  of(program: string, personId: string): string {
    const programKey = createHmac('sha256', this.secret).update(`${KEY_LABEL}${program}`, 'utf8').digest();
    return createHmac('sha256', programKey).update(personId, 'utf8').digest('hex');
  }
}

/**
 * The participation pseudonyms' secret: `configured` (`PARTICIPATION_SECRET`, 64 hex digits) when given; else the one
 * in the verifier database, made by the first process that asked (two starting together end up with the first row).
 * @throws Error when a stored secret is malformed (the database was altered); database errors as they come
 */
export function loadParticipationSecret(dataSource: DataSource, clock: Clock, configured?: string): Promise<Uint8Array> {
  return loadKeptSecret(dataSource, clock, { entity: ProgramSecretEntity, purpose: 'participation', name: 'participation secret' }, configured);
}

/**
 * Who already took part in a program, without a register of people: rows hold keyed pseudonyms only
 * ({@link ParticipationPseudonyms}); a personId is hashed on the way in and never stored or logged.
 */
export class ParticipationRegister {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pseudonyms: ParticipationPseudonyms,
  ) {}

  /**
   * Which of `personIds` took part in `program` already.
   * @returns the subset of `personIds` with a participation on record
   */
  async participated(program: string, personIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (personIds.length === 0) return new Set();
    const byPseudonym = new Map(personIds.map((personId) => [this.pseudonyms.of(program, personId), personId]));
    const rows = await this.dataSource.getRepository(ProgramParticipationEntity).findBy({ program, pseudonym: In([...byPseudonym.keys()]) });
    return new Set(rows.map((row) => byPseudonym.get(row.pseudonym)!));
  }

  /**
   * Records that `personId` took part in `program`, once.
   * @returns `recorded`, or `already` when a participation was on record (e.g. another application decided at the
   *   same moment): the caller then refuses this one
   */
  async record(program: string, personId: string, configVersion: string, decidedAt: Date): Promise<'recorded' | 'already'> {
    try {
      await this.dataSource.getRepository(ProgramParticipationEntity).insert({
        program,
        pseudonym: this.pseudonyms.of(program, personId),
        configVersion,
        decidedAt: decidedAt.toISOString(),
      });
      return 'recorded';
    } catch (error) {
      if (isUniqueViolation(error)) return 'already';
      throw error;
    }
  }
}
