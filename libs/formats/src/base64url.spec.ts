import { describe, expect, it } from 'vitest';
import { decodeBase64url, decodeBase64urlText, encodeBase64url, utf8Text } from './base64url.js';
import { FormatErrorCode } from './types.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('base64url', () => {
  it('encodes without padding in the URL-safe alphabet, like Buffer does', () => {
    for (let length = 0; length < 40; length++) {
      const input = Uint8Array.from({ length }, (_, i) => (i * 97 + 251) & 0xff);
      expect(encodeBase64url(input)).toBe(Buffer.from(input).toString('base64url'));
      expect(decodeBase64url(encodeBase64url(input))).toEqual(input);
    }
    expect(encodeBase64url(bytes(0xfb, 0xff))).toBe('-_8');
    expect(encodeBase64url('서울')).toBe(Buffer.from('서울').toString('base64url'));
  });

  it.each([
    ['padding', 'QQ=='],
    ['the standard alphabet', 'a+b/'],
    ['whitespace', 'QUJD RA'],
    ['a length of 4n+1', 'QUJDR'],
    ['non-zero trailing bits', 'QR'],
  ])('refuses %s', (_name, text) => {
    expect(() => decodeBase64url(text)).toThrow(expect.objectContaining({ code: FormatErrorCode.Malformed }));
  });

  it('accepts the one canonical encoding that Buffer would also read', () => {
    expect(decodeBase64url('QQ')).toEqual(bytes(0x41));
    expect(decodeBase64urlText('7ISc7Jq4')).toBe('서울');
  });

  it('refuses bytes that are not UTF-8 when text is expected', () => {
    expect(() => utf8Text(bytes(0xc3, 0x28))).toThrow(expect.objectContaining({ code: FormatErrorCode.Malformed }));
  });
});
