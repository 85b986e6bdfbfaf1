import type { Clock } from '@citycred/config';
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import { IsNull, LessThanOrEqual, type DataSource, type Repository } from 'typeorm';
import { OidcPayloadEntity } from './oidc.entity.js';

/** Expired rows are deleted once every this many writes (no scheduler needed). */
const PURGE_EVERY = 128;

/**
 * oidc-provider's storage over the verifier's database (SQLite or PostgreSQL), one instance per model: every process
 * on the database sees the same sessions, interactions, grants and codes, and they survive a restart. A row past its
 * expiry (the injected clock) is absent. Using a code is one conditional `UPDATE … WHERE consumed_at IS NULL`: of two
 * token requests racing with one code, exactly one gets it; the other is refused `invalid_grant`, as a later reuse is
 * (the provider then also revokes what the code granted).
 */
export class OidcAdapter implements Adapter {
  private readonly rows: Repository<OidcPayloadEntity>;

  /**
   * @param model - the model this instance stores (`Session`, `AuthorizationCode`…, or the sign-in's own)
   * @param writes - shared by the instances of one provider: counts writes, to purge expired rows now and then
   */
  constructor(
    private readonly model: string,
    dataSource: DataSource,
    private readonly clock: Clock,
    private readonly writes: { count: number } = { count: 0 },
  ) {
    this.rows = dataSource.getRepository(OidcPayloadEntity);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
    const now = this.clock.now().getTime();
    await this.rows.upsert(
      {
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        grantId: typeof payload.grantId === 'string' ? payload.grantId : null,
        uid: typeof payload.uid === 'string' ? payload.uid : null,
        userCode: typeof payload.userCode === 'string' ? payload.userCode : null,
        expiresAt: typeof expiresIn === 'number' ? new Date(now + expiresIn * 1000).toISOString() : null,
        consumedAt: null,
      },
      ['model', 'id'],
    );
    this.writes.count += 1;
    if (this.writes.count % PURGE_EVERY === 0) await this.purgeExpired();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.payloadOf(await this.rows.findOneBy({ model: this.model, id }));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.payloadOf(await this.rows.findOneBy({ model: this.model, uid }));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.payloadOf(await this.rows.findOneBy({ model: this.model, userCode }));
  }

  /**
   * Marks a code used, once.
   * @throws oidc-provider's InvalidGrant when it was used already (a racing request took it first) or is gone
   */
  async consume(id: string): Promise<void> {
    const { affected } = await this.rows.update({ model: this.model, id, consumedAt: IsNull() }, { consumedAt: this.clock.now().toISOString() });
    if ((affected ?? 0) === 0) throw new errors.InvalidGrant('authorization code already consumed');
  }

  async destroy(id: string): Promise<void> {
    await this.rows.delete({ model: this.model, id });
  }

  /** Deletes this model's instances (codes, tokens) that belong to a grant. */
  async revokeByGrantId(grantId: string): Promise<void> {
    await this.rows.delete({ model: this.model, grantId });
  }

  /** Deletes every row past its expiry; returns how many. */
  async purgeExpired(): Promise<number> {
    const { affected } = await this.rows.delete({ expiresAt: LessThanOrEqual(this.clock.now().toISOString()) });
    return affected ?? 0;
  }

  private payloadOf(row: OidcPayloadEntity | null): AdapterPayload | undefined {
    if (row === null) return undefined;
    if (row.expiresAt !== null && row.expiresAt <= this.clock.now().toISOString()) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    return row.consumedAt === null ? payload : { ...payload, consumed: Math.floor(new Date(row.consumedAt).getTime() / 1000) };
  }
}
