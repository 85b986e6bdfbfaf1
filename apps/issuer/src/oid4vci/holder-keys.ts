import { createPublicKey, ECDH, verify as verifySignature, type JsonWebKey } from 'node:crypto';
import type { PublicJwk } from '@citycred/formats';
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

/** Multicodec prefixes (varint) of the did:key public keys we read: p256-pub (0x1200) and secp256k1-pub (0xe7). */
const DID_KEY_CODECS: ReadonlyArray<{ prefix: readonly number[]; crv: string; nodeCurve: string }> = [
  { prefix: [0x80, 0x24], crv: 'P-256', nodeCurve: 'prime256v1' },
  { prefix: [0xe7, 0x01], crv: 'secp256k1', nodeCurve: 'secp256k1' },
];

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
    const did = signer.didUrl.split('#', 1)[0]!;
    if (did.startsWith('did:jwk:')) return { jwk: publicEcJwk(decodeDidJwk(did), signer.alg), did };
    if (did.startsWith('did:key:')) return { jwk: publicEcJwk(decodeDidKey(did), signer.alg), did };
    throw new HolderKeyError('the proof kid must be a did:jwk or did:key DID URL');
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

/** `did:jwk:` + base64url of the JWK's public members (did:jwk method, canonical member order of RFC 7638). */
export function didJwkOf(jwk: PublicJwk): string {
  return `did:jwk:${Buffer.from(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).toString('base64url')}`;
}

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

function decodeDidJwk(did: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString('utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch (cause) {
    throw new HolderKeyError('the did:jwk does not hold a JWK', { cause });
  }
}

function decodeDidKey(did: string): Record<string, unknown> {
  const multibase = did.slice('did:key:'.length);
  if (!multibase.startsWith('z')) throw new HolderKeyError('the did:key must be base58btc (z…)');
  const bytes = base58btcDecode(multibase.slice(1));
  const codec = DID_KEY_CODECS.find(({ prefix }) => prefix.every((byte, i) => bytes[i] === byte));
  if (!codec || bytes.length !== codec.prefix.length + 33) throw new HolderKeyError('the did:key is not a compressed P-256 or secp256k1 key');
  let point: Buffer;
  try {
    point = ECDH.convertKey(bytes.subarray(codec.prefix.length), codec.nodeCurve, undefined, undefined, 'uncompressed') as Buffer;
  } catch (cause) {
    throw new HolderKeyError('the did:key is not a point of its curve', { cause });
  }
  return { kty: 'EC', crv: codec.crv, x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') };
}

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58btcDecode(text: string): Buffer {
  if (text.length > 100) throw new HolderKeyError('the did:key is too long');
  let value = 0n;
  for (const char of text) {
    const digit = BASE58_ALPHABET.indexOf(char);
    if (digit < 0) throw new HolderKeyError('the did:key is not base58btc');
    value = value * 58n + BigInt(digit);
  }
  const hex = value === 0n ? '' : value.toString(16);
  const body = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  const leadingZeros = /^1*/.exec(text)![0].length;
  return Buffer.concat([Buffer.alloc(leadingZeros), body]);
}
