import { credentialFormat, decodeSdJwtVc, detectFormat, FormatError, selectSdJwtDisclosures, type CredentialFormatId, type NormalisedCredential } from '@citycred/formats';
import { isRecord } from '../oid4vci/http.js';

/** One element of a DCQL claims path (OpenID4VP 1.0 §7): a member name, an array index, or `null` for every element. */
export type ClaimPathElement = string | number | null;

/** A claim query (OpenID4VP 1.0 §6.3). */
export interface DcqlClaimQuery {
  readonly id?: string;
  readonly path: readonly ClaimPathElement[];
  /** The claim must hold one of these values (strings, numbers, booleans). */
  readonly values?: readonly (string | number | boolean)[];
}

/** A credential query (OpenID4VP 1.0 §6.1). */
export interface DcqlCredentialQuery {
  readonly id: string;
  readonly format: string;
  readonly meta?: { readonly vct_values?: readonly string[]; readonly type_values?: readonly (readonly string[])[] };
  readonly claims?: readonly DcqlClaimQuery[];
  readonly claim_sets?: readonly (readonly string[])[];
  readonly multiple?: boolean;
  readonly require_cryptographic_holder_binding?: boolean;
}

/** A credential set query (OpenID4VP 1.0 §6.2): one of `options` (each a list of credential query ids) must be met. */
export interface DcqlCredentialSetQuery {
  readonly options: readonly (readonly string[])[];
  readonly required?: boolean;
}

/** A DCQL query (OpenID4VP 1.0 §6). */
export interface DcqlQuery {
  readonly credentials: readonly DcqlCredentialQuery[];
  readonly credential_sets?: readonly DcqlCredentialSetQuery[];
}

/** Why a DCQL query was not read (a message for logs). */
export class DcqlQueryError extends Error {
  override readonly name = 'DcqlQueryError';
}

/** The DCQL formats this wallet presents, and the credential format of each. */
const WALLET_FORMAT_OF: Readonly<Record<string, CredentialFormatId>> = { 'dc+sd-jwt': 'dc+sd-jwt', jwt_vc_json: 'jwt_vc' };

const QUERY_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Checks a `dcql_query` as a request object carries it: the shapes of OpenID4VP 1.0 §6, ids unique and
 * well-formed, claim sets naming claim ids of their query, credential sets naming credential query ids.
 * @returns the query, typed
 * @throws DcqlQueryError naming what is wrong
 */
export function readDcqlQuery(value: unknown): DcqlQuery {
  if (!isRecord(value)) throw new DcqlQueryError('dcql_query must be an object');
  const credentials = value['credentials'];
  if (!Array.isArray(credentials) || credentials.length === 0 || credentials.length > 64) throw new DcqlQueryError('dcql_query.credentials must be a non-empty array');
  const ids = new Set<string>();
  for (const query of credentials) {
    if (!isRecord(query) || typeof query['id'] !== 'string' || !QUERY_ID.test(query['id']) || ids.has(query['id'])) {
      throw new DcqlQueryError('each credential query needs a unique id of letters, digits, _ and -');
    }
    ids.add(query['id']);
    if (typeof query['format'] !== 'string') throw new DcqlQueryError(`credential query ${query['id']} has no format`);
    const meta = query['meta'];
    if (meta !== undefined) {
      if (!isRecord(meta)) throw new DcqlQueryError(`meta of ${query['id']} must be an object`);
      if (meta['vct_values'] !== undefined && !isStringArray(meta['vct_values'])) throw new DcqlQueryError(`meta.vct_values of ${query['id']} must be strings`);
      if (meta['type_values'] !== undefined && !(Array.isArray(meta['type_values']) && meta['type_values'].every(isStringArray))) {
        throw new DcqlQueryError(`meta.type_values of ${query['id']} must be arrays of strings`);
      }
    }
    const claimIds = new Set<string>();
    const claims = query['claims'];
    if (claims !== undefined) {
      if (!Array.isArray(claims) || claims.length === 0) throw new DcqlQueryError(`claims of ${query['id']} must be a non-empty array`);
      for (const claim of claims) {
        if (!isRecord(claim) || !Array.isArray(claim['path']) || claim['path'].length === 0 || !claim['path'].every(isPathElement)) {
          throw new DcqlQueryError(`each claim of ${query['id']} needs a path of strings, non-negative integers and nulls`);
        }
        if (claim['id'] !== undefined) {
          if (typeof claim['id'] !== 'string' || !QUERY_ID.test(claim['id']) || claimIds.has(claim['id'])) throw new DcqlQueryError(`claim ids of ${query['id']} must be unique`);
          claimIds.add(claim['id']);
        }
        const values = claim['values'];
        if (values !== undefined && !(Array.isArray(values) && values.length > 0 && values.every((v) => ['string', 'number', 'boolean'].includes(typeof v)))) {
          throw new DcqlQueryError(`values of a claim of ${query['id']} must be strings, numbers or booleans`);
        }
      }
    }
    const claimSets = query['claim_sets'];
    if (claimSets !== undefined) {
      if (claims === undefined || !Array.isArray(claimSets) || claimSets.length === 0) throw new DcqlQueryError(`claim_sets of ${query['id']} need claims`);
      for (const set of claimSets) {
        if (!isStringArray(set) || set.length === 0 || !set.every((id) => claimIds.has(id))) throw new DcqlQueryError(`a claim set of ${query['id']} names a claim id it does not have`);
      }
    }
    for (const flag of ['multiple', 'require_cryptographic_holder_binding'] as const) {
      if (query[flag] !== undefined && typeof query[flag] !== 'boolean') throw new DcqlQueryError(`${flag} of ${query['id']} must be a boolean`);
    }
  }
  const sets = value['credential_sets'];
  if (sets !== undefined) {
    if (!Array.isArray(sets) || sets.length === 0) throw new DcqlQueryError('credential_sets must be a non-empty array');
    for (const set of sets) {
      if (!isRecord(set) || !Array.isArray(set['options']) || set['options'].length === 0 || !set['options'].every((o) => isStringArray(o) && o.length > 0 && o.every((id) => ids.has(id)))) {
        throw new DcqlQueryError('each credential set needs options naming credential query ids');
      }
      if (set['required'] !== undefined && typeof set['required'] !== 'boolean') throw new DcqlQueryError('credential set required must be a boolean');
    }
  }
  return value as unknown as DcqlQuery;
}

/** A stored credential as the matcher needs it. */
export interface HeldCredential {
  readonly id: string;
  readonly encoded: string;
}

/** One claim a presentation would disclose, with its value, for the consent screen. */
export interface DisclosedClaim {
  readonly path: readonly ClaimPathElement[];
  readonly value: unknown;
}

/** A held credential that answers a credential query, and what presenting it would disclose. */
export interface DcqlCandidate {
  readonly credential: HeldCredential;
  readonly decoded: NormalisedCredential;
  /**
   * Exactly what the verifier will receive, for the consent screen: for an SD-JWT VC every claim of the presentation
   * (the clear claims and the **whole** value of each disclosed top-level claim — asking for `residence.city` sends the
   * `residence` disclosure, district and all), each as `{path: [name], value}`; for a JWT VC, which goes whole, every
   * member of its `credentialSubject` (`{path: ['credentialSubject', name], value}`).
   */
  readonly claims: readonly DisclosedClaim[];
  /** The claims the query asked for, with the values this credential holds (the claim set chosen, when it has sets). */
  readonly requested: readonly DisclosedClaim[];
  /** True when {@link claims} hold more than was asked for: the consent screen says so, naming {@link extraPaths}. */
  readonly disclosesMore: boolean;
  /** The paths of the values in {@link claims} that no requested path covers (leaves: `['residence', 'district']`). */
  readonly extraPaths: readonly (readonly ClaimPathElement[])[];
  /** The index of the claim set used, when the query has `claim_sets` (0 = the verifier's first preference). */
  readonly claimSetIndex?: number;
  /** SD-JWT VC: the top-level claim names to disclose. */
  readonly disclose: readonly string[];
  /** True for a JWT VC: it is shown whole, every claim in it, not only those asked for. */
  readonly wholeCredential: boolean;
}

/** What one credential query found among the held credentials. */
export interface DcqlQueryMatch {
  readonly query: DcqlCredentialQuery;
  /** Held credentials that answer it, in the order given (each with the most preferred claim set it meets). */
  readonly candidates: readonly DcqlCandidate[];
  /** False when the format is not one this wallet presents (`dc+sd-jwt`, `jwt_vc_json`). */
  readonly formatSupported: boolean;
}

/** The outcome of matching a DCQL query against the wallet's credentials. */
export interface DcqlMatch {
  readonly queries: readonly DcqlQueryMatch[];
  /**
   * The credential query ids that must be answered: every query when the request has no `credential_sets`; else, per
   * required set, the first option whose queries all have candidates (or its first option when none has).
   */
  readonly required: readonly string[];
  /** True when every required query has at least one candidate: the wallet can answer. */
  readonly satisfiable: boolean;
}

/**
 * Evaluates a DCQL query against the held credentials (OpenID4VP 1.0 §6.4): the format; `meta.vct_values` (SD-JWT VC)
 * or `meta.type_values` (JWT VC: one of the lists, all its types held); the claims by path (§7.1: names, indices,
 * `null` for every element) and `values`; `claim_sets` in the verifier's order of preference. `trusted_authorities`
 * is not evaluated (the verifier checks issuers itself). A credential that does not decode is skipped.
 * @param query - a checked query ({@link readDcqlQuery})
 * @param held - the wallet's credentials
 */
export function matchDcqlQuery(query: DcqlQuery, held: readonly HeldCredential[]): DcqlMatch {
  const decoded = held.flatMap((credential) => {
    try {
      return [{ credential, decoded: credentialFormat(detectFormat(credential.encoded)).decode(credential.encoded) }];
    } catch (error) {
      if (error instanceof FormatError) return [];
      throw error;
    }
  });
  const queries = query.credentials.map((credentialQuery): DcqlQueryMatch => {
    const walletFormat = WALLET_FORMAT_OF[credentialQuery.format];
    if (walletFormat === undefined) return { query: credentialQuery, candidates: [], formatSupported: false };
    const candidates = decoded.flatMap(({ credential, decoded: d }) => {
      if (d.format !== walletFormat || !metaMatches(credentialQuery, d)) return [];
      const candidate = candidateOf(credentialQuery, credential, d);
      return candidate ? [candidate] : [];
    });
    return { query: credentialQuery, candidates, formatSupported: true };
  });
  const found = new Set(queries.filter((q) => q.candidates.length > 0).map((q) => q.query.id));
  const required = query.credential_sets
    ? query.credential_sets
        .filter((set) => set.required !== false)
        .flatMap((set) => set.options.find((option) => option.every((id) => found.has(id))) ?? set.options[0]!)
    : query.credentials.map((q) => q.id);
  return { queries, required: [...new Set(required)], satisfiable: required.every((id) => found.has(id)) };
}

/**
 * The values a claims path selects in a credential (OpenID4VP 1.0 §7.1). Empty when the claim is absent.
 * @param data - the credential's claims: an SD-JWT VC's processed claims, or a W3C credential's JSON
 */
export function selectClaim(data: unknown, path: readonly ClaimPathElement[]): unknown[] {
  let selected: unknown[] = [data];
  for (const element of path) {
    const next: unknown[] = [];
    for (const value of selected) {
      if (element === null) {
        if (Array.isArray(value)) next.push(...value);
      } else if (typeof element === 'number') {
        if (Array.isArray(value) && element < value.length) next.push(value[element]);
      } else if (isRecord(value) && Object.hasOwn(value, element)) {
        next.push(value[element]);
      }
    }
    if (next.length === 0) return [];
    selected = next;
  }
  return selected;
}

function metaMatches(query: DcqlCredentialQuery, decoded: NormalisedCredential): boolean {
  const meta = query.meta;
  if (!meta) return true;
  if (decoded.format === 'dc+sd-jwt') return meta.vct_values === undefined || meta.vct_values.includes(decoded.primaryType);
  return meta.type_values === undefined || meta.type_values.some((types) => types.every((type) => decoded.types.includes(type)));
}

function candidateOf(query: DcqlCredentialQuery, credential: HeldCredential, decoded: NormalisedCredential): DcqlCandidate | undefined {
  const claims = query.claims ?? [];
  const found = new Map<DcqlClaimQuery, DisclosedClaim>();
  for (const claim of claims) {
    const matching = matchingValues(decoded.credential, claim);
    if (matching.length > 0) found.set(claim, { path: claim.path, value: matching.length === 1 ? matching[0] : matching });
  }
  const pick = (chosen: readonly DcqlClaimQuery[], claimSetIndex?: number) => {
    const candidate = disclosureOf(credential, decoded, chosen, found);
    return candidate && { ...candidate, ...(claimSetIndex !== undefined ? { claimSetIndex } : {}) };
  };
  if (query.claim_sets === undefined) return claims.every((claim) => found.has(claim)) ? pick(claims) : undefined;
  for (const [index, set] of query.claim_sets.entries()) {
    const chosen = set.map((id) => claims.find((claim) => claim.id === id)!);
    if (!chosen.every((claim) => found.has(claim))) continue;
    const candidate = pick(chosen, index);
    if (candidate) return candidate;
  }
  return undefined;
}

/**
 * What presenting `credential` for the `chosen` claims sends. An SD-JWT VC is cut down exactly as the presentation
 * will be ({@link selectSdJwtDisclosures}) and read back, so the consent screen shows what the verifier gets; a claim
 * asked for that the cut-down credential no longer holds (a disclosure nested inside a disclosed claim, which is not
 * presented) makes the credential no answer. A JWT VC goes whole.
 */
function disclosureOf(
  credential: HeldCredential,
  decoded: NormalisedCredential,
  chosen: readonly DcqlClaimQuery[],
  found: ReadonlyMap<DcqlClaimQuery, DisclosedClaim>,
): Omit<DcqlCandidate, 'claimSetIndex'> | undefined {
  const requested = chosen.map((claim) => found.get(claim)!);
  let claims: DisclosedClaim[];
  let disclose: string[] = [];
  if (decoded.format === 'dc+sd-jwt') {
    disclose = [...new Set(chosen.map((claim) => claim.path[0]).filter((name): name is string => typeof name === 'string'))];
    let view: NormalisedCredential;
    try {
      view = decodeSdJwtVc(selectSdJwtDisclosures(credential.encoded, disclose));
    } catch (error) {
      if (error instanceof FormatError) return undefined;
      throw error;
    }
    if (!chosen.every((claim) => matchingValues(view.credential, claim).length > 0)) return undefined;
    claims = Object.entries(view.claims).map(([name, value]) => ({ path: [name], value }));
  } else {
    const subject = decoded.credential['credentialSubject'];
    claims = isRecord(subject) ? Object.entries(subject).map(([name, value]) => ({ path: ['credentialSubject', name], value })) : requested;
  }
  const extraPaths = claims.flatMap((claim) => leafPaths(claim.value, claim.path)).filter((leaf) => !chosen.some((claim) => covers(claim.path, leaf)));
  return { credential, decoded, wholeCredential: decoded.format !== 'dc+sd-jwt', claims, requested, disclose, disclosesMore: extraPaths.length > 0, extraPaths };
}

function matchingValues(data: unknown, claim: DcqlClaimQuery): unknown[] {
  const values = selectClaim(data, claim.path);
  return claim.values === undefined ? values : values.filter((value) => claim.values!.some((wanted) => wanted === value));
}

/** The paths of every leaf under `value` (a scalar, or an empty object or array, is its own leaf). */
function leafPaths(value: unknown, path: readonly ClaimPathElement[]): ClaimPathElement[][] {
  if (Array.isArray(value) && value.length > 0) return value.flatMap((item, index) => leafPaths(item, [...path, index]));
  if (isRecord(value) && Object.keys(value).length > 0) return Object.entries(value).flatMap(([name, item]) => leafPaths(item, [...path, name]));
  return [[...path]];
}

/** Whether a requested claims path selects the leaf at `leaf` (a requested object covers everything inside it). */
function covers(requested: readonly ClaimPathElement[], leaf: readonly ClaimPathElement[]): boolean {
  return requested.length <= leaf.length && requested.every((element, i) => (element === null ? typeof leaf[i] === 'number' : element === leaf[i]));
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isPathElement(value: unknown): value is ClaimPathElement {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);
}
