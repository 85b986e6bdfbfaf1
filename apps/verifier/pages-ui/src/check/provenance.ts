// Who issued a checked credential and where the city chain holds it, as the check page shows them
// (docs/certificates.md, "Issuer names"): display information beside the verdict, never a part of it.
import { didEthrAddress } from '@citycred/formats';
import type { Lang } from '@citycred/web-ui';
import { claimsTrusted, type VerifyAnswer } from './verdict.js';

/** An issuer's name: as the city writes it, and in English (null when it has none). */
export interface IssuerName {
  ko: string;
  en: string | null;
}

/** What the page keeps of `GET /check/issuers`: the did:ethr network, and each accredited issuer's DID, address and name. */
export interface IssuerDirectory {
  didNetwork: string;
  issuers: ReadonlyArray<{ did: string; address: string; name: IssuerName }>;
}

/** Where the chain holds the credential's anchor, as the `anchor` check's `anchor` member gives it. */
export interface Anchoring {
  blockNumber: number;
  anchoredAt: Date;
  chainId: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The directory the page can use from the body of `GET /check/issuers`: entries that are not well formed are left
 * out (a name is display information; one bad entry does not cost the others theirs).
 * @returns null when the body is not the verifier's answer at all
 */
export function readIssuerDirectory(body: unknown): IssuerDirectory | null {
  if (!isObject(body) || typeof body['didNetwork'] !== 'string' || !Array.isArray(body['issuers'])) return null;
  const issuers = body['issuers'].flatMap((entry: unknown) => {
    if (!isObject(entry) || typeof entry['did'] !== 'string' || typeof entry['address'] !== 'string' || !isObject(entry['name'])) return [];
    const { ko, en } = entry['name'];
    if (typeof ko !== 'string' || ko === '' || (en !== null && typeof en !== 'string')) return [];
    return [{ did: entry['did'], address: entry['address'].toLowerCase(), name: { ko, en: en === '' ? null : en } }];
  });
  return { didNetwork: body['didNetwork'], issuers };
}

/**
 * The name of the credential's issuer, only when the verifier found the issuer's signature valid (the page never
 * names an issuer for what a forger wrote): the entry whose `did` is the issuer's DID, else the entry whose address
 * the DID names (a did:ethr in public-key form names its key's address).
 * @param issuerDid - the issuer the credential names (`iss`, `issuer` or `issuer.id`)
 * @returns null without a directory, for an issuer it does not name, and whenever the signature did not pass
 */
export function issuerNameFor(directory: IssuerDirectory | null, answer: VerifyAnswer, issuerDid: string | undefined): IssuerName | null {
  if (!directory || !issuerDid || !claimsTrusted(answer)) return null;
  const byDid = directory.issuers.find((issuer) => issuer.did === issuerDid);
  if (byDid) return byDid.name;
  const address = didEthrAddress(issuerDid, directory.didNetwork);
  if (address === null) return null;
  return directory.issuers.find((issuer) => issuer.address === address)?.name ?? null;
}

/** A name in the page's language: Korean, or English when there is an English name. */
export function nameIn(name: IssuerName, lang: Lang): string {
  return lang === 'en' ? (name.en ?? name.ko) : name.ko;
}

/**
 * The anchoring block of a verifier answer: the `anchor` member of its `anchor` check, only when that check passed
 * and the member is well formed.
 */
export function anchoringOf(answer: VerifyAnswer | null | undefined): Anchoring | null {
  const checks: unknown[] = Array.isArray(answer?.checks) ? answer.checks : [];
  const check = checks.find((c): c is Record<string, unknown> => isObject(c) && c['id'] === 'anchor');
  if (!check || check['status'] !== 'passed' || !isObject(check['anchor'])) return null;
  const { blockNumber, anchoredAt, chainId } = check['anchor'];
  if (!Number.isSafeInteger(blockNumber) || !Number.isSafeInteger(chainId) || typeof anchoredAt !== 'string') return null;
  const time = new Date(anchoredAt);
  if (Number.isNaN(time.getTime())) return null;
  return { blockNumber: blockNumber as number, anchoredAt: time, chainId: chainId as number };
}
