import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Kinds of tenant: a city department, an employer accredited through a department, or an app operator the city
 * accredited for open issuance (its own credential types, or plain `VerifiableCredential`).
 */
export type TenantKind = 'department' | 'employer' | 'app';

/** A department or employer that issues credentials under its own did:ethr identity. */
@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Stable short name, e.g. `seoul-citizen`. */
  @Column({ type: 'varchar', length: 64, unique: true })
  slug!: string;

  /** The tenant's name as the city writes it (in Korean for the city's departments): shown on certificates and in wallets. */
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** The tenant's name in English, or null when none was given. */
  @Column({ name: 'name_en', type: 'varchar', length: 200, nullable: true })
  nameEn!: string | null;

  @Column({ type: 'varchar', length: 16 })
  kind!: TenantKind;

  /** The tenant's issuing DID (`did:ethr:<network>:<key>`). */
  @Column({ type: 'varchar', length: 200, unique: true })
  did!: string;

  /** Ethereum address of the DID's key: the identity accredited on chain and the sender of anchors. */
  @Column({ type: 'varchar', length: 42 })
  address!: string;

  /** Credential type names the tenant may issue, as a JSON array. */
  @Column({ name: 'credential_types', type: 'text' })
  credentialTypesJson!: string;

  /**
   * An employer's business registration number (사업자등록번호) as `NNN-NN-NNNNN`, its check digit checked when it was
   * onboarded; null for departments and app operators. Shown only to the employer itself, the department that
   * accredits it and the city's administrators: never in the issuer directory, the OpenID4VCI metadata or to verifiers.
   */
  @Column({ name: 'business_number', type: 'varchar', length: 12, nullable: true })
  businessNumber!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  /** Parsed {@link credentialTypesJson}. */
  get credentialTypes(): string[] {
    return JSON.parse(this.credentialTypesJson) as string[];
  }
}
