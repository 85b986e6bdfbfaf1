import { createHash, timingSafeEqual } from 'node:crypto';
import { normalizeHex32 } from '@citycred/anchoring';
import QRCode from 'qrcode';

/** Error-correction levels a certificate's QR may use: M (15 %) while it fits, else L (7 %). */
export type QrLevel = 'M' | 'L';

/** What a certificate's QR code says, and the code itself. */
export interface CertificateQr {
  /** The URL the QR encodes. */
  readonly text: string;
  /** Whether the credential itself is in the URL (`vc`) or only a reference to fetch it by (`ref`). */
  readonly carries: 'vc' | 'ref';
  readonly level: QrLevel;
  /** The QR symbol: `size` × `size` modules, row by row, true for dark. */
  readonly size: number;
  readonly dark: readonly boolean[];
}

/**
 * The QR of a certificate: the check page's URL with the whole credential in the fragment (`#vc=<credential>`; a
 * fragment never reaches a server or its logs), at error-correction level M, else L; a credential too large for any
 * QR at L (an SD-JWT with many disclosures) is replaced by its reference (`#ref=<issuer>/certificates/<reference>`),
 * from which the page fetches it.
 * @param checkUrl - the verifier's public check page (`CERTIFICATE_CHECK_URL`)
 * @param encoded - the credential as issued (compact JWT or SD-JWT with every disclosure)
 * @param referenceUrl - the public URL that serves this credential ({@link certificateReference})
 */
export function certificateQr(checkUrl: string, encoded: string, referenceUrl: string): CertificateQr {
  const withCredential = `${checkUrl}#vc=${encoded}`;
  for (const level of ['M', 'L'] as const) {
    const symbol = qrSymbol(withCredential, level);
    if (symbol) return { text: withCredential, carries: 'vc', level, ...symbol };
  }
  const withReference = `${checkUrl}#ref=${referenceUrl}`;
  const symbol = qrSymbol(withReference, 'M');
  if (!symbol) throw new Error('the check page URL is too long for a QR code');
  return { text: withReference, carries: 'ref', level: 'M', ...symbol };
}

/** The symbol for `text`, or undefined when it does not fit a QR code (version 40) at this level. */
function qrSymbol(text: string, level: QrLevel): { size: number; dark: boolean[] } | undefined {
  let code: ReturnType<typeof QRCode.create>;
  try {
    code = QRCode.create(text, { errorCorrectionLevel: level });
  } catch (error) {
    // qrcode 1.5 has no error codes: its one "too big" message is the only way to tell capacity from a fault.
    if (error instanceof Error && error.message.includes('amount of data is too big')) return undefined;
    throw error;
  }
  return { size: code.modules.size, dark: Array.from(code.modules.data, (bit) => bit === 1) };
}

const REFERENCE_LABEL = 'citycred/certificate-reference/v1\n';
const HASH_PATTERN = /^(?:0x)?([0-9a-fA-F]{64})$/;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The public reference of an issued credential: `<credentialHash hex>/<secret>` where the secret is the base64url
 * SHA-256 of a label and the credential exactly as issued, every disclosure included. The hash finds the row; the
 * secret proves the caller held the whole credential. The credential hash alone is not enough: every verifier that
 * saw a selective presentation of an SD-JWT can compute it (it covers only the issuer-signed part), while the
 * disclosures it was not shown carry 128-bit salts it cannot guess.
 * @param credentialHash - the 0x-prefixed SHA-256 of the anchored part
 * @param encoded - the credential as issued
 */
export function certificateReference(credentialHash: string, encoded: string): string {
  return `${normalizeHex32(credentialHash).slice(2)}/${referenceSecret(encoded)}`;
}

/**
 * Reads the two path segments of a reference given to the public route.
 * @returns the 0x-prefixed credential hash it names and its secret, or undefined when they are not shaped like a reference
 */
export function parseCertificateReference(hash: string, secret: string): { credentialHash: string; secret: string } | undefined {
  const match = HASH_PATTERN.exec(hash);
  return match && SECRET_PATTERN.test(secret) ? { credentialHash: `0x${match[1]!.toLowerCase()}`, secret } : undefined;
}

/** Whether `secret` is the reference secret of `encoded` (compared in constant time). */
export function referenceSecretMatches(secret: string, encoded: string): boolean {
  const expected = Buffer.from(referenceSecret(encoded));
  const given = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function referenceSecret(encoded: string): string {
  return createHash('sha256').update(REFERENCE_LABEL, 'utf8').update(encoded, 'utf8').digest('base64url');
}
