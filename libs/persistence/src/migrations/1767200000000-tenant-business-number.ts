import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 19, employers as tenants: an employer's business registration number (`tenants.business_number`, as
 * `NNN-NN-NNNNN`; null for departments, app operators and the tenants made before). A plain nullable `ADD COLUMN`: the
 * same statement runs on SQLite (no table rebuild) and PostgreSQL.
 */
export class TenantBusinessNumber1767200000000 implements MigrationInterface {
  name = 'TenantBusinessNumber1767200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "tenants" ADD COLUMN "business_number" varchar(12)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "tenants" DROP COLUMN "business_number"');
  }
}
