import { CREDENTIAL_TYPES, credentialSchema, credentialTypeInfo, resolveSharedSchema } from '@citycred/credentials';

/** What the check page needs to know from the server: where certificate references may point, and the labels. */
export interface CheckPageSettings {
  /**
   * The only origins `#ref=` URLs may name: that of `CHECK_ISSUER_URL` (else `ANCHOR_PROOF_URL`), and for a loopback
   * issuer its twin (`localhost` ↔ `127.0.0.1`), as a local issuer's public URL and the verifier's view of it differ.
   */
  readonly issuerOrigins: readonly string[];
  /** Per catalogue type: its Korean and English label, and its claims' schema titles keyed by dotted path. */
  readonly types: Readonly<Record<string, { readonly ko: string; readonly en: string; readonly titles: Readonly<Record<string, string>> }>>;
}

/**
 * The check page's settings.
 * @param issuerUrl - the issuer whose certificate references the page may fetch
 */
export function checkPageSettings(issuerUrl: string): CheckPageSettings {
  const types = Object.fromEntries(
    CREDENTIAL_TYPES.map((type) => {
      const { ko, en } = credentialTypeInfo(type).labels;
      return [type, { ko, en, titles: schemaTitles(credentialSchema(type)) }];
    }),
  );
  return { issuerOrigins: originsOf(issuerUrl), types };
}

function originsOf(issuerUrl: string): string[] {
  const url = new URL(issuerUrl);
  const twin = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname === '127.0.0.1' ? 'localhost' : undefined;
  if (twin === undefined) return [url.origin];
  const other = new URL(url.origin);
  other.hostname = twin;
  return [url.origin, other.origin];
}

/**
 * The `title` of every property of an object schema, nested ones included (also inside CityCred's shared definitions),
 * keyed by dotted path (`residence.city`, `employer.name`).
 */
export function schemaTitles(schema: unknown, prefix = ''): Record<string, string> {
  const titles: Record<string, string> = {};
  const resolved = resolveSharedSchema(schema);
  const properties = isObject(resolved) ? resolved['properties'] : undefined;
  if (!isObject(properties)) return titles;
  for (const [name, property] of Object.entries(properties)) {
    const path = `${prefix}${name}`;
    const title = titleOf(property) ?? titleOf(resolveSharedSchema(property));
    if (title !== undefined) titles[path] = title;
    Object.assign(titles, schemaTitles(property, `${path}.`));
  }
  return titles;
}

function titleOf(schema: unknown): string | undefined {
  return isObject(schema) && typeof schema['title'] === 'string' ? schema['title'] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
