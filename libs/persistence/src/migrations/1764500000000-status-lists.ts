import { Table, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';

const ts = (name: string) => ({ name, type: 'varchar', length: '32' });

/** Status lists (W3C Bitstring and IETF Token Status List), each credential's place in them, and the history of changes. */
export class StatusLists1764500000000 implements MigrationInterface {
  name = 'StatusLists1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'status_lists',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'purpose', type: 'varchar', length: '16' },
          { name: 'seq', type: 'integer' },
          { name: 'size', type: 'integer' },
          { name: 'bits_per_entry', type: 'integer' },
          { name: 'bits', type: 'text' },
          { name: 'version', type: 'integer' },
          { name: 'url', type: 'text' },
          { name: 'published_jwt', type: 'text' },
          { name: 'etag', type: 'varchar', length: '80' },
          { name: 'signed_by', type: 'varchar', length: '132', isNullable: true },
          ts('published_at'),
          ts('created_at'),
        ],
        uniques: [new TableUnique({ name: 'uq_status_lists_sequence', columnNames: ['tenant_id', 'kind', 'purpose', 'seq'] })],
        foreignKeys: [{ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'status_entries',
        columns: [
          { name: 'list_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'status_index', type: 'integer', isPrimary: true },
          { name: 'credential_id', type: 'varchar', length: '100' },
          ts('created_at'),
        ],
        foreignKeys: [{ columnNames: ['list_id'], referencedTableName: 'status_lists', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createIndex('status_entries', new TableIndex({ name: 'uq_status_entries_credential_list', columnNames: ['credential_id', 'list_id'], isUnique: true }));
    await queryRunner.createTable(
      new Table({
        name: 'status_history',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'credential_id', type: 'varchar', length: '100' },
          { name: 'action', type: 'varchar', length: '16' },
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'actor', type: 'varchar', length: '200' },
          ts('at'),
        ],
        foreignKeys: [{ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createIndex('status_history', new TableIndex({ name: 'idx_status_history_credential', columnNames: ['tenant_id', 'credential_id', 'seq'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['status_history', 'status_entries', 'status_lists']) await queryRunner.dropTable(table);
  }
}
