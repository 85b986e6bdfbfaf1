import type { IAgentContext, IAgentPlugin, IIdentifier, IKeyManager, IPluginMethodMap } from '@veramo/core';
import type { AbstractDIDStore } from '@veramo/did-manager';

/** Arguments of {@link IDidKeySwitch.didManagerSwitchKey}. */
export interface SwitchKeyArgs {
  /** A DID this agent manages. */
  did: string;
  /** A Secp256k1 key of this agent's key manager, not another DID's. */
  kid: string;
}

/**
 * Replaces the key a did:ethr identifier signs with, after its ERC-1056 owner changed on chain (a key rotation).
 * Veramo's DID manager has no such method: `didManagerAddKey`/`didManagerRemoveKey` keep the controller key, and the
 * JWT issuer picks the identifier's first key.
 */
export interface IDidKeySwitch extends IPluginMethodMap {
  /**
   * Makes `kid` the DID's controller key and its only key, in one write of the DID store (so the key is bound to the
   * DID as any key of a stored DID is). The keys it had stay in the key manager, detached from the DID; the caller
   * deletes them when done. The DID string does not change: a did:ethr identity keeps its address when its owner
   * changes.
   * @returns the identifier as stored
   * @throws Error when the DID or the key is unknown, or the key is not Secp256k1; the key store's error when the
   *   key belongs to another DID
   */
  didManagerSwitchKey(args: SwitchKeyArgs, context: IAgentContext<IKeyManager>): Promise<IIdentifier>;
}

/**
 * The plugin implementing {@link IDidKeySwitch} on the same DID store as the agent's DID manager (so the store's own
 * rules, such as binding keys to their DID, apply).
 */
export class DidKeySwitch implements IAgentPlugin {
  readonly methods: IDidKeySwitch;

  /** @param store - the DID store the agent's DID manager uses */
  constructor(private readonly store: AbstractDIDStore) {
    this.methods = { didManagerSwitchKey: (args, context) => this.switchKey(args, context) };
  }

  private async switchKey({ did, kid }: SwitchKeyArgs, context: IAgentContext<IKeyManager>): Promise<IIdentifier> {
    const identifier = await this.store.getDID({ did });
    const key = await context.agent.keyManagerGet({ kid });
    if (key.type !== 'Secp256k1') throw new Error(`invalid_argument: a did:ethr key is Secp256k1, not ${key.type}`);
    const switched: IIdentifier = { ...identifier, controllerKeyId: key.kid, keys: [key] };
    await this.store.importDID(switched);
    return switched;
  }
}
