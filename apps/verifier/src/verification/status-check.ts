import type { AnchorLedger } from '@citycred/anchoring';
import type { Clock } from '@citycred/config';
import {
  credentialFormat,
  decodeCompactJws,
  FormatError,
  isHolderDid,
  publicJwkOfDid,
  verifyJwsSignature,
  type DecodedJws,
  type NormalisedCredential,
  type SignatureCrypto,
  type VerificationKey,
  verificationKeyOfMethod,
  type DidVerificationMethod,
} from '@citycred/formats';
import { checkBitstringStatus, checkTokenStatus, STATUS_LIST_JWT_TYP, type BitstringStatusCheck, type TokenStatusCheck } from '@citycred/status-list';
import type { DIDDocument, DIDResolutionResult, Resolvable } from 'did-resolver';
import { signingKeysOnly, type SignerRule } from './issuer-keys.js';
import { LruMap } from './lru-map.js';
import type { StatusListSource } from './status-list-source.js';
import type { TrustedStatusListRecorder } from './trusted-status-lists.js';

/** The purposes whose set bit makes a credential unacceptable: the ones CityCred issuers publish. */
const CHECKED_PURPOSES = new Set(['revocation', 'suspension']);

/** More entries than this is no credential a city issues (ours carry two), and would make one request fetch many lists. */
const MAX_STATUS_ENTRIES = 8;

/** A type or purpose name a warning may repeat: a plain identifier, never free text of the credential. */
const PLAIN_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/**
 * What the status check found: a check status with its detail and warnings, or — when a list could not be fetched,
 * or the issuer's DID document read, because a dependency did not answer — an outage, which the verifier turns into
 * a failure (another check fails the credential anyway) or a 503.
 */
export type StatusOutcome =
  | { status: 'passed' | 'failed' | 'skipped'; detail: string; warnings: string[] }
  | { outage: { why: string; retryAfterSeconds?: number }; warnings: string[] };

/** Settings of {@link CredentialStatusCheck}. */
export interface CredentialStatusCheckSettings {
  /** Tolerated clock difference for a list's `validFrom` / `validUntil`, or a status list token's `iat` / `exp` (seconds). */
  clockSkewSeconds: number;
}

/** The largest date a JavaScript `Date` holds (milliseconds since the epoch): a NumericDate beyond it is no date. */
const MAX_DATE_MS = 8.64e15;

/**
 * A list as far as it was checked: trusted claims (a list credential's, or a status list token's payload), or why
 * not — its URL refused by the fetch guard (nothing was sent), not trustworthy, or not fetched for an outage.
 */
type ListReading =
  | { kind: 'trusted'; claims: Readonly<Record<string, unknown>> }
  | { kind: 'url-refused'; why: string }
  | { kind: 'untrusted'; why: string }
  | { kind: 'outage'; why: string; retryAfterSeconds?: number };

/**
 * The `status` check of a W3C credential's `credentialStatus`: every `BitstringStatusListEntry` of purpose
 * `revocation` or `suspension` is read from its list, fetched whole from the URL the entry names. A list counts only
 * once it is a `vc+jwt` `BitstringStatusListCredential` of the credential's own issuer, signed by a key the issuer's
 * did:ethr document lists now (the keys `signingKeysOnly` keeps for the policy; a key the list carries is never
 * used), and within its `validFrom` / `validUntil`. Entries of other types or purposes are not read: a warning says
 * so. Never throws for a bad credential or list.
 *
 * {@link CredentialStatusCheck.checkToken} does the same for the IETF Token Status List references of an SD-JWT VC
 * (`status.status_list: {idx, uri}`): the token at `uri`, fetched whole, counts only as a `statuslist+jwt` compact
 * JWS signed by one of those keys, whose `sub` is `uri`, issued no later than now and not expired.
 */
export class CredentialStatusCheck {
  /** Lists whose signature held, by URL, issuer, keys and exact bytes (least recently used out beyond 256). */
  private readonly trustedLists = new LruMap<string, NormalisedCredential>(256);

  constructor(
    private readonly resolver: Resolvable,
    private readonly chain: Pick<AnchorLedger, 'isUp'>,
    private readonly lists: StatusListSource,
    private readonly crypto: SignatureCrypto,
    private readonly clock: Clock,
    private readonly settings: CredentialStatusCheckSettings,
    /** Told of every list whose signature held (the employer scanner's offline bundle carries them). */
    private readonly recorder?: TrustedStatusListRecorder,
  ) {}

  /**
   * @param input - the credential's `credentialStatus` (as signed), its issuer DID (already tied to the credential's
   *   signature) and the policy's rule on which of the issuer's keys sign
   */
  async check(input: { credentialStatus: unknown; issuerDid: string; rule: SignerRule }): Promise<StatusOutcome> {
    const items = Array.isArray(input.credentialStatus) ? input.credentialStatus : [input.credentialStatus];
    const warnings: string[] = [];
    if (items.length > MAX_STATUS_ENTRIES) return { status: 'failed', detail: `credentialStatus has more than ${MAX_STATUS_ENTRIES} entries`, warnings };
    const entries: Array<Record<string, unknown>> = [];
    for (const item of items) {
      if (!item || typeof item !== 'object' || Array.isArray(item)) return { status: 'failed', detail: 'credentialStatus entries must be objects', warnings };
      const entry = item as Record<string, unknown>;
      if (entry['type'] !== 'BitstringStatusListEntry') {
        warnings.push(`a credentialStatus entry of type ${nameOf(entry['type'])} was not checked: this verifier reads BitstringStatusListEntry only`);
      } else if (typeof entry['statusPurpose'] !== 'string' || !CHECKED_PURPOSES.has(entry['statusPurpose'])) {
        warnings.push(`a BitstringStatusListEntry of purpose ${nameOf(entry['statusPurpose'])} was not checked: only revocation and suspension decide`);
      } else entries.push(entry);
    }
    if (entries.length === 0) return { status: 'skipped', detail: 'credentialStatus has no entry this verifier reads', warnings };

    const keys = lazily(() => this.issuerKeys(input.issuerDid, input.rule));
    const urls = [...new Set(entries.map((entry) => entry['statusListCredential']).filter((url): url is string => typeof url === 'string'))];
    const readings = new Map(await Promise.all(urls.map(async (url) => [url, await this.readList(url, input.issuerDid, keys)] as const)));

    const found: BitstringStatusCheck[] = [];
    let outage: { why: string; retryAfterSeconds?: number } | undefined;
    let untrusted: string | undefined;
    for (const entry of entries) {
      const reading = readings.get(entry['statusListCredential'] as string);
      if (!reading) {
        found.push(checkBitstringStatus({ entry, credentialIssuer: input.issuerDid, listCredential: undefined }));
      } else if (reading.kind === 'outage') {
        outage ??= { why: reading.why, ...(reading.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: reading.retryAfterSeconds }) };
      } else if (reading.kind === 'url-refused') {
        untrusted ??= `the issuer's ${entry['statusPurpose'] as string} list was not fetched: its URL is refused (${reading.why})`;
      } else if (reading.kind === 'untrusted') {
        untrusted ??= `the issuer's ${entry['statusPurpose'] as string} list cannot be trusted: ${reading.why}`;
      } else {
        found.push(checkBitstringStatus({ entry, credentialIssuer: input.issuerDid, listCredential: reading.claims }));
      }
    }
    const set = found.filter((c) => c.reason === 'revoked' || c.reason === 'suspended').map((c) => c.reason);
    if (set.length > 0) {
      const which = [...new Set(set)].sort().join(' and ');
      return { status: 'failed', detail: `${which}: the issuer's signed status list sets the credential's entry`, warnings };
    }
    if (untrusted) return { status: 'failed', detail: untrusted, warnings };
    const broken = found.find((c) => c.status === 'failed');
    if (broken) return { status: 'failed', detail: `the ${broken.purpose ?? 'status'} entry cannot be checked against its list: ${broken.detail}`, warnings };
    if (outage) return { outage, warnings };
    const purposes = [...new Set(found.map((c) => (c.purpose === 'revocation' ? 'not revoked' : 'not suspended')))].sort().join(', ');
    return { status: 'passed', detail: `${purposes}: read from the issuer's signed status lists`, warnings };
  }

  /**
   * The `status` check of an SD-JWT VC's Token Status List references: each status list token is fetched whole from
   * its `uri` (never a question about one index, so the issuer does not learn which credential is checked) and
   * trusted only as a compact JWS of `typ` `statuslist+jwt`, signed by a key the issuer's DID document lists now
   * (cut by `rule`; a key the token carries is never used), whose `sub` is the `uri` (and `iss`, when it has one,
   * the credential's issuer), whose `iat` is not in the future and whose `exp`, when it has one, is not past (both
   * give or take the clock skew). The entry at `index` then decides: VALID passes, INVALID (revoked), SUSPENDED or
   * any other value fails, as does an index beyond the list. A token that cannot be fetched is an outage; one
   * refused or not trusted fails. Never throws for bad input.
   * @param input - the credential's token status references (`{uri, index}`, as libs/formats normalises
   *   `status.status_list`), its issuer DID (already tied to the credential's signature) and the policy's rule on
   *   which of the issuer's keys sign
   * @returns `passed`, `failed` (revoked, suspended, another status, or a list that cannot be trusted or read),
   *   `skipped` when there is no reference, or an outage when a token could not be fetched or the DID not resolved
   *   because a dependency did not answer
   */
  async checkToken(input: { references: ReadonlyArray<{ readonly uri: string; readonly index: number }>; issuerDid: string; rule: SignerRule }): Promise<StatusOutcome> {
    const warnings: string[] = [];
    const references: unknown = input.references;
    if (!Array.isArray(references)) return { status: 'failed', detail: 'the status list token references must be a list', warnings };
    if (references.length === 0) return { status: 'skipped', detail: 'the credential names no status list token', warnings };
    if (references.length > MAX_STATUS_ENTRIES) return { status: 'failed', detail: `the credential names more than ${MAX_STATUS_ENTRIES} status list token entries`, warnings };
    if (!references.every(isTokenReference)) return { status: 'failed', detail: 'a status list token reference must name a uri and a non-negative integer index', warnings };

    const keys = lazily(() => this.issuerKeys(input.issuerDid, input.rule));
    const uris = [...new Set(references.map((reference) => reference.uri))];
    const readings = new Map(await Promise.all(uris.map(async (uri) => [uri, await this.readToken(uri, input.issuerDid, keys)] as const)));

    const found: TokenStatusCheck[] = [];
    let outage: { why: string; retryAfterSeconds?: number } | undefined;
    let untrusted: string | undefined;
    for (const reference of references) {
      const reading = readings.get(reference.uri)!;
      if (reading.kind === 'outage') {
        outage ??= { why: reading.why, ...(reading.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: reading.retryAfterSeconds }) };
      } else if (reading.kind === 'url-refused') {
        untrusted ??= `the issuer's status list token was not fetched: its URL is refused (${reading.why})`;
      } else if (reading.kind === 'untrusted') {
        untrusted ??= `the issuer's status list token cannot be trusted: ${reading.why}`;
      } else {
        found.push(checkTokenStatus({ reference: { idx: reference.index, uri: reference.uri }, payload: reading.claims }));
      }
    }
    const set = found.filter((c) => c.reason === 'invalid' || c.reason === 'suspended').map((c) => (c.reason === 'invalid' ? 'revoked' : 'suspended'));
    if (set.length > 0) {
      const which = [...new Set(set)].sort().join(' and ');
      return { status: 'failed', detail: `${which}: the issuer's signed status list token says so for the credential's entry`, warnings };
    }
    if (untrusted) return { status: 'failed', detail: untrusted, warnings };
    const broken = found.find((c) => c.status === 'failed');
    if (broken) return { status: 'failed', detail: `the credential's entry cannot be read from its status list token: ${broken.detail}`, warnings };
    if (outage) return { outage, warnings };
    return { status: 'passed', detail: "not revoked or suspended: read from the issuer's signed status list token", warnings };
  }

  /** Fetches the list at `url`: its body, or — refused or unreachable — the reading that follows. */
  private async fetchBody(url: string): Promise<{ kind: 'body'; jwt: string } | Exclude<ListReading, { kind: 'trusted' }>> {
    const answer = await this.lists.fetchList(url);
    if (answer.kind === 'url-refused') return { kind: 'url-refused', why: answer.reason };
    if (answer.kind === 'refused') return { kind: 'untrusted', why: answer.reason };
    if (answer.kind === 'unreachable') {
      return { kind: 'outage', why: `the issuer's status list cannot be fetched (${answer.reason})`, ...(answer.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: answer.retryAfterSeconds }) };
    }
    return { kind: 'body', jwt: answer.jwt };
  }

  /**
   * Fetches the status list token at `uri` and decides whether it is the issuer's: a `statuslist+jwt` compact JWS,
   * about `uri`, signed by the issuer's key, dated. Nothing the token says is repeated in a reason.
   */
  private async readToken(uri: string, issuerDid: string, keys: () => Promise<KeysAnswer>): Promise<ListReading> {
    const body = await this.fetchBody(uri);
    if (body.kind !== 'body') return body;
    let token: DecodedJws;
    try {
      token = decodeCompactJws(body.jwt);
    } catch (error) {
      if (error instanceof FormatError) return { kind: 'untrusted', why: `it is not a compact JWS (${error.code})` };
      throw error;
    }
    if (token.header.typ !== STATUS_LIST_JWT_TYP) return { kind: 'untrusted', why: `its typ is not ${STATUS_LIST_JWT_TYP}` };
    const claims = token.payload;
    if (claims['sub'] !== uri) return { kind: 'untrusted', why: 'its sub is not the URI the credential names' };
    if (claims['iss'] !== undefined && claims['iss'] !== issuerDid) return { kind: 'untrusted', why: "it was issued by someone other than the credential's issuer" };
    const issuedAt = numericDate(claims['iat']);
    const expiresAt = claims['exp'] === undefined ? undefined : numericDate(claims['exp']);
    if (!issuedAt) return { kind: 'untrusted', why: 'its iat is not a NumericDate' };
    if (expiresAt === null) return { kind: 'untrusted', why: 'its exp is not a NumericDate' };
    const issuer = await keys();
    if (issuer.kind === 'outage') return { kind: 'outage', why: issuer.why };
    if (issuer.kind === 'unresolved') return { kind: 'untrusted', why: "the issuer's DID document could not be resolved" };
    const proof = await verifyJwsSignature(token, issuer.keys, this.crypto);
    if (!proof.valid) return { kind: 'untrusted', why: "its signature does not verify against the issuer DID's keys" };
    const now = this.clock.now().getTime();
    const skew = this.settings.clockSkewSeconds * 1000;
    if (issuedAt.getTime() - skew > now) return { kind: 'untrusted', why: `it is issued in the future (${issuedAt.toISOString()})` };
    if (expiresAt && expiresAt.getTime() + skew <= now) return { kind: 'untrusted', why: `it expired at ${expiresAt.toISOString()}` };
    this.recorder?.trusted(uri, issuerDid);
    return { kind: 'trusted', claims };
  }

  /** Fetches the list at `url` and decides whether it is the issuer's: decoded, signed by the issuer's key, dated. */
  private async readList(url: string, issuerDid: string, keys: () => Promise<KeysAnswer>): Promise<ListReading> {
    const body = await this.fetchBody(url);
    if (body.kind !== 'body') return body;
    // The same bytes from the same URL, checked against the same keys of the same issuer, read the same: only the
    // list's dates are judged again (they depend on the clock).
    const issuer = await keys();
    const memoKey = issuer.kind === 'keys' ? `${url}\n${issuerDid}\n${keysFingerprint(issuer.keys)}\n${body.jwt}` : undefined;
    const known = memoKey === undefined ? undefined : this.trustedLists.get(memoKey);
    const reading = known ? { kind: 'trusted' as const, list: known } : await this.readListBody(body.jwt, issuerDid, issuer);
    if (reading.kind !== 'trusted') return reading;
    if (!known && memoKey !== undefined) this.trustedLists.set(memoKey, reading.list);
    this.recorder?.trusted(url, issuerDid);
    return this.dated(reading.list);
  }

  /** A list whose signature held, judged on its dates now. */
  private dated(list: NormalisedCredential): ListReading {
    const now = this.clock.now().getTime();
    const skew = this.settings.clockSkewSeconds * 1000;
    if (list.validFrom && list.validFrom.getTime() - skew > now) return { kind: 'untrusted', why: `it is not valid before ${list.validFrom.toISOString()}` };
    if (list.validUntil && list.validUntil.getTime() + skew <= now) return { kind: 'untrusted', why: `it expired at ${list.validUntil.toISOString()}` };
    return { kind: 'trusted', claims: list.credential };
  }

  private async readListBody(jwt: string, issuerDid: string, issuer: KeysAnswer): Promise<Exclude<ListReading, { kind: 'trusted' }> | { kind: 'trusted'; list: NormalisedCredential }> {
    const format = credentialFormat('vc+jwt');
    let list: NormalisedCredential;
    try {
      list = format.decode(jwt);
    } catch (error) {
      if (error instanceof FormatError) return { kind: 'untrusted', why: `it is not a vc+jwt credential (${error.code})` };
      throw error;
    }
    if (!list.types.includes('BitstringStatusListCredential')) return { kind: 'untrusted', why: 'it is not a BitstringStatusListCredential' };
    if (list.issuer !== issuerDid) return { kind: 'untrusted', why: "it was issued by someone other than the credential's issuer" };
    if (issuer.kind === 'outage') return { kind: 'outage', why: issuer.why };
    if (issuer.kind === 'unresolved') return { kind: 'untrusted', why: "the issuer's DID document could not be resolved" };
    const proof = await format.verifyProof(list, issuer.keys, this.crypto);
    if (!proof.valid) return { kind: 'untrusted', why: "its signature does not verify against the issuer DID's keys" };
    return { kind: 'trusted', list };
  }

  /** The issuer DID's keys now, cut to those `rule` lets sign; an outage only when the chain itself does not answer. */
  private async issuerKeys(issuerDid: string, rule: SignerRule): Promise<KeysAnswer> {
    // A did:jwk / did:key issuer (the `open` policy) signs its lists with the key its DID is: nothing to resolve.
    if (isHolderDid(issuerDid)) {
      try {
        return { kind: 'keys', keys: [{ kind: 'jwk', id: `${issuerDid}#0`, jwk: publicJwkOfDid(issuerDid) }] };
      } catch {
        return { kind: 'unresolved' };
      }
    }
    let result: DIDResolutionResult | undefined;
    try {
      result = await this.resolver.resolve(issuerDid);
    } catch {
      result = undefined;
    }
    if (!result?.didDocument || result.didResolutionMetadata.error) {
      // ethr-did-resolver reports a chain that does not answer as `notFound`: ask the chain itself.
      return (await this.chain.isUp()) ? { kind: 'unresolved' } : { kind: 'outage', why: "the issuer's DID could not be resolved: the city chain is not answering" };
    }
    return { kind: 'keys', keys: verificationKeysOf(signingKeysOnly(result.didDocument, rule)) };
  }
}

type KeysAnswer = { kind: 'keys'; keys: VerificationKey[] } | { kind: 'unresolved' } | { kind: 'outage'; why: string };

/**
 * The signing keys of a did:ethr document as {@link VerificationKey}s: an address (`blockchainAccountId`, checked by
 * recovering the signer), a hex secp256k1 key (`publicKeyHex`) or a JWK; methods in other forms are left out.
 * @param document - a document already cut to the keys that may sign ({@link signingKeysOnly})
 */
export function verificationKeysOf(document: DIDDocument): VerificationKey[] {
  return (document.verificationMethod ?? []).flatMap((method) => verificationKeyOfMethod(method as DidVerificationMethod) ?? []);
}

/** Whether `value` is a token status reference this check can read: a string `uri` and a non-negative integer `index`. */
function isTokenReference(value: unknown): value is { uri: string; index: number } {
  if (!value || typeof value !== 'object') return false;
  const reference = value as Record<string, unknown>;
  return typeof reference['uri'] === 'string' && typeof reference['index'] === 'number' && Number.isSafeInteger(reference['index']) && reference['index'] >= 0;
}

/** A JWT NumericDate (seconds since the epoch, RFC 7519) as a date; null when `value` is none a `Date` can hold. */
function numericDate(value: unknown): Date | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value * 1000) > MAX_DATE_MS) return null;
  return new Date(value * 1000);
}

/** `value` as a warning may name it: a plain identifier, or a description. */
function nameOf(value: unknown): string {
  return typeof value === 'string' && PLAIN_NAME.test(value) ? value : '(unnamed)';
}

/** Runs `load` once, on first call, and hands every caller the same promise. */
function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}


/** The keys as a string: which key ids, and which key material, may sign. */
function keysFingerprint(keys: readonly VerificationKey[]): string {
  return keys
    .map((key) =>
      key.kind === 'secp256k1' ? `${key.id}:${Buffer.from(key.publicKey).toString('hex')}` : key.kind === 'ethereum-address' ? `${key.id}:${key.address}` : `${key.id}:${JSON.stringify(key.jwk)}`,
    )
    .join('|');
}
