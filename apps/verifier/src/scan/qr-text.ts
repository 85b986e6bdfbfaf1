// The text of a wallet's presentation QR code (docs/presentations.md, "The QR code"), read the same way by
// POST /scan/presentations and the scanner's offline module: browser-safe, nothing else imported.

/** What the text of a wallet's presentation QR code starts with, before the presentation (docs/presentations.md). */
export const PRESENTATION_QR_PREFIX = 'citycred-vp:';

/**
 * The text of a QR code after its `citycred-vp:` prefix (in any case, as a URI scheme), without the white space a
 * scanner may add around it: the presentation, and `#<anchor code>` when the code carries one.
 */
export function presentationOfQrText(text: string): string {
  const trimmed = text.trim();
  return trimmed.slice(0, PRESENTATION_QR_PREFIX.length).toLowerCase() === PRESENTATION_QR_PREFIX ? trimmed.slice(PRESENTATION_QR_PREFIX.length).trim() : trimmed;
}
