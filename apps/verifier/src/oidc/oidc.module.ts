import { Module, type DynamicModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { verifierPublicUrl } from '../public-url.js';
import type { VerifierRuntime } from '../runtime.js';
import { OIDC_PUBLIC_URL, OidcProviderController, SIGN_IN_OID4VP, SignInController } from './oidc.controller.js';
import { SignInService } from './sign-in.service.js';

/**
 * The verifier as an OpenID Provider for public facility sites (docs/oidc-provider.md): oidc-provider at `/oidc`
 * (discovery, JWKS, authorization, token), the sign-in page at `/sign-in/{uid}` and its OpenID4VP requests.
 */
@Module({})
export class OidcModule {
  static register(runtime: Pick<VerifierRuntime, 'config' | 'signIn'>): DynamicModule {
    return {
      module: OidcModule,
      controllers: [OidcProviderController, SignInController],
      providers: [
        { provide: SignInService, useValue: runtime.signIn.service },
        { provide: SIGN_IN_OID4VP, useValue: runtime.signIn.oid4vp },
        { provide: OIDC_PUBLIC_URL, inject: [HttpAdapterHost], useFactory: (host: HttpAdapterHost) => () => verifierPublicUrl(runtime.config, host) },
      ],
    };
  }
}
