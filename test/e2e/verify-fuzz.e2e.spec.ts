import { createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { credentialHash } from '@citycred/anchoring';
import { VCT_BASE_URL } from '@citycred/credentials';
import { Secp256k1Signer } from '@citycred/did';
import { didJwkOf, signCompactJws, type JwsSigner, type PublicJwk } from '@citycred/formats';
import { getBytes, Wallet } from 'ethers';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, getJson, issueBody, postJson, send, startTestPlatform, type Answer, type TestPlatform } from '../support/platform.js';

/*
 * A bounded fuzz of the verifier's public endpoint, POST /credentials/verify, over HTTP against the real issuer,
 * verifier, chain and database. Genuine credentials in every format the issuer issues are the seeds; fast-check
 * sends arbitrary bodies, options and credentials (1), mutations of the genuine ones (2) and malformed transport (3).
 * Whatever comes in, the answer is 200 (verified) or a 400/413/415/503 RFC 9457 problem with a string `code` — never a
 * 500 — and nothing changed from what the issuer signed verifies. Each property has a fixed seed and run count (no
 * environment decides them); a failure prints the seed, the path and the shrunk counterexample, and
 * `fc.assert(…, { seed, path, endOnFailure: true })` replays it.
 */

const V1 = 'https://www.w3.org/2018/credentials/v1';
const V2 = 'https://www.w3.org/ns/credentials/v2';
const CITYCRED = 'https://contexts.citycred.seoul.go.kr/v1';
const ENVELOPED = 'EnvelopedVerifiableCredential';
const VC_JWT_PREFIX = 'data:application/vc+jwt,';
const SD_JWT_PREFIXES = ['data:application/dc+sd-jwt,', 'data:application/vc+sd-jwt,'];
const B64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The verifier's body limit (libs/http bootstrap). */
const BODY_LIMIT = 1024 * 1024;

/** Every answer the endpoint may give; a 500 (or anything else) is a bug of ours. */
const ANSWERS = [200, 400, 413, 415, 503];

/** One seed for the file; each property adds its own offset, so each replays on its own. */
const SEED = 20_260_611;
/** Fixed run counts (no environment changes them): about 30 s for the whole file, platform start included, on 2 cores. */
const RUNS = {
  bodies: 800,
  genuineWithOptions: 150,
  foreignSigned: 300,
  compact: 400,
  form: 250,
  anchorProof: 100,
  bytes: 300,
  contentTypes: 150,
} as const;

/** Policies a mutation is judged under: `open` most often, as there the anchor does not hide a signature flaw. */
const MUTATION_POLICIES = ['open', 'open', undefined, 'city-strict', 'city-delegates'] as const;

type Format = 'jwt_vc' | 'vc+jwt' | 'dc+sd-jwt';
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Where a foreign credential's status points (always on this machine). */
type ForeignStatus = { kind: 'none' } | { kind: 'city-list'; index: number } | { kind: 'unreachable' } | { kind: 'junk'; value: Json };

/** What a foreign issuer signs in property 1 (each format carries it its own way). */
interface ForeignClaims {
  context: unknown;
  type: unknown;
  subject: unknown;
  status: ForeignStatus;
  vct: unknown;
  /** JWT dates (`nbf`, `iat`, `exp`) and VCDM 2.0 ones (`validFrom`, `validUntil`): sane, or anything at all. */
  dates: { nbf?: unknown; iat?: unknown; exp?: unknown; validFrom?: unknown; validUntil?: unknown };
  /** Which key id the header names: the signer's own, none, or another DID's. */
  kid: 'own' | 'none' | 'other';
  /** SD-JWT: which claims are disclosable (a bit per claim), decoys, and rule breakers (a digest twice, a disclosure misplaced). */
  sd: { disclose: number; arrays: boolean; decoys: string[]; repeat: boolean; misplace: boolean; withhold: number };
}

/** A credential the issuer really issued. */
interface Genuine {
  format: Format;
  /** What the issuer's VC-API answered: Veramo's JSON form (jwt_vc) or an EnvelopedVerifiableCredential. */
  form: Record<string, unknown>;
  /** The compact encoding: the JWT, or the SD-JWT `jwt~d1~…~dn~`. */
  encoded: string;
}

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The JSON payload of a compact JWT (of an SD-JWT's issuer-signed JWT). */
function decodePayload(encoded: string): unknown {
  return JSON.parse(Buffer.from(encoded.split('~')[0]!.split('.')[1]!, 'base64url').toString('utf8'));
}

/** JSON with object keys sorted: two values that say the same thing compare equal. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${sortedJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** What was sent, short enough for an assertion message (fast-check prints the whole counterexample). */
function shown(sent: unknown): string {
  const text = typeof sent === 'string' ? sent : sent instanceof Uint8Array ? `bytes ${Buffer.from(sent).toString('hex')}` : JSON.stringify(sent);
  return text === undefined ? String(sent) : text.length > 700 ? `${text.slice(0, 700)}… (${text.length} chars)` : text;
}

/**
 * Asserts an answer the endpoint may give: 200 with `verified: true`, or a 400/413/415/503 problem+json with a string
 * `code`, its `status` member the HTTP status, and no stack trace or source path.
 */
function expectWellFormed(res: Answer, sent: unknown): void {
  const why = `answer ${res.status} ${res.type} ${res.text.slice(0, 400)}\nto ${shown(sent)}`;
  expect(ANSWERS, why).toContain(res.status);
  if (res.status === 200) {
    expect(res.body?.verified, why).toBe(true);
    return;
  }
  expect(res.type, why).toMatch(/^application\/problem\+json/);
  expect(typeof res.body?.code, why).toBe('string');
  expect(res.body.status, why).toBe(res.status);
  expect(res.text, why).not.toMatch(/\\n\s+at |node_modules|file:\/\/\/|\.[cm]?[jt]s:\d+:\d+/);
  if ('verified' in res.body) expect(res.body.verified, why).toBe(false);
}

/** {@link expectWellFormed}, and not verified. */
function expectNotVerified(res: Answer, sent: unknown): void {
  expectWellFormed(res, sent);
  expect(res.status, `verified: ${res.text.slice(0, 600)}\nfor ${shown(sent)}`).not.toBe(200);
}

// ---------------------------------------------------------------------------------------------------------------
// Editing a value: a path into it (each step picks a member or element) and one change there.

type JsonEdit = { path: number[]; kind: 'replace' | 'delete' | 'add' | 'bump'; key: string; value: Json };

/** A copy of `root` with `edit` applied; an edit of the root itself that removes it gives null. */
function editJson(root: unknown, edit: JsonEdit): unknown {
  const copy = structuredClone(root) as unknown;
  let parent: Record<string, unknown> | unknown[] | undefined;
  let at: string | number = '';
  let node: unknown = copy;
  for (const step of edit.path) {
    const keys: Array<string | number> = Array.isArray(node) ? node.map((_, i) => i) : isObject(node) ? Object.keys(node) : [];
    if (keys.length === 0) break;
    parent = node as Record<string, unknown> | unknown[];
    at = keys[step % keys.length]!;
    node = (parent as Record<string | number, unknown>)[at];
  }
  const put = (value: unknown): unknown => {
    if (parent === undefined) return value;
    (parent as Record<string | number, unknown>)[at] = value;
    return copy;
  };
  switch (edit.kind) {
    case 'replace':
      return put(edit.value);
    case 'delete':
      if (parent === undefined) return null;
      if (Array.isArray(parent)) parent.splice(at as number, 1);
      else delete parent[at as string];
      return copy;
    case 'add':
      if (Array.isArray(node)) {
        node.push(edit.value);
        return copy;
      }
      if (isObject(node)) {
        // defineProperty: a member named __proto__ is a member, not the object's prototype.
        Object.defineProperty(node, edit.key, { value: edit.value, enumerable: true, writable: true, configurable: true });
        return copy;
      }
      return put({ [edit.key]: edit.value });
    case 'bump':
      if (typeof node === 'number') return put(node + 1);
      if (typeof node === 'string') return put(node.length > 0 && edit.key.length % 2 === 0 ? node.slice(0, -1) : `${node}${edit.key || 'x'}`);
      if (typeof node === 'boolean') return put(!node);
      if (node === null) return put(0);
      return put(Array.isArray(node) ? [...node, edit.value] : { ...(node as object), [edit.key]: edit.value });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Mutating a compact credential piece by piece: the JWT's header, payload and signature, an SD-JWT's disclosures
// and key-binding part.

type PieceEdit =
  | { kind: 'char'; piece: number; op: 'replace' | 'insert' | 'delete' | 'flip'; at: number; char: string; bit: number }
  | { kind: 'reencode'; piece: number; edit: JsonEdit }
  | { kind: 'swap'; piece: number; donor: number; donorPiece: number }
  | { kind: 'drop'; piece: number }
  | { kind: 'duplicate'; piece: number }
  | { kind: 'reorder'; piece: number; other: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'append'; text: string };

/** `a.b.c~d~e~` as pieces [a, b, c, d, e, ''] and the separators between them. */
function piecesOf(encoded: string): { pieces: string[]; seps: string[] } {
  const tokens = encoded.split(/([.~])/);
  return { pieces: tokens.filter((_, i) => i % 2 === 0), seps: tokens.filter((_, i) => i % 2 === 1) };
}

function joinPieces({ pieces, seps }: { pieces: string[]; seps: string[] }): string {
  return pieces.map((piece, i) => piece + (seps[i] ?? '')).join('');
}

function editChars(text: string, edit: Extract<PieceEdit, { kind: 'char' }>): string {
  if (edit.op === 'insert') {
    const at = edit.at % (text.length + 1);
    return text.slice(0, at) + edit.char + text.slice(at);
  }
  if (text.length === 0) return text;
  const at = edit.at % text.length;
  const replacement = edit.op === 'delete' ? '' : edit.op === 'replace' ? edit.char : String.fromCharCode(text.charCodeAt(at) ^ (1 << edit.bit));
  return text.slice(0, at) + replacement + text.slice(at + 1);
}

/** Decodes a piece as base64url JSON, edits it and encodes it again; a piece that is not JSON is left as it is. */
function reencode(piece: string, edit: JsonEdit): string {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(piece, 'base64url').toString('utf8'));
  } catch {
    return piece;
  }
  return b64(JSON.stringify(editJson(decoded, edit)) ?? 'null');
}

/** `encoded` with every edit applied in turn; `donors` are the genuine compact credentials pieces are taken from. */
function mutateCompact(encoded: string, edits: readonly PieceEdit[], donors: readonly string[]): string {
  let current = encoded;
  for (const edit of edits) {
    if (edit.kind === 'truncate') {
      current = current.slice(0, edit.at % (current.length + 1));
      continue;
    }
    if (edit.kind === 'append') {
      current += edit.text;
      continue;
    }
    const parts = piecesOf(current);
    const { pieces, seps } = parts;
    const i = edit.piece % pieces.length;
    switch (edit.kind) {
      case 'char':
        pieces[i] = editChars(pieces[i]!, edit);
        break;
      case 'reencode':
        pieces[i] = reencode(pieces[i]!, edit.edit);
        break;
      case 'swap': {
        const donor = piecesOf(donors[edit.donor % donors.length]!).pieces;
        pieces[i] = donor[edit.donorPiece % donor.length]!;
        break;
      }
      case 'drop':
        if (pieces.length === 1) pieces[0] = '';
        else {
          pieces.splice(i, 1);
          seps.splice(Math.min(i, seps.length - 1), 1);
        }
        break;
      case 'duplicate':
        pieces.splice(i + 1, 0, pieces[i]!);
        seps.splice(i, 0, seps[Math.min(i, seps.length - 1)] ?? '~');
        break;
      case 'reorder': {
        const j = edit.other % pieces.length;
        [pieces[i], pieces[j]] = [pieces[j]!, pieces[i]!];
        break;
      }
    }
    current = joinPieces(parts);
  }
  return current;
}

/**
 * Whether a compact credential changed from `original` may still verify. The verifier trims the string it is
 * handed, so the same string with white space around it is the original (not a test case). Only an SD-JWT may
 * change and verify: the same issuer-signed JWT with a subset of its own disclosures, in any order, each at most once
 * (selective disclosure); its key-binding part is the verifier's policy to read (RFC 9901 §7.3), not a tamper.
 * Every other change — any character of a JWT, a disclosure changed, added, repeated or foreign — must fail.
 */
function compactMayVerify(mutated: string, original: string): 'identical' | boolean {
  const sent = mutated.trim();
  if (sent === original) return 'identical';
  if (!original.includes('~')) return false;
  const [issuerJwt, ...rest] = sent.split('~');
  const [originalJwt, ...originalRest] = original.split('~');
  if (issuerJwt !== originalJwt) return false;
  const disclosures = rest.slice(0, -1);
  const own = new Set(originalRest.slice(0, -1));
  return new Set(disclosures).size === disclosures.length && disclosures.every((d) => own.has(d));
}

// ---------------------------------------------------------------------------------------------------------------
// Mutating a credential's JSON form: Veramo's (jwt_vc) and the EnvelopedVerifiableCredential (vc+jwt, dc+sd-jwt).

type FormEdit =
  | { kind: 'edit'; edit: JsonEdit }
  | { kind: 'inner'; edits: PieceEdit[] }
  | { kind: 'swap-inner'; donor: number }
  | { kind: 'add'; key: string; value: Json }
  | { kind: 'drop'; member: number };

/** The compact credential a JSON form carries (Veramo's `proof.jwt`, an envelope's `data:` id after its comma). */
function innerOf(form: Record<string, unknown>): string | undefined {
  const proof = form['proof'];
  if (isObject(proof) && typeof proof['jwt'] === 'string') return proof['jwt'];
  const id = form['id'];
  return typeof id === 'string' && id.startsWith('data:') ? id.slice(id.indexOf(',') + 1) : undefined;
}

function withInner(form: Record<string, unknown>, inner: string): Record<string, unknown> {
  if (isObject(form['proof'])) return { ...form, proof: { ...form['proof'], jwt: inner } };
  const id = String(form['id']);
  return { ...form, id: `${id.slice(0, id.indexOf(',') + 1)}${inner}` };
}

function mutateForm(form: Record<string, unknown>, edit: FormEdit, donors: readonly string[]): unknown {
  switch (edit.kind) {
    case 'edit':
      return editJson(form, edit.edit);
    case 'inner': {
      const inner = innerOf(form);
      return inner === undefined ? form : withInner(form, mutateCompact(inner, edit.edits, donors));
    }
    case 'swap-inner':
      return withInner(form, donors[edit.donor % donors.length]!);
    case 'add':
      return { ...form, [edit.key]: edit.value };
    case 'drop': {
      const keys = Object.keys(form);
      const { [keys[edit.member % keys.length]!]: _dropped, ...rest } = form;
      return rest;
    }
  }
}

/**
 * Whether a changed JSON form may still verify, by the rules the forms are documented with:
 * - Veramo's form (libs/formats jwt-vc.ts): every signed member present and saying what the JWT signs — `issuer` as
 *   its id alone or the signed object, dates as the same instant, the rest as the same JSON (member order free) — no
 *   member added, and `proof` exactly `{type: "JwtProof2020", jwt}` with the same JWT;
 * - an EnvelopedVerifiableCredential (vc-jwt.ts): exactly `@context` (the VCDM 2.0 context, or a list starting with
 *   it), `type` (the type, or a list of just it) and `id`, "nothing else rides along unsigned", its `data:` URL
 *   carrying the same credential (for an SD-JWT, by {@link compactMayVerify}). The rule is the same for both
 *   envelopes: a VC-API client reads one shape whatever the media type in the `data:` URL.
 */
function formMayVerify(mutated: unknown, genuine: Genuine): 'identical' | boolean {
  const original = genuine.form;
  if (sortedJson(mutated) === sortedJson(original)) return 'identical';
  if (!isObject(mutated)) return false;
  if (genuine.format === 'jwt_vc') {
    const keys = Object.keys(mutated).sort();
    if (keys.join('\n') !== Object.keys(original).sort().join('\n')) return false;
    return keys.every((key) => {
      const value = mutated[key];
      const signed = original[key];
      if (key === 'issuer') {
        const id = isObject(signed) ? signed['id'] : signed;
        return value === id || (isObject(value) && value['id'] === id && (Object.keys(value).length === 1 || sortedJson(value) === sortedJson(signed)));
      }
      if (key === 'issuanceDate' || key === 'expirationDate') return typeof value === 'string' && Date.parse(value) === Date.parse(signed as string);
      return sortedJson(value) === sortedJson(signed);
    });
  }
  const context = mutated['@context'];
  const type = mutated['type'];
  const id = mutated['id'];
  if (typeof id !== 'string' || !(type === ENVELOPED || (Array.isArray(type) && type.length === 1 && type[0] === ENVELOPED))) return false;
  const onlyEnvelope = Object.keys(mutated).every((key) => key === '@context' || key === 'type' || key === 'id') && (context === V2 || (Array.isArray(context) && context[0] === V2));
  if (!onlyEnvelope) return false;
  if (genuine.format === 'vc+jwt') return id === original['id'];
  const prefix = SD_JWT_PREFIXES.find((p) => id.startsWith(p));
  return prefix !== undefined && compactMayVerify(id.slice(prefix.length), genuine.encoded) !== false;
}

// ---------------------------------------------------------------------------------------------------------------

describe('fuzzing POST /credentials/verify', () => {
  let p: TestPlatform;
  let city: { did: string; apiKey: string };
  let otherTenantDid: string;
  /** Two genuine credentials of each format, anchored. */
  const genuine: Genuine[] = [];
  /** The issuer's anchor proof of the first jwt_vc, as a wallet would present it. */
  let anchorProof: Record<string, unknown>;
  /** A genuine status list entry (the issuer's revocation list), for foreign credentials to point at. */
  let genuineStatus: Record<string, unknown>;

  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const nowIso = () => `${new Date().toISOString().slice(0, 19)}Z`;
  const verifyUrl = () => `${p.verifier.url}/credentials/verify`;
  const postBody = (body: unknown): Promise<Answer> => send(verifyUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const verify = (vc: unknown, policy?: string): Promise<Answer> => postBody({ verifiableCredential: vc, ...(policy === undefined ? {} : { options: { policy } }) });
  const postRaw = (body: Uint8Array<ArrayBuffer> | string, headers: Record<string, string>): Promise<Answer> => send(verifyUrl(), { method: 'POST', headers, body });
  const compacts = () => genuine.map((g) => g.encoded);

  function holderJwk(): PublicJwk {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { kty, crv, x, y } = publicKey.export({ format: 'jwk' }) as PublicJwk;
    return { kty, crv, x, y };
  }

  /** Issues a SeoulCitizenCard in `format` through the issuer's VC-API (as verify-formats.e2e.spec.ts does). */
  async function issueIn(format: Format): Promise<Genuine> {
    const body =
      format === 'vc+jwt'
        ? { credential: { '@context': [V2, CITYCRED], type: ['VerifiableCredential', 'SeoulCitizenCard'], issuer: city.did, validFrom: nowIso(), credentialSubject: citizenCardSubject } }
        : issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject, format === 'dc+sd-jwt' ? { options: { format, holderJwk: holderJwk() } } : {});
    const res = await postJson(`${p.issuer.url}/credentials/issue`, body, { authorization: `Bearer ${city.apiKey}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const form = res.body.verifiableCredential as Record<string, unknown>;
    return { format, form, encoded: innerOf(form)! };
  }

  beforeAll(async () => {
    p = await startTestPlatform('verify_fuzz');
    city = p.tenants.get('seoul-citizen')!;
    otherTenantDid = p.tenants.get('education-office')!.did;
    for (const format of ['jwt_vc', 'jwt_vc', 'vc+jwt', 'vc+jwt', 'dc+sd-jwt', 'dc+sd-jwt'] as const) genuine.push(await issueIn(format));
    expect((await p.worker.runOnce()).anchored).toBeGreaterThan(0);
    const proof = await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(genuine[0]!.encoded)}`);
    expect(proof.status, JSON.stringify(proof.body)).toBe(200);
    anchorProof = proof.body;
    genuineStatus = (genuine[0]!.form['credentialStatus'] as Array<Record<string, unknown>>)[0]!;
  });
  afterAll(async () => p?.stop());

  it('sanity: every seed verifies, as its JSON form and compact, under every policy the mutations are judged by', async () => {
    expect(genuine.map((g) => g.format)).toEqual(['jwt_vc', 'jwt_vc', 'vc+jwt', 'vc+jwt', 'dc+sd-jwt', 'dc+sd-jwt']);
    for (const g of genuine) {
      for (const policy of new Set(MUTATION_POLICIES)) {
        for (const input of [g.form, g.encoded]) {
          const res = await verify(input, policy);
          expect(res.status, `${g.format} under ${policy ?? 'city'}: ${res.text.slice(0, 600)}`).toBe(200);
          expect(res.body.verified).toBe(true);
        }
      }
    }
    // The genuine anchor proof, presented, verifies too: the presented-proof property below can fail.
    const presented = await postBody({ verifiableCredential: genuine[0]!.encoded, options: { anchorProof } });
    expect(presented.status, presented.text).toBe(200);
  });

  // -------------------------------------------------------------------------------------------------------------
  // Shared arbitraries (built once the platform runs: they name its DIDs).

  function arbitraries() {
    const b64urlChar = fc.constantFrom(...B64URL_ALPHABET);
    const b64urlText = fc.string({ unit: b64urlChar, maxLength: 90 });
    const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));
    const did = fc.oneof(
      fc.constant(city.did),
      fc.constant(otherTenantDid),
      hex(20).map((h) => `did:ethr:citycred:0x${h}`),
      hex(32).map((h) => `did:ethr:citycred:0x02${h}`),
      hex(20).map((h) => `did:ethr:0x1:0x${h}`),
      fc.jsonValue({ maxDepth: 1 }).map((jwk) => `did:jwk:${b64(jwk)}`),
      fc.record({ kty: fc.constantFrom('EC', 'OKP', 'RSA'), crv: fc.constantFrom('P-256', 'secp256k1', 'Ed25519', 'X25519'), x: b64urlText, y: b64urlText }, { requiredKeys: ['kty'] }).map(
        (jwk) => `did:jwk:${b64(jwk)}`,
      ),
      fc.string({ unit: b64urlChar, maxLength: 60 }).map((s) => `did:key:z${s}`),
      fc.string(),
    );
    const numericDate = fc.oneof(
      fc.integer({ min: -10_000_000, max: 10_000_000 }).map((d) => nowSeconds() + d),
      fc.integer(),
      fc.double(),
      fc.constantFrom(0, -1, 1e308, 9e15, 2 ** 53, 946_684_800, 253_402_300_799, 253_402_300_800),
      fc.string(),
      fc.constant(null),
    );
    const dateText = fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom('2026-02-30T00:00:00Z', '9999-12-31T23:59:59Z', '1999-12-31T23:59:59Z', '', 'now'),
      fc.string(),
    );
    const context = fc.oneof(fc.constant([V1, CITYCRED]), fc.constant([V2, CITYCRED]), fc.constant([V2]), fc.constant(V2), fc.jsonValue({ maxDepth: 1 }));
    const type = fc.oneof(
      fc.constant(['VerifiableCredential', 'SeoulCitizenCard']),
      fc.constant(['VerifiableCredential', 'AttendanceRecord']),
      fc.string().map((t) => ['VerifiableCredential', t]),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const subject = fc.oneof(
      fc.constant(citizenCardSubject as unknown as Json),
      fc.record({ name: fc.string(), birthDate: dateText, ageOver19: fc.jsonValue({ maxDepth: 0 }), residence: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }),
      fc.object({ maxDepth: 2 }),
    );
    const jsonEdit = fc.record({
      path: fc.array(fc.nat(), { maxLength: 5 }),
      kind: fc.constantFrom('replace', 'delete', 'add', 'bump') as fc.Arbitrary<JsonEdit['kind']>,
      key: fc.oneof(fc.constantFrom('alg', 'typ', 'kid', 'iss', 'nbf', 'exp', 'vc', 'vct', '_sd', 'cnf', 'status', 'credentialSubject', 'proof', 'id', '@context', 'type'), fc.string()),
      value: fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.constantFrom<Json>('none', 'ES256', 'HS256', 'EdDSA', 'JWT', 'vc+jwt', 'dc+sd-jwt', 0, -1, 1e308, '', true, null, 'VerifiableCredential', 'SeoulCitizenCard', 'sha-512', ENVELOPED, V2),
        fc.constantFrom<Json>(city.did, otherTenantDid, `${city.did}#controller`),
      ) as fc.Arbitrary<Json>,
    });
    const char = fc.oneof(
      { weight: 4, arbitrary: b64urlChar },
      { weight: 1, arbitrary: fc.constantFrom('.', '~', '=', '+', '/', ' ', '\t', '\n', '\u0000', '%', '"', '\\', '\u00a0', '\ufeff', '\ud800') },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    );
    const header = fc.oneof(
      fc.record(
        {
          alg: fc.oneof(fc.constantFrom('ES256K', 'ES256', 'EdDSA', 'none', 'HS256', 'RS256', 'ES256K-R'), fc.string()),
          typ: fc.constantFrom('JWT', 'vc+jwt', 'dc+sd-jwt', 'vc+sd-jwt', 'kb+jwt', 'jwt'),
          kid: did.map((d) => `${d}#controller`),
          cty: fc.constantFrom('vc', 'JWT'),
        },
        { requiredKeys: ['alg'] },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    );
    // Claims of every format side by side, each member optional: a JWT VC's, a VCDM 2.0 credential's, an SD-JWT VC's.
    const claims = fc.record(
      {
        iss: did,
        sub: fc.string(),
        jti: fc.string(),
        nbf: numericDate,
        iat: numericDate,
        exp: numericDate,
        vc: fc.record({ '@context': context, type, credentialSubject: subject, credentialStatus: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }),
        '@context': context,
        type,
        issuer: did,
        validFrom: dateText,
        validUntil: dateText,
        credentialSubject: subject,
        vct: fc.oneof(fc.constant(`${VCT_BASE_URL}SeoulCitizenCard`), fc.string()),
        _sd: fc.array(b64urlText, { maxLength: 3 }),
        _sd_alg: fc.constantFrom('sha-256', 'sha-512', 'SHA-256'),
        cnf: fc.jsonValue({ maxDepth: 2 }),
        status: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    );
    const payload = fc.oneof({ weight: 3, arbitrary: claims }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
    const signature = fc.oneof(fc.constant(''), b64urlText, fc.uint8Array({ minLength: 64, maxLength: 64 }).map((s) => Buffer.from(s).toString('base64url')), fc.string());
    const jwtLike = fc.tuple(header, payload, signature).map(([h, pl, s]) => `${b64(h)}.${b64(pl)}.${s}`);
    const disclosureLike = fc.oneof(
      fc.tuple(b64urlText, fc.string(), fc.jsonValue({ maxDepth: 2 })).map((d) => b64(d)),
      fc.jsonValue({ maxDepth: 2 }).map((d) => b64(d)),
      b64urlText,
    );
    const sdJwtLike = fc
      .tuple(jwtLike, fc.array(disclosureLike, { maxLength: 4 }), fc.oneof(fc.constant(''), jwtLike))
      .map(([jwt, disclosures, kb]) => [jwt, ...disclosures, kb].join('~'));
    const hex32 = fc.oneof(hex(32).map((h) => `0x${h}`), hex(32).map((h) => `0x${h.toUpperCase()}`), hex(32));
    const presentedProof = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          root: fc.oneof(hex32, fc.jsonValue({ maxDepth: 0 })),
          proof: fc.oneof(fc.array(hex32, { maxLength: 40 }), fc.jsonValue({ maxDepth: 1 })),
          leafIndex: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.string()),
          txHash: fc.jsonValue({ maxDepth: 0 }),
          blockNumber: fc.oneof(fc.integer(), fc.double()),
          chainId: fc.oneof(fc.integer(), fc.constant(31337)),
          contract: fc.string(),
        },
        { requiredKeys: [] },
      ),
    );
    const policy = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('city', 'open', 'city-strict', 'city-delegates') },
      { weight: 1, arbitrary: fc.constantFrom('City', 'open ', '', '__proto__', 'constructor', 'toString') },
      { weight: 1, arbitrary: fc.string() },
    );
    const options = fc.oneof(
      { weight: 4, arbitrary: fc.record({ anchorProof: presentedProof, policy }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
      { weight: 1, arbitrary: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }) },
    );
    const credential = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.array(b64urlText, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('.')),
      jwtLike,
      sdJwtLike,
      fc.object({ maxDepth: 2 }),
      fc.jsonValue({ maxDepth: 3 }),
      fc
        .tuple(fc.object({ maxDepth: 1 }), fc.oneof(jwtLike, fc.constantFrom(...compacts())), fc.option(fc.jsonValue({ maxDepth: 1 })))
        .map(([rest, jwt, extra]) => ({ ...rest, proof: { type: 'JwtProof2020', jwt, ...(extra === null ? {} : { extra }) } })),
      fc.record(
        {
          '@context': fc.oneof(fc.constant(V2), fc.jsonValue({ maxDepth: 1 })),
          type: fc.oneof(fc.constant(ENVELOPED), fc.constant([ENVELOPED]), fc.jsonValue({ maxDepth: 1 })),
          id: fc
            .tuple(fc.constantFrom(VC_JWT_PREFIX, ...SD_JWT_PREFIXES, 'data:', 'data:application/jwt,', ''), fc.oneof(jwtLike, sdJwtLike, fc.string()))
            .map(([prefix, rest]) => prefix + rest),
        },
        { requiredKeys: ['type', 'id'] },
      ),
    );
    const pieceEdit: fc.Arbitrary<PieceEdit> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('char' as const), piece: fc.nat(), op: fc.constantFrom('replace', 'insert', 'delete', 'flip') as fc.Arbitrary<'replace' | 'insert' | 'delete' | 'flip'>, at: fc.nat(), char, bit: fc.nat({ max: 15 }) }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('reencode' as const), piece: fc.nat(), edit: jsonEdit }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('swap' as const), piece: fc.nat(), donor: fc.nat(), donorPiece: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), piece: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), piece: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('reorder' as const), piece: fc.nat(), other: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('append' as const), text: fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('~', '.', '~~', '=', '\u0000'), jwtLike) }) },
    );
    const pieceEdits = fc.array(pieceEdit, { minLength: 1, maxLength: 3 });
    const formEdit: fc.Arbitrary<FormEdit> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('edit' as const), edit: jsonEdit }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('inner' as const), edits: pieceEdits }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('swap-inner' as const), donor: fc.nat() }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), key: jsonEdit.map((e) => e.key), value: jsonEdit.map((e) => e.value) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), member: fc.nat() }) },
    );
    const mutationPolicy = fc.constantFrom(...MUTATION_POLICIES);
    return { numericDate, dateText, context, type, subject, jsonEdit, presentedProof, options, credential, pieceEdits, formEdit, mutationPolicy };
  }

  // -------------------------------------------------------------------------------------------------------------
  describe('1. arbitrary requests', () => {
    it(`arbitrary JSON bodies, credentials and options (${RUNS.bodies} runs): a well-formed answer, never verified`, async () => {
      const a = arbitraries();
      const body = fc.oneof(
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
        { weight: 1, arbitrary: fc.object({ maxDepth: 2 }) },
        { weight: 8, arbitrary: fc.record({ verifiableCredential: a.credential, options: a.options }, { requiredKeys: ['verifiableCredential'] }) },
      );
      await fc.assert(
        fc.asyncProperty(body, async (sent) => {
          expectNotVerified(await postBody(sent), sent);
        }),
        { seed: SEED + 1, numRuns: RUNS.bodies },
      );
    }, 120_000);

    it(`a genuine credential with an anchor proof it does not have (${RUNS.genuineWithOptions} runs): never verified under a city policy`, async () => {
      const a = arbitraries();
      const cityPolicy = fc.constantFrom(undefined, 'city', 'city-strict', 'city-delegates');
      const input = fc.tuple(fc.nat(), fc.boolean(), a.presentedProof, cityPolicy);
      await fc.assert(
        fc.asyncProperty(input, async ([which, asForm, proof, policy]) => {
          const g = genuine[which % genuine.length]!;
          const sent = { verifiableCredential: asForm ? g.form : g.encoded, options: { anchorProof: proof, ...(policy === undefined ? {} : { policy }) } };
          const res = await postBody(sent);
          // `anchorProof: null` presents none: the issuer's proof is fetched, and the genuine credential verifies.
          if (proof === null) expectWellFormed(res, sent);
          else expectNotVerified(res, sent);
        }),
        { seed: SEED + 2, numRuns: RUNS.genuineWithOptions },
      );
    }, 120_000);

    it(`credentials validly signed by issuers outside the city, with arbitrary claims (${RUNS.foreignSigned} runs): well-formed answers, verified only under the open policy and only when nothing is wrong`, async () => {
      const a = arbitraries();
      const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const { kty, crv, x, y } = p256.publicKey.export({ format: 'jwk' }) as PublicJwk;
      const jwkDid = didJwkOf({ kty, crv, x, y });
      const jwkSigner: JwsSigner = { alg: 'ES256', kid: `${jwkDid}#0`, sign: (data) => nodeSign('sha256', data, { key: p256.privateKey, dsaEncoding: 'ieee-p1363' }) };
      const wallet = Wallet.createRandom();
      const ethrDid = `did:ethr:citycred:${wallet.address}`;
      const ethrSigner = new Secp256k1Signer({ privateKey: getBytes(wallet.privateKey), kid: `${ethrDid}#controller` });
      const signers: Array<{ did: string; signer: JwsSigner }> = [
        { did: jwkDid, signer: jwkSigner },
        { did: ethrDid, signer: ethrSigner },
      ];
      const cityTokenList = String((decodePayload(genuine[4]!.encoded) as { status: { status_list: { uri: string } } }).status.status_list.uri);
      const claimName = fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom('name', 'birthDate', 'ageOver19', 'residence', 'personId', 'residentSince', 'id', 'member') },
        { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '_sd', '...', '_sd_alg', 'sub', 'iss', 'vct', 'cnf', 'status', 'iat', '') },
        { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
      );
      const claimValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }), fc.constantFrom<Json>(...Object.values(citizenCardSubject as Record<string, Json>)));
      const subject = fc.oneof(
        { weight: 2, arbitrary: fc.constant(citizenCardSubject as unknown as Json) },
        { weight: 2, arbitrary: fc.tuple(fc.constant(citizenCardSubject as Record<string, Json>), fc.dictionary(claimName, claimValue, { maxKeys: 3 })).map(([base, extra]) => ({ ...base, ...extra })) },
        { weight: 2, arbitrary: fc.dictionary(claimName, claimValue, { maxKeys: 6 }) },
        { weight: 1, arbitrary: a.subject },
      );
      const status: fc.Arbitrary<ForeignStatus> = fc.oneof(
        { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
        { weight: 2, arbitrary: fc.nat({ max: 131_071 }).map((index) => ({ kind: 'city-list' as const, index })) },
        { weight: 1, arbitrary: fc.constant({ kind: 'unreachable' as const }) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value) => ({ kind: 'junk' as const, value: value as Json })) },
      );
      const sane = fc.record({ from: fc.integer({ min: -400 * 86_400, max: 400 * 86_400 }), until: fc.option(fc.integer({ min: -400 * 86_400, max: 4000 * 86_400 })) }).map(({ from, until }) => {
        const iat = nowSeconds();
        const nbf = iat + from;
        const exp = until === null ? undefined : nbf + until;
        const iso = (t: number) => new Date(t * 1000).toISOString();
        return { nbf, iat, ...(exp === undefined ? {} : { exp, validUntil: iso(exp) }), validFrom: iso(nbf) };
      });
      const raw = fc.record({ nbf: a.numericDate, iat: a.numericDate, exp: a.numericDate, validFrom: a.dateText, validUntil: a.dateText }, { requiredKeys: [] });
      const claims: fc.Arbitrary<ForeignClaims> = fc.record({
        context: fc.oneof({ weight: 3, arbitrary: fc.constantFrom([V1], [V2], [V1, CITYCRED], [V2, CITYCRED]) }, { weight: 1, arbitrary: a.context }),
        type: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(['VerifiableCredential', 'SeoulCitizenCard'], ['VerifiableCredential', 'LibraryCard'], ['VerifiableCredential']) }, { weight: 1, arbitrary: a.type }),
        subject,
        status,
        vct: fc.oneof(fc.constant(`${VCT_BASE_URL}SeoulCitizenCard`), fc.constantFrom('LibraryCard', `${VCT_BASE_URL}Nope`, `${VCT_BASE_URL}AttendanceRecord`), fc.jsonValue({ maxDepth: 0 })),
        dates: fc.oneof({ weight: 3, arbitrary: sane }, { weight: 1, arbitrary: raw }),
        kid: fc.constantFrom('own', 'own', 'none', 'other'),
        sd: fc.record({ disclose: fc.nat(), arrays: fc.boolean(), decoys: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }), repeat: fc.boolean(), misplace: fc.boolean(), withhold: fc.nat() }),
      });
      const input = fc.tuple(fc.constantFrom<Format>('jwt_vc', 'vc+jwt', 'dc+sd-jwt'), fc.nat(), claims, fc.constantFrom(undefined, 'open', 'open', 'city-delegates'));

      /** The status member in each format's terms. */
      function statusMember(status: ForeignStatus, sdJwt: boolean): unknown {
        switch (status.kind) {
          case 'none':
            return undefined;
          case 'junk':
            return status.value;
          case 'city-list':
            return sdJwt
              ? { status_list: { idx: status.index, uri: cityTokenList } }
              : { ...genuineStatus, statusListIndex: String(status.index), id: `${String(genuineStatus['statusListCredential'])}#${status.index}` };
          case 'unreachable':
            return sdJwt ? { status_list: { idx: 1, uri: 'http://127.0.0.1:1/status-lists/none' } } : { ...genuineStatus, statusListCredential: 'http://127.0.0.1:1/status-lists/none', id: 'http://127.0.0.1:1/status-lists/none#1' };
        }
      }

      /**
       * Signs the generated claims as `format`, as a foreign issuer would: nothing the city issuer's own rules refuse
       * is refused here. Returns the SD-JWT's rule breakers too, which must not verify.
       */
      async function signForeign(format: Format, { did, signer }: { did: string; signer: JwsSigner }, c: ForeignClaims): Promise<{ encoded: string; broken: boolean }> {
        const kid = c.kid === 'own' ? { kid: signer.kid } : c.kid === 'other' ? { kid: `${otherTenantDid}#controller` } : {};
        const present = (entries: Record<string, unknown>) => Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
        const credentialStatus = statusMember(c.status, format === 'dc+sd-jwt');
        if (format === 'jwt_vc') {
          const vc = present({ '@context': c.context, type: c.type, credentialSubject: c.subject, credentialStatus });
          return { encoded: await signCompactJws({ alg: signer.alg, typ: 'JWT', ...kid }, present({ vc, iss: did, nbf: c.dates.nbf, iat: c.dates.iat, exp: c.dates.exp }), signer), broken: false };
        }
        if (format === 'vc+jwt') {
          const credential = present({ '@context': c.context, type: c.type, issuer: did, validFrom: c.dates.validFrom, validUntil: c.dates.validUntil, credentialSubject: c.subject, credentialStatus });
          return { encoded: await signCompactJws({ alg: signer.alg, typ: 'vc+jwt', cty: 'vc', ...kid }, present({ ...credential, iat: c.dates.iat }), signer), broken: false };
        }
        // SD-JWT VC: each claim whose bit is set is disclosed (an array's elements one by one), the rest in clear.
        const disclosures: string[] = [];
        const disclose = (content: unknown[]) => {
          const disclosure = b64(content);
          disclosures.push(disclosure);
          return createHash('sha256').update(disclosure, 'ascii').digest('base64url');
        };
        const clear: Record<string, unknown> = {};
        // defineProperty: a claim named __proto__ is a claim, not the object's prototype.
        const inClear = (name: string, value: unknown) => Object.defineProperty(clear, name, { value, enumerable: true, writable: true, configurable: true });
        const digests: string[] = [];
        const elementDigests: string[] = [];
        const entries = isObject(c.subject) ? Object.entries(c.subject) : [['claims', c.subject] as const];
        entries.forEach(([name, value], i) => {
          if (c.sd.arrays && Array.isArray(value)) {
            const elements = value.map((element, j) => {
              if (j % 2 === 1) return element;
              const digest = disclose([`e${i}.${j}`, element]);
              elementDigests.push(digest);
              return { '...': digest };
            });
            inClear(name, elements);
          } else if ((c.sd.disclose >> i % 30) & 1) digests.push(disclose([`salt${i}`, name, value]));
          else inClear(name, value);
        });
        digests.push(...c.sd.decoys.map((decoy) => createHash('sha256').update(decoy, 'ascii').digest('base64url')));
        const repeated = c.sd.repeat && digests.length > 0;
        if (repeated) digests.push(digests[0]!);
        const misplaced = c.sd.misplace && elementDigests.length > 0;
        if (misplaced) digests.push(elementDigests[0]!);
        const payload = present({ ...clear, iss: did, iat: c.dates.iat, nbf: c.dates.nbf, exp: c.dates.exp, vct: c.vct, status: credentialStatus, _sd_alg: 'sha-256', _sd: digests.sort() });
        const issuerJwt = await signCompactJws({ alg: signer.alg, typ: 'dc+sd-jwt', ...kid }, payload, signer);
        const shown = disclosures.filter((_, i) => i !== c.sd.withhold % (disclosures.length + 1));
        return { encoded: [issuerJwt, ...shown, ''].join('~'), broken: repeated || misplaced };
      }

      let verified = 0;
      await fc.assert(
        fc.asyncProperty(input, async ([format, who, c, policy]) => {
          const { encoded, broken } = await signForeign(format, signers[who % signers.length]!, c);
          const res = await verify(encoded, policy);
          const sent = { encoded, policy };
          expectWellFormed(res, sent);
          // Under the city's policies only accredited issuers verify; a status list that is not the issuer's own (or
          // cannot be read) and an SD-JWT that breaks RFC 9901's digest rules never do.
          if (policy !== 'open' || broken || c.status.kind === 'city-list' || c.status.kind === 'unreachable') expectNotVerified(res, sent);
          if (res.status === 200) verified += 1;
        }),
        { seed: SEED + 3, numRuns: RUNS.foreignSigned },
      );
      // The generator reaches past the signature: some of these are whole credentials the open policy accepts.
      expect(verified).toBeGreaterThan(0);
    }, 120_000);
  });

  // -------------------------------------------------------------------------------------------------------------
  describe('2. mutations of genuine credentials', () => {
    describe.each([
      ['jwt_vc', 0],
      ['vc+jwt', 2],
      ['dc+sd-jwt', 4],
    ] as const)('%s', (format, first) => {
      it(`the compact encoding changed piece by piece (${RUNS.compact} runs): nothing changed verifies, never a 500`, async () => {
        const a = arbitraries();
        const input = fc.tuple(fc.nat({ max: 1 }), a.pieceEdits, a.mutationPolicy);
        await fc.assert(
          fc.asyncProperty(input, async ([which, edits, policy]) => {
            const original = genuine[first + which]!.encoded;
            const mutated = mutateCompact(original, edits, compacts());
            const may = compactMayVerify(mutated, original);
            fc.pre(may !== 'identical');
            // Pieces swapped in from a seed of the same format can rebuild that seed whole.
            const genuineAgain = compacts().some((other) => compactMayVerify(mutated, other) !== false);
            const res = await verify(mutated, policy);
            const sent = { verifiableCredential: mutated, policy };
            if (may || genuineAgain) expectWellFormed(res, sent);
            else expectNotVerified(res, sent);
          }),
          { seed: SEED + 10 + first, numRuns: RUNS.compact },
        );
      }, 120_000);

      it(`the JSON form changed member by member (${RUNS.form} runs): nothing changed verifies, never a 500`, async () => {
        const a = arbitraries();
        const input = fc.tuple(fc.nat({ max: 1 }), a.formEdit, a.mutationPolicy);
        await fc.assert(
          fc.asyncProperty(input, async ([which, edit, policy]) => {
            const g = genuine[first + which]!;
            const mutated = mutateForm(g.form, edit, compacts());
            const may = formMayVerify(mutated, g);
            fc.pre(may !== 'identical');
            // Another seed's credential swapped in whole is genuine too.
            const genuineAgain = genuine.some((other) => formMayVerify(mutated, other) !== false);
            const res = await verify(mutated, policy);
            const sent = { verifiableCredential: mutated, policy };
            if (may || genuineAgain) expectWellFormed(res, sent);
            else expectNotVerified(res, sent);
          }),
          { seed: SEED + 20 + first, numRuns: RUNS.form },
        );
      }, 120_000);
    });

    it(`the issuer's anchor proof changed and presented (${RUNS.anchorProof} runs): verified only while root and path are the issuer's (or none is presented)`, async () => {
      const a = arbitraries();
      // Half the edits go into the two members that are checked (root and the path), the rest anywhere.
      const checked = [Object.keys(anchorProof).indexOf('root'), Object.keys(anchorProof).indexOf('proof')];
      expect(checked).not.toContain(-1);
      const edit = fc.oneof(a.jsonEdit, fc.tuple(a.jsonEdit, fc.constantFrom(...checked)).map(([e, member]) => ({ ...e, path: [member, ...e.path] })));
      const input = fc.tuple(edit, fc.constantFrom(undefined, 'city-strict'));
      await fc.assert(
        fc.asyncProperty(input, async ([edit, policy]) => {
          const changed = editJson(anchorProof, edit);
          fc.pre(sortedJson(changed) !== sortedJson(anchorProof));
          const sent = { verifiableCredential: genuine[0]!.encoded, options: { anchorProof: changed, ...(policy === undefined ? {} : { policy }) } };
          const res = await postBody(sent);
          const same =
            changed === null ||
            (isObject(changed) && sortedJson(changed['root']) === sortedJson(anchorProof['root']) && sortedJson(changed['proof']) === sortedJson(anchorProof['proof']));
          if (same) expectWellFormed(res, sent);
          else expectNotVerified(res, sent);
        }),
        { seed: SEED + 30, numRuns: RUNS.anchorProof },
      );
    }, 120_000);

    it("an ES256K signature re-encoded as its high-S twin (n - s) is not the anchored credential under the city policies", async () => {
      const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
      for (const g of genuine) {
        const [head, payload, rest] = g.encoded.split('.') as [string, string, string];
        const [sig, ...tail] = rest.split('~');
        const bytes = Buffer.from(sig!, 'base64url');
        const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
        const twin = Buffer.concat([bytes.subarray(0, 32), Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex')]);
        const mutated = [`${head}.${payload}.${twin.toString('base64url')}`, ...tail].join('~');
        for (const policy of [undefined, 'city-strict', 'city-delegates']) expectNotVerified(await verify(mutated, policy), { mutated, policy });
      }
    });
  });

  // -------------------------------------------------------------------------------------------------------------
  describe('3. malformed transport', () => {
    const garbageBody = JSON.stringify({ verifiableCredential: 'garbage' });
    const genuineBody = () => JSON.stringify({ verifiableCredential: genuine[0]!.encoded });

    /** A 4xx problem (400, 413 or 415), never a 500 and never verified. */
    function expectRefusedTransport(res: Answer, sent: unknown, status?: number): void {
      expectNotVerified(res, sent);
      expect([400, 413, 415], `${res.status} ${res.text.slice(0, 300)} for ${shown(sent)}`).toContain(res.status);
      if (status !== undefined) expect(res.status, res.text).toBe(status);
    }

    it(`arbitrary bytes declared as JSON (${RUNS.bytes} runs): 400/413/415 problem+json`, async () => {
      const encoder = new TextEncoder();
      const bytes = fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        // A JSON prefix, then bytes that need not be UTF-8 inside the credential string.
        fc.uint8Array({ maxLength: 40 }).map((junk) => Buffer.concat([Buffer.from('{"verifiableCredential":"'), junk, Buffer.from('"}')])),
        // The genuine JWT with bytes that are no UTF-8 (or are) spliced in.
        fc.tuple(fc.nat(), fc.constantFrom([0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x00])).map(([at, junk]) => {
          const jwt = genuine[0]!.encoded;
          const cut = 1 + (at % (jwt.length - 1));
          return Buffer.concat([Buffer.from(`{"verifiableCredential":"${jwt.slice(0, cut)}`), Buffer.from(junk), Buffer.from(`${jwt.slice(cut)}"}`)]);
        }),
        fc.string({ unit: 'binary', maxLength: 200 }).map((text) => encoder.encode(text)),
      );
      await fc.assert(
        fc.asyncProperty(bytes, async (body) => {
          expectRefusedTransport(await postRaw(new Uint8Array(body), { 'content-type': 'application/json' }), body);
        }),
        { seed: SEED + 40, numRuns: RUNS.bytes },
      );
    }, 120_000);

    it(`arbitrary content types (${RUNS.contentTypes} runs): 400 or 415 problem+json`, async () => {
      const printable = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 60 });
      const contentType = fc.oneof(
        fc.constantFrom(
          'text/plain',
          'application/xml',
          'application/octet-stream',
          'multipart/form-data; boundary=x',
          'application/x-www-form-urlencoded',
          'application/json; charset=utf-16',
          'application/json; charset=iso-8859-1',
          'application/jsonx',
          'json',
          'application/',
          '*/*',
        ),
        printable,
        printable.map((param) => `application/json; ${param}`),
      );
      await fc.assert(
        fc.asyncProperty(contentType, async (type) => {
          expectRefusedTransport(await postRaw(garbageBody, { 'content-type': type }), { type });
        }),
        { seed: SEED + 41, numRuns: RUNS.contentTypes },
      );
    }, 120_000);

    it.each(['text/plain', 'application/xml', 'application/octet-stream', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/jsonx'])(
      'a genuine credential sent as %s → 415, not verified',
      async (type) => {
        expectRefusedTransport(await postRaw(genuineBody(), { 'content-type': type }), { type }, 415);
      },
    );

    it('a body with no content type → 415; content-encoding gzip → 415', async () => {
      expectRefusedTransport(await postRaw(new TextEncoder().encode(genuineBody()), {}), 'no content type', 415);
      expectRefusedTransport(await postRaw(genuineBody(), { 'content-type': 'application/json', 'content-encoding': 'gzip' }), 'gzip', 415);
    });

    it.each([
      ['an empty body', ''],
      ['a lone byte-order mark', '\ufeff'],
      ['not JSON', 'verifiableCredential=eyJ'],
      ['truncated JSON', '{"verifiableCredential": "eyJ'],
      ['JSON with a trailing comma', '{"verifiableCredential": "x",}'],
      ['two JSON values', '{"verifiableCredential": "x"} {"verifiableCredential": "y"}'],
      ['a __proto__ member', '{"verifiableCredential": "x", "__proto__": {"verified": true}}'],
      ['a constructor.prototype member', '{"verifiableCredential": {"constructor": {"prototype": {"verified": true}}}}'],
      ['NaN', '{"verifiableCredential": NaN}'],
      ['single quotes', "{'verifiableCredential': 'x'}"],
    ])('%s → 400 problem+json', async (_label, body) => {
      expectRefusedTransport(await postRaw(body, { 'content-type': 'application/json' }), body, 400);
    });

    it.each([
      ['10,000 nested arrays as the body', () => `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
      ['10,000 nested objects as the body', () => `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
      ['10,000 nested arrays as the credential', () => `{"verifiableCredential":${'['.repeat(10_000)}${']'.repeat(10_000)}}`],
      ['10,000 nested arrays in a credential member', () => `{"verifiableCredential":{"proof":{"type":"JwtProof2020","jwt":"x"},"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`],
      ['10,000 nested arrays in an envelope', () => `{"verifiableCredential":{"type":"${ENVELOPED}","id":"${VC_JWT_PREFIX}x","@context":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`],
      [
        "10,000 nested arrays in a genuine JSON form's subject",
        () => JSON.stringify({ verifiableCredential: { ...genuine[0]!.form, credentialSubject: '__DEEP__' } }).replace('"__DEEP__"', `${'['.repeat(10_000)}${']'.repeat(10_000)}`),
      ],
      ['10,000 nested arrays as the presented anchor proof', () => `{"verifiableCredential":"${genuine[0]!.encoded}","options":{"anchorProof":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`],
      ['10,000 nested objects as the options', () => `{"verifiableCredential":"${genuine[0]!.encoded}","options":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`],
    ])('%s → 400 problem+json, not a crash', async (_label, body) => {
      const sent = body();
      expectRefusedTransport(await postRaw(sent, { 'content-type': 'application/json' }), sent, 400);
    });

    it.each([
      ['a credential string', () => JSON.stringify({ verifiableCredential: `${genuine[0]!.encoded}${' '.repeat(BODY_LIMIT)}` })],
      ['padding in the options', () => JSON.stringify({ verifiableCredential: genuine[0]!.encoded, options: { anchorProof: { txHash: 'x'.repeat(BODY_LIMIT) } } })],
      ['white space after a genuine body', () => `${genuineBody()}${' '.repeat(BODY_LIMIT)}`],
    ])('a body over the 1 MiB limit (%s) → 413 request.too-large', async (_label, body) => {
      const sent = body();
      const res = await postRaw(sent, { 'content-type': 'application/json' });
      expectRefusedTransport(res, `${sent.length} bytes`, 413);
      expect(res.body.code).toBe('request.too-large');
    });
  });

  it('the verifier survived: each genuine credential still verifies', async () => {
    for (const g of genuine) {
      const res = await verify(g.encoded);
      expect(res.status, res.text.slice(0, 600)).toBe(200);
      expect(res.body.verified).toBe(true);
    }
  });
});
