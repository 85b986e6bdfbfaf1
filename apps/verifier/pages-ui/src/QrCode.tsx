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

/**
 * The browsing context a same-device link into the wallet (`<WALLET_URL>/#present?…`, `#receive?…`) opens in: a tab of
 * its own, named so that the page's second link (the eligibility offer) reuses the wallet tab its first one opened —
 * still unlocked, the wallet reads the new fragment on `hashchange`. The page stays open meanwhile: it waits for the
 * wallet's answer and holds the application, whose id is in no link.
 */
export const WALLET_TARGET = 'citycred-wallet';
