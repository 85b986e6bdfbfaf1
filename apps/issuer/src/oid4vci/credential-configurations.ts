import { credentialTypeInfo, isCredentialType, vctOf, type CredentialTypeName } from '@citycred/credentials';
import type { CredentialFormatId } from '@citycred/formats';

/** The OpenID4VCI format identifiers this issuer offers (OpenID4VCI 1.0 Appendix A). */
export type Oid4vciFormat = 'jwt_vc_json' | 'dc+sd-jwt';

/** Holder-key algorithms accepted in `jwt` proofs. */
export const PROOF_SIGNING_ALGORITHMS = ['ES256', 'ES256K'] as const;

/** The tenants sign with their did:ethr secp256k1 key. */
const CREDENTIAL_SIGNING_ALGORITHMS = ['ES256K'];

/** How many proofs (holder keys, so credentials) one credential request may carry. */
export const BATCH_SIZE = 5;

/** One offerable credential: a catalogue type in one format. */
export interface CredentialConfiguration {
  readonly id: string;
  readonly type: CredentialTypeName;
  readonly format: Oid4vciFormat;
  /** The format the issuance command signs in. */
  readonly issuanceFormat: CredentialFormatId;
}

const SUFFIX: Readonly<Record<Oid4vciFormat, string>> = { jwt_vc_json: 'jwt_vc_json', 'dc+sd-jwt': 'dc_sd_jwt' };


/**
 * The configurations a tenant may offer: each catalogue type configured for it, in each of the type's formats
 * (`jwt` → `jwt_vc_json`, a VCDM 1.1 JWT; `sd-jwt` → `dc+sd-jwt`).
 * @param credentialTypes - the tenant's `credentialTypes`
 */
export function configurationsFor(credentialTypes: readonly string[]): CredentialConfiguration[] {
  return credentialTypes.filter(isCredentialType).flatMap((type) =>
    credentialTypeInfo(type).formats.map((catalogueFormat): CredentialConfiguration => {
      const format: Oid4vciFormat = catalogueFormat === 'sd-jwt' ? 'dc+sd-jwt' : 'jwt_vc_json';
      return { id: `${type}_${SUFFIX[format]}`, type, format, issuanceFormat: format === 'dc+sd-jwt' ? 'dc+sd-jwt' : 'jwt_vc' };
    }),
  );
}

/**
 * The configuration a tenant offers under an id, or undefined.
 * @param credentialTypes - the tenant's `credentialTypes`
 * @param id - a `credential_configuration_id`
 */
export function findConfiguration(credentialTypes: readonly string[], id: string): CredentialConfiguration | undefined {
  return configurationsFor(credentialTypes).find((configuration) => configuration.id === id);
}

/**
 * The `credential_configurations_supported` member of the issuer metadata (OpenID4VCI 1.0 §12.2.4): display names
 * from the catalogue's Korean and English labels, `jwt` proofs with ES256/ES256K holder keys.
 */
export function credentialConfigurationsSupported(configurations: readonly CredentialConfiguration[]): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    configurations.map((configuration) => {
      const info = credentialTypeInfo(configuration.type);
      const display = [
        { name: info.labels.ko, locale: 'ko-KR' },
        { name: info.labels.en, locale: 'en-US' },
      ];
      const common = {
        credential_signing_alg_values_supported: CREDENTIAL_SIGNING_ALGORITHMS,
        proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...PROOF_SIGNING_ALGORITHMS] } },
      };
      const entry =
        configuration.format === 'dc+sd-jwt'
          ? {
              format: 'dc+sd-jwt',
              vct: vctOf(configuration.type),
              cryptographic_binding_methods_supported: ['jwk'],
              ...common,
              credential_metadata: { display, claims: info.selectivelyDisclosable.map((claim) => ({ path: [claim] })) },
            }
          : {
              format: 'jwt_vc_json',
              // The holder becomes the credential subject: its key as a DID.
              cryptographic_binding_methods_supported: ['did:jwk', 'did:key'],
              ...common,
              credential_definition: { type: ['VerifiableCredential', configuration.type] },
              credential_metadata: { display },
            };
      return [configuration.id, entry];
    }),
  );
}

/**
 * The credential issuer's `display` (OpenID4VCI 1.0 §12.2.4: one `{name, locale}` per language, locale a BCP 47 tag):
 * the tenant's name as the city writes it (`ko-KR`) and its English name (`en-US`) when it has one. A tenant without
 * an English name gets its one name without a locale, as the language of a name the city did not say is unknown.
 * @param tenant - the tenant's `name` and `nameEn` (`tenants.name_en`)
 */
export function issuerDisplay(tenant: { readonly name: string; readonly nameEn?: string | null }): { name: string; locale?: string }[] {
  if (!tenant.nameEn) return [{ name: tenant.name }];
  return [
    { name: tenant.name, locale: 'ko-KR' },
    { name: tenant.nameEn, locale: 'en-US' },
  ];
}
