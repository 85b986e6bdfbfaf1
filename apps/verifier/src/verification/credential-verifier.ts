import { credentialHash, verifyMerkleProof, rootFromProof, type AnchorLedger, type Hex32 } from '@citycred/anchoring';
import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import { checkAgeClaims, CITYCRED_CONTEXT_URL, isCredentialType, VC_V1_CONTEXT_URL, validateCredentialSubject, type CredentialTypeName } from '@citycred/credentials';
import { decodeJWT, verifyJWT } from 'did-jwt';
import type { Resolvable } from 'did-resolver';
import { computeAddress, isAddress } from 'ethers';
import { anchorProofSchema, type AnchorProof, type AnchorProofSource } from './anchor-proof-source.js';
import { resultOf, type Check, type VerificationResult } from './result.js';

/** Settings of {@link CredentialVerifier}. */
export interface CredentialVerifierSettings {
  /** The did:ethr network name of the city chain. */
  didNetwork: string;
  /** How long after issuance a not-yet-anchored credential is still acceptable (seconds). */
  anchorGraceSeconds: number;
  /** Tolerated clock difference for issuance/expiry (seconds). */
  clockSkewSeconds: number;
}

/** What the caller may hand in besides the credential. */
export interface VerifyOptions {
  /** An anchor proof the holder presents (e.g. from the wallet); otherwise it is fetched from the issuer. */
  anchorProof?: unknown;
}

/** A JWT VC's claims once decoded and shape-checked. */
interface DecodedCredential {
  jwt: string;
  issuer: string;
  issuerAddress: string;
  type: CredentialTypeName;
  subject: Record<string, unknown>;
  issuedAt: Date;
  expiresAt: Date | null;
  hasStatus: boolean;
}

const ES256K_ALGS = new Set(['ES256K', 'ES256K-R']);

/** Largest |seconds since the epoch| a JavaScript Date can hold; a claim beyond it is not a date. */
const MAX_DATE_SECONDS = 8_640_000_000_000;

function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_DATE_SECONDS;
}

/**
 * Verifies a JWT VC issued on the city chain and reports one result per check
 * (`format`, `signature`, `validity`, `schema`, `status`, `issuer-accreditation`, `anchor`).
 * It never throws for a bad credential. When its own dependencies fail (the city chain or the issuer's proof
 * service not answering) it cannot tell a good credential from a bad one, so it throws
 * `AppError(service.unavailable)` (503) instead of reporting the credential as failed.
 */
export class CredentialVerifier {
  constructor(
    private readonly resolver: Resolvable,
    private readonly ledger: AnchorLedger,
    private readonly proofs: AnchorProofSource,
    private readonly clock: Clock,
    private readonly settings: CredentialVerifierSettings,
  ) {}

  /**
   * @param input - the credential in Veramo's JSON form (`proof.jwt`) or a compact JWT string
   */
  async verify(input: unknown, options: VerifyOptions = {}): Promise<VerificationResult> {
    const format = this.decode(input);
    if (!format.ok) {
      const skipped = (['signature', 'validity', 'schema', 'status', 'issuer-accreditation', 'anchor'] as const).map(
        (id): Check => ({ id, status: 'skipped', detail: 'not checked: the credential could not be read' }),
      );
      return resultOf([{ id: 'format', status: 'failed', detail: format.detail }, ...skipped]);
    }
    const vc = format.credential;
    const now = this.clock.now();
    const checks: Check[] = [{ id: 'format', status: 'passed', detail: `JWT VC of type ${vc.type} issued by ${vc.issuer}` }];
    checks.push(await this.checkSignature(vc, now));
    checks.push(this.checkValidity(vc, now));
    checks.push(this.checkSchema(vc));
    checks.push(
      vc.hasStatus
        ? { id: 'status', status: 'skipped', detail: 'credentialStatus present, but status lists are not checked by this version' }
        : { id: 'status', status: 'skipped', detail: 'the credential has no credentialStatus' },
    );
    checks.push(await this.checkAccreditation(vc));
    checks.push(await this.checkAnchor(vc, now, options.anchorProof));
    const warnings = vc.hasStatus ? ['credential status was not checked'] : [];
    return resultOf(checks, warnings);
  }

  private decode(input: unknown): { ok: true; credential: DecodedCredential } | { ok: false; detail: string } {
    let jwt: string;
    let json: Record<string, unknown> | null = null;
    if (typeof input === 'string') jwt = input.trim();
    else if (input && typeof input === 'object' && typeof (input as { proof?: { jwt?: unknown } }).proof?.jwt === 'string') {
      json = input as Record<string, unknown>;
      jwt = (json['proof'] as { jwt: string }).jwt;
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
    if (typeof header['alg'] !== 'string' || !ES256K_ALGS.has(header['alg'])) return { ok: false, detail: `unsupported JWT alg ${String(header['alg'])}; expected ES256K` };
    const vc = payload['vc'];
    if (!vc || typeof vc !== 'object') return { ok: false, detail: 'JWT has no "vc" claim' };
    const { '@context': context, type, credentialSubject, credentialStatus } = vc as Record<string, unknown>;
    if (!Array.isArray(context) || context[0] !== VC_V1_CONTEXT_URL) return { ok: false, detail: `the first @context must be ${VC_V1_CONTEXT_URL}` };
    if (!context.includes(CITYCRED_CONTEXT_URL)) return { ok: false, detail: `@context must include ${CITYCRED_CONTEXT_URL}` };
    const unknownContexts = context.filter((c) => c !== VC_V1_CONTEXT_URL && c !== CITYCRED_CONTEXT_URL);
    if (unknownContexts.length > 0) return { ok: false, detail: `unknown @context ${JSON.stringify(unknownContexts[0])}` };
    if (!Array.isArray(type) || !type.includes('VerifiableCredential')) return { ok: false, detail: 'type must include VerifiableCredential' };
    const specific = type.filter((t) => t !== 'VerifiableCredential');
    const name = specific[0];
    if (specific.length !== 1 || typeof name !== 'string' || !isCredentialType(name)) {
      return { ok: false, detail: `unknown credential type ${JSON.stringify(specific)}` };
    }
    if (!credentialSubject || typeof credentialSubject !== 'object' || Array.isArray(credentialSubject)) return { ok: false, detail: 'credentialSubject must be an object' };
    const subject = { ...(credentialSubject as Record<string, unknown>) };
    if (typeof payload['sub'] === 'string' && subject['id'] === undefined) subject['id'] = payload['sub'];
    const issuer = payload['iss'];
    if (typeof issuer !== 'string') return { ok: false, detail: 'JWT has no "iss"' };
    const issuerAddress = this.addressOf(issuer);
    if (!issuerAddress) return { ok: false, detail: `issuer ${issuer} is not a did:ethr on network ${this.settings.didNetwork}` };
    if (!isNumericDate(payload['nbf'])) return { ok: false, detail: 'JWT has no numeric "nbf" (issuance date)' };
    if (payload['exp'] !== undefined && !isNumericDate(payload['exp'])) return { ok: false, detail: '"exp" must be a numeric date' };

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
        issuer,
        issuerAddress,
        type: name,
        subject,
        issuedAt: new Date(payload['nbf'] * 1000),
        expiresAt: isNumericDate(payload['exp']) ? new Date(payload['exp'] * 1000) : null,
        hasStatus: credentialStatus !== undefined,
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

  private async checkSignature(vc: DecodedCredential, now: Date): Promise<Check> {
    try {
      const verified = await verifyJWT(vc.jwt, {
        resolver: this.resolver,
        policies: { now: Math.floor(now.getTime() / 1000), nbf: false, iat: false, exp: false, aud: false },
      });
      return { id: 'signature', status: 'passed', detail: `ES256K signature by ${verified.signer.id}` };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!/invalid_signature/.test(message)) await this.requireChain();
      if (/resolver_error|notFound|could not resolve/i.test(message) && !/invalid_signature/.test(message)) {
        return { id: 'signature', status: 'failed', detail: `could not resolve the issuer DID ${vc.issuer}: ${message}` };
      }
      return { id: 'signature', status: 'failed', detail: `signature does not verify against ${vc.issuer}'s keys` };
    }
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
    try {
      const ok = await this.ledger.isAccredited(vc.issuerAddress, vc.type, vc.issuedAt);
      return ok
        ? { id: 'issuer-accreditation', status: 'passed', detail: `${vc.issuerAddress} was accredited for ${vc.type} on ${vc.issuedAt.toISOString()}` }
        : { id: 'issuer-accreditation', status: 'failed', detail: `${vc.issuerAddress} was not accredited for ${vc.type} on ${vc.issuedAt.toISOString()}` };
    } catch (error) {
      throw chainUnavailable(error);
    }
  }

  private async checkAnchor(vc: DecodedCredential, now: Date, presented: unknown): Promise<Check> {
    const hash = credentialHash(vc.jwt);
    let proof: AnchorProof | null = null;
    let why = '';
    if (presented !== undefined) {
      const parsed = anchorProofSchema.safeParse(presented);
      if (!parsed.success) return { id: 'anchor', status: 'failed', detail: 'the presented anchor proof is malformed' };
      proof = parsed.data as AnchorProof;
    } else {
      const answer = await this.proofs.fetchProof(hash);
      if (answer.kind === 'unreachable' && !this.withinGrace(vc, now)) {
        throw new AppError(ErrorCode.ServiceUnavailable, `The issuer's anchor proofs cannot be fetched (${answer.reason}); try again later.`);
      }
      if (answer.kind === 'proof') proof = answer.proof;
      else if (answer.kind === 'unknown') {
        // The issuer service answers for every credential it issued, anchored or not: these bytes are not among them.
        return { id: 'anchor', status: 'failed', detail: `the issuer service has no record of a credential with hash ${hash}` };
      } else why = answer.kind === 'pending' ? 'the issuer has not anchored it yet' : `no proof could be fetched (${answer.reason})`;
    }
    if (!proof) return this.notAnchored(vc, now, hash, why);
    if (!verifyMerkleProof(hash, proof.proof, proof.root)) {
      return { id: 'anchor', status: 'failed', detail: `the Merkle proof does not lead from ${hash} to root ${proof.root}` };
    }
    try {
      const root = rootFromProof(hash, proof.proof);
      const onChain = await this.ledger.findAnchor(root);
      if (!onChain) return this.notAnchored(vc, now, hash, `root ${root} is not on chain`);
      if (onChain.issuer.toLowerCase() !== vc.issuerAddress.toLowerCase()) {
        return { id: 'anchor', status: 'failed', detail: `root ${root} was anchored by ${onChain.issuer}, not by the issuer ${vc.issuerAddress}` };
      }
      if (!(await this.ledger.isAccredited(onChain.issuer, vc.type, onChain.anchoredAt))) {
        return { id: 'anchor', status: 'failed', detail: `root ${root} was anchored when ${onChain.issuer} was not accredited for ${vc.type}` };
      }
      return {
        id: 'anchor',
        status: 'passed',
        detail: `anchored in root ${root} at block ${onChain.blockNumber} (${onChain.anchoredAt.toISOString()}) on chain ${this.ledger.chainId}`,
      };
    } catch (error) {
      throw chainUnavailable(error);
    }
  }

  private withinGrace(vc: DecodedCredential, now: Date): boolean {
    return now.getTime() < vc.issuedAt.getTime() + this.settings.anchorGraceSeconds * 1000;
  }

  /** @throws AppError `service.unavailable` when the chain does not answer */
  private async requireChain(): Promise<void> {
    if (!(await this.ledger.isUp())) throw new AppError(ErrorCode.ServiceUnavailable, 'The city chain is not answering; try again later.');
  }

  private notAnchored(vc: DecodedCredential, now: Date, hash: Hex32, why: string): Check {
    const graceEnds = new Date(vc.issuedAt.getTime() + this.settings.anchorGraceSeconds * 1000);
    if (this.withinGrace(vc, now)) {
      return { id: 'anchor', status: 'pending', detail: `${hash} not anchored yet (${why}); acceptable until ${graceEnds.toISOString()}` };
    }
    return { id: 'anchor', status: 'failed', detail: `${hash} is still not anchored ${this.settings.anchorGraceSeconds} s after issuance (${why})` };
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
    if (!(key in signed)) return `${key} is not in the signed JWT`;
    const expected = signed[key];
    if (key === 'issuer') {
      const id = typeof value === 'string' ? value : value && typeof value === 'object' && Object.keys(value).length === 1 ? (value as { id?: unknown }).id : undefined;
      if (id !== expected) return 'issuer differs';
    } else if (key === 'issuanceDate' || key === 'expirationDate') {
      if (typeof value !== 'string' || Date.parse(value) !== Date.parse(expected as string)) return `${key} differs`;
    } else if (canonical(value) !== canonical(expected)) {
      return `${key} differs`;
    }
  }
  return null;
}

function chainUnavailable(cause: unknown): AppError {
  return new AppError(ErrorCode.ServiceUnavailable, 'The city chain is not answering; try again later.', { cause });
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
