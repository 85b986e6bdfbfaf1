import QRCode from 'qrcode';
import { useMemo, type ReactNode } from 'react';

/** Modules of white around the symbol, as ISO/IEC 18004 asks. */
const QUIET_ZONE = 4;

/**
 * A QR code drawn as SVG from the `qrcode` package's matrix (`QRCode.create`, the same package the verifier and the
 * issuer's console draw theirs with; its matrix code is plain JavaScript that runs in the browser): one path of dark
 * modules, crisp at any size, no canvas, no inline style.
 * @param text - what the code says
 * @param label - its accessible name
 */
export function QrSvg({ text, label, id }: { text: string; label: string; id?: string }): ReactNode {
  const { size, path } = useMemo(() => {
    const code = QRCode.create(text, { errorCorrectionLevel: 'L' });
    const count = code.modules.size;
    let d = '';
    for (let row = 0; row < count; row += 1) {
      for (let column = 0; column < count; column += 1) {
        if (code.modules.data[row * count + column]) d += `M${column + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
      }
    }
    return { size: count + 2 * QUIET_ZONE, path: d };
  }, [text]);
  return (
    <svg className="qr" id={id} role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} shapeRendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
      <rect width={size} height={size} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}
