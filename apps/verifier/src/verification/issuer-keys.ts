import { isDidEthrSigningMethod } from '@citycred/formats';
import type { DIDDocument, VerificationMethod } from 'did-resolver';

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
  // The owner's `#controller` / `#controllerKey`, and `#delegate-N` when delegates may sign (@citycred/formats, which
  // the wallet reads documents with too).
  const methods: VerificationMethod[] = (document.verificationMethod ?? []).filter((method) => isDidEthrSigningMethod(document.id, method.id, rule));
  const kept = new Set(methods.map((method) => method.id));
  const references = (list: DIDDocument['assertionMethod']): string[] => (list ?? []).filter((entry): entry is string => typeof entry === 'string' && kept.has(entry));
  const { publicKey: _legacy, ...rest } = document;
  return { ...rest, verificationMethod: methods, assertionMethod: references(document.assertionMethod), authentication: references(document.authentication) };
}
