/** The largest PDF the check page reads, in bytes. */
export const MAX_PDF_BYTES: number;

/** The pages of a PDF searched for a QR code, from the first. */
export const MAX_PDF_PAGES: number;

/** Why no QR code came out of a PDF. */
export type PdfProblem = 'too-large' | 'not-pdf' | 'locked' | 'no-qr' | 'unavailable';

/** Whether bytes start like a PDF (`%PDF-` within the first kilobyte). */
export function looksLikePdf(bytes: Uint8Array): boolean;

/** The scales a page of `width` × `height` points is drawn at, in turn, each within the canvas limits. */
export function pageScales(width: number, height: number): number[];

/** The text of the first QR code found in a PDF, or why there is none. */
export function readPdfQr(
  file: File,
  decode: (context: CanvasRenderingContext2D, width: number, height: number) => string | undefined,
  onPage?: (page: number, pages: number) => void,
): Promise<{ text: string } | { problem: PdfProblem }>;
