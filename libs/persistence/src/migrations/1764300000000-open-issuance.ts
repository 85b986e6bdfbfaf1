import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 15's first step:
 * - `anchor_outbox.kind`: what a queued digest is (a credential, a status-list version, an audit-log head…), so the
 *   anchoring module anchors any digest the issuer's contexts hand it; existing rows are credentials.
 * - `issued_credentials.format` now names the credential-format seam's ids (`jwt_vc`, `vc+jwt`, `dc+sd-jwt`).
 * - `credential_type_schemas`: the JSON Schemas tenants configured for open issuance register for their own types.
 * Plain `ADD COLUMN` with a default and `UPDATE`: the same statements run on SQLite (no table rebuild) and PostgreSQL.
 */
export class OpenIssuance1764300000000 implements MigrationInterface {
  name = 'OpenIssuance1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "anchor_outbox" ADD COLUMN "kind" varchar(16) NOT NULL DEFAULT 'credential'`);
    await queryRunner.query(`UPDATE "issued_credentials" SET "format" = 'jwt_vc' WHERE "format" = 'jwt'`);
    await queryRunner.query(`UPDATE "issued_credentials" SET "format" = 'dc+sd-jwt' WHERE "format" = 'sd-jwt'`);
    await queryRunner.createTable(
      new Table({
        name: 'credential_type_schemas',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'type', type: 'varchar', length: '64', isPrimary: true },
          { name: 'schema', type: 'text' },
          { name: 'registered_at', type: 'varchar', length: '32' },
        ],
        foreignKeys: [{ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('credential_type_schemas');
    await queryRunner.query(`UPDATE "issued_credentials" SET "format" = 'jwt' WHERE "format" = 'jwt_vc'`);
    await queryRunner.query(`UPDATE "issued_credentials" SET "format" = 'sd-jwt' WHERE "format" = 'dc+sd-jwt'`);
    await queryRunner.query('ALTER TABLE "anchor_outbox" DROP COLUMN "kind"');
  }
}
