import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gas each batch's anchoring transaction used and the price it paid per unit, from its receipt (the
 * operator's cost per credential; `/metrics`). Nullable: batches anchored before stay without. Plain
 * `ALTER TABLE … ADD COLUMN`: the same statements run on SQLite (no table rebuild) and PostgreSQL.
 */
export class AnchorBatchGas1764650000000 implements MigrationInterface {
  name = 'AnchorBatchGas1764650000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "anchor_batches" ADD COLUMN "gas_used" integer');
    await queryRunner.query('ALTER TABLE "anchor_batches" ADD COLUMN "effective_gas_price" varchar(78)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "anchor_batches" DROP COLUMN "effective_gas_price"');
    await queryRunner.query('ALTER TABLE "anchor_batches" DROP COLUMN "gas_used"');
  }
}
