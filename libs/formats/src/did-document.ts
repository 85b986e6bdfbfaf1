import { publicJwkOfDid } from './did-keys.js';
import type { PublicJwk, VerificationKey } from './types.js';

/**
 * Reading the keys of a DID document, browser-safe: the verifier (documents ethr-did-resolver returns) and the wallet
 * (documents the verifier's public DID resolution endpoint answers) turn them into {@link VerificationKey}s the same way.
 */

/** The members of a verification method the key readers use (W3C DID Core §5.2; ethr-did-resolver's methods). */
export interface DidVerificationMethod {
  readonly id: string;
  readonly type?: string;
  readonly controller?: string;
  /** CAIP-10 `eip155:<chain>:0x…`: only a key recovered from a signature can be compared with it. */
  readonly blockchainAccountId?: string;
  readonly publicKeyHex?: string;
  readonly publicKeyJwk?: PublicJwk;
  readonly [member: string]: unknown;
}

/** The part of a DID document the key readers use. */
export interface DidDocumentKeys {
  readonly id: string;
  readonly verificationMethod?: readonly DidVerificationMethod[];
  readonly [member: string]: unknown;
}

/** Which keys may sign for a did:ethr: its owner's only, or its delegates' too. */
export interface DidEthrSignerRule {
  readonly acceptDelegates: boolean;
}

/**
 * The verification methods of a did:ethr document that belong to the DID's owner: `#controller` (the owner's
 * address, `blockchainAccountId`) and `#controllerKey` (the DID's own public key, listed only while the identity owns
 * itself). Every other method ethr-did-resolver lists is `#delegate-N`: an ERC-1056 delegate or an added public key.
 */
const OWNER_FRAGMENTS = new Set(['controller', 'controllerKey']);
const DELEGATE_FRAGMENT = /^delegate-[1-9][0-9]*$/;

/**
 * Whether the verification method `methodId` of the did:ethr document `documentId` may sign for it under `rule`: one
 * of the document's own methods (`<documentId>#…`), the owner's (`#controller`, `#controllerKey`) or, when delegates
 * are accepted, `#delegate-N` (ethr-did-resolver lists only delegates valid at the version resolved).
 * @param documentId - the document's `id` (the DID)
 * @param methodId - a verification method's `id`
 */
export function isDidEthrSigningMethod(documentId: string, methodId: string, rule: DidEthrSignerRule): boolean {
  const hash = methodId.indexOf('#');
  if (hash < 0 || methodId.slice(0, hash) !== documentId) return false;
  const fragment = methodId.slice(hash + 1);
  return OWNER_FRAGMENTS.has(fragment) || (rule.acceptDelegates && DELEGATE_FRAGMENT.test(fragment));
}

/**
 * One verification method as a {@link VerificationKey}: an address (`blockchainAccountId`, checked by recovering the
 * signer), a hex secp256k1 key (`publicKeyHex`, compressed or uncompressed) or a JWK (`publicKeyJwk`).
 * @returns the key, or undefined for a method in another form
 */
export function verificationKeyOfMethod(method: DidVerificationMethod): VerificationKey | undefined {
  if (typeof method.blockchainAccountId === 'string') return { kind: 'ethereum-address', id: method.id, address: method.blockchainAccountId };
  if (typeof method.publicKeyHex === 'string' && /^(0x)?([0-9a-fA-F]{2}){33,65}$/.test(method.publicKeyHex)) {
    const hex = method.publicKeyHex.replace(/^0x/, '');
    return { kind: 'secp256k1', id: method.id, publicKey: Uint8Array.from(hex.match(/../g)!, (byte) => parseInt(byte, 16)) };
  }
  if (method.publicKeyJwk !== null && typeof method.publicKeyJwk === 'object' && typeof method.publicKeyJwk.kty === 'string') return { kind: 'jwk', id: method.id, jwk: method.publicKeyJwk };
  return undefined;
}

/**
 * The keys that may sign for a did:ethr document under `rule` ({@link isDidEthrSigningMethod}), as
 * {@link VerificationKey}s ({@link verificationKeyOfMethod}); every other method is left out.
 * @param document - a did:ethr document as ethr-did-resolver returns it
 */
export function didEthrSigningKeys(document: DidDocumentKeys, rule: DidEthrSignerRule): VerificationKey[] {
  const keys: VerificationKey[] = [];
  for (const method of document.verificationMethod ?? []) {
    if (typeof method?.id !== 'string' || !isDidEthrSigningMethod(document.id, method.id, rule)) continue;
    const key = verificationKeyOfMethod(method);
    if (key) keys.push(key);
  }
  return keys;
}

/**
 * The DID document of a `did:jwk` or `did:key`: the one key the DID names, as a `JsonWebKey` verification method
 * (`<did>#0` for did:jwk, `<did>#<multibase>` for did:key, as their specifications name it) referenced from
 * `assertionMethod` and `authentication`. Nothing is fetched.
 * @param did - a bare did:jwk or did:key
 * @throws FormatError `format.malformed` for anything {@link publicJwkOfDid} refuses
 */
export function holderDidDocument(did: string): DidDocumentKeys & { readonly '@context': readonly string[] } {
  const jwk = publicJwkOfDid(did);
  const id = did.startsWith('did:key:') ? `${did}#${did.slice('did:key:'.length)}` : `${did}#0`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/jwk/v1'],
    id: did,
    verificationMethod: [{ id, type: 'JsonWebKey', controller: did, publicKeyJwk: jwk }],
    assertionMethod: [id],
    authentication: [id],
  };
}
