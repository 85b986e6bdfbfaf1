import { loadFixture } from '@citycred/testing';
import { describe, expect, it } from 'vitest';
import { decodeBase64urlText, encodeBase64url } from '../base64url.js';
import { signCompactJws } from '../jws.js';
import { nobleSignatureCrypto } from '../noble-crypto.js';
import type { PublicJwk, SignRequest } from '../types.js';
import { FormatErrorCode } from '../types.js';
import { SdJwtFormatError } from './errors.js';
import { type KeyBindingExpectation, presentSdJwt, verifyKeyBinding } from './presentation.js';
import { sdJwtVcFormat } from './sd-jwt-vc-format.js';
import { es256kTestSigner, es256TestSigner, hexBytes } from './test-signers.js';

interface Vectors {
  issuer: { privateKeyHex: string; kid: string };
  holder: { privateKeyHex: string; publicJwk: PublicJwk };
  salts: string[];
  request: Omit<SignRequest, 'salt'>;
  encoded: string;
  anchoredPart: string;
  presentation: { disclose: string[]; nonce: string; aud: string; iat: string; encoded: string };
}

const vectors = loadFixture<Vectors>('formats/sd-jwt-vc/vectors.json');
const holderSigner = es256TestSigner(hexBytes(vectors.holder.privateKeyHex), 'holder');
const strangerSigner = es256TestSigner(hexBytes('bb'.repeat(32)), 'stranger');
const issuerSigner = es256kTestSigner(hexBytes(vectors.issuer.privateKeyHex), vectors.issuer.kid);
const presentedAt = new Date(vectors.presentation.iat);
const { nonce, aud } = vectors.presentation;
const expected: KeyBindingExpectation = { nonce, aud, now: new Date(presentedAt.getTime() + 10_000), maxAgeSeconds: 300 };

function present(disclose: readonly string[], kb: Partial<{ signer: typeof holderSigner; nonce: string; aud: string; iat: Date }> = {}): Promise<string> {
  return presentSdJwt(vectors.encoded, { disclose, kb: { signer: holderSigner, nonce, aud, iat: presentedAt, ...kb } });
}

describe('presentSdJwt', () => {
  it('reproduces the frozen presentation: one disclosure and a kb+jwt from the P-256 holder key', async () => {
    expect(await presentSdJwt(vectors.encoded, { disclose: vectors.presentation.disclose, kb: { signer: holderSigner, nonce, aud, iat: presentedAt } })).toBe(
      vectors.presentation.encoded,
    );
  });

  it('presents the chosen disclosures in issued order, and no key binding unless asked', async () => {
    const presented = await presentSdJwt(vectors.encoded, { disclose: ['residence', 'name', 'residentSince'] });
    expect(presented.endsWith('~')).toBe(true);
    const decoded = sdJwtVcFormat.decode(presented);
    expect(decoded.disclosures.map((d) => d.name)).toEqual(['name', 'residence']);
    expect(decoded.keyBinding).toBeUndefined();
    expect(await presentSdJwt(vectors.encoded, { disclose: [] })).toBe(`${vectors.anchoredPart}~`);
  });

  it('refuses names it cannot disclose, a presentation as input, and a key binding without cnf', async () => {
    const refused = async (run: () => Promise<string>) => {
      try {
        await run();
      } catch (error) {
        if (error instanceof SdJwtFormatError) return [error.code, error.reason];
        throw error;
      }
      return 'presented';
    };
    const invalid = [FormatErrorCode.InvalidRequest, 'sd-jwt.request-invalid'];
    expect(await refused(() => presentSdJwt(vectors.encoded, { disclose: ['ageOver65'] }))).toEqual(invalid);
    expect(await refused(() => presentSdJwt(vectors.presentation.encoded, { disclose: ['ageOver19'] }))).toEqual(invalid);
    const { holderJwk: _holderJwk, ...withoutHolder } = vectors.request;
    const unbound = await sdJwtVcFormat.sign({ ...withoutHolder, salt: () => vectors.salts[0]! }, issuerSigner);
    expect(await refused(() => presentSdJwt(unbound.encoded, { disclose: ['name'], kb: { signer: holderSigner, nonce, aud, iat: presentedAt } }))).toEqual(invalid);
  });
});

describe('verifyKeyBinding', () => {
  it('accepts the frozen presentation for its nonce and audience', async () => {
    const check = await verifyKeyBinding(vectors.presentation.encoded, expected, nobleSignatureCrypto);
    expect(check).toMatchObject({ valid: true, iat: presentedAt });
    expect(check.valid && check.credential.claims).toEqual({ ageOver19: true, residentSince: '2019-03-02' });
  });

  it('refuses another nonce, another audience, a stale or a future iat', async () => {
    const presented = vectors.presentation.encoded;
    expect(await verifyKeyBinding(presented, { ...expected, nonce: 'another-nonce' }, nobleSignatureCrypto)).toMatchObject({ valid: false, reason: 'kb.nonce-mismatch' });
    expect(await verifyKeyBinding(presented, { ...expected, aud: 'x509_hash:other-verifier' }, nobleSignatureCrypto)).toMatchObject({ valid: false, reason: 'kb.aud-mismatch' });
    const late = new Date(presentedAt.getTime() + 301_000);
    expect(await verifyKeyBinding(presented, { ...expected, now: late }, nobleSignatureCrypto)).toMatchObject({ valid: false, reason: 'kb.iat-stale' });
    const early = new Date(presentedAt.getTime() - 61_000);
    expect(await verifyKeyBinding(presented, { ...expected, now: early }, nobleSignatureCrypto)).toMatchObject({ valid: false, reason: 'kb.iat-future' });
    expect(await verifyKeyBinding(presented, { ...expected, now: early, clockSkewSeconds: 120 }, nobleSignatureCrypto)).toMatchObject({ valid: true });
  });

  it('refuses a KB-JWT made for another nonce or audience by the holder key', async () => {
    expect(await verifyKeyBinding(await present(['ageOver19'], { nonce: 'replayed' }), expected, nobleSignatureCrypto)).toMatchObject({ reason: 'kb.nonce-mismatch' });
    expect(await verifyKeyBinding(await present(['ageOver19'], { aud: 'someone-else' }), expected, nobleSignatureCrypto)).toMatchObject({ reason: 'kb.aud-mismatch' });
  });

  it('refuses disclosures added or removed after the holder signed (sd_hash)', async () => {
    const [issuerJwt, ageOver19, kbJwt] = vectors.presentation.encoded.split('~') as [string, string, string];
    const name = vectors.encoded.split('~')[1]!;
    const added = `${issuerJwt}~${ageOver19}~${name}~${kbJwt}`;
    expect(await verifyKeyBinding(added, expected, nobleSignatureCrypto)).toMatchObject({ valid: false, reason: 'kb.sd-hash-mismatch' });
    const removed = `${issuerJwt}~${kbJwt}`;
    expect(await verifyKeyBinding(removed, expected, nobleSignatureCrypto)).toMatchObject({ valid: false, reason: 'kb.sd-hash-mismatch' });
  });

  it('refuses a KB-JWT signed by a key other than cnf.jwk', async () => {
    expect(await verifyKeyBinding(await present(['ageOver19'], { signer: strangerSigner }), expected, nobleSignatureCrypto)).toMatchObject({
      valid: false,
      reason: 'kb.signature-invalid',
    });
  });

  it('refuses a missing KB-JWT, a wrong typ and alg none', async () => {
    const withoutKb = await presentSdJwt(vectors.encoded, { disclose: ['ageOver19'] });
    expect(await verifyKeyBinding(withoutKb, expected, nobleSignatureCrypto)).toMatchObject({ valid: false, reason: 'kb.missing' });
    const payload = JSON.parse(decodeBase64urlText(vectors.presentation.encoded.split('~')[2]!.split('.')[1]!)) as Record<string, unknown>;
    const typJwt = await signCompactJws({ alg: 'ES256', typ: 'JWT' }, payload, holderSigner);
    expect(await verifyKeyBinding(`${withoutKb}${typJwt}`, expected, nobleSignatureCrypto)).toMatchObject({ valid: false, reason: 'kb.typ-invalid' });
    const none = `${encodeBase64url(JSON.stringify({ alg: 'none', typ: 'kb+jwt' }))}.${encodeBase64url(JSON.stringify(payload))}.${typJwt.split('.')[2]}`;
    expect(await verifyKeyBinding(`${withoutKb}${none}`, expected, nobleSignatureCrypto)).toMatchObject({ valid: false, reason: 'kb.alg-unsupported' });
    expect(await verifyKeyBinding(`${withoutKb}not-a-jwt`, expected, nobleSignatureCrypto)).toMatchObject({ valid: false, reason: 'kb.malformed' });
  });

  it('refuses a key binding when the credential has no holder key, and a broken credential, without throwing', async () => {
    const { holderJwk: _holderJwk, ...withoutHolder } = vectors.request;
    const unbound = await sdJwtVcFormat.sign({ ...withoutHolder, salt: () => vectors.salts[0]! }, issuerSigner);
    const kbJwt = vectors.presentation.encoded.split('~')[2]!;
    expect(await verifyKeyBinding(`${unbound.encoded}${kbJwt}`, expected, nobleSignatureCrypto)).toMatchObject({ valid: false, reason: 'kb.no-holder-key' });
    expect(await verifyKeyBinding('not an sd-jwt', expected, nobleSignatureCrypto)).toMatchObject({ valid: false, reason: 'kb.credential-malformed' });
  });
});
