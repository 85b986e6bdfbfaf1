import type { DIDDocument } from 'did-resolver';
import { describe, expect, it } from 'vitest';
import { signingKeysOnly } from './issuer-keys.js';

const did = 'did:ethr:citycred:0x02b97c30de767f084ce3080168ee293053ba33b235d7116a3263d29f1450936b71';
const method = (fragment: string, extra: Record<string, string> = {}) => ({ id: `${did}#${fragment}`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, ...extra });

/** A document as ethr-did-resolver 11 builds it for a public-key DID with a delegate, an added key and an encryption key. */
const document: DIDDocument = {
  id: did,
  verificationMethod: [
    method('controller', { blockchainAccountId: 'eip155:31337:0x0000000000000000000000000000000000000001' }),
    { ...method('controllerKey'), type: 'EcdsaSecp256k1VerificationKey2019', publicKeyHex: '02b97c30de767f084ce3080168ee293053ba33b235d7116a3263d29f1450936b71' },
    method('delegate-1', { blockchainAccountId: 'eip155:31337:0x0000000000000000000000000000000000000002' }),
    { ...method('delegate-2'), type: 'EcdsaSecp256k1VerificationKey2019', publicKeyHex: '03fdd57adec3d438ea237fe46b33ee1e016eda6b585c3e27ea66686c2ea5358479' },
    { ...method('delegate-3'), type: 'X25519KeyAgreementKey2019', publicKeyBase58: 'DFpN9Z' },
    // Not this DID's: a method naming another DID's key must never sign for this one.
    { ...method('controller'), id: 'did:ethr:citycred:0x0000000000000000000000000000000000000003#controller', blockchainAccountId: 'eip155:31337:0x0000000000000000000000000000000000000003' },
  ],
  authentication: [`${did}#controller`, `${did}#controllerKey`, `${did}#delegate-1`],
  assertionMethod: [`${did}#controller`, `${did}#controllerKey`, `${did}#delegate-1`, `${did}#delegate-2`, method('delegate-9', { blockchainAccountId: 'eip155:31337:0x0000000000000000000000000000000000000009' })],
  keyAgreement: [`${did}#delegate-3`],
  publicKey: [method('delegate-8', { blockchainAccountId: 'eip155:31337:0x0000000000000000000000000000000000000008' })],
};

describe('signingKeysOnly', () => {
  it("keeps only the owner's methods when delegates are not accepted", () => {
    const owner = signingKeysOnly(document, { acceptDelegates: false });
    expect(owner.verificationMethod!.map((m) => m.id)).toEqual([`${did}#controller`, `${did}#controllerKey`]);
    expect(owner.assertionMethod).toEqual([`${did}#controller`, `${did}#controllerKey`]);
    expect(owner.authentication).toEqual([`${did}#controller`, `${did}#controllerKey`]);
    expect(owner.publicKey).toBeUndefined();
  });

  it("adds this DID's delegates when they are accepted, never another DID's method nor an embedded one", () => {
    const withDelegates = signingKeysOnly(document, { acceptDelegates: true });
    expect(withDelegates.verificationMethod!.map((m) => m.id)).toEqual([`${did}#controller`, `${did}#controllerKey`, `${did}#delegate-1`, `${did}#delegate-2`, `${did}#delegate-3`]);
    // The encryption key stays out of assertionMethod: it was never referenced there.
    expect(withDelegates.assertionMethod).toEqual([`${did}#controller`, `${did}#controllerKey`, `${did}#delegate-1`, `${did}#delegate-2`]);
    expect(withDelegates.publicKey).toBeUndefined();
  });

  it('leaves the document it was given unchanged', () => {
    const before = JSON.stringify(document);
    signingKeysOnly(document, { acceptDelegates: false });
    expect(JSON.stringify(document)).toBe(before);
  });
});
