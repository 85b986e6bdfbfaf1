import QRCode from 'qrcode';
import { useMemo, type ReactNode } from 'react';

/** Modules of white around the symbol, as ISO/IEC 18004 asks. */
const QUIET_ZONE = 4;

/** How much of a QR code may be damaged and still read: L 7 %, M 15 % (denser codes for the same text as it rises). */
export type QrLevel = 'L' | 'M';

/**
 * The SVG path of a QR code's dark modules and the symbol's side in modules, quiet zone included, from the `qrcode`
 * package's matrix (`QRCode.create`, plain JavaScript that runs in the browser).
 */
export function qrPath(text: string, level: QrLevel): { size: number; path: string } {
  const code = QRCode.create(text, { errorCorrectionLevel: level });
  const count = code.modules.size;
  let path = '';
  for (let row = 0; row < count; row += 1) {
    for (let column = 0; column < count; column += 1) {
      if (code.modules.data[row * count + column]) path += `M${column + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
    }
  }
  return { size: count + 2 * QUIET_ZONE, path };
}

/**
 * A QR code drawn in the page as SVG (the wallet's, the issuer's console and demo page's, the verifier's /scan and
 * /apply): one path of dark modules on white, crisp at any size and on any screen, no canvas, no inline style and no
 * markup from a server — only the text is given. An image to assistive technology, named by `label`.
 * @param text - what the code says (an offer or request link, a presentation)
 * @param label - its accessible name
 * @param level - error correction (default M; L for the longest texts, e.g. the wallet's presentation QR)
 * @param id - the `<svg>`'s id
 * @param className - its class (default `qr`, which the pages size)
 */
export function QrSvg({ text, label, level = 'M', id, className = 'qr' }: { text: string; label: string; level?: QrLevel; id?: string; className?: string }): ReactNode {
  const { size, path } = useMemo(() => qrPath(text, level), [text, level]);
  return (
    <svg className={className} id={id} role="img" aria-label={label} focusable="false" viewBox={`0 0 ${size} ${size}`} shapeRendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
      <rect width={size} height={size} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}
