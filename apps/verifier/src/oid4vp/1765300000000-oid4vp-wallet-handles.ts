import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * OpenID4VP presentation requests get a wallet handle apart from their id, and may ask for an encrypted answer
 * (docs/oid4vp.md):
 * - `wallet_handle`: the path segment of the request and response URIs (the QR code), unique. The id the creator reads
 *   the state with no longer appears in them. Requests made before take their id as their handle, so wallets that
 *   already scanned one can still answer it (its id was in their QR code anyway).
 * - `response_mode`: `direct_post` (every request made before) or `direct_post.jwt`.
 * - `response_key`: the request's own ECDH-ES private key (JWK) for `direct_post.jwt`, null otherwise.
 * TypeORM's column operations, which rebuild the table on SQLite (it cannot add a NOT NULL column without a default
 * to rows that exist) and alter it in place on PostgreSQL.
 */
export class Oid4vpWalletHandles1765300000000 implements MigrationInterface {
  name = 'Oid4vpWalletHandles1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('oid4vp_requests', [
      new TableColumn({ name: 'wallet_handle', type: 'varchar', length: '43', isNullable: true }),
      new TableColumn({ name: 'response_mode', type: 'varchar', length: '16', default: "'direct_post'" }),
      new TableColumn({ name: 'response_key', type: 'text', isNullable: true }),
    ]);
    await queryRunner.query('UPDATE "oid4vp_requests" SET "wallet_handle" = "id"');
    await queryRunner.changeColumn('oid4vp_requests', 'wallet_handle', new TableColumn({ name: 'wallet_handle', type: 'varchar', length: '43' }));
    await queryRunner.createIndex('oid4vp_requests', new TableIndex({ name: 'IDX_oid4vp_requests_wallet_handle', columnNames: ['wallet_handle'], isUnique: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('oid4vp_requests', 'IDX_oid4vp_requests_wallet_handle');
    await queryRunner.dropColumns('oid4vp_requests', ['response_key', 'response_mode', 'wallet_handle']);
  }
}
