import { deflateSync } from 'node:zlib';

/** The wallet's colours: the city's blue, white and a gold chip (the pages' palette). */
const BLUE = [11, 61, 145] as const;
const WHITE = [255, 255, 255] as const;
const GOLD = [232, 162, 0] as const;

type Rgb = readonly [number, number, number];

/**
 * What the icon shows at a point (x, y in 0..1 of the square): the city's blue filling the whole square (so the same
 * picture serves as a maskable icon: everything else lies inside the central 80 % safe zone), a white card with a
 * blue stripe and a gold chip.
 */
function colourAt(x: number, y: number): Rgb {
  const card = { left: 0.2, right: 0.8, top: 0.3, bottom: 0.7, radius: 0.06 };
  if (!insideRoundedRect(x, y, card)) return BLUE;
  if (y >= 0.38 && y <= 0.45) return BLUE;
  if (insideRoundedRect(x, y, { left: 0.28, right: 0.4, top: 0.52, bottom: 0.62, radius: 0.02 })) return GOLD;
  return WHITE;
}

function insideRoundedRect(x: number, y: number, r: { left: number; right: number; top: number; bottom: number; radius: number }): boolean {
  if (x < r.left || x > r.right || y < r.top || y > r.bottom) return false;
  const cx = Math.min(Math.max(x, r.left + r.radius), r.right - r.radius);
  const cy = Math.min(Math.max(y, r.top + r.radius), r.bottom - r.radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r.radius ** 2;
}

/**
 * The wallet's icon as a PNG of `size` × `size` pixels, drawn here (4 × 4 samples a pixel for smooth edges) and
 * encoded without any image library: 8-bit RGB, no filter, one zlib stream.
 */
export function walletIconPng(size: number): Buffer {
  const samples = 4;
  const rows = Buffer.alloc(size * (size * 3 + 1));
  for (let py = 0; py < size; py += 1) {
    const row = py * (size * 3 + 1);
    rows[row] = 0;
    for (let px = 0; px < size; px += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const [cr, cg, cb] = colourAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          r += cr;
          g += cg;
          b += cb;
        }
      }
      const n = samples * samples;
      rows.set([Math.round(r / n), Math.round(g / n), Math.round(b / n)], row + 1 + px * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** The same picture as SVG, for browsers that take a scalable icon (and the page's favicon). */
export const WALLET_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" role="img" aria-label="CityCred">
<rect width="100" height="100" fill="rgb(${BLUE.join(',')})"/>
<rect x="20" y="30" width="60" height="40" rx="6" fill="#fff"/>
<rect x="20" y="38" width="60" height="7" fill="rgb(${BLUE.join(',')})"/>
<rect x="28" y="52" width="12" height="10" rx="2" fill="rgb(${GOLD.join(',')})"/>
</svg>
`;

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
