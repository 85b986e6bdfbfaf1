import { Controller, Get, Inject, Param, Res, UseGuards } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { RateLimited, type HttpReply } from '@citycred/http';
import type { TenantEntity } from '@citycred/persistence';
import { ApiKeyGuard } from '../tenants/api-key.guard.js';
import { CurrentTenant } from '../tenants/current-tenant.js';
import { parseCertificateReference, referenceSecretMatches } from './certificate-qr.js';
import { CertificateRenderer } from './certificate-renderer.js';
import { IssuedCredentials } from './issued-credentials.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Longest credential id stored (`issued_credentials.id`). */
const MAX_ID_LENGTH = 100;

/** Printable certificates: the tenant's PDF download and the public reference a large certificate's QR points to. */
@Controller()
export class CertificatesController {
  constructor(
    @Inject(CertificateRenderer) private readonly renderer: CertificateRenderer,
    @Inject(IssuedCredentials) private readonly credentials: IssuedCredentials,
  ) {}

  /**
   * `GET /credentials/{id}/certificate.pdf` with the tenant's API key: the A4 certificate of one of its credentials
   * (`urn:uuid:…`, or the bare UUID). 404 `credential.not-found` for an id it did not issue, another tenant's included.
   */
  @Get('credentials/:id/certificate.pdf')
  @UseGuards(ApiKeyGuard)
  async certificate(@CurrentTenant() tenant: TenantEntity, @Param('id') raw: string, @Res() reply: HttpReply): Promise<void> {
    const id = UUID.test(raw) ? `urn:uuid:${raw.toLowerCase()}` : raw;
    const credential = id.length <= MAX_ID_LENGTH ? await this.credentials.ofTenant(tenant.id, id) : null;
    if (!credential) throw new AppError(ErrorCode.CredentialNotFound, 'This tenant issued no credential with this id.');
    const pdf = await this.renderer.render(credential, tenant);
    void reply
      .status(200)
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${certificateFileName(credential.id)}"`)
      // The PDF carries the subject's claims: no shared cache may keep it.
      .header('cache-control', 'no-store')
      .send(pdf);
  }

  /**
   * `GET /certificates/{credentialHash}/{secret}`, public: the credential a certificate's QR refers to when the
   * credential itself did not fit the QR, as `{format, credential}` (the reference: docs/certificates.md);
   * a wrong secret is answered exactly like an unknown hash. Any origin may read it (the verifier's check page
   * fetches it from the browser); nobody may cache it.
   */
  @Get('certificates/:credentialHash/:secret')
  @RateLimited()
  async byReference(@Param('credentialHash') hash: string, @Param('secret') secret: string, @Res() reply: HttpReply): Promise<void> {
    const reference = parseCertificateReference(hash, secret);
    const credential = reference ? await this.credentials.byHash(reference.credentialHash) : null;
    if (!reference || !credential || !referenceSecretMatches(reference.secret, credential.encoded)) {
      throw new AppError(ErrorCode.CredentialNotFound, 'No certificate has this reference.');
    }
    void reply
      .status(200)
      .header('access-control-allow-origin', '*')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .send({ format: credential.format, credential: credential.encoded });
  }
}

/**
 * An ASCII file name for `Content-Disposition`: `certificate-<uuid>.pdf`, or the id with everything but letters,
 * digits, dot, dash and underscore replaced (no quote or non-ASCII character can break the header).
 */
export function certificateFileName(credentialId: string): string {
  const stem = credentialId.replace(/^urn:uuid:/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80);
  return `certificate-${stem || 'credential'}.pdf`;
}
