import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError, ErrorCode } from '@citycred/errors';

/**
 * The officials' keys (`PETITION_ADMIN_KEYS`): `Authorization: Bearer <key>` on the petitions' administrative
 * endpoints. Keys are compared as SHA-256 digests in constant time, every key each time.
 */
export class PetitionAdmins {
  private readonly keys: ReadonlyArray<{ label: string; digest: Buffer }>;

  /** @param keys - label → key, as parsed from the configuration */
  constructor(keys: Readonly<Record<string, string>>) {
    this.keys = Object.entries(keys).map(([label, key]) => ({ label, digest: digestOf(key) }));
  }

  /**
   * The label of the key an `Authorization` header carries.
   * @throws AppError `auth.missing-api-key` (no bearer key), `auth.invalid-api-key` (no such key, or none configured)
   */
  authenticate(authorization: string | undefined): string {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw new AppError(ErrorCode.AuthMissingApiKey, 'Send a petition administrator key as Authorization: Bearer <key>.');
    const digest = digestOf(match[1]!);
    let label: string | undefined;
    for (const key of this.keys) if (timingSafeEqual(key.digest, digest) && label === undefined) label = key.label;
    if (label === undefined) throw new AppError(ErrorCode.AuthInvalidApiKey, 'This key is not a petition administrator key of this verifier.');
    return label;
  }
}

function digestOf(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
