import { calculateJwkThumbprint, compactDecrypt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

/** The only key-management algorithm: ECDH-ES with the request's own P-256 key (the `alg` of its JWK, OpenID4VP 1.0 §8.3). */
export const RESPONSE_ENCRYPTION_ALG = 'ECDH-ES';

/** The content-encryption algorithms the verifier decrypts (`encrypted_response_enc_values_supported`). */
export const RESPONSE_ENCRYPTION_ENCS: readonly string[] = Object.freeze(['A128GCM', 'A256GCM']);

/** The public half of a request's response key, as the request object's `client_metadata.jwks` carries it. */
export interface ResponseEncryptionJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  /** Its RFC 7638 thumbprint: the wallet names it in the JWE header. */
  readonly kid: string;
  readonly use: 'enc';
  readonly alg: typeof RESPONSE_ENCRYPTION_ALG;
}

/** What decrypting a `direct_post.jwt` response found: its parameters, or why it is not one for this request. */
export type DecryptedResponse = { readonly ok: true; readonly parameters: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly description: string };

/**
 * A fresh ECDH-ES P-256 key pair for one request.
 * @returns the private JWK as JSON, to store with the request (it holds its public half and `kid` too)
 */
export async function newResponseEncryptionKey(): Promise<string> {
  const { privateKey } = await generateKeyPair(RESPONSE_ENCRYPTION_ALG, { crv: 'P-256', extractable: true });
  const { x, y, d } = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: x!, y: y! });
  return JSON.stringify({ kty: 'EC', crv: 'P-256', x, y, d, kid });
}

/**
 * The public JWK of a stored response key, with `kid`, `use: enc` and `alg: ECDH-ES`.
 * @param stored - what {@link newResponseEncryptionKey} made
 */
export function publicResponseJwkOf(stored: string): ResponseEncryptionJwk {
  const { x, y, kid } = JSON.parse(stored) as { x: string; y: string; kid: string };
  return { kty: 'EC', crv: 'P-256', x, y, kid, use: 'enc', alg: RESPONSE_ENCRYPTION_ALG };
}

/**
 * Decrypts the `response` parameter of a `direct_post.jwt` answer (OpenID4VP 1.0 §8.3): a compact JWE, unsigned,
 * `alg` ECDH-ES, `enc` one of {@link RESPONSE_ENCRYPTION_ENCS}, `kid` (when present) the request key's, whose
 * plaintext is a JSON object of the response parameters. Never throws for what the wallet sent.
 * @param response - the form parameter as parsed (a string; an array when it was sent more than once)
 * @param stored - the request's private key, as {@link newResponseEncryptionKey} made it
 * @throws Error only when `stored` is not such a key (the database was altered)
 */
export async function decryptResponse(response: unknown, stored: string): Promise<DecryptedResponse> {
  const jwk = JSON.parse(stored) as JWK & { kid: string };
  const key = await importJWK({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d }, RESPONSE_ENCRYPTION_ALG);
  if (typeof response !== 'string') return refused('response must be sent once, as a string');
  if (response.split('.').length !== 5) return refused('response is not a compact JWE');
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(response) as Record<string, unknown>;
  } catch {
    return refused('response is not a compact JWE: its header cannot be read');
  }
  if (header['alg'] !== RESPONSE_ENCRYPTION_ALG) return refused(`response must be encrypted with alg ${RESPONSE_ENCRYPTION_ALG}, the alg of the request's key`);
  if (typeof header['enc'] !== 'string' || !RESPONSE_ENCRYPTION_ENCS.includes(header['enc'])) return refused(`response must be encrypted with enc ${RESPONSE_ENCRYPTION_ENCS.join(' or ')}`);
  if (header['kid'] !== undefined && header['kid'] !== jwk.kid) return refused("response is encrypted to another key than this request's (kid)");
  let plaintext: Uint8Array;
  try {
    // Whatever fails here comes from the JWE (its epk, tag, ciphertext…): the key itself was imported above.
    ({ plaintext } = await compactDecrypt(response, key, { keyManagementAlgorithms: [RESPONSE_ENCRYPTION_ALG], contentEncryptionAlgorithms: [...RESPONSE_ENCRYPTION_ENCS] }));
  } catch {
    return refused("response could not be decrypted with this request's key");
  }
  let parameters: unknown;
  try {
    parameters = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    return refused('the decrypted response is not UTF-8 JSON');
  }
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) return refused('the decrypted response must be a JSON object of the response parameters');
  return { ok: true, parameters: parameters as Record<string, unknown> };
}

function refused(description: string): DecryptedResponse {
  return { ok: false, description };
}
