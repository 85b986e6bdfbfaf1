import { createECDH, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { VerificationKey } from '@citycred/formats';
import { createAgent, type ICredentialIssuer, type IDIDManager, type IKeyManager, type TAgent } from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDManager, MemoryDIDStore } from '@veramo/did-manager';
import { KeyManager, MemoryKeyStore, MemoryPrivateKeyStore } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import { createJWT, ES256KSigner, ES256Signer, verifyJWT } from 'did-jwt';
import type { DIDResolutionResult, Resolvable, VerificationMethod } from 'did-resolver';
import { computeAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import { NodeSignatureCrypto } from './node-signature-crypto.js';
import { nativeSecp256k1, SECP256K1_N, type Secp256k1Backend } from './secp256k1-native.js';
import { P256Signer, Secp256k1Signer } from './signers.js';

/**
 * The fast signer against the reference: Veramo 7's local KMS and did-jwt 8 (what issuers and verifiers of did:ethr
 * JWT VCs use). Both ES256K backends are run; libsecp256k1 must load on this machine (the package ships the binary).
 */
const BACKENDS: Secp256k1Backend[] = ['libsecp256k1', 'node:crypto'];
const encoder = new TextEncoder();
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

interface Tenant {
  privateKey: Buffer;
  compressed: Buffer;
  uncompressed: Buffer;
  address: string;
  did: string;
}

function newTenant(): Tenant {
  // 32 random bytes, set as the key: getPrivateKey() after generateKeys() strips a leading zero byte once in 256 keys.
  const ecdh = createECDH('secp256k1');
  const privateKey = randomBytes(32);
  ecdh.setPrivateKey(privateKey);
  const compressed = ecdh.getPublicKey(null, 'compressed');
  return {
    privateKey,
    compressed,
    uncompressed: ecdh.getPublicKey(),
    address: computeAddress(`0x${compressed.toString('hex')}`),
    did: `did:ethr:citycred:0x${compressed.toString('hex')}`,
  };
}

/** The candidate keys of a tenant in every form a DID document or a format may give them. */
function keysOf(tenant: Tenant): Record<string, VerificationKey> {
  return {
    compressed: { kind: 'secp256k1', publicKey: tenant.compressed },
    uncompressed: { kind: 'secp256k1', publicKey: tenant.uncompressed },
    jwk: { kind: 'jwk', jwk: { kty: 'EC', crv: 'secp256k1', x: b64(tenant.uncompressed.subarray(1, 33)), y: b64(tenant.uncompressed.subarray(33)) } },
    address: { kind: 'ethereum-address', address: tenant.address },
    caip10: { kind: 'ethereum-address', address: `eip155:31337:${tenant.address}` },
  };
}

/**
 * A did:ethr document as ethr-did-resolver gives it, for a DID owned by `owner`: `#controllerKey` only while the DID
 * owns itself, `#controller` (an address, checked by recovery) always.
 */
function staticResolver(tenant: Tenant, owner: Tenant = tenant): Resolvable {
  const methods: VerificationMethod[] = [
    { id: `${tenant.did}#controller`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: tenant.did, blockchainAccountId: `eip155:31337:${owner.address}` },
    ...(owner === tenant ? [{ id: `${tenant.did}#controllerKey`, type: 'EcdsaSecp256k1VerificationKey2019', controller: tenant.did, publicKeyHex: tenant.compressed.toString('hex') }] : []),
  ];
  const ids = methods.map((m) => m.id);
  return {
    resolve: async (): Promise<DIDResolutionResult> => ({
      didResolutionMetadata: {},
      didDocumentMetadata: {},
      didDocument: { id: tenant.did, verificationMethod: methods, authentication: ids, assertionMethod: ids },
    }),
  };
}

/** Veramo 7 as the issuer runs it, in memory, with the tenant's key imported into the local KMS. */
async function veramoIssuer(tenant: Tenant): Promise<TAgent<IDIDManager & IKeyManager & ICredentialIssuer>> {
  const agent = createAgent<IDIDManager & IKeyManager & ICredentialIssuer>({
    plugins: [
      new KeyManager({ store: new MemoryKeyStore(), kms: { local: new KeyManagementSystem(new MemoryPrivateKeyStore()) } }),
      new DIDManager({ store: new MemoryDIDStore(), defaultProvider: 'did:ethr', providers: {} }),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  });
  const kid = tenant.compressed.toString('hex');
  await agent.didManagerImport({
    did: tenant.did,
    provider: 'did:ethr',
    controllerKeyId: kid,
    keys: [{ kid, kms: 'local', type: 'Secp256k1', publicKeyHex: kid, privateKeyHex: tenant.privateKey.toString('hex') }],
    services: [],
  });
  return agent;
}

function split(jwt: string): { signingInput: Uint8Array; signature: Uint8Array } {
  const last = jwt.lastIndexOf('.');
  return { signingInput: encoder.encode(jwt.slice(0, last)), signature: Buffer.from(jwt.slice(last + 1), 'base64url') };
}

/** A JWT signed by our signer: did-jwt's header and payload encoding, our signature. */
async function ourJwt(signer: Secp256k1Signer | P256Signer, payload: Record<string, unknown>): Promise<string> {
  const signingInput = `${b64(encoder.encode(JSON.stringify({ alg: signer.alg, typ: 'JWT' })))}.${b64(encoder.encode(JSON.stringify(payload)))}`;
  return `${signingInput}.${b64(await signer.sign(encoder.encode(signingInput)))}`;
}

async function didJwtVerdict(jwt: string, resolver: Resolvable): Promise<boolean> {
  return verifyJWT(jwt, { resolver, policies: { nbf: false, iat: false, exp: false } }).then(
    () => true,
    () => false,
  );
}

function withHighS(signature: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`);
  const high = Uint8Array.from(signature);
  high.set(Buffer.from((SECP256K1_N - s).toString(16).padStart(64, '0'), 'hex'), 32);
  return high;
}

const isLowS = (signature: Uint8Array) => BigInt(`0x${Buffer.from(signature.subarray(32)).toString('hex')}`) <= SECP256K1_N >> 1n;
const credential = (tenant: Tenant, name: string) => ({
  issuer: { id: tenant.did },
  issuanceDate: '2026-03-01T09:00:00Z',
  type: ['VerifiableCredential', 'ResidencyCredential'],
  credentialSubject: { id: 'did:example:holder', name },
});

describe('ES256K: our signer and Veramo/did-jwt agree', () => {
  it('loads the native libsecp256k1 binding on this machine (the pure-JS fallback of the package is not used)', () => {
    expect(nativeSecp256k1()).not.toBeNull();
    expect(new Secp256k1Signer({ kid: 'k', privateKey: newTenant().privateKey }).backend).toBe('libsecp256k1');
  });

  it('signs the signing input of a Veramo JWT VC with exactly the bytes Veramo signed it with (RFC 6979)', async () => {
    const tenant = newTenant();
    const veramo = await veramoIssuer(tenant);
    const signer = new Secp256k1Signer({ kid: `${tenant.did}#controller`, privateKey: tenant.privateKey });
    for (const name of ['Hong Gildong', 'Kim Minji', 'Lee Seojun']) {
      const vc = await veramo.createVerifiableCredential({ credential: credential(tenant, name), proofFormat: 'jwt' });
      const { signingInput, signature } = split(vc.proof.jwt as string);
      expect(b64(await signer.sign(signingInput))).toBe(b64(signature));
    }
  });

  it('matches did-jwt\'s ES256KSigner byte for byte over many keys and inputs', async () => {
    for (let i = 0; i < 25; i += 1) {
      const tenant = newTenant();
      const input = encoder.encode(`${b64(randomBytes(20))}.${b64(randomBytes(i * 37))}`);
      const reference = Buffer.from((await ES256KSigner(tenant.privateKey)(input)) as string, 'base64url');
      expect(b64(new Secp256k1Signer({ kid: 'k', privateKey: tenant.privateKey }).sign(input))).toBe(b64(reference));
    }
  });

  it('with node:crypto signs with a random nonce, low-S, and each signature still verifies', () => {
    const tenant = newTenant();
    const signer = new Secp256k1Signer({ kid: 'k', privateKey: tenant.privateKey, backend: 'node:crypto' });
    const input = encoder.encode('header.payload');
    const signatures = Array.from({ length: 40 }, () => signer.sign(input));
    expect(new Set(signatures.map(b64)).size).toBe(40);
    const crypto = new NodeSignatureCrypto();
    for (const signature of signatures) {
      expect(signature).toHaveLength(64);
      expect(isLowS(signature)).toBe(true);
      expect(crypto.verify('ES256K', keysOf(tenant).compressed!, input, signature)).toBe(true);
    }
  });

  for (const backend of BACKENDS) {
    it(`[${backend}] verifies did-jwt's signatures against every key form, and refuses other inputs and keys`, async () => {
      const tenant = newTenant();
      const stranger = newTenant();
      const crypto = new NodeSignatureCrypto({ backend });
      const jwt = await createJWT({ iss: tenant.did, name: 'Hong Gildong' }, { issuer: tenant.did, signer: ES256KSigner(tenant.privateKey), alg: 'ES256K' });
      const { signingInput, signature } = split(jwt);
      for (const [form, key] of Object.entries(keysOf(tenant))) {
        expect(crypto.verify('ES256K', key, signingInput, signature), form).toBe(true);
        expect(crypto.verify('ES256K', key, encoder.encode(`${jwt.split('.')[0]}.e30`), signature), `${form}, other input`).toBe(false);
      }
      for (const [form, key] of Object.entries(keysOf(stranger))) expect(crypto.verify('ES256K', key, signingInput, signature), `stranger ${form}`).toBe(false);
      expect(crypto.verify('ES256', keysOf(tenant).jwk!, signingInput, signature), 'an ES256K key does not check ES256').toBe(false);
    });

    it(`[${backend}] signs credentials that did-jwt's verifyJWT accepts, by key and by recovered address`, async () => {
      const tenant = newTenant();
      const signer = new Secp256k1Signer({ kid: `${tenant.did}#controller`, privateKey: tenant.privateKey, backend });
      for (let i = 0; i < 5; i += 1) {
        const jwt = await ourJwt(signer, { iss: tenant.did, sub: 'did:example:holder', vc: { credentialSubject: { n: i } } });
        expect(await didJwtVerdict(jwt, staticResolver(tenant))).toBe(true);
      }
      // After a rotation the document names only the new owner's address: the signature verifies by recovery.
      const rotated = newTenant();
      const afterRotation = new Secp256k1Signer({ kid: `${tenant.did}#controller`, privateKey: rotated.privateKey, backend });
      const jwt = await ourJwt(afterRotation, { iss: tenant.did });
      expect(await didJwtVerdict(jwt, staticResolver(tenant, rotated))).toBe(true);
      expect(await didJwtVerdict(await ourJwt(signer, { iss: tenant.did }), staticResolver(tenant, rotated)), 'the old key no longer').toBe(false);
    });

    it(`[${backend}] gives did-jwt's verdict on high-S and out-of-range signatures`, async () => {
      const tenant = newTenant();
      const crypto = new NodeSignatureCrypto({ backend });
      const jwt = await createJWT({ iss: tenant.did }, { issuer: tenant.did, signer: ES256KSigner(tenant.privateKey), alg: 'ES256K' });
      const { signingInput, signature } = split(jwt);
      const head = jwt.slice(0, jwt.lastIndexOf('.'));
      const n = Buffer.from(SECP256K1_N.toString(16), 'hex');
      const variants: Record<string, Uint8Array> = {
        highS: withHighS(signature),
        zeroR: Uint8Array.from([...new Uint8Array(32), ...signature.subarray(32)]),
        rIsN: Uint8Array.from([...n, ...signature.subarray(32)]),
        sIsN: Uint8Array.from([...signature.subarray(0, 32), ...n]),
      };
      for (const [name, variant] of Object.entries(variants)) {
        const reference = await didJwtVerdict(`${head}.${b64(variant)}`, staticResolver(tenant));
        expect(reference, `did-jwt on ${name}`).toBe(name === 'highS');
        for (const [form, key] of Object.entries(keysOf(tenant))) expect(crypto.verify('ES256K', key, signingInput, variant), `${name} with ${form}`).toBe(reference);
      }
      // did-jwt recovers from an address-only document as well, high-S included.
      const addressOnly = staticResolver(tenant, { ...tenant, did: 'did:ethr:citycred:other' });
      expect(await didJwtVerdict(`${head}.${b64(variants.highS!)}`, addressOnly)).toBe(true);
    });
  }

  it('signs and checks ES256 (P-256) as did-jwt does', async () => {
    const ecdh = createECDH('prime256v1');
    const p256Key = randomBytes(32);
    ecdh.setPrivateKey(p256Key);
    const point = ecdh.getPublicKey();
    const jwk = { kty: 'EC', crv: 'P-256', x: b64(point.subarray(1, 33)), y: b64(point.subarray(33)) };
    const did = 'did:example:p256';
    const resolver: Resolvable = {
      resolve: async () => ({
        didResolutionMetadata: {},
        didDocumentMetadata: {},
        didDocument: { id: did, verificationMethod: [{ id: `${did}#key-1`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk }], assertionMethod: [`${did}#key-1`] },
      }),
    };
    const signer = new P256Signer({ kid: `${did}#key-1`, privateKey: p256Key });
    expect(await didJwtVerdict(await ourJwt(signer, { iss: did }), resolver)).toBe(true);
    const theirs = split(await createJWT({ iss: did }, { issuer: did, signer: ES256Signer(p256Key), alg: 'ES256' }));
    const crypto = new NodeSignatureCrypto();
    expect(crypto.verify('ES256', { kind: 'jwk', jwk }, theirs.signingInput, theirs.signature)).toBe(true);
    expect(crypto.verify('ES256', { kind: 'jwk', jwk }, encoder.encode('other'), theirs.signature)).toBe(false);
    expect(crypto.verify('ES256K', { kind: 'jwk', jwk }, theirs.signingInput, theirs.signature), 'a P-256 key does not check ES256K').toBe(false);
  });

  it('keeps verifying right when its key cache is full', () => {
    const crypto = new NodeSignatureCrypto({ keyCacheSize: 1 });
    const tenants = [newTenant(), newTenant(), newTenant()];
    const input = encoder.encode('header.payload');
    const signatures = tenants.map((t) => new Secp256k1Signer({ kid: 'k', privateKey: t.privateKey }).sign(input));
    for (let round = 0; round < 3; round += 1) {
      tenants.forEach((tenant, i) => {
        expect(crypto.verify('ES256K', keysOf(tenant).compressed!, input, signatures[i]!)).toBe(true);
        expect(crypto.verify('ES256K', keysOf(tenant).compressed!, input, signatures[(i + 1) % 3]!)).toBe(false);
      });
    }
  });

  it('never shows the private key, and zeroes it on destroy', () => {
    const tenant = newTenant();
    const hex = tenant.privateKey.toString('hex');
    for (const backend of BACKENDS) {
      const signer = new Secp256k1Signer({ kid: 'did:ethr:citycred:0x01#controller', privateKey: tenant.privateKey, backend });
      const shown = [JSON.stringify(signer), inspect(signer, { showHidden: true, depth: 5 }), String(Object.values(signer))];
      for (const text of shown) {
        expect(text).not.toContain(hex);
        expect(text).not.toContain(tenant.privateKey.toString('base64url'));
      }
      signer.destroy();
      expect(signer.destroyed).toBe(true);
      expect(() => signer.sign(encoder.encode('x'))).toThrow(/destroyed/);
    }
    expect(tenant.privateKey.toString('hex'), 'the caller\'s buffer is its own').toBe(hex);
  });

  it('takes a scalar whose top byte is zero when it is handed over shorter, as node:crypto does once in 256 keys', () => {
    const full = Buffer.concat([Buffer.alloc(1), randomBytes(31)]);
    const stripped = full.subarray(1);
    const a = new Secp256k1Signer({ kid: 'k', privateKey: full });
    const b = new Secp256k1Signer({ kid: 'k', privateKey: stripped });
    expect(Buffer.from(b.publicKey).equals(Buffer.from(a.publicKey))).toBe(true);
    const input = encoder.encode('x');
    expect(Buffer.from(b.sign(input) as Uint8Array).equals(Buffer.from(a.sign(input) as Uint8Array))).toBe(true);
  });

  it('refuses a private key that is not a secp256k1 scalar', () => {
    for (const privateKey of [new Uint8Array(31), new Uint8Array(32), Buffer.from(SECP256K1_N.toString(16), 'hex')]) {
      expect(() => new Secp256k1Signer({ kid: 'k', privateKey })).toThrow(RangeError);
    }
  });
});
