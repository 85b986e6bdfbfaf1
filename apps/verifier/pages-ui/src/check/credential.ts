// What the check page reads of a credential itself, before and besides the verifier's answer: where it came from (a
// pasted text, a QR code's content, the page's fragment) and what it says. The verifier's checks say whether to trust it.

/** The credential a text carries: the credential itself, or a certificate reference to fetch from the issuer. */
export type CheckInput = { credential: unknown } | { reference: string };

/** What the page shows of a credential, read locally. */
export interface CredentialDescription {
  types: string[];
  issuer: string | undefined;
  issued: Date | undefined;
  validUntil: Date | undefined;
  claims: Record<string, unknown>;
}

/** The credential a pasted text, a QR's content or a fragment carries (`#vc=…`, `#ref=…`, a JWT, a JSON credential). */
export function parseInput(raw: string): CheckInput {
  const text = raw.trim();
  const hash = text.indexOf('#');
  const fragment = hash >= 0 ? text.slice(hash + 1) : text;
  if (fragment.startsWith('vc=')) return { credential: fragment.slice(3) };
  if (fragment.startsWith('ref=')) return { reference: fragment.slice(4) };
  if (text.startsWith('{')) {
    try {
      return { credential: JSON.parse(text) as unknown };
    } catch {
      return { credential: text };
    }
  }
  return { credential: text };
}

function base64urlText(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** Registered JWT claims and SD-JWT machinery: not claims about the subject. */
const NOT_SUBJECT = new Set(['iss', 'sub', 'iat', 'nbf', 'exp', 'jti', 'cnf', 'vct', 'status', '_sd', '_sd_alg', 'aud']);

/**
 * What the page shows of a credential (a JWT VC, a VC-JOSE `vc+jwt`, an SD-JWT VC with its disclosures, or a JSON
 * credential wrapping one of those).
 * @returns null for a credential whose compact form cannot be found
 * @throws Error (a SyntaxError or TypeError) for one that cannot be decoded
 */
export function describeCredential(credential: unknown): CredentialDescription | null {
  let compact: unknown = credential;
  if (typeof credential === 'object' && credential !== null) {
    const wrapped = credential as { proof?: { jwt?: unknown }; id?: unknown };
    if (wrapped.proof && typeof wrapped.proof.jwt === 'string') compact = wrapped.proof.jwt;
    else if (typeof wrapped.id === 'string' && wrapped.id.startsWith('data:')) compact = wrapped.id.slice(wrapped.id.indexOf(',') + 1);
  }
  if (typeof compact !== 'string') return null;
  const [jwt, ...disclosures] = compact.split('~');
  const payload = JSON.parse(base64urlText(jwt!.split('.')[1] ?? '')) as Record<string, any>;
  const time = (seconds: unknown) => (typeof seconds === 'number' ? new Date(seconds * 1000) : undefined);
  if (payload['vc']) {
    const vc = payload['vc'];
    return { types: vc.type ?? [], issuer: payload['iss'], issued: time(payload['nbf']), validUntil: time(payload['exp']), claims: vc.credentialSubject ?? {} };
  }
  if (typeof payload['vct'] === 'string') {
    const claims: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(payload)) if (!NOT_SUBJECT.has(name)) claims[name] = value;
    for (const disclosure of disclosures) {
      if (!disclosure || disclosure.includes('.')) continue;
      const decoded = JSON.parse(base64urlText(disclosure)) as unknown;
      if (Array.isArray(decoded) && decoded.length === 3 && typeof decoded[1] === 'string') claims[decoded[1]] = decoded[2];
    }
    const vct = payload['vct'];
    return { types: [vct.slice(vct.lastIndexOf('/') + 1)], issuer: payload['iss'], issued: time(payload['iat']), validUntil: time(payload['exp']), claims };
  }
  const date = (iso: unknown) => (typeof iso === 'string' ? new Date(iso) : undefined);
  return {
    types: payload['type'] ?? [],
    issuer: typeof payload['issuer'] === 'object' ? payload['issuer']?.id : payload['issuer'],
    issued: date(payload['validFrom']) ?? time(payload['iat']),
    validUntil: date(payload['validUntil']),
    claims: payload['credentialSubject'] ?? {},
  };
}

/**
 * The claims as rows of a table: nested objects flattened, each label the schema's titles of its path joined by ` · `
 * (the property's own name where the schema has no title); the subject's top-level `id` left out.
 * @param titles - the type's schema titles by dotted path
 */
export function claimRows(claims: Record<string, unknown>, titles: Readonly<Record<string, string>>, prefix: string[] = [], titlePath: string[] = []): Array<[string, unknown]> {
  const rows: Array<[string, unknown]> = [];
  for (const [name, value] of Object.entries(claims)) {
    if (prefix.length === 0 && name === 'id') continue;
    const path = [...titlePath, name];
    const label = [...prefix, titles[path.join('.')] ?? name];
    if (value && typeof value === 'object' && !Array.isArray(value)) rows.push(...claimRows(value as Record<string, unknown>, titles, label, path));
    else rows.push([label.join(' · '), value]);
  }
  return rows;
}
