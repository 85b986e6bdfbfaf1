import { loadFormatVector, testJwsSigner } from '@citycred/testing';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { createAgent, type ICredentialPlugin, type IDIDManager, type IKeyManager, type IResolver } from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDManager, MemoryDIDStore } from '@veramo/did-manager';
import { EthrDIDProvider } from '@veramo/did-provider-ethr';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager, MemoryKeyStore, MemoryPrivateKeyStore } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import type { DIDResolutionResult } from 'did-resolver';
import { getAddress, JsonRpcProvider } from 'ethers';
import { beforeAll, describe, expect, it } from 'vitest';
import { jwtVcFormat } from './jwt-vc.js';
import { ethereumAddress, nobleSignatureCrypto } from './noble-crypto.js';
import type { VerificationKey } from './types.js';

/**
 * Differential test against the reference: a Veramo 7 agent built as libs/did builds the issuer's (key manager with
 * the local KMS, did:ethr provider, resolver, W3C credential plugin with the JWT provider), in memory, with the
 * issuer's DID document served statically instead of read from a chain.
 */

// A throwaway TEST key generated for this file; it signs nothing outside tests.
const PRIVATE_KEY_HEX = '5f3a0c7e4b9d21a86e0f4c3b7a1d95e2c8b06f4a3e7d1c9b2a5f8e0d4c6b3a71';
const PUBLIC_KEY_HEX = Buffer.from(secp256k1.getPublicKey(Buffer.from(PRIVATE_KEY_HEX, 'hex'), true)).toString('hex');
const DID = `did:ethr:citycred:0x${PUBLIC_KEY_HEX}`;
const ADDRESS = ethereumAddress(Buffer.from(PUBLIC_KEY_HEX, 'hex'));
const CHAIN_ID = 1337;
const NETWORK = 'citycred';

const didDocument = {
  '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/secp256k1recovery-2020/v2'],
  id: DID,
  verificationMethod: [
    { id: `${DID}#controller`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: DID, blockchainAccountId: `eip155:${CHAIN_ID}:${getAddress(ADDRESS)}` },
    { id: `${DID}#controllerKey`, type: 'EcdsaSecp256k1VerificationKey2019', controller: DID, publicKeyHex: PUBLIC_KEY_HEX },
  ],
  authentication: [`${DID}#controller`, `${DID}#controllerKey`],
  assertionMethod: [`${DID}#controller`, `${DID}#controllerKey`],
};

const staticResolver = {
  resolve: async (didUrl: string): Promise<DIDResolutionResult> =>
    didUrl.split(/[?#]/)[0] === DID
      ? { didResolutionMetadata: { contentType: 'application/did+ld+json' }, didDocument, didDocumentMetadata: {} }
      : { didResolutionMetadata: { error: 'notFound' }, didDocument: null, didDocumentMetadata: {} },
};

type Agent = ReturnType<typeof createAgent<IDIDManager & IKeyManager & IResolver & ICredentialPlugin>>;

function veramoAgent(): Agent {
  const provider = `did:ethr:${NETWORK}`;
  return createAgent<IDIDManager & IKeyManager & IResolver & ICredentialPlugin>({
    plugins: [
      new KeyManager({ store: new MemoryKeyStore(), kms: { local: new KeyManagementSystem(new MemoryPrivateKeyStore()) } }),
      new DIDManager({
        store: new MemoryDIDStore(),
        defaultProvider: provider,
        providers: {
          // Never called: the DID is imported, not created on a chain. Port 9 (discard) is never dialled.
          [provider]: new EthrDIDProvider({ defaultKms: 'local', networks: [{ name: NETWORK, chainId: CHAIN_ID, provider: new JsonRpcProvider('http://127.0.0.1:9', CHAIN_ID, { staticNetwork: true }) }] }),
        },
      }),
      new DIDResolverPlugin({ resolver: staticResolver }),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  });
}

const base = {
  '@context': ['https://www.w3.org/2018/credentials/v1', 'https://contexts.citycred.seoul.go.kr/v1'],
  id: 'urn:uuid:2f1c7d3e-8a4b-4c6d-9e0f-1a2b3c4d5e6f',
  type: ['VerifiableCredential', 'EnrollmentStatus'],
  issuer: { id: DID },
  issuanceDate: '2026-03-02T09:00:00.000Z',
  expirationDate: '2027-02-28T15:00:00.000Z',
  credentialSchema: { id: 'https://schemas.citycred.seoul.go.kr/v1/EnrollmentStatus.json', type: 'JsonSchema' },
  credentialStatus: {
    id: 'https://issuer.citycred.example/status/1#94567',
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: '94567',
    statusListCredential: 'https://issuer.citycred.example/status/1',
  },
  credentialSubject: { id: 'did:example:holder-1', enrolled: true, institutionName: '서울시립대학교 (가상)', programYear: 2026 },
};

/** Inputs that exercise each member did-jwt-vc maps, and the members it leaves alone. */
const CASES: Array<[string, Record<string, unknown>]> = [
  ['a CityCred credential (issuer object, status, schema, expiry)', base],
  ['an issuer string, no expiry, no subject id', (() => {
    const { expirationDate: _e, ...rest } = base;
    return { ...rest, issuer: DID, credentialSubject: { enrolled: false } };
  })()],
  ['an issuer object with a name, top-level name/description, evidence and termsOfUse', {
    ...base,
    name: '재학 증명',
    description: 'A demo credential',
    issuer: { id: DID, name: '서울시 (데모)' },
    evidence: [{ type: ['Evidence'], note: 'checked' }],
    termsOfUse: { type: 'IssuerPolicy', id: 'https://issuer.citycred.example/policy' },
  }],
  ['a single-string type and context', { ...base, '@context': 'https://www.w3.org/2018/credentials/v1', type: 'VerifiableCredential' }],
];

describe('jwt_vc against Veramo 7 (did-jwt-vc)', () => {
  let agent: Agent;
  const signer = testJwsSigner('ES256K', PRIVATE_KEY_HEX, `${DID}#controllerKey`);
  const keys: VerificationKey[] = [{ kind: 'ethereum-address', id: `${DID}#controller`, address: `eip155:${CHAIN_ID}:${getAddress(ADDRESS)}` }];

  beforeAll(async () => {
    agent = veramoAgent();
    await agent.didManagerImport({
      did: DID,
      provider: `did:ethr:${NETWORK}`,
      controllerKeyId: 'controller-key',
      keys: [{ kid: 'controller-key', kms: 'local', type: 'Secp256k1', privateKeyHex: PRIVATE_KEY_HEX, publicKeyHex: PUBLIC_KEY_HEX }],
      services: [],
    });
  });

  it.each(CASES)('signs %s byte for byte as Veramo does, with the same JSON form', async (_name, credential) => {
    const veramo = await agent.createVerifiableCredential({ proofFormat: 'jwt', credential: structuredClone(credential) as never });
    const ours = await jwtVcFormat.sign({ credential }, signer);
    expect(ours.encoded).toBe((veramo.proof as { jwt: string }).jwt);
    expect(JSON.stringify(jwtVcFormat.toJson(ours))).toBe(JSON.stringify(veramo));
  });

  it.each(CASES)("Veramo verifies ours and we verify Veramo's: %s", async (_name, credential) => {
    const ours = await jwtVcFormat.sign({ credential }, signer);
    const now = Date.parse('2026-06-01T00:00:00Z') / 1000;
    const byVeramo = await agent.verifyCredential({ credential: ours.encoded, policies: { now, credentialStatus: false } });
    expect(byVeramo.error).toBeUndefined();
    expect(byVeramo.verified).toBe(true);
    const jsonByVeramo = await agent.verifyCredential({ credential: jwtVcFormat.toJson(ours) as never, policies: { now, credentialStatus: false } });
    expect(jsonByVeramo.verified).toBe(true);

    const veramo = await agent.createVerifiableCredential({ proofFormat: 'jwt', credential: structuredClone(credential) as never });
    const decoded = jwtVcFormat.decode(veramo as unknown as Record<string, unknown>);
    expect(await jwtVcFormat.verifyProof(decoded, keys, nobleSignatureCrypto)).toEqual({ valid: true, keyId: `${DID}#controller` });
  });

  it('Veramo reproduces the frozen jwt_vc vector byte for byte', async () => {
    const vector = loadFormatVector('jwt_vc');
    await agent.didManagerImport({
      did: vector.key.did,
      provider: `did:ethr:${NETWORK}`,
      controllerKeyId: 'vector-key',
      keys: [{ kid: 'vector-key', kms: 'local', type: 'Secp256k1', privateKeyHex: vector.key.privateKeyHex, publicKeyHex: vector.key.publicKeyHex! }],
      services: [],
    });
    const veramo = await agent.createVerifiableCredential({ proofFormat: 'jwt', credential: structuredClone(vector.credential) as never });
    expect((veramo.proof as { jwt: string }).jwt).toBe(vector.encoded);
    expect(JSON.stringify(veramo)).toBe(JSON.stringify(vector.json));
  });

  it('Veramo refuses what we refuse: a JWT signed by another key', async () => {
    const other = testJwsSigner('ES256K', '0b'.repeat(32), `${DID}#controllerKey`);
    const forged = await jwtVcFormat.sign({ credential: base }, other);
    const now = Date.parse('2026-06-01T00:00:00Z') / 1000;
    expect((await agent.verifyCredential({ credential: forged.encoded, policies: { now, credentialStatus: false } })).verified).toBe(false);
    expect(await jwtVcFormat.verifyProof(jwtVcFormat.decode(forged.encoded), keys, nobleSignatureCrypto)).toEqual({ valid: false, reason: 'signature.invalid' });
  });
});
