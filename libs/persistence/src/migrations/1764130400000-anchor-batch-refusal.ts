import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Anchor batches the chain refuses for good (the tenant is not accredited) are set aside in state `refused`
 * with the reason and time. Plain `ALTER TABLE … ADD COLUMN` of nullable columns: the same statement runs on
 * SQLite and PostgreSQL, and on SQLite it does not rebuild the table (which `anchor_outbox` references).
 */
export class AnchorBatchRefusal1764130400000 implements MigrationInterface {
  name = 'AnchorBatchRefusal1764130400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "anchor_batches" ADD COLUMN "refusal_reason" varchar(64)');
    await queryRunner.query('ALTER TABLE "anchor_batches" ADD COLUMN "refused_at" varchar(32)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The previous schema knows no `refused` state: such batches go back to being retried.
    await queryRunner.query(`UPDATE "anchor_batches" SET "state" = 'sealed' WHERE "state" = 'refused'`);
    await queryRunner.query('ALTER TABLE "anchor_batches" DROP COLUMN "refused_at"');
    await queryRunner.query('ALTER TABLE "anchor_batches" DROP COLUMN "refusal_reason"');
  }
}
