import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Benefit programs' participations, by keyed pseudonym, and the pseudonyms' secret (docs/youth-allowance.md). */
export class ProgramParticipations1766100000000 implements MigrationInterface {
  name = 'ProgramParticipations1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'program_participations',
        columns: [
          { name: 'program', type: 'varchar', length: '64', isPrimary: true },
          { name: 'pseudonym', type: 'varchar', length: '64', isPrimary: true },
          { name: 'config_version', type: 'varchar', length: '32' },
          { name: 'decided_at', type: 'varchar', length: '32' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'program_secrets',
        columns: [
          { name: 'purpose', type: 'varchar', length: '32', isPrimary: true },
          { name: 'secret', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('program_secrets');
    await queryRunner.dropTable('program_participations');
  }
}
