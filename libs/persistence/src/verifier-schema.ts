import type { DataSource } from 'typeorm';
import { createDataSource, type DatabaseLocation, type DataSourceSpec } from './data-source.js';

/** What the verifier's bounded contexts keep in its database: their entities and migrations, owned beside them. */
export type VerifierSchema = Pick<DataSourceSpec, 'entities' | 'migrations'>;

/**
 * The verifier's database, with the tables its contexts declare (presentation challenges, …). Its migrations are
 * recorded in `verifier_migrations`, apart from the issuer's, so both services can share one PostgreSQL database.
 */
export function createVerifierDataSource(location: DatabaseLocation, schema: VerifierSchema = { entities: [], migrations: [] }): DataSource {
  return createDataSource({ ...location, ...schema, migrationsTableName: 'verifier_migrations' });
}
