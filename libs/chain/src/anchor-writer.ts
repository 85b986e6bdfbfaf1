import type { AnchorIssuer, AnchorReceipt, AnchorRequest, AnchorWriter } from '@citycred/anchoring';
import type { Provider, Signer } from 'ethers';
import type { CityChain } from './city-chain.js';

/**
 * The signer of an issuer's current key on the chain's provider (the issuer app passes its tenant directory's
 * `signerFor`: keys stay in the key manager).
 */
export type IssuerSignerSource<I extends AnchorIssuer> = (issuer: I, provider: Provider) => Promise<Signer>;

/**
 * The {@link AnchorWriter} port through ethers: sends `CredentialAnchor.anchor` from the issuer's current key and
 * turns every failure into an `AnchorWriteError` with a stable reason ({@link CityChain.anchorRoot}), so no caller
 * sees ethers' errors.
 * @typeParam I - what the caller identifies an issuer by
 */
export class CityAnchorWriter<I extends AnchorIssuer> implements AnchorWriter<I> {
  /**
   * @param chain - the city chain (its provider and CredentialAnchor)
   * @param signerFor - the signer of an issuer's current key
   */
  constructor(
    private readonly chain: CityChain,
    private readonly signerFor: IssuerSignerSource<I>,
  ) {}

  async currentSender(issuer: I): Promise<string> {
    return (await this.signerFor(issuer, this.chain.provider)).getAddress();
  }

  async submitAnchor(issuer: I, request: AnchorRequest, options: { timeoutMs: number }): Promise<AnchorReceipt> {
    const signer = await this.signerFor(issuer, this.chain.provider);
    return this.chain.anchorRoot(signer, { issuer: issuer.address, ...request }, options.timeoutMs);
  }
}
