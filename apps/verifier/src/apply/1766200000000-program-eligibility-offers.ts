import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The eligibility offer made for each eligible application (docs/youth-allowance.md, "The application page"). */
export class ProgramEligibilityOffers1766200000000 implements MigrationInterface {
  name = 'ProgramEligibilityOffers1766200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'program_eligibility_offers',
        columns: [
          { name: 'application', type: 'varchar', length: '36', isPrimary: true },
          { name: 'program', type: 'varchar', length: '64' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'claimed_at', type: 'varchar', length: '32' },
          { name: 'offer_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'offer_link', type: 'text', isNullable: true },
          { name: 'tx_code', type: 'varchar', length: '16', isNullable: true },
          { name: 'expires_at', type: 'varchar', length: '32', isNullable: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('program_eligibility_offers');
  }
}
