import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Document signature requests and their receipts (docs/e-signature.md). */
export class SignatureRequests1767720000000 implements MigrationInterface {
  name = 'SignatureRequests1767720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'signature_requests',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'document_hash', type: 'varchar', length: '66' },
          { name: 'file_name', type: 'varchar', length: '255' },
          { name: 'media_type', type: 'varchar', length: '127' },
          { name: 'receipt', type: 'text', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('signature_requests');
  }
}
