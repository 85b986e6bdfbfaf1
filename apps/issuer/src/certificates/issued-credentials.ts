import { IssuedCredentialEntity } from '@citycred/persistence';
import type { DataSource } from 'typeorm';

/** Reads issued credentials for their certificates. */
export class IssuedCredentials {
  constructor(private readonly dataSource: DataSource) {}

  /** The tenant's credential with this id, or null (another tenant's credential is as unknown as a missing one). */
  async ofTenant(tenantId: string, id: string): Promise<IssuedCredentialEntity | null> {
    return this.dataSource.getRepository(IssuedCredentialEntity).findOneBy({ tenantId, id });
  }

  /** The credential whose anchored part has this 0x-prefixed SHA-256, or null. */
  async byHash(credentialHash: string): Promise<IssuedCredentialEntity | null> {
    return this.dataSource.getRepository(IssuedCredentialEntity).findOneBy({ credentialHash });
  }
}
