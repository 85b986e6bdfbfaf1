import type { DataSource } from 'typeorm';
import { createDataSource, type DatabaseLocation } from './data-source.js';

/**
 * The verifier's database. It holds no tables yet: presentation requests and nonces arrive with the
 * verifier issue. It is opened anyway so health reflects the database the verifier will depend on.
 */
export function createVerifierDataSource(location: DatabaseLocation): DataSource {
  return createDataSource({ ...location, entities: [], migrations: [], migrationsTableName: 'verifier_migrations' });
}
