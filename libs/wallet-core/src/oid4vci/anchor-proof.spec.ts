import { loadFixture } from '@citycred/testing';
import { describe, expect, it } from 'vitest';
import { fetchAnchorProof, issuerServiceUrlOf, proofLeadsToRoot } from './anchor-proof.js';
import { Oid4vciErrorCode } from './errors.js';
import { credentialHashOf } from './received.js';

interface MerkleVectors {
  credentialHashes: Array<{ input: string; credentialHash: string }>;
  trees: Array<{ name: string; credentialHashes: string[]; root: string; proofs: string[][] }>;
}
const vectors = loadFixture<MerkleVectors>('merkle-vectors.json');

describe('anchor proofs with WebCrypto, against the frozen anchoring vectors', () => {
  it('hashes a credential as the issuer anchors it', async () => {
    for (const { input, credentialHash } of vectors.credentialHashes) expect(await credentialHashOf(input)).toBe(credentialHash);
    expect(await credentialHashOf(`${vectors.credentialHashes[0]!.input}~WyJzYWx0IiwibmFtZSIsIngiXQ~`)).toBe(vectors.credentialHashes[0]!.credentialHash);
  });

  it('folds every proof of every frozen tree to its root, and no proof to another root', async () => {
    for (const tree of vectors.trees) {
      for (const [i, hash] of tree.credentialHashes.entries()) {
        expect(await proofLeadsToRoot(hash, tree.proofs[i]!, tree.root), `${tree.name} leaf ${i}`).toBe(true);
      }
    }
    const big = vectors.trees.find((tree) => tree.credentialHashes.length > 2)!;
    expect(await proofLeadsToRoot(big.credentialHashes[0]!, big.proofs[1]!, big.root)).toBe(false);
    expect(await proofLeadsToRoot(big.credentialHashes[0]!, big.proofs[0]!, vectors.trees[0]!.root)).toBe(false);
    expect(await proofLeadsToRoot('0xnot-hex', [], big.root)).toBe(false);
  });
});

describe('asking the issuer for the proof', () => {
  const credential = { encoded: vectors.credentialHashes[0]!.input };
  const tree = vectors.trees[0]!;
  const answering = (status: number, body: unknown, headers: Record<string, string> = {}, seen: string[] = []) => ({
    fetch: async (url: string) => {
      seen.push(url);
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
    },
    clock: { now: () => new Date() },
  });

  it('derives the issuer service from an OpenID4VCI issuer identifier', () => {
    expect(issuerServiceUrlOf('https://city.example/oid4vci/seoul-citizen')).toBe('https://city.example');
    expect(issuerServiceUrlOf('https://city.example/issuer/oid4vci/seoul-citizen')).toBe('https://city.example/issuer');
    expect(issuerServiceUrlOf('https://other.example/credential-issuer')).toBe('https://other.example');
  });

  it('keeps an anchored proof that leads to its root', async () => {
    const seen: string[] = [];
    const body = { credentialHash: tree.credentialHashes[0], status: 'anchored', root: tree.root, proof: [], leafIndex: 0, txHash: `0x${'ab'.repeat(32)}`, blockNumber: 12, chainId: 31337, contract: '0x0000000000000000000000000000000000000001' };
    expect(await fetchAnchorProof(credential, 'https://city.example/', answering(200, body, {}, seen))).toMatchObject({ state: 'anchored', proof: { root: tree.root, blockNumber: 12 } });
    expect(seen).toEqual([`https://city.example/anchors/proofs/${tree.credentialHashes[0]}`]);
    await expect(fetchAnchorProof(credential, 'https://city.example', answering(200, { ...body, root: `0x${'00'.repeat(32)}` }))).rejects.toMatchObject({ code: Oid4vciErrorCode.IssuerError });
  });

  it.each<[number, unknown, Record<string, string>, unknown]>([
    [202, { status: 'pending', enqueuedAt: '2026-11-30T00:00:00.000Z' }, { 'retry-after': '5' }, { state: 'pending', enqueuedAt: '2026-11-30T00:00:00.000Z', retryAfterSeconds: 5 }],
    [404, { code: 'anchor.proof-not-found' }, {}, { state: 'unknown' }],
    [409, { code: 'anchor.refused', reason: 'IssuerNotAccredited' }, {}, { state: 'refused', reason: 'IssuerNotAccredited' }],
  ])('reads %i', async (status, body, headers, expected) => {
    expect(await fetchAnchorProof(credential, 'https://city.example', answering(status, body, headers))).toEqual(expected);
  });
});
