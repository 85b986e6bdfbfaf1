import {
  decodeCompactJws,
  didEthrAddress,
  FormatError,
  nobleSignatureCrypto,
  sdJwtVcFormat,
  splitSdJwt,
  utf8Bytes,
  verifyJwsSignature,
  verifyKeyBinding,
  type KeyBindingRefusal,
  type NormalisedCredential,
  type StatusReference,
  type VerificationKey,
} from '@citycred/formats';
import { decodeAnchorCode, rootFromProof, splitAnchorCode, type Hex32 } from '@citycred/anchoring/browser';
import { checkTokenStatus, STATUS_LIST_JWT_TYP } from '@citycred/status-list';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { defaultPolicyRegistry } from '../../policies/registry.js';
import type { PolicyDecision, PresentedCredential } from '../../policies/model.js';
import { HOLDER_NONCE } from '../../presentations/holder-nonce.js';
import { findCredentialPolicy } from '../../presentations/policy-choice.js';
import type { AppliedPolicy, Check, CheckId, CheckStatus } from '../../verification/result.js';
import { CITY_POLICY } from '../../verification/verification-policy.js';
import { presentationOfQrText } from '../qr-text.js';
import { bundleAge, type BundleCheck } from './bundle.js';
import type { BundleIssuer, BundleIssuerName, BundleKey, OfflineBundlePayload } from './bundle-format.js';
import { BUNDLE_TEXT, REFUSAL_TEXT, type LocalisedText } from './texts.js';

/** The nonces this device has seen in presentations it accepted the holder binding of (the page keeps them). */
export interface SeenNonces {
  has(nonce: string): boolean;
  add(nonce: string): unknown;
}

/** Who issued a credential checked offline: an issuer the bundle lists as accredited, with its name when it has one. */
export interface OfflineIssuer {
  /** The DID as the credential names it (`iss`). */
  did: string;
  /** The identity address the bundle lists it under, lower case. */
  address: string;
  /** Its name from the bundle (the city's issuer directory), or null when the bundle gives none. */
  name: BundleIssuerName | null;
}

/** One credential's checks, as `POST /scan/presentations` answers them (no claims, no holder). */
export interface OfflineCredentialResult {
  verified: boolean;
  checks: Check[];
  warnings: string[];
  errors: string[];
  policy: AppliedPolicy;
  /**
   * The issuer, only when the bundle lists it as accredited and its signature on the credential verified (a name is
   * never shown for a credential a forger wrote); absent otherwise.
   */
  issuer?: OfflineIssuer;
}

/**
 * The answer of {@link verifyOffline}: the members of `POST /scan/presentations`'s answer (the page reads both the
 * same way), and what is offline about it.
 */
export interface OfflineVerdict extends OfflineCredentialResult {
  decision?: PolicyDecision;
  credentials: OfflineCredentialResult[];
  /** The bundle the answer was judged with: when it was built and how old it was (null when it could not be read). */
  offline: { bundleIssuedAt: string | null; ageSeconds: number | null };
  /** Why it was refused, in Korean and English, when the policy's criteria do not say it. */
  refusal?: LocalisedText;
  /**
   * Whether the credential's anchoring was checked offline: `checked: true` when the QR code's anchor proof was held
   * against the issuer's roots in the bundle (the `anchor` check then passed or failed); false with why not.
   */
  anchoring: { checked: boolean; detail: string };
}

/**
 * The trust policy offline: the `city` policy, except that `anchor` may be `passed` or `skipped` (checked only when the
 * QR code carries an anchor proof and the bundle the issuer's root, see {@link checkAnchor}) and `schema` is `skipped`
 * (the catalogue's schemas are not in the browser).
 */
const OFFLINE_ACCEPTED: Record<CheckId, CheckStatus[]> = {
  ...(Object.fromEntries(Object.entries(CITY_POLICY.accept).map(([id, statuses]) => [id, [...statuses]])) as Record<CheckId, CheckStatus[]>),
  anchor: ['passed', 'skipped'],
  schema: ['skipped'],
};
const OFFLINE_POLICY: AppliedPolicy = Object.freeze({
  id: 'city-offline',
  accepted: OFFLINE_ACCEPTED,
  acceptDelegates: false,
  requireCityIssuer: true,
});

/** The policies a scanner may ask for, as the verifier ships them. */
const POLICIES = defaultPolicyRegistry();

/** The owner's key fragments of a did:ethr document (delegates never sign under the city policy). */
const OWNER_FRAGMENTS = ['#controller', '#controllerKey'];

/** The dates a city credential may carry (as the online format check): 2000-01-01 to the end of 9999. */
const EARLIEST_DATE_MS = Date.UTC(2000, 0, 1);
const LATEST_DATE_MS = Date.UTC(10_000, 0, 1) - 1000;

/**
 * Verifies the text of a worker's presentation QR code (`citycred-vp:<SD-JWT VC with a key-binding JWT>`) without
 * network, with an offline bundle ({@link verifyBundle}), and decides by a credential policy — what
 * `POST /scan/presentations` answers, judged on the bundle instead of the chain and the issuers' services:
 * - `format`: an SD-JWT VC (a JWT VP cannot be checked offline), its disclosures matching the digests the issuer
 *   signed, from a did:ethr on the bundle's network, ES256K;
 * - `signature`: by a key the bundle lists for the issuer (the owner's, as of the bundle's time);
 * - `validity` against `now`, give or take the bundle's clock skew;
 * - `schema`: `skipped` (not checked offline);
 * - `anchor`: when the code carries an anchor proof (`#<anchor code>`), the root its siblings fold to from the
 *   credential's hash must be among the roots the bundle lists for the issuer, anchored no earlier than the credential
 *   was issued (give or take the clock skew), when the issuer was accredited for its type; a root the bundle would list
 *   if the issuer had anchored it fails, one anchored before the bundle's window or after the bundle was built is
 *   `skipped` (check online), as is a code without a proof;
 * - `status`: every Token Status List entry read from the bundle's copy of its list, whose signature by the issuer is
 *   checked here; a list the bundle does not hold fails (never a silent pass);
 * - `issuer-accreditation`: the credential's type among those the bundle lists for the issuer (accredited at the
 *   bundle's time);
 * - `holder-binding`: the KB-JWT by the credential's `cnf` key, over exactly the disclosures shown, for the bundle's
 *   audience (`<public URL>/scan`), at most the bundle's `maxAgeSeconds` old, with a nonce the holder chose that this
 *   device has not seen before (it is added to `seenNonces` once the binding holds);
 * then the credential policy decides, with the same rules the verifier applies. Never throws for a bad code or bundle.
 * @param qrText - the QR code's text
 * @param policyId - a credential policy (`age-over-18`, `age-over-18@1`)
 * @param bundleCheck - the bundle as {@link verifyBundle} checked it
 * @param now - the device's clock
 * @param seenNonces - the nonces this device has seen
 */
export async function verifyOffline(qrText: string, policyId: string, bundleCheck: BundleCheck, now: Date, seenNonces: SeenNonces): Promise<OfflineVerdict> {
  if (!bundleCheck.valid) return refusedWhole(bundleCheck.reason, `offline data: ${bundleCheck.detail}`, { bundleIssuedAt: null, ageSeconds: null });
  const bundle = bundleCheck.bundle;
  const age = bundleAge(bundle, now);
  const offline = { bundleIssuedAt: age.issuedAt, ageSeconds: age.ageSeconds };
  if (age.expired) return refusedWhole(BUNDLE_TEXT.expired, `offline data: it expired at ${age.expiresAt}`, offline);
  const policy = findCredentialPolicy(typeof policyId === 'string' ? policyId : '', POLICIES);
  if (!policy) return refusedWhole(REFUSAL_TEXT.unknownPolicy, 'the policy is not a credential policy this page knows', offline);

  const { presentation: presented, anchorCode } = splitAnchorCode(presentationOfQrText(typeof qrText === 'string' ? qrText : ''));
  if (!presented.includes('~')) {
    return answer([failed('format', 'only an SD-JWT VC with a key-binding JWT can be checked offline'), skipped('holder-binding', 'the presentation could not be read')], [], offline, REFUSAL_TEXT.notSdJwt);
  }
  const credential = await checkCredential(presented, anchorCode, bundle, now);
  const binding = credential.signatureHolds ? await checkBinding(presented, bundle, now, seenNonces) : { check: skipped('holder-binding', "the credential's own signature did not verify, so its cnf key means nothing") };
  const own = [{ id: 'format', status: 'passed', detail: 'an SD-JWT VC presented with a key-binding JWT' } satisfies Check, binding.check];
  const verdict = answer(own, [credential.result], offline, binding.refusal ?? credential.refusal);
  if (!verdict.verified || !credential.presented) return verdict;
  const decision = policy.evaluate([credential.presented], now);
  for (const criterion of decision.criteria) if (criterion.result === 'failed') verdict.errors.push(`policy ${decision.policy.id}: ${criterion.id}: ${criterion.reason.en}`);
  return { ...verdict, verified: decision.satisfied, decision };
}

/** The credential's checks, whether its signature held, what a policy sees of it and a refusal to show. */
interface CredentialOutcome {
  result: OfflineCredentialResult;
  signatureHolds: boolean;
  presented?: PresentedCredential;
  refusal?: LocalisedText;
}

async function checkCredential(presented: string, anchorCode: string | undefined, bundle: OfflineBundlePayload, now: Date): Promise<CredentialOutcome> {
  let vc: NormalisedCredential;
  try {
    vc = sdJwtVcFormat.decode(presented);
  } catch (error) {
    const detail = error instanceof FormatError ? error.message : 'the credential could not be read';
    return unreadable(detail);
  }
  const issuedAt = vc.issuedAt ?? vc.validFrom;
  const validFrom = vc.validFrom ?? issuedAt;
  if (!isCityDate(issuedAt) || !isCityDate(validFrom) || (vc.validUntil && !isCityDate(vc.validUntil))) return unreadable('the credential’s dates are not dates a city issues');
  const address = didEthrAddress(vc.issuer, bundle.chain.didNetwork);
  if (address === null) return unreadable(`"iss" is not a did:ethr on network ${bundle.chain.didNetwork}`);
  if (vc.header.alg !== 'ES256K') return unreadable('unsupported JWT alg; expected ES256K (the key of a did:ethr issuer)');
  const type = vc.primaryType.startsWith(bundle.vctBaseUrl) ? vc.primaryType.slice(bundle.vctBaseUrl.length) : vc.primaryType;
  const issuer = bundle.issuers.find((candidate) => candidate.address.toLowerCase() === address);
  const checks: Check[] = [{ id: 'format', status: 'passed', detail: `SD-JWT VC of type ${plain(type)} from a did:ethr on network ${bundle.chain.didNetwork}` }];
  let refusal: LocalisedText | undefined;
  const refuse = (text: LocalisedText) => (refusal ??= text);

  // signature
  let signature: Check;
  const keys = issuer ? keysFor(vc.issuer, issuer) : [];
  if (!issuer) {
    signature = failed('signature', 'the offline data lists no keys for this issuer: it is not among the issuers the city accredits');
    refuse(REFUSAL_TEXT.unknownIssuer);
  } else if (vc.header.kid !== undefined && !keys.some((key) => key.id === vc.header.kid)) {
    signature = failed('signature', "the JWS header's kid names no key that may sign for the issuer (keys as of the offline data)");
    refuse(REFUSAL_TEXT.signature);
  } else {
    const proof = await sdJwtVcFormat.verifyProof(vc, keys, nobleSignatureCrypto);
    signature = proof.valid
      ? { id: 'signature', status: 'passed', detail: `ES256K signature by ${proof.keyId ?? vc.issuer}, keys as of the offline data` }
      : failed('signature', "signature does not verify against the issuer DID's owner key (keys as of the offline data)");
    if (!proof.valid) refuse(REFUSAL_TEXT.signature);
  }
  checks.push(signature);

  // validity
  const skew = bundle.scan.clockSkewSeconds * 1000;
  let validity: Check;
  if (validFrom.getTime() - skew > now.getTime()) {
    validity = failed('validity', `not valid before ${validFrom.toISOString()}`);
    refuse(REFUSAL_TEXT.notYetValid);
  } else if (vc.validUntil && vc.validUntil.getTime() + skew <= now.getTime()) {
    validity = failed('validity', `expired at ${vc.validUntil.toISOString()}`);
    refuse(REFUSAL_TEXT.expired);
  } else {
    validity = { id: 'validity', status: 'passed', detail: vc.validUntil ? `valid from ${validFrom.toISOString()} until ${vc.validUntil.toISOString()}` : `valid from ${validFrom.toISOString()}, no expiry` };
  }
  checks.push(validity);
  checks.push(skipped('schema', 'not checked offline: the catalogue’s schemas are checked online'));

  // accreditation (judged before status: lists are read only for an accredited issuer's verified signature)
  const typeHash = `0x${toHex(keccak_256(utf8Bytes(type)))}`;
  let accreditation: Check;
  if (!issuer) accreditation = failed('issuer-accreditation', 'the issuer is not among the accredited issuers in the offline data');
  else if (issuer.types.some((t) => t.hash.toLowerCase() === typeHash)) {
    accreditation = { id: 'issuer-accreditation', status: 'passed', detail: `${issuer.address} is accredited for ${plain(type)} as of the offline data (${new Date(bundle.iat * 1000).toISOString()})` };
  } else {
    accreditation = failed('issuer-accreditation', `${issuer.address} is not accredited for ${plain(type)} as of the offline data`);
    refuse(REFUSAL_TEXT.notAccredited);
  }

  // status
  const references = vc.status.filter((s): s is Extract<StatusReference, { kind: 'token' }> => s.kind === 'token');
  let status: Check;
  const warnings: string[] = [];
  if (references.length === 0) status = skipped('status', 'the credential has no status claim');
  else if (signature.status !== 'passed' || accreditation.status !== 'passed' || !issuer) {
    warnings.push('credential status was not checked');
    status = skipped('status', 'not checked: status lists are read only for a verified signature of an accredited issuer');
  } else {
    const outcome = await tokenStatus(references, vc.issuer, keys, bundle, now);
    status = outcome.check;
    if (outcome.refusal) refuse(outcome.refusal);
  }
  const hash = `0x${toHex(sha256(utf8Bytes(vc.anchoredPart)))}` as Hex32;
  const anchor = issuer && signature.status === 'passed' ? checkAnchor(anchorCode, hash, issuer, type, issuedAt, bundle) : { check: skipped('anchor', "not checked: the issuer's signature did not verify against an accredited issuer's keys") };
  if (anchor.refusal) refuse(anchor.refusal);
  checks.push(status, accreditation, anchor.check);

  const result: OfflineCredentialResult = resultOf(checks, warnings);
  // Who issued it is said only of a credential whose signature the bundle's keys for that issuer verified.
  if (issuer && signature.status === 'passed') {
    result.issuer = { did: vc.issuer, address: issuer.address.toLowerCase(), name: issuer.name ? { ko: issuer.name.ko, en: issuer.name.en ?? null } : null };
  }
  return {
    result,
    signatureHolds: signature.status === 'passed',
    refusal,
    presented: {
      hash,
      type,
      issuer: vc.issuer,
      claims: vc.claims,
      issuedAt,
      validUntil: vc.validUntil ?? null,
    },
  };
}

/**
 * The `anchor` check offline: the QR code's anchor proof (leaf index, block, siblings) folded from the credential's
 * hash to a root, which must be one the bundle lists for the issuer; then as online, the credential issued no later
 * than the root was anchored (give or take the clock skew) and the issuer accredited for its type at that time. A root
 * the bundle does not list fails when the bundle would list it (its block, as the code says, lies between the issuer's
 * `since` and the block the bundle was read at): the issuer did not anchor it. Otherwise, and for a code without a
 * proof or a bundle without roots, the check is `skipped` with the reason: offline it cannot be told, and the page
 * says to check online.
 */
function checkAnchor(anchorCode: string | undefined, hash: Hex32, issuer: BundleIssuer, type: string, issuedAt: Date, bundle: OfflineBundlePayload): { check: Check; refusal?: LocalisedText } {
  if (anchorCode === undefined) return { check: skipped('anchor', 'not checked offline: the QR code carries no anchor proof (the wallet has none for this credential yet); check online') };
  if (bundle.anchoring.checked !== true || !issuer.anchors) return { check: skipped('anchor', 'not checked offline: the offline data carries no anchored roots (update it)') };
  const code = decodeAnchorCode(anchorCode);
  if (!code) return { check: failed('anchor', "the QR code's anchor proof cannot be read: the code was altered"), refusal: REFUSAL_TEXT.anchor };
  const root = rootFromProof(hash, code.proof);
  const entry = issuer.anchors.roots.find((candidate) => candidate.root === root);
  if (!entry) {
    if (code.blockNumber > bundle.chain.block) {
      return { check: skipped('anchor', `not checked offline: root ${root} was anchored after the offline data was read (block ${code.blockNumber} > ${bundle.chain.block}, as the code says); update it or check online`) };
    }
    if (code.blockNumber < issuer.anchors.since) {
      return {
        check: skipped('anchor', `not checked offline: root ${root} was anchored before the roots the offline data carries (those of the last ${bundle.anchoring.days} days, at most ${bundle.anchoring.rootsPerIssuer} per issuer); check online`),
      };
    }
    return { check: failed('anchor', `the anchor proof leads to root ${root}, which ${issuer.address} did not anchor (as of the offline data, block ${bundle.chain.block})`), refusal: REFUSAL_TEXT.anchor };
  }
  const anchoredAt = new Date(entry.at * 1000);
  if (issuedAt.getTime() > anchoredAt.getTime() + bundle.scan.clockSkewSeconds * 1000) {
    return { check: failed('anchor', `issued after it was anchored: issuance date ${issuedAt.toISOString()} is later than root ${root}'s anchoring at ${anchoredAt.toISOString()}`), refusal: REFUSAL_TEXT.anchor };
  }
  if (!entry.types.includes(type)) {
    return { check: failed('anchor', `root ${root} was anchored when ${issuer.address} was not accredited for ${plain(type)}`), refusal: REFUSAL_TEXT.notAccredited };
  }
  return { check: { id: 'anchor', status: 'passed', detail: `anchored in root ${root} at block ${entry.block} (${anchoredAt.toISOString()}), as the offline data lists the issuer's roots` } };
}

/**
 * The keys that may sign for the credential's issuer, named under the credential's own `iss`: the bundle's owner keys
 * (listed under the address form of the DID), and for a DID in public-key form that still owns itself, that key as
 * `#controllerKey` — what resolving the credential's DID online lists.
 */
function keysFor(iss: string, issuer: BundleIssuer): VerificationKey[] {
  const keys = issuer.keys.flatMap((key): VerificationKey[] => {
    const fragment = key.id.slice(key.id.indexOf('#'));
    if (!OWNER_FRAGMENTS.includes(fragment)) return [];
    const converted = verificationKeyOf(key);
    return converted ? [{ ...converted, id: `${iss}${fragment}` } as VerificationKey] : [];
  });
  const publicKeyHex = /^did:ethr:(?:[^:]+:)*(0x0[23][0-9a-fA-F]{64})$/.exec(iss)?.[1];
  const owner = issuer.keys.find((key) => key.kind === 'ethereum-address' && key.id.endsWith('#controller'));
  const ownerAddress = owner?.kind === 'ethereum-address' ? owner.address.slice(owner.address.lastIndexOf(':') + 1).toLowerCase() : undefined;
  if (publicKeyHex && ownerAddress === issuer.address.toLowerCase() && !keys.some((key) => key.id === `${iss}#controllerKey`)) {
    keys.push({ kind: 'secp256k1', id: `${iss}#controllerKey`, publicKey: hexBytes(publicKeyHex.slice(2)) });
  }
  return keys;
}

function verificationKeyOf(key: BundleKey): VerificationKey | undefined {
  switch (key.kind) {
    case 'ethereum-address':
      return { kind: 'ethereum-address', id: key.id, address: key.address };
    case 'secp256k1':
      return /^(0x)?[0-9a-fA-F]{66,130}$/.test(key.publicKeyHex) ? { kind: 'secp256k1', id: key.id, publicKey: hexBytes(key.publicKeyHex.replace(/^0x/, '')) } : undefined;
    case 'jwk':
      return { kind: 'jwk', id: key.id, jwk: key.jwk };
    default:
      return undefined;
  }
}

/**
 * The Token Status List entries, read from the bundle's lists: each list must be in the bundle (a missing one fails:
 * whether the credential was revoked cannot be told), a `statuslist+jwt` about the URI the credential names, by its
 * issuer, signed by one of its keys, issued no later than now and not expired.
 */
async function tokenStatus(
  references: ReadonlyArray<{ uri: string; index: number }>,
  issuerDid: string,
  keys: readonly VerificationKey[],
  bundle: OfflineBundlePayload,
  now: Date,
): Promise<{ check: Check; refusal?: LocalisedText }> {
  const skew = bundle.scan.clockSkewSeconds * 1000;
  let revoked = false;
  let suspended = false;
  for (const reference of references) {
    const list = bundle.statusLists.find((candidate) => candidate.uri === reference.uri);
    if (!list) {
      return { check: failed('status', 'the offline data holds no status list for this credential: whether it was revoked cannot be told offline'), refusal: REFUSAL_TEXT.statusMissing };
    }
    const untrusted = (why: string) => ({ check: failed('status', `the issuer's status list token in the offline data cannot be trusted: ${why}`), refusal: REFUSAL_TEXT.statusUntrusted });
    let token;
    try {
      token = decodeCompactJws(list.jwt);
    } catch {
      return untrusted('it is not a compact JWS');
    }
    if (token.header.typ !== STATUS_LIST_JWT_TYP) return untrusted(`its typ is not ${STATUS_LIST_JWT_TYP}`);
    const claims = token.payload;
    if (claims['sub'] !== reference.uri) return untrusted('its sub is not the URI the credential names');
    if (claims['iss'] !== undefined && claims['iss'] !== issuerDid) return untrusted("it was issued by someone other than the credential's issuer");
    const iat = claims['iat'];
    const exp = claims['exp'];
    if (typeof iat !== 'number' || !Number.isFinite(iat)) return untrusted('its iat is not a NumericDate');
    if (exp !== undefined && (typeof exp !== 'number' || !Number.isFinite(exp))) return untrusted('its exp is not a NumericDate');
    const proof = await verifyJwsSignature(token, keys, nobleSignatureCrypto);
    if (!proof.valid) return untrusted("its signature does not verify against the issuer DID's keys");
    if (iat * 1000 - skew > now.getTime()) return untrusted('it is issued in the future');
    if (typeof exp === 'number' && exp * 1000 + skew <= now.getTime()) return untrusted('it has expired');
    const read = checkTokenStatus({ reference: { idx: reference.index, uri: reference.uri }, payload: claims });
    if (read.reason === 'invalid') revoked = true;
    else if (read.reason === 'suspended') suspended = true;
    else if (read.status === 'failed') return { check: failed('status', `the credential's entry cannot be read from its status list token: ${read.detail}`), refusal: REFUSAL_TEXT.statusUntrusted };
  }
  if (revoked || suspended) {
    const which = [revoked ? 'revoked' : '', suspended ? 'suspended' : ''].filter(Boolean).join(' and ');
    return {
      check: failed('status', `${which}: the issuer's signed status list token (in the offline data) says so for the credential's entry`),
      refusal: revoked ? REFUSAL_TEXT.revoked : REFUSAL_TEXT.suspended,
    };
  }
  return { check: { id: 'status', status: 'passed', detail: `not revoked or suspended: read from the issuer's signed status list token in the offline data` } };
}

/** The key binding: the holder's `cnf` key over exactly what is shown, for this scanner, fresh, with a nonce not seen here. */
async function checkBinding(presented: string, bundle: OfflineBundlePayload, now: Date, seen: SeenNonces): Promise<{ check: Check; refusal?: LocalisedText }> {
  const kbJwt = splitSdJwt(presented).kbJwt;
  if (!kbJwt) return { check: failed('holder-binding', 'the SD-JWT VC carries no key-binding JWT: anyone holding a copy could present it'), refusal: REFUSAL_TEXT.noKeyBinding };
  const nonce = signedNonceOf(kbJwt);
  if (nonce === undefined) return { check: failed('holder-binding', 'the key-binding JWT carries no nonce'), refusal: REFUSAL_TEXT.badNonce };
  const kb = await verifyKeyBinding(
    presented,
    { nonce, aud: bundle.scan.audience, now, maxAgeSeconds: bundle.scan.maxAgeSeconds, clockSkewSeconds: bundle.scan.clockSkewSeconds },
    nobleSignatureCrypto,
  );
  if (!kb.valid) return { check: failed('holder-binding', `the key-binding JWT does not hold: ${kb.detail}`), refusal: KB_REFUSALS[kb.reason] ?? REFUSAL_TEXT.holderSignature };
  if (!HOLDER_NONCE.test(nonce)) return { check: failed('holder-binding', 'the nonce the holder chose is not base64url of at least 16 random bytes'), refusal: REFUSAL_TEXT.badNonce };
  if (seen.has(nonce)) return { check: failed('holder-binding', 'the nonce was already seen on this device: a replay (a QR code counts once)'), refusal: REFUSAL_TEXT.replay };
  seen.add(nonce);
  return { check: { id: 'holder-binding', status: 'passed', detail: 'key-binding JWT signed by the key the credential is bound to (cnf), with a nonce the holder chose (now seen on this device)' } };
}

const KB_REFUSALS: Partial<Record<KeyBindingRefusal, LocalisedText>> = {
  'kb.missing': REFUSAL_TEXT.noKeyBinding,
  'kb.signature-invalid': REFUSAL_TEXT.holderSignature,
  'kb.no-holder-key': REFUSAL_TEXT.noKeyBinding,
  'kb.sd-hash-mismatch': REFUSAL_TEXT.disclosures,
  'kb.aud-mismatch': REFUSAL_TEXT.audience,
  'kb.iat-stale': REFUSAL_TEXT.stale,
  'kb.iat-future': REFUSAL_TEXT.future,
  'kb.nonce-mismatch': REFUSAL_TEXT.badNonce,
};

/** The `nonce` a KB-JWT names (not verified yet); '' for one that cannot be read (the binding check says why). */
function signedNonceOf(kbJwt: string): string | undefined {
  try {
    const nonce = decodeCompactJws(kbJwt).payload['nonce'];
    return typeof nonce === 'string' ? nonce : undefined;
  } catch {
    return '';
  }
}

/** The presentation's answer under the offline policy. */
function answer(own: Check[], credentials: OfflineCredentialResult[], offline: OfflineVerdict['offline'], refusal: LocalisedText | undefined): OfflineVerdict {
  const result = resultOf(own, []);
  const holds = result.verified && credentials.length > 0 && credentials.every((c) => c.verified);
  return {
    ...result,
    verified: holds,
    warnings: [...result.warnings, ...credentials.flatMap((c, i) => c.warnings.map((w) => `credential ${i + 1}: ${w}`))],
    errors: [...result.errors, ...credentials.flatMap((c, i) => c.errors.map((e) => `credential ${i + 1}: ${e}`))],
    credentials,
    offline,
    anchoring: anchoringOf(credentials),
    ...(holds || !refusal ? {} : { refusal }),
  };
}

/** Whether the anchoring was checked offline: by the credential's `anchor` check, when it compared a root with the bundle's. */
function anchoringOf(credentials: readonly OfflineCredentialResult[]): OfflineVerdict['anchoring'] {
  const check = credentials[0]?.checks.find((c) => c.id === 'anchor');
  if (!check) return { checked: false, detail: 'not checked: the presentation could not be read' };
  return { checked: check.status === 'passed' || check.status === 'failed', detail: check.detail };
}

/** Verified when the format could be read and every check's status is one the offline policy accepts. */
function resultOf(checks: Check[], warnings: string[]): OfflineCredentialResult {
  const readable = checks.some((c) => c.id === 'format' && c.status === 'passed');
  const refused = checks.filter((c) => !OFFLINE_POLICY.accepted[c.id].includes(c.status));
  const blamed = readable ? refused : refused.filter((c) => c.id === 'format');
  return {
    verified: readable && refused.length === 0,
    checks,
    warnings,
    errors: blamed.map((c) => (c.status === 'failed' ? `${c.id}: ${c.detail}` : `${c.id}: ${c.status} is not accepted by policy ${OFFLINE_POLICY.id}: ${c.detail}`)),
    policy: OFFLINE_POLICY,
  };
}

/** A refusal of the whole presentation before it was read (the bundle or the policy). */
function refusedWhole(refusal: LocalisedText, error: string, offline: OfflineVerdict['offline']): OfflineVerdict {
  return { verified: false, checks: [], warnings: [], errors: [error], policy: OFFLINE_POLICY, credentials: [], offline, anchoring: anchoringOf([]), refusal };
}

function unreadable(detail: string): CredentialOutcome {
  const rest = (['signature', 'validity', 'schema', 'status', 'issuer-accreditation', 'anchor'] as const).map((id) => skipped(id, 'not checked: the credential could not be read'));
  return { result: resultOf([failed('format', detail), ...rest], []), signatureHolds: false, refusal: REFUSAL_TEXT.unreadable };
}

function failed(id: CheckId, detail: string): Check {
  return { id, status: 'failed', detail };
}

function skipped(id: CheckId, detail: string): Check {
  return { id, status: 'skipped', detail };
}

function isCityDate(date: Date | undefined): date is Date {
  return date !== undefined && date.getTime() >= EARLIEST_DATE_MS && date.getTime() <= LATEST_DATE_MS;
}

/** A type name as a detail may show it. */
function plain(type: string): string {
  return /^[A-Za-z][A-Za-z0-9._:/-]{0,119}$/.test(type) ? type : '(a type named in free text)';
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
