import { readJsonAsset } from './assets.js';
import { deepFreeze } from './deep-freeze.js';

/** URL of the W3C Verifiable Credentials Data Model 1.1 base context. */
export const VC_V1_CONTEXT_URL = 'https://www.w3.org/2018/credentials/v1';

/** URL of the W3C Verifiable Credentials Data Model 2.0 base context. */
export const VC_V2_CONTEXT_URL = 'https://www.w3.org/ns/credentials/v2';

/** URL of CityCred's own context, defining the credential types and every subject claim. */
export const CITYCRED_CONTEXT_URL = 'https://contexts.citycred.seoul.go.kr/v1';

/** Vocabulary namespace every CityCred term expands under. */
export const CITYCRED_VOCAB_URL = 'https://vocab.citycred.seoul.go.kr/v1#';

/** A JSON-LD context document: an object with an `@context` member. */
export interface JsonLdContextDocument {
  readonly '@context': Readonly<Record<string, unknown>>;
}

/** What a JSON-LD document loader returns (the shape jsonld.js and Veramo expect). */
export interface RemoteDocument {
  readonly contextUrl: null;
  readonly documentUrl: string;
  readonly document: JsonLdContextDocument;
}

/** Thrown by {@link documentLoader} for a URL this package does not ship; branch on `code`, not on the message. */
export class UnknownContextError extends Error {
  /** Stable error code, also on every instance. */
  static readonly code = 'UNKNOWN_CONTEXT';
  /** Always `UNKNOWN_CONTEXT`. */
  readonly code = UnknownContextError.code;
  /** The URL that was asked for. */
  readonly url: string;

  /** @param url - the URL that was asked for. */
  constructor(url: string) {
    super(`JSON-LD document ${url} is not shipped with @citycred/credentials and is never fetched`);
    this.name = 'UnknownContextError';
    this.url = url;
  }
}

/**
 * The JSON-LD contexts this package ships, keyed by URL: the W3C VC 1.1 and 2.0 contexts (the standard documents,
 * byte for byte, in `assets/contexts/credentials-v1.json` and `credentials-v2.json`) and the CityCred context.
 * Documents are deep-frozen.
 */
export const CONTEXTS: ReadonlyMap<string, JsonLdContextDocument> = new Map([
  [VC_V1_CONTEXT_URL, deepFreeze(readJsonAsset('contexts/credentials-v1.json') as JsonLdContextDocument)],
  [VC_V2_CONTEXT_URL, deepFreeze(readJsonAsset('contexts/credentials-v2.json') as JsonLdContextDocument)],
  [CITYCRED_CONTEXT_URL, deepFreeze(readJsonAsset('contexts/citycred-v1.json') as JsonLdContextDocument)],
]);

/**
 * Offline JSON-LD document loader: resolves the shipped contexts and nothing else; it never touches the network.
 * Synchronous, so it can be awaited by jsonld.js / Veramo or called directly.
 * @param url - the context URL, exactly as it appears in `@context`.
 * @returns `{ document, documentUrl: url, contextUrl: null }` with the shared, frozen document.
 * @throws UnknownContextError (code `UNKNOWN_CONTEXT`) for any other URL.
 */
export function documentLoader(url: string): RemoteDocument {
  const document = typeof url === 'string' ? CONTEXTS.get(url) : undefined;
  if (document === undefined) throw new UnknownContextError(String(url));
  return { contextUrl: null, documentUrl: url, document };
}
