import { describe, expect, it } from 'vitest';
import { parse, type DIDResolutionResult, type ParsedDID } from 'did-resolver';
import { didAtBlock, ttlDidCache } from './resolver.js';

const parsed = (did: string): ParsedDID => ({ did, didUrl: did, method: 'ethr', id: did.split(':').pop()!, params: {} }) as ParsedDID;
const ok = (did: string): DIDResolutionResult => ({ didResolutionMetadata: {}, didDocument: { id: did }, didDocumentMetadata: {} });

describe('ttlDidCache', () => {
  it('reuses a resolution within the TTL and resolves again after it', async () => {
    let t = 0;
    let calls = 0;
    const cache = ttlDidCache(1_000, () => t);
    const resolve = async () => ((calls += 1), ok('did:ethr:citycred:0x1'));
    await cache(parsed('did:ethr:citycred:0x1'), resolve);
    await cache(parsed('did:ethr:citycred:0x1'), resolve);
    expect(calls).toBe(1);
    t = 1_000;
    await cache(parsed('did:ethr:citycred:0x1'), resolve);
    expect(calls).toBe(2);
  });

  it('files a document as of a block apart from the document as of now, one entry per version', async () => {
    const did = 'did:ethr:citycred:0x03';
    const resolved: string[] = [];
    const cache = ttlDidCache(60_000, () => 0);
    const resolve = (url: string) => async () => (resolved.push(url), ok(did));
    for (const url of [did, didAtBlock(did, 7), didAtBlock(did, 9), `${didAtBlock(did, 7)}#controller`, `${did}#controllerKey`, didAtBlock(did, 9)]) {
      await cache(parse(url)!, resolve(url));
    }
    expect(resolved).toEqual([did, didAtBlock(did, 7), didAtBlock(did, 9)]);
  });

  it('names a version only by a block number', () => {
    expect(didAtBlock('did:ethr:citycred:0x04', 12)).toBe('did:ethr:citycred:0x04?versionId=12');
    expect(() => didAtBlock('did:ethr:citycred:0x04', -1)).toThrow(RangeError);
    expect(() => didAtBlock('did:ethr:citycred:0x04', 1.5)).toThrow(RangeError);
  });

  it('does not keep failures', async () => {
    let calls = 0;
    const cache = ttlDidCache(1_000, () => 0);
    const failing = async (): Promise<DIDResolutionResult> => ((calls += 1), { didResolutionMetadata: { error: 'notFound' }, didDocument: null, didDocumentMetadata: {} });
    await cache(parsed('did:ethr:citycred:0x2'), failing);
    await cache(parsed('did:ethr:citycred:0x2'), failing);
    expect(calls).toBe(2);
  });

  it('stays within its size bound, dropping the oldest entries first', async () => {
    const resolved: string[] = [];
    const cache = ttlDidCache(60_000, () => 0, 3);
    const resolve = (did: string) => async () => (resolved.push(did), ok(did));
    for (const n of [1, 2, 3, 4]) await cache(parsed(`did:x:${n}`), resolve(`did:x:${n}`));
    await cache(parsed('did:x:4'), resolve('did:x:4'));
    await cache(parsed('did:x:2'), resolve('did:x:2'));
    await cache(parsed('did:x:1'), resolve('did:x:1'));
    expect(resolved).toEqual(['did:x:1', 'did:x:2', 'did:x:3', 'did:x:4', 'did:x:1']);
  });
});
