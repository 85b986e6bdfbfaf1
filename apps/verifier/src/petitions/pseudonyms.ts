import { createHmac } from 'node:crypto';
import type { Clock } from '@citycred/config';
import type { DataSource } from 'typeorm';
import { loadKeptSecret } from '../kept-secret.js';
import { PetitionSecretEntity } from './petition.entity.js';

/**
 * The per-petition pseudonym of a signer: `HMAC-SHA-256(key, "petition|" + petitionId + "|" + personId)`, base64url.
 * The same card (or any card of the same person: the personId is the person's, not the card's) gives the same
 * pseudonym in one petition, so the person counts once; two petitions give unrelated pseudonyms, and nobody without
 * the key can compute one from a personId. The personId is used here only, never stored or logged.
 */
export class PetitionPseudonyms {
  /**
   * @param key - 32 bytes or more
   * @throws RangeError for a shorter key
   */
  constructor(private readonly key: Uint8Array) {
    if (key.length < 32) throw new RangeError('the petition pseudonym key must be at least 32 bytes');
  }

  /** The pseudonym of the person `personId` names in the petition `petitionId` (43 base64url characters). */
  of(petitionId: string, personId: string): string {
    return createHmac('sha256', this.key).update(`petition|${petitionId}|${personId}`).digest('base64url');
  }
}

/**
 * The pseudonym key: `configured` (`PETITION_SECRET`, 64 hex digits) when given; else the one in the verifier
 * database, made by the first process that asked (two starting together end up with the first row), as the
 * verifier's other keys are kept. Never in the repository. Changing it lets everyone sign the open petitions again.
 * @throws Error when a stored key is malformed (the database was altered); database errors as they come
 */
export function loadPetitionKey(dataSource: DataSource, clock: Clock, configured?: string): Promise<Uint8Array> {
  return loadKeptSecret(dataSource, clock, { entity: PetitionSecretEntity, purpose: 'pseudonym-key', name: 'petition pseudonym key' }, configured);
}
