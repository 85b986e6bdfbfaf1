import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Reads and writes for the hot paths (issuing a credential writes a credential row, an anchoring outbox row and an audit entry
 * in one transaction), as plain parameterised SQL built once per entity and column set.
 *
 * Why not `manager.insert` / `manager.update`: TypeORM's query builder rebuilds the SQL text on every call; on SQLite it
 * also writes numeric parameters into the text (so every audit entry's `seq` made a new statement to prepare, and
 * the statement cache never hit) and reads back an inserted row whose primary key the database generates. Values go
 * through the driver's own `preparePersistentValue`, so column types and transformers are honoured as TypeORM would.
 */

const statements = new WeakMap<EntityMetadata, Map<string, { sql: string; columns: EntityMetadata['columns'] }>>();

function placeholder(manager: EntityManager, position: number): string {
  return manager.connection.driver.options.type === 'postgres' ? `$${position}` : '?';
}

function tableOf(manager: EntityManager, metadata: EntityMetadata): string {
  return metadata.tablePath
    .split('.')
    .map((part) => manager.connection.driver.escape(part))
    .join('.');
}

function cached(
  manager: EntityManager,
  metadata: EntityMetadata,
  key: string,
  build: () => { sql: string; columns: EntityMetadata['columns'] },
): { sql: string; columns: EntityMetadata['columns'] } {
  let byKey = statements.get(metadata);
  if (!byKey) statements.set(metadata, (byKey = new Map()));
  const fullKey = `${manager.connection.driver.options.type}:${key}`;
  let statement = byKey.get(fullKey);
  if (!statement) byKey.set(fullKey, (statement = build()));
  return statement;
}

function columnsFor(metadata: EntityMetadata, properties: readonly string[]): EntityMetadata['columns'] {
  return properties.map((property) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new TypeError(`${metadata.name} has no column for the property "${property}"`);
    return column;
  });
}

/**
 * Inserts one row: the properties given (not `undefined`) become its columns; the others take their defaults.
 * @param manager - the caller's transaction (or the data source's manager)
 * @throws TypeError for a property the entity does not map (a fault of the calling code); the driver's errors as
 *   `manager.query` throws them (unique violations included)
 */
export async function insertRow<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, row: Partial<T>): Promise<void> {
  const metadata = manager.connection.getMetadata(target);
  const properties = Object.keys(row).filter((property) => row[property] !== undefined);
  const { sql, columns } = cached(manager, metadata, `insert:${properties.join(',')}`, () => {
    const columns = columnsFor(metadata, properties);
    const names = columns.map((column) => manager.connection.driver.escape(column.databaseName)).join(', ');
    const values = columns.map((_, i) => placeholder(manager, i + 1)).join(', ');
    return { sql: `INSERT INTO ${tableOf(manager, metadata)} (${names}) VALUES (${values})`, columns };
  });
  await manager.query(
    sql,
    columns.map((column) => manager.connection.driver.preparePersistentValue(row[column.propertyName], column)),
  );
}

/**
 * Sets columns of the rows whose columns equal every value in `where`.
 * @throws TypeError for a property the entity does not map
 */
export async function updateRows<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  where: Partial<T>,
  set: Partial<T>,
): Promise<void> {
  const metadata = manager.connection.getMetadata(target);
  const setProperties = Object.keys(set);
  const whereProperties = Object.keys(where);
  const { sql, columns } = cached(manager, metadata, `update:${setProperties.join(',')}:${whereProperties.join(',')}`, () => {
    const setColumns = columnsFor(metadata, setProperties);
    const whereColumns = columnsFor(metadata, whereProperties);
    const escape = (name: string) => manager.connection.driver.escape(name);
    const assignments = setColumns.map((column, i) => `${escape(column.databaseName)} = ${placeholder(manager, i + 1)}`).join(', ');
    const conditions = whereColumns
      .map((column, i) => `${escape(column.databaseName)} = ${placeholder(manager, setColumns.length + i + 1)}`)
      .join(' AND ');
    return { sql: `UPDATE ${tableOf(manager, metadata)} SET ${assignments} WHERE ${conditions}`, columns: [...setColumns, ...whereColumns] };
  });
  const params = columns.map((column, i) =>
    manager.connection.driver.preparePersistentValue(i < setProperties.length ? set[column.propertyName] : where[column.propertyName], column),
  );
  await manager.query(sql, params);
}

/**
 * The one row whose columns equal every value in `where`, every mapped column read back through the driver's
 * `prepareHydratedValue` (as TypeORM hydrates an entity), or null.
 * @param options.forUpdate - on PostgreSQL, lock the row until the transaction ends (`FOR UPDATE`); SQLite has no
 *   row locks (a transaction that wrote first holds the database's write lock)
 * @throws TypeError for a property the entity does not map
 */
export async function findRow<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  where: Partial<T>,
  options: { forUpdate?: boolean } = {},
): Promise<T | null> {
  const metadata = manager.connection.getMetadata(target);
  const whereProperties = Object.keys(where);
  const lock = options.forUpdate === true && manager.connection.driver.options.type === 'postgres';
  const { sql, columns } = cached(manager, metadata, `select:${whereProperties.join(',')}:${lock}`, () => {
    const escape = (name: string) => manager.connection.driver.escape(name);
    const whereColumns = columnsFor(metadata, whereProperties);
    const list = metadata.columns.map((column) => `${escape(column.databaseName)} AS ${escape(column.propertyName)}`).join(', ');
    const conditions = whereColumns.map((column, i) => `${escape(column.databaseName)} = ${placeholder(manager, i + 1)}`).join(' AND ');
    return { sql: `SELECT ${list} FROM ${tableOf(manager, metadata)} WHERE ${conditions}${lock ? ' FOR UPDATE' : ''}`, columns: whereColumns };
  });
  const rows = (await manager.query(
    sql,
    columns.map((column) => manager.connection.driver.preparePersistentValue(where[column.propertyName], column)),
  )) as Array<Record<string, unknown>>;
  const row = rows[0];
  if (!row) return null;
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    (entity as Record<string, unknown>)[column.propertyName] = manager.connection.driver.prepareHydratedValue(row[column.propertyName], column);
  }
  return entity;
}
