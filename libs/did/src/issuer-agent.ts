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
import { DIDStore, KeyStore, PrivateKeyStore } from '@veramo/data-store';
import { DIDManager } from '@veramo/did-manager';
import { EthrDIDProvider } from '@veramo/did-provider-ethr';
import { DIDResolverPlugin } from '@veramo/did-resolver';
import { KeyManager } from '@veramo/key-manager';
import { KeyManagementSystem, SecretBox } from '@veramo/kms-local';
import type { DataSource } from 'typeorm';
import type { EthrNetwork } from './network.js';
import { createDidResolver } from './resolver.js';

/** The Veramo agent of the issuer service: keys, DIDs, resolution and JWT credential issuance. */
export type IssuerAgent = TAgent<IDIDManager & IKeyManager & IResolver & ICredentialIssuer>;

/** Name of the local key management system. */
export const LOCAL_KMS = 'local';

/** The Veramo DID provider name for did:ethr on the city chain. */
export function ethrProviderName(network: Pick<EthrNetwork, 'name'>): string {
  return `did:ethr:${network.name}`;
}

/**
 * Builds the issuer's Veramo agent. Private keys are stored in the issuer database, encrypted with
 * `keyEncryptionSecret` (NaCl secretbox); the secret comes from the environment or a KMS, never the repo.
 * @param options.dataSource - the issuer data source, already migrated
 * @param options.keyEncryptionSecret - 64 hex characters
 * @param options.network - the city chain
 */
export function createIssuerAgent(options: { dataSource: DataSource; keyEncryptionSecret: string; network: EthrNetwork }): IssuerAgent {
  const { dataSource, keyEncryptionSecret, network } = options;
  const provider = ethrProviderName(network);
  return createAgent<IDIDManager & IKeyManager & IResolver & ICredentialIssuer>({
    plugins: [
      new KeyManager({
        store: new KeyStore(dataSource),
        kms: { [LOCAL_KMS]: new KeyManagementSystem(new PrivateKeyStore(dataSource, new SecretBox(keyEncryptionSecret))) },
      }),
      new DIDManager({
        store: new DIDStore(dataSource),
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
    ],
  });
}
