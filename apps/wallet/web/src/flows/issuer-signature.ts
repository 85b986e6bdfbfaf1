import { nobleSignatureCrypto } from '@citycred/formats';
import { resolvingIssuerKeys, type IssuerSignatureCheck } from '@citycred/wallet-core';
import { BROWSER_TRANSPORT } from './protocol.js';

/**
 * The city verifier's URL from the wallet server's `/settings.json` (`scannerUrl`, `WALLET_SCANNER_URL`): the verifier
 * whose public DID resolution (`GET /check/dids/{did}`) gives a did:ethr issuer's keys from the city chain.
 */
async function verifierUrl(): Promise<string | undefined> {
  const answer = await fetch('/settings.json', { headers: { accept: 'application/json' } });
  if (!answer.ok) return undefined;
  const body = (await answer.json()) as { scannerUrl?: unknown };
  return typeof body.scannerUrl === 'string' ? body.scannerUrl : undefined;
}

let resolving: Promise<IssuerSignatureCheck> | undefined;

/** The wallet core's resolving check, made once the settings are read (not kept when they could not be: offline). */
function issuerKeys(): Promise<IssuerSignatureCheck> {
  resolving ??= verifierUrl()
    .catch(() => undefined)
    .then((url) => {
      if (url === undefined) resolving = undefined;
      return resolvingIssuerKeys(url, BROWSER_TRANSPORT);
    });
  return resolving;
}

/**
 * How the app checks issuers' signatures (docs/wallet.md, "What the wallet checks when a credential arrives"):
 * did:jwk and did:key issuers from the DID itself, did:ethr issuers with the keys the city verifier resolves from the
 * chain; the signature with `@citycred/formats` and @noble/curves.
 */
export const BROWSER_ISSUER_SIGNATURE: IssuerSignatureCheck = Object.freeze({
  crypto: nobleSignatureCrypto,
  keysOf: async (issuer: string) => (await issuerKeys()).keysOf(issuer),
});
