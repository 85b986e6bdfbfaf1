// fontkit (pdfkit's font engine) ships no typings; the renderer needs only this much of it.
declare module 'fontkit' {
  /** A parsed font. pdfkit accepts one wherever it takes font bytes, and subsets it per document. */
  export interface Font {
    layout(text: string): unknown;
  }
  /** Parses font bytes (TrueType, OpenType, WOFF). */
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
