import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The place of one credential in one status list. The primary key (list, index) is what keeps two credentials off
 * the same bit. No foreign key to `issued_credentials`: the entry is written inside the issuance transaction before
 * the credential row, since the credential must carry the entry when it is signed.
 */
@Entity({ name: 'status_entries' })
@Index('uq_status_entries_credential_list', ['credentialId', 'listId'], { unique: true })
export class StatusEntryEntity {
  @PrimaryColumn({ name: 'list_id', type: 'varchar', length: 36 })
  listId!: string;

  @PrimaryColumn({ name: 'status_index', type: 'integer' })
  index!: number;

  @Column({ name: 'credential_id', type: 'varchar', length: 100 })
  credentialId!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
