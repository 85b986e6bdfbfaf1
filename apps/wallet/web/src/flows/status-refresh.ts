import { refreshCredentialStatuses, StatusListCache, WalletError, WalletErrorCode, type Vault } from '@citycred/wallet-core';
import { BROWSER_ISSUER_SIGNATURE } from './issuer-signature.js';
import { BROWSER_TRANSPORT } from './protocol.js';

/** The status lists this page fetched lately: each is asked at most once a minute, however often the cards are refreshed. */
const KEPT_LISTS = new StatusListCache(BROWSER_TRANSPORT);

/**
 * Refreshes the last known status of every card the wallet received from an issuer (when it is opened, and when the
 * device comes back online), from the issuers' whole status lists (each checked to be signed by the card's issuer, as
 * on the card's screen), so that the card list shows a card revoked or suspended without its being opened. A card from elsewhere (an imported file without `credentialIssuer`) is not
 * checked, as on its own screen. Each new snapshot is written over the record as it is in the vault then (the card
 * screen may have kept an anchor proof meanwhile); a card deleted meanwhile stays deleted.
 * @returns how many cards got a new snapshot
 * @throws the vault's errors (locked meanwhile); never a network error
 */
export async function refreshCardStatuses(vault: Vault): Promise<number> {
  const records = (await vault.credentials()).filter((record) => record.credentialIssuer !== undefined);
  if (records.length === 0) return 0;
  let saved = 0;
  for (const refreshed of await refreshCredentialStatuses(records, BROWSER_TRANSPORT, KEPT_LISTS, BROWSER_ISSUER_SIGNATURE)) {
    const current = await vault.credential(refreshed.id).catch((error: unknown) => {
      if (error instanceof WalletError && error.code === WalletErrorCode.NotFound) return undefined;
      throw error;
    });
    if (!current) continue;
    await vault.saveCredential({ ...current, status: refreshed.status });
    saved += 1;
  }
  return saved;
}
