import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, tenants: a tenant's English name beside its name (`tenants.name_en`, null for the tenants made before,
 * and for those onboarded without one). A plain nullable `ADD COLUMN`: the same statement runs on SQLite (no table
 * rebuild) and PostgreSQL.
 */
export class TenantEnglishName1764900000000 implements MigrationInterface {
  name = 'TenantEnglishName1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "tenants" ADD COLUMN "name_en" varchar(200)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "tenants" DROP COLUMN "name_en"');
  }
}
