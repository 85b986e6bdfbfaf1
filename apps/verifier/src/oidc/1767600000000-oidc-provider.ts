import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The OpenID Provider's storage (docs/oidc-provider.md): its models' payloads, and its secrets. */
export class OidcProvider1767600000000 implements MigrationInterface {
  name = 'OidcProvider1767600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'oidc_payloads',
        columns: [
          { name: 'model', type: 'varchar', length: '32', isPrimary: true },
          { name: 'id', type: 'varchar', length: '255', isPrimary: true },
          { name: 'payload', type: 'text' },
          { name: 'grant_id', type: 'varchar', length: '255', isNullable: true },
          { name: 'uid', type: 'varchar', length: '255', isNullable: true },
          { name: 'user_code', type: 'varchar', length: '255', isNullable: true },
          { name: 'expires_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'consumed_at', type: 'varchar', length: '32', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex('oidc_payloads', new TableIndex({ name: 'IDX_oidc_payloads_grant_id', columnNames: ['grant_id'] }));
    await queryRunner.createIndex('oidc_payloads', new TableIndex({ name: 'IDX_oidc_payloads_uid', columnNames: ['uid'] }));
    await queryRunner.createIndex('oidc_payloads', new TableIndex({ name: 'IDX_oidc_payloads_expires_at', columnNames: ['expires_at'] }));
    await queryRunner.createTable(
      new Table({
        name: 'oidc_secrets',
        columns: [
          { name: 'purpose', type: 'varchar', length: '32', isPrimary: true },
          { name: 'value', type: 'text' },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('oidc_secrets');
    await queryRunner.dropIndex('oidc_payloads', 'IDX_oidc_payloads_expires_at');
    await queryRunner.dropIndex('oidc_payloads', 'IDX_oidc_payloads_uid');
    await queryRunner.dropIndex('oidc_payloads', 'IDX_oidc_payloads_grant_id');
    await queryRunner.dropTable('oidc_payloads');
  }
}
