import { AppError, ErrorCode } from '@citycred/errors';
import { didEthrAddress, FormatError, holderDidDocument } from '@citycred/formats';
import type { DIDResolutionResult, Resolvable } from 'did-resolver';

/**
 * The media type of a DID resolution result (W3C DID Resolution, HTTP(S) binding): the body is the whole result —
 * `didDocument`, `didDocumentMetadata`, `didResolutionMetadata` — not the bare document.
 */
export const DID_RESOLUTION_MEDIA_TYPE = 'application/did-resolution';

/** How long a client may reuse an answer (seconds): as long as the verifier itself reuses a resolved document. */
export const DID_ANSWER_MAX_AGE_SECONDS = 60;

/** The longest DID read: a P-256 did:jwk is about 180 characters; the bound leaves room for JWK members. */
const MAX_DID_LENGTH = 2048;

/**
 * A DID as DID Core §3.1 writes it, without path, query or fragment: `did:` + a method name of lower-case letters and
 * digits + a method-specific id of ALPHA / DIGIT / `.` / `-` / `_` / pct-encoded, in colon-separated parts, the last
 * one not empty.
 */
const DID_SYNTAX = /^did:([a-z0-9]+):((?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*:)*(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+$/;

/** A DID resolution result as this service answers it. */
export interface DidResolutionAnswer {
  readonly '@context': 'https://w3id.org/did-resolution/v1';
  readonly didDocument: Readonly<Record<string, unknown>>;
  readonly didDocumentMetadata: Readonly<Record<string, unknown>>;
  readonly didResolutionMetadata: Readonly<Record<string, unknown>>;
}

/** What {@link PublicDidResolver} reads the city chain with. */
export interface PublicDidResolverDeps {
  /** The verifier's did:ethr resolver on the city chain (its cached `did-resolver`). */
  readonly resolver: Resolvable;
  /** Whether the city chain answers: tells an outage from a DID the resolver could not resolve. */
  readonly chainIsUp: () => Promise<boolean>;
}

/**
 * Resolves the DIDs a citizen wallet meets as issuers (docs/http-api.md, `GET /check/dids/{did}`): a did:ethr of the
 * city's network through the ERC-1056 registry on the city chain, which a browser cannot reach, and a did:jwk or
 * did:key from the DID itself. The only thing a caller tells it is the DID it asks about — no credential, no holder.
 * Read-only, with the same cache as the verifier's own checks.
 */
export class PublicDidResolver {
  /**
   * @param network - the did:ethr network name of the city chain (`DID_ETHR_NETWORK`)
   */
  constructor(
    private readonly deps: PublicDidResolverDeps,
    private readonly network: string,
  ) {}

  /**
   * Resolves `did` as it is now.
   * @param did - a bare DID (no path, query or fragment)
   * @returns the DID resolution result
   * @throws AppError `did.malformed` (400: not a DID, or a did:ethr / did:jwk / did:key that names no key or
   *   address), `did.method-not-supported` (501: a method other than ethr, jwk and key), `did.foreign-network` (404:
   *   a did:ethr of another network than the city chain's), `did.resolution-unavailable` (503: the city chain is not
   *   answering, or its registry could not be read)
   */
  async resolve(did: string): Promise<DidResolutionAnswer> {
    if (typeof did !== 'string' || did.length > MAX_DID_LENGTH) throw refused(ErrorCode.DidMalformed, `A DID is at most ${MAX_DID_LENGTH} characters.`, 'invalidDid');
    const syntax = DID_SYNTAX.exec(did);
    if (!syntax) throw refused(ErrorCode.DidMalformed, 'This is not a DID (did:<method>:<method-specific id>, without path, query or fragment).', 'invalidDid');
    const method = syntax[1]!;
    if (method === 'jwk' || method === 'key') return this.resolveHolderDid(did);
    if (method !== 'ethr') throw refused(ErrorCode.DidMethodNotSupported, 'This resolver resolves did:ethr on the city chain, did:jwk and did:key only.', 'methodNotSupported');
    if (!did.startsWith(`did:ethr:${this.network}:`)) {
      throw refused(ErrorCode.DidForeignNetwork, `This resolver resolves did:ethr on the city chain's network (did:ethr:${this.network}:…) only.`, 'notFound');
    }
    if (didEthrAddress(did, this.network) === null) throw refused(ErrorCode.DidMalformed, 'A did:ethr names an address (0x + 40 hex digits) or a compressed secp256k1 public key.', 'invalidDid');
    return this.resolveEthr(did);
  }

  private resolveHolderDid(did: string): DidResolutionAnswer {
    let didDocument: Readonly<Record<string, unknown>>;
    try {
      didDocument = holderDidDocument(did);
    } catch (error) {
      if (error instanceof FormatError) throw refused(ErrorCode.DidMalformed, `The DID names no public key this resolver reads: ${error.message}`, 'invalidDid');
      throw error;
    }
    return { '@context': 'https://w3id.org/did-resolution/v1', didDocument, didDocumentMetadata: {}, didResolutionMetadata: this.metadata() };
  }

  private async resolveEthr(did: string): Promise<DidResolutionAnswer> {
    let result: DIDResolutionResult | undefined;
    try {
      result = await this.deps.resolver.resolve(did);
    } catch {
      result = undefined;
    }
    if (!result?.didDocument || result.didResolutionMetadata?.error) {
      // ethr-did-resolver reports a chain that does not answer as `notFound`: ask the chain itself.
      const why = (await this.deps.chainIsUp().catch(() => false)) ? "the city chain's DID registry could not be read" : 'the city chain is not answering';
      throw new AppError(ErrorCode.DidResolutionUnavailable, `The DID cannot be resolved now: ${why}.`, { extensions: { didResolutionMetadata: { error: 'internalError' } } });
    }
    return {
      '@context': 'https://w3id.org/did-resolution/v1',
      didDocument: result.didDocument as unknown as Readonly<Record<string, unknown>>,
      didDocumentMetadata: { ...result.didDocumentMetadata },
      didResolutionMetadata: this.metadata(),
    };
  }

  private metadata(): Readonly<Record<string, unknown>> {
    return { contentType: 'application/did+ld+json' };
  }
}

/** A refusal as problem+json, with the DID Resolution error a generic resolver client reads. */
function refused(code: ErrorCode, detail: string, resolutionError: string): AppError {
  return new AppError(code, detail, { extensions: { didResolutionMetadata: { error: resolutionError } } });
}
