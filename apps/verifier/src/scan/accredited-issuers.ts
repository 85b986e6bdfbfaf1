import type { ChainBlock, CityChain } from '@citycred/chain';

/** The chain reads {@link AccreditedIssuerIndex} needs. */
export type AccreditationEventSource = Pick<CityChain, 'latestBlock' | 'blockHash' | 'accreditationChanges'>;

/** Every issuer the IssuerRegistry ever accredited, and for which type hashes, as of a block. */
export interface AccreditedCandidates {
  /** The latest block, up to which the events were read. */
  readonly head: ChainBlock;
  /** Type hashes (`keccak256(name)`, lower-case hex) by issuer address (lower case). */
  readonly types: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The issuers the city chain's IssuerRegistry has accredited, read from its `IssuerAccredited` events: the first
 * call reads from the deployment's block to the latest, later calls only the blocks since (a chain reset under the
 * verifier — the block read last has another hash or is gone — starts over). An issuer named here may have been
 * revoked or suspended since: the caller asks whether it is accredited now. Concurrent calls share one reading.
 */
export class AccreditedIssuerIndex {
  private types = new Map<string, Set<string>>();
  private readUpTo: { number: number; hash: string } | undefined;
  private reading: Promise<AccreditedCandidates> | undefined;

  /** @param fromBlock - the block of the contracts' deployment: no event is older */
  constructor(
    private readonly chain: AccreditationEventSource,
    private readonly fromBlock: number,
  ) {}

  /**
   * The candidates as of the latest block.
   * @throws whatever the chain throws when it does not answer (nothing read is kept then)
   */
  candidates(): Promise<AccreditedCandidates> {
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async read(): Promise<AccreditedCandidates> {
    const head = await this.chain.latestBlock();
    let known = this.readUpTo;
    if (known && (known.number > head.number || (await this.chain.blockHash(known.number)) !== known.hash)) known = undefined;
    const types = known ? new Map([...this.types].map(([issuer, set]) => [issuer, new Set(set)])) : new Map<string, Set<string>>();
    const from = known ? known.number + 1 : this.fromBlock;
    if (from <= head.number) {
      for (const change of await this.chain.accreditationChanges(from, head.number)) {
        if (change.event !== 'IssuerAccredited') continue;
        const issuer = change.issuer.toLowerCase();
        const set = types.get(issuer) ?? new Set<string>();
        set.add(change.credentialType.toLowerCase());
        types.set(issuer, set);
      }
    }
    this.types = types;
    this.readUpTo = { number: head.number, hash: head.hash };
    return { head, types };
  }
}
