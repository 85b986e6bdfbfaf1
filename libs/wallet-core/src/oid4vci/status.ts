import { credentialFormat, decodeCompactJws, detectFormat, FormatError, verifyJwsSignature, type DecodedJws, type StatusReference } from '@citycred/formats';
import { checkBitstringStatus, checkTokenStatus, STATUS_LIST_JWT_TYP } from '@citycred/status-list';
import { contactableUrl, sendRequest, type WalletTransport } from './http.js';
import { Oid4vciError, Oid4vciErrorCode } from './errors.js';
import type { IssuerSignatureCheck } from './received.js';

/**
 * One status entry of a credential, read from its list:
 * - `valid`: not revoked or suspended in this list;
 * - `revoked`, `suspended`: as the list says;
 * - `unknown`: the list could not be fetched or read, or it does not fit the entry (`reason` says which).
 *
 * `signature` says whether the list was checked to be signed by the credential's issuer: `unchecked` when the wallet
 * was given no {@link IssuerSignatureCheck} (the verifier checks it, with the issuer's keys on chain).
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
 * read, so it cannot tell which of its credentials the wallet holds. Lists are fetched once per call.
 * @param record - the credential
 * @param issuerSignature - checks the list's signature by the credential's issuer, when given
 * @returns one reading per status reference (none for a credential without status)
 * @throws FormatError only for a record whose bytes are not a credential (storage was altered); a list that cannot
 *   be fetched or read is an `unknown` reading, never an error
 */
export async function readCredentialStatus(record: { readonly encoded: string }, transport: WalletTransport, issuerSignature?: IssuerSignatureCheck): Promise<CredentialStatusReading[]> {
  const credential = credentialFormat(detectFormat(record.encoded)).decode(record.encoded);
  const lists = new Map<string, Promise<DecodedJws | string>>();
  const fetchList = (uri: string) => {
    let list = lists.get(uri);
    if (!list) {
      list = fetchStatusList(uri, transport);
      lists.set(uri, list);
    }
    return list;
  };
  const readings: CredentialStatusReading[] = [];
  for (const reference of credential.status) {
    const uri = reference.kind === 'bitstring' ? reference.listCredential : reference.uri;
    const list = await fetchList(uri);
    if (typeof list === 'string') {
      readings.push({ reference, status: 'unknown', reason: list, signature: 'unchecked' });
      continue;
    }
    let signature: CredentialStatusReading['signature'] = 'unchecked';
    if (issuerSignature) {
      const check = await verifyJwsSignature(list, await issuerSignature.keysOf(credential.issuer), issuerSignature.crypto);
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
