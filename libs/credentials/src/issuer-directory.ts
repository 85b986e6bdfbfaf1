import { z } from 'zod';

// The city's issuer directory (docs/issuer-directory.md): what the issuer service answers at `GET /issuers` and what
// the verifier and the citizen wallet read. Display information only: whether an issuer may be trusted is read from
// the city chain (the IssuerRegistry's accreditation), never from here. Browser-safe (zod only).

/** The path of the directory on the issuer service (`<ISSUER_PUBLIC_URL>/issuers`). */
export const ISSUER_DIRECTORY_PATH = '/issuers';

/** The directory's format version (`version`); a reader refuses a directory of another version. */
export const ISSUER_DIRECTORY_VERSION = 1;

/** An issuer's name: as the city writes it (Korean), and in English when the issuer has an English name. */
export interface IssuerName {
  readonly ko: string;
  readonly en: string | null;
}

/** Where an issuer publishes its status lists: every list it opened, oldest first (the last one takes new credentials). */
export interface IssuerStatusListUrls {
  /** W3C Bitstring Status List credentials (of `jwt_vc` and `vc+jwt` credentials), by purpose. */
  readonly bitstring: { readonly revocation: readonly string[]; readonly suspension: readonly string[] };
  /** IETF Token Status Lists (of `dc+sd-jwt` credentials). */
  readonly token: readonly string[];
}

/** One issuer (a tenant of the issuer service configured for at least one credential type). */
export interface DirectoryIssuer {
  /** The issuer's DID, exactly as its credentials name it (`iss` / `issuer`). */
  readonly did: string;
  /** The address of its did:ethr identity (checksummed): what the IssuerRegistry accredits. */
  readonly address: string;
  /** Its short stable name on the issuer service (`seoul-citizen`). */
  readonly slug: string;
  readonly kind: 'department' | 'employer' | 'app';
  readonly name: IssuerName;
  /** The credential types it is configured to issue (catalogue names, or an app operator's own types). */
  readonly credentialTypes: readonly string[];
  readonly statusLists: IssuerStatusListUrls;
}

/** The body of `GET /issuers`. */
export interface IssuerDirectory {
  readonly version: typeof ISSUER_DIRECTORY_VERSION;
  /** Ordered by slug. */
  readonly issuers: readonly DirectoryIssuer[];
}

const text = (max: number) => z.string().min(1).max(max);
const url = z.string().max(2000).regex(/^https?:\/\//);

/** The zod schema of {@link IssuerDirectory}: what a reader checks the directory against (unknown members are dropped). */
export const issuerDirectorySchema = z.object({
  version: z.literal(ISSUER_DIRECTORY_VERSION),
  issuers: z
    .array(
      z.object({
        did: text(200).regex(/^did:[a-z0-9]+:/),
        address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
        slug: text(64),
        kind: z.enum(['department', 'employer', 'app']),
        name: z.object({ ko: text(200), en: text(200).nullable() }),
        credentialTypes: z.array(text(200)).max(100),
        statusLists: z.object({
          bitstring: z.object({ revocation: z.array(url).max(1000), suspension: z.array(url).max(1000) }),
          token: z.array(url).max(1000),
        }),
      }),
    )
    .max(10_000),
}) satisfies z.ZodType<IssuerDirectory>;

/**
 * Reads a directory as fetched (the parsed JSON body).
 * @returns the directory, or `{error}` naming the first problem (a directory of another version included)
 */
export function parseIssuerDirectory(body: unknown): IssuerDirectory | { error: string } {
  const parsed = issuerDirectorySchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return { error: issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'not an issuer directory' };
}
