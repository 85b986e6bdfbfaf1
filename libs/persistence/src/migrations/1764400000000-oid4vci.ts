import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * OpenID4VCI issuance state: credential offers (pre-authorized code and transaction code as hashes only), access
 * tokens (hashes), `c_nonce` values and bulk offer jobs. Every row is a tenant's and carries its expiry; the
 * issuer's cleanup deletes expired rows (docs/oid4vci.md).
 */
export class Oid4vci1764400000000 implements MigrationInterface {
  name = 'Oid4vci1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'oid4vci_offers',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'credential_configuration_id', type: 'varchar', length: '100' },
          { name: 'claims', type: 'text', isNullable: true },
          { name: 'pre_authorized_code_hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'tx_code_hash', type: 'varchar', length: '64', isNullable: true },
          { name: 'tx_code_failures', type: 'integer', default: 0 },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'created_by', type: 'varchar', length: '120' },
          { name: 'bulk_job_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'expires_at', type: 'varchar', length: '32' },
          { name: 'redeemed_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'issued_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'credential_ids', type: 'text', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'IDX_oid4vci_offers_tenant', columnNames: ['tenant_id'] }),
          new TableIndex({ name: 'IDX_oid4vci_offers_expires', columnNames: ['expires_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'oid4vci_access_tokens',
        columns: [
          { name: 'token_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'offer_id', type: 'varchar', length: '36' },
          { name: 'expires_at', type: 'varchar', length: '32' },
          { name: 'used_at', type: 'varchar', length: '32', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'IDX_oid4vci_access_tokens_expires', columnNames: ['expires_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'oid4vci_nonces',
        columns: [
          { name: 'nonce', type: 'varchar', length: '64', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'expires_at', type: 'varchar', length: '32' },
          { name: 'used_at', type: 'varchar', length: '32', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'IDX_oid4vci_nonces_expires', columnNames: ['expires_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'oid4vci_bulk_jobs',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'total', type: 'integer' },
          { name: 'processed', type: 'integer', default: 0 },
          { name: 'report', type: 'text' },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'expires_at', type: 'varchar', length: '32' },
        ],
        indices: [new TableIndex({ name: 'IDX_oid4vci_bulk_jobs_expires', columnNames: ['expires_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['oid4vci_bulk_jobs', 'oid4vci_nonces', 'oid4vci_access_tokens', 'oid4vci_offers']) await queryRunner.dropTable(table);
  }
}
