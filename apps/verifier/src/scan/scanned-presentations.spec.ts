import { describe, expect, it } from 'vitest';
import { loadVerifierConfig } from '../config.js';
import { HOLDER_NONCE } from '../presentations/presentation-verifier.js';
import { buildMerkleTree, credentialHash, encodeAnchorCode } from '@citycred/anchoring';
import { presentationOfQrText, scannedCode } from './scanned-presentations.js';

describe('the text of a presentation QR code (docs/presentations.md, "Showing a QR to an employer\'s scanner")', () => {
  it('is the presentation after the citycred-vp: prefix, in any case, without the white space a scanner adds', () => {
    expect(presentationOfQrText('citycred-vp:eyJ.a.b~d~eyJ.k.s')).toBe('eyJ.a.b~d~eyJ.k.s');
    expect(presentationOfQrText('CITYCRED-VP:eyJ.a.b')).toBe('eyJ.a.b');
    expect(presentationOfQrText(' citycred-vp: eyJ.a.b\r\n')).toBe('eyJ.a.b');
  });

  it('is the whole text when the prefix is left out, and only the first prefix is removed', () => {
    expect(presentationOfQrText('eyJ.a.b')).toBe('eyJ.a.b');
    expect(presentationOfQrText('citycred-vp:citycred-vp:x')).toBe('citycred-vp:x');
    expect(presentationOfQrText('openid4vp://?request_uri=x')).toBe('openid4vp://?request_uri=x');
  });
});

describe('a QR code that carries its credential’s anchor proof (citycred-vp:<presentation>#<anchor code>)', () => {
  const sdJwt = 'eyJhbGciOiJFUzI1NksifQ.eyJpc3MiOiJ4In0.c2ln~WyJzIiwiYWdlT3ZlcjE4Iix0cnVlXQ~eyJhbGciOiJFUzI1NiJ9.eyJub25jZSI6Im4ifQ.c2ln';
  const tree = buildMerkleTree([credentialHash('first'), credentialHash(sdJwt.slice(0, sdJwt.indexOf('~'))), credentialHash('third')]);
  const code = encodeAnchorCode({ leafIndex: 1, blockNumber: 77, proof: tree.proofs[1]! });

  it('gives the presentation and the proof, its root folded from the hash of the issuer-signed part', () => {
    expect(scannedCode(`citycred-vp:${sdJwt}#${code}`)).toEqual({ presentation: sdJwt, anchorProof: { root: tree.root, proof: tree.proofs[1], leafIndex: 1, blockNumber: 77 } });
    // Another credential's proof folds to a root no issuer anchored: the verifier then fails it as any presented proof.
    const others = scannedCode(`citycred-vp:${sdJwt}#${encodeAnchorCode({ leafIndex: 0, blockNumber: 77, proof: tree.proofs[0]! })}`);
    expect(others.anchorProof?.root).not.toBe(tree.root);
  });

  it('gives no proof for a code without one (as before), one that cannot be read, or one after a JWT VP', () => {
    expect(scannedCode(` citycred-vp:${sdJwt}\n`)).toEqual({ presentation: sdJwt });
    expect(scannedCode(`citycred-vp:${sdJwt}#garbage!`)).toEqual({ presentation: sdJwt });
    expect(scannedCode(`citycred-vp:eyJ.a.b#${code}`)).toEqual({ presentation: 'eyJ.a.b' });
  });
});

describe('a nonce a holder chooses', () => {
  it('is base64url of at least 16 bytes (22 characters), at most 128 characters', () => {
    expect(HOLDER_NONCE.test('A'.repeat(22))).toBe(true);
    expect(HOLDER_NONCE.test('a-_0'.repeat(32))).toBe(true);
    expect(HOLDER_NONCE.test('A'.repeat(21))).toBe(false);
    expect(HOLDER_NONCE.test('A'.repeat(129))).toBe(false);
    for (const bad of [`${'A'.repeat(22)}=`, `${'A'.repeat(22)}+`, `${'A'.repeat(22)}/`, ` ${'A'.repeat(22)}`]) expect(HOLDER_NONCE.test(bad), bad).toBe(false);
  });
});

describe('SCAN_PRESENTATION_MAX_AGE_SECONDS', () => {
  it('is 120 by default, may be less, never more: a bad value stops start-up naming the variable', () => {
    expect(loadVerifierConfig({}).SCAN_PRESENTATION_MAX_AGE_SECONDS).toBe(120);
    expect(loadVerifierConfig({ SCAN_PRESENTATION_MAX_AGE_SECONDS: '45' }).SCAN_PRESENTATION_MAX_AGE_SECONDS).toBe(45);
    for (const bad of ['121', '0', '-5', '1.5', 'two minutes']) {
      expect(() => loadVerifierConfig({ SCAN_PRESENTATION_MAX_AGE_SECONDS: bad }), bad).toThrow(/SCAN_PRESENTATION_MAX_AGE_SECONDS/);
    }
  });
});
