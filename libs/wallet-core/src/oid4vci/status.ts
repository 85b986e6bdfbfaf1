import { credentialFormat, decodeCompactJws, detectFormat, FormatError, verifyJwsSignature, type DecodedJws, type StatusReference } from '@citycred/formats';
import { checkBitstringStatus, checkTokenStatus, STATUS_LIST_JWT_TYP } from '@citycred/status-list';
import { contactableUrl, sendRequest, type WalletTransport } from './http.js';
import { Oid4vciError, Oid4vciErrorCode } from './errors.js';
import type { IssuerKeys, IssuerSignatureCheck } from './issuer-keys.js';

/**
 * One status entry of a credential, read from its list:
 * - `valid`: not revoked or suspended in this list;
 * - `revoked`, `suspended`: as the list says;
 * - `unknown`: the list could not be fetched or read, or it does not fit the entry (`reason` says which).
 *
 * `signature` says whether the list was checked to be signed by the credential's issuer: `unchecked` when the wallet
 * was given no {@link IssuerSignatureCheck} or the issuer's keys could not be had (offline, a DID it cannot resolve);
 * the verifier checks it anyway, with the issuer's keys on chain. A list whose signature is `invalid` is not read.
 */
export interface CredentialStatusReading {
  readonly reference: StatusReference;
  readonly status: 'valid' | 'revoked' | 'suspended' | 'unknown';
  /** A stable reason: the status-list library's (`not-set`, `revoked`, `valid`, `invalid`, …) or `list-unavailable`, `list-unreadable`, `signature-invalid`. */
  readonly reason: string;
  readonly signature: 'verified' | 'unchecked' | 'invalid';
}

/**
 * Reads every status entry of a credential from its issuer's lists, fetching each list **whole** (a Bitstring Status
 * List credential, or a Token Status List token): the issuer sees that a list was fetched, never which entry was
 * read, so it cannot tell which of its credentials the wallet holds. Lists are fetched once per call, or taken from
 * `kept` when given (then fetched at most once per its interval, across calls).
 * @param record - the credential
 * @param issuerSignature - checks the list's signature by the credential's issuer, when given
 * @param kept - the lists fetched lately, shared by the calls that refresh every card ({@link StatusListCache})
 * @returns one reading per status reference (none for a credential without status)
 * @throws FormatError only for a record whose bytes are not a credential (storage was altered); a list that cannot
 *   be fetched or read is an `unknown` reading, never an error
 */
export async function readCredentialStatus(
  record: { readonly encoded: string },
  transport: WalletTransport,
  issuerSignature?: IssuerSignatureCheck,
  kept?: StatusListCache,
): Promise<CredentialStatusReading[]> {
  const credential = credentialFormat(detectFormat(record.encoded)).decode(record.encoded);
  const lists = new Map<string, Promise<DecodedJws | string>>();
  const fetchList = (uri: string) => {
    let list = lists.get(uri);
    if (!list) {
      list = kept ? kept.list(uri) : fetchStatusList(uri, transport);
      lists.set(uri, list);
    }
    return list;
  };
  // The issuer's keys are looked up once, and only when there is a list to check.
  let keysOfIssuer: Promise<IssuerKeys> | undefined;
  const issuerKeys = () => (keysOfIssuer ??= issuerSignature!.keysOf(credential.issuer));
  const readings: CredentialStatusReading[] = [];
  for (const reference of credential.status) {
    const uri = reference.kind === 'bitstring' ? reference.listCredential : reference.uri;
    const list = await fetchList(uri);
    if (typeof list === 'string') {
      readings.push({ reference, status: 'unknown', reason: list, signature: 'unchecked' });
      continue;
    }
    let signature: CredentialStatusReading['signature'] = 'unchecked';
    const keys = issuerSignature ? await issuerKeys() : undefined;
    if (issuerSignature && keys?.kind === 'keys') {
      const check = await verifyJwsSignature(list, keys.keys, issuerSignature.crypto);
      signature = check.valid ? 'verified' : 'invalid';
      if (!check.valid) {
        readings.push({ reference, status: 'unknown', reason: 'signature-invalid', signature });
        continue;
      }
    }
    readings.push({ ...statusIn(reference, list, credential.issuer), signature });
  }
  return readings;
}

/** The status of a credential from all its readings: revoked over suspended over unknown; valid only when every list says so; undefined without status entries. */
export function overallStatus(readings: readonly { readonly status: CredentialStatusReading['status'] }[]): CredentialStatusReading['status'] | undefined {
  if (readings.length === 0) return undefined;
  for (const worst of ['revoked', 'suspended', 'unknown'] as const) if (readings.some((reading) => reading.status === worst)) return worst;
  return 'valid';
}

/** How long a status list fetched whole is used again before it is fetched anew: refreshing every card asks each list at most once a minute. */
export const STATUS_LIST_REFRESH_MS = 60_000;

/**
 * The status lists the wallet fetched lately, each fetched whole and used again for {@link STATUS_LIST_REFRESH_MS}:
 * refreshing the statuses of every card (on unlock, when the device comes back online) asks each list at most once per
 * interval, however many cards name it. A list that could not be fetched or read is not kept: the next refresh asks
 * again.
 */
export class StatusListCache {
  private readonly kept = new Map<string, { readonly at: number; readonly list: Promise<DecodedJws | string> }>();

  constructor(
    private readonly transport: WalletTransport,
    readonly refreshMs: number = STATUS_LIST_REFRESH_MS,
  ) {}

  /** The list at `uri`, decoded, or why it could not be had (`list-unavailable`, `list-unreadable`). */
  list(uri: string): Promise<DecodedJws | string> {
    const now = this.transport.clock.now().getTime();
    const kept = this.kept.get(uri);
    if (kept && now - kept.at < this.refreshMs) return kept.list;
    const list = fetchStatusList(uri, this.transport);
    const entry = { at: now, list };
    this.kept.set(uri, entry);
    void list.then(
      (found) => typeof found === 'string' && this.kept.get(uri) === entry && this.kept.delete(uri),
      () => this.kept.get(uri) === entry && this.kept.delete(uri),
    );
    return list;
  }
}

/**
 * Reads the status of every credential given, with the lists in `kept` (each list fetched whole, at most once per its
 * interval), and answers each credential whose status could be read with its new snapshot (`status`: state and
 * `checkedAt`, the transport's time). A credential without status entries, or whose lists could not all be read
 * (`unknown`), is left out: its last snapshot stands.
 * @param records - the credentials to refresh (the app passes those it received from an issuer it reaches)
 * @throws nothing for a list; FormatError only for a record whose bytes are not a credential is caught and left out too
 */
export async function refreshCredentialStatuses<T extends { readonly encoded: string }>(
  records: readonly T[],
  transport: WalletTransport,
  kept: StatusListCache,
  issuerSignature?: IssuerSignatureCheck,
): Promise<Array<T & { readonly status: { readonly state: 'valid' | 'revoked' | 'suspended'; readonly checkedAt: string } }>> {
  const read = await Promise.all(
    records.map(async (record) => {
      const state = overallStatus(await readCredentialStatus(record, transport, issuerSignature, kept).catch(() => []));
      return state === undefined || state === 'unknown' ? [] : [{ ...record, status: { state, checkedAt: transport.clock.now().toISOString() } }];
    }),
  );
  return read.flat();
}

function statusIn(reference: StatusReference, list: DecodedJws, issuer: string): Omit<CredentialStatusReading, 'signature'> {
  if (reference.kind === 'token') {
    if (list.header.typ !== STATUS_LIST_JWT_TYP) return { reference, status: 'unknown', reason: 'list-unreadable' };
    const check = checkTokenStatus({ reference: { idx: reference.index, uri: reference.uri }, payload: list.payload });
    const status = check.status === 'passed' ? 'valid' : check.reason === 'invalid' ? 'revoked' : check.reason === 'suspended' ? 'suspended' : 'unknown';
    return { reference, status, reason: check.reason };
  }
  let listCredential: unknown;
  try {
    listCredential = credentialFormat(detectFormat(list.compact)).decode(list.compact).credential;
  } catch (error) {
    if (error instanceof FormatError) return { reference, status: 'unknown', reason: 'list-unreadable' };
    throw error;
  }
  const entry = { type: 'BitstringStatusListEntry', statusPurpose: reference.purpose, statusListCredential: reference.listCredential, statusListIndex: String(reference.index) };
  const check = checkBitstringStatus({ entry, credentialIssuer: issuer, listCredential });
  const status = check.status === 'passed' ? 'valid' : check.reason === 'revoked' ? 'revoked' : check.reason === 'suspended' ? 'suspended' : 'unknown';
  return { reference, status, reason: check.reason };
}

/** The list as a decoded JWS, or why it could not be had (`list-unavailable`, `list-unreadable`). */
async function fetchStatusList(uri: string, transport: WalletTransport): Promise<DecodedJws | string> {
  const url = contactableUrl(uri, transport.allowInsecureHttp);
  if (!url) return 'list-unavailable';
  let text: string;
  try {
    const answer = await sendRequest(transport.fetch, url.href, { method: 'GET', headers: { accept: 'application/statuslist+jwt, application/vc+jwt, application/jwt' } }, (cause) => new Oid4vciError(Oid4vciErrorCode.Network, 'no answer', { cause }));
    if (answer.status !== 200) return 'list-unavailable';
    text = answer.text.trim();
  } catch (error) {
    if (error instanceof Oid4vciError) return 'list-unavailable';
    throw error;
  }
  try {
    return decodeCompactJws(text);
  } catch (error) {
    if (error instanceof FormatError) return 'list-unreadable';
    throw error;
  }
}
