import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** OpenID4VP presentation requests and the verifier's request-signing key (docs/oid4vp.md). */
export class Oid4vpRequests1765200000000 implements MigrationInterface {
  name = 'Oid4vpRequests1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'oid4vp_requests',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'policy_id', type: 'varchar', length: '100' },
          { name: 'policy_version', type: 'varchar', length: '32' },
          { name: 'purpose', type: 'varchar', length: '200', isNullable: true },
          { name: 'nonce', type: 'varchar', length: '128' },
          { name: 'oauth_state', type: 'varchar', length: '64' },
          { name: 'response_uri', type: 'varchar', length: '600' },
          { name: 'dcql_query', type: 'text' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'created_at', type: 'varchar', length: '32' },
          { name: 'expires_at', type: 'varchar', length: '32' },
          { name: 'settled_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'result', type: 'text', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'IDX_oid4vp_requests_expires', columnNames: ['expires_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'oid4vp_signing_keys',
        columns: [
          { name: 'purpose', type: 'varchar', length: '32', isPrimary: true },
          { name: 'private_jwk', type: 'text' },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('oid4vp_signing_keys');
    await queryRunner.dropTable('oid4vp_requests');
  }
}
