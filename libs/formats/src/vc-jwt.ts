import { decodeCompactJws, signCompactJws, verifyJwsSignature } from './jws.js';
import {
  FormatError,
  FormatErrorCode,
  type CredentialFormat,
  type JwsSigner,
  type NormalisedCredential,
  type SignedCredential,
  type SignRequest,
} from './types.js';
import {
  dateTimeStamp,
  isJsonObject,
  issuerIdOf,
  jsonCopy,
  memberName,
  numericDate,
  primaryTypeOf,
  schemasOf,
  statusReferencesOf,
  typesOf,
  VCDM2_CONTEXT,
} from './w3c.js';

/**
 * `vc+jwt`: a W3C VC Data Model 2.0 credential secured with JOSE (VC-JOSE-COSE, W3C Recommendation 2025): the JWT
 * claims set IS the credential (no `vc` wrapper), the header is `{alg, kid, typ: "vc+jwt", cty: "vc"}`. We sign the
 * credential as given and add no JWT claims; on reading, the registered claims VC-JOSE-COSE allows (`iss`, `jti`,
 * `sub`, `iat`, `nbf`, `exp`) are accepted when they agree with the credential (`iss`/`issuer`, `jti`/`id`,
 * `sub`/`credentialSubject.id`). `iat` and `exp` are the signature's times: `iat` is the issue time, and the
 * credential is valid only while both `validUntil` and `exp` allow (likewise `validFrom` and `nbf`).
 */

/** The media type (`typ`) of a VCDM 2.0 credential secured as a JWS. */
export const VC_JWT_TYP = 'vc+jwt';
/** The content type (`cty`) of the JWS payload: a credential. */
export const VC_JWT_CTY = 'vc';
/** The type of the JSON form: a credential enveloped in its secured bytes. */
export const ENVELOPED_CREDENTIAL_TYPE = 'EnvelopedVerifiableCredential';
/** The prefix of an enveloped `vc+jwt` credential's `id` (a data: URL, RFC 2397). */
export const VC_JWT_DATA_URL_PREFIX = 'data:application/vc+jwt,';

/** Members a VCDM 2.0 credential may not carry in this format: 1.1 dates, JWT wrappers, an embedded proof. */
const FORBIDDEN_MEMBERS = ['issuanceDate', 'expirationDate', 'vc', 'vp', 'proof'] as const;
/** JWT claims our signing never adds: a credential to sign carrying them would give them a second meaning. */
const JWT_CLAIMS = ['iss', 'sub', 'jti', 'iat', 'nbf', 'exp', 'aud', 'cnf'] as const;

/**
 * Checks a VCDM 2.0 credential's members; returns its issuer id, types and subject.
 * @param code - `format.invalid-request` when signing, `format.invalid-claims` when reading
 */
function checkCredential(credential: Readonly<Record<string, unknown>>, code: FormatErrorCode): { issuer: string; types: string[]; subject: Record<string, unknown> } {
  for (const name of FORBIDDEN_MEMBERS) {
    if (name in credential) throw new FormatError(code, `a vc+jwt credential must not have ${memberName(name)}`);
  }
  const context = credential['@context'];
  if (!Array.isArray(context) || context[0] !== VCDM2_CONTEXT || !context.every((c) => typeof c === 'string' || isJsonObject(c))) {
    throw new FormatError(code, `"@context" must be a list starting with ${VCDM2_CONTEXT}`);
  }
  const types = typesOf(credential['type'], code);
  const issuer = issuerIdOf(credential['issuer'], code);
  if (credential['id'] !== undefined && (typeof credential['id'] !== 'string' || credential['id'] === '')) throw new FormatError(code, '"id" must be a non-empty string');
  if (credential['validFrom'] !== undefined) dateTimeStamp(credential['validFrom'], 'validFrom', code);
  if (credential['validUntil'] !== undefined) dateTimeStamp(credential['validUntil'], 'validUntil', code);
  const subject = credential['credentialSubject'];
  // VCDM 2.0 allows several subjects; CityCred credentials have one, and the holder is that subject.
  if (!isJsonObject(subject)) throw new FormatError(code, '"credentialSubject" must be one object');
  if (subject['id'] !== undefined && typeof subject['id'] !== 'string') throw new FormatError(code, '"credentialSubject.id" must be a string');
  return { issuer, types, subject };
}

/** A DID issuer's `kid` must be a DID URL of that DID: a key of anyone else cannot speak for it. */
function checkKid(kid: unknown, issuer: string, code: FormatErrorCode): void {
  if (kid === undefined) return;
  if (typeof kid !== 'string' || kid === '') throw new FormatError(code, '"kid" must be a non-empty string');
  if (issuer.startsWith('did:') && !kid.startsWith(`${issuer}#`)) throw new FormatError(code, '"kid" must be a DID URL (with a fragment) of the issuer\'s DID');
}

function later(a: Date | undefined, b: Date | undefined): Date | undefined {
  return a && b ? (a > b ? a : b) : (a ?? b);
}

function earlier(a: Date | undefined, b: Date | undefined): Date | undefined {
  return a && b ? (a < b ? a : b) : (a ?? b);
}

function decodeJwt(jwt: string): NormalisedCredential {
  const jws = decodeCompactJws(jwt);
  const { header, payload } = jws;
  if (header.typ !== VC_JWT_TYP) throw new FormatError(FormatErrorCode.UnsupportedType, `a vc+jwt header has typ "${VC_JWT_TYP}"`);
  if (header.cty !== undefined && header.cty !== VC_JWT_CTY) throw new FormatError(FormatErrorCode.UnsupportedType, `a vc+jwt header's cty, when present, is "${VC_JWT_CTY}"`);
  const { issuer, types, subject } = checkCredential(payload, FormatErrorCode.InvalidClaims);
  checkKid(header.kid, issuer, FormatErrorCode.InvalidClaims);
  const { id: subjectId, ...claims } = subject;
  const agree = (claim: 'iss' | 'jti' | 'sub', value: unknown, what: string): void => {
    if (payload[claim] !== undefined && payload[claim] !== value) throw new FormatError(FormatErrorCode.InvalidClaims, `"${claim}" conflicts with ${what}`);
  };
  agree('iss', issuer, '"issuer"');
  agree('jti', payload['id'], '"id"');
  agree('sub', subjectId, '"credentialSubject.id"');
  const iat = payload['iat'] === undefined ? undefined : numericDate(payload['iat'], 'iat');
  const nbf = payload['nbf'] === undefined ? undefined : numericDate(payload['nbf'], 'nbf');
  const exp = payload['exp'] === undefined ? undefined : numericDate(payload['exp'], 'exp');
  const validFrom = payload['validFrom'] === undefined ? undefined : dateTimeStamp(payload['validFrom'], 'validFrom', FormatErrorCode.InvalidClaims);
  const validUntil = payload['validUntil'] === undefined ? undefined : dateTimeStamp(payload['validUntil'], 'validUntil', FormatErrorCode.InvalidClaims);
  const from = later(validFrom, nbf);
  const until = earlier(validUntil, exp);
  const issuedAt = iat ?? validFrom;
  return {
    format: 'vc+jwt',
    header,
    ...(typeof payload['id'] === 'string' ? { id: payload['id'] } : {}),
    types,
    primaryType: primaryTypeOf(types),
    issuer,
    claims,
    holder: typeof subjectId === 'string' ? { id: subjectId } : {},
    ...(issuedAt ? { issuedAt } : {}),
    ...(from ? { validFrom: from } : {}),
    ...(until ? { validUntil: until } : {}),
    status: statusReferencesOf(payload['credentialStatus']),
    schemas: schemasOf(payload['credentialSchema']),
    credential: payload,
    anchoredPart: jwt,
    signingInput: jws.signingInput,
    signature: jws.signature,
  };
}

/**
 * The compact JWT inside an `EnvelopedVerifiableCredential` (exactly `@context`, `id`, `type`; nothing else rides
 * along unsigned).
 * @throws FormatError `format.malformed` otherwise
 */
function unenvelope(envelope: Readonly<Record<string, unknown>>): string {
  const context = envelope['@context'];
  const type = envelope['type'];
  const id = envelope['id'];
  const contextOk = context === VCDM2_CONTEXT || (Array.isArray(context) && context[0] === VCDM2_CONTEXT);
  const typeOk = type === ENVELOPED_CREDENTIAL_TYPE || (Array.isArray(type) && type.length === 1 && type[0] === ENVELOPED_CREDENTIAL_TYPE);
  const onlyThose = Object.keys(envelope).every((key) => key === '@context' || key === 'type' || key === 'id');
  if (!contextOk || !typeOk || !onlyThose || typeof id !== 'string' || !id.startsWith(VC_JWT_DATA_URL_PREFIX)) {
    throw new FormatError(FormatErrorCode.Malformed, `expected a compact vc+jwt or an ${ENVELOPED_CREDENTIAL_TYPE} {@context, id: "${VC_JWT_DATA_URL_PREFIX}…", type}`);
  }
  return id.slice(VC_JWT_DATA_URL_PREFIX.length);
}

/**
 * The JSON form of a `vc+jwt`: an `EnvelopedVerifiableCredential` whose id is a data: URL of the JWT.
 * @param jwt - the compact JWT
 */
export function envelopeVcJwt(jwt: string): { '@context': string; id: string; type: string } {
  return { '@context': VCDM2_CONTEXT, id: `${VC_JWT_DATA_URL_PREFIX}${jwt}`, type: ENVELOPED_CREDENTIAL_TYPE };
}

/** The `vc+jwt` format (see the module comment). */
export const vcJwtFormat: CredentialFormat = {
  id: 'vc+jwt',

  /**
   * Signs the credential as the claims set, members in the order given, with the header
   * `{alg, kid, typ: "vc+jwt", cty: "vc"}`.
   * @throws FormatError `format.invalid-request` for a credential that is not VCDM 2.0 (context v2 first, no
   *   `issuanceDate`/`expirationDate`, no `vc`/`proof`, no JWT claim names as members, one subject object) or a
   *   signer `kid` that is not a DID URL of a DID issuer; `format.unsupported-alg`
   */
  async sign(request: SignRequest, signer: JwsSigner): Promise<SignedCredential> {
    const credential = jsonCopy(request.credential);
    const { issuer } = checkCredential(credential, FormatErrorCode.InvalidRequest);
    for (const name of JWT_CLAIMS) {
      if (name in credential) throw new FormatError(FormatErrorCode.InvalidRequest, `a credential to sign as vc+jwt must not have ${memberName(name)}`);
    }
    checkKid(signer.kid, issuer, FormatErrorCode.InvalidRequest);
    // `iat`, the signing time, is the one JWT claim added: a validFrom may lie in the future, and verifiers check the
    // issuer's accreditation and the anchor against when it was signed.
    const claims = request.issuedAt ? { ...credential, iat: Math.floor(request.issuedAt.getTime() / 1000) } : credential;
    const encoded = await signCompactJws({ alg: signer.alg, kid: signer.kid, typ: VC_JWT_TYP, cty: VC_JWT_CTY }, claims, signer);
    return { format: 'vc+jwt', encoded, anchoredPart: encoded };
  },

  /**
   * Accepts the compact JWT or its `EnvelopedVerifiableCredential`.
   * @throws FormatError `format.malformed`, `format.unsupported-typ` (typ not `vc+jwt`, cty not `vc`),
   *   `format.unsupported-alg`, `format.invalid-claims` (a VCDM 1.1 date, a `vc` claim, a JWT claim that conflicts
   *   with the credential, a `kid` outside the issuer's DID)
   */
  decode(input: string | Readonly<Record<string, unknown>>): NormalisedCredential {
    if (typeof input === 'string') return decodeJwt(input);
    if (!isJsonObject(input)) throw new FormatError(FormatErrorCode.Malformed, `expected a compact vc+jwt or an ${ENVELOPED_CREDENTIAL_TYPE}`);
    return decodeJwt(unenvelope(input));
  },

  verifyProof(credential, keys, crypto) {
    return verifyJwsSignature(credential, keys, crypto);
  },

  toJson(signed: SignedCredential): { '@context': string; id: string; type: string } {
    return envelopeVcJwt(signed.encoded);
  },
};
