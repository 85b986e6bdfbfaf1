import { ISSUER_DIRECTORY_PATH, parseIssuerDirectory } from '@citycred/credentials/issuer-directory';

/**
 * Whether an offer's credential issuer is one of the city's: `listed` when the city issuer's directory
 * (docs/issuer-directory.md) names a tenant whose OpenID4VCI issuer (`<city issuer>/oid4vci/<slug>`) it is,
 * `unlisted` when the directory was read and does not, `unknown` when it could not be read (offline, no
 * `cityIssuerUrl` in the settings, an answer that is not a directory of version 1). Display information, not trust:
 * a listed issuer's credential is still checked by the verifier against the chain.
 */
export type CityIssuerStanding = 'listed' | 'unlisted' | 'unknown';

/** The city issuer's URL from the wallet server's `/settings.json` (`WALLET_CITY_ISSUER_URL`), or undefined. */
async function cityIssuerUrl(): Promise<string | undefined> {
  const answer = await fetch('/settings.json', { headers: { accept: 'application/json' } });
  if (!answer.ok) return undefined;
  const body = (await answer.json()) as { cityIssuerUrl?: unknown };
  return typeof body.cityIssuerUrl === 'string' ? body.cityIssuerUrl.replace(/\/$/, '') : undefined;
}

/**
 * Reads the city's issuer directory and says where `credentialIssuer` stands ({@link CityIssuerStanding}). Never
 * throws: what cannot be read is `unknown`.
 * @param credentialIssuer - the offer's `credential_issuer`
 */
export async function cityIssuerStanding(credentialIssuer: string): Promise<CityIssuerStanding> {
  try {
    const city = await cityIssuerUrl();
    if (city === undefined) return 'unknown';
    const answer = await fetch(`${city}${ISSUER_DIRECTORY_PATH}`, { headers: { accept: 'application/json' } });
    if (!answer.ok) return 'unknown';
    const directory = parseIssuerDirectory(await answer.json());
    if ('error' in directory) return 'unknown';
    const issuer = credentialIssuer.replace(/\/$/, '');
    return directory.issuers.some((entry) => issuer === `${city}/oid4vci/${entry.slug}`) ? 'listed' : 'unlisted';
  } catch {
    return 'unknown';
  }
}
