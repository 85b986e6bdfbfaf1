/** Where the status check tells which lists it trusted ({@link TrustedStatusLists}). */
export interface TrustedStatusListRecorder {
  /**
   * A list at `url` was fetched and its signature held for `issuerDid` (a Bitstring Status List credential or a
   * status list token).
   */
  trusted(url: string, issuerDid: string): void;
}

/** Most list URLs remembered: far more than the lists of every issuer of a city. */
const MAX_URLS = 10_000;

/**
 * The status list URLs this verifier process has trusted, and whose they are: the employer scanner's offline bundle
 * (docs/presentations.md, "Offline scanning") carries these lists, fetched again when it is built, besides the Token
 * Status Lists the city issuer's directory names (docs/issuer-directory.md). Lists live at URLs with random ids: for an
 * issuer the directory does not list, the verifier knows a list only once a credential named it. Kept in memory,
 * least recently trusted out first beyond {@link MAX_URLS}.
 */
export class TrustedStatusLists implements TrustedStatusListRecorder {
  /** Issuer DID by list URL, in the order last trusted (a Map iterates in insertion order). */
  private readonly byUrl = new Map<string, string>();

  trusted(url: string, issuerDid: string): void {
    this.byUrl.delete(url);
    this.byUrl.set(url, issuerDid);
    if (this.byUrl.size > MAX_URLS) this.byUrl.delete(this.byUrl.keys().next().value as string);
  }

  /** Every list remembered, as `{url, issuerDid}`, least recently trusted first. */
  list(): Array<{ url: string; issuerDid: string }> {
    return [...this.byUrl.entries()].map(([url, issuerDid]) => ({ url, issuerDid }));
  }
}
