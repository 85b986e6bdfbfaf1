import jsQRModule from 'jsqr';
import { describe, expect, it } from 'vitest';
import { qrPath } from './qr-svg.js';

// The package is CommonJS: in Node its function is the module's `default`, in a bundle the import itself.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as typeof jsQRModule;

/** Paints the dark modules of a {@link qrPath} path black on white, `scale` pixels a module, and reads it with jsQR. */
function read({ size, path }: { size: number; path: string }, scale = 4): string | undefined {
  const side = size * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const [, x, y] of path.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    for (let dy = 0; dy < scale; dy += 1) {
      for (let dx = 0; dx < scale; dx += 1) {
        const at = ((Number(y) * scale + dy) * side + Number(x) * scale + dx) * 4;
        pixels.fill(0, at, at + 3);
      }
    }
  }
  return jsQR(pixels, side, side)?.data;
}

describe('QrSvg (the QR code the pages draw)', () => {
  const link = 'openid-credential-offer://?credential_offer_uri=http%3A%2F%2F127.0.0.1%3A3001%2Foid4vci%2Foffers%2F9c1f0e7a-2d4b-4f6a-8e3c-5b7d9a1c3e5f';

  it('draws a code that reads back as the text, with a quiet zone of four modules on every side', () => {
    const drawn = qrPath(link, 'M');
    expect(read(drawn)).toBe(link);
    const modules = [...drawn.path.matchAll(/M(\d+) (\d+)/g)].flatMap(([, x, y]) => [Number(x), Number(y)]);
    expect(Math.min(...modules)).toBe(4);
    expect(Math.max(...modules)).toBe(drawn.size - 5);
  });

  it('makes a denser code for the same text at a higher error correction level', () => {
    const long = `citycred-vp:${'a'.repeat(600)}`;
    expect(qrPath(long, 'M').size).toBeGreaterThan(qrPath(long, 'L').size);
    expect(read(qrPath(long, 'L'))).toBe(long);
  });
});
