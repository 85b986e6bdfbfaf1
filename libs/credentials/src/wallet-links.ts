/*
 * Same-device links into the citizen wallet (the wallet's fragment routes: `#present?request=`, `#receive?offer=`),
 * built from the wallet's configured URL. Without one, the protocol link itself is the link (a wallet app that
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
 * The link that opens a credential offer in the wallet on this device.
 * @param walletUrl - the wallet's URL (`WALLET_URL`), or undefined
 * @param offerLink - the offer's `openid-credential-offer://` link
 */
export function walletReceiveLink(walletUrl: string | undefined, offerLink: string): string {
  return walletUrl === undefined ? offerLink : `${walletBase(walletUrl)}/#receive?offer=${encodeURIComponent(offerLink)}`;
}
