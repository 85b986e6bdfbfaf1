import type { ChainBlock, CityChain, RootAnchoredEvent } from '@citycred/chain';

/** The chain reads {@link AccreditedIssuerIndex} needs. */
export type AccreditationEventSource = Pick<CityChain, 'latestBlock' | 'blockHash' | 'accreditationChanges' | 'anchoredRoots'>;

/** How many of an issuer's latest anchored roots are kept in memory (the offline bundle carries at most these). */
export const KEPT_ROOTS_PER_ISSUER = 10_000;

/** Every issuer the IssuerRegistry ever accredited, and for which type hashes, as of a block. */
export interface AccreditedCandidates {
  /** The latest block, up to which the events were read. */
  readonly head: ChainBlock;
  /** Type hashes (`keccak256(name)`, lower-case hex) by issuer address (lower case). */
  readonly types: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The roots an issuer anchored, as events tell them. */
export interface AnchoredRoots {
  /** Oldest first. */
  readonly events: readonly RootAnchoredEvent[];
  /** False when older roots of the issuer were let go ({@link KEPT_ROOTS_PER_ISSUER}). */
  readonly complete: boolean;
}

/**
 * The issuers the city chain's IssuerRegistry has accredited, read from its `IssuerAccredited` events, and the roots
 * issuers anchored, from the CredentialAnchor's `RootAnchored` events: the first call reads from the deployment's
 * block to the latest, later calls only the blocks since (a chain reset under the verifier — the block read last has
 * another hash or is gone — starts over). An issuer named here may have been revoked or suspended since: the caller
 * asks whether it is accredited now (and reads an anchor's time with `anchorOf`). Concurrent calls share one reading.
 */
export class AccreditedIssuerIndex {
  private types = new Map<string, Set<string>>();
  private roots = new Map<string, { events: RootAnchoredEvent[]; complete: boolean }>();
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

  /**
   * The roots `address` anchored (`RootAnchored` events of the CredentialAnchor contract), as of the last reading
   * ({@link candidates}: call it first), in chain order, at most the latest {@link KEPT_ROOTS_PER_ISSUER}.
   * @param address - the issuer's address, lower case
   */
  rootsOf(address: string): AnchoredRoots {
    const kept = this.roots.get(address);
    return kept ? { events: [...kept.events], complete: kept.complete } : { events: [], complete: true };
  }

  private async read(): Promise<AccreditedCandidates> {
    const head = await this.chain.latestBlock();
    let known = this.readUpTo;
    if (known && (known.number > head.number || (await this.chain.blockHash(known.number)) !== known.hash)) known = undefined;
    const types = known ? new Map([...this.types].map(([issuer, set]) => [issuer, new Set(set)])) : new Map<string, Set<string>>();
    const roots = known ? new Map([...this.roots].map(([issuer, kept]) => [issuer, { events: [...kept.events], complete: kept.complete }])) : new Map<string, { events: RootAnchoredEvent[]; complete: boolean }>();
    const from = known ? known.number + 1 : this.fromBlock;
    if (from <= head.number) {
      const [changes, anchored] = await Promise.all([this.chain.accreditationChanges(from, head.number), this.chain.anchoredRoots(from, head.number)]);
      for (const change of changes) {
        if (change.event !== 'IssuerAccredited') continue;
        const issuer = change.issuer.toLowerCase();
        const set = types.get(issuer) ?? new Set<string>();
        set.add(change.credentialType.toLowerCase());
        types.set(issuer, set);
      }
      for (const event of anchored) {
        const issuer = event.issuer.toLowerCase();
        const kept = roots.get(issuer) ?? { events: [], complete: true };
        kept.events.push(event);
        if (kept.events.length > KEPT_ROOTS_PER_ISSUER) {
          kept.events.splice(0, kept.events.length - KEPT_ROOTS_PER_ISSUER);
          kept.complete = false;
        }
        roots.set(issuer, kept);
      }
    }
    this.types = types;
    this.roots = roots;
    this.readUpTo = { number: head.number, hash: head.hash };
    return { head, types };
  }
}
