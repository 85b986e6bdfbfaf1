import { credentialTypeInfo, isCatalogueType, type CatalogueTypeName } from '@citycred/credentials/catalogue';
import { deviceClock, displayNameIn, Oid4vciError, Oid4vpError, Oid4vpErrorCode, OID4VCI_MESSAGES, OID4VP_MESSAGES, verifierRefusalText, type CredentialConfiguration, type WalletTransport } from '@citycred/wallet-core';
import type { Lang } from '@citycred/web-ui';
import { errorText } from '../errors.js';
import type { Texts } from '../texts.js';

/** How the app reaches issuers and verifiers: the browser's fetch (within the CSP's `connect-src`) and the device clock. */
export const BROWSER_TRANSPORT: WalletTransport = Object.freeze({ fetch: (input: string, init?: RequestInit) => globalThis.fetch(input, init), clock: deviceClock });

/**
 * What the citizen is told for a failure of a flow: the wallet core's message for an `Oid4vciError` / `Oid4vpError`
 * code (branching on the code only), else the vault's ({@link errorText}).
 */
export function flowErrorText(error: unknown, lang: Lang, t: Texts): string {
  if (error instanceof Oid4vciError) return OID4VCI_MESSAGES[error.code][lang];
  if (error instanceof Oid4vpError) {
    if (error.code === Oid4vpErrorCode.VerifierRefused) return verifierRefusalText(error, lang);
    const text = OID4VP_MESSAGES[error.code][lang];
    // A refusal is hard to act on without the verifier's own reason (its words, shown as text, in its language).
    if (error.code === Oid4vpErrorCode.ResponseRefused && error.description) return `${text} ${t.verifierReason}: ${error.description}`;
    return text;
  }
  return errorText(error, t);
}

/** The catalogue name of a type (`SeoulCitizenCard`, or an SD-JWT VC `vct` URL ending in one), else undefined. */
export function catalogueNameOf(type: string | undefined): CatalogueTypeName | undefined {
  if (type === undefined) return undefined;
  if (isCatalogueType(type)) return type;
  const last = type.split('/').at(-1);
  return last !== undefined && isCatalogueType(last) ? last : undefined;
}

/** The label of an offered credential: the catalogue's in `lang` when it is one of the city's types, else the issuer's display name, else its id. */
export function configurationLabel(configuration: CredentialConfiguration, lang: Lang): string {
  const name = catalogueNameOf(configuration.vct) ?? configuration.types?.map(catalogueNameOf).find((found) => found !== undefined);
  if (name !== undefined) return credentialTypeInfo(name).labels[lang];
  return displayNameIn(configuration.display, lang) ?? configuration.id;
}
