import type { DataSource, EntityManager } from 'typeorm';

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Runs `work` in one database transaction. On PostgreSQL each transaction gets its own pooled connection.
 * On SQLite TypeORM runs every query of a data source on one connection, so two transactions started
 * together would interleave (the second BEGIN fails and its ROLLBACK undoes the first one's open work);
 * they are therefore queued one after another per data source in this process.
 * @returns what `work` returns, once committed
 * @throws what `work` throws, after rolling back
 */
export function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type === 'postgres') return dataSource.transaction(work);
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => dataSource.transaction(work));
  sqliteQueues.set(dataSource, next);
  return next;
}
