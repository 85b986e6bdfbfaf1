import { type DecodedJws, decodeCompactJws, signCompactJws, verifyJwsSignature } from '../jws.js';
import type {
  CredentialFormat,
  JwsHeader,
  JwsSigner,
  NormalisedCredential,
  ProofCheck,
  PublicJwk,
  SignatureCrypto,
  SignedCredential,
  SignRequest,
  StatusReference,
  VerificationKey,
} from '../types.js';
import { FormatError, FormatErrorCode } from '../types.js';
import { ENVELOPED_CREDENTIAL_TYPE } from '../vc-jwt.js';
import { VCDM2_CONTEXT } from '../w3c.js';
import { type SdJwtDisclosure, encodeDisclosure, parseDisclosure, rebuildClaims } from './disclosures.js';
import { randomSalt, SD_HASH_ALG, sha256Base64url } from './encoding.js';
import { SdJwtFormatError, type SdJwtRefusal } from './errors.js';

/** The `typ` we emit (SD-JWT VC draft ≥ 06). */
export const SD_JWT_VC_TYP = 'dc+sd-jwt';
/** The `typ` of SD-JWT VC drafts before 06, still accepted on input. */
export const LEGACY_SD_JWT_VC_TYP = 'vc+sd-jwt';
const ACCEPTED_TYPS: readonly string[] = [SD_JWT_VC_TYP, LEGACY_SD_JWT_VC_TYP];


/**
 * Claim names a credential subject cannot use, because the SD-JWT VC claims set already gives them a meaning
 * (registered JWT claims, SD-JWT VC claims and the SD-JWT structure). `sub` and `jti` are filled from the credential's
 * `credentialSubject.id` and `id`.
 */
const RESERVED_CLAIMS: ReadonlySet<string> = new Set(['iss', 'sub', 'jti', 'iat', 'nbf', 'exp', 'vct', 'vct#integrity', 'cnf', 'status', '_sd', '_sd_alg', '...']);

/** The registered and structural claims that {@link NormalisedCredential.claims} leaves out (they have their own fields). */
const NON_SUBJECT_CLAIMS: ReadonlySet<string> = new Set(['iss', 'sub', 'jti', 'iat', 'nbf', 'exp', 'vct', 'vct#integrity', 'cnf', 'status']);

/** The issuer-signed JWT, its disclosures and optional key-binding JWT, as split from `<jwt>~<d1>~…~<dn>~[<kb-jwt>]`. */
export interface SdJwtParts {
  readonly issuerJwt: string;
  readonly disclosures: readonly string[];
  /** The key-binding JWT, when the SD-JWT is a presentation that carries one. */
  readonly kbJwt?: string;
}

/** A key-binding JWT as read (not checked: {@link verifyKeyBinding} checks it). */
export interface KeyBindingJwt {
  readonly jwt: string;
  readonly header: JwsHeader;
  readonly payload: Readonly<Record<string, unknown>>;
  /** `header.payload` of the KB-JWT, what its signature covers. */
  readonly signingInput: string;
  readonly signature: Uint8Array;
}

/** A decoded SD-JWT VC: the normalised credential plus what only this format has. */
export interface SdJwtVcCredential extends NormalisedCredential {
  readonly format: 'dc+sd-jwt';
  /** The issuer-signed payload as signed (digests, not claims). */
  readonly signedPayload: Readonly<Record<string, unknown>>;
  /** The disclosures that came with it, in the order received, each with its digest. */
  readonly disclosures: readonly SdJwtDisclosure[];
  /** The trailing key-binding JWT of a presentation. */
  readonly keyBinding?: KeyBindingJwt;
}

/** How this format signs, beyond the {@link SignRequest}. */
export interface SdJwtVcFormatOptions {
  /**
   * How many decoy digests (RFC 9901 §4.2.5) to add to the top-level `_sd`, so a reader cannot count the undisclosed
   * claims. Each is the digest of a fresh salt. Default 0.
   */
  readonly decoyDigests?: number;
}

/** The SD-JWT VC {@link CredentialFormat}, with {@link SdJwtVcFormat.decode} typed to its richer result. */
export interface SdJwtVcFormat extends CredentialFormat {
  readonly id: 'dc+sd-jwt';
  /**
   * Reads an SD-JWT VC (compact `<jwt>~…~[<kb-jwt>]`, or its JSON form) and rebuilds its claims by RFC 9901 §7.1.
   * Nothing is checked beyond the structure: the issuer signature by {@link SdJwtVcFormat.verifyProof}, the key
   * binding by {@link verifyKeyBinding}, dates and status by the verifier.
   * @throws SdJwtFormatError `format.unsupported-typ` for a `typ` other than `dc+sd-jwt` / `vc+sd-jwt`;
   *   `format.unsupported-alg` for `alg: none` or an `_sd_alg` other than `sha-256`; `format.malformed` for broken
   *   serialisation or disclosures; `format.invalid-claims` for disclosure rules broken (unreferenced, repeated,
   *   duplicate digest, misplaced, colliding) or registered claims missing or mistyped. `reason` says which.
   */
  decode(input: string | Readonly<Record<string, unknown>>): SdJwtVcCredential;
  /**
   * Signs a W3C-style credential as an SD-JWT VC. Mapping:
   * `issuer` (or `issuer.id`) → `iss`; `id` → `jti`; `credentialSubject.id` → `sub`; `issuanceDate` ?? `validFrom`
   * → `iat`; `validFrom` → `nbf` only when later than `iat`; `validUntil` ?? `expirationDate` → `exp`;
   * `request.vct` → `vct`; `request.holderJwk` → `cnf.jwk`; `request.tokenStatus` → `status.status_list`;
   * every other subject claim in clear, or as a disclosure when named in `request.disclosable` (`id` there makes
   * `sub` disclosable). `@context`, `type` and `credentialStatus` are not carried: `vct` is the type and the Token
   * Status List the status. Header `{alg: signer.alg, typ: 'dc+sd-jwt', kid: signer.kid}`; `_sd` sorted.
   * `anchoredPart` is the issuer-signed JWT alone, so presenting fewer disclosures does not change it.
   * @throws SdJwtFormatError `format.invalid-request` (`sd-jwt.request-invalid`) when the request does not fit
   */
  sign(request: SignRequest, signer: JwsSigner): Promise<SignedCredential>;
  /**
   * Checks the issuer signature over the issuer-signed JWT (the anchored part, so it holds for any subset of
   * disclosures) with the candidate keys, the header's `kid` first (did:ethr: `secp256k1` or `ethereum-address` keys
   * for ES256K; JWKs for ES256/EdDSA). Never throws for a bad proof: reasons `signature.alg-unsupported`,
   * `signature.no-key`, `signature.invalid`. The disclosures are bound by their digests, checked in `decode`.
   */
  verifyProof(credential: NormalisedCredential, keys: readonly VerificationKey[], crypto: SignatureCrypto): Promise<ProofCheck>;
  /**
   * The JSON form VC-API answers carry: `{"@context": "https://www.w3.org/ns/credentials/v2", "id":
   * "data:application/dc+sd-jwt,<sd-jwt>", "type": "EnvelopedVerifiableCredential"}`. VCALM's
   * `verifiableCredential` must be a JSON object and VCDM 2.0 carries credentials secured outside JSON-LD as an
   * enveloped credential with a `data:` URL; it is the form our `vc+jwt` answers already take, so clients read one
   * shape and learn the format from the media type. The SD-JWT characters (base64url, `.`, `~`) need no escaping in a
   * `data:` URL. {@link SdJwtVcFormat.decode} reads it back.
   */
  toJson(signed: SignedCredential): EnvelopedSdJwtVc;
}

/** The JSON form of an SD-JWT VC (see {@link SdJwtVcFormat.toJson}). */
export type EnvelopedSdJwtVc = {
  readonly '@context': typeof VCDM2_CONTEXT;
  readonly id: string;
  readonly type: typeof ENVELOPED_CREDENTIAL_TYPE;
};

/**
 * Builds the `dc+sd-jwt` format. Browser-safe: SHA-256 from @noble/hashes, signatures through the ports.
 * @param options - decoy digests; default none
 * @returns the format
 */
export function createSdJwtVcFormat(options: SdJwtVcFormatOptions = {}): SdJwtVcFormat {
  const decoyDigests = options.decoyDigests ?? 0;
  if (!Number.isInteger(decoyDigests) || decoyDigests < 0) {
    throw new RangeError(`decoyDigests must be a non-negative integer, got ${String(decoyDigests)}`);
  }
  return {
    id: 'dc+sd-jwt',
    sign: (request, signer) => signSdJwtVc(request, signer, decoyDigests),
    decode: decodeSdJwtVc,
    verifyProof: verifySdJwtVcProof,
    toJson: (signed) => ({ '@context': VCDM2_CONTEXT, id: `data:application/${SD_JWT_VC_TYP},${signed.encoded}`, type: ENVELOPED_CREDENTIAL_TYPE }),
  };
}

/** The `dc+sd-jwt` format without decoy digests. */
export const sdJwtVcFormat: SdJwtVcFormat = createSdJwtVcFormat();

/**
 * Splits `<jwt>~<d1>~…~<dn>~[<kb-jwt>]` (RFC 9901 §4) without reading the parts.
 * @throws SdJwtFormatError `format.malformed` when there is no `~` or a disclosure is empty
 */
export function splitSdJwt(encoded: string): SdJwtParts {
  const parts = encoded.split('~');
  if (parts.length < 2) throw refuse(FormatErrorCode.Malformed, 'sd-jwt.malformed', 'an SD-JWT is <jwt>~<disclosures>~, and this has no ~');
  const issuerJwt = parts[0]!;
  const last = parts[parts.length - 1]!;
  const disclosures = parts.slice(1, -1);
  if (issuerJwt === '' || disclosures.some((d) => d === '')) {
    throw refuse(FormatErrorCode.Malformed, 'sd-jwt.malformed', 'an SD-JWT has an empty issuer JWT or an empty disclosure');
  }
  return last === '' ? { issuerJwt, disclosures } : { issuerJwt, disclosures, kbJwt: last };
}

async function signSdJwtVc(request: SignRequest, signer: JwsSigner, decoyDigests: number): Promise<SignedCredential> {
  const credential = request.credential;
  const vct = request.vct;
  if (typeof vct !== 'string' || vct === '') throw invalidRequest('an SD-JWT VC needs a vct');
  const issuer = issuerOf(credential.issuer);
  const subject = credential.credentialSubject;
  if (subject === null || typeof subject !== 'object' || Array.isArray(subject)) {
    throw invalidRequest('an SD-JWT VC has exactly one credentialSubject object');
  }
  // The signing time when the issuer gives it (a VCDM 2.0 validFrom may lie in the future); else the credential's start.
  const issuedAt =
    (request.issuedAt ? Math.floor(request.issuedAt.getTime() / 1000) : undefined) ?? secondsOf(credential.issuanceDate, 'issuanceDate') ?? secondsOf(credential.validFrom, 'validFrom');
  if (issuedAt === undefined) throw invalidRequest('the credential needs validFrom (or issuanceDate)');
  const validFrom = secondsOf(credential.validFrom, 'validFrom');
  const expires = secondsOf(credential.validUntil, 'validUntil') ?? secondsOf(credential.expirationDate, 'expirationDate');

  const claims = new Map<string, unknown>();
  for (const [name, value] of Object.entries(subject as Record<string, unknown>)) {
    if (name === 'id') {
      if (typeof value !== 'string') throw invalidRequest('credentialSubject.id must be a string');
      claims.set('sub', value);
    } else if (RESERVED_CLAIMS.has(name)) {
      throw invalidRequest(`the subject claim ${JSON.stringify(name)} is reserved in an SD-JWT VC`);
    } else {
      claims.set(name, value);
    }
  }
  const disclosable = (request.disclosable ?? []).map((name) => (name === 'id' ? 'sub' : name));
  if (new Set(disclosable).size !== disclosable.length) throw invalidRequest('a disclosable claim is named twice');
  for (const name of disclosable) {
    if (!claims.has(name)) throw invalidRequest(`the disclosable claim ${JSON.stringify(name)} is not in credentialSubject`);
  }

  const salt = request.salt ?? randomSalt;
  const disclosures = disclosable.map((name) => encodeDisclosure(saltFrom(salt), name, claims.get(name)));
  const digests = disclosures.map(sha256Base64url);
  for (let i = 0; i < decoyDigests; i++) digests.push(sha256Base64url(saltFrom(salt)));
  // Sorted, so the position of a digest says nothing about which claim it hides (RFC 9901 §4.2.4.1).
  digests.sort();

  const id = credential.id;
  if (id !== undefined && typeof id !== 'string') throw invalidRequest('the credential id must be a string');
  const payload: Record<string, unknown> = { iss: issuer };
  if (id !== undefined) payload.jti = id;
  const sub = claims.get('sub');
  if (sub !== undefined && !disclosable.includes('sub')) payload.sub = sub;
  payload.iat = issuedAt;
  if (validFrom !== undefined && validFrom > issuedAt) payload.nbf = validFrom;
  if (expires !== undefined) payload.exp = expires;
  payload.vct = vct;
  if (request.holderJwk) payload.cnf = { jwk: publicJwk(request.holderJwk) };
  if (request.tokenStatus) payload.status = { status_list: tokenStatusOf(request.tokenStatus) };
  for (const [name, value] of claims) {
    if (name !== 'sub' && !disclosable.includes(name)) payload[name] = value;
  }
  payload._sd_alg = SD_HASH_ALG;
  if (digests.length > 0) payload._sd = digests;

  const issuerJwt = await signCompactJws({ alg: signer.alg, typ: SD_JWT_VC_TYP, kid: signer.kid }, payload, signer);
  return { format: 'dc+sd-jwt', encoded: [issuerJwt, ...disclosures].join('~') + '~', anchoredPart: issuerJwt };
}

/**
 * Reads an SD-JWT VC. See {@link SdJwtVcFormat.decode}.
 * @param input - the compact SD-JWT (with or without a key-binding JWT) or its JSON form
 * @returns the decoded credential
 * @throws SdJwtFormatError (see {@link SdJwtVcFormat.decode})
 */
export function decodeSdJwtVc(input: string | Readonly<Record<string, unknown>>): SdJwtVcCredential {
  const encoded = typeof input === 'string' ? input : unwrapEnvelope(input);
  const parts = splitSdJwt(encoded);
  const jws = decodeJws(parts.issuerJwt, 'sd-jwt.malformed');
  checkTyp(jws.header);
  const hashAlg = jws.payload._sd_alg ?? SD_HASH_ALG;
  if (hashAlg !== SD_HASH_ALG) {
    throw refuse(FormatErrorCode.UnsupportedAlgorithm, 'sd-jwt.hash-alg-unsupported', `_sd_alg ${JSON.stringify(hashAlg)} is not supported (only sha-256)`);
  }
  const disclosures = parts.disclosures.map(parseDisclosure);
  const processed = rebuildClaims(jws.payload, disclosures);
  const keyBinding = parts.kbJwt === undefined ? undefined : readKeyBinding(parts.kbJwt);
  return normalise(parts.issuerJwt, jws, processed, disclosures, keyBinding);
}

function verifySdJwtVcProof(credential: NormalisedCredential, keys: readonly VerificationKey[], crypto: SignatureCrypto): Promise<ProofCheck> {
  return verifyJwsSignature(credential, keys, crypto);
}

/** The shared compact-JWS reader, its errors given an SD-JWT reason (`alg: none` is refused there, RFC 9901 §4). */
function decodeJws(jwt: string, malformedReason: 'sd-jwt.malformed' | 'sd-jwt.kb-malformed'): DecodedJws {
  try {
    return decodeCompactJws(jwt);
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    const reason = malformedReason === 'sd-jwt.malformed' && error.code === FormatErrorCode.UnsupportedAlgorithm ? 'sd-jwt.alg-unsupported' : malformedReason;
    throw refuse(error.code, reason, `${malformedReason === 'sd-jwt.kb-malformed' ? 'the key-binding JWT' : 'the issuer-signed JWT'}: ${error.message}`);
  }
}

function checkTyp(header: JwsHeader): void {
  if (typeof header.typ !== 'string' || !ACCEPTED_TYPS.includes(header.typ)) {
    throw refuse(FormatErrorCode.UnsupportedType, 'sd-jwt.typ-unsupported', `typ ${JSON.stringify(header.typ)} is not dc+sd-jwt or vc+sd-jwt`);
  }
}

function readKeyBinding(jwt: string): KeyBindingJwt {
  const { header, payload, signingInput, signature } = decodeJws(jwt, 'sd-jwt.kb-malformed');
  return { jwt, header, payload, signingInput, signature };
}

function normalise(
  issuerJwt: string,
  jws: DecodedJws,
  processed: Record<string, unknown>,
  disclosures: readonly SdJwtDisclosure[],
  keyBinding: KeyBindingJwt | undefined,
): SdJwtVcCredential {
  const issuer = processed.iss;
  const vct = processed.vct;
  if (typeof issuer !== 'string' || issuer === '') throw invalidClaims('iss is missing or not a string');
  if (typeof vct !== 'string' || vct === '') throw invalidClaims('vct is missing or not a string');
  const id = optionalString(processed.jti, 'jti');
  const sub = optionalString(processed.sub, 'sub');
  const jwk = holderJwkOf(processed.cnf);
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(processed)) {
    if (!NON_SUBJECT_CLAIMS.has(name)) Object.defineProperty(claims, name, { value, enumerable: true, writable: true, configurable: true });
  }
  const issuedAt = dateOf(processed.iat, 'iat');
  const validFrom = dateOf(processed.nbf, 'nbf');
  const validUntil = dateOf(processed.exp, 'exp');
  return {
    format: 'dc+sd-jwt',
    header: jws.header,
    ...(id === undefined ? {} : { id }),
    types: [vct],
    primaryType: vct,
    issuer,
    claims,
    holder: { ...(sub === undefined ? {} : { id: sub }), ...(jwk === undefined ? {} : { jwk }) },
    ...(issuedAt === undefined ? {} : { issuedAt }),
    ...(validFrom === undefined ? {} : { validFrom }),
    ...(validUntil === undefined ? {} : { validUntil }),
    status: statusOf(processed.status),
    schemas: [],
    credential: processed,
    anchoredPart: issuerJwt,
    signingInput: jws.signingInput,
    signature: jws.signature,
    signedPayload: jws.payload,
    disclosures,
    ...(keyBinding === undefined ? {} : { keyBinding }),
  };
}

function unwrapEnvelope(input: Readonly<Record<string, unknown>>): string {
  const { id, type } = input;
  const context = input['@context'];
  const enveloped = type === ENVELOPED_CREDENTIAL_TYPE || (Array.isArray(type) && type.length === 1 && type[0] === ENVELOPED_CREDENTIAL_TYPE);
  const contextOk = context === VCDM2_CONTEXT || (Array.isArray(context) && context[0] === VCDM2_CONTEXT);
  // Nothing but the envelope's own members: anything else would ride along unsigned beside the SD-JWT.
  const onlyThose = Object.keys(input).every((key) => key === '@context' || key === 'type' || key === 'id');
  if (!enveloped || !contextOk || !onlyThose || typeof id !== 'string') {
    throw refuse(FormatErrorCode.Malformed, 'sd-jwt.malformed', 'the JSON form of an SD-JWT VC is an EnvelopedVerifiableCredential {@context, id: "data:application/dc+sd-jwt,…", type} and nothing more');
  }
  for (const typ of ACCEPTED_TYPS) {
    const prefix = `data:application/${typ},`;
    if (id.startsWith(prefix)) return id.slice(prefix.length);
  }
  throw refuse(FormatErrorCode.UnsupportedType, 'sd-jwt.typ-unsupported', 'the enveloped credential is not application/dc+sd-jwt');
}

function holderJwkOf(cnf: unknown): PublicJwk | undefined {
  if (cnf === undefined) return undefined;
  if (cnf === null || typeof cnf !== 'object') throw invalidClaims('cnf is not an object');
  const jwk = (cnf as Record<string, unknown>).jwk;
  if (jwk === undefined) return undefined;
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk) || typeof (jwk as Record<string, unknown>).kty !== 'string') {
    throw invalidClaims('cnf.jwk is not a JWK');
  }
  return jwk as PublicJwk;
}

function statusOf(status: unknown): StatusReference[] {
  if (status === undefined) return [];
  if (status === null || typeof status !== 'object') throw invalidClaims('status is not an object');
  const list = (status as Record<string, unknown>).status_list;
  // Other status mechanisms may sit beside status_list; only the Token Status List is read.
  if (list === undefined) return [];
  const { idx, uri } = (list ?? {}) as Record<string, unknown>;
  if (!Number.isSafeInteger(idx) || (idx as number) < 0 || typeof uri !== 'string' || uri === '') {
    throw invalidClaims('status.status_list needs a non-negative integer idx and a uri');
  }
  return [{ kind: 'token', uri, index: idx as number }];
}

function dateOf(value: unknown, name: string): Date | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidClaims(`${name} is not a NumericDate`);
  return new Date(value * 1000);
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidClaims(`${name} is not a string`);
  return value;
}

function issuerOf(issuer: unknown): string {
  if (typeof issuer === 'string' && issuer !== '') return issuer;
  if (issuer !== null && typeof issuer === 'object' && typeof (issuer as Record<string, unknown>).id === 'string') {
    return (issuer as Record<string, unknown>).id as string;
  }
  throw invalidRequest('the credential needs an issuer (a string or an object with an id)');
}

function secondsOf(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw invalidRequest(`${name} is not an XML Schema dateTime`);
  return Math.floor(ms / 1000);
}

function saltFrom(salt: () => string): string {
  const value = salt();
  if (typeof value !== 'string' || value === '') throw invalidRequest('the salt source returned no salt');
  return value;
}

function publicJwk(jwk: PublicJwk): PublicJwk {
  // A private member in cnf would publish the holder's key to every verifier.
  if ('d' in jwk || 'p' in jwk || 'q' in jwk || 'k' in jwk) throw invalidRequest('holderJwk holds private key material');
  return jwk;
}

function tokenStatusOf(status: { readonly uri: string; readonly index: number }): { idx: number; uri: string } {
  if (!Number.isSafeInteger(status.index) || status.index < 0 || typeof status.uri !== 'string' || status.uri === '') {
    throw invalidRequest('tokenStatus needs a uri and a non-negative integer index');
  }
  return { idx: status.index, uri: status.uri };
}

function invalidRequest(message: string): SdJwtFormatError {
  return refuse(FormatErrorCode.InvalidRequest, 'sd-jwt.request-invalid', message);
}

function invalidClaims(message: string): SdJwtFormatError {
  return refuse(FormatErrorCode.InvalidClaims, 'sd-jwt.claims-invalid', message);
}

function refuse(code: FormatErrorCode, reason: SdJwtRefusal, message: string): SdJwtFormatError {
  return new SdJwtFormatError(code, reason, message);
}
