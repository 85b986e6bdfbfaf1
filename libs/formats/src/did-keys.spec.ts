import { createECDH, generateKeyPairSync } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { didJwkOf, isHolderDid, publicJwkOfDid } from './did-keys.js';
import { FormatError, FormatErrorCode, type PublicJwk } from './types.js';

/** An independent base58btc encoder (BigInt arithmetic) to write did:keys the decoder under test has not seen. */
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58(bytes: Uint8Array): string {
  let value = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  while (value > 0n) {
    out = BASE58[Number(value % 58n)]! + out;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

const P256_PUB = [0x80, 0x24];
const SECP256K1_PUB = [0xe7, 0x01];
const ED25519_PUB = [0xed, 0x01];
const didKey = (prefix: readonly number[], key: Uint8Array) => `did:key:z${base58(Uint8Array.from([...prefix, ...key]))}`;
const didJwkOfJson = (json: unknown) => `did:jwk:${Buffer.from(JSON.stringify(json)).toString('base64url')}`;
const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** The JWK of an uncompressed SEC1 point. */
function ecJwk(crv: 'P-256' | 'secp256k1', uncompressed: Uint8Array): PublicJwk {
  return { kty: 'EC', crv, x: b64u(uncompressed.subarray(1, 33)), y: b64u(uncompressed.subarray(33, 65)) };
}

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    return { code: (error as FormatError).code, message: (error as FormatError).message };
  }
  throw new Error('expected a FormatError');
}

/** Frozen: the generator points (private key 1) and RFC 8032 §7.1 TEST 1, written with node:crypto and BigInt base58. */
const VECTORS = [
  {
    did: 'did:key:zDnaepsL7AXenJkVYdkh5KuKsSU7Ykh7kyXaLLU7auN9FWSiZ',
    jwk: { kty: 'EC', crv: 'P-256', x: 'axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY', y: 'T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU' },
    didJwk: 'did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImF4ZlI4dUVzUWtmNHZPYmxZNlJBOG5jRGZZRXQ2ek9nOUtFNVJkaVl3cFkiLCJ5IjoiVC1OQzR2NGFmNXVPNS10S2ZBLWVGaXZPTTFkck1WN095N1pBYURlX1VmVSJ9',
  },
  {
    did: 'did:key:zQ3shVc2UkAfJCdc1TR8E66J85h48P43r93q8jGPkPpjF9Ef9',
    jwk: { kty: 'EC', crv: 'secp256k1', x: 'eb5mfvncu6xVoGKVzocLBwKb_NstzijZWfKBWxb4F5g', y: 'SDradyajxGVdpPv8DhEIqP0XtEimhVQZnEfQj_sQ1Lg' },
    didJwk: 'did:jwk:eyJjcnYiOiJzZWNwMjU2azEiLCJrdHkiOiJFQyIsIngiOiJlYjVtZnZuY3U2eFZvR0tWem9jTEJ3S2JfTnN0emlqWldmS0JXeGI0RjVnIiwieSI6IlNEcmFkeWFqeEdWZHBQdjhEaEVJcVAwWHRFaW1oVlFabkVmUWpfc1ExTGcifQ',
  },
  {
    did: 'did:key:z6MktwupdmLXVVqTzCw4i46r4uGyosGXRnR3XjN4Zq7oMMsw',
    jwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
    didJwk: 'did:jwk:eyJjcnYiOiJFZDI1NTE5Iiwia3R5IjoiT0tQIiwieCI6IjExcVlBWUt4Q3JmVlNfN1R5V1FIT2c3aGN2UGFwaU1scndJYWFQY0hVUm8ifQ',
  },
] as const;

describe('did:jwk and did:key holder keys', () => {
  it('reads the frozen did:key vectors and writes the frozen did:jwk of each key', () => {
    expect(b64u(ed25519.getPublicKey(Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex')))).toBe(VECTORS[2].jwk.x);
    for (const vector of VECTORS) {
      expect(publicJwkOfDid(vector.did)).toEqual(vector.jwk);
      expect(didJwkOf(vector.jwk)).toBe(vector.didJwk);
      expect(publicJwkOfDid(vector.didJwk)).toEqual(vector.jwk);
    }
  });

  it('reads did:keys of freshly drawn keys (noble and node:crypto) as the JWK of the same point', () => {
    for (let round = 0; round < 8; round += 1) {
      for (const [crv, curve, prefix, prefixText] of [['P-256', p256, P256_PUB, 'zDn'], ['secp256k1', secp256k1, SECP256K1_PUB, 'zQ3s']] as const) {
        const secret = curve.utils.randomPrivateKey();
        const did = didKey(prefix, curve.getPublicKey(secret, true));
        expect(did.startsWith(`did:key:${prefixText}`)).toBe(true);
        expect(publicJwkOfDid(did)).toEqual(ecJwk(crv, curve.getPublicKey(secret, false)));
      }
      const edSecret = ed25519.utils.randomPrivateKey();
      const edDid = didKey(ED25519_PUB, ed25519.getPublicKey(edSecret));
      expect(edDid.startsWith('did:key:z6Mk')).toBe(true);
      expect(publicJwkOfDid(edDid)).toEqual({ kty: 'OKP', crv: 'Ed25519', x: b64u(ed25519.getPublicKey(edSecret)) });
    }
    // node:crypto decompresses independently of @noble/curves.
    for (const [crv, nodeCurve, prefix] of [['P-256', 'prime256v1', P256_PUB], ['secp256k1', 'secp256k1', SECP256K1_PUB]] as const) {
      const ecdh = createECDH(nodeCurve);
      ecdh.generateKeys();
      expect(publicJwkOfDid(didKey(prefix, ecdh.getPublicKey(null, 'compressed')))).toEqual(ecJwk(crv, ecdh.getPublicKey()));
    }
    const { x } = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    expect(publicJwkOfDid(didKey(ED25519_PUB, Buffer.from(x!, 'base64url')))).toEqual({ kty: 'OKP', crv: 'Ed25519', x });
  });

  it('round-trips EC and OKP keys through did:jwk, dropping members other than the RFC 7638 ones', () => {
    for (const crv of ['P-256', 'secp256k1'] as const) {
      const curve = crv === 'P-256' ? p256 : secp256k1;
      const jwk = ecJwk(crv, curve.getPublicKey(curve.utils.randomPrivateKey(), false));
      // The bytes the issuer has always written for EC keys: JSON of {crv, kty, x, y} in that order.
      expect(didJwkOf({ ...jwk, kid: 'k1', use: 'sig' })).toBe(didJwkOfJson({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }));
      expect(publicJwkOfDid(didJwkOf(jwk))).toEqual(jwk);
      expect(publicJwkOfDid(didJwkOfJson({ ...jwk, kid: 'k1', alg: 'ES256' }))).toEqual(jwk);
    }
    const okp = { kty: 'OKP', crv: 'Ed25519', x: b64u(ed25519.getPublicKey(ed25519.utils.randomPrivateKey())) };
    expect(didJwkOf(okp)).toBe(didJwkOfJson({ crv: 'Ed25519', kty: 'OKP', x: okp.x }));
    expect(publicJwkOfDid(didJwkOf(okp))).toEqual(okp);
  });

  it('ignores a DID URL’s fragment and query', () => {
    const [vector] = VECTORS;
    expect(publicJwkOfDid(`${vector.did}#${vector.did.slice('did:key:'.length)}`)).toEqual(vector.jwk);
    expect(publicJwkOfDid(`${vector.didJwk}#0`)).toEqual(vector.jwk);
    expect(publicJwkOfDid(`${vector.didJwk}?versionId=1#0`)).toEqual(vector.jwk);
  });

  it('tells holder DIDs by their prefix alone', () => {
    expect(isHolderDid('did:jwk:eyJ')).toBe(true);
    expect(isHolderDid('did:key:z6Mk')).toBe(true);
    expect(isHolderDid('did:key:not-parsed')).toBe(true);
    expect(isHolderDid('did:ethr:0x1234')).toBe(false);
    expect(isHolderDid('did:web:city.example')).toBe(false);
    expect(isHolderDid('DID:JWK:eyJ')).toBe(false);
    expect(isHolderDid('')).toBe(false);
  });

  it('refuses private keys, other key types and curves, and points off the curve, as format.malformed', () => {
    const [p256Vector, k1Vector, edVector] = VECTORS;
    const cases: Array<[string, RegExp]> = [
      [didJwkOfJson({ ...p256Vector.jwk, d: b64u(new Uint8Array(32).fill(1)) }), /private key/],
      [didJwkOfJson({ ...edVector.jwk, d: b64u(new Uint8Array(32).fill(1)) }), /private key/],
      [didJwkOfJson({ ...p256Vector.jwk, crv: 'P-384' }), /not an EC P-256 or secp256k1 key/],
      [didJwkOfJson({ kty: 'RSA', n: 'AQAB', e: 'AQAB' }), /no "x"/],
      [didJwkOfJson({ kty: 'OKP', crv: 'X25519', x: edVector.jwk.x }), /not an EC P-256/],
      [didJwkOfJson({ kty: 'EC', crv: 'P-256', x: p256Vector.jwk.x }), /no "y"/],
      // A secp256k1 point named as P-256, and coordinates that are no point at all.
      [didJwkOfJson({ ...k1Vector.jwk, crv: 'P-256' }), /not a point of P-256/],
      [didJwkOfJson({ ...p256Vector.jwk, y: p256Vector.jwk.x }), /not a point of P-256/],
      [didJwkOfJson({ ...p256Vector.jwk, x: b64u(new Uint8Array(31).fill(7)) }), /32 bytes/],
      [didJwkOfJson({ ...p256Vector.jwk, x: `${p256Vector.jwk.x}=` }), /base64url/],
      // The identity is the one small-order point everybody can "sign" for.
      [didJwkOfJson({ kty: 'OKP', crv: 'Ed25519', x: b64u(ed25519.Point.ZERO.toBytes()) }), /small-order/],
      [didKey(ED25519_PUB, ed25519.Point.ZERO.toBytes()), /small-order/],
      [`did:jwk:${Buffer.from('not json').toString('base64url')}`, /base64url JSON/],
      [`did:jwk:${Buffer.from('[1,2]').toString('base64url')}`, /JWK object/],
      ['did:jwk:eyJ+', /base64url JSON/],
    ];
    for (const [did, message] of cases) expect(refusal(() => publicJwkOfDid(did))).toEqual({ code: FormatErrorCode.Malformed, message: expect.stringMatching(message) });
    // An Ed25519 y for which no x exists (about half of all y values).
    const offCurve = Array.from({ length: 64 }, (_, i) => Uint8Array.from({ length: 32 }, (_, j) => (j === 0 ? i : 7))).find((bytes) => {
      try {
        ed25519.Point.fromBytes(bytes);
        return false;
      } catch {
        return true;
      }
    })!;
    expect(refusal(() => publicJwkOfDid(didJwkOfJson({ kty: 'OKP', crv: 'Ed25519', x: b64u(offCurve) }))).message).toMatch(/not a point of Ed25519/);
    expect(refusal(() => publicJwkOfDid(didKey(ED25519_PUB, offCurve))).message).toMatch(/not a point of Ed25519/);
  });

  it('refuses did:keys of another multicodec, length or encoding, other methods and overlong input', () => {
    const compressed = p256.getPublicKey(p256.utils.randomPrivateKey(), true);
    const offCurve = Uint8Array.from([0x02, ...new Uint8Array(32).fill(0xff)]);
    const cases: Array<[string, RegExp]> = [
      // x25519-pub (0xec): a key, but not a signing key we read; a bls12_381-g2-pub (0xeb) is longer than any we read.
      [didKey([0xec, 0x01], new Uint8Array(32).fill(9)), /not a p256-pub, secp256k1-pub or ed25519-pub/],
      [didKey([0xeb, 0x01], new Uint8Array(96).fill(9)), /too long/],
      [didKey([0x00, ...P256_PUB], compressed), /not a p256-pub/],
      [didKey(P256_PUB, p256.getPublicKey(p256.utils.randomPrivateKey(), false)), /33-byte key, this one 65/],
      [didKey(ED25519_PUB, new Uint8Array(33).fill(9)), /32-byte key, this one 33/],
      [didKey(P256_PUB, offCurve), /not a point of P-256/],
      [didKey(SECP256K1_PUB, Uint8Array.from([0x05, ...compressed.subarray(1)])), /not a point of secp256k1/],
      [`did:key:z${base58(Uint8Array.from([...P256_PUB, ...compressed])).replace(/.$/, '0')}`, /not base58btc/],
      [`did:key:z${base58(Uint8Array.from([...P256_PUB, ...compressed])).replace(/.$/, 'l')}`, /not base58btc/],
      [`did:key:z${base58(Uint8Array.from([...P256_PUB, ...compressed]))}é`, /not base58btc/],
      [`did:key:u${b64u(Uint8Array.from([...P256_PUB, ...compressed]))}`, /base58btc \(z…\)/],
      ['did:key:z', /not a p256-pub/],
      [`did:key:z${'2'.repeat(129)}`, /too long/],
      [`did:jwk:${'A'.repeat(2100)}`, /at most 2048 characters/],
      [`${VECTORS[0].did}#${'x'.repeat(2048)}`, /at most 2048 characters/],
      ['did:ethr:0x1234#controller', /not a did:jwk or did:key/],
      ['did:web:city.example', /not a did:jwk or did:key/],
      ['', /not a did:jwk or did:key/],
    ];
    for (const [did, message] of cases) expect(refusal(() => publicJwkOfDid(did))).toEqual({ code: FormatErrorCode.Malformed, message: expect.stringMatching(message) });
  });

  it('writes no did:jwk for a key it cannot canonicalise', () => {
    expect(refusal(() => didJwkOf({ kty: 'RSA', n: 'AQAB', e: 'AQAB' })).code).toBe(FormatErrorCode.Malformed);
    expect(refusal(() => didJwkOf({ kty: 'EC', crv: 'P-256', x: VECTORS[0].jwk.x })).code).toBe(FormatErrorCode.Malformed);
  });
});
