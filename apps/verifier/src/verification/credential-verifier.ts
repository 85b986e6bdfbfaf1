import { credentialHash, verifyMerkleProof, rootFromProof, type AnchorLedger, type Hex32 } from '@citycred/anchoring';
import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import { checkAgeClaims, CITYCRED_CONTEXT_URL, CREDENTIAL_MEMBER_NAMES, isCredentialType, nameForDisplay, undefinedMemberName, VC_V1_CONTEXT_URL, validateCredentialSubject, type CredentialTypeName } from '@citycred/credentials';
import { didAtBlock, NodeSignatureCrypto } from '@citycred/did';
import { decodeJWT, verifyJWT } from 'did-jwt';
import type { DIDResolutionResult, Resolvable } from 'did-resolver';
import { computeAddress, isAddress } from 'ethers';
import { anchorProofSchema, type AnchorProof, type AnchorProofSource } from './anchor-proof-source.js';
import { isChainOutage } from './chain-outage.js';
import { signingKeysOnly } from './issuer-keys.js';
import { resultOf, type Check, type CheckId, type VerificationPolicy, type VerificationResult } from './result.js';
import { CredentialStatusCheck } from './status-check.js';
import type { StatusListSource } from './status-list-source.js';
import { CITY_POLICY } from './verification-policy.js';

/** Settings of {@link CredentialVerifier}. */
export interface CredentialVerifierSettings {
  /** The did:ethr network name of the city chain. */
  didNetwork: string;
  /**
   * How long a credential the issuer says is queued counts as `pending` rather than `failed` (seconds), measured
   * from the earlier of the issuer's `enqueuedAt` and the credential's `nbf`.
   */
  anchorGraceSeconds: number;
  /** Tolerated clock difference for issuance/expiry, and between issuance and the anchoring block's time (seconds). */
  clockSkewSeconds: number;
}

/** What the caller may hand in besides the credential. */
export interface VerifyOptions {
  /** An anchor proof the holder presents (e.g. from the wallet); otherwise it is fetched from the issuer. */
  anchorProof?: unknown;
  /** The policy that decides which check statuses count; {@link CITY_POLICY} when not given. */
  policy?: VerificationPolicy;
}

/** A JWT VC's claims once decoded and shape-checked. */
interface DecodedCredential {
  jwt: string;
  /** The `iss` claim: a bare did:ethr on the city network. */
  issuerDid: string;
  issuerAddress: string;
  type: CredentialTypeName;
  subject: Record<string, unknown>;
  issuedAt: Date;
  expiresAt: Date | null;
  /** The signed `credentialStatus`, undefined when the credential has none. */
  credentialStatus: unknown;
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

const ES256K_ALGS = new Set(['ES256K', 'ES256K-R']);

/**
 * The dates a CityCred credential may carry: from 2000-01-01 to the end of 9999 (seconds since the epoch). Anything
 * else is not a date a city issued: refused by the format check before it reaches a clock comparison or a chain call
 * (a negative time is not a `uint64`).
 */
const EARLIEST_DATE_SECONDS = Date.UTC(2000, 0, 1) / 1000;
const LATEST_DATE_SECONDS = Date.UTC(10_000, 0, 1) / 1000 - 1;

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= EARLIEST_DATE_SECONDS && value <= LATEST_DATE_SECONDS;
}

/**
 * Verifies a JWT VC issued on the city chain and reports one result per check
 * (`format`, `signature`, `validity`, `schema`, `status`, `issuer-accreditation`, `anchor`); the policy decides
 * which statuses count. It never throws for a bad credential. When its own dependencies fail (the city chain, or
 * the issuer's proof service or status lists not answering) a check cannot find out: if another check already fails the credential
 * under the policy, the unknown check is reported `failed` ("could not be checked: … (the credential fails anyway)")
 * and the result returned; only when the verdict depends on the missing answer does it throw
 * `AppError(service.unavailable)` (503) — never a pass. A chain call fails as an outage only when the chain did not answer ({@link isChainOutage});
 * any other fault is rethrown as it is (a 500: its arguments are validated first, so it is a bug of ours).
 */
export class CredentialVerifier {
  private readonly statuses: CredentialStatusCheck;

  /** @param statusLists - where the status lists credentials name are fetched (see {@link CredentialStatusCheck}) */
  constructor(
    private readonly resolver: Resolvable,
    private readonly ledger: AnchorLedger,
    private readonly proofs: AnchorProofSource,
    private readonly clock: Clock,
    private readonly settings: CredentialVerifierSettings,
    statusLists: StatusListSource,
  ) {
    this.statuses = new CredentialStatusCheck(resolver, ledger, statusLists, new NodeSignatureCrypto(), clock, { clockSkewSeconds: settings.clockSkewSeconds });
  }

  /**
   * @param input - the credential in Veramo's JSON form (`proof.jwt`) or a compact JWT string
   */
  async verify(input: unknown, options: VerifyOptions = {}): Promise<VerificationResult> {
    const policy = options.policy ?? CITY_POLICY;
    const format = this.decode(input);
    if (!format.ok) {
      const skipped = (['signature', 'validity', 'schema', 'status', 'issuer-accreditation', 'anchor'] as const).map(
        (id): Check => ({ id, status: 'skipped', detail: 'not checked: the credential could not be read' }),
      );
      return resultOf([{ id: 'format', status: 'failed', detail: format.detail }, ...skipped], policy);
    }
    const vc = format.credential;
    const now = this.clock.now();
    // The issuer is named once the signature check has tied it to a key; until then "iss" is only a claim.
    const checks: Check[] = [{ id: 'format', status: 'passed', detail: `JWT VC of type ${vc.type} from a did:ethr on network ${this.settings.didNetwork}` }];
    // The signature is judged against the issuer's keys as they were when the credential was anchored, so the anchor
    // is looked up first; the checks are still reported in their order.
    const { anchoredInBlock, ...anchor } = await this.checkAnchor(vc, now, options.anchorProof);
    const signature = isUnknown(anchor)
      ? // Without the anchoring block the keys to judge the signature by are not known either.
        this.cannotTell('signature', `the keys are judged as of the block the credential was anchored in, and ${anchor.outage.why}`)
      : await this.checkSignature(vc, now, policy, anchoredInBlock ?? null);
    checks.push(signature);
    checks.push(this.checkValidity(vc, now));
    checks.push(this.checkSchema(vc));
    const warnings: string[] = [];
    const accreditation = await this.checkAccreditation(vc);
    checks.push(await this.checkStatus(vc, [signature, accreditation], policy, warnings));
    checks.push(accreditation);
    checks.push(anchor);
    return resultOf(this.settleUnknown(checks, anchor, policy), policy, warnings);
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

  private decode(input: unknown): { ok: true; credential: DecodedCredential } | { ok: false; detail: string } {
    let jwt: string;
    let json: Record<string, unknown> | null = null;
    if (typeof input === 'string') jwt = input.trim();
    else if (input && typeof input === 'object' && typeof (input as { proof?: { jwt?: unknown } }).proof?.jwt === 'string') {
      json = input as Record<string, unknown>;
      jwt = (json['proof'] as { jwt: string }).jwt;
      // Only the JWT is signed: a proof claiming another type or verification method must not ride along unchecked.
      const proof = json['proof'] as Record<string, unknown>;
      if (Array.isArray(proof) || proof['type'] !== 'JwtProof2020' || Object.keys(proof).length !== 2) {
        return { ok: false, detail: 'the JSON form\'s proof must be exactly {type: "JwtProof2020", jwt}: nothing else in it is signed' };
      }
    } else return { ok: false, detail: 'expected a compact JWT or a credential object with proof.jwt' };

    let payload: Record<string, unknown>;
    let header: Record<string, unknown>;
    try {
      const decoded = decodeJWT(jwt);
      payload = decoded.payload as Record<string, unknown>;
      header = decoded.header as unknown as Record<string, unknown>;
    } catch {
      return { ok: false, detail: 'not a well-formed compact JWT' };
    }
    if (typeof header['alg'] !== 'string' || !ES256K_ALGS.has(header['alg'])) return { ok: false, detail: `unsupported JWT alg ${algorithmName(header['alg'])}; expected ES256K` };
    const vc = payload['vc'];
    if (!vc || typeof vc !== 'object') return { ok: false, detail: 'JWT has no "vc" claim' };
    const { '@context': context, type, credentialSubject, credentialStatus } = vc as Record<string, unknown>;
    if (!Array.isArray(context) || context[0] !== VC_V1_CONTEXT_URL) return { ok: false, detail: `the first @context must be ${VC_V1_CONTEXT_URL}` };
    if (!context.includes(CITYCRED_CONTEXT_URL)) return { ok: false, detail: `@context must include ${CITYCRED_CONTEXT_URL}` };
    const unknownContexts = context.filter((c) => c !== VC_V1_CONTEXT_URL && c !== CITYCRED_CONTEXT_URL);
    if (unknownContexts.length > 0) {
      return { ok: false, detail: `unknown @context at position ${context.indexOf(unknownContexts[0])}: only ${VC_V1_CONTEXT_URL} and ${CITYCRED_CONTEXT_URL} are accepted` };
    }
    if (!Array.isArray(type) || !type.includes('VerifiableCredential')) return { ok: false, detail: 'type must include VerifiableCredential' };
    const specific = type.filter((t) => t !== 'VerifiableCredential');
    const name = specific[0];
    if (specific.length !== 1 || typeof name !== 'string' || !isCredentialType(name)) {
      return { ok: false, detail: 'unknown credential type: "type" must hold exactly one CityCred credential type besides VerifiableCredential' };
    }
    if (!credentialSubject || typeof credentialSubject !== 'object' || Array.isArray(credentialSubject)) return { ok: false, detail: 'credentialSubject must be an object' };
    const subject = { ...(credentialSubject as Record<string, unknown>) };
    if (typeof payload['sub'] === 'string' && subject['id'] === undefined) subject['id'] = payload['sub'];
    const issuer = payload['iss'];
    if (typeof issuer !== 'string') return { ok: false, detail: 'JWT has no "iss"' };
    const issuerAddress = this.addressOf(issuer);
    if (!issuerAddress) return { ok: false, detail: `"iss" is not a did:ethr on network ${this.settings.didNetwork}` };
    if (typeof payload['nbf'] !== 'number') return { ok: false, detail: 'JWT has no numeric "nbf" (issuance date)' };
    if (!isNumericDate(payload['nbf'])) return { ok: false, detail: '"nbf" must be a date from 2000-01-01 to 9999-12-31' };
    if (payload['exp'] !== undefined && !isNumericDate(payload['exp'])) return { ok: false, detail: '"exp" must be a numeric date from 2000-01-01 to 9999-12-31' };
    if (isNumericDate(payload['exp']) && payload['exp'] <= payload['nbf']) return { ok: false, detail: '"exp" must be later than "nbf"' };

    if (json) {
      let mismatch: string | null;
      try {
        mismatch = jsonMismatch(json, signedForm(vc as Record<string, unknown>, payload, subject));
      } catch {
        // Only a structure too deep to walk gets here (the body is parsed JSON, so it has no cycles).
        mismatch = 'it could not be compared';
      }
      if (mismatch) return { ok: false, detail: `the JSON form does not match its signed JWT: ${mismatch}` };
    }
    return {
      ok: true,
      credential: {
        jwt,
        issuerDid: issuer,
        issuerAddress,
        type: name,
        subject,
        issuedAt: new Date(payload['nbf'] * 1000),
        expiresAt: isNumericDate(payload['exp']) ? new Date(payload['exp'] * 1000) : null,
        credentialStatus,
      },
    };
  }

  private addressOf(did: string): string | null {
    const prefix = `did:ethr:${this.settings.didNetwork}:`;
    if (!did.startsWith(prefix)) return null;
    const id = did.slice(prefix.length);
    if (/^0x[0-9a-fA-F]{40}$/.test(id) && isAddress(id)) return id;
    if (/^0x0[23][0-9a-fA-F]{64}$/.test(id)) {
      try {
        return computeAddress(id);
      } catch {
        return null; // not a point on secp256k1
      }
    }
    return null;
  }

  /**
   * The JWT's ES256K signature, against the keys the policy lets sign for the issuer DID ({@link signingKeysOnly}:
   * its owner's, and its valid delegates' only if `acceptDelegates`) as they were at `anchoredInBlock` — the block of
   * the issuer's anchor the anchor check found — or as they are now while the credential is not anchored. So a
   * credential anchored before its issuer rotated its key keeps verifying, and one signed with the old key after the
   * rotation does not: only the new owner can anchor it, at a later block.
   */
  private async checkSignature(vc: DecodedCredential, now: Date, policy: VerificationPolicy, anchoredInBlock: number | null): Promise<Check> {
    const didUrl = anchoredInBlock === null ? vc.issuerDid : didAtBlock(vc.issuerDid, anchoredInBlock);
    const keysAsOf = anchoredInBlock === null ? 'as of now (the credential is not anchored)' : `as of block ${anchoredInBlock}, when it was anchored`;
    // Only reading the issuer's DID document involves the chain; whatever fails after it is the signature's fault.
    const resolution = { failed: false };
    const resolver: Resolvable = {
      // did-jwt asks for the "iss" DID, which decoding checked is `vc.issuerDid`: resolve it at the anchoring block.
      resolve: async (_iss, options) => {
        let result: DIDResolutionResult;
        try {
          result = await this.resolver.resolve(didUrl, options);
        } catch (error) {
          resolution.failed = true;
          throw error;
        }
        if (result.didResolutionMetadata.error || !result.didDocument) {
          resolution.failed = true;
          return result;
        }
        return { ...result, didDocument: signingKeysOnly(result.didDocument, policy) };
      },
    };
    try {
      const verified = await verifyJWT(vc.jwt, {
        resolver,
        proofPurpose: 'assertionMethod',
        policies: { now: Math.floor(now.getTime() / 1000), nbf: false, iat: false, exp: false, aud: false },
      });
      return { id: 'signature', status: 'passed', detail: `ES256K signature by ${verified.signer.id}, keys ${keysAsOf}` };
    } catch {
      if (!resolution.failed) {
        const signers = policy.acceptDelegates ? "the issuer DID's owner key or a delegate valid then" : `the issuer DID's owner key (policy ${policy.id} accepts no delegate)`;
        return { id: 'signature', status: 'failed', detail: `signature does not verify against ${signers}, keys ${keysAsOf}` };
      }
      // Every well-formed did:ethr on the city network resolves (an untouched address has a default document), and
      // ethr-did-resolver reports a chain that does not answer as `notFound`: ask the chain itself.
      if (!(await this.ledger.isUp())) return this.cannotTell('signature', "the issuer's DID could not be resolved: the city chain is not answering");
      return { id: 'signature', status: 'failed', detail: 'could not resolve the issuer DID ("iss")' };
    }
  }

  /**
   * The credential's status lists ({@link CredentialStatusCheck}), read only once the signature verified and the
   * issuer was accredited for the type: anyone can make a did:ethr and sign, so until the city stands behind the
   * signer the list URLs are anyone's, and fetching them would let any request make the verifier call any address.
   * A list that cannot be fetched is an outage ({@link cannotTell}); one fetched but not the issuer's is `failed`.
   * @param gates - the signature and issuer-accreditation checks
   */
  private async checkStatus(vc: DecodedCredential, gates: Check[], policy: VerificationPolicy, warnings: string[]): Promise<Check> {
    if (vc.credentialStatus === undefined) return { id: 'status', status: 'skipped', detail: 'the credential has no credentialStatus' };
    if (gates.some((gate) => gate.status !== 'passed')) {
      warnings.push('credential status was not checked');
      return { id: 'status', status: 'skipped', detail: 'not checked: status lists are read only for a verified signature of an accredited issuer' };
    }
    const outcome = await this.statuses.check({ credentialStatus: vc.credentialStatus, issuerDid: vc.issuerDid, rule: policy });
    warnings.push(...outcome.warnings);
    if ('outage' in outcome) return this.cannotTell('status', outcome.outage.why, undefined, outcome.outage.retryAfterSeconds);
    return { id: 'status', status: outcome.status, detail: outcome.detail };
  }

  private checkValidity(vc: DecodedCredential, now: Date): Check {
    const skew = this.settings.clockSkewSeconds * 1000;
    if (vc.issuedAt.getTime() - skew > now.getTime()) return { id: 'validity', status: 'failed', detail: `not valid before ${vc.issuedAt.toISOString()}` };
    if (vc.expiresAt && vc.expiresAt.getTime() + skew <= now.getTime()) return { id: 'validity', status: 'failed', detail: `expired at ${vc.expiresAt.toISOString()}` };
    return { id: 'validity', status: 'passed', detail: vc.expiresAt ? `valid from ${vc.issuedAt.toISOString()} until ${vc.expiresAt.toISOString()}` : `valid from ${vc.issuedAt.toISOString()}, no expiry` };
  }

  private checkSchema(vc: DecodedCredential): Check {
    const result = validateCredentialSubject(vc.type, vc.subject);
    // Age flags are a snapshot at issuance: they must agree with the birth date on the issuance day.
    const errors = result.valid ? checkAgeClaims(vc.subject, vc.issuedAt) : result.errors;
    if (errors.length === 0) return { id: 'schema', status: 'passed', detail: `credentialSubject matches the ${vc.type} schema` };
    const first = errors.slice(0, 3).map((e) => `${e.path || '/'} ${e.message}`);
    return { id: 'schema', status: 'failed', detail: `credentialSubject does not match the ${vc.type} schema: ${first.join('; ')}` };
  }

  private async checkAccreditation(vc: DecodedCredential): Promise<Check> {
    let ok: boolean;
    try {
      ok = await this.ledger.isAccredited(vc.issuerAddress, vc.type, vc.issuedAt);
    } catch (error) {
      return this.chainFault('issuer-accreditation', error);
    }
    return ok
      ? { id: 'issuer-accreditation', status: 'passed', detail: `${vc.issuerAddress} was accredited for ${vc.type} on ${vc.issuedAt.toISOString()}` }
      : { id: 'issuer-accreditation', status: 'failed', detail: `${vc.issuerAddress} was not accredited for ${vc.type} on ${vc.issuedAt.toISOString()}` };
  }

  /**
   * `passed` only for a proof whose root the credential's issuer anchored (`anchorOf(issuer, root)`) while accredited
   * for the credential's type, no earlier than the credential's issuance date (`nbf`) minus the clock skew; a root
   * anchored by anyone else does not count. A proof
   * presented with the request is judged by itself: a root the chain does not know proves nothing, so it fails
   * however fresh the credential. Without one the issuer's proof service is asked; only its positive answer that the
   * credential is queued can make the check `pending` (see {@link checkQueued}). Not being able to ask is never a pass.
   */
  private async checkAnchor(vc: DecodedCredential, now: Date, presented: unknown): Promise<AnchorCheck> {
    const hash = credentialHash(vc.jwt);
    if (presented !== undefined) {
      const parsed = anchorProofSchema.safeParse(presented);
      if (!parsed.success) return { id: 'anchor', status: 'failed', detail: 'the presented anchor proof is malformed' };
      return this.checkProof(vc, hash, parsed.data as AnchorProof, 'presented');
    }
    const answer = await this.proofs.fetchProof(hash);
    switch (answer.kind) {
      case 'proof':
        return this.checkProof(vc, hash, answer.proof, "issuer's");
      case 'pending':
        return this.checkQueued(vc, now, hash, answer.enqueuedAt);
      case 'unknown':
        // The issuer service answers for every credential it issued, anchored or not: these bytes are not among them.
        return { id: 'anchor', status: 'failed', detail: `the issuer service has no record of a credential with hash ${hash}` };
      case 'refused':
        return { id: 'anchor', status: 'failed', detail: `the issuer set ${hash} aside: the city chain refused to anchor its batch` };
      case 'unreachable':
        return this.cannotTell('anchor', `the issuer's anchor proofs cannot be fetched (${answer.reason})`, undefined, answer.retryAfterSeconds);
    }
  }

  private async checkProof(vc: DecodedCredential, hash: Hex32, proof: AnchorProof, whose: string): Promise<AnchorCheck> {
    if (!verifyMerkleProof(hash, proof.proof, proof.root)) {
      return { id: 'anchor', status: 'failed', detail: `the Merkle proof does not lead from ${hash} to root ${proof.root}` };
    }
    const root = rootFromProof(hash, proof.proof);
    let onChain;
    try {
      // Anchors are keyed by issuer: only the credential's own issuer's anchor of this root counts.
      onChain = await this.ledger.findAnchor(vc.issuerAddress, root);
    } catch (error) {
      return this.chainFault('anchor', error);
    }
    if (!onChain) {
      return { id: 'anchor', status: 'failed', detail: `root ${root} of the ${whose} proof is not on chain for the issuer ${vc.issuerAddress}: a proof proves nothing until its issuer anchored its root` };
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
      accredited = await this.ledger.isAccredited(vc.issuerAddress, vc.type, onChain.anchoredAt);
    } catch (error) {
      return this.chainFault('anchor', error);
    }
    if (!accredited) return { id: 'anchor', status: 'failed', detail: `root ${root} was anchored when ${vc.issuerAddress} was not accredited for ${vc.type}` };
    return {
      id: 'anchor',
      status: 'passed',
      detail: `anchored in root ${root} at block ${onChain.blockNumber} (${onChain.anchoredAt.toISOString()}) on chain ${this.ledger.chainId}`,
      anchoredInBlock: onChain.blockNumber,
    };
  }

  /**
   * The issuer says the credential is in its anchoring queue. That is `pending` only within the grace period,
   * measured from the earlier of the issuer's `enqueuedAt` and the credential's `nbf` (which whoever signed chose),
   * and only while the issuer is accredited for the type now: the chain refuses roots from an issuer it no longer
   * accredits, so such a queue will never be anchored.
   */
  private async checkQueued(vc: DecodedCredential, now: Date, hash: Hex32, enqueuedAt: Date): Promise<Check> {
    const since = new Date(Math.min(enqueuedAt.getTime(), vc.issuedAt.getTime()));
    const graceEnds = new Date(since.getTime() + this.settings.anchorGraceSeconds * 1000);
    if (now.getTime() >= graceEnds.getTime()) {
      return { id: 'anchor', status: 'failed', detail: `${hash} is still not anchored ${this.settings.anchorGraceSeconds} s after it was queued (${since.toISOString()})` };
    }
    let accredited: boolean;
    try {
      accredited = await this.ledger.isAccredited(vc.issuerAddress, vc.type, now);
    } catch (error) {
      return this.chainFault('anchor', error);
    }
    if (!accredited) {
      return { id: 'anchor', status: 'failed', detail: `${hash} is queued but not anchored, and ${vc.issuerAddress} is no longer accredited for ${vc.type}: it cannot be anchored` };
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

/** The credential as the JWT signs it, in the JSON form's terms (Veramo's JWT ↔ JSON mapping). */
function signedForm(vc: Record<string, unknown>, payload: Record<string, unknown>, subject: Record<string, unknown>): Record<string, unknown> {
  return {
    ...vc,
    credentialSubject: subject,
    issuer: payload['iss'],
    ...(typeof payload['jti'] === 'string' ? { id: payload['jti'] } : {}),
    issuanceDate: new Date((payload['nbf'] as number) * 1000).toISOString(),
    ...(typeof payload['exp'] === 'number' ? { expirationDate: new Date(payload['exp'] * 1000).toISOString() } : {}),
  };
}

/**
 * The first member of the JSON form that says something the JWT does not sign; null when every member (other
 * than `proof`) agrees with the signed credential. Members may be left out, never added or changed.
 */
function jsonMismatch(json: Record<string, unknown>, signed: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(json)) {
    if (key === 'proof') continue;
    if (!(key in signed)) return `${undefinedMemberName(key, CREDENTIAL_MEMBER_NAMES) ?? 'a member'} is not in the signed JWT`;
    const expected = signed[key];
    if (key === 'issuer') {
      const id = typeof value === 'string' ? value : value && typeof value === 'object' && Object.keys(value).length === 1 ? (value as { id?: unknown }).id : undefined;
      if (id !== expected) return 'issuer differs';
    } else if (key === 'issuanceDate' || key === 'expirationDate') {
      if (typeof value !== 'string' || Date.parse(value) !== Date.parse(expected as string)) return `${memberName(key)} differs`;
    } else if (canonical(value) !== canonical(expected)) {
      return `${memberName(key)} differs`;
    }
  }
  return null;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
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

/** A member of the request's JSON form as a detail may show it (`nameForDisplay`: the name, `[unnamed]` or `[redacted]`). */
function memberName(key: string): string {
  return nameForDisplay(key);
}
