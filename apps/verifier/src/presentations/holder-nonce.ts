/**
 * A nonce a holder may choose when no request came before its presentation (a wallet shows it as a QR code to the
 * employer scanner): base64url of at least 16 random bytes (22 characters), so two wallets never pick the same one and
 * nobody can guess one ahead; at most 128 characters, as a challenge. Its own file, with no import, so the scanner's
 * offline verifier (bundled for the browser) applies the same rule.
 */
export const HOLDER_NONCE = /^[A-Za-z0-9_-]{22,128}$/;
