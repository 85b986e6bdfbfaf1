/**
 * The credential-format seam: one {@link CredentialFormat} per way a credential is secured. Issuer, verifier and
 * wallet all go through it, so this module and everything below it run in a browser as well as in Node: no
 * `node:*` imports; cryptography enters through the {@link JwsSigner} and {@link SignatureCrypto} ports.
 */

/** The formats CityCred issues and reads, named by the media type (or `typ`) that identifies them. */
export const CREDENTIAL_FORMAT_IDS = ['jwt_vc', 'vc+jwt', 'dc+sd-jwt'] as const;

/**
 * - `jwt_vc`: W3C VC Data Model 1.1 as a JWT (`vc` claim; JSON form with `proof.type: JwtProof2020`).
 * - `vc+jwt`: W3C VC Data Model 2.0 secured by VC-JOSE-COSE (the credential is the claims set; JSON form an
 *   `EnvelopedVerifiableCredential` with a `data:application/vc+jwt,…` id).
 * - `dc+sd-jwt`: IETF SD-JWT VC (`vc+sd-jwt` accepted on input).
 */
export type CredentialFormatId = (typeof CREDENTIAL_FORMAT_IDS)[number];

/** JWS algorithms we sign and check. */
export type JwsAlgorithm = 'ES256K' | 'ES256' | 'EdDSA';

/** A public JWK (no private members). */
export interface PublicJwk {
  readonly kty: string;
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
  readonly kid?: string;
  readonly [member: string]: unknown;
}

/**
 * Signs a JWS signing input (`base64url(header) + "." + base64url(payload)` as ASCII bytes).
 * Returns the raw signature: for ECDSA `r ‖ s` (64 bytes, low-S normalised, deterministic per RFC 6979 where the
 * implementation allows, so the same input gives the same bytes as did-jwt/Veramo).
 */
export interface JwsSigner {
  readonly alg: JwsAlgorithm;
  /** The verification method the header names, e.g. `did:ethr:…#controllerKey`. */
  readonly kid: string;
  /**
   * The signer's public key (compressed for secp256k1), when it can tell: a DID URL `kid` stays the same across a key
   * rotation, the key does not, so what was signed with a key that is no longer current can be found and re-signed.
   */
  readonly publicKey?: Uint8Array;
  sign(signingInput: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** A key a proof may be checked against, as a DID document (or a `cnf` claim) offers it. */
export type VerificationKey =
  | { readonly kind: 'jwk'; readonly id?: string; readonly jwk: PublicJwk }
  /** A secp256k1 public key, compressed (33 bytes) or uncompressed (65 bytes). */
  | { readonly kind: 'secp256k1'; readonly id?: string; readonly publicKey: Uint8Array }
  /** An Ethereum address (`blockchainAccountId`): only a recovered key can be compared with it. */
  | { readonly kind: 'ethereum-address'; readonly id?: string; readonly address: string };

/** Checks one signature. Implementations: libsecp256k1 and node:crypto (Node adapters), @noble/curves (browser). */
export interface SignatureCrypto {
  verify(alg: JwsAlgorithm, key: VerificationKey, signingInput: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
}

/** Where a credential's status can be read. */
export type StatusReference =
  | {
      readonly kind: 'bitstring';
      readonly id?: string;
      readonly purpose: string;
      readonly listCredential: string;
      readonly index: number;
    }
  | { readonly kind: 'token'; readonly uri: string; readonly index: number };

/** The protected header of a JWS, as decoded. */
export interface JwsHeader {
  readonly alg: string;
  readonly typ?: string;
  readonly cty?: string;
  readonly kid?: string;
  readonly [member: string]: unknown;
}

/**
 * One credential read from its bytes, whatever its format. Everything here was read, not checked: the proof is
 * checked by {@link CredentialFormat.verifyProof}, the rest by the verifier's checks.
 */
export interface NormalisedCredential {
  readonly format: CredentialFormatId;
  readonly header: JwsHeader;
  /** The credential's id (`jti`, `id`), when it has one. */
  readonly id?: string;
  /** All types, `VerifiableCredential` included for W3C formats; `[vct]` for SD-JWT VC. */
  readonly types: readonly string[];
  /** The type that says what the credential is: the last non-`VerifiableCredential` type, or the `vct`. */
  readonly primaryType: string;
  /** The issuer's identifier (a DID for CityCred issuers). */
  readonly issuer: string;
  /** The subject's claims (disclosed claims only, for SD-JWT), without `id`. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The holder: the subject id (`sub` / `credentialSubject.id`) and/or the key of `cnf.jwk`. */
  readonly holder: { readonly id?: string; readonly jwk?: PublicJwk };
  readonly issuedAt?: Date;
  readonly validFrom?: Date;
  readonly validUntil?: Date;
  readonly status: readonly StatusReference[];
  readonly schemas: ReadonlyArray<{ readonly id: string; readonly type: string }>;
  /** The credential as a JSON object in its data model (VCDM 1.1 / 2.0 credential; the SD-JWT VC's processed claims). */
  readonly credential: Readonly<Record<string, unknown>>;
  /** The exact string that is hashed and anchored: the compact JWT, or the issuer-signed JWT of an SD-JWT. */
  readonly anchoredPart: string;
  /** The string the issuer signed and the signature over it (for {@link CredentialFormat.verifyProof}). */
  readonly signingInput: string;
  readonly signature: Uint8Array;
}

/** What to sign. The credential is complete (issuer, dates, id, subject, status entries already decided). */
export interface SignRequest {
  /** A W3C credential without proof: VCDM 1.1 for `jwt_vc`, 2.0 for `vc+jwt`; for `dc+sd-jwt` see the fields below. */
  readonly credential: Readonly<Record<string, unknown>>;
  /**
   * When it is signed. `vc+jwt` and `dc+sd-jwt` carry it as `iat` (a VCDM 2.0 `validFrom` may lie in the future, so
   * the issuance time verifiers check accreditation and anchoring against is `iat`); `jwt_vc` ignores it (its
   * `nbf` is the credential's `issuanceDate`, as Veramo does).
   */
  readonly issuedAt?: Date;
  /** SD-JWT VC: the `vct` (the credential's type URL). */
  readonly vct?: string;
  /** SD-JWT VC: top-level subject claims issued as disclosures. */
  readonly disclosable?: readonly string[];
  /** SD-JWT VC: the holder's public key, put in `cnf.jwk`. */
  readonly holderJwk?: PublicJwk;
  /** SD-JWT VC: the Token Status List entry. */
  readonly tokenStatus?: { readonly uri: string; readonly index: number };
  /** SD-JWT VC: salts for disclosures (injected randomness; 128 bits, base64url). */
  readonly salt?: () => string;
}

/** A signed credential. */
export interface SignedCredential {
  readonly format: CredentialFormatId;
  /** The whole credential as it travels (compact JWT, or SD-JWT `jwt~disclosure~…~`). */
  readonly encoded: string;
  /** The exact string that is hashed and anchored. */
  readonly anchoredPart: string;
}

/** The outcome of a proof check: never thrown for a bad proof. */
export interface ProofCheck {
  readonly valid: boolean;
  /** The key that verified it (its id), when one did. */
  readonly keyId?: string;
  /** Why it failed, stable: `signature.invalid`, `signature.no-key`, `signature.alg-unsupported`, … */
  readonly reason?: string;
}

/** One way a credential is secured. */
export interface CredentialFormat {
  readonly id: CredentialFormatId;
  /** Signs a credential into its exact bytes. Throws {@link FormatError} when the request does not fit the format. */
  sign(request: SignRequest, signer: JwsSigner): Promise<SignedCredential>;
  /** Reads bytes (or the format's JSON form) into one normalised credential. Throws {@link FormatError}. */
  decode(input: string | Readonly<Record<string, unknown>>): NormalisedCredential;
  /** Checks the issuer's proof against the candidate keys. Never throws for a bad proof. */
  verifyProof(credential: NormalisedCredential, keys: readonly VerificationKey[], crypto: SignatureCrypto): Promise<ProofCheck>;
  /** The JSON form VC-API answers carry (Veramo's JwtProof2020 form, an EnvelopedVerifiableCredential, …). */
  toJson(signed: SignedCredential): unknown;
}

/** Stable codes of {@link FormatError}. */
export const FormatErrorCode = {
  Malformed: 'format.malformed',
  UnsupportedType: 'format.unsupported-typ',
  UnsupportedAlgorithm: 'format.unsupported-alg',
  InvalidClaims: 'format.invalid-claims',
  InvalidRequest: 'format.invalid-request',
} as const;
export type FormatErrorCode = (typeof FormatErrorCode)[keyof typeof FormatErrorCode];

/** Thrown by decoding and signing when the input does not fit the format. Branch on `code`, never on the message. */
export class FormatError extends Error {
  constructor(
    readonly code: FormatErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FormatError';
  }
}
