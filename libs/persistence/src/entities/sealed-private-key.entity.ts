import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A private key of the issuer's local key manager, sealed (authenticated encryption) under a key derived from
 * `KEY_ENCRYPTION_SECRET`. The associated data of the seal is the key id, its type and its owner DID, so a sealed
 * value moved to another row, or a row re-labelled with another owner, no longer opens. Written and read only by
 * `@citycred/did`'s key store.
 */
@Entity({ name: 'sealed_private_keys' })
export class SealedPrivateKeyEntity {
  /** Veramo's key id (`kid`), for did:ethr keys the public key in hex. */
  @PrimaryColumn({ type: 'text' })
  alias!: string;

  /** Veramo's key type, e.g. `Secp256k1`. */
  @Column({ type: 'varchar', length: 32 })
  type!: string;

  /** The DID this key belongs to, once the key is part of a DID; null for a key not yet given to one. */
  @Column({ name: 'owner_did', type: 'varchar', length: 200, nullable: true })
  ownerDid!: string | null;

  /** `v1.<nonce>.<ciphertext and tag>`, base64url. */
  @Column({ type: 'text' })
  sealed!: string;
}
