// The employer scanner's offline bundle (docs/presentations.md, "Offline scanning"): what `GET /scan/offline-bundle`
// signs and the browser module reads. Types and constants only, so both sides share them and the browser bundle
// stays free of server code.

/** The `typ` of the bundle's JWS header. */
export const OFFLINE_BUNDLE_TYP = 'citycred-scan-bundle+jwt';

/** A public JWK, as the bundle carries one. */
export interface BundleJwk {
  readonly kty: string;
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
  readonly [member: string]: unknown;
}

/**
 * A key that may sign for an issuer now, as its did:ethr document lists it (the owner's only: the city trust policy
 * accepts no delegate): its address (`#controller`, checked by recovering the signer's key), a secp256k1 public key
 * (hex, `#controllerKey`) or a JWK.
 */
export type BundleKey =
  | { readonly id: string; readonly kind: 'ethereum-address'; readonly address: string }
  | { readonly id: string; readonly kind: 'secp256k1'; readonly publicKeyHex: string }
  | { readonly id: string; readonly kind: 'jwk'; readonly jwk: BundleJwk };

/** A credential type an issuer is accredited for: its catalogue name and the hash the IssuerRegistry keys it by. */
export interface BundleType {
  readonly name: string;
  /** `keccak256(name)`, `0x` and 64 lower-case hex digits. */
  readonly hash: string;
}

/** An issuer's name as the city's issuer directory gives it: in Korean, and in English when it has one. */
export interface BundleIssuerName {
  readonly ko: string;
  readonly en: string | null;
}

/** An issuer the city accredits, as of the bundle's time. */
export interface BundleIssuer {
  /** `did:ethr:<network>:<address>`, the DID of the address the IssuerRegistry names. */
  readonly did: string;
  /** The issuer's identity address, lower case. A credential's `iss` (address or public-key form) maps to it. */
  readonly address: string;
  /**
   * Its name, from the city's issuer directory (`GET /issuers` of the issuer service), given only for an address the
   * chain accredits (this list) whose DID the directory names; absent when the directory does not name it or could not
   * be read. Display information: the registry holds no names.
   */
  readonly name?: BundleIssuerName;
  /** The keys that may sign for it now. */
  readonly keys: readonly BundleKey[];
  /** The catalogue types it is accredited for at the bundle's time. */
  readonly types: readonly BundleType[];
  /** The roots it anchored lately (absent from bundles of older verifiers, which carry no roots). */
  readonly anchors?: BundleAnchors;
}

/**
 * The roots an issuer anchored on the CredentialAnchor contract lately, as the chain says: the newest first, those of
 * the last `days` days and at most `rootsPerIssuer` of them (the bundle's `anchoring`). Every root the issuer anchored
 * in blocks `since` to the bundle's `chain.block` is here.
 */
export interface BundleAnchors {
  /** The first block from which the list holds every root of the issuer (0: all of them). */
  readonly since: number;
  readonly roots: readonly BundleRoot[];
}

/** One root an issuer anchored. */
export interface BundleRoot {
  /** `0x` + 64 lower-case hex digits. */
  readonly root: string;
  /** The block it was anchored in, and the block's time (NumericDate): `anchorOf(issuer, root)`. */
  readonly block: number;
  readonly at: number;
  /** The issuer's catalogue types (of those it is accredited for now) it was accredited for at that time. */
  readonly types: readonly string[];
}

/** What the bundle says of anchoring: the roots it carries and how far back, or (older bundles) why none. */
export type BundleAnchoring =
  | {
      readonly checked: true;
      /** The roots of the last `days` days are carried … */
      readonly days: number;
      /** … at most `rootsPerIssuer` for each issuer (the newest). */
      readonly rootsPerIssuer: number;
    }
  | { readonly checked: false; readonly why: string };

/** A status list as its issuer serves it: the signed list credential or status list token, unchanged. */
export interface BundleStatusList {
  /** The URL credentials name it by. */
  readonly uri: string;
  /** The DID of the issuer whose credentials named it (its signature is checked against that issuer's keys). */
  readonly issuer: string;
  /** The compact JWS, as fetched. */
  readonly jwt: string;
}

/** A list the verifier knows of but could not fetch when it built the bundle. */
export interface BundleMissingList {
  readonly uri: string;
  readonly issuer: string;
  /** Why, in English. */
  readonly reason: string;
}

/** The payload of the bundle's JWS. */
export interface OfflineBundlePayload {
  /** The verifier's did:jwk (the key that signs the bundle). */
  readonly iss: string;
  /** When it was built, and until when it may be used (NumericDate seconds). */
  readonly iat: number;
  readonly exp: number;
  /** The city chain read: the block the accreditation was read at. */
  readonly chain: { readonly chainId: number; readonly didNetwork: string; readonly block: number; readonly blockTime: number };
  /** What a presentation shown to the scanner must meet: `aud`, its age (`iat`) and the clock skew tolerated. */
  readonly scan: { readonly audience: string; readonly maxAgeSeconds: number; readonly clockSkewSeconds: number };
  /** The `vct` prefix of catalogue types (`<vctBaseUrl>SeoulCitizenCard`). */
  readonly vctBaseUrl: string;
  readonly issuers: readonly BundleIssuer[];
  /**
   * The status lists of the issuers above, as fetched when the bundle was built: every Token Status List the issuer
   * directory names for them (checked to be signed by the issuer), and the lists (of either kind) this verifier has
   * trusted while verifying credentials.
   */
  readonly statusLists: readonly BundleStatusList[];
  /** Lists of those issuers the verifier knows of but could not fetch, or that were not the issuer's. */
  readonly missing: readonly BundleMissingList[];
  /**
   * The issuer directory the names and list URLs come from: when the issuer service last answered it (NumericDate
   * seconds) and whether it did not answer now (`stale`, the copy from before was used); null when it never answered
   * (then the bundle has no names, and only the lists the verifier trusted). Absent from bundles of older verifiers.
   */
  readonly directory?: { readonly fetchedAt: number; readonly stale: boolean } | null;
  /**
   * Whether the issuers' anchored roots are carried (`checked: true`, with the window) — a QR code that carries its
   * credential's anchor proof is then checked against them — or, in bundles of older verifiers, why not.
   */
  readonly anchoring: BundleAnchoring;
}
