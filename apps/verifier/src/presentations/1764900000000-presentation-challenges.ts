import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The verifier's first table: single-use presentation challenges (docs/presentations.md). */
export class PresentationChallenges1764900000000 implements MigrationInterface {
  name = 'PresentationChallenges1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'presentation_challenges',
        columns: [
          { name: 'challenge', type: 'varchar', length: '128', isPrimary: true },
          { name: 'origin', type: 'varchar', length: '8' },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'expires_at', type: 'varchar', length: '32' },
          { name: 'used_at', type: 'varchar', length: '32', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'IDX_presentation_challenges_expires', columnNames: ['expires_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('presentation_challenges');
  }
}
