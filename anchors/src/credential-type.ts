import { id } from 'ethers';

/**
 * The on-chain identifier of a credential type, as the `IssuerRegistry` stores it:
 * `keccak256(utf8(typeName))`, e.g. `credentialTypeHash('SeoulCitizenCard')`.
 * @param typeName The credential type's name from the catalogue (case-sensitive).
 * @returns The 32-byte hash as lowercase `0x`-prefixed hex.
 * @throws TypeError when `typeName` is empty.
 */
export function credentialTypeHash(typeName: string): string {
  if (typeName.length === 0) throw new TypeError('credentialTypeHash: the credential type name is empty');
  return id(typeName);
}
