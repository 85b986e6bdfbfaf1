import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Private keys sealed with associated data (key id, type, owner DID) and the check value of `KEY_ENCRYPTION_SECRET`.
 * Rows of Veramo's `private-key` table (NaCl secretbox under the raw secret) cannot be moved here by a migration,
 * which does not know the secret: the key store re-seals them into `sealed_private_keys` at the first start that
 * has the secret, and deletes them from `private-key`.
 */
export class SealedPrivateKeys1764215000000 implements MigrationInterface {
  name = 'SealedPrivateKeys1764215000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'sealed_private_keys',
        columns: [
          { name: 'alias', type: 'text', isPrimary: true },
          { name: 'type', type: 'varchar', length: '32' },
          { name: 'owner_did', type: 'varchar', length: '200', isNullable: true },
          { name: 'sealed', type: 'text' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'key_encryption_checks',
        columns: [
          { name: 'purpose', type: 'varchar', length: '32', isPrimary: true },
          { name: 'check_value', type: 'varchar', length: '64' },
        ],
      }),
    );
  }

  async down(): Promise<void> {
    // The sealed keys cannot be turned back into secretbox rows without the secret, which a migration never has.
    throw new Error('SealedPrivateKeys1764215000000 cannot be reverted: the sealed keys would be lost');
  }
}
