import { buildMerkleTree, credentialHash, decodeAnchorCode, rootFromProof, type Hex32 } from '@citycred/anchoring';
import { describe, expect, it } from 'vitest';
import { scanPresentation, SCAN_PRESENTATION_PREFIX } from './scan-qr.js';
import { testCitizenCard, testHolderKey, testJwtVc } from './test-credentials.js';

const holder = testHolderKey(1);
const NOW = new Date('2026-11-30T03:00:00Z');
const options = { verifierUrl: 'https://jobs.seoul.example', disclose: ['ageOver18'], holder, now: NOW };

describe('the scanner QR code with the credential’s anchor proof (docs/wallet-protocols.md)', async () => {
  const encoded = await testCitizenCard(holder);
  const hash = credentialHash(encoded.slice(0, encoded.indexOf('~')));
  const tree = buildMerkleTree([credentialHash('first'), hash, credentialHash('third')]);
  // The proof as the issuer serves it and the record keeps it.
  const anchorProof = { credentialHash: hash, root: tree.root, proof: tree.proofs[1]!, leafIndex: 1, txHash: `0x${'ab'.repeat(32)}`, blockNumber: 4321, chainId: 31337, contract: `0x${'cd'.repeat(20)}` };

  it('carries the proof the record keeps after a #: leaf index, block and siblings, which fold to the root', async () => {
    const drawn = await scanPresentation({ encoded, anchorProof }, options);
    expect(drawn.carriesAnchorProof).toBe(true);
    expect(drawn.text.startsWith(SCAN_PRESENTATION_PREFIX)).toBe(true);
    const [presentation, code] = drawn.text.slice(SCAN_PRESENTATION_PREFIX.length).split('#');
    expect(presentation!.startsWith(encoded.slice(0, encoded.indexOf('~')))).toBe(true);
    const read = decodeAnchorCode(code!)!;
    expect(read).toEqual({ leafIndex: 1, blockNumber: 4321, proof: tree.proofs[1] });
    expect(rootFromProof(hash, read.proof)).toBe(tree.root);
  });

  it('draws the code without one when the record has none, or one that does not lead from the credential to its root', async () => {
    const plain = await scanPresentation({ encoded }, options);
    expect([plain.carriesAnchorProof, plain.text.includes('#')]).toEqual([false, false]);
    const others = await scanPresentation({ encoded, anchorProof: { ...anchorProof, proof: tree.proofs[0]! } }, options);
    expect([others.carriesAnchorProof, others.text.includes('#')]).toEqual([false, false]);
    const malformed = await scanPresentation({ encoded, anchorProof: { ...anchorProof, blockNumber: 'soon' } }, options);
    expect(malformed.carriesAnchorProof).toBe(false);
  });

  it('adds none to a JWT VP (a credential too long for a QR code with it; the verifier reads a proof after an SD-JWT VC only)', async () => {
    const jwt = await testJwtVc('WorkExperience', holder.did, { employer: '한강카페' });
    const single = buildMerkleTree([credentialHash(jwt)]);
    expect(rootFromProof(credentialHash(jwt), single.proofs[0]! as Hex32[])).toBe(single.root);
    const drawn = await scanPresentation({ encoded: jwt, anchorProof: { root: single.root, proof: [], leafIndex: 0, blockNumber: 9 } }, { ...options, disclose: [] });
    expect([drawn.carriesAnchorProof, drawn.text.includes('#')]).toEqual([false, false]);
  });
});
