import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const ts = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '32', isNullable });

/** Console operators and their sessions; each tenant's hash-chained audit log and its head. */
export class ConsoleAndAudit1764800000000 implements MigrationInterface {
  name = 'ConsoleAndAudit1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'console_operators',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'username', type: 'varchar', length: '64' },
          { name: 'display_name', type: 'varchar', length: '100' },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'password_hash', type: 'varchar', length: '200' },
          ts('created_at'),
          ts('disabled_at', true),
        ],
        foreignKeys: [{ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createIndex('console_operators', new TableIndex({ name: 'uq_console_operators_username', columnNames: ['tenant_id', 'username'], isUnique: true }));
    await queryRunner.createTable(
      new Table({
        name: 'console_sessions',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'operator_id', type: 'varchar', length: '36' },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          ts('created_at'),
          ts('last_seen_at'),
        ],
        foreignKeys: [{ columnNames: ['operator_id'], referencedTableName: 'console_operators', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createIndex('console_sessions', new TableIndex({ name: 'idx_console_sessions_operator', columnNames: ['operator_id'] }));
    await queryRunner.createTable(
      new Table({
        name: 'audit_entries',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'seq', type: 'integer', isPrimary: true },
          ts('at'),
          { name: 'actor_kind', type: 'varchar', length: '16' },
          { name: 'actor_id', type: 'varchar', length: '100' },
          { name: 'action', type: 'varchar', length: '64' },
          { name: 'target', type: 'varchar', length: '200', isNullable: true },
          { name: 'details', type: 'text' },
          { name: 'prev_hash', type: 'varchar', length: '64' },
          { name: 'hash', type: 'varchar', length: '64' },
        ],
        foreignKeys: [{ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_heads',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'seq', type: 'integer' },
          { name: 'hash', type: 'varchar', length: '64' },
          { name: 'anchored_seq', type: 'integer', isNullable: true },
          { name: 'anchored_hash', type: 'varchar', length: '64', isNullable: true },
          ts('anchored_at', true),
        ],
        foreignKeys: [{ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_heads', 'audit_entries', 'console_sessions', 'console_operators']) await queryRunner.dropTable(table);
  }
}
