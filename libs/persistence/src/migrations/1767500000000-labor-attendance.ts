import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const ts = (name: string, isNullable = false) => ({ name, type: 'varchar', length: '32', isNullable });

/**
 * Issue 19, attendance that cannot be forged: co-signed, hash-chained attendance events per labour contract, each
 * contract's head (locked by appends, and what was last anchored), the workplace QR nonces each employer issued, and
 * proposed corrections. A workplace nonce is unique per contract (`uq_labor_attendance_nonce`; a correction has none,
 * and NULLs never collide on SQLite or PostgreSQL), and one nonce per tenant per 30-second window.
 */
export class LaborAttendance1767500000000 implements MigrationInterface {
  name = 'LaborAttendance1767500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'labor_attendance_events',
        columns: [
          { name: 'contract_id', type: 'varchar', length: '100', isPrimary: true },
          { name: 'seq', type: 'integer', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '16' },
          ts('at'),
          { name: 'nonce', type: 'varchar', length: '32', isNullable: true },
          { name: 'event_json', type: 'text' },
          { name: 'hash', type: 'varchar', length: '66' },
          { name: 'worker_signature', type: 'text' },
          { name: 'employer_signature', type: 'text' },
          ts('recorded_at'),
        ],
      }),
    );
    await queryRunner.createIndex('labor_attendance_events', new TableIndex({ name: 'uq_labor_attendance_nonce', columnNames: ['contract_id', 'nonce'], isUnique: true }));
    await queryRunner.createTable(
      new Table({
        name: 'labor_attendance_heads',
        columns: [
          { name: 'contract_id', type: 'varchar', length: '100', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'count', type: 'integer' },
          { name: 'hash', type: 'varchar', length: '66' },
          { name: 'last_punch', type: 'varchar', length: '16', isNullable: true },
          { name: 'anchored_count', type: 'integer', isNullable: true },
          ts('anchored_at', true),
        ],
        foreignKeys: [{ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'labor_workplace_nonces',
        columns: [
          { name: 'nonce', type: 'varchar', length: '32', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'window_start', type: 'integer' },
          { name: 'jws', type: 'text' },
        ],
        foreignKeys: [{ columnNames: ['tenant_id'], referencedTableName: 'tenants', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createIndex('labor_workplace_nonces', new TableIndex({ name: 'uq_labor_workplace_nonce_window', columnNames: ['tenant_id', 'window_start'], isUnique: true }));
    await queryRunner.createTable(
      new Table({
        name: 'labor_attendance_corrections',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'contract_id', type: 'varchar', length: '100' },
          { name: 'event_hash', type: 'varchar', length: '66' },
          ts('at'),
          { name: 'reason', type: 'varchar', length: '500' },
          { name: 'proposed_by', type: 'varchar', length: '64' },
          ts('proposed_at'),
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'event_seq', type: 'integer', isNullable: true },
        ],
      }),
    );
    await queryRunner.createIndex('labor_attendance_corrections', new TableIndex({ name: 'idx_labor_attendance_corrections_contract', columnNames: ['contract_id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['labor_attendance_corrections', 'labor_workplace_nonces', 'labor_attendance_heads', 'labor_attendance_events']) await queryRunner.dropTable(table);
  }
}
