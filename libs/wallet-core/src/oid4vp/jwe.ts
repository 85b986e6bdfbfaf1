import { encodeBase64url, utf8Bytes, type PublicJwk } from '@citycred/formats';

/** The content encryptions a `direct_post.jwt` response may use here, with their key length in bits. */
export const RESPONSE_ENCRYPTIONS = { A128GCM: 128, A256GCM: 256 } as const;
export type ResponseEncryption = keyof typeof RESPONSE_ENCRYPTIONS;

/**
 * Encrypts a JSON object into a compact JWE (RFC 7516) with `alg: ECDH-ES` (direct key agreement, RFC 7518 §4.6) to a
 * P-256 public key and `enc` A128GCM or A256GCM, with WebCrypto only: an ephemeral P-256 key (`epk` in the header),
 * the Concat KDF over SHA-256 with the `enc` as AlgorithmID and empty PartyUInfo / PartyVInfo, AES-GCM with a 96-bit
 * IV and the protected header as additional data. The JWE is not signed (OpenID4VP 1.0 §8.3).
 * @param payload - the JSON object to encrypt
 * @param recipient - the verifier's public key (`kty: EC`, `crv: P-256`, `x`, `y`); its `kid`, when it has one, goes in the header
 * @param enc - the content encryption
 * @returns `header..iv.ciphertext.tag` (the encrypted key is empty for ECDH-ES)
 * @throws TypeError for a key that is not a P-256 public key
 */
export async function encryptJwe(payload: Readonly<Record<string, unknown>>, recipient: PublicJwk, enc: ResponseEncryption): Promise<string> {
  if (recipient.kty !== 'EC' || recipient.crv !== 'P-256' || typeof recipient.x !== 'string' || typeof recipient.y !== 'string') throw new TypeError('the response key must be an EC P-256 public key');
  const subtle = globalThis.crypto.subtle;
  const recipientKey = await subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: recipient.x, y: recipient.y }, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const ephemeral = (await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair;
  const { x, y } = await subtle.exportKey('jwk', ephemeral.publicKey);
  const shared = new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: recipientKey }, ephemeral.privateKey, 256));
  const keyBits = RESPONSE_ENCRYPTIONS[enc];
  const cek = await concatKdf(shared, enc, keyBits);

  const header = { alg: 'ECDH-ES', enc, ...(typeof recipient.kid === 'string' ? { kid: recipient.kid } : {}), epk: { kty: 'EC', crv: 'P-256', x, y } };
  const encodedHeader = encodeBase64url(JSON.stringify(header));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const aesKey = await subtle.importKey('raw', cek, { name: 'AES-GCM' }, false, ['encrypt']);
  const sealed = new Uint8Array(
    await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new Uint8Array(utf8Bytes(encodedHeader)), tagLength: 128 }, aesKey, new Uint8Array(utf8Bytes(JSON.stringify(payload)))),
  );
  const ciphertext = sealed.subarray(0, sealed.length - 16);
  const tag = sealed.subarray(sealed.length - 16);
  return `${encodedHeader}..${encodeBase64url(iv)}.${encodeBase64url(ciphertext)}.${encodeBase64url(tag)}`;
}

/** NIST SP 800-56A Concat KDF as JWA uses it (RFC 7518 §4.6.2), one SHA-256 round (keys up to 256 bits). */
async function concatKdf(shared: Uint8Array, algorithmId: string, keyBits: number): Promise<Uint8Array<ArrayBuffer>> {
  const id = utf8Bytes(algorithmId);
  const input = new Uint8Array(4 + shared.length + 4 + id.length + 4 + 4 + 4);
  const view = new DataView(input.buffer);
  let at = 0;
  view.setUint32(at, 1);
  at += 4;
  input.set(shared, at);
  at += shared.length;
  view.setUint32(at, id.length);
  at += 4;
  input.set(id, at);
  at += id.length;
  // PartyUInfo and PartyVInfo: empty (length 0 each).
  view.setUint32(at, 0);
  at += 4;
  view.setUint32(at, 0);
  at += 4;
  view.setUint32(at, keyBits);
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', input));
  return digest.slice(0, keyBits / 8);
}
