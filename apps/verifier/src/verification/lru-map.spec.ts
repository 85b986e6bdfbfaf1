import { describe, expect, it } from 'vitest';
import { LruMap } from './lru-map.js';

describe('LruMap', () => {
  it('forgets the least recently used entry beyond its size, a get counting as a use', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1);
    map.set('c', 3);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
    expect(map.get('c')).toBe(3);
  });

  it('keeps the order right when the newest entry is used again and again', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('b')).toBe(2);
    expect(map.get('b')).toBe(2);
    map.set('c', 3);
    expect(map.get('a')).toBeUndefined();
    expect(map.get('b')).toBe(2);
  });

  it('tells a stored null from a miss', () => {
    const map = new LruMap<string, string | null>(2);
    map.set('none', null);
    expect(map.get('none')).toBeNull();
    expect(map.get('other')).toBeUndefined();
  });
});
