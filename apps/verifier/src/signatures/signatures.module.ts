import { Module, type DynamicModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { verifierPublicUrl } from '../public-url.js';
import type { VerifierRuntime } from '../runtime.js';
import { readSignPageBuild, SIGN_PAGE_BUILD, SignPageController } from './sign-page.controller.js';
import { SignatureReceipts } from './signature-receipts.js';
import { SIGNATURES_OID4VP, SIGNATURES_PUBLIC_URL, SignaturesController } from './signatures.controller.js';
import { Signatures } from './signatures.service.js';

/** Electronic signatures with the citizen card (docs/e-signature.md): `/signatures/*`, and the pages `/sign` and `/signatures/check`. */
@Module({})
export class SignaturesModule {
  static register(runtime: Pick<VerifierRuntime, 'config' | 'signatures'>): DynamicModule {
    return {
      module: SignaturesModule,
      controllers: [SignaturesController, SignPageController],
      providers: [
        { provide: Signatures, useValue: runtime.signatures.service },
        { provide: SIGN_PAGE_BUILD, useValue: readSignPageBuild() },
        { provide: SignatureReceipts, useValue: runtime.signatures.receipts },
        { provide: SIGNATURES_OID4VP, useValue: runtime.signatures.oid4vp },
        { provide: SIGNATURES_PUBLIC_URL, inject: [HttpAdapterHost], useFactory: (host: HttpAdapterHost) => () => verifierPublicUrl(runtime.config, host) },
      ],
    };
  }
}
