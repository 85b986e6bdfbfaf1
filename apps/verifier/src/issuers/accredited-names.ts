import { credentialTypeHash } from '@citycred/anchors';
import type { AnchorLedger } from '@citycred/anchoring';
import type { Clock } from '@citycred/config';
import type { DirectoryIssuer, IssuerDirectory, IssuerName } from '@citycred/credentials';
import { AppError, ErrorCode } from '@citycred/errors';
import { didEthrAddress } from '@citycred/formats';
import type { AccreditedIssuerIndex } from '../scan/accredited-issuers.js';
import { isChainOutage } from '../verification/chain-outage.js';
import type { IssuerDirectorySource } from './issuer-directory-source.js';

/**
 * The directory's issuers on the city chain's network, by identity address (lower case). An entry whose DID is not a
 * did:ethr of `didNetwork`, or names another address than the entry's `address`, is left out: the directory could
 * pair a department's name with someone else's DID, and a name is shown for an address the chain vouches for.
 */
export function directoryByAddress(directory: IssuerDirectory, didNetwork: string): Map<string, DirectoryIssuer> {
  const byAddress = new Map<string, DirectoryIssuer>();
  for (const issuer of directory.issuers) {
    const address = didEthrAddress(issuer.did, didNetwork);
    if (address === null || address !== issuer.address.toLowerCase() || byAddress.has(address)) continue;
    byAddress.set(address, issuer);
  }
  return byAddress;
}

/** An issuer the city chain accredits now, with the name the directory gives it. */
export interface NamedIssuer {
  /** The DID as its credentials name it (the directory's). */
  readonly did: string;
  /** The identity address, lower case: a credential's `iss` in either did:ethr form maps to it (`didEthrAddress`). */
  readonly address: string;
  readonly kind: DirectoryIssuer['kind'];
  readonly name: IssuerName;
}

/** The body of `GET /check/issuers`. */
export interface AccreditedIssuerNamesAnswer {
  /** The did:ethr network of the city chain (to read a credential's `iss` into an address). */
  readonly didNetwork: string;
  /** When the accreditation was read from the chain (ISO 8601), and at which block. */
  readonly readAt: string;
  readonly block: number;
  /** When the issuer service last answered the directory (ISO 8601). */
  readonly directoryFetchedAt: string;
  /** Issuers the IssuerRegistry accredits now for at least one of the types the directory names, by address. */
  readonly issuers: readonly NamedIssuer[];
}

/** How long an answer is handed out again before it is read anew (seconds). */
export const NAMES_REUSE_SECONDS = 60;

/** After a failed reading, how long the last answer is handed out before trying again (seconds). */
export const NAMES_RETRY_SECONDS = 10;

/** What {@link AccreditedIssuerNames} reads. */
export interface AccreditedIssuerNamesSources {
  directory: IssuerDirectorySource;
  issuers: Pick<AccreditedIssuerIndex, 'candidates'>;
  ledger: Pick<AnchorLedger, 'isAccredited' | 'isUp'>;
  clock: Clock;
}

/**
 * The names of the issuers the city accredits (docs/certificates.md, "Issuer names"): the directory's entries whose
 * address the IssuerRegistry accredits now for at least one of the types the directory lists for it (an address no
 * `IssuerAccredited` event named is not asked). The directory is display information only; a DID it names that the
 * chain does not accredit gets no name. One answer serves every reader for {@link NAMES_REUSE_SECONDS}; concurrent
 * readers share one reading; when the chain or the issuer does not answer, the last answer is handed out (and the
 * reading is tried again {@link NAMES_RETRY_SECONDS} later).
 */
export class AccreditedIssuerNames {
  private last: { answer: AccreditedIssuerNamesAnswer; at: number } | undefined;
  private reading: Promise<AccreditedIssuerNamesAnswer> | undefined;
  /** Epoch milliseconds before which, after a failed reading, the last answer is handed out without trying again. */
  private retryAt = 0;

  constructor(
    private readonly sources: AccreditedIssuerNamesSources,
    private readonly didNetwork: string,
  ) {}

  /**
   * The current answer.
   * @throws AppError `service.unavailable` when it cannot be read (the issuer never answered a directory, or the chain
   *   does not answer) and there is no answer from before
   */
  async current(): Promise<AccreditedIssuerNamesAnswer> {
    const now = this.sources.clock.now().getTime();
    if (this.last && (now - this.last.at < NAMES_REUSE_SECONDS * 1000 || now < this.retryAt)) return this.last.answer;
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    try {
      return await this.reading;
    } catch (error) {
      const outage = error instanceof NoDirectory || isChainOutage(error) || !(await this.sources.ledger.isUp());
      if (!outage) throw error;
      if (this.last) {
        this.retryAt = this.sources.clock.now().getTime() + NAMES_RETRY_SECONDS * 1000;
        return this.last.answer;
      }
      const why = error instanceof NoDirectory ? 'the issuer service has not answered its directory' : 'the city chain is not answering';
      throw new AppError(ErrorCode.ServiceUnavailable, `The issuers' names cannot be read now: ${why}; try again later.`, { cause: error, retryAfterSeconds: 30 });
    }
  }

  private async read(): Promise<AccreditedIssuerNamesAnswer> {
    const { directory: source, issuers: index, ledger, clock } = this.sources;
    const reading = await source.current();
    if (!reading) throw new NoDirectory();
    const readAt = clock.now();
    const { head, types: candidates } = await index.candidates();
    const named = await Promise.all(
      [...directoryByAddress(reading.directory, this.didNetwork)].map(async ([address, issuer]): Promise<NamedIssuer | null> => {
        const everAccredited = candidates.get(address);
        if (!everAccredited) return null;
        const types = issuer.credentialTypes.filter((type) => everAccredited.has(credentialTypeHash(type).toLowerCase()));
        for (const type of types) {
          if (await ledger.isAccredited(address, type, readAt)) return { did: issuer.did, address, kind: issuer.kind, name: issuer.name };
        }
        return null;
      }),
    );
    const answer: AccreditedIssuerNamesAnswer = {
      didNetwork: this.didNetwork,
      readAt: readAt.toISOString(),
      block: head.number,
      directoryFetchedAt: reading.fetchedAt.toISOString(),
      issuers: named.filter((issuer): issuer is NamedIssuer => issuer !== null),
    };
    this.last = { answer, at: clock.now().getTime() };
    return answer;
  }
}

/** The issuer service has never answered its directory. */
class NoDirectory extends Error {
  constructor() {
    super('no issuer directory');
  }
}
