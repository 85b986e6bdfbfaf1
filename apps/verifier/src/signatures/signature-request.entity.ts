import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A document signature request (docs/e-signature.md): the document as its hash, name and media type — never its
 * content — and, once the citizen signed, the receipt. Its id is the id of its OpenID4VP presentation request.
 */
@Entity({ name: 'signature_requests' })
export class SignatureRequestEntity {
  /** The OpenID4VP presentation request's id (UUID): the signing page's handle. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** `0x` + SHA-256 hex of the document. */
  @Column({ name: 'document_hash', type: 'varchar', length: 66 })
  documentHash!: string;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName!: string;

  @Column({ name: 'media_type', type: 'varchar', length: 127 })
  mediaType!: string;

  /** The signature receipt (compact JWS) once signed; null before. */
  @Column({ type: 'text', nullable: true })
  receipt!: string | null;

  /** ISO 8601 (injected clock). */
  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
