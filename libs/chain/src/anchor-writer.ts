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
    const sender = (await signer.getAddress()).toLowerCase();
    // One anchoring at a time per sending key in this process: two workers (or passes) sending from one key at once
    // would each take the same pending nonce, and a transaction left behind a nonce gap waits out its whole timeout.
    const before = sendsInFlight.get(sender) ?? Promise.resolve();
    const mine = before.then(() => this.chain.anchorRoot(signer, { issuer: issuer.address, ...request }, options.timeoutMs));
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    sendsInFlight.set(sender, settled);
    try {
      return await mine;
    } finally {
      if (sendsInFlight.get(sender) === settled) sendsInFlight.delete(sender);
    }
  }
}

/** The last anchoring sent or queued per sending address (lower case), shared by every writer of the process. */
const sendsInFlight = new Map<string, Promise<void>>();
