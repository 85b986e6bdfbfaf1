import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A JSON Schema a tenant configured for open issuance registered for one of its own credential types. */
@Entity({ name: 'credential_type_schemas' })
export class CredentialTypeSchemaEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  type!: string;

  /** The JSON Schema document (draft 2020-12), as JSON text. */
  @Column({ type: 'text' })
  schema!: string;

  @Column({ name: 'registered_at', type: 'varchar', length: 32 })
  registeredAt!: string;
}
