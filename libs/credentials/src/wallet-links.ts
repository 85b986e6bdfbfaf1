/*
 * Same-device links into the citizen wallet (the wallet's fragment routes: `#present?request=`, `#receive?offer=`),
 * built from the wallet's configured URL — by the verifier's application pages and the issuer's demo page; the wallet
 * reads them in apps/wallet/web/src/deep-links.ts. Without one, the protocol link itself is the link (a wallet app that
 * registered `openid4vp://` or `openid-credential-offer://` opens it).
 */

function walletBase(walletUrl: string): string {
  return walletUrl.replace(/\/+$/, '');
}

/**
 * The link that opens a presentation request in the wallet on this device.
 * @param walletUrl - the wallet's URL (`WALLET_URL`), or undefined
 * @param deepLink - the request's `openid4vp://` link
 */
export function walletPresentLink(walletUrl: string | undefined, deepLink: string): string {
  return walletUrl === undefined ? deepLink : `${walletBase(walletUrl)}/#present?request=${encodeURIComponent(deepLink)}`;
}

/**
 * The link that opens credential offers in the wallet on this device, received one after another.
 * @param walletUrl - the wallet's URL (`WALLET_URL`), or undefined
 * @param offerLinks - the offers' `openid-credential-offer://` links, in order (at least one)
 * @returns without a wallet URL, the first offer's own link
 */
export function walletReceiveLink(walletUrl: string | undefined, ...offerLinks: [string, ...string[]]): string {
  if (walletUrl === undefined) return offerLinks[0];
  return `${walletBase(walletUrl)}/#receive?${offerLinks.map((link) => `offer=${encodeURIComponent(link)}`).join('&')}`;
}

/**
 * The link that opens a labour contract's review screen in the wallet (`#contract?url=`), where the worker reads and
 * signs it (docs/labor.md).
 * @param walletUrl - the wallet's URL (`WALLET_URL`), or undefined
 * @param reviewUrl - the issuer's review URL of the contract, `<issuer>/labor/contracts/<id>?t=<token>`
 * @returns without a wallet URL, the review URL itself
 */
export function walletContractLink(walletUrl: string | undefined, reviewUrl: string): string {
  return walletUrl === undefined ? reviewUrl : `${walletBase(walletUrl)}/#contract?url=${encodeURIComponent(reviewUrl)}`;
}

/**
 * The link a workplace QR carries (`#attend?qr=`): the worker's camera opens the wallet's check-in and -out screen.
 * @param walletUrl - the wallet's URL (`WALLET_URL`), or undefined
 * @param jws - the workplace QR's compact JWS (`typ` `citycred-workplace+jwt`)
 * @returns without a wallet URL, the JWS itself (the wallet's scanner reads it)
 */
export function walletAttendLink(walletUrl: string | undefined, jws: string): string {
  return walletUrl === undefined ? jws : `${walletBase(walletUrl)}/#attend?qr=${encodeURIComponent(jws)}`;
}
