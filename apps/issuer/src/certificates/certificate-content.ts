import { credentialTypeInfo, isCredentialType } from '@citycred/credentials';
import { credentialFormat, credentialHashInput, type CredentialFormatId } from '@citycred/formats';
import { createHash } from 'node:crypto';
import { certificateQr, certificateReference, type CertificateQr } from './certificate-qr.js';
import { claimRows, type ClaimRow } from './claim-rows.js';

/** An issued credential as the certificate needs it (an `IssuedCredentialEntity` fits). */
export interface CertifiedCredential {
  readonly id: string;
  readonly type: string;
  readonly format: CredentialFormatId;
  /** The credential as issued: a compact JWT, or an SD-JWT with every disclosure. */
  readonly encoded: string;
  /** ISO 8601 instant. */
  readonly issuedAt: string;
  /** ISO 8601 instant, or null when the credential does not expire by time. */
  readonly expiresAt: string | null;
}

/** The issuing tenant as the certificate names it. */
export interface CertifyingTenant {
  /** The department's (or employer's) name, e.g. 서울특별시 시민카드과. */
  readonly name: string;
  /** Its English name (`tenants.name_en`), printed beside the Korean one; null or absent: none. */
  readonly nameEn?: string | null;
  readonly did: string;
}

/** Where the certificate points its reader. */
export interface CertificateLinks {
  /** The verifier's public check page (`CERTIFICATE_CHECK_URL`). */
  readonly checkUrl: string;
  /** The issuer's public base URL: references are `<issuerUrl>/certificates/<reference>`. */
  readonly issuerUrl: string;
}

/** Everything a certificate says, laid out by the renderer; the one input the PDF is drawn from. */
export interface CertificateContent {
  /** The type's Korean label, or an open type's own name. */
  readonly title: string;
  /** The type's English label, for catalogue types. */
  readonly subtitle?: string;
  readonly department: string;
  /** The issuing tenant's English name, when it has one. */
  readonly departmentEn?: string;
  readonly issuerDid: string;
  readonly rows: readonly ClaimRow[];
  /** Issuance instant in Korea Standard Time, e.g. `2026년 3월 2일 18:00 (KST)`. */
  readonly issuedAt: string;
  /** Expiry in KST, or `기한 없음`. */
  readonly validUntil: string;
  readonly credentialId: string;
  /** 0x-prefixed SHA-256 of the anchored part: what the chain's Merkle root covers. */
  readonly credentialHash: string;
  readonly format: CredentialFormatId;
  readonly qr: CertificateQr;
}

/**
 * What the certificate of an issued credential says. The claims are read from the credential's own bytes (all
 * disclosures of an SD-JWT), never from anything stored beside it, so a certificate shows exactly what its QR proves.
 * @param schema - the type's credentialSubject JSON Schema, whose property titles label the claims
 * @throws FormatError when the stored bytes do not decode in their format (a fault of ours, not the caller's)
 */
export function certificateContent(credential: CertifiedCredential, tenant: CertifyingTenant, links: CertificateLinks, schema?: unknown): CertificateContent {
  const decoded = credentialFormat(credential.format).decode(credential.encoded);
  const credentialHash = `0x${createHash('sha256').update(credentialHashInput(credential.encoded), 'utf8').digest('hex')}`;
  const reference = certificateReference(credentialHash, credential.encoded);
  const labels = isCredentialType(credential.type) ? credentialTypeInfo(credential.type).labels : undefined;
  return {
    title: labels?.ko ?? credential.type,
    ...(labels ? { subtitle: labels.en } : {}),
    department: tenant.name,
    ...(tenant.nameEn ? { departmentEn: tenant.nameEn } : {}),
    issuerDid: tenant.did,
    rows: claimRows(decoded.claims, schema),
    issuedAt: koreanTime(credential.issuedAt),
    validUntil: credential.expiresAt === null ? '기한 없음' : koreanTime(credential.expiresAt),
    credentialId: credential.id,
    credentialHash,
    format: credential.format,
    qr: certificateQr(links.checkUrl, credential.encoded, `${links.issuerUrl.replace(/\/+$/, '')}/certificates/${reference}`),
  };
}

/** Korea has had no daylight saving time since 1988: KST is UTC+9 all year. */
const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

/**
 * An instant as Koreans read it, in KST: `2026년 3월 2일 18:00 (KST)`.
 * @param iso - an ISO 8601 instant
 */
export function koreanTime(iso: string): string {
  const kst = new Date(new Date(iso).getTime() + KST_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${kst.getUTCFullYear()}년 ${kst.getUTCMonth() + 1}월 ${kst.getUTCDate()}일 ${pad(kst.getUTCHours())}:${pad(kst.getUTCMinutes())} (KST)`;
}
