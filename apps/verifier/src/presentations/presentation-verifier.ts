import type { Clock } from '@citycred/config';
import {
  canonicalJson,
  decodeCompactJws,
  didJwkOf,
  FormatError,
  isHolderDid,
  isJsonObject,
  publicJwkOfDid,
  splitSdJwt,
  verifyJwsSignature,
  verifyKeyBinding,
  type DecodedJws,
  type PublicJwk,
  type SignatureCrypto,
  type VerificationKey,
} from '@citycred/formats';
import type { Resolvable } from 'did-resolver';
import type { CredentialPolicy, PolicyDecision, PresentedCredential } from '../policies/index.js';
import type { ChallengeStore, ChallengeUse } from './challenge-store.js';
import { presentationHashOf } from '../programs/decision-receipts.js';
import type { PolicyDecisions } from '../programs/policy-decisions.js';
import { HOLDER_NONCE } from './holder-nonce.js';
import type { CredentialVerifier } from '../verification/credential-verifier.js';
import { signingKeysOnly } from '../verification/issuer-keys.js';
import { resultOf, type AppliedPolicy, type Check, type VerificationPolicy, type VerificationResult } from '../verification/result.js';
import { verificationKeysOf } from '../verification/status-check.js';

/** Settings of {@link PresentationVerifier}. */
export interface PresentationVerifierSettings {
  /** The audience a presentation must name when the caller gives no `domain`: this verifier's public URL. */
  audience: string;
  /** How old a presentation (its `iat`, or the KB-JWT's) may be (seconds). */
  maxAgeSeconds: number;
  /** Tolerated clock difference for a presentation dated ahead of the verifier's clock (seconds). */
  clockSkewSeconds: number;
}

/** What the caller gives besides the presentation. */
export interface PresentationVerifyOptions {
  /** The challenge the holder had to sign (`nonce`): from `POST /challenges`, or one the caller chose. */
  challenge?: string;
  /**
   * Instead of `challenge`: no request came before the presentation (a wallet shows it as a QR code), so the holder
   * chose the nonce. The presentation's own `nonce` is read, must be {@link HOLDER_NONCE} (base64url of at least 16
   * bytes) and is used once like a challenge the caller chose; the presentation may be at most `maxAgeSeconds` old
   * (instead of the verifier's setting). `challenge` is not read then.
   */
  holderNonce?: { maxAgeSeconds: number };
  /** The audience the holder had to name (`aud`); this verifier's public URL when not given. */
  domain?: string;
  /** The trust policy for the credentials (and what the presentation's own checks may be). */
  policy: VerificationPolicy;
  /** Anchor proofs that travel with the presentation (the wallet keeps them), for any of its credentials. */
  anchorProofs?: readonly unknown[];
  /** A credential policy (policies as code) to decide on the credentials that verified; `verified` then needs it satisfied. */
  credentialPolicy?: CredentialPolicy;
}

/** The answer for a presentation: its own checks (`format`, `holder-binding`) and each credential's result. */
export interface PresentationResult {
  /** True only when the presentation's checks and every credential's checks are accepted by the policy. */
  verified: boolean;
  checks: Check[];
  warnings: string[];
  errors: string[];
  policy: AppliedPolicy;
  /** The holder DID, once the presentation could be read (a did:jwk for an SD-JWT's `cnf` key). */
  holder?: string;
  /** One result per credential, in the order presented. */
  credentials: VerificationResult[];
  /** The credential policy's decision, when one was asked for: one result per criterion, with reasons. */
  decision?: PolicyDecision;
  /** The decision's signed receipt (compact JWS by the verifier's request-signing key), with the decision. */
  receipt?: string;
}

/** Most credentials one presentation may carry: more is no request a city service makes. */
const MAX_CREDENTIALS = 16;

/** A nonce a holder may choose ({@link PresentationVerifyOptions.holderNonce}); see holder-nonce.ts. */
export { HOLDER_NONCE };

/** A presentation read from its bytes, not yet checked. */
type ReadPresentation =
  | { kind: 'sd-jwt'; presented: string }
  | {
      kind: 'jwt-vp';
      jws: DecodedJws;
      holder: string;
      credentials: unknown[];
      nonce: unknown;
      aud: unknown;
      issuedAt: number | undefined;
      expiresAt: number | undefined;
    };

/**
 * Verifies a presentation: a JWT VP (VCDM 1.1 `vp` claim, or a VCDM 2.0 `vp+jwt`; compact, Veramo's JSON form, or an
 * `EnvelopedVerifiablePresentation`) signed by its holder, or an SD-JWT VC with a key-binding JWT. Every credential
 * goes through the {@link CredentialVerifier} under the caller's policy; the presentation adds `format` and
 * `holder-binding`: the holder's signature (the holder DID's key: did:jwk, did:key, or a did:ethr's owner key; the
 * KB-JWT by the credential's `cnf` key), over the caller's challenge (or a nonce the holder chose) and audience,
 * fresh, every W3C credential's subject being the holder — and the challenge used once only (a replay fails). Never
 * throws for a bad presentation; an outage of the chain or of the issuer's services is the credential verifier's 503.
 */
export class PresentationVerifier {
  constructor(
    private readonly credentials: CredentialVerifier,
    private readonly challenges: ChallengeStore,
    private readonly resolver: Resolvable,
    private readonly crypto: SignatureCrypto,
    private readonly clock: Clock,
    private readonly settings: PresentationVerifierSettings,
    /** Where credential-policy decisions are made and receipted; without it, the policy is evaluated here, unreceipted. */
    private readonly decisions?: Pick<PolicyDecisions, 'decide'>,
  ) {}

  async verify(input: unknown, options: PresentationVerifyOptions): Promise<PresentationResult> {
    const read = readPresentation(input);
    if ('detail' in read) {
      return this.answer(input, [{ id: 'format', status: 'failed', detail: read.detail }, { id: 'holder-binding', status: 'skipped', detail: 'not checked: the presentation could not be read' }], [], options);
    }
    const credentialOptions = { policy: options.policy, ...(options.anchorProofs ? { anchorProofs: options.anchorProofs } : {}) };
    if (read.kind === 'sd-jwt') {
      const credential = await this.credentials.verify(read.presented, credentialOptions);
      const binding = await this.sdJwtBinding(read.presented, credential, options);
      const holderJwk = credential.credential?.holder.jwk;
      return this.answer(input, [{ id: 'format', status: 'passed', detail: 'an SD-JWT VC presented with a key-binding JWT' }, binding], [credential], options, holderJwk ? holderDidOf(holderJwk) : undefined);
    }
    const results = await Promise.all(read.credentials.map((credential) => this.credentials.verify(credential, credentialOptions)));
    const binding = await this.vpBinding(read, results, options);
    return this.answer(input, [{ id: 'format', status: 'passed', detail: `a JWT VP with ${results.length} credential${results.length === 1 ? '' : 's'}` }, binding], results, options, read.holder);
  }

  /**
   * The presentation's result: its own checks under the trust policy, each credential's, and — when a credential
   * policy was asked for and the presentation holds — its decision over the credentials that verified, and its receipt.
   */
  private async answer(input: unknown, checks: Check[], credentials: VerificationResult[], options: PresentationVerifyOptions, holder?: string): Promise<PresentationResult> {
    const own = resultOf(checks, options.policy);
    const failing = credentials.filter((c) => !c.verified).length;
    const errors = [...own.errors, ...credentials.flatMap((c, i) => c.errors.map((e) => `credential ${i + 1}: ${e}`))];
    const holds = own.verified && credentials.length > 0 && failing === 0;
    let decision: PolicyDecision | undefined;
    let receipt: string | undefined;
    if (options.credentialPolicy && holds) {
      const presented = credentials.flatMap((c): PresentedCredential[] => (c.credential ? [{ ...c.credential }] : []));
      if (this.decisions) ({ decision, receipt } = await this.decisions.decide(options.credentialPolicy, presented, presentationHashOf(input)));
      else decision = options.credentialPolicy.evaluate(presented, this.clock.now());
      for (const criterion of decision.criteria) if (criterion.result === 'failed') errors.push(`policy ${decision.policy.id}: ${criterion.id}: ${criterion.reason.en}`);
    }
    return {
      verified: holds && (decision === undefined || decision.satisfied),
      ...(decision ? { decision } : {}),
      ...(receipt ? { receipt } : {}),
      checks: own.checks,
      warnings: [...own.warnings, ...credentials.flatMap((c, i) => c.warnings.map((w) => `credential ${i + 1}: ${w}`))],
      errors,
      policy: own.policy,
      ...(holder === undefined ? {} : { holder }),
      credentials,
    };
  }

  /** The KB-JWT: by the credential's `cnf` key, over this challenge and audience, fresh; then the challenge is used. */
  private async sdJwtBinding(presented: string, credential: VerificationResult, options: PresentationVerifyOptions): Promise<Check> {
    if (!credentialSignatureHolds(credential)) return { id: 'holder-binding', status: 'skipped', detail: "not checked: the credential's own signature did not verify, so its cnf key means nothing" };
    const kbJwt = splitSdJwt(presented).kbJwt;
    if (!kbJwt) return failed('the SD-JWT VC carries no key-binding JWT: anyone holding a copy could present it');
    // A holder's own nonce is read from the KB-JWT here, and holds only once its signature does below.
    const nonce = options.holderNonce ? signedNonceOf(kbJwt) : options.challenge;
    if (nonce === undefined) return failed(options.holderNonce ? 'the key-binding JWT carries no nonce' : NO_CHALLENGE);
    const kb = await verifyKeyBinding(
      presented,
      { nonce, aud: options.domain ?? this.settings.audience, now: this.clock.now(), maxAgeSeconds: this.maxAgeSeconds(options), clockSkewSeconds: this.settings.clockSkewSeconds },
      this.crypto,
    );
    if (!kb.valid) return failed(`the key-binding JWT does not hold: ${KB_REASONS[kb.reason] ?? kb.reason}`);
    return this.useNonce(nonce, options, 'key-binding JWT signed by the key the credential is bound to (cnf)');
  }

  /** The VP's signature by the holder DID's key, over this challenge and audience, fresh; each credential the holder's. */
  private async vpBinding(read: Extract<ReadPresentation, { kind: 'jwt-vp' }>, results: VerificationResult[], options: PresentationVerifyOptions): Promise<Check> {
    const keys = await this.holderKeys(read.holder);
    if (keys === null) return failed('the holder is not a DID this verifier can read a key from (did:jwk, did:key, or a did:ethr it resolves)');
    const signature = await verifyJwsSignature(read.jws, keys, this.crypto);
    if (!signature.valid) return failed(signature.reason === 'signature.alg-unsupported' ? 'the presentation is signed with an algorithm this verifier does not check' : "the presentation's signature does not verify against the holder DID's key");
    const nonce = options.holderNonce ? (typeof read.nonce === 'string' ? read.nonce : undefined) : options.challenge;
    if (nonce === undefined) return failed(options.holderNonce ? 'the presentation carries no nonce' : NO_CHALLENGE);
    if (read.nonce !== nonce) return failed('the presentation answers another challenge (nonce)');
    const audience = options.domain ?? this.settings.audience;
    const audiences = Array.isArray(read.aud) ? read.aud : [read.aud];
    if (!audiences.includes(audience)) return failed('the presentation is addressed to another audience (aud)');
    const now = this.clock.now().getTime() / 1000;
    if (read.issuedAt === undefined) return failed('the presentation carries no iat (when it was made)');
    if (read.issuedAt > now + this.settings.clockSkewSeconds) return failed('the presentation is dated in the future (iat)');
    const maxAgeSeconds = this.maxAgeSeconds(options);
    if (read.issuedAt < now - maxAgeSeconds) return failed(`the presentation is older than ${maxAgeSeconds} s (iat)`);
    if (read.expiresAt !== undefined && read.expiresAt + this.settings.clockSkewSeconds <= now) return failed('the presentation has expired (exp)');
    // A W3C credential names its subject; an SD-JWT VC carried in the VP is the holder's when its cnf key is the holder DID's.
    const foreign = results.findIndex((r) => r.credential !== undefined && (r.credential.holder.id ?? (r.credential.holder.jwk ? holderDidOf(r.credential.holder.jwk) : undefined)) !== read.holder);
    if (foreign >= 0) return failed(`credential ${foreign + 1} is not the holder's: its subject is not the DID that signed the presentation`);
    return this.useNonce(nonce, options, 'signed by the holder DID, whose every credential names it as subject');
  }

  private maxAgeSeconds(options: PresentationVerifyOptions): number {
    return options.holderNonce?.maxAgeSeconds ?? this.settings.maxAgeSeconds;
  }

  /** Uses the nonce the holder's signature covers, once: a challenge, or the holder's own nonce if it is one. */
  private async useNonce(nonce: string, options: PresentationVerifyOptions, what: string): Promise<Check> {
    if (!options.holderNonce) return this.useChallenge(nonce, what);
    if (!HOLDER_NONCE.test(nonce)) return failed('the nonce the holder chose is not base64url of at least 16 random bytes (22 to 128 characters): it could repeat or be guessed');
    const use: ChallengeUse = await this.challenges.consume(nonce);
    if (use === 'issued' || use === 'first-seen') return { id: 'holder-binding', status: 'passed', detail: `${what}, with a nonce the holder chose (now used)` };
    if (use === 'used') return failed('the nonce was already used by another presentation: a replay (a presentation shown as a QR code counts once)');
    return failed("the nonce is one of this verifier's challenges, and it has expired");
  }

  private async useChallenge(challenge: string, what: string): Promise<Check> {
    const use: ChallengeUse = await this.challenges.consume(challenge);
    switch (use) {
      case 'issued':
        return { id: 'holder-binding', status: 'passed', detail: `${what}, answering a challenge this verifier handed out (now used)` };
      case 'first-seen':
        return { id: 'holder-binding', status: 'passed', detail: `${what}, answering the caller's challenge (now used)` };
      case 'used':
        return failed('the challenge was already used by another presentation: a replay');
      case 'expired':
        return failed('the challenge has expired');
    }
  }

  /** The holder DID's keys: the DID itself for did:jwk / did:key; a did:ethr's owner key as of now; null otherwise. */
  private async holderKeys(did: string): Promise<VerificationKey[] | null> {
    if (isHolderDid(did)) {
      try {
        return [{ kind: 'jwk', id: `${did}#0`, jwk: publicJwkOfDid(did) }];
      } catch {
        return null;
      }
    }
    if (!did.startsWith('did:ethr:')) return null;
    try {
      const resolved = await this.resolver.resolve(did);
      if (!resolved.didDocument || resolved.didResolutionMetadata.error) return null;
      return verificationKeysOf(signingKeysOnly(resolved.didDocument, { acceptDelegates: false }));
    } catch {
      return null;
    }
  }
}

/** Plain reasons for the key-binding refusals (the format library's stable codes). */
const KB_REASONS: Readonly<Record<string, string>> = {
  'kb.malformed': 'it is not a well-formed JWT',
  'kb.typ-invalid': 'its typ is not kb+jwt',
  'kb.alg-unsupported': 'it is signed with an algorithm this verifier does not check',
  'kb.no-holder-key': 'the credential names no holder key (cnf)',
  'kb.signature-invalid': 'it is not signed by the key the credential is bound to',
  'kb.sd-hash-mismatch': 'it does not cover exactly the disclosures presented (sd_hash)',
  'kb.nonce-mismatch': 'it answers another challenge (nonce)',
  'kb.aud-mismatch': 'it is addressed to another audience (aud)',
  'kb.iat-stale': 'it is too old (iat)',
  'kb.iat-future': 'it is dated in the future (iat)',
  'kb.credential-malformed': 'the credential could not be read',
};

const NO_CHALLENGE = 'no challenge was given: a presentation that answers no challenge can be replayed (ask POST /challenges for one)';

/**
 * The `nonce` a KB-JWT says it answers (not verified yet); undefined when it names none. For a KB-JWT that cannot be
 * read at all, '': {@link verifyKeyBinding} refuses it whatever the nonce, and says why.
 */
function signedNonceOf(kbJwt: string): string | undefined {
  let payload: Readonly<Record<string, unknown>>;
  try {
    payload = decodeCompactJws(kbJwt).payload;
  } catch (error) {
    if (error instanceof FormatError) return '';
    throw error;
  }
  const nonce = payload['nonce'];
  return typeof nonce === 'string' ? nonce : undefined;
}

function failed(detail: string): Check {
  return { id: 'holder-binding', status: 'failed', detail };
}

/** Whether the credential's issuer signature verified (its `cnf` key is only worth checking then). */
function credentialSignatureHolds(result: VerificationResult): boolean {
  return result.checks.some((c) => c.id === 'signature' && c.status === 'passed');
}

/** `did:jwk:` of a holder's `cnf` key, as the result names the holder of an SD-JWT presentation. */
function holderDidOf(jwk: Readonly<Record<string, unknown>>): string | undefined {
  try {
    return didJwkOf(jwk as PublicJwk);
  } catch {
    return undefined;
  }
}

const VP_JWT_DATA_URL = 'data:application/vp+jwt,';
const SD_JWT_DATA_URLS = ['data:application/dc+sd-jwt,', 'data:application/vc+sd-jwt,'];

/** Reads the presentation's outside: which kind it is, its holder, credentials and signed claims. Never throws. */
function readPresentation(input: unknown): ReadPresentation | { detail: string } {
  let compact: string;
  let json: Record<string, unknown> | undefined;
  if (typeof input === 'string') compact = input.trim();
  else if (isJsonObject(input) && typeof input['id'] === 'string' && /^Enveloped/.test(String(input['type']))) {
    const id = input['id'];
    const prefix = [VP_JWT_DATA_URL, ...SD_JWT_DATA_URLS].find((p) => id.startsWith(p));
    if (!prefix) return { detail: 'an enveloped presentation must be a data: URL of application/vp+jwt or application/dc+sd-jwt' };
    compact = id.slice(prefix.length);
  } else if (isJsonObject(input) && isJsonObject(input['proof']) && typeof input['proof']['jwt'] === 'string') {
    const proof = input['proof'];
    if (proof['type'] !== 'JwtProof2020' || Object.keys(proof).length !== 2) return { detail: 'the JSON form\'s proof must be exactly {type: "JwtProof2020", jwt}' };
    compact = proof['jwt'] as string;
    json = input;
  } else return { detail: 'expected a JWT VP (compact, Veramo\'s JSON form or enveloped) or an SD-JWT VC with a key-binding JWT' };
  if (compact.includes('~')) return json ? { detail: 'an SD-JWT is presented as it is, not in a JSON form' } : { kind: 'sd-jwt', presented: compact };

  let jws: DecodedJws;
  try {
    jws = decodeCompactJws(compact);
  } catch (error) {
    if (error instanceof FormatError) return { detail: `the presentation is not a well-formed JWS: ${error.message}` };
    throw error;
  }
  const { header, payload } = jws;
  const vp = header.typ === 'vp+jwt' ? payload : payload['vp'];
  if (!isJsonObject(vp)) return { detail: 'the JWT has no "vp" claim (nor is it a vp+jwt presentation)' };
  const types = Array.isArray(vp['type']) ? vp['type'] : [vp['type']];
  if (!types.includes('VerifiablePresentation')) return { detail: 'the presentation\'s type must include VerifiablePresentation' };
  const holderMember = vp['holder'];
  const holder = header.typ === 'vp+jwt' ? (isJsonObject(holderMember) ? holderMember['id'] : holderMember) : payload['iss'];
  if (typeof holder !== 'string' || holder === '') return { detail: 'the presentation names no holder ("iss" / holder)' };
  const listed = vp['verifiableCredential'];
  const credentials = listed === undefined ? [] : Array.isArray(listed) ? listed : [listed];
  if (credentials.length === 0) return { detail: 'the presentation carries no credential' };
  if (credentials.length > MAX_CREDENTIALS) return { detail: `the presentation carries more than ${MAX_CREDENTIALS} credentials` };
  if (json) {
    const signed: Record<string, unknown> = { ...vp, holder };
    for (const [name, value] of Object.entries(json)) {
      if (name === 'proof') continue;
      if (!(name in signed) || canonicalJson(value) !== canonicalJson(signed[name])) return { detail: 'the JSON form does not match its signed JWT' };
    }
    for (const name of Object.keys(signed)) if (!(name in json)) return { detail: 'the JSON form does not match its signed JWT: a signed member is left out' };
  }
  const nbf = payload['nbf'];
  const iat = payload['iat'];
  const exp = payload['exp'];
  const numeric = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  return {
    kind: 'jwt-vp',
    jws,
    holder,
    credentials,
    nonce: payload['nonce'],
    aud: payload['aud'],
    issuedAt: numeric(iat) ?? numeric(nbf),
    expiresAt: numeric(exp),
  };
}
