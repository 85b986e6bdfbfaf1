import { describe, expect, it } from 'vitest';
import { didEthrSigningKeys, holderDidDocument, verificationKeyOfMethod } from './did-document.js';
import { didJwkOf, publicJwkOfDid } from './did-keys.js';
import { FormatError } from './types.js';

const did = 'did:ethr:citycred:0x02b97c30de767f084ce3080168ee293053ba33b235d7116a3263d29f1450936b71';
const method = (fragment: string, extra: Record<string, unknown> = {}) => ({ id: `${did}#${fragment}`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, ...extra });

/** A did:ethr document as ethr-did-resolver 11 builds it for a public-key DID with a delegate and an encryption key. */
const document = {
  id: did,
  verificationMethod: [
    method('controller', { blockchainAccountId: 'eip155:31337:0x0000000000000000000000000000000000000001' }),
    { ...method('controllerKey'), type: 'EcdsaSecp256k1VerificationKey2019', publicKeyHex: '02b97c30de767f084ce3080168ee293053ba33b235d7116a3263d29f1450936b71' },
    method('delegate-1', { blockchainAccountId: 'eip155:31337:0x0000000000000000000000000000000000000002' }),
    { ...method('delegate-2'), type: 'X25519KeyAgreementKey2019', publicKeyBase58: 'DFpN9Z' },
    { ...method('controller'), id: 'did:ethr:citycred:0x0000000000000000000000000000000000000003#controller', blockchainAccountId: 'eip155:31337:0x0000000000000000000000000000000000000003' },
  ],
};

describe('the keys of a did:ethr document', () => {
  it("takes the owner's keys, and the delegates' only when they are accepted; never another DID's method or a key it cannot read", () => {
    expect(didEthrSigningKeys(document, { acceptDelegates: false }).map((key) => [key.id, key.kind])).toEqual([
      [`${did}#controller`, 'ethereum-address'],
      [`${did}#controllerKey`, 'secp256k1'],
    ]);
    expect(didEthrSigningKeys(document, { acceptDelegates: true }).map((key) => key.id)).toEqual([`${did}#controller`, `${did}#controllerKey`, `${did}#delegate-1`]);
  });

  it('reads a hex key into its 33 bytes, and leaves out hex that is no key', () => {
    const key = verificationKeyOfMethod(document.verificationMethod[1]!);
    expect(key).toMatchObject({ kind: 'secp256k1' });
    expect(key?.kind === 'secp256k1' && key.publicKey.length).toBe(33);
    expect(verificationKeyOfMethod(method('delegate-3', { publicKeyHex: '02ab' }))).toBeUndefined();
  });
});

describe('the document of a did:jwk or did:key', () => {
  it('names the one key the DID holds, referenced for assertions', () => {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
    const jwkDid = didJwkOf(jwk);
    expect(holderDidDocument(jwkDid)).toMatchObject({ id: jwkDid, verificationMethod: [{ id: `${jwkDid}#0`, type: 'JsonWebKey', controller: jwkDid, publicKeyJwk: jwk }], assertionMethod: [`${jwkDid}#0`] });
    const keyDid = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    expect(holderDidDocument(keyDid)).toMatchObject({ verificationMethod: [{ id: `${keyDid}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`, publicKeyJwk: publicJwkOfDid(keyDid) }] });
    expect(() => holderDidDocument('did:jwk:bm90LWEta2V5')).toThrow(FormatError);
  });
});
