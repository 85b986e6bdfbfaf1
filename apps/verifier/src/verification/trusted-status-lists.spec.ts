import { describe, expect, it } from 'vitest';
import { TrustedStatusLists } from './trusted-status-lists.js';

describe('TrustedStatusLists', () => {
  it('remembers each list URL once, with the issuer it was last trusted for, least recently trusted first', () => {
    const lists = new TrustedStatusLists();
    lists.trusted('https://a.example/status-lists/1', 'did:ethr:citycred:0x01');
    lists.trusted('https://a.example/status-lists/2', 'did:ethr:citycred:0x01');
    lists.trusted('https://a.example/status-lists/1', 'did:ethr:citycred:0x01');
    expect(lists.list()).toEqual([
      { url: 'https://a.example/status-lists/2', issuerDid: 'did:ethr:citycred:0x01' },
      { url: 'https://a.example/status-lists/1', issuerDid: 'did:ethr:citycred:0x01' },
    ]);
  });

  it('forgets the least recently trusted lists beyond 10,000', () => {
    const lists = new TrustedStatusLists();
    for (let i = 0; i <= 10_000; i += 1) lists.trusted(`https://a.example/status-lists/${i}`, 'did:ethr:citycred:0x01');
    const kept = lists.list();
    expect(kept).toHaveLength(10_000);
    expect(kept[0]!.url).toBe('https://a.example/status-lists/1');
  });
});
