import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Petitions (resident audit claims, docs/petitions.md): petitions, their pseudonymous signatures, signing requests, the pseudonym key. */
export class Petitions1767750000000 implements MigrationInterface {
  name = 'Petitions1767750000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'petitions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'description', type: 'text' },
          { name: 'threshold', type: 'integer' },
          { name: 'deadline', type: 'varchar', length: '32' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'signature_count', type: 'integer' },
          { name: 'opened_by', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'closed_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'closed_by', type: 'varchar', length: '16', isNullable: true },
          { name: 'tally_root', type: 'varchar', length: '66', isNullable: true },
          { name: 'tally_digest', type: 'varchar', length: '66', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex('petitions', new TableIndex({ name: 'IDX_petitions_state_deadline', columnNames: ['state', 'deadline'] }));
    await queryRunner.createTable(
      new Table({
        name: 'petition_signatures',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'petition_id', type: 'varchar', length: '36' },
          { name: 'pseudonym', type: 'varchar', length: '64' },
          { name: 'signed_at', type: 'varchar', length: '32' },
          { name: 'leaf_hash', type: 'varchar', length: '66' },
        ],
        foreignKeys: [{ columnNames: ['petition_id'], referencedTableName: 'petitions', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createIndex('petition_signatures', new TableIndex({ name: 'UQ_petition_signatures_pseudonym', columnNames: ['petition_id', 'pseudonym'], isUnique: true }));
    await queryRunner.createTable(
      new Table({
        name: 'petition_signature_requests',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'petition_id', type: 'varchar', length: '36' },
          { name: 'outcome', type: 'varchar', length: '32', isNullable: true },
          { name: 'leaf_hash', type: 'varchar', length: '66', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
        foreignKeys: [{ columnNames: ['petition_id'], referencedTableName: 'petitions', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'petition_secrets',
        columns: [
          { name: 'purpose', type: 'varchar', length: '32', isPrimary: true },
          { name: 'secret', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('petition_secrets');
    await queryRunner.dropTable('petition_signature_requests');
    await queryRunner.dropIndex('petition_signatures', 'UQ_petition_signatures_pseudonym');
    await queryRunner.dropTable('petition_signatures');
    await queryRunner.dropIndex('petitions', 'IDX_petitions_state_deadline');
    await queryRunner.dropTable('petitions');
  }
}
