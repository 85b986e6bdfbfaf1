import { TenantEntity } from '@citycred/persistence';
import { describe, expect, it } from 'vitest';
import { AuthenticatedKeyCache } from './authenticated-key-cache.js';

const at = (ms: number) => new Date(Date.UTC(2026, 2, 2) + ms);
const tenant = (slug: string) => Object.assign(new TenantEntity(), { id: `id-${slug}`, slug, credentialTypesJson: '["SeoulCitizenCard"]' });

describe('AuthenticatedKeyCache', () => {
  it('answers until the TTL has passed since the read began, then forgets', () => {
    const cache = new AuthenticatedKeyCache({ ttlMs: 1_000 });
    cache.set('h1', tenant('a'), at(0));
    expect(cache.get('h1', at(999))?.slug).toBe('a');
    expect(cache.get('h1', at(1_000))).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps nothing with a TTL of 0', () => {
    const cache = new AuthenticatedKeyCache({ ttlMs: 0 });
    cache.set('h1', tenant('a'), at(0));
    expect(cache.get('h1', at(0))).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never holds more than its bound, forgetting the least recently used key first', () => {
    const cache = new AuthenticatedKeyCache({ ttlMs: 60_000, maxEntries: 3 });
    for (const h of ['h1', 'h2', 'h3']) cache.set(h, tenant(h), at(0));
    expect(cache.get('h1', at(1))).toBeDefined();
    cache.set('h4', tenant('h4'), at(2));
    expect(cache.size).toBe(3);
    expect(cache.get('h2', at(3)), 'h2 was the least recently used').toBeUndefined();
    for (const h of ['h1', 'h3', 'h4']) expect(cache.get(h, at(4))?.slug).toBe(h);
    for (let i = 0; i < 10_000; i += 1) cache.set(`x${i}`, tenant('x'), at(5));
    expect(cache.size).toBe(3);
  });

  it('forgets every key of a tenant whose row changed, and only its keys', () => {
    const cache = new AuthenticatedKeyCache({ ttlMs: 60_000 });
    cache.set('h1', tenant('a'), at(0));
    cache.set('h2', tenant('a'), at(0));
    cache.set('h3', tenant('b'), at(0));
    cache.deleteTenant('id-a');
    expect(cache.get('h1', at(1))).toBeUndefined();
    expect(cache.get('h2', at(1))).toBeUndefined();
    expect(cache.get('h3', at(1))?.slug).toBe('b');
  });

  it('forgets a deleted (revoked) key', () => {
    const cache = new AuthenticatedKeyCache({ ttlMs: 60_000 });
    cache.set('h1', tenant('a'), at(0));
    cache.delete('h1');
    expect(cache.get('h1', at(1))).toBeUndefined();
  });

  it('hands out copies, so a request that changes its tenant object changes nobody else\'s', () => {
    const cache = new AuthenticatedKeyCache({ ttlMs: 60_000 });
    const original = tenant('a');
    cache.set('h1', original, at(0));
    original.slug = 'changed-after-caching';
    const first = cache.get('h1', at(1))!;
    first.slug = 'changed-by-a-request';
    const second = cache.get('h1', at(2))!;
    expect(second.slug).toBe('a');
    expect(second).toBeInstanceOf(TenantEntity);
    expect(second.credentialTypes).toEqual(['SeoulCitizenCard']);
  });

  it('refuses nonsensical limits', () => {
    expect(() => new AuthenticatedKeyCache({ ttlMs: -1 })).toThrow(RangeError);
    expect(() => new AuthenticatedKeyCache({ ttlMs: 1, maxEntries: 0 })).toThrow(RangeError);
  });
});
