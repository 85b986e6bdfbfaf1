/**
 * The name of the browser tab the citizen wallet opens in when a page on the same device links to it
 * (`<WALLET_URL>/#receive?…`, `#present?…`: docs/wallet-protocols.md, "Same-device links"). Every page that links to
 * the wallet — the issuer's demo citizens page, the verifier's application pages — opens its links in this one tab
 * (`target`, `window.open`), so a second link reuses the wallet tab a first one opened: a link that differs from that
 * tab's URL only by its fragment is a same-document navigation, so the wallet, still unlocked, reads it on `hashchange`
 * without asking the PIN again.
 *
 * The browser finds the tab by name only among tabs related by opening (one browsing context group): the link must not
 * be `noopener` (a `noopener` tab is in a group of its own, and no later link finds it), and the page must be in the
 * tab that opened the wallet, or in one opened from it. A page the user opens in a new tab of their own opens a new
 * wallet tab, which asks the PIN.
 */
export const WALLET_TAB = 'citycred-wallet';
