import { describe, expect, it } from 'vitest';
import { looksLikePdf, pageScales } from './pdf-qr.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('the check page’s reading of a certificate PDF', () => {
  it('takes bytes for a PDF when %PDF- is within the first kilobyte, as PDF readers do', () => {
    expect(looksLikePdf(bytes('%PDF-1.3\n%\xff\xff\xff\xff\n1 0 obj'))).toBe(true);
    expect(looksLikePdf(bytes(`${' '.repeat(1000)}%PDF-1.7`))).toBe(true);
    expect(looksLikePdf(bytes(`${' '.repeat(1020)}%PDF-1.7`))).toBe(false);
    expect(looksLikePdf(bytes('\x89PNG\r\n\x1a\n'))).toBe(false);
    expect(looksLikePdf(new Uint8Array())).toBe(false);
  });

  it('draws an A4 page at 4 then 2, and a huge page small enough for a phone’s canvas', () => {
    expect(pageScales(595.28, 841.89)).toEqual([4, 2]);
    const [first, ...rest] = pageScales(14_400, 14_400);
    expect(rest).toEqual([]);
    expect(first! * 14_400).toBeLessThanOrEqual(8_192);
    const tall = pageScales(595, 20_000);
    expect(tall).toHaveLength(1);
    expect(tall[0]! * 595 * tall[0]! * 20_000).toBeLessThanOrEqual(16_000_000);
  });
});
