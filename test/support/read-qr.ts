import jsQRModule from 'jsqr';
import type { Browser } from 'playwright-core';

const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

/**
 * The text of the QR code in a screenshot: Chromium (a fresh context of `browser`, closed after) decodes the PNG onto a
 * canvas, jsQR reads its pixels. A code of some 150 modules drawn at a fractional number of pixels per module is read
 * more reliably enlarged, as a phone's camera would see it from closer: 1.5×, else 2× or 1×.
 * @throws Error when no scale yields a code
 */
export async function readQrCode(browser: Browser, png: Buffer): Promise<string> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    for (const scale of [1.5, 2, 1]) {
      const pixels = await page.evaluate(
        async ([base64, factor]) => {
          const image = new Image();
          image.src = `data:image/png;base64,${base64}`;
          await image.decode();
          const canvas = document.createElement('canvas');
          canvas.width = Math.round(image.naturalWidth * factor);
          canvas.height = Math.round(image.naturalHeight * factor);
          const context2d = canvas.getContext('2d')!;
          context2d.imageSmoothingEnabled = false;
          context2d.drawImage(image, 0, 0, canvas.width, canvas.height);
          const bytes = context2d.getImageData(0, 0, canvas.width, canvas.height).data;
          let binary = '';
          for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          return { width: canvas.width, height: canvas.height, data: btoa(binary) };
        },
        [png.toString('base64'), scale] as const,
      );
      const found = jsQR(new Uint8ClampedArray(Buffer.from(pixels.data, 'base64')), pixels.width, pixels.height);
      if (found) return found.data;
    }
    throw new Error('no QR code found in the screenshot');
  } finally {
    await context.close();
  }
}
