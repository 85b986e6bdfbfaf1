import { QrSvg } from '@citycred/web-ui';
import type { ReactNode } from 'react';

/**
 * A QR code in its labelled box (`<div id class="qr">`, which the page's style sheet sizes): the shared SVG QR code of
 * `@citycred/web-ui`, drawn in the page from the link the API answered — no markup comes from the server. Empty while
 * there is nothing to show.
 */
export function QrCode({ id, text, label }: { id: string; text: string | null; label: string }): ReactNode {
  return (
    <div id={id} className="qr">
      {text !== null && <QrSvg text={text} label={label} className="qr-symbol" />}
    </div>
  );
}
