import { decodeCompactJws, signCompactJws, verifyJwsSignature, type DecodedJws } from './jws.js';
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
  canonicalJson,
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
  VCDM1_CONTEXT,
} from './w3c.js';

/**
 * `jwt_vc`: a W3C VC Data Model 1.1 credential as a JWT (VCDM 1.1 §6.3.1), byte for byte as did-jwt-vc's
 * `createVerifiableCredentialJwt` — and so Veramo 7's `createVerifiableCredential({ proofFormat: 'jwt' })` — makes
 * it for the same credential and key: header `{"alg":…,"typ":"JWT"}` (no `kid`: Veramo names none), claims in
 * did-jwt's order (`exp` first when there is one, then `vc`, `sub`, `jti`, `nbf`, `iss`; no `iat`). ES256K signatures
 * are deterministic (RFC 6979) and low-S, so the bytes repeat.
 */

/** The JWT `proof.type` of Veramo's JSON form. */
export const JWT_PROOF_TYPE = 'JwtProof2020';

/** Members did-jwt-vc moves into the `vc` claim besides `@context`, `type` and `credentialSubject`, in its order. */
const VC_CLAIM_MEMBERS = ['evidence', 'termsOfUse', 'refreshService', 'credentialSchema', 'credentialStatus'] as const;

/**
 * Top-level members a credential to sign may not have: JWT claim names (did-jwt-vc would take them as the claims
 * themselves instead of deriving them) and an existing proof.
 */
const RESERVED_MEMBERS = ['vc', 'iss', 'sub', 'jti', 'nbf', 'exp', 'iat', 'aud', 'context', 'proof'] as const;

/** did-jwt-vc's bound on NumericDates: 11 digits at most, so milliseconds are not mistaken for seconds. */
const MAX_NUMERIC_DATE = 100_000_000_000;

/**
 * The JWT claims set did-jwt-vc makes of a VCDM 1.1 credential, members in the order it produces them.
 * @param credential - a complete credential without proof
 * @throws FormatError `format.invalid-request` when it is not one
 */
function claimsOf(credential: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const input = jsonCopy(credential);
  for (const name of RESERVED_MEMBERS) {
    if (name in input) throw new FormatError(FormatErrorCode.InvalidRequest, `a credential to sign as jwt_vc must not have ${memberName(name)}`);
  }
  const context = typeof input['@context'] === 'string' ? [input['@context']] : input['@context'];
  if (!Array.isArray(context) || context[0] !== VCDM1_CONTEXT || !context.every((c) => typeof c === 'string')) {
    throw new FormatError(FormatErrorCode.InvalidRequest, `"@context" must be a list of URLs starting with ${VCDM1_CONTEXT}`);
  }
  if (new Set(context).size !== context.length) throw new FormatError(FormatErrorCode.InvalidRequest, '"@context" lists a context twice');
  const types = typesOf(input['type'], FormatErrorCode.InvalidRequest);
  if (types[0] !== 'VerifiableCredential') throw new FormatError(FormatErrorCode.InvalidRequest, '"type" must start with VerifiableCredential');
  const issuer = issuerIdOf(input['issuer'], FormatErrorCode.InvalidRequest);
  // Veramo signs as the DID without parameters or fragment; a DID URL here would make "iss" differ from "issuer".
  if (/[?#]/.test(issuer)) throw new FormatError(FormatErrorCode.InvalidRequest, 'the issuer must be a DID, not a DID URL');
  if (input['id'] !== undefined && (typeof input['id'] !== 'string' || input['id'] === '')) throw new FormatError(FormatErrorCode.InvalidRequest, '"id" must be a non-empty string');
  const issuedAt = dateTimeStamp(input['issuanceDate'], 'issuanceDate', FormatErrorCode.InvalidRequest);
  const expiresAt = input['expirationDate'] === undefined ? undefined : dateTimeStamp(input['expirationDate'], 'expirationDate', FormatErrorCode.InvalidRequest);
  const subject = input['credentialSubject'];
  if (!isJsonObject(subject)) throw new FormatError(FormatErrorCode.InvalidRequest, '"credentialSubject" must be one object');
  if (subject['id'] !== undefined && typeof subject['id'] !== 'string') throw new FormatError(FormatErrorCode.InvalidRequest, '"credentialSubject.id" must be a string');
  const { id: subjectId, ...claims } = subject;
  if (Object.keys(claims).length === 0) throw new FormatError(FormatErrorCode.InvalidRequest, '"credentialSubject" must have claims besides "id"');

  // did-jwt-vc's transformCredentialInput: `vc` first, the credential's own members in their order, then `sub`;
  // each member it maps is removed and its claim appended. Members it does not map stay at the top level.
  const payload: Record<string, unknown> = { vc: {}, ...input };
  const vc = payload['vc'] as Record<string, unknown>;
  payload['sub'] = subjectId;
  vc['@context'] = context;
  delete payload['@context'];
  vc['type'] = types;
  delete payload['type'];
  if (input['id'] !== undefined) {
    payload['jti'] = input['id'];
    delete payload['id'];
  }
  payload['nbf'] = seconds(issuedAt, 'issuanceDate');
  delete payload['issuanceDate'];
  if (expiresAt) {
    payload['exp'] = seconds(expiresAt, 'expirationDate');
    delete payload['expirationDate'];
  }
  payload['iss'] = issuer;
  if (typeof input['issuer'] === 'object') {
    const rest = { ...(payload['issuer'] as Record<string, unknown>) };
    delete rest['id'];
    if (Object.keys(rest).length === 0) delete payload['issuer'];
    else payload['issuer'] = rest;
  } else delete payload['issuer'];
  vc['credentialSubject'] = claims;
  delete payload['credentialSubject'];
  for (const name of VC_CLAIM_MEMBERS) {
    if (input[name]) {
      vc[name] = input[name];
      delete payload[name];
    }
  }
  // did-jwt's createJWT spreads `{ iat, exp }` first and did-jwt-vc sets `iat: undefined`: so `exp` leads, `iat` is dropped.
  const { exp, ...others } = payload;
  return exp === undefined ? others : { exp, ...others };
}

function seconds(date: Date, name: string): number {
  const value = Math.floor(date.getTime() / 1000);
  if (value < 0 || value >= MAX_NUMERIC_DATE) throw new FormatError(FormatErrorCode.InvalidRequest, `"${name}" is out of range`);
  return value;
}

/**
 * Veramo's JSON form of a JWT VC's claims (did-jwt-vc `normalizeCredential`), without `proof`: the credential's
 * members in the order Veramo returns them.
 */
function jsonFormOf(payload: Readonly<Record<string, unknown>>): Record<string, unknown> {
  // Read from the payload as it is (nothing below writes to `input` or to anything in it); write to a copy.
  const input = payload as Record<string, unknown>;
  const result = jsonCopy(payload);
  const vc = isJsonObject(input['vc']) ? input['vc'] : {};
  const resultVc = isJsonObject(result['vc']) ? result['vc'] : undefined;
  const inputSubject = isJsonObject(input['credentialSubject']) ? input['credentialSubject'] : {};
  const subject = { ...inputSubject, ...(isJsonObject(vc['credentialSubject']) ? vc['credentialSubject'] : {}) };
  result['credentialSubject'] = subject;
  if (input['sub'] && !inputSubject['id']) {
    subject['id'] = input['sub'];
    delete result['sub'];
  }
  delete resultVc?.['credentialSubject'];
  if (input['issuer'] === undefined || isJsonObject(input['issuer'])) {
    const issuer: Record<string, unknown> = { id: input['iss'], ...(isJsonObject(input['issuer']) ? input['issuer'] : {}) };
    if (issuer['id'] === undefined) delete issuer['id'];
    result['issuer'] = issuer;
    if (!(isJsonObject(input['issuer']) && input['issuer']['id'])) delete result['iss'];
  }
  if (!input['id'] && input['jti']) {
    result['id'] = result['id'] || result['jti'];
    delete result['jti'];
  }
  result['type'] = [...new Set([...asList(result['type']), ...asList(resultVc?.['type'])])];
  delete resultVc?.['type'];
  for (const name of VC_CLAIM_MEMBERS) {
    if (vc[name]) {
      if (!result[name]) result[name] = vc[name];
      delete resultVc?.[name];
    }
  }
  result['@context'] = [...new Set([...asList(input['context']), ...asList(input['@context']), ...asList(vc['@context'])])];
  delete result['context'];
  delete resultVc?.['@context'];
  const issuedAt = (input['nbf'] || input['iat']) as number | undefined;
  if (!input['issuanceDate'] && issuedAt) {
    result['issuanceDate'] = new Date(issuedAt * 1000).toISOString();
    delete result[input['nbf'] ? 'nbf' : 'iat'];
  }
  if (!input['expirationDate'] && input['exp']) {
    result['expirationDate'] = new Date((input['exp'] as number) * 1000).toISOString();
    delete result['exp'];
  }
  if (resultVc && Object.keys(resultVc).length === 0) delete result['vc'];
  return result;
}

function asList(value: unknown): unknown[] {
  return (Array.isArray(value) ? value : [value]).filter((item) => item !== undefined && item !== null);
}

/**
 * The first member of a JSON form that says something its JWT does not sign, or null. Members may be left out,
 * never added or changed (the verifier's rule until now): `issuer` may be the id alone or the signed object;
 * dates compare as instants; everything else as canonical JSON.
 */
function jsonMismatch(json: Readonly<Record<string, unknown>>, signed: Readonly<Record<string, unknown>>): string | null {
  for (const [key, value] of Object.entries(json)) {
    if (key === 'proof') continue;
    if (!(key in signed)) return `${memberName(key)} is not in the signed JWT`;
    const expected = signed[key];
    if (key === 'issuer') {
      const signedId = isJsonObject(expected) ? expected['id'] : expected;
      const sameId = typeof value === 'string' ? value === signedId : isJsonObject(value) && value['id'] === signedId;
      const sameRest = typeof value === 'string' || (isJsonObject(value) && (Object.keys(value).length === 1 || canonicalJson(value) === canonicalJson(expected)));
      if (!sameId || !sameRest) return '"issuer" differs';
    } else if (key === 'issuanceDate' || key === 'expirationDate') {
      if (typeof value !== 'string' || Date.parse(value) !== Date.parse(expected as string)) return `${memberName(key)} differs`;
    } else if (canonicalJson(value) !== canonicalJson(expected)) {
      return `${memberName(key)} differs`;
    }
  }
  return null;
}

function decodeJwt(jwt: string): { jws: DecodedJws; credential: NormalisedCredential } {
  const jws = decodeCompactJws(jwt);
  const { header, payload } = jws;
  if (header.typ !== undefined && header.typ !== 'JWT') throw new FormatError(FormatErrorCode.UnsupportedType, 'a jwt_vc header has typ "JWT" or none');
  if (header.cty !== undefined) throw new FormatError(FormatErrorCode.UnsupportedType, 'a jwt_vc header has no "cty"');
  const vc = payload['vc'];
  if (!isJsonObject(vc)) throw new FormatError(FormatErrorCode.InvalidClaims, 'the JWT has no "vc" claim');
  const context = vc['@context'];
  if (!Array.isArray(context) || context[0] !== VCDM1_CONTEXT) throw new FormatError(FormatErrorCode.InvalidClaims, `the first @context must be ${VCDM1_CONTEXT}`);
  const vcSubject = vc['credentialSubject'];
  if (!isJsonObject(vcSubject)) throw new FormatError(FormatErrorCode.InvalidClaims, '"vc.credentialSubject" must be one object');
  const iss = payload['iss'];
  if (typeof iss !== 'string' || iss === '') throw new FormatError(FormatErrorCode.InvalidClaims, 'the JWT has no "iss"');
  for (const name of ['sub', 'jti'] as const) {
    if (payload[name] !== undefined && typeof payload[name] !== 'string') throw new FormatError(FormatErrorCode.InvalidClaims, `"${name}" must be a string`);
  }
  const nbf = payload['nbf'] === undefined ? undefined : numericDate(payload['nbf'], 'nbf');
  const iat = payload['iat'] === undefined ? undefined : numericDate(payload['iat'], 'iat');
  const exp = payload['exp'] === undefined ? undefined : numericDate(payload['exp'], 'exp');
  if (!nbf && !iat) throw new FormatError(FormatErrorCode.InvalidClaims, 'the JWT has neither "nbf" nor "iat" (the issuance date)');
  const json = jsonFormOf(payload);
  const types = typesOf(json['type'], FormatErrorCode.InvalidClaims);
  const subject = json['credentialSubject'] as Record<string, unknown>;
  const { id: subjectId, ...claims } = subject;
  return {
    jws,
    credential: {
      format: 'jwt_vc',
      header,
      ...(typeof json['id'] === 'string' ? { id: json['id'] } : {}),
      types,
      primaryType: primaryTypeOf(types),
      issuer: iss,
      claims,
      holder: typeof subjectId === 'string' ? { id: subjectId } : {},
      ...(iat ? { issuedAt: iat } : nbf ? { issuedAt: nbf } : {}),
      ...(nbf ? { validFrom: nbf } : iat ? { validFrom: iat } : {}),
      ...(exp ? { validUntil: exp } : {}),
      status: statusReferencesOf(json['credentialStatus']),
      schemas: schemasOf(json['credentialSchema']),
      credential: json,
      anchoredPart: jwt,
      signingInput: jws.signingInput,
      signature: jws.signature,
    },
  };
}

/**
 * Veramo's JSON form of a signed JWT VC: the credential as did-jwt-vc's `normalizeCredential` reads it from the
 * JWT, with `proof: { type: 'JwtProof2020', jwt }`.
 * @param jwt - the compact JWT
 * @throws FormatError when the JWT is not a `jwt_vc`
 */
export function jwtVcJsonForm(jwt: string): Record<string, unknown> {
  return { ...decodeJwt(jwt).credential.credential, proof: { type: JWT_PROOF_TYPE, jwt } };
}

/** The `jwt_vc` format (see the module comment). */
export const jwtVcFormat: CredentialFormat = {
  id: 'jwt_vc',

  /**
   * @throws FormatError `format.invalid-request` for a credential that is not a complete VCDM 1.1 credential
   *   without proof (context v1 first, `type` starting with VerifiableCredential, issuer DID, `issuanceDate`, one
   *   subject object with claims; no JWT claim names or `proof` as members), `format.unsupported-alg`
   */
  async sign(request: SignRequest, signer: JwsSigner): Promise<SignedCredential> {
    const payload = claimsOf(request.credential);
    const encoded = await signCompactJws({ alg: signer.alg, typ: 'JWT' }, payload, signer);
    return { format: 'jwt_vc', encoded, anchoredPart: encoded };
  },

  /**
   * Accepts the compact JWT or Veramo's JSON form. For the JSON form, `proof` must be exactly
   * `{type: 'JwtProof2020', jwt}` and every other member must say what the JWT signs (members may be left out).
   * @throws FormatError `format.malformed`, `format.unsupported-typ`, `format.unsupported-alg`, `format.invalid-claims`
   */
  decode(input: string | Readonly<Record<string, unknown>>): NormalisedCredential {
    if (typeof input === 'string') return decodeJwt(input).credential;
    if (!isJsonObject(input)) throw new FormatError(FormatErrorCode.Malformed, 'expected a compact JWT or a credential with proof.jwt');
    const proof = input['proof'];
    // Only the JWT is signed: a proof claiming another type or carrying more must not ride along unchecked.
    if (!isJsonObject(proof) || proof['type'] !== JWT_PROOF_TYPE || typeof proof['jwt'] !== 'string' || Object.keys(proof).length !== 2) {
      throw new FormatError(FormatErrorCode.Malformed, 'the JSON form\'s proof must be exactly {type: "JwtProof2020", jwt}');
    }
    const { credential } = decodeJwt(proof['jwt']);
    const mismatch = jsonMismatch(input, credential.credential);
    if (mismatch) throw new FormatError(FormatErrorCode.InvalidClaims, `the JSON form does not match its signed JWT: ${mismatch}`);
    return credential;
  },

  verifyProof(credential, keys, crypto) {
    return verifyJwsSignature(credential, keys, crypto);
  },

  /** @throws FormatError when `signed.encoded` is not a `jwt_vc` */
  toJson(signed: SignedCredential): Record<string, unknown> {
    return jwtVcJsonForm(signed.encoded);
  },
};
