import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 19, part-time workers: the employers' labour contracts, one row per version (`labor_contracts`; docs/labor.md).
 * Created with TypeORM's table builder, so the same migration runs on SQLite and PostgreSQL.
 */
export class LaborContracts1767300000000 implements MigrationInterface {
  name = 'LaborContracts1767300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'labor_contracts',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'contract_id', type: 'varchar', length: '36' },
          { name: 'previous_version', type: 'varchar', length: '36', isNullable: true },
          { name: 'version', type: 'integer' },
          { name: 'document', type: 'text' },
          { name: 'hash', type: 'varchar', length: '66' },
          { name: 'state', type: 'varchar', length: '20' },
          { name: 'worker_did', type: 'varchar', length: '2048', isNullable: true },
          { name: 'worker_signature', type: 'text', isNullable: true },
          { name: 'employer_signature', type: 'text', isNullable: true },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'offers', type: 'text', default: "'[]'" },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'ended_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'end_date', type: 'varchar', length: '10', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'IDX_labor_contracts_tenant', columnNames: ['tenant_id'] }),
          new TableIndex({ name: 'IDX_labor_contracts_lineage', columnNames: ['contract_id'] }),
          new TableIndex({ name: 'IDX_labor_contracts_token', columnNames: ['token_hash'], isUnique: true }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('labor_contracts');
  }
}
