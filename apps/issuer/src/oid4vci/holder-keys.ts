import { createHash, createPublicKey, verify as verifySignature, type JsonWebKey } from 'node:crypto';
import { didJwkOf, FormatError, isHolderDid, publicJwkOfDid, type PublicJwk } from '@citycred/formats';
import type { Jwk, JwtSigner, VerifyJwtCallback } from '@openid4vc/oauth2';

/** A wallet key that signed a proof: its public JWK and the DID naming it (did:jwk for a bare JWK). */
export interface HolderKey {
  readonly jwk: PublicJwk;
  readonly did: string;
}

/** Why a holder key could not be taken from a proof; reported as `invalid_proof`. */
export class HolderKeyError extends Error {
  override readonly name = 'HolderKeyError';
}

const CURVE_OF_ALG: Readonly<Record<string, { crv: string; nodeCurve: string }>> = {
  ES256: { crv: 'P-256', nodeCurve: 'prime256v1' },
  ES256K: { crv: 'secp256k1', nodeCurve: 'secp256k1' },
};

/**
 * The holder key a proof's signer names: the header's `jwk`, or the key of a `did:jwk` / `did:key` `kid`.
 * @throws HolderKeyError for another DID method, a malformed DID or a JWK that is not a public EC key of the alg's curve
 */
export function holderKeyOf(signer: JwtSigner): HolderKey {
  if (signer.method === 'jwk') {
    const jwk = publicEcJwk(signer.publicJwk as Record<string, unknown>, signer.alg);
    return { jwk, did: didJwkOf(jwk) };
  }
  if (signer.method === 'did') {
    const did = signer.didUrl.split(/[?#]/, 1)[0]!;
    if (!isHolderDid(did)) throw new HolderKeyError('the proof kid must be a did:jwk or did:key DID URL');
    return { jwk: publicEcJwk(holderJwkOfDid(did), signer.alg), did };
  }
  throw new HolderKeyError('the proof must name its key with a "jwk" header or a did:jwk / did:key "kid"');
}

/**
 * The library's `verifyJwt` callback for wallet proofs: checks the ES256/ES256K signature against the key the header
 * names (never against a key found elsewhere), so a proof signed by another key fails.
 */
export const verifyHolderProofJwt: VerifyJwtCallback = (signer, jwt) => {
  let key: HolderKey;
  try {
    key = holderKeyOf(signer);
  } catch {
    return { verified: false };
  }
  const [header, payload, signature] = jwt.compact.split('.');
  if (header === undefined || payload === undefined || signature === undefined) return { verified: false };
  const publicKey = createPublicKey({ key: key.jwk as JsonWebKey, format: 'jwk' });
  const valid = verifySignature('sha256', Buffer.from(`${header}.${payload}`, 'ascii'), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  return valid ? { verified: true, signerJwk: key.jwk as Jwk } : { verified: false };
};

/**
 * The holder an offer is bound to: a did:jwk or did:key (a DID, not a DID URL) naming a P-256 or secp256k1 public key
 * — the keys a wallet may prove with (ES256, ES256K).
 * @returns the DID as given and its key
 * @throws HolderKeyError for anything else (another method, a DID URL, a malformed DID, another curve)
 */
export function offerHolderOf(did: string): HolderKey {
  if (!isHolderDid(did) || /[?#]/.test(did)) throw new HolderKeyError('holder must be a did:jwk or did:key DID (without a fragment or query)');
  const jwk = holderJwkOfDid(did);
  const alg = jwk['crv'] === 'P-256' ? 'ES256' : jwk['crv'] === 'secp256k1' ? 'ES256K' : undefined;
  if (alg === undefined) throw new HolderKeyError('holder must name a P-256 or secp256k1 key (the keys a wallet proves with: ES256, ES256K)');
  return { jwk: publicEcJwk(jwk, alg), did };
}

/**
 * The JWK thumbprint (RFC 7638, SHA-256, base64url) of a holder key: what two namings of one key (a `jwk` header, a
 * did:jwk, a did:key) have in common, so keys are compared by it, never by their strings.
 */
export function holderKeyThumbprint(key: HolderKey): string {
  const { crv, kty, x, y } = key.jwk as { crv: string; kty: string; x: string; y: string };
  return createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
}

/** `did:jwk:` + base64url of the JWK's public members (did:jwk method, canonical member order of RFC 7638). */
export { didJwkOf };

function publicEcJwk(jwk: Record<string, unknown>, alg: string): PublicJwk {
  const curve = CURVE_OF_ALG[alg];
  if (!curve) throw new HolderKeyError(`proof alg ${alg} is not accepted; use ES256 or ES256K`);
  if ('d' in jwk) throw new HolderKeyError('the proof key carries private key material');
  if (jwk['kty'] !== 'EC' || jwk['crv'] !== curve.crv || typeof jwk['x'] !== 'string' || typeof jwk['y'] !== 'string') {
    throw new HolderKeyError(`the proof key must be an EC ${curve.crv} public key for ${alg}`);
  }
  try {
    // Refuses coordinates that are not a point of the curve.
    createPublicKey({ key: { kty: 'EC', crv: jwk['crv'], x: jwk['x'], y: jwk['y'] } as JsonWebKey, format: 'jwk' });
  } catch (cause) {
    throw new HolderKeyError('the proof key is not a valid public key', { cause });
  }
  return { kty: 'EC', crv: curve.crv, x: jwk['x'], y: jwk['y'] };
}

/** The key of a did:jwk / did:key (read by @citycred/formats, which checks the point is on its curve). */
function holderJwkOfDid(did: string): Record<string, unknown> {
  try {
    return publicJwkOfDid(did);
  } catch (cause) {
    if (cause instanceof FormatError) throw new HolderKeyError(cause.message, { cause });
    throw cause;
  }
}
