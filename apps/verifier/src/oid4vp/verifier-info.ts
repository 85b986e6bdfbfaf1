/**
 * The `verifier_info` format (OpenID4VP 1.0 §5.1) in which this verifier states why it asks: OpenID4VP 1.0 has no
 * `purpose` request parameter, but lets a request carry attestations about the verifier that a wallet may show on its
 * consent screen. The city's wallet reads exactly this identifier (`PURPOSE_VERIFIER_INFO_FORMAT` in
 * `@citycred/wallet-core`); other wallets ignore an entry of a format they do not know.
 */
export const PURPOSE_VERIFIER_INFO_FORMAT = 'https://schemas.citycred.seoul.go.kr/verifier-info/purpose';

/** One `verifier_info` entry: a format identifier and its data. */
export interface VerifierInfoEntry {
  readonly format: string;
  readonly data: Readonly<Record<string, unknown>> | string;
}

/**
 * The request object's `verifier_info` for a request's purpose (`POST /presentation-requests` `purpose`), or nothing
 * when the caller gave none.
 */
export function verifierInfoOf(purpose: string | null | undefined): { verifier_info: VerifierInfoEntry[] } | Record<string, never> {
  return purpose ? { verifier_info: [{ format: PURPOSE_VERIFIER_INFO_FORMAT, data: { text: purpose } }] } : {};
}
