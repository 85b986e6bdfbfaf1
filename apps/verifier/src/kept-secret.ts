import { randomBytes } from 'node:crypto';
import type { Clock } from '@citycred/config';
import { isUniqueViolation } from '@citycred/persistence';
import type { DataSource, EntityTarget } from 'typeorm';

/** A row of a table of kept secrets (`petition_secrets`, `program_secrets`): 64 hex digits under their purpose. */
export interface KeptSecretRow {
  purpose: string;
  /** 64 hex digits. */
  secret: string;
  /** ISO 8601 (injected clock). */
  createdAt: string;
}

/** Where a secret is kept, and what it is called in errors. */
export interface KeptSecret {
  /** The entity of the table it is kept in. */
  entity: EntityTarget<KeptSecretRow>;
  /** Its row's primary key. */
  purpose: string;
  /** E.g. `petition pseudonym key`. */
  name: string;
}

/**
 * A 32-byte secret: `configured` (64 hex digits, checked by the configuration) when given; else the one kept in the
 * verifier database, made by the first process that asked (two starting together end up with the first row). Never in
 * the repository.
 * @throws Error when a stored secret is malformed (the database was altered); database errors as they come
 */
export async function loadKeptSecret(dataSource: DataSource, clock: Clock, kept: KeptSecret, configured?: string): Promise<Uint8Array> {
  if (configured !== undefined) return Buffer.from(configured, 'hex');
  const rows = dataSource.getRepository(kept.entity);
  const stored = await rows.findOneBy({ purpose: kept.purpose });
  if (stored) return secretOf(stored.secret, kept);
  const secret = randomBytes(32).toString('hex');
  try {
    await rows.insert({ purpose: kept.purpose, secret, createdAt: clock.now().toISOString() });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await rows.findOneBy({ purpose: kept.purpose });
    if (!winner) throw error;
    return secretOf(winner.secret, kept);
  }
  return secretOf(secret, kept);
}

function secretOf(hex: string, kept: KeptSecret): Uint8Array {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`the stored ${kept.name} is not 64 hex digits`);
  return Buffer.from(hex, 'hex');
}
