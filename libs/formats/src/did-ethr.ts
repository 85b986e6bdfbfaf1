import { ethereumAddress } from './noble-crypto.js';

/**
 * The identity address of a did:ethr on `network`, whether the DID names it directly (`did:ethr:<network>:0x<40 hex>`)
 * or by a compressed public key (`did:ethr:<network>:0x02…`/`0x03…`, whose address is the key's); browser-safe.
 * @param did - any DID
 * @param network - the did:ethr network name (e.g. `citycred`)
 * @returns the address in lower case, or null for any other DID (another method or network, or a key off the curve)
 */
export function didEthrAddress(did: string, network: string): string | null {
  const prefix = `did:ethr:${network}:`;
  if (!did.startsWith(prefix)) return null;
  const id = did.slice(prefix.length);
  if (/^0x[0-9a-fA-F]{40}$/.test(id)) return id.toLowerCase();
  if (!/^0x0[23][0-9a-fA-F]{64}$/.test(id)) return null;
  try {
    return ethereumAddress(Uint8Array.from(id.slice(2).match(/../g)!, (byte) => parseInt(byte, 16))).toLowerCase();
  } catch {
    return null;
  }
}
