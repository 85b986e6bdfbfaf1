import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const ts = (name: string, nullable = false) => ({ name, type: 'varchar', length: '32', isNullable: nullable });

/** Tenants, API keys, issued credentials and the anchoring outbox and batches. */
export class CreateIssuerSchema1764000000000 implements MigrationInterface {
  name = 'CreateIssuerSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'tenants',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'slug', type: 'varchar', length: '64', isUnique: true },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'did', type: 'varchar', length: '200', isUnique: true },
          { name: 'address', type: 'varchar', length: '42' },
          { name: 'credential_types', type: 'text' },
          ts('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'prefix', type: 'varchar', length: '24' },
          { name: 'key_hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'label', type: 'varchar', length: '100' },
          ts('created_at'),
          ts('revoked_at', true),
        ],
        foreignKeys: [{ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'issued_credentials',
        columns: [
          { name: 'id', type: 'varchar', length: '100', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'type', type: 'varchar', length: '64' },
          { name: 'format', type: 'varchar', length: '16' },
          { name: 'credential_hash', type: 'varchar', length: '66', isUnique: true },
          { name: 'subject_id', type: 'text', isNullable: true },
          ts('issued_at'),
          ts('expires_at', true),
          { name: 'encoded', type: 'text' },
        ],
        foreignKeys: [{ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createIndex('issued_credentials', new TableIndex({ name: 'idx_issued_credentials_tenant', columnNames: ['tenant_id', 'issued_at'] }));
    await queryRunner.createTable(
      new Table({
        name: 'anchor_batches',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'root', type: 'varchar', length: '66', isUnique: true },
          { name: 'leaf_count', type: 'integer' },
          { name: 'state', type: 'varchar', length: '16' },
          ts('created_at'),
          { name: 'tx_hash', type: 'varchar', length: '66', isNullable: true },
          { name: 'block_number', type: 'integer', isNullable: true },
          ts('anchored_at', true),
          { name: 'chain_id', type: 'integer', isNullable: true },
          { name: 'contract', type: 'varchar', length: '42', isNullable: true },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'last_error', type: 'text', isNullable: true },
          ts('lease_until', true),
          { name: 'lease_owner', type: 'varchar', length: '36', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createIndex('anchor_batches', new TableIndex({ name: 'idx_anchor_batches_state', columnNames: ['state'] }));
    await queryRunner.createTable(
      new Table({
        name: 'anchor_outbox',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'credential_hash', type: 'varchar', length: '66', isUnique: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          ts('enqueued_at'),
          { name: 'batch_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'leaf_index', type: 'integer', isNullable: true },
          { name: 'proof', type: 'text', isNullable: true },
        ],
        foreignKeys: [
          { columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'] },
          { columnNames: ['batch_id'], referencedTableName: 'anchor_batches', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createIndex('anchor_outbox', new TableIndex({ name: 'idx_anchor_outbox_pending', columnNames: ['batch_id', 'tenant_id', 'seq'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['anchor_outbox', 'anchor_batches', 'issued_credentials', 'api_keys', 'tenants']) {
      await queryRunner.dropTable(table);
    }
  }
}
