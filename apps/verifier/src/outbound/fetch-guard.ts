import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Clock } from '@citycred/config';
import { LruMap } from '../verification/lru-map.js';
import { classifyAddress } from './address-class.js';

/** Why the guard sent no request for a URL. Branch on these codes, never on the reason's words. */
export const UrlRefusal = {
  /** Not a URL at all. */
  NotAUrl: 'url.invalid',
  /** A scheme other than `http:` / `https:` (`file:`, `data:`, `ftp:` …). */
  Scheme: 'url.scheme',
  /** A user name or password in the URL. */
  Credentials: 'url.credentials',
  /** Plain `http:` to an origin that is not allowed. */
  PlainHttp: 'url.plain-http',
  /** The host is, or resolves to, an address that is not public (loopback, private, link-local …). */
  Address: 'url.address',
  /** More redirects than the guard follows. */
  Redirects: 'url.redirects',
} as const;

/** One of {@link UrlRefusal}. */
export type UrlRefusalCode = (typeof UrlRefusal)[keyof typeof UrlRefusal];

/**
 * What a guarded request came to:
 * - `response`: the server's answer (any status; a redirect only when it named no `Location`), its body read whole;
 * - `refused`: the URL (or a redirect's target) is not one the verifier calls: nothing was sent to it;
 * - `too-large`: the body (declared or streamed) passed `maxBytes`, and the connection was dropped;
 * - `failed`: no answer — the host could not be resolved or reached (`unreachable`), the time ran out (`timeout`),
 *   or the answer broke off (`interrupted`).
 */
export type GuardedAnswer =
  | { kind: 'response'; status: number; headers: Headers; body: Buffer }
  | { kind: 'refused'; code: UrlRefusalCode; reason: string }
  | { kind: 'too-large'; limit: number }
  | { kind: 'failed'; failure: 'unreachable' | 'timeout' | 'interrupted' };

/** One guarded GET. */
export interface GuardedRequest {
  /** Request header fields (no `Host`: the guard sets it). */
  headers?: Readonly<Record<string, string>>;
  /** How long the whole request may take: resolving, connecting, every redirect and the body. */
  timeoutMs: number;
  /** The largest body taken (bytes). */
  maxBytes: number;
}

/** Resolves a host name to all its addresses (node:dns `lookup` by default: the system resolver and /etc/hosts). */
export type HostLookup = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

/** Settings of {@link FetchGuard}. */
export interface FetchGuardSettings {
  /**
   * Origins (`scheme://host[:port]`) trusted to be called whatever their scheme and address: internal issuers the
   * operator named. Any other origin must be `https:` on public addresses only.
   */
  allowedOrigins: readonly string[];
  /** How long a host's addresses are reused before it is resolved again (seconds). Default 30. */
  hostCacheSeconds?: number;
  /** How host names are resolved; node:dns `lookup` when not given. */
  lookupHost?: HostLookup;
}

/** A URL the guard will call, with the addresses checked for it: the connection goes to these and no other. */
interface Target {
  kind: 'target';
  url: URL;
  /** The host without IPv6 brackets. */
  host: string;
  addresses: ReadonlyArray<{ address: string; family: number }>;
}

/** Redirects followed at most; each target is checked like the first URL. */
const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * The one way the verifier calls a URL it did not choose itself — a status list a credential names, and the issuer
 * services it reads anchoring from — so that no request can make it call into its own network (server-side request
 * forgery). For each URL, before anything is sent:
 *
 * - only `http:` and `https:`, and no user name or password in the URL;
 * - an origin in `allowedOrigins` is called as it is (the operator trusts it: an issuer on the internal network);
 * - any other must be `https:`, and its host — an IP address, or every address its name resolves to — must be a
 *   public address ({@link classifyAddress}): no loopback, private, link-local (169.254.169.254), unique-local,
 *   unspecified, multicast or reserved address. The connection then goes to exactly the addresses checked (the
 *   socket's lookup answers with them), so a DNS answer that changes between the check and the connection
 *   (rebinding) is never used.
 *
 * Redirects are followed at most {@link MAX_REDIRECTS} times, each target checked the same way; a body beyond
 * `maxBytes` is cut off (the connection dropped), and one timer covers the whole request. A host's addresses are
 * kept `hostCacheSeconds` (injected clock), so the check costs a DNS lookup only once per host in that time — and
 * callers ask the guard only when their own cache misses. Never throws.
 */
export class FetchGuard {
  private readonly allowed: ReadonlySet<string>;
  private readonly hostCacheMs: number;
  private readonly lookupHost: HostLookup;
  private readonly hosts = new LruMap<string, { addresses: ReadonlyArray<{ address: string; family: number }>; until: number }>(1_024);
  private readonly resolving = new Map<string, Promise<ReadonlyArray<{ address: string; family: number }> | null>>();
  private readonly agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

  /** @throws TypeError when an allowed origin is not a URL (config validates them first) */
  constructor(
    private readonly clock: Clock,
    settings: FetchGuardSettings,
  ) {
    this.allowed = new Set(settings.allowedOrigins.map((origin) => new URL(origin).origin));
    this.hostCacheMs = (settings.hostCacheSeconds ?? 30) * 1000;
    this.lookupHost = settings.lookupHost ?? systemLookup;
  }

  /** A GET of `url` under the rules above. Never throws. */
  async fetch(url: string, request: GuardedRequest): Promise<GuardedAnswer> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), request.timeoutMs);
    try {
      let current = url;
      for (let redirects = 0; ; redirects += 1) {
        const target = await this.target(current, controller.signal);
        if (target.kind === 'refused' && redirects > 0) return { ...target, reason: `it redirects to a URL that is refused: ${target.reason}` };
        if (target.kind !== 'target') return target;
        const answer = await this.send(target, request, controller.signal);
        if (answer.kind !== 'response' || !REDIRECT_STATUSES.has(answer.status)) return answer;
        const location = answer.headers.get('location');
        if (location === null) return answer;
        if (redirects === MAX_REDIRECTS) return { kind: 'refused', code: UrlRefusal.Redirects, reason: `it redirects more than ${MAX_REDIRECTS} times` };
        try {
          current = new URL(location, target.url).href;
        } catch {
          return { kind: 'refused', code: UrlRefusal.NotAUrl, reason: 'it redirects to something that is not a URL' };
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  /** The checked target of `url`, or why it is refused; resolves its host (cached) when it is a name. */
  private async target(url: string, signal: AbortSignal): Promise<Target | Exclude<GuardedAnswer, { kind: 'response' | 'too-large' }>> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { kind: 'refused', code: UrlRefusal.NotAUrl, reason: 'it is not a URL' };
    }
    // Only the web: a credential must not make the verifier read files or speak other protocols.
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { kind: 'refused', code: UrlRefusal.Scheme, reason: 'it is not an http or https URL' };
    if (parsed.username !== '' || parsed.password !== '') return { kind: 'refused', code: UrlRefusal.Credentials, reason: 'it carries a user name or password' };
    parsed.hash = '';
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    const allowed = this.allowed.has(parsed.origin);
    const literal = isIP(host);
    if (!allowed && literal !== 0) {
      const kind = classifyAddress(host);
      if (kind !== 'public') return { kind: 'refused', code: UrlRefusal.Address, reason: `it names ${article(kind ?? 'reserved')} address` };
    }
    if (!allowed && parsed.protocol === 'http:') {
      return { kind: 'refused', code: UrlRefusal.PlainHttp, reason: 'it is plain http, which is fetched only from the allowed origins (VERIFIER_FETCH_ALLOWED_ORIGINS)' };
    }
    if (literal !== 0) return { kind: 'target', url: parsed, host, addresses: [{ address: host, family: literal }] };
    const addresses = await this.resolve(host, signal);
    if (addresses === 'timeout') return { kind: 'failed', failure: 'timeout' };
    if (addresses === null) return { kind: 'failed', failure: 'unreachable' };
    if (!allowed) {
      for (const { address } of addresses) {
        const kind = classifyAddress(address);
        if (kind !== 'public') return { kind: 'refused', code: UrlRefusal.Address, reason: `its host resolves to ${article(kind ?? 'reserved')} address` };
      }
    }
    return { kind: 'target', url: parsed, host, addresses };
  }

  /** The host's addresses: kept ones while fresh, else one lookup shared by concurrent callers; null when none. */
  private async resolve(host: string, signal: AbortSignal): Promise<ReadonlyArray<{ address: string; family: number }> | null | 'timeout'> {
    const key = host.toLowerCase();
    const kept = this.hosts.get(key);
    if (kept && kept.until > this.clock.now().getTime()) return kept.addresses;
    let running = this.resolving.get(key);
    if (!running) {
      running = this.lookupHost(key)
        .then((addresses) => {
          if (addresses.length === 0) return null;
          this.hosts.set(key, { addresses, until: this.clock.now().getTime() + this.hostCacheMs });
          return addresses;
        })
        .catch(() => null)
        .finally(() => this.resolving.delete(key));
      this.resolving.set(key, running);
    }
    if (signal.aborted) return 'timeout';
    return Promise.race([running, new Promise<'timeout'>((resolve) => signal.addEventListener('abort', () => resolve('timeout'), { once: true }))]);
  }

  /** Sends the GET to the target's checked addresses and reads the answer, at most `maxBytes` of body. */
  private send(target: Target, request: GuardedRequest, signal: AbortSignal): Promise<GuardedAnswer> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (answer: GuardedAnswer) => {
        if (settled) return;
        settled = true;
        resolve(answer);
      };
      const { url } = target;
      const options: https.RequestOptions = {
        protocol: url.protocol,
        hostname: target.host,
        ...(url.port === '' ? {} : { port: Number(url.port) }),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        // No compression asked for: a body's size is then the size checked.
        headers: { ...request.headers, host: url.host, 'accept-encoding': 'identity' },
        agent: this.agents[url.protocol as 'http:' | 'https:'],
        lookup: pinnedLookup(target.addresses),
        signal,
      };
      const req = (url.protocol === 'https:' ? https : http).request(options, (res) => {
        const headers = headersOf(res.rawHeaders);
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > request.maxBytes) {
          settle({ kind: 'too-large', limit: request.maxBytes });
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > request.maxBytes) {
            settle({ kind: 'too-large', limit: request.maxBytes });
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => settle({ kind: 'response', status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) }));
        res.on('error', () => settle({ kind: 'failed', failure: signal.aborted ? 'timeout' : 'interrupted' }));
        res.on('close', () => settle({ kind: 'failed', failure: signal.aborted ? 'timeout' : 'interrupted' }));
      });
      req.on('error', () => settle({ kind: 'failed', failure: signal.aborted ? 'timeout' : 'unreachable' }));
      req.end();
    });
  }
}

/** A socket lookup that answers with the addresses already checked, and never asks DNS again. */
function pinnedLookup(addresses: ReadonlyArray<{ address: string; family: number }>): LookupFunction {
  return (_hostname, options, callback) => {
    const family = typeof options === 'object' && options !== null ? options.family : undefined;
    const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    if (usable.length === 0) {
      callback(Object.assign(new Error('no checked address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    if (typeof options === 'object' && options !== null && options.all) callback(null, usable.map(({ address, family: f }) => ({ address, family: f })));
    else callback(null, usable[0]!.address, usable[0]!.family);
  };
}

/** Response header fields as a WHATWG `Headers` (a field it cannot hold is left out). */
function headersOf(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // A field the WHATWG rules refuse: nothing the verifier reads.
    }
  }
  return headers;
}

/** "a loopback", "an unspecified" … */
function article(kind: string): string {
  return `${kind === 'unspecified' ? 'an' : 'a'} ${kind}`;
}
