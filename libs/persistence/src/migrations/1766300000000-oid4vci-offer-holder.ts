import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 18, eligibility credentials to the wallet that applied: an OpenID4VCI offer may be bound to a holder
 * (`oid4vci_offers.holder_did`, null for the offers made before and for unbound ones). A plain nullable `ADD COLUMN`:
 * the same statement runs on SQLite (no table rebuild) and PostgreSQL.
 */
export class Oid4vciOfferHolder1766300000000 implements MigrationInterface {
  name = 'Oid4vciOfferHolder1766300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "oid4vci_offers" ADD COLUMN "holder_did" varchar(2048)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "oid4vci_offers" DROP COLUMN "holder_did"');
  }
}
