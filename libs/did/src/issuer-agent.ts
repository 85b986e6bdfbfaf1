import {
  createAgent,
  type ICredentialIssuer,
  type IDIDManager,
  type IKeyManager,
  type IResolver,
  type TAgent,
} from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { KeyStore } from '@veramo/data-store';
import { DIDManager } from '@veramo/did-manager';
import { EthrDIDProvider } from '@veramo/did-provider-ethr';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager } from '@veramo/key-manager';
import type { DataSource } from 'typeorm';
import { DidKeySwitch, type IDidKeySwitch } from './did-key-switch.js';
import { OwnerBindingDIDStore, SealedKeyManagementSystem, SealedPrivateKeyStore } from './key-store.js';
import type { EthrNetwork } from './network.js';
import { createDidResolver } from './resolver.js';

/** The Veramo agent of the issuer service: keys, DIDs (and their key rotation), resolution and JWT credential issuance. */
export type IssuerAgent = TAgent<IDIDManager & IKeyManager & IResolver & ICredentialIssuer & IDidKeySwitch>;

/** Name of the local key management system. */
export const LOCAL_KMS = 'local';

/** The Veramo DID provider name for did:ethr on the city chain. */
export function ethrProviderName(network: Pick<EthrNetwork, 'name'>): string {
  return `did:ethr:${network.name}`;
}

/**
 * Builds the issuer's Veramo agent. Private keys are stored in the issuer database sealed under a key derived from
 * `keyEncryptionSecret` (AES-256-GCM), each bound to its key id and owner DID ({@link SealedPrivateKeyStore}); the
 * secret comes from the environment or a KMS, never the repo. The secret is checked against the database before
 * the first key operation; call `unlockPrivateKeys` at start-up to refuse a wrong one before serving.
 * @param options.dataSource - the issuer data source, already migrated
 * @param options.keyEncryptionSecret - 64 hex characters
 * @param options.network - the city chain
 * @throws KeyStoreError `KEY_SECRET_WEAK` for a malformed or weak secret
 */
export function createIssuerAgent(options: { dataSource: DataSource; keyEncryptionSecret: string; network: EthrNetwork }): IssuerAgent {
  const { dataSource, keyEncryptionSecret, network } = options;
  const provider = ethrProviderName(network);
  const privateKeys = new SealedPrivateKeyStore(dataSource, keyEncryptionSecret);
  const didStore = new OwnerBindingDIDStore(dataSource, privateKeys, LOCAL_KMS);
  return createAgent<IDIDManager & IKeyManager & IResolver & ICredentialIssuer & IDidKeySwitch>({
    plugins: [
      new KeyManager({
        store: new KeyStore(dataSource),
        kms: { [LOCAL_KMS]: new SealedKeyManagementSystem(privateKeys) },
      }),
      new DIDManager({
        store: didStore,
        defaultProvider: provider,
        providers: {
          [provider]: new EthrDIDProvider({
            defaultKms: LOCAL_KMS,
            networks: [{ name: network.name, chainId: network.chainId, rpcUrl: network.rpcUrl, registry: network.registry, provider: network.provider }],
          }),
        },
      }),
      new DIDResolverPlugin({ resolver: createDidResolver(network) }),
      new CredentialPlugin([new CredentialProviderJWT()]),
      new DidKeySwitch(didStore),
    ],
  });
}
