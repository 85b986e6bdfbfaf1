import { didJwkOf, type JwsSigner, type PublicJwk } from '@citycred/formats';

/** The wallet's holder key as the app uses it: its did:jwk, public JWK and an ES256 signer over the private key. */
export interface HolderKey {
  /** `did:jwk:…` of the public key (libs/formats `didJwkOf`). */
  readonly did: string;
  /** The public key: `kty: EC`, `crv: P-256`, `x`, `y`. */
  readonly jwk: PublicJwk;
  /** Signs with the private key, which never leaves WebCrypto; its kid is `<did>#0`. */
  readonly signer: JwsSigner;
}

/** P-256's group order, to bring a signature's `s` into the lower half as JOSE verifiers that insist on low-S expect. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/**
 * A new holder key pair in WebCrypto: ECDSA P-256, the private key not extractable (no script, ours included, can
 * read its bytes; IndexedDB keeps it as a `CryptoKey` object, which structured cloning leaves non-extractable).
 */
export async function generateHolderKeyPair(): Promise<CryptoKeyPair> {
  return globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
}

/** The public JWK of a P-256 public key, with only `kty`, `crv`, `x`, `y` (the members did:jwk is written from). */
export async function publicJwkOf(publicKey: CryptoKey): Promise<PublicJwk> {
  const { kty, crv, x, y } = await globalThis.crypto.subtle.exportKey('jwk', publicKey);
  if (kty !== 'EC' || crv !== 'P-256' || !x || !y) throw new TypeError('the holder key is not a P-256 EC key');
  return { kty, crv, x, y };
}

/**
 * The {@link HolderKey} over a private key and its public JWK.
 * @param privateKey - the non-extractable ECDSA P-256 private key
 * @param jwk - its public key
 */
export function holderKeyOf(privateKey: CryptoKey, jwk: PublicJwk): HolderKey {
  const did = didJwkOf(jwk);
  return {
    did,
    jwk,
    signer: {
      alg: 'ES256',
      kid: `${did}#0`,
      async sign(signingInput: Uint8Array): Promise<Uint8Array> {
        const signature = new Uint8Array(await globalThis.crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, new Uint8Array(signingInput)));
        return lowS(signature);
      },
    },
  };
}

/** WebCrypto's `r ‖ s` with `s` replaced by `n − s` when it lies in the upper half (both verify; low-S is canonical). */
function lowS(signature: Uint8Array): Uint8Array {
  const s = BigInt(`0x${[...signature.subarray(32)].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`);
  if (s <= P256_ORDER / 2n) return signature;
  const low = (P256_ORDER - s).toString(16).padStart(64, '0');
  const out = new Uint8Array(signature);
  for (let i = 0; i < 32; i += 1) out[32 + i] = parseInt(low.slice(i * 2, i * 2 + 2), 16);
  return out;
}
