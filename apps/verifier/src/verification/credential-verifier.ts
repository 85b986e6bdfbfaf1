import { credentialHash, verifyMerkleProof, rootFromProof, type AnchorLedger, type Hex32 } from '@citycred/anchoring';
import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import {
  checkAgeClaims,
  CITYCRED_CONTEXT_URL,
  containsResidentRegistrationNumber,
  isCatalogueType,
  isCredentialType,
  validateCredentialSubject,
  VC_V1_CONTEXT_URL,
  VC_V2_CONTEXT_URL,
  VCT_BASE_URL,
  type CredentialTypeName,
} from '@citycred/credentials';
import { didAtBlock, NodeSignatureCrypto } from '@citycred/did';
import {
  credentialFormat,
  detectFormat,
  decodeBase64urlText,
  FormatError,
  FormatErrorCode,
  isHolderDid,
  isJsonObject,
  memberName,
  publicJwkOfDid,
  type CredentialFormatId,
  type NormalisedCredential,
  type SignatureCrypto,
  type StatusReference,
  type VerificationKey,
} from '@citycred/formats';
import type { DIDDocument, DIDResolutionResult, Resolvable } from 'did-resolver';
import { computeAddress, isAddress } from 'ethers';
import { anchorProofSchema, type AnchorProof, type AnchorProofSource } from './anchor-proof-source.js';
import { isChainOutage } from './chain-outage.js';
import { signingKeysOnly } from './issuer-keys.js';
import { LruMap } from './lru-map.js';
import { resultOf, type Check, type CheckId, type CredentialSummary, type VerificationPolicy, type VerificationResult } from './result.js';
import { CredentialStatusCheck, verificationKeysOf } from './status-check.js';
import type { StatusListSource } from './status-list-source.js';
import type { TrustedStatusListRecorder } from './trusted-status-lists.js';
import { CITY_POLICY } from './verification-policy.js';

/** Settings of {@link CredentialVerifier}. */
export interface CredentialVerifierSettings {
  /** The did:ethr network name of the city chain. */
  didNetwork: string;
  /**
   * How long a credential the issuer says is queued counts as `pending` rather than `failed` (seconds), measured
   * from the earlier of the issuer's `enqueuedAt` and the credential's issuance time.
   */
  anchorGraceSeconds: number;
  /** Tolerated clock difference for issuance/expiry, and between issuance and the anchoring block's time (seconds). */
  clockSkewSeconds: number;
}

/** What the caller may hand in besides the credential. */
export interface VerifyOptions {
  /** An anchor proof the holder presents (e.g. from the wallet); otherwise it is fetched from the issuer. */
  anchorProof?: unknown;
  /**
   * Anchor proofs a presentation carries, for any of its credentials: the one that leads from this credential's
   * hash to its root is used; when none does, the proof is fetched as without one. Ignored when `anchorProof` is given.
   */
  anchorProofs?: readonly unknown[];
  /** The policy that decides which check statuses count; {@link CITY_POLICY} when not given. */
  policy?: VerificationPolicy;
}

/** A credential once decoded by its format and shape-checked; nothing in it is trusted yet. */
interface DecodedCredential {
  readonly normalised: NormalisedCredential;
  /** The issuer DID (`iss` / `issuer`). */
  readonly issuerDid: string;
  /** The issuer's address when it is a did:ethr on the city network; null for a did:jwk / did:key issuer. */
  readonly issuerAddress: string | null;
  /**
   * The type name accreditation is recorded under: the primary W3C type, or the SD-JWT VC's `vct` with the city's
   * `vct` base taken off (`…/vct/SeoulCitizenCard` → `SeoulCitizenCard`).
   */
  readonly type: string;
  /** The catalogue type when {@link type} is one: its schema is checked. */
  readonly catalogueType: CredentialTypeName | null;
  /** When it was signed: accreditation and anchoring are judged at this time. */
  readonly issuedAt: Date;
  readonly validFrom: Date;
  readonly validUntil: Date | null;
  /** The signed `credentialStatus` of a W3C credential, undefined when it has none. */
  readonly credentialStatus: unknown;
  /** The Token Status List references of an SD-JWT VC. */
  readonly tokenStatus: ReadonlyArray<Extract<StatusReference, { kind: 'token' }>>;
}

/**
 * The anchor check, and the block of the issuer's anchor when it passed (or failed only because the credential is
 * dated after that block): the signature is judged as of that block.
 */
type AnchorCheck = Check & { anchoredInBlock?: number };

/** A check that could not find out what it needs because a dependency did not answer (see {@link CredentialVerifier.cannotTell}). */
type UnknownCheck = Check & { outage: { why: string; cause?: unknown; retryAfterSeconds?: number } };

function isUnknown(check: Check): check is UnknownCheck {
  return 'outage' in check;
}

/** What a format's bytes are called in a detail. */
const FORMAT_NAMES: Readonly<Record<CredentialFormatId, string>> = {
  jwt_vc: 'JWT VC (VCDM 1.1)',
  'vc+jwt': 'vc+jwt (VCDM 2.0, VC-JOSE-COSE)',
  'dc+sd-jwt': 'SD-JWT VC',
};

/** The base `@context` of each W3C format: the only contexts a catalogue credential carries are its base and ours. */
const BASE_CONTEXT: Readonly<Partial<Record<CredentialFormatId, string>>> = { jwt_vc: VC_V1_CONTEXT_URL, 'vc+jwt': VC_V2_CONTEXT_URL };

/** A type outside the catalogue the city registry accredits (an app operator's own): a plain PascalCase-like name. */
const ACCREDITABLE_TYPE = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/** The format check's detail for input that is no credential in any form. */
const UNREADABLE = "expected a compact JWT or SD-JWT, a credential in Veramo's JSON form (proof.jwt) or an EnvelopedVerifiableCredential";

/** A type name a detail may repeat: a plain identifier, or a URL-safe name, never free text of the credential. */
const PLAIN_TYPE = /^[A-Za-z][A-Za-z0-9._:/-]{0,119}$/;

/**
 * The dates a CityCred credential may carry: from 2000-01-01 to the end of 9999 (seconds since the epoch). Anything
 * else is not a date a city issued: refused by the format check before it reaches a clock comparison or a chain call
 * (a negative time is not a `uint64`).
 */
const EARLIEST_DATE_MS = Date.UTC(2000, 0, 1);
const LATEST_DATE_MS = Date.UTC(10_000, 0, 1) - 1000;

function isCityDate(date: Date | undefined): date is Date {
  return date !== undefined && date.getTime() >= EARLIEST_DATE_MS && date.getTime() <= LATEST_DATE_MS;
}

/**
 * Verifies a credential in any format the shared format library reads (`jwt_vc`, `vc+jwt`, `dc+sd-jwt`) and reports
 * one result per check (`format`, `signature`, `validity`, `schema`, `status`, `issuer-accreditation`, `anchor`); the
 * policy decides which statuses count, and whether the issuer must be the city's (`requireCityIssuer`: a did:ethr on
 * the city network, accredited and anchoring) or may be anyone with a did:jwk / did:key (the `open` policy: proof,
 * validity and status only). It never throws for a bad credential. When its own dependencies fail (the city chain,
 * or the issuer's proof service or status lists not answering) a check cannot find out: if another check already
 * fails the credential under the policy, the unknown check is reported `failed` ("could not be checked: … (the
 * credential fails anyway)") and the result returned; only when the verdict depends on the missing answer does it
 * throw `AppError(service.unavailable)` (503) — never a pass. A chain call fails as an outage only when the chain did
 * not answer ({@link isChainOutage}); any other fault is rethrown as it is (a 500: its arguments are validated first,
 * so it is a bug of ours).
 */
export class CredentialVerifier {
  private readonly statuses: CredentialStatusCheck;
  private readonly crypto: SignatureCrypto = new NodeSignatureCrypto();

  /**
   * @param statusLists - where the status lists credentials name are fetched (see {@link CredentialStatusCheck})
   * @param trustedLists - told of every status list whose signature held (the employer scanner's offline bundle)
   */
  constructor(
    private readonly resolver: Resolvable,
    private readonly ledger: AnchorLedger,
    private readonly proofs: AnchorProofSource,
    private readonly clock: Clock,
    private readonly settings: CredentialVerifierSettings,
    statusLists: StatusListSource,
    trustedLists?: TrustedStatusListRecorder,
  ) {
    this.statuses = new CredentialStatusCheck(resolver, ledger, statusLists, this.crypto, clock, { clockSkewSeconds: settings.clockSkewSeconds }, trustedLists);
  }

  /**
   * @param input - the credential: a compact JWT / SD-JWT, Veramo's JSON form (`proof.jwt`) or an
   *   `EnvelopedVerifiableCredential`
   */
  async verify(input: unknown, options: VerifyOptions = {}): Promise<VerificationResult> {
    const policy = options.policy ?? CITY_POLICY;
    const format = this.decode(input, policy);
    if (!format.ok) {
      const skipped = (['signature', 'validity', 'schema', 'status', 'issuer-accreditation', 'anchor'] as const).map(
        (id): Check => ({ id, status: 'skipped', detail: 'not checked: the credential could not be read' }),
      );
      return resultOf([{ id: 'format', status: 'failed', detail: format.detail }, ...skipped], policy);
    }
    const vc = format.credential;
    const now = this.clock.now();
    // The issuer is named once the signature check has tied it to a key; until then "iss" is only a claim.
    const checks: Check[] = [{ id: 'format', status: 'passed', detail: this.formatDetail(vc) }];
    // The signature is judged against the issuer's keys as they were when the credential was anchored, so the anchor
    // is looked up first (with the accreditation at issuance, which needs nothing from it); the checks are still
    // reported in their order.
    const presented = options.anchorProof ?? proofFor(vc, options.anchorProofs);
    const [{ anchoredInBlock, ...anchor }, accreditation] = await Promise.all([this.checkAnchor(vc, now, policy, presented), this.checkAccreditation(vc, policy)]);
    const signature = isUnknown(anchor)
      ? // Without the anchoring block the keys to judge the signature by are not known either.
        this.cannotTell('signature', `the keys are judged as of the block the credential was anchored in, and ${anchor.outage.why}`)
      : await this.checkSignature(vc, policy, anchoredInBlock ?? null);
    checks.push(signature);
    checks.push(this.checkValidity(vc, now));
    checks.push(this.checkSchema(vc));
    const warnings: string[] = [];
    checks.push(await this.checkStatus(vc, [signature, accreditation], policy, warnings));
    checks.push(accreditation);
    checks.push(anchor);
    return resultOf(this.settleUnknown(checks, anchor, policy), policy, warnings, summaryOf(vc));
  }

  /**
   * The checks with those that could not find out reported `failed`, when another check already fails the
   * credential under `policy`: a bad credential is a result, whatever else is unreachable.
   * @throws AppError `service.unavailable` when every check that could find out is accepted: then the verdict
   *   depends on the missing answer. It names the anchor's outage first (the signature's follows from it) and tells
   *   the caller to retry after `retryAfterSeconds` when the dependency said when.
   */
  private settleUnknown(checks: Check[], anchor: Check, policy: VerificationPolicy): Check[] {
    const unknown = checks.filter(isUnknown);
    if (unknown.length === 0) return checks;
    const failsAnyway = checks.some((c) => !isUnknown(c) && !policy.accept[c.id].includes(c.status));
    if (!failsAnyway) {
      const { why, cause, retryAfterSeconds } = (isUnknown(anchor) ? anchor : unknown[0]!).outage;
      throw new AppError(ErrorCode.ServiceUnavailable, `The credential could not be judged: ${why}; try again later.`, { cause, retryAfterSeconds });
    }
    return checks.map((c) => (isUnknown(c) ? { id: c.id, status: 'failed', detail: `could not be checked: ${c.outage.why} (the credential fails anyway)` } : c));
  }

  private formatDetail(vc: DecodedCredential): string {
    const issuer = vc.issuerAddress ? `a did:ethr on network ${this.settings.didNetwork}` : `a ${vc.issuerDid.slice(0, vc.issuerDid.indexOf(':', 4))}`;
    return `${FORMAT_NAMES[vc.normalised.format]} of type ${typeForDisplay(vc.type)} from ${issuer}`;
  }

  /**
   * Reads the credential through its format ({@link detectFormat}, then the format's `decode`: its own rules on
   * bytes, header, claims and the JSON form), then what a city verifier adds: every member the JWT signs present in
   * a JSON form (none left out), dates a city could have issued, an issuer DID this verifier can resolve — a did:ethr
   * on the city network, or under a policy that does not require the city's issuers a did:jwk / did:key — and for a
   * catalogue type, no `@context` besides the data model's and the city's.
   */
  private decode(input: unknown, policy: VerificationPolicy): { ok: true; credential: DecodedCredential } | { ok: false; detail: string } {
    if (typeof input === 'string') input = input.trim();
    let formatId: CredentialFormatId;
    try {
      formatId = detectFormat(input);
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      // An object with a proof is meant as Veramo's JSON form: its format says what is wrong with the proof.
      if (!isJsonObject(input) || !isJsonObject(input['proof'])) return { ok: false, detail: UNREADABLE };
      formatId = 'jwt_vc';
    }
    let normalised: NormalisedCredential;
    try {
      normalised = credentialFormat(formatId).decode(input as string | Record<string, unknown>);
    } catch (error) {
      if (error instanceof FormatError) {
        if (error.code === FormatErrorCode.UnsupportedAlgorithm) return { ok: false, detail: `unsupported JWT alg ${algorithmName(headerAlg(input))}; expected ES256K, ES256 or EdDSA` };
        return { ok: false, detail: error.message };
      }
      // Only a structure too deep to walk gets here (the body is parsed JSON, so it has no cycles).
      if (error instanceof RangeError) return { ok: false, detail: 'the credential could not be read: it is nested too deeply' };
      throw error;
    }
    if (normalised.format === 'jwt_vc' && typeof input === 'object' && input !== null) {
      const missing = Object.keys(normalised.credential).find((name) => !(name in input));
      if (missing !== undefined) return { ok: false, detail: `the JSON form does not match its signed JWT: ${memberName(missing)} is signed but left out` };
    }
    const issuerDid = normalised.issuer;
    const issuerAddress = this.addressOf(issuerDid);
    if (!issuerAddress) {
      if (policy.requireCityIssuer) return { ok: false, detail: `"iss" is not a did:ethr on network ${this.settings.didNetwork}` };
      if (!isHolderDid(issuerDid)) return { ok: false, detail: `"iss" is neither a did:ethr on network ${this.settings.didNetwork} nor a did:jwk or did:key` };
    } else if (normalised.header.alg !== 'ES256K') {
      return { ok: false, detail: `unsupported JWT alg ${algorithmName(normalised.header.alg)}; expected ES256K (the key of a did:ethr issuer)` };
    }
    // A VCDM 1.1 JWT's issuance date is its `nbf` (`issuanceDate`), whatever `iat` says; the other formats carry
    // the signing time as `iat` (a 2.0 `validFrom` may lie in the future).
    const issuedAt = normalised.format === 'jwt_vc' ? (normalised.validFrom ?? normalised.issuedAt) : (normalised.issuedAt ?? normalised.validFrom);
    if (!isCityDate(issuedAt)) return { ok: false, detail: 'the issuance date ("nbf" / "iat") must be a date from 2000-01-01 to 9999-12-31' };
    const validFrom = normalised.validFrom ?? issuedAt;
    if (!isCityDate(validFrom)) return { ok: false, detail: 'the start of validity ("nbf" / validFrom) must be a date from 2000-01-01 to 9999-12-31' };
    const validUntil = normalised.validUntil ?? null;
    if (validUntil && !isCityDate(validUntil)) return { ok: false, detail: 'the end of validity ("exp" / validUntil) must be a date from 2000-01-01 to 9999-12-31' };
    if (validUntil && validUntil.getTime() <= validFrom.getTime()) return { ok: false, detail: 'the end of validity ("exp" / validUntil) must be later than its start ("nbf" / validFrom)' };

    const type = normalised.format === 'dc+sd-jwt' && normalised.primaryType.startsWith(VCT_BASE_URL) ? normalised.primaryType.slice(VCT_BASE_URL.length) : normalised.primaryType;
    if (normalised.format !== 'dc+sd-jwt') {
      const specific = normalised.types.filter((t) => t !== 'VerifiableCredential');
      // A plain VerifiableCredential (an app operator may be accredited for exactly that) or one type besides it.
      if (specific.length > 1) return { ok: false, detail: 'unknown credential type: "type" must hold at most one credential type besides VerifiableCredential' };
    }
    if (isCatalogueType(type) && !isCredentialType(type)) return { ok: false, detail: `unknown credential type: ${type} is an event record, not a credential` };
    const catalogueType = isCredentialType(type) ? type : null;
    if (catalogueType) {
      const base = BASE_CONTEXT[normalised.format];
      const context = normalised.credential['@context'];
      if (base && Array.isArray(context)) {
        if (!context.includes(CITYCRED_CONTEXT_URL)) return { ok: false, detail: `@context must include ${CITYCRED_CONTEXT_URL}` };
        const unknownAt = context.findIndex((c) => c !== base && c !== CITYCRED_CONTEXT_URL);
        if (unknownAt >= 0) return { ok: false, detail: `unknown @context at position ${unknownAt}: only ${base} and ${CITYCRED_CONTEXT_URL} are accepted` };
      }
    } else if (policy.requireCityIssuer && (!ACCREDITABLE_TYPE.test(type) || containsResidentRegistrationNumber(type))) {
      return { ok: false, detail: 'unknown credential type: it is not in the catalogue, nor a plain name the city registry can accredit' };
    }
    return {
      ok: true,
      credential: {
        normalised,
        issuerDid,
        issuerAddress,
        type,
        catalogueType,
        issuedAt,
        validFrom,
        validUntil,
        credentialStatus: normalised.format === 'dc+sd-jwt' ? undefined : normalised.credential['credentialStatus'],
        tokenStatus: normalised.status.filter((s): s is Extract<StatusReference, { kind: 'token' }> => s.kind === 'token'),
      },
    };
  }

  private addressOf(did: string): string | null {
    const prefix = `did:ethr:${this.settings.didNetwork}:`;
    if (!did.startsWith(prefix)) return null;
    const id = did.slice(prefix.length);
    if (/^0x[0-9a-fA-F]{40}$/.test(id) && isAddress(id)) return id;
    if (/^0x0[23][0-9a-fA-F]{64}$/.test(id)) return addressOfKey(id);
    return null;
  }

  /**
   * The issuer's proof (the JWS over the credential), checked by the format against the keys the policy lets sign
   * for the issuer DID. For a did:ethr ({@link signingKeysOnly}: its owner's, and its valid delegates' only if
   * `acceptDelegates`) the keys are those of `anchoredInBlock` — the block of the issuer's anchor the anchor check
   * found — or of now while the credential is not anchored. So a credential anchored before its issuer rotated its
   * key keeps verifying, and one signed with the old key after the rotation does not: only the new owner can anchor
   * it, at a later block. A did:jwk / did:key issuer's key is the DID itself.
   */
  private async checkSignature(vc: DecodedCredential, policy: VerificationPolicy, anchoredInBlock: number | null): Promise<Check> {
    const alg = typeof vc.normalised.header.alg === 'string' ? vc.normalised.header.alg : '';
    // `named`: the keys a kid may name; `checked`: those the signature is checked against (no recoverable twin).
    let keys: readonly VerificationKey[];
    let checked: readonly VerificationKey[] | undefined;
    let keysAsOf = '';
    if (vc.issuerAddress === null) {
      try {
        keys = [{ kind: 'jwk', id: `${vc.issuerDid}#0`, jwk: publicJwkOfDid(vc.issuerDid) }];
      } catch {
        return { id: 'signature', status: 'failed', detail: 'the issuer DID does not hold a public key this verifier reads' };
      }
    } else {
      const didUrl = anchoredInBlock === null ? vc.issuerDid : didAtBlock(vc.issuerDid, anchoredInBlock);
      keysAsOf = anchoredInBlock === null ? ', keys as of now (the credential is not anchored)' : `, keys as of block ${anchoredInBlock}, when it was anchored`;
      let result: DIDResolutionResult | undefined;
      try {
        result = await this.resolver.resolve(didUrl);
      } catch {
        result = undefined;
      }
      if (!result?.didDocument || result.didResolutionMetadata.error) {
        // Every well-formed did:ethr on the city network resolves (an untouched address has a default document), and
        // ethr-did-resolver reports a chain that does not answer as `notFound`: ask the chain itself.
        if (!(await this.ledger.isUp())) return this.cannotTell('signature', "the issuer's DID could not be resolved: the city chain is not answering");
        return { id: 'signature', status: 'failed', detail: 'could not resolve the issuer DID ("iss")' };
      }
      ({ named: keys, checked } = signingKeysOf(result.didDocument, policy.acceptDelegates));
    }
    // A kid is the issuer's own pointer to the key that signed: one that names no key allowed to sign for the issuer
    // is refused, never looked past.
    const kid = vc.normalised.header.kid;
    if (kid !== undefined && !keys.some((key) => key.id === kid)) {
      return { id: 'signature', status: 'failed', detail: `the JWS header's kid names no key that may sign for the issuer${keysAsOf}` };
    }
    const proof = await credentialFormat(vc.normalised.format).verifyProof(vc.normalised, checked ?? withoutRecoverableTwins(keys), this.crypto);
    if (proof.valid) return { id: 'signature', status: 'passed', detail: `${algorithmName(alg)} signature by ${proof.keyId ?? vc.issuerDid}${keysAsOf}` };
    if (proof.reason === 'signature.alg-unsupported') return { id: 'signature', status: 'failed', detail: `unsupported JWS alg ${algorithmName(alg)}; expected ES256K, ES256 or EdDSA` };
    const signers =
      vc.issuerAddress === null
        ? 'the key of the issuer DID'
        : policy.acceptDelegates
          ? "the issuer DID's owner key or a delegate valid then"
          : `the issuer DID's owner key (policy ${policy.id} accepts no delegate)`;
    return { id: 'signature', status: 'failed', detail: `signature does not verify against ${signers}${keysAsOf}` };
  }

  /**
   * The credential's status lists ({@link CredentialStatusCheck}): Bitstring Status List entries for a W3C credential,
   * Token Status List references for an SD-JWT VC. They are read only once the signature verified and — under a
   * policy that requires the city's issuers — the issuer was accredited for the type: anyone can make a DID and sign,
   * so until the city stands behind the signer the list URLs are anyone's, and fetching them would let any request
   * make the verifier call any address. A list that cannot be fetched is an outage ({@link cannotTell}); one fetched
   * but not the issuer's is `failed`.
   * @param gates - the signature and issuer-accreditation checks
   */
  private async checkStatus(vc: DecodedCredential, gates: Check[], policy: VerificationPolicy, warnings: string[]): Promise<Check> {
    const hasTokenStatus = vc.tokenStatus.length > 0;
    if (vc.credentialStatus === undefined && !hasTokenStatus) {
      return { id: 'status', status: 'skipped', detail: vc.normalised.format === 'dc+sd-jwt' ? 'the credential has no status claim' : 'the credential has no credentialStatus' };
    }
    const trusted = gates.every((gate) => gate.status === 'passed' || (gate.id === 'issuer-accreditation' && !policy.requireCityIssuer));
    if (!trusted) {
      warnings.push('credential status was not checked');
      const whose = policy.requireCityIssuer ? 'a verified signature of an accredited issuer' : 'a verified signature';
      return { id: 'status', status: 'skipped', detail: `not checked: status lists are read only for ${whose}` };
    }
    const outcome = hasTokenStatus
      ? await this.statuses.checkToken({ references: vc.tokenStatus, issuerDid: vc.issuerDid, rule: policy })
      : await this.statuses.check({ credentialStatus: vc.credentialStatus, issuerDid: vc.issuerDid, rule: policy });
    warnings.push(...outcome.warnings);
    if ('outage' in outcome) return this.cannotTell('status', outcome.outage.why, undefined, outcome.outage.retryAfterSeconds);
    return { id: 'status', status: outcome.status, detail: outcome.detail };
  }

  private checkValidity(vc: DecodedCredential, now: Date): Check {
    const skew = this.settings.clockSkewSeconds * 1000;
    const { validFrom, validUntil } = vc;
    if (validFrom.getTime() - skew > now.getTime()) return { id: 'validity', status: 'failed', detail: `not valid before ${validFrom.toISOString()}` };
    if (validUntil && validUntil.getTime() + skew <= now.getTime()) return { id: 'validity', status: 'failed', detail: `expired at ${validUntil.toISOString()}` };
    return { id: 'validity', status: 'passed', detail: validUntil ? `valid from ${validFrom.toISOString()} until ${validUntil.toISOString()}` : `valid from ${validFrom.toISOString()}, no expiry` };
  }

  /**
   * A catalogue type's subject against its schema (for an SD-JWT VC, the claims disclosed: a selectively disclosable
   * claim may be left out, nothing disclosed may break the schema). A type outside the catalogue has no schema this
   * verifier knows: `skipped`.
   */
  private checkSchema(vc: DecodedCredential): Check {
    if (!vc.catalogueType) return { id: 'schema', status: 'skipped', detail: `no schema is known to this verifier for type ${typeForDisplay(vc.type)}` };
    const subject = vc.normalised.claims;
    const partial = vc.normalised.format === 'dc+sd-jwt';
    const result = validateCredentialSubject(vc.catalogueType, subject, { partialDisclosure: partial });
    // Age flags are a snapshot at issuance: they must agree with the birth date on the issuance day.
    const errors = result.valid ? checkAgeClaims(subject, vc.issuedAt) : result.errors;
    const what = partial ? 'the disclosed claims' : 'credentialSubject';
    if (errors.length === 0) return { id: 'schema', status: 'passed', detail: `${what} match${partial ? '' : 'es'} the ${vc.catalogueType} schema` };
    const first = errors.slice(0, 3).map((e) => `${e.path || '/'} ${e.message}`);
    return { id: 'schema', status: 'failed', detail: `${what} do${partial ? '' : 'es'} not match the ${vc.catalogueType} schema: ${first.join('; ')}` };
  }

  private async checkAccreditation(vc: DecodedCredential, policy: VerificationPolicy): Promise<Check> {
    if (!policy.requireCityIssuer || vc.issuerAddress === null) {
      return { id: 'issuer-accreditation', status: 'skipped', detail: `not checked: policy ${policy.id} does not require an issuer the city accredits` };
    }
    let ok: boolean;
    try {
      ok = await this.ledger.isAccredited(vc.issuerAddress, vc.type, vc.issuedAt);
    } catch (error) {
      return this.chainFault('issuer-accreditation', error);
    }
    const type = typeForDisplay(vc.type);
    return ok
      ? { id: 'issuer-accreditation', status: 'passed', detail: `${vc.issuerAddress} was accredited for ${type} on ${vc.issuedAt.toISOString()}` }
      : { id: 'issuer-accreditation', status: 'failed', detail: `${vc.issuerAddress} was not accredited for ${type} on ${vc.issuedAt.toISOString()}` };
  }

  /**
   * `passed` only for a proof whose root the credential's issuer anchored (`anchorOf(issuer, root)`) while accredited
   * for the credential's type, no earlier than the credential's issuance time minus the clock skew; a root anchored
   * by anyone else does not count. The leaf is the hash of the part the issuer signed (the compact JWT; for an SD-JWT
   * the issuer-signed JWT, whatever was disclosed). A proof presented with the request is judged by itself: a root
   * the chain does not know proves nothing, so it fails however fresh the credential. Without one the issuer's proof
   * service is asked; only its positive answer that the credential is queued can make the check `pending` (see
   * {@link checkQueued}). Not being able to ask is never a pass.
   */
  private async checkAnchor(vc: DecodedCredential, now: Date, policy: VerificationPolicy, presented: unknown): Promise<AnchorCheck> {
    if (!policy.requireCityIssuer || vc.issuerAddress === null) {
      return { id: 'anchor', status: 'skipped', detail: `not checked: policy ${policy.id} does not require anchoring on the city chain` };
    }
    const hash = credentialHash(vc.normalised.anchoredPart);
    if (presented !== undefined) {
      const parsed = anchorProofSchema.safeParse(presented);
      if (!parsed.success) return { id: 'anchor', status: 'failed', detail: 'the presented anchor proof is malformed' };
      return this.checkProof(vc, vc.issuerAddress, hash, parsed.data as AnchorProof, 'presented');
    }
    const answer = await this.proofs.fetchProof(hash, { issuerDid: vc.issuerDid, issuedAt: vc.issuedAt });
    switch (answer.kind) {
      case 'proof':
        return this.checkProof(vc, vc.issuerAddress, hash, answer.proof, "issuer's", answer.rootComputedHere === true);
      case 'pending':
        return this.checkQueued(vc, vc.issuerAddress, now, hash, answer.enqueuedAt);
      case 'unknown':
        // The issuer service answers for every credential it issued, anchored or not: these bytes are not among them.
        return { id: 'anchor', status: 'failed', detail: `the issuer service has no record of a credential with hash ${hash}` };
      case 'refused':
        return { id: 'anchor', status: 'failed', detail: `the issuer set ${hash} aside: the city chain refused to anchor its batch` };
      case 'unreachable':
        return this.cannotTell('anchor', `the issuer's anchor proofs cannot be fetched (${answer.reason})`, undefined, answer.retryAfterSeconds);
    }
  }

  private async checkProof(vc: DecodedCredential, issuerAddress: string, hash: Hex32, proof: AnchorProof, whose: string, rootComputedHere = false): Promise<AnchorCheck> {
    // The root is computed once (or was, from the whole batch, by the source): it must be the one the proof names.
    const root = rootComputedHere ? proof.root : rootOf(hash, proof.proof);
    if (root === undefined || root !== proof.root) {
      return { id: 'anchor', status: 'failed', detail: `the Merkle proof does not lead from ${hash} to root ${proof.root}` };
    }
    let onChain;
    try {
      // Anchors are keyed by issuer: only the credential's own issuer's anchor of this root counts.
      onChain = await this.ledger.findAnchor(issuerAddress, root);
    } catch (error) {
      return this.chainFault('anchor', error);
    }
    if (!onChain) {
      return { id: 'anchor', status: 'failed', detail: `root ${root} of the ${whose} proof is not on chain for the issuer ${issuerAddress}: a proof proves nothing until its issuer anchored its root` };
    }
    // A credential cannot have been issued after its hash was on chain: one dated later (beyond the clock skew) was
    // pre-dated by whoever held the key when it was anchored, e.g. a leaked key anchoring ahead of a key rotation.
    if (vc.issuedAt.getTime() > onChain.anchoredAt.getTime() + this.settings.clockSkewSeconds * 1000) {
      // The root is the issuer's own anchor: the signature is still judged at its block, so this is the one failure.
      return {
        id: 'anchor',
        status: 'failed',
        detail: `issued after it was anchored: issuance date ${vc.issuedAt.toISOString()} is later than root ${root}'s anchoring at ${onChain.anchoredAt.toISOString()}`,
        anchoredInBlock: onChain.blockNumber,
      };
    }
    let accredited: boolean;
    try {
      accredited = await this.ledger.isAccredited(issuerAddress, vc.type, onChain.anchoredAt);
    } catch (error) {
      return this.chainFault('anchor', error);
    }
    if (!accredited) return { id: 'anchor', status: 'failed', detail: `root ${root} was anchored when ${issuerAddress} was not accredited for ${typeForDisplay(vc.type)}` };
    return {
      id: 'anchor',
      status: 'passed',
      detail: `anchored in root ${root} at block ${onChain.blockNumber} (${onChain.anchoredAt.toISOString()}) on chain ${this.ledger.chainId}`,
      anchor: { root, blockNumber: onChain.blockNumber, anchoredAt: onChain.anchoredAt.toISOString(), chainId: this.ledger.chainId, contract: this.ledger.anchorContract },
      anchoredInBlock: onChain.blockNumber,
    };
  }

  /**
   * The issuer says the credential is in its anchoring queue. That is `pending` only within the grace period,
   * measured from the earlier of the issuer's `enqueuedAt` and the credential's `nbf` (which whoever signed chose),
   * and only while the issuer is accredited for the type now: the chain refuses roots from an issuer it no longer
   * accredits, so such a queue will never be anchored.
   */
  private async checkQueued(vc: DecodedCredential, issuerAddress: string, now: Date, hash: Hex32, enqueuedAt: Date): Promise<Check> {
    const since = new Date(Math.min(enqueuedAt.getTime(), vc.issuedAt.getTime()));
    const graceEnds = new Date(since.getTime() + this.settings.anchorGraceSeconds * 1000);
    if (now.getTime() >= graceEnds.getTime()) {
      return { id: 'anchor', status: 'failed', detail: `${hash} is still not anchored ${this.settings.anchorGraceSeconds} s after it was queued (${since.toISOString()})` };
    }
    let accredited: boolean;
    try {
      accredited = await this.ledger.isAccredited(issuerAddress, vc.type, now);
    } catch (error) {
      return this.chainFault('anchor', error);
    }
    if (!accredited) {
      return { id: 'anchor', status: 'failed', detail: `${hash} is queued but not anchored, and ${issuerAddress} is no longer accredited for ${typeForDisplay(vc.type)}: it cannot be anchored` };
    }
    return { id: 'anchor', status: 'pending', detail: `${hash} is queued by the issuer (since ${since.toISOString()}), not anchored yet; pending until ${graceEnds.toISOString()}` };
  }

  /**
   * A chain read threw: an outage when the chain did not answer ({@link cannotTell}); anything else is a fault of
   * ours and is rethrown, never reported as an outage.
   */
  private chainFault(id: CheckId, error: unknown): Check {
    if (!isChainOutage(error)) throw error;
    return this.cannotTell(id, 'the city chain is not answering', error);
  }

  /**
   * What a check reports when it could not find out: an unknown check carrying the outage, never a pass.
   * {@link settleUnknown} turns it into a `failed` check when the credential fails anyway, or into a 503.
   */
  private cannotTell(id: CheckId, why: string, cause?: unknown, retryAfterSeconds?: number): UnknownCheck {
    return { id, status: 'failed', detail: `could not be checked: ${why}`, outage: { why, cause, retryAfterSeconds } };
  }
}

/** JWS algorithm names registered with IANA: naming one of them repeats no free text of the request. */
const REGISTERED_JWS_ALGS = new Set([
  'none', 'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512',
  'EdDSA', 'Ed25519', 'Ed448', 'ES256K', 'ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87',
]);

/** The JWT header's `alg` as a detail may show it: a registered algorithm by name, anything else only described. */
function algorithmName(alg: unknown): string {
  if (alg === undefined) return '(none given)';
  return typeof alg === 'string' && REGISTERED_JWS_ALGS.has(alg) ? alg : '(not a registered JWS algorithm)';
}

/**
 * The keys without an address (`blockchainAccountId`) whose public key is listed too: a did:ethr document lists the
 * owner both as `#controller` (its address) and, while the identity owns itself, `#controllerKey` (its public key).
 * Checking against the public key is one ECDSA verification; against the address it is a public-key recovery.
 */
/**
 * The keys that may sign for a resolved did:ethr document under a signer rule, without recoverable twins — worked out
 * once per document the resolver's cache hands back (the same object until it is evicted) and rule, so the hot path
 * neither re-reads the document nor builds new key arrays (which also lets the crypto find its parsed keys by array).
 */
function signingKeysOf(document: DIDDocument, acceptDelegates: boolean): DocumentKeys {
  let perRule = keysOfDocuments.get(document);
  if (perRule === undefined) {
    perRule = {};
    keysOfDocuments.set(document, perRule);
  }
  const rule = acceptDelegates ? 'delegates' : 'owner';
  let keys = perRule[rule];
  if (keys === undefined) {
    const named = Object.freeze(verificationKeysOf(signingKeysOnly(document, { acceptDelegates })));
    keys = { named, checked: Object.freeze(withoutRecoverableTwins(named)) };
    perRule[rule] = keys;
  }
  return keys;
}

/** A document's signing keys under one rule: those a kid may name, and those a signature is checked against. */
interface DocumentKeys {
  readonly named: readonly VerificationKey[];
  readonly checked: readonly VerificationKey[];
}

const keysOfDocuments = new WeakMap<DIDDocument, { owner?: DocumentKeys; delegates?: DocumentKeys }>();

function withoutRecoverableTwins(keys: readonly VerificationKey[]): VerificationKey[] {
  const known = new Set(
    keys.flatMap((key) => {
      if (key.kind !== 'secp256k1') return [];
      // A key that is not a point of the curve verifies nothing, and stands in for no address.
      const address = addressOfKey(`0x${Buffer.from(key.publicKey).toString('hex')}`);
      return address === null ? [] : [address.toLowerCase()];
    }),
  );
  if (known.size === 0) return [...keys];
  return keys.filter((key) => key.kind !== 'ethereum-address' || !known.has(key.address.slice(key.address.lastIndexOf(':') + 1).toLowerCase()));
}

/** Addresses of public keys already computed (decompressing a point in JS costs ~0.1 ms): a few issuers' keys. */
const knownAddresses = new LruMap<string, string | null>(4_096);

/** The Ethereum address of a secp256k1 public key (hex, `0x`), or null when it is not a point of the curve. */
function addressOfKey(publicKeyHex: string): string | null {
  const key = publicKeyHex.toLowerCase();
  let address = knownAddresses.get(key);
  if (address === undefined) {
    try {
      address = computeAddress(key);
    } catch {
      address = null;
    }
    knownAddresses.set(key, address);
  }
  return address;
}

/** The summary a result carries of a credential that could be read. */
function summaryOf(vc: DecodedCredential): CredentialSummary {
  const { normalised } = vc;
  return {
    format: normalised.format,
    type: vc.type,
    issuer: vc.issuerDid,
    hash: credentialHash(normalised.anchoredPart),
    claims: normalised.claims,
    holder: { ...(normalised.holder.id === undefined ? {} : { id: normalised.holder.id }), ...(normalised.holder.jwk === undefined ? {} : { jwk: normalised.holder.jwk }) },
    issuedAt: vc.issuedAt,
    validUntil: vc.validUntil,
  };
}

/** The root a proof leads to from `hash`, or undefined when the proof is malformed (never throws). */
function rootOf(hash: Hex32, proof: readonly Hex32[]): Hex32 | undefined {
  try {
    return rootFromProof(hash, proof);
  } catch {
    return undefined;
  }
}

/** Of the proofs a presentation carries, the first well-formed one that leads from `vc`'s hash to its root. */
function proofFor(vc: DecodedCredential, proofs: readonly unknown[] | undefined): unknown {
  if (!proofs || proofs.length === 0) return undefined;
  const hash = credentialHash(vc.normalised.anchoredPart);
  return proofs.find((candidate) => {
    const parsed = anchorProofSchema.safeParse(candidate);
    return parsed.success && verifyMerkleProof(hash, parsed.data.proof as Hex32[], parsed.data.root as Hex32);
  });
}

/** The `alg` a compact JWT's (or its JSON form's) header names, read without trusting anything; undefined when none can be read. */
function headerAlg(input: unknown): unknown {
  const compact = typeof input === 'string' ? input : isJsonObject(input) && isJsonObject(input['proof']) ? input['proof']['jwt'] : undefined;
  if (typeof compact !== 'string') return undefined;
  try {
    const header: unknown = JSON.parse(decodeBase64urlText(compact.slice(0, compact.indexOf('.') >>> 0)));
    return isJsonObject(header) ? header['alg'] : undefined;
  } catch {
    return undefined;
  }
}

/** A credential type as a detail may show it: the name when it is a plain one, else only described. */
function typeForDisplay(type: string): string {
  return PLAIN_TYPE.test(type) ? type : '(a type named in free text)';
}
