/**
 * What the wallet's protocol clients take from their surroundings: `fetch` and a clock, injected so the same code
 * runs in the browser (window.fetch, the device clock) and in tests (Node's fetch, a fixed clock). Nothing here
 * imports a Node built-in.
 */

/** The `fetch` the clients call: the browser's, Node's, or a test double. */
export type WalletFetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The wallet's clock. */
export interface WalletClock {
  now(): Date;
}

/** The device clock. */
export const deviceClock: WalletClock = Object.freeze({ now: () => new Date() });

/** What every protocol client is given. */
export interface WalletTransport {
  readonly fetch: WalletFetch;
  readonly clock: WalletClock;
  /**
   * Accept plain `http:` URLs for every host, not only for loopback addresses (`localhost`, `127.0.0.1`, `[::1]`).
   * For a city's test installation on a LAN only; a wallet in the field leaves it false.
   */
  readonly allowInsecureHttp?: boolean;
}

/** One answer read in full: status, headers and the body as text and, when it is JSON, parsed. */
export interface ReadAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body; `undefined` when the body is not JSON. */
  readonly json: unknown;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Parses a URL the wallet is about to contact: `https:`, or `http:` on a loopback address (or anywhere with
 * `allowInsecureHttp`). No credentials in it, no fragment.
 * @param text - the URL as found in an offer, metadata or request
 * @returns the URL, or undefined when it may not be contacted
 */
export function contactableUrl(text: unknown, allowInsecureHttp = false): URL | undefined {
  if (typeof text !== 'string' || text.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.username !== '' || url.password !== '' || url.hash !== '') return undefined;
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (allowInsecureHttp || LOOPBACK_HOSTS.has(url.hostname))) return url;
  return undefined;
}

/**
 * Sends a request and reads the whole answer.
 * @returns the answer, whatever its status
 * @throws whatever `onNetworkError` makes of a fetch that did not get an answer (DNS, refused connection, abort)
 */
export async function sendRequest(fetchFn: WalletFetch, url: string, init: RequestInit, onNetworkError: (cause: unknown) => Error): Promise<ReadAnswer> {
  let response: Response;
  let text: string;
  try {
    response = await fetchFn(url, { ...init, redirect: 'error' });
    text = await response.text();
  } catch (cause) {
    throw onNetworkError(cause);
  }
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Whether a value is a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The OAuth error of an answer (`{error, error_description}`), or a problem+json's `code` and `detail`. */
export function errorOfAnswer(answer: ReadAnswer): { error?: string; description?: string } {
  const body = answer.json;
  if (!isRecord(body)) return {};
  const error = typeof body['error'] === 'string' ? body['error'] : typeof body['code'] === 'string' ? body['code'] : undefined;
  const description = typeof body['error_description'] === 'string' ? body['error_description'] : typeof body['detail'] === 'string' ? body['detail'] : undefined;
  return { ...(error !== undefined ? { error } : {}), ...(description !== undefined ? { description } : {}) };
}
