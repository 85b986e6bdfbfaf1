import { BlockList, isIP } from 'node:net';
import type { Clock } from '@citycred/config';
import { AddRouteConfig } from './route-config.js';

/** Settings of {@link ClientRateLimiter}. */
export interface RateLimitSettings {
  /** Sustained requests per minute a client may send; 0 turns the limit off. */
  perMinute: number;
  /** Requests a client may send at once above the sustained rate (the size of its bucket); at least 1. */
  burst: number;
  /** Most clients remembered at once (memory bound); the least recently seen are forgotten first. Default 10 000. */
  maxClients?: number;
}

/** Answer of {@link ClientRateLimiter.take}: allowed, or refused with the whole seconds until the next request is. */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** Epoch milliseconds `tokens` was computed at. */
  at: number;
}

/**
 * A token bucket per client, in memory: each bucket holds at most `burst` requests and refills at `perMinute`.
 * Memory is bounded: a bucket that has refilled completely says nothing a new one would not, so it is dropped;
 * beyond `maxClients` the least recently seen client is forgotten. Time comes from the injected clock only.
 */
export class ClientRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly burst: number;
  private readonly maxClients: number;

  /**
   * @param settings - rate, burst and memory bound; `perMinute` must be positive (0 means: build no limiter)
   * @param clock - the only source of time
   * @throws RangeError when `perMinute` or `burst` is not positive
   */
  constructor(
    settings: RateLimitSettings,
    private readonly clock: Clock,
  ) {
    if (!(settings.perMinute > 0) || !(settings.burst >= 1)) throw new RangeError('A rate limit needs perMinute > 0 and burst >= 1.');
    this.perMs = settings.perMinute / 60_000;
    this.burst = settings.burst;
    this.maxClients = settings.maxClients ?? 10_000;
  }

  /**
   * Takes one request from `client`'s bucket.
   * @param client - the key of the client, see {@link clientKey}
   */
  take(client: string): RateLimitDecision {
    const now = this.clock.now().getTime();
    const previous = this.buckets.get(client);
    const tokens = previous ? this.tokensAt(previous, now) : this.burst;
    // Re-inserting keeps the map ordered from least to most recently seen.
    this.buckets.delete(client);
    const allowed = tokens >= 1;
    this.buckets.set(client, { tokens: allowed ? tokens - 1 : tokens, at: now });
    this.forgetIdle(now);
    if (allowed) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)) };
  }

  /** How many clients are remembered now. */
  get trackedClients(): number {
    return this.buckets.size;
  }

  private tokensAt(bucket: Bucket, now: number): number {
    // A clock set back refills nothing rather than draining the bucket.
    return Math.min(this.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
  }

  private forgetIdle(now: number): void {
    for (const [client, bucket] of this.buckets) {
      if (this.tokensAt(bucket, now) < this.burst) break;
      this.buckets.delete(client);
    }
    for (const client of this.buckets.keys()) {
      if (this.buckets.size <= this.maxClients) break;
      this.buckets.delete(client);
    }
  }
}

/**
 * The key a client's requests are counted under: its IPv4 address (also when written IPv4-mapped), or the /64
 * prefix of its IPv6 address, since one host commonly holds a whole /64.
 * @param ip - the client address as Fastify reports it (`request.ip`)
 */
export function clientKey(ip: string): string {
  const address = ip.split('%')[0]!.toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const front = groups(head);
  const back = groups(tail);
  const full = tail === undefined ? front : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  return `${full
    .slice(0, 4)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}

/**
 * Client addresses and CIDR ranges (`RATE_LIMIT_EXEMPT`) that are never rate-limited nor held to the per-client
 * connection limit; an IPv4-mapped IPv6 address matches as its IPv4 form.
 */
export class AddressSet {
  private readonly list = new BlockList();
  private readonly empty: boolean;

  /**
   * @param entries - IPv4/IPv6 addresses, or ranges written `address/prefix-length`
   * @throws RangeError for an entry that is neither
   */
  constructor(entries: readonly string[]) {
    this.empty = entries.length === 0;
    for (const entry of entries) {
      const [address = '', bits, extra] = entry.split('/');
      const family = isIP(address);
      const prefix = bits === undefined ? undefined : Number(bits);
      if (family === 0 || extra !== undefined || (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128)))) {
        throw new RangeError('An exempt entry must be an IP address or a CIDR range.');
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, prefix, type);
    }
  }

  /** Whether `ip` (a client address as Node or Fastify reports it) is in the set. */
  has(ip: string): boolean {
    if (this.empty) return false;
    const address = ip.split('%')[0]!;
    const family = isIP(address);
    return family !== 0 && this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** Fastify route `config` member that marks a rate-limited route. */
export const RATE_LIMITED_ROUTE = 'citycredRateLimited';

/**
 * Marks a route as public and costly: each client may call it at most the service's `RATE_LIMIT_PER_MINUTE`
 * (with `RATE_LIMIT_BURST` at once); beyond that it gets 429 `request.rate-limited` with Retry-After, before
 * anything of the request is read.
 */
export function RateLimited(): MethodDecorator {
  return AddRouteConfig({ [RATE_LIMITED_ROUTE]: true });
}
