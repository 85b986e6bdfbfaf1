import type { DIDDocument, VerificationMethod } from 'did-resolver';

/**
 * The verification methods of a did:ethr document that belong to the DID's owner: `#controller` (the owner's
 * address, `blockchainAccountId`: did-jwt recovers the signer's address from an ES256K signature and compares) and
 * `#controllerKey` (the DID's own public key, listed only while the identity owns itself). Every other method
 * ethr-did-resolver lists is `#delegate-N`: an ERC-1056 delegate or an added public key.
 */
const OWNER_FRAGMENTS = new Set(['controller', 'controllerKey']);
const DELEGATE_FRAGMENT = /^delegate-[1-9][0-9]*$/;

/** Which keys may sign for the DID: its owner's only, or its valid delegates' too. */
export interface SignerRule {
  acceptDelegates: boolean;
}

/**
 * `document` with only the verification methods `rule` lets sign for it, referenced from `assertionMethod` (what a
 * credential's signature is checked against) and `authentication` alike; everything else — other methods, embedded
 * methods, the legacy `publicKey` list — is left out, so did-jwt cannot find a signer among them. Delegates are those
 * the resolver still lists: it drops a delegate that was not valid at the version resolved.
 * @param document - a DID document as ethr-did-resolver returns it
 * @param rule - whether delegates may sign
 * @returns a new document; `document` is not changed
 */
export function signingKeysOnly(document: DIDDocument, rule: SignerRule): DIDDocument {
  const allowed = (id: string): boolean => {
    const hash = id.indexOf('#');
    if (hash < 0 || id.slice(0, hash) !== document.id) return false;
    const fragment = id.slice(hash + 1);
    return OWNER_FRAGMENTS.has(fragment) || (rule.acceptDelegates && DELEGATE_FRAGMENT.test(fragment));
  };
  const methods: VerificationMethod[] = (document.verificationMethod ?? []).filter((method) => allowed(method.id));
  const kept = new Set(methods.map((method) => method.id));
  const references = (list: DIDDocument['assertionMethod']): string[] => (list ?? []).filter((entry): entry is string => typeof entry === 'string' && kept.has(entry));
  const { publicKey: _legacy, ...rest } = document;
  return { ...rest, verificationMethod: methods, assertionMethod: references(document.assertionMethod), authentication: references(document.authentication) };
}
