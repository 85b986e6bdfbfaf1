import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * OpenID4VP presentation requests may carry `transaction_data` (OpenID4VP 1.0 §5.1; docs/e-signature.md): the
 * base64url entries the request object sends and the wallet's KB-JWT must bind, as a JSON array. Null for every
 * request made before.
 */
export class Oid4vpTransactionData1767710000000 implements MigrationInterface {
  name = 'Oid4vpTransactionData1767710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('oid4vp_requests', new TableColumn({ name: 'transaction_data', type: 'text', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('oid4vp_requests', 'transaction_data');
  }
}
