import { AbstractSigner, type Provider, type TransactionRequest, type TypedDataDomain, type TypedDataField } from 'ethers';
import type { IKeyManager, TAgent } from '@veramo/core';

/**
 * An ethers signer whose key stays in Veramo's key manager: transactions are signed by
 * `keyManagerSignEthTX`, so a tenant's private key is never handed to chain code.
 */
export class AgentTransactionSigner extends AbstractSigner {
  constructor(
    private readonly agent: TAgent<IKeyManager>,
    private readonly kid: string,
    private readonly address: string,
    provider: Provider | null,
  ) {
    super(provider);
  }

  override connect(provider: Provider | null): AgentTransactionSigner {
    return new AgentTransactionSigner(this.agent, this.kid, this.address, provider);
  }

  override async getAddress(): Promise<string> {
    return this.address;
  }

  override async signTransaction(request: TransactionRequest): Promise<string> {
    const { from, ...unsigned } = await this.populateTransaction(request);
    if (from && from.toLowerCase() !== this.address.toLowerCase()) throw new Error('transaction from another account');
    return this.agent.keyManagerSignEthTX({ kid: this.kid, transaction: unsigned });
  }

  override async signMessage(): Promise<string> {
    throw new Error('message signing is not offered by this signer');
  }

  override async signTypedData(_domain: TypedDataDomain, _types: Record<string, TypedDataField[]>, _value: Record<string, unknown>): Promise<string> {
    throw new Error('typed-data signing is not offered by this signer');
  }
}
