import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The verifier's digest-anchoring outbox (ADR 0015). */
export class DigestAnchorOutbox1767760000000 implements MigrationInterface {
  name = 'DigestAnchorOutbox1767760000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'digest_anchor_outbox',
        columns: [
          { name: 'digest', type: 'varchar', length: '66', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'enqueued_at', type: 'varchar', length: '32' },
          { name: 'submitted_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'issuer_did', type: 'varchar', length: '200', isNullable: true },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          { name: 'anchor', type: 'text', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex('digest_anchor_outbox', new TableIndex({ name: 'idx_digest_anchor_outbox_open', columnNames: ['submitted_at', 'enqueued_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('digest_anchor_outbox');
  }
}
