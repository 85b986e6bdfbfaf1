/**
 * A same-device link into the wallet (docs/wallet-protocols.md, "Same-device links"): a page on the phone opens the
 * wallet with what to receive or present in the URL's fragment, which never reaches the wallet's server.
 * - `#receive?offer=<encodeURIComponent(openid-credential-offer://…)>`, `offer` repeatable: the offers, in order;
 * - `#present?request=<encodeURIComponent(openid4vp://…)>`: the presentation request;
 * - `#contract?url=<encodeURIComponent(review URL)>`: a labour contract to review and sign;
 * - `#attend?qr=<workplace QR's JWS>`: a check-in or -out with the workplace QR.
 * What the parameters hold is not judged here: the flows read them as if pasted, and say what is wrong with them.
 */
export type DeepLink =
  | { readonly flow: 'receive'; readonly offers: readonly string[] }
  | { readonly flow: 'present'; readonly request: string | undefined }
  | { readonly flow: 'contract'; readonly url: string | undefined }
  | { readonly flow: 'attend'; readonly qr: string | undefined };

/**
 * Reads a deep link from a URL fragment (`location.hash`).
 * @returns the link, or undefined for a fragment that is none (empty, or naming neither flow): the wallet leaves it alone
 */
export function readDeepLink(hash: string): DeepLink | undefined {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  const query = fragment.indexOf('?');
  const flow = query === -1 ? fragment : fragment.slice(0, query);
  const parameters = new URLSearchParams(query === -1 ? '' : fragment.slice(query + 1));
  if (flow === 'receive') return { flow, offers: parameters.getAll('offer') };
  if (flow === 'present') return { flow, request: parameters.get('request') ?? undefined };
  if (flow === 'contract') return { flow, url: parameters.get('url') ?? undefined };
  if (flow === 'attend') return { flow, qr: parameters.get('qr') ?? undefined };
  return undefined;
}
