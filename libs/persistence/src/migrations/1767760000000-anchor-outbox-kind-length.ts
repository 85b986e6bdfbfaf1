import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ADR 0015, digests other services hand to the anchoring (`POST /anchors/digests`): `anchor_outbox.kind` takes up to
 * 32 characters (`signature-receipt` has 17). PostgreSQL widens the column in place; SQLite does not enforce varchar
 * lengths, so there is nothing to change there (no table rebuild).
 */
export class AnchorOutboxKindLength1767760000000 implements MigrationInterface {
  name = 'AnchorOutboxKindLength1767760000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query('ALTER TABLE "anchor_outbox" ALTER COLUMN "kind" TYPE varchar(32)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') return;
    await queryRunner.query('ALTER TABLE "anchor_outbox" ALTER COLUMN "kind" TYPE varchar(16)');
  }
}
