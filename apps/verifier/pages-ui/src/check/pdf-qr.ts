// The check page's reading of a certificate PDF (docs/certificates.md, "The check page"): PDF.js (pdfjs-dist, which the
// verifier serves from its npm package at /check/pdf.min.mjs, loaded only when a PDF is chosen) draws each page onto a
// canvas, and the QR reader (`decode`) reads it.
import type * as PdfJs from 'pdfjs-dist';

/** The largest PDF the page reads: a certificate is tens of kilobytes; a phone should not parse a whole archive. */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
/** The pages searched, from the first: a certificate has one; a long document is not searched to its end. */
export const MAX_PDF_PAGES = 10;
/**
 * The scales a page is drawn at, in turn, until its QR code reads: the issuer draws a dense QR code as vector
 * rectangles of about 1.4 pt per module, which jsQR reads reliably at 4 (5–6 pixels per module) and mostly at 2.
 */
const SCALES = [4, 2];
/** The most pixels one drawn page may have (a phone browser's canvas limit is about 16.7 million), and its longest side. */
const MAX_AREA = 16_000_000;
const MAX_SIDE = 8_192;
/** Where the verifier serves PDF.js and its module worker (same origin, the check page's CSP). */
const PDFJS_URL = '/check/pdf.min.mjs';
const PDFJS_WORKER_URL = '/check/pdf.worker.min.mjs';

/** Why no QR code came out of a PDF. */
export type PdfProblem = 'too-large' | 'not-pdf' | 'locked' | 'no-qr' | 'unavailable';

/** Whether bytes start like a PDF: `%PDF-` within the first kilobyte, as PDF readers accept it. */
export function looksLikePdf(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return head.includes('%PDF-');
}

/**
 * The scales to draw a page of `width` × `height` points at: {@link SCALES}, each lowered so that the canvas stays
 * within {@link MAX_AREA} pixels and {@link MAX_SIDE} on a side, without repeats.
 */
export function pageScales(width: number, height: number): number[] {
  const limit = Math.min(Math.sqrt(MAX_AREA / Math.max(1, width * height)), MAX_SIDE / Math.max(1, width, height));
  return [...new Set(SCALES.map((scale) => Math.min(scale, limit)))];
}

let pdfjsLoaded: Promise<typeof PdfJs> | undefined;

function pdfjs(): Promise<typeof PdfJs> {
  pdfjsLoaded ??= (import(/* @vite-ignore */ PDFJS_URL) as Promise<typeof PdfJs>).then((module) => {
    module.GlobalWorkerOptions.workerSrc = new URL(PDFJS_WORKER_URL, location.href).href;
    return module;
  });
  return pdfjsLoaded;
}

/**
 * The text of the first QR code found in a PDF, searching its pages in order.
 * @param decode - reads the QR code a drawn page holds (the QR reader's `decodeContext`)
 * @param onPage - told which page is being searched
 * @returns `too-large`: over {@link MAX_PDF_BYTES}; `not-pdf`: not a PDF, or one too damaged to read; `locked`: it needs a
 *   password; `no-qr`: none on the first {@link MAX_PDF_PAGES} pages; `unavailable`: PDF.js did not load
 */
export async function readPdfQr(
  file: File,
  decode: (context: CanvasRenderingContext2D, width: number, height: number) => string | undefined,
  onPage?: (page: number, pages: number) => void,
): Promise<{ text: string } | { problem: PdfProblem }> {
  if (file.size > MAX_PDF_BYTES) return { problem: 'too-large' };
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!looksLikePdf(bytes)) return { problem: 'not-pdf' };
  let library: typeof PdfJs;
  try {
    library = await pdfjs();
  } catch {
    pdfjsLoaded = undefined;
    return { problem: 'unavailable' };
  }
  // No eval (the page's CSP forbids it, and PDF.js does without), no fetching of fonts or anything else: the PDF is read
  // from the bytes given, and its text need not look right for its QR code to read.
  const task = library.getDocument({ data: bytes, isEvalSupported: false, verbosity: 0, disableAutoFetch: true, disableStream: true, disableFontFace: true });
  let pdf: PdfJs.PDFDocumentProxy;
  try {
    pdf = await task.promise;
  } catch (error) {
    await task.destroy();
    return { problem: error && (error as { name?: unknown }).name === 'PasswordException' ? 'locked' : 'not-pdf' };
  }
  try {
    const pages = Math.min(pdf.numPages, MAX_PDF_PAGES);
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    let drawn = 0;
    for (let number = 1; number <= pages; number += 1) {
      onPage?.(number, pages);
      let page: PdfJs.PDFPageProxy;
      try {
        page = await pdf.getPage(number);
      } catch {
        continue;
      }
      const { width, height } = page.getViewport({ scale: 1 });
      for (const scale of pageScales(width, height)) {
        const viewport = page.getViewport({ scale });
        canvas.width = Math.ceil(viewport.width);
        canvas.height = Math.ceil(viewport.height);
        try {
          await page.render({ canvasContext: context, viewport, background: '#ffffff' }).promise;
        } catch {
          break;
        }
        drawn += 1;
        const text = decode(context, canvas.width, canvas.height);
        if (text !== undefined) return { text };
      }
      page.cleanup();
    }
    return { problem: drawn === 0 ? 'not-pdf' : 'no-qr' };
  } finally {
    await pdf.destroy();
  }
}
