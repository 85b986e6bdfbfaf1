import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Clock } from '@citycred/config';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { certificateContent, type CertificateContent, type CertificateLinks, type CertifiedCredential, type CertifyingTenant } from './certificate-content.js';

/** The Noto Sans KR weights the certificate is set in (SIL Open Font License 1.1; see NOTICE). */
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-kr/700Bold/NotoSansKR_700Bold.ttf',
} as const;

/** A4 in PostScript points. */
export const A4 = { width: 595.28, height: 841.89 } as const;
const MARGIN = 56;
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
/**
 * The QR's side: at least 1.4 pt (0.5 mm) per module, quiet zone included, so a dense code (a JWT of 1.5 KB is a
 * version 30-odd symbol) still prints modules a phone camera resolves; never under 150 pt nor over 240 pt.
 */
function qrSide(modules: number): number {
  return Math.min(240, Math.max(150, (modules + 8) * 1.4));
}

/** Where the footer (identifiers and QR) starts: the claim table must end above it. */
function footerTop(content: CertificateContent): number {
  return A4.height - MARGIN - qrSide(content.qr.size) - 34;
}
const LABEL_WIDTH = 160;
const CELL_PADDING = 5;
/** Claim table font sizes tried in turn until the table fits the one page. */
const TABLE_FONT_SIZES = [11, 10, 9, 8, 7] as const;
const GREY = '#555555';
const RULE = '#b8bec6';

/** Finds the credentialSubject JSON Schema of a credential's type (catalogue or a tenant's open type), if any. */
export type ClaimSchemaSource = (credential: CertifiedCredential & { readonly tenantId?: string }) => Promise<unknown>;

/**
 * Draws the printable certificate of an issued credential: one A4 page in Korean with the type's label, the issuing
 * department (with its English name when it has one), the subject's claims, the dates in KST, the credential id and
 * hash, and a QR code that opens the verifier's check page with the credential (see docs/certificates.md). The fonts
 * are embedded as subsets.
 * A plain class: the tenant route and the console's route both call it.
 */
export class CertificateRenderer {
  private readonly fonts: { regular: fontkit.Font; bold: fontkit.Font };

  /**
   * @param links - the check page and the issuer's public URL
   * @param schemaOf - where claim labels come from
   * @param clock - stamps the PDF's creation date
   * @throws Error when the font package is not installed (a packaging fault)
   */
  constructor(
    private readonly links: CertificateLinks,
    private readonly schemaOf: ClaimSchemaSource,
    private readonly clock: Clock,
  ) {
    const require = createRequire(import.meta.url);
    // Parsed once and shared by every document: parsing the 6 MB fonts and warming their layout caches again for each
    // certificate cost ~0.5 s of the event loop per PDF, sharing ~50 ms. Each document still makes its own subset.
    this.fonts = { regular: fontkit.create(readFileSync(require.resolve(FONT_FILES.regular))), bold: fontkit.create(readFileSync(require.resolve(FONT_FILES.bold))) };
  }

  /**
   * What the certificate will show (the renderer's only input besides the fonts).
   * @throws FormatError when the stored credential does not decode (a fault of ours)
   */
  async contentOf(credential: CertifiedCredential & { readonly tenantId?: string }, tenant: CertifyingTenant): Promise<CertificateContent> {
    return certificateContent(credential, tenant, this.links, await this.schemaOf(credential));
  }

  /**
   * The certificate as PDF bytes.
   * @throws FormatError when the stored credential does not decode (a fault of ours)
   */
  async render(credential: CertifiedCredential & { readonly tenantId?: string }, tenant: CertifyingTenant): Promise<Buffer> {
    return this.draw(await this.contentOf(credential, tenant));
  }

  /** Draws laid-out content onto one A4 page. */
  draw(content: CertificateContent): Promise<Buffer> {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 0,
      info: { Title: `${content.title} — ${content.department}`, Author: content.department, Creator: 'CityCred', CreationDate: this.clock.now() },
      lang: 'ko-KR',
      displayTitle: true,
    });
    // pdfkit takes a fontkit font where its typings say bytes (PDFFontFactory.open: any source with `layout`).
    doc.registerFont('regular', this.fonts.regular as unknown as PDFKit.Mixins.PDFFontSource);
    doc.registerFont('bold', this.fonts.bold as unknown as PDFKit.Mixins.PDFFontSource);
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    drawHeader(doc, content);
    drawClaims(doc, content, doc.y + 14);
    drawFooter(doc, content);
    doc.end();
    return done;
  }
}

function drawHeader(doc: PDFKit.PDFDocument, content: CertificateContent): void {
  doc.font('regular').fontSize(9).fillColor(GREY).text('서울특별시 CityCred · 검증 가능한 전자증명서', MARGIN, MARGIN, { width: CONTENT_WIDTH });
  doc.moveDown(0.8);
  doc.font('bold').fontSize(24).fillColor('black').text(content.title, { width: CONTENT_WIDTH });
  if (content.subtitle) doc.font('regular').fontSize(11).fillColor(GREY).text(content.subtitle, { width: CONTENT_WIDTH });
  doc.moveDown(0.8);
  for (const [label, value, english] of [
    ['발급기관', content.department, content.departmentEn],
    ['발급일시', content.issuedAt, undefined],
    ['유효기한', content.validUntil, undefined],
  ] as const) {
    const y = doc.y;
    doc.font('bold').fontSize(10.5).fillColor('black').text(label, MARGIN, y, { width: 70 });
    doc.font('regular').fontSize(10.5).text(value, MARGIN + 70, y, { width: CONTENT_WIDTH - 70 });
    // The English name right under the Korean one, smaller, as the type's English label sits under its title.
    if (english) doc.font('regular').fontSize(9).fillColor(GREY).text(english, MARGIN + 70, doc.y, { width: CONTENT_WIDTH - 70 });
    doc.moveDown(0.25);
  }
}

function drawClaims(doc: PDFKit.PDFDocument, content: CertificateContent, top: number): void {
  const valueWidth = CONTENT_WIDTH - LABEL_WIDTH - 2 * CELL_PADDING;
  const labelWidth = LABEL_WIDTH - 2 * CELL_PADDING;
  const bottom = footerTop(content) - 12;
  const available = bottom - top;
  let size: number = TABLE_FONT_SIZES[0];
  let heights: number[] = [];
  for (const candidate of TABLE_FONT_SIZES) {
    size = candidate;
    heights = content.rows.map((row) => rowHeight(doc, row.label, row.value, candidate, labelWidth, valueWidth));
    if (heights.reduce((a, b) => a + b, 0) <= available) break;
  }
  doc.lineWidth(0.6).strokeColor(RULE).moveTo(MARGIN, top).lineTo(MARGIN + CONTENT_WIDTH, top).stroke();
  let y = top;
  content.rows.forEach((row, index) => {
    // Rows that would run into the footer are cut rather than spilling onto a second page: one page is the promise.
    const height = Math.min(heights[index]!, bottom - y);
    if (height < size + 2 * CELL_PADDING) return;
    const textHeight = height - 2 * CELL_PADDING;
    doc.font('bold').fontSize(size).fillColor('black').text(row.label, MARGIN + CELL_PADDING, y + CELL_PADDING, { width: labelWidth, height: textHeight, ellipsis: true });
    doc.font('regular').fontSize(size).text(row.value, MARGIN + LABEL_WIDTH + CELL_PADDING, y + CELL_PADDING, { width: valueWidth, height: textHeight, ellipsis: true });
    y += height;
    doc.moveTo(MARGIN, y).lineTo(MARGIN + CONTENT_WIDTH, y).stroke();
  });
}

function rowHeight(doc: PDFKit.PDFDocument, label: string, value: string, size: number, labelWidth: number, valueWidth: number): number {
  const labelHeight = doc.font('bold').fontSize(size).heightOfString(label, { width: labelWidth });
  const valueHeight = doc.font('regular').fontSize(size).heightOfString(value, { width: valueWidth });
  return Math.max(labelHeight, valueHeight) + 2 * CELL_PADDING;
}

function drawFooter(doc: PDFKit.PDFDocument, content: CertificateContent): void {
  const top = footerTop(content);
  const side = qrSide(content.qr.size);
  doc.lineWidth(0.6).strokeColor(RULE).moveTo(MARGIN, top).lineTo(MARGIN + CONTENT_WIDTH, top).stroke();
  const qrLeft = MARGIN + CONTENT_WIDTH - side;
  const qrTop = top + 12;
  drawQr(doc, content, qrLeft, qrTop, side);
  doc.font('regular').fontSize(7.5).fillColor(GREY).text('스캔하여 진위 확인 · Scan to verify', qrLeft, qrTop + side + 2, { width: side, align: 'center' });

  const textWidth = CONTENT_WIDTH - side - 16;
  doc.font('bold').fontSize(9).fillColor('black').text('진위 확인 방법', MARGIN, top + 12, { width: textWidth });
  doc
    .font('regular')
    .fontSize(8.5)
    .text(
      'QR 코드를 스캔하면 검증 페이지가 이 증명서의 전자서명, 발급기관 인가, 폐기 여부, 블록체인 기록을 확인합니다. 종이에 인쇄된 내용만으로는 진위가 보증되지 않습니다.',
      { width: textWidth },
    );
  doc.moveDown(0.6);
  for (const [label, value] of [
    ['증명서 번호', content.credentialId],
    ['SHA-256 (블록체인에 기록된 해시)', content.credentialHash],
    ['발급기관 DID', content.issuerDid],
    ['형식', content.format],
  ] as const) {
    doc.font('bold').fontSize(6.5).fillColor(GREY).text(label, { width: textWidth });
    doc.font('regular').fontSize(6.5).fillColor('black').text(value, { width: textWidth });
  }
}

/**
 * Draws the QR as filled rectangles (one per horizontal run of dark modules) inside a 4-module quiet zone: sharp
 * at any print size, no image to embed.
 */
function drawQr(doc: PDFKit.PDFDocument, content: CertificateContent, left: number, top: number, side: number): void {
  const { size, dark } = content.qr;
  const module = side / (size + 8);
  const origin = { x: left + 4 * module, y: top + 4 * module };
  for (let row = 0; row < size; row += 1) {
    let column = 0;
    while (column < size) {
      if (!dark[row * size + column]) {
        column += 1;
        continue;
      }
      const start = column;
      while (column < size && dark[row * size + column]) column += 1;
      doc.rect(origin.x + start * module, origin.y + row * module, (column - start) * module, module);
    }
  }
  doc.fillColor('black').fill();
}
