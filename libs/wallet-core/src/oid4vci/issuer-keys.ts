import {
  credentialFormat,
  didEthrSigningKeys,
  FormatError,
  isHolderDid,
  nobleSignatureCrypto,
  publicJwkOfDid,
  type DidDocumentKeys,
  type NormalisedCredential,
  type SignatureCrypto,
  type VerificationKey,
} from '@citycred/formats';
import { z } from 'zod';
import { contactableUrl, errorOfAnswer, sendRequest, type ReadAnswer, type WalletTransport } from './http.js';

/**
 * What the wallet could learn of the keys that may sign for an issuer:
 * - `keys`: these (empty: none can — a DID that names no key, so nothing it "signed" verifies);
 * - `unavailable`: not now — no network, the resolver or the city chain is down; try again later;
 * - `unsupported`: this wallet has no way to find them — a DID method or a chain it cannot resolve.
 */
export type IssuerKeys =
  | { readonly kind: 'keys'; readonly keys: readonly VerificationKey[] }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'unsupported'; readonly reason: string };

/**
 * Checks an issuer's signature: finds the keys that may sign for an issuer DID ({@link resolvingIssuerKeys} — did:jwk
 * and did:key from the DID, did:ethr through the city verifier's public DID resolution) and the crypto that checks
 * them (`nobleSignatureCrypto` in the browser).
 */
export interface IssuerSignatureCheck {
  keysOf(issuer: string): Promise<IssuerKeys>;
  readonly crypto: SignatureCrypto;
}

/**
 * The outcome of checking an issuer's signature:
 * - `verified`: a key of the issuer signed these bytes;
 * - `invalid`: none did (the bytes were changed, or another key signed them) — `reason` is the format library's
 *   (`signature.invalid`, `signature.no-key`, …);
 * - `unchecked`: the keys could not be had (`unavailable`: try again later; `unsupported`: never, by this wallet).
 */
export type IssuerSignatureReading =
  | { readonly state: 'verified'; readonly keyId?: string }
  | { readonly state: 'invalid'; readonly reason: string }
  | { readonly state: 'unchecked'; readonly reason: 'unavailable' | 'unsupported' };

/**
 * Checks the issuer's signature on a decoded credential (JWT VC, VCDM 2.0 `vc+jwt`, SD-JWT VC) with the format
 * library's `verifyProof` — the same check the verifier runs, ES256K against a did:ethr's address by public-key
 * recovery. Never throws for a bad signature.
 * @param credential - the credential as `credentialFormat(...).decode` read it
 */
export async function checkIssuerSignature(credential: NormalisedCredential, check: IssuerSignatureCheck): Promise<IssuerSignatureReading> {
  const keys = await check.keysOf(credential.issuer);
  if (keys.kind !== 'keys') return { state: 'unchecked', reason: keys.kind };
  const proof = await credentialFormat(credential.format).verifyProof(credential, keys.keys, check.crypto);
  if (proof.valid) return proof.keyId === undefined ? { state: 'verified' } : { state: 'verified', keyId: proof.keyId };
  return { state: 'invalid', reason: proof.reason ?? 'signature.invalid' };
}

/** The path of the verifier's public DID resolution (docs/http-api.md). */
export const DID_RESOLUTION_PATH = '/check/dids/';

/** How long a resolved issuer's keys are reused in one wallet session (the verifier reuses its own for as long). */
const KEYS_REUSE_MS = 60_000;

const verificationMethodSchema = z.looseObject({
  id: z.string().max(2_000),
  type: z.string().max(200).optional(),
  controller: z.string().max(2_000).optional(),
  blockchainAccountId: z.string().max(200).optional(),
  publicKeyHex: z.string().max(200).optional(),
  publicKeyJwk: z.looseObject({ kty: z.string() }).optional(),
});

const resolutionResultSchema = z.looseObject({
  didDocument: z.looseObject({ id: z.string().max(2_000), verificationMethod: z.array(z.unknown()).max(100).optional() }),
});

/**
 * The keys that may sign for an issuer DID, found as a citizen's phone can: a `did:jwk` or `did:key` from the DID
 * itself (no request), a `did:ethr` from the city verifier's public DID resolution (`GET <resolverUrl>/check/dids/<did>`,
 * docs/http-api.md) — the ERC-1056 registry on the city chain, which a browser cannot reach. The request names the
 * issuer's DID only, never a credential. Of a did:ethr document the keys of its owner (`#controller`,
 * `#controllerKey`) and its delegates (`#delegate-N`, listed only while valid) count: the verifier's
 * `city-delegates` policy accepts them, and the wallet must not refuse what a city verifier would accept. Answers are
 * reused for a minute.
 * @param resolverUrl - the city verifier's URL (the wallet's settings); none: did:ethr issuers are `unavailable`
 * @param transport - fetch and clock
 * @param crypto - default `nobleSignatureCrypto` (pure JavaScript, browser-safe)
 */
export function resolvingIssuerKeys(resolverUrl: string | undefined, transport: WalletTransport, crypto: SignatureCrypto = nobleSignatureCrypto): IssuerSignatureCheck {
  const resolved = new Map<string, { readonly at: number; readonly keys: IssuerKeys }>();
  const base = resolverUrl === undefined ? undefined : contactableUrl(resolverUrl.replace(/\/$/, ''), transport.allowInsecureHttp);
  return {
    crypto,
    async keysOf(issuer: string): Promise<IssuerKeys> {
      if (isHolderDid(issuer)) return keysOfHolderDid(issuer);
      if (!issuer.startsWith('did:ethr:')) return { kind: 'unsupported', reason: 'the issuer is not a did:ethr, did:jwk or did:key' };
      if (base === undefined) return { kind: 'unavailable', reason: 'no DID resolver is configured' };
      const now = transport.clock.now().getTime();
      const kept = resolved.get(issuer);
      if (kept && now - kept.at < KEYS_REUSE_MS && now >= kept.at) return kept.keys;
      const keys = await resolveEthr(issuer, `${base.href.replace(/\/$/, '')}${DID_RESOLUTION_PATH}${encodeURIComponent(issuer)}`, transport);
      if (keys.kind !== 'unavailable') resolved.set(issuer, { at: now, keys });
      return keys;
    },
  };
}

function keysOfHolderDid(did: string): IssuerKeys {
  const bare = did.split(/[?#]/, 1)[0]!;
  try {
    return { kind: 'keys', keys: [{ kind: 'jwk', id: `${bare}#0`, jwk: publicJwkOfDid(bare) }] };
  } catch (error) {
    if (error instanceof FormatError) return { kind: 'keys', keys: [] };
    throw error;
  }
}

async function resolveEthr(did: string, url: string, transport: WalletTransport): Promise<IssuerKeys> {
  let answer: ReadAnswer;
  try {
    answer = await sendRequest(transport.fetch, url, { method: 'GET', headers: { accept: 'application/did-resolution, application/json' } }, (cause) => new Error('no answer', { cause }));
  } catch {
    return { kind: 'unavailable', reason: 'the DID resolver did not answer' };
  }
  const { error } = errorOfAnswer(answer);
  if (answer.status === 200) {
    const parsed = resolutionResultSchema.safeParse(answer.json);
    if (!parsed.success || parsed.data.didDocument.id !== did) return { kind: 'unavailable', reason: 'the DID resolver answered something other than the DID’s document' };
    const methods = (parsed.data.didDocument.verificationMethod ?? []).flatMap((method) => {
      const read = verificationMethodSchema.safeParse(method);
      return read.success ? [read.data] : [];
    });
    const document: DidDocumentKeys = { id: did, verificationMethod: methods };
    return { kind: 'keys', keys: didEthrSigningKeys(document, { acceptDelegates: true }) };
  }
  // A DID that names no address or key: nothing can sign for it.
  if (answer.status === 400 && error === 'did.malformed') return { kind: 'keys', keys: [] };
  if ((answer.status === 404 && error === 'did.foreign-network') || (answer.status === 501 && error === 'did.method-not-supported')) {
    return { kind: 'unsupported', reason: 'the city verifier does not resolve this DID' };
  }
  return { kind: 'unavailable', reason: `the DID resolver answered ${answer.status}` };
}
