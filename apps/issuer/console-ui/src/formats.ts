/**
 * The format a type's issue form and bulk offers start with: the SD-JWT VC when the type offers it — it shows a
 * verifier only what it asks for, and it is what the city's verifiers ask wallets for (the scanner's age check) — else
 * the first of `formats`. The clerk can still choose another.
 * @param formats - the formats to choose from, in the screen's order
 */
export function defaultFormat(formats: readonly string[]): string {
  return formats.includes('dc+sd-jwt') ? 'dc+sd-jwt' : (formats[0] ?? '');
}
