import { Module, type DynamicModule } from '@nestjs/common';
import { credentialSchema, isCatalogueType } from '@citycred/credentials';
import { issuerPublicUrl } from '../config.js';
import { TypeSchemas } from '../issuance/type-schemas.js';
import type { IssuerRuntime } from '../runtime.js';
import { CertificateRenderer, type ClaimSchemaSource } from './certificate-renderer.js';
import { CertificatesController } from './certificates.controller.js';
import { IssuedCredentials } from './issued-credentials.js';

/**
 * Printable certificates (docs/certificates.md): `GET /credentials/{id}/certificate.pdf` for the tenant's API key and
 * the public `GET /certificates/{credentialHash}/{secret}`. Global, so other transports (the console) inject the
 * {@link CertificateRenderer} without importing this module a second time (its routes would be registered twice).
 */
@Module({})
export class CertificatesModule {
  static register(runtime: IssuerRuntime): DynamicModule {
    const typeSchemas = new TypeSchemas(runtime.dataSource, runtime.clock);
    // Catalogue types carry their schema in the package; open types the one their tenant registered, if any.
    const schemaOf: ClaimSchemaSource = async (credential) => {
      if (isCatalogueType(credential.type)) return credentialSchema(credential.type);
      if (credential.tenantId === undefined) return undefined;
      return (await typeSchemas.find(credential.tenantId, credential.type))?.document;
    };
    const renderer = new CertificateRenderer({ checkUrl: runtime.config.CERTIFICATE_CHECK_URL, issuerUrl: issuerPublicUrl(runtime.config) }, schemaOf, runtime.clock);
    return {
      module: CertificatesModule,
      global: true,
      controllers: [CertificatesController],
      providers: [
        { provide: CertificateRenderer, useValue: renderer },
        { provide: IssuedCredentials, useValue: new IssuedCredentials(runtime.dataSource) },
      ],
      exports: [CertificateRenderer],
    };
  }
}
