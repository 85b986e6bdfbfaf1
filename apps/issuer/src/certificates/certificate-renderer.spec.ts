import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { FixedClock } from '@citycred/config';
import { credentialSchema, isCatalogueType } from '@citycred/credentials';
import { credentialFormat, type JwsSigner } from '@citycred/formats';
import { disguisedResidentRegistrationNumbers, loadFixture, loadFormatVector, testJwsSigner } from '@citycred/testing';
import jsQRModule from 'jsqr';
import { describe, expect, it } from 'vitest';
import { koreanTime, type CertifiedCredential } from './certificate-content.js';
import { certificateQr, parseCertificateReference, referenceSecretMatches } from './certificate-qr.js';
import { A4, CertificateRenderer } from './certificate-renderer.js';
import { claimRows, WITHHELD_VALUE } from './claim-rows.js';

// jsqr is CommonJS whose typings declare an ES default export: under nodenext the default import is `module.exports`.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

const links = { checkUrl: 'http://localhost:3002/check', issuerUrl: 'http://localhost:3001' };
const key = loadFormatVector('jwt_vc').key;
const signer = testJwsSigner('ES256K', key.privateKeyHex, key.kid) as JwsSigner;
const tenant = { name: '서울특별시 시민카드과', did: key.did };
const renderer = new CertificateRenderer(links, async (c) => (isCatalogueType(c.type) ? credentialSchema(c.type) : undefined), new FixedClock('2026-03-02T09:00:00Z'));

/** A fictional demo citizen (the e2e tests' subject). */
const subject = {
  id: 'did:example:citycred-demo-holder-1',
  personId: '3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b',
  name: '김서연',
  birthDate: '2001-04-12',
  ageOver15: true,
  ageOver18: true,
  ageOver19: false,
  residence: { city: '서울특별시', district: '마포구' },
  residentSince: '2019-03-01',
};

async function citizenCard(): Promise<CertifiedCredential> {
  const id = 'urn:uuid:6b0e2f4a-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
  const signed = await credentialFormat('jwt_vc').sign(
    {
      credential: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        id,
        type: ['VerifiableCredential', 'SeoulCitizenCard'],
        issuer: { id: key.did },
        issuanceDate: '2026-03-02T09:00:00.000Z',
        expirationDate: '2031-03-02T09:00:00.000Z',
        credentialSubject: subject,
      },
    },
    signer,
  );
  return { id, type: 'SeoulCitizenCard', format: 'jwt_vc', encoded: signed.encoded, issuedAt: '2026-03-02T09:00:00.000Z', expiresAt: '2031-03-02T09:00:00.000Z' };
}

/** An SD-JWT VC of an open type with so many long disclosures that it fits no QR code. */
async function largeSdJwt(): Promise<CertifiedCredential> {
  const claims = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`note${i + 1}`, `서울시 데모 증명 항목 ${i + 1}: ${'가나다라마바사아자차카타파하'.repeat(3)}`]));
  let counter = 0;
  const signed = await credentialFormat('dc+sd-jwt').sign(
    {
      credential: {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: 'urn:uuid:0d9c1b7e-2f4a-4c6b-9e8d-7a6b5c4d3e2f',
        type: ['VerifiableCredential', 'DemoPermit'],
        issuer: key.did,
        validFrom: '2026-03-02T09:00:00Z',
        credentialSubject: claims,
      },
      issuedAt: new Date('2026-03-02T09:00:00Z'),
      vct: 'https://apps.citycred.example/vct/DemoPermit',
      disclosable: Object.keys(claims),
      salt: () => createHash('sha256').update(`salt-${(counter += 1)}`).digest('base64url').slice(0, 22),
    },
    signer,
  );
  return { id: 'urn:uuid:0d9c1b7e-2f4a-4c6b-9e8d-7a6b5c4d3e2f', type: 'DemoPermit', format: 'dc+sd-jwt', encoded: signed.encoded, issuedAt: '2026-03-02T09:00:00.000Z', expiresAt: null };
}

/**
 * A minimal reader of the PDFs pdfkit writes (uncompressed object syntax, Flate streams): enough to check the page,
 * the embedded fonts, the text as the fonts' ToUnicode maps spell it, and the QR's rectangles. Not a general parser.
 */
function readPdf(pdf: Buffer) {
  const source = pdf.toString('latin1');
  const objects = new Map<number, { dict: string; stream?: Buffer }>();
  for (const match of source.matchAll(/(\d+) 0 obj\s*(<<[\s\S]*?>>)\s*(stream\r?\n)?/g)) {
    const entry: { dict: string; stream?: Buffer } = { dict: match[2]! };
    if (match[3]) {
      const start = match.index! + match[0].length;
      const raw = pdf.subarray(start, source.indexOf('endstream', start));
      entry.stream = entry.dict.includes('/FlateDecode') ? inflateSync(raw) : raw;
    }
    objects.set(Number(match[1]), entry);
  }
  const ref = (dict: string, name: string) => Number(new RegExp(`/${name} (\\d+) 0 R`).exec(dict)?.[1]);
  const pages = [...objects.values()].filter((o) => /\/Type \/Page\b/.test(o.dict));
  const page = pages[0]!;
  const resources = objects.get(ref(page.dict, 'Resources'))!.dict;
  const fonts = new Map<string, { baseFont: string; toUnicode: Map<number, string> }>();
  for (const [, name, id] of resources.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
    const font = objects.get(Number(id))!.dict;
    fonts.set(name!, { baseFont: /\/BaseFont \/(\S+)/.exec(font)![1]!, toUnicode: parseToUnicode(objects.get(ref(font, 'ToUnicode'))!.stream!.toString('latin1')) });
  }
  const content = objects.get(ref(page.dict, 'Contents'))!.stream!.toString('latin1');
  let text = '';
  let current: Map<number, string> | undefined;
  for (const [, font, array] of content.matchAll(/\/(F\d+) [\d.]+ Tf|\[((?:<[0-9a-f]*>|[\s\d.-])*)\] TJ/g)) {
    if (font) current = fonts.get(font)!.toUnicode;
    else for (const [, hex] of array!.matchAll(/<([0-9a-f]*)>/g)) for (const glyph of hex!.match(/.{4}/g) ?? []) text += current!.get(parseInt(glyph, 16)) ?? '\ufffd';
    if (!font) text += '\n';
  }
  const rects = [...content.matchAll(/([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re/g)].map((m) => m.slice(1, 5).map(Number) as [number, number, number, number]);
  return { pageCount: pages.length, mediaBox: /\/MediaBox \[([^\]]+)\]/.exec(page.dict)![1]!.trim().split(/\s+/).map(Number), fonts, text, rects, catalog: [...objects.values()].find((o) => /\/Type \/Catalog/.test(o.dict))!.dict };
}

function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const chars = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
  for (const [, body] of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, from, , list, start] of body!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(?:\[([^\]]*)\]|<([0-9a-f]+)>)/g)) {
      if (list !== undefined) [...list.matchAll(/<([0-9a-f]+)>/g)].forEach(([, hex], i) => map.set(parseInt(from!, 16) + i, chars(hex!)));
      else map.set(parseInt(from!, 16), chars(start!));
    }
  }
  for (const [, body] of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) for (const [, code, hex] of body!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/g)) map.set(parseInt(code!, 16), chars(hex!));
  return map;
}

/**
 * Decodes the QR drawn in a PDF: the `re` rectangles pdfkit wrote for its dark modules, painted into a bitmap (with a
 * white quiet zone) and read by jsQR — the code a phone camera would see, not the text we meant to encode.
 */
function decodeDrawnQr(rects: ReadonlyArray<readonly [number, number, number, number]>): string | undefined {
  const module = Math.min(...rects.map((r) => r[3]));
  const left = Math.min(...rects.map((r) => r[0]));
  const top = Math.min(...rects.map((r) => r[1]));
  const size = Math.round((Math.max(...rects.map((r) => r[0] + r[2])) - left) / module);
  const scale = 4;
  const side = (size + 8) * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const [x, y, w] of rects) {
    const row = Math.round((y - top) / module);
    const first = Math.round((x - left) / module);
    const count = Math.round(w / module);
    for (let column = first; column < first + count; column += 1) {
      for (let dy = 0; dy < scale; dy += 1) {
        for (let dx = 0; dx < scale; dx += 1) {
          const offset = (((row + 4) * scale + dy) * side + (column + 4) * scale + dx) * 4;
          pixels[offset] = pixels[offset + 1] = pixels[offset + 2] = 0;
        }
      }
    }
  }
  return jsQR(pixels, side, side)?.data;
}

describe('CertificateRenderer: the printable certificate of an issued credential', () => {
  it('draws one A4 page with Noto Sans KR embedded as subsets', async () => {
    const pdf = await renderer.render(await citizenCard(), tenant);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const read = readPdf(pdf);
    expect(read.pageCount).toBe(1);
    expect(read.mediaBox).toEqual([0, 0, A4.width, A4.height]);
    // A subset font's name carries a six-letter tag before "+" (ISO 32000 9.6.4); the whole font is 6 MB, the PDF not.
    const names = [...read.fonts.values()].map((f) => f.baseFont);
    expect(names.map((name) => /^[A-Z]{6}\+(.+)$/.exec(name)?.[1]).sort()).toEqual(['NotoSansKR-Bold', 'NotoSansKR-Regular']);
    expect(pdf.length).toBeLessThan(200_000);
    expect(read.catalog).toContain('/Lang (ko-KR)');
  });

  it('prints the title, department, claims, KST dates, id and hash — read back through the fonts’ ToUnicode maps', async () => {
    const credential = await citizenCard();
    const { text } = readPdf(await renderer.render(credential, tenant));
    const lines = text.split('\n');
    expect(lines).toContain('서울시민카드');
    expect(lines).toContain('Seoul Citizen Card');
    expect(lines).toContain('서울특별시 시민카드과');
    expect(lines).toContain('김서연');
    expect(lines).toContain('마포구');
    expect(lines).toContain('아니오');
    // Claims are labelled by the catalogue schema's Korean titles, never by their raw names.
    expect(lines).toEqual(expect.arrayContaining(['개인 식별번호', '성명', '생년월일', '만 19세 이상', '거주지 · 시·도', '전입일']));
    expect(lines).not.toContain('birthDate');
    expect(lines).toContain('2026년 3월 2일 18:00 (KST)');
    expect(lines).toContain('2031년 3월 2일 18:00 (KST)');
    expect(text).toContain(credential.id);
    const hash = `0x${createHash('sha256').update(credential.encoded).digest('hex')}`;
    expect(text.replace(/\n/g, '')).toContain(hash);
    expect(text).not.toContain('did:example:citycred-demo-holder-1');
  });

  it('prints the issuing tenant\'s English name beside its Korean name, and none when it has no English name', async () => {
    const credential = await citizenCard();
    const withEnglish = readPdf(await renderer.render(credential, { ...tenant, nameEn: 'Seoul Citizen Card Division' })).text.split('\n');
    const korean = withEnglish.indexOf('서울특별시 시민카드과');
    expect(korean).toBeGreaterThan(-1);
    expect(withEnglish[korean + 1]).toBe('Seoul Citizen Card Division');
    const without = readPdf(await renderer.render(credential, { ...tenant, nameEn: null })).text.split('\n');
    expect(without[without.indexOf('서울특별시 시민카드과') + 1]).not.toBe('Seoul Citizen Card Division');
    expect(without).not.toContain('Seoul Citizen Card Division');
  });

  it('draws a QR code that decodes to the check page carrying the exact credential', async () => {
    const credential = await citizenCard();
    const { rects } = readPdf(await renderer.render(credential, tenant));
    expect(decodeDrawnQr(rects)).toBe(`${links.checkUrl}#vc=${credential.encoded}`);
  });

  it('prints an SD-JWT VC with every disclosure: its claims, and the credential in the QR', async () => {
    const vector = loadFixture<{ encoded: string; request: { credential: { id: string } } }>('formats/sd-jwt-vc/vectors.json');
    const credential: CertifiedCredential = { id: vector.request.credential.id, type: 'SeoulCitizenCard', format: 'dc+sd-jwt', encoded: vector.encoded, issuedAt: '2026-03-02T09:00:00Z', expiresAt: '2031-03-02T09:00:00Z' };
    const read = readPdf(await renderer.render(credential, tenant));
    expect(read.text.split('\n')).toEqual(expect.arrayContaining(['김서연', '2001-04-17', '서울특별시', '예']));
    expect(decodeDrawnQr(read.rects)).toBe(`${links.checkUrl}#vc=${vector.encoded}`);
    // A dense symbol is printed larger: no module under 1.4 pt (0.5 mm), which phone cameras resolve.
    expect(Math.min(...read.rects.map((r) => r[3]))).toBeGreaterThanOrEqual(1.4 - 1e-9);
  });

  it('puts a reference in the QR when the credential fits no QR code, which only the whole credential unlocks', async () => {
    const credential = await largeSdJwt();
    const content = await renderer.contentOf(credential, tenant);
    expect(content.title).toBe('DemoPermit');
    expect(content.qr.carries).toBe('ref');
    const prefix = `${links.checkUrl}#ref=${links.issuerUrl}/certificates/`;
    expect(content.qr.text.startsWith(prefix)).toBe(true);
    const [hash, secret] = content.qr.text.slice(prefix.length).split('/');
    const reference = parseCertificateReference(hash!, secret!)!;
    expect(reference.credentialHash).toBe(content.credentialHash);
    expect(referenceSecretMatches(reference.secret, credential.encoded)).toBe(true);
    // A verifier shown all but one disclosure knows the credential hash but cannot make the secret.
    const partial = credential.encoded.split('~').filter((_, i, all) => i !== all.length - 2).join('~');
    expect(referenceSecretMatches(reference.secret, partial)).toBe(false);
    expect(decodeDrawnQr(readPdf(await renderer.draw(content)).rects)).toBe(content.qr.text);
  });

  it('chooses error-correction level M while the credential fits, then L, then a reference', () => {
    const ref = 'http://localhost:3001/certificates/x';
    expect(certificateQr(links.checkUrl, 'a'.repeat(1500), ref)).toMatchObject({ carries: 'vc', level: 'M' });
    // Byte mode, version 40: M holds 2,331 bytes, L 2,953.
    expect(certificateQr(links.checkUrl, 'a'.repeat(2500), ref)).toMatchObject({ carries: 'vc', level: 'L' });
    expect(certificateQr(links.checkUrl, 'a'.repeat(3000), ref)).toMatchObject({ carries: 'ref', level: 'M', text: `${links.checkUrl}#ref=${ref}` });
  });
});

describe('claimRows: the claim table', () => {
  it('labels claims by their schema titles, flattens nested objects and says 예/아니오', () => {
    const schema = { properties: { residence: { title: '거주지', properties: { city: { title: '시·도' }, district: {} } }, member: { title: '회원' } } };
    expect(claimRows({ id: 'did:example:x', residence: { city: '서울특별시', district: '마포구' }, member: false, tags: ['a', 'b'], items: [{ n: 1 }, { n: 2 }] }, schema)).toEqual([
      { label: '거주지 · 시·도', value: '서울특별시' },
      { label: '거주지 · district', value: '마포구' },
      { label: '회원', value: '아니오' },
      { label: 'tags', value: 'a, b' },
      { label: 'items · 1 · n', value: '1' },
      { label: 'items · 2 · n', value: '2' },
    ]);
  });

  it('never prints what looks like a resident registration number, however it is written', () => {
    for (const { text } of disguisedResidentRegistrationNumbers()) {
      expect(claimRows({ note: `번호 ${text}` }), text).toEqual([{ label: 'note', value: WITHHELD_VALUE }]);
    }
    expect(claimRows({ note: '번호 없음' })).toEqual([{ label: 'note', value: '번호 없음' }]);
  });
});

describe('koreanTime', () => {
  it('shows an instant in KST (UTC+9), across the date line', () => {
    expect(koreanTime('2026-12-31T15:30:00Z')).toBe('2027년 1월 1일 00:30 (KST)');
  });
});
