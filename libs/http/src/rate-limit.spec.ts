import { ConfigError, FixedClock, httpEdgeEnv, loadConfig } from '@citycred/config';
import { describe, expect, it } from 'vitest';
import { AddressSet, ClientRateLimiter, clientKey } from './rate-limit.js';

describe('ClientRateLimiter', () => {
  it('lets a client send its burst at once, then one request per refill interval', () => {
    const clock = new FixedClock('2026-01-01T00:00:00Z');
    const limiter = new ClientRateLimiter({ perMinute: 6, burst: 3 }, clock);
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    clock.advance(9_000);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(1_000);
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('counts each client on its own', () => {
    const limiter = new ClientRateLimiter({ perMinute: 60, burst: 1 }, new FixedClock('2026-01-01T00:00:00Z'));
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('never refills above the burst, however long the client was away', () => {
    const clock = new FixedClock('2026-01-01T00:00:00Z');
    const limiter = new ClientRateLimiter({ perMinute: 60, burst: 2 }, clock);
    limiter.take('a');
    clock.advance(3_600_000);
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, false]);
  });

  it('forgets clients whose bucket has refilled, and never remembers more than maxClients', () => {
    const clock = new FixedClock('2026-01-01T00:00:00Z');
    const limiter = new ClientRateLimiter({ perMinute: 60, burst: 1, maxClients: 3 }, clock);
    for (const client of ['a', 'b', 'c', 'd', 'e']) limiter.take(client);
    expect(limiter.trackedClients).toBe(3);
    // 'a' was forgotten first: it starts with a full bucket again.
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('e').allowed).toBe(false);
    clock.advance(1_000);
    limiter.take('z');
    expect(limiter.trackedClients).toBe(1);
  });

  it('does not drain a bucket when the clock is set back', () => {
    const clock = new FixedClock('2026-01-01T00:00:10Z');
    const limiter = new ClientRateLimiter({ perMinute: 60, burst: 2 }, clock);
    limiter.take('a');
    clock.set('2026-01-01T00:00:00Z');
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('refuses settings that would limit nothing or everything', () => {
    const clock = new FixedClock('2026-01-01T00:00:00Z');
    expect(() => new ClientRateLimiter({ perMinute: 0, burst: 1 }, clock)).toThrow(RangeError);
    expect(() => new ClientRateLimiter({ perMinute: 10, burst: 0 }, clock)).toThrow(RangeError);
  });
});

describe('clientKey', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:10.0.0.7', '10.0.0.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0000:0000:0000:0009', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s is counted as %s', (ip, key) => {
    expect(clientKey(ip)).toBe(key);
  });
});

describe('AddressSet (RATE_LIMIT_EXEMPT)', () => {
  const exempt = new AddressSet(['10.0.4.7', '10.1.0.0/16', '2001:db8:1::/48']);

  it.each([
    ['10.0.4.7', true],
    ['10.0.4.8', false],
    ['10.1.200.3', true],
    ['::ffff:10.1.0.9', true],
    ['2001:db8:1:ffff::1', true],
    ['2001:db8:2::1', false],
    ['127.0.0.1', false],
    ['not an address', false],
  ])('%s exempt: %s', (ip, expected) => {
    expect(exempt.has(ip)).toBe(expected);
  });

  it('an empty list exempts no one', () => {
    expect(new AddressSet([]).has('127.0.0.1')).toBe(false);
  });

  it.each(['10.0.0.0/33', 'verifier', '10.0.0.1/8/1', '2001:db8::/129'])('refuses %s', (entry) => {
    expect(() => new AddressSet([entry])).toThrow(RangeError);
  });

  it.each(['1:2', ':::', '10.0.0.0/', '10.0.0.0/ 8', 'fe80::1%eth0', '::ffff:10.0.0.1', '::/0', '10.0.0.0/8'])(
    'never sees %s unless RATE_LIMIT_EXEMPT accepted it, and then takes it',
    (entry) => {
      let accepted: readonly string[];
      try {
        accepted = loadConfig(httpEdgeEnv, { RATE_LIMIT_EXEMPT: entry }).RATE_LIMIT_EXEMPT;
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return;
      }
      expect(() => new AddressSet(accepted)).not.toThrow();
    },
  );
});
