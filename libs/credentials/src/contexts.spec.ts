import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readAssetBytes } from './assets.js';
import { CATALOGUE_TYPES } from './catalogue.js';
import {
  CITYCRED_CONTEXT_URL,
  CITYCRED_VOCAB_URL,
  CONTEXTS,
  documentLoader,
  UnknownContextError,
  VC_V1_CONTEXT_URL,
  VC_V2_CONTEXT_URL,
} from './contexts.js';
import { credentialSchema, type JsonSchemaDocument, schemaDocuments } from './schemas.js';

// SHA-256 of https://www.w3.org/2018/credentials/v1 as published by the W3C: any reformatting breaks it.
const VC_V1_SHA256 = 'ab4ddd9a531758807a79a5b450510d61ae8d147eab966cc9a200c07095b0cdcc';
/** SHA-256 of the VCDM 2.0 context as shipped (from @digitalbazaar/credentials-context 3.2.0): drift fails here. */
const VC_V2_SHA256 = '8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const VOCAB_TERM = new RegExp(`^${CITYCRED_VOCAB_URL}[A-Za-z0-9]+$`);

type TermDefinition = string | { '@id'?: string; '@type'?: string; '@context'?: Record<string, TermDefinition> };
const citycred = CONTEXTS.get(CITYCRED_CONTEXT_URL)?.['@context'] as unknown as Record<string, TermDefinition>;

function expand(compact: string | undefined): string | undefined {
  if (compact === undefined) return undefined;
  if (compact.startsWith('ccv:')) return `${CITYCRED_VOCAB_URL}${compact.slice(4)}`;
  if (compact.startsWith('xsd:')) return `${XSD}${compact.slice(4)}`;
  return compact;
}

function termIri(term: string): string | undefined {
  const definition = citycred[term];
  return expand(typeof definition === 'string' ? definition : definition?.['@id']);
}

function termDatatype(term: string): string | undefined {
  const definition = citycred[term];
  return typeof definition === 'object' ? expand(definition['@type']) : undefined;
}

type Schema = Record<string, unknown>;

/** Follows `$ref`s (within a document or into common.json) the way the validator does. */
function dereference(schema: Schema, document: JsonSchemaDocument): { schema: Schema; document: JsonSchemaDocument } {
  const ref = schema['$ref'];
  if (typeof ref !== 'string') return { schema, document };
  const [file, pointer = ''] = ref.split('#');
  const target = file === '' ? document : schemaDocuments().get(new URL(file ?? '', document.$id).href);
  if (target === undefined) throw new Error(`unresolvable $ref ${ref}`);
  const resolved = pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((node, key) => (node as Schema)[key], target) as Schema;
  return dereference(resolved, target);
}

/** Every property name a subject of this schema can carry, with each schema it may take. */
function claimsOf(root: JsonSchemaDocument): Map<string, Schema[]> {
  const claims = new Map<string, Schema[]>();
  const visit = (node: unknown, document: JsonSchemaDocument): void => {
    if (node === null || typeof node !== 'object') return;
    const { schema, document: where } = dereference(node as Schema, document);
    for (const [name, child] of Object.entries((schema['properties'] ?? {}) as Record<string, unknown>)) {
      if (typeof child === 'object' && child !== null) {
        claims.set(name, [...(claims.get(name) ?? []), dereference(child as Schema, where).schema]);
      }
      visit(child, where);
    }
    for (const keyword of ['items', 'if', 'then', 'else', 'not']) visit(schema[keyword], where);
    for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
      for (const sub of (schema[keyword] ?? []) as unknown[]) visit(sub, where);
    }
  };
  visit(root, root);
  return claims;
}

/** The @type a claim of this schema needs; null for none (strings, objects, arrays); undefined when it cannot tell. */
function expectedDatatype(schema: Schema): string | null | undefined {
  if (schema['format'] === 'date') return `${XSD}date`;
  if (schema['format'] === 'date-time') return `${XSD}dateTime`;
  if (schema['type'] === 'boolean') return `${XSD}boolean`;
  if (schema['type'] === 'integer') return `${XSD}integer`;
  if (schema['type'] === 'number') return `${XSD}decimal`;
  if (['string', 'object', 'array'].includes(schema['type'] as string)) return null;
  if (Array.isArray(schema['enum']) && schema['enum'].every((value) => typeof value === 'string')) return null;
  return undefined;
}

// Deliberate refinements a JSON Schema type cannot express.
const DATATYPE_REFINEMENTS: Record<string, string> = { basisMonth: `${XSD}gYearMonth`, signer: '@id' };

describe('documentLoader', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([VC_V1_CONTEXT_URL, CITYCRED_CONTEXT_URL])('resolves %s offline', (url) => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const loaded = documentLoader(url);
    expect(loaded).toEqual({ contextUrl: null, documentUrl: url, document: CONTEXTS.get(url) });
    expect(loaded.document['@context']).toBeTypeOf('object');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it.each([
    'https://www.w3.org/ns/credentials/v2/',
    'https://www.w3.org/ns/credentials/examples/v2',
    'http://www.w3.org/2018/credentials/v1',
    'https://www.w3.org/2018/credentials/v1/',
    'https://contexts.citycred.seoul.go.kr/v2',
    'https://w3id.org/security/v2',
    '',
  ])('refuses %j with UNKNOWN_CONTEXT and does not fetch it', (url) => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    expect(() => documentLoader(url)).toThrow(UnknownContextError);
    try {
      documentLoader(url);
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect((error as UnknownContextError).code).toBe('UNKNOWN_CONTEXT');
      expect((error as UnknownContextError).url).toBe(url);
    }
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('ships exactly the three contexts, frozen', () => {
    expect([...CONTEXTS.keys()]).toEqual([VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL, CITYCRED_CONTEXT_URL]);
    for (const document of CONTEXTS.values()) expect(Object.isFrozen(document['@context'])).toBe(true);
  });
});

describe('W3C VC 2.0 context', () => {
  it('is the shipped document, byte for byte, and defines the 2.0 terms', () => {
    const bytes = readAssetBytes('contexts/credentials-v2.json');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(VC_V2_SHA256);
    const terms = CONTEXTS.get(VC_V2_CONTEXT_URL)!['@context'];
    for (const term of ['VerifiableCredential', 'EnvelopedVerifiableCredential', 'BitstringStatusListEntry', 'JsonSchema']) expect(terms).toHaveProperty(term);
  });
});

describe('W3C VC 1.1 context', () => {
  it('is the standard document, byte for byte', () => {
    const bytes = readAssetBytes('contexts/credentials-v1.json');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(VC_V1_SHA256);
  });

  it('defines the credential terms under a protected VerifiableCredential scope', () => {
    const context = CONTEXTS.get(VC_V1_CONTEXT_URL)?.['@context'] as Record<string, unknown>;
    expect(context['@protected']).toBe(true);
    const scoped = (context['VerifiableCredential'] as { '@context': Record<string, unknown> })['@context'];
    const terms = ['credentialSubject', 'credentialStatus', 'credentialSchema', 'issuer', 'issuanceDate'];
    for (const term of terms) expect(scoped).toHaveProperty(term);
  });
});

describe('CityCred context', () => {
  it('is a protected JSON-LD 1.1 context', () => {
    expect(citycred['@version']).toBe(1.1);
    expect(citycred['@protected']).toBe(true);
    expect(citycred['id']).toBe('@id');
    expect(citycred['type']).toBe('@type');
  });

  it.each(CATALOGUE_TYPES)('defines the type %s under the CityCred vocabulary', (type) => {
    expect(termIri(type)).toBe(`${CITYCRED_VOCAB_URL}${type}`);
  });

  it.each(CATALOGUE_TYPES)('defines every claim %s can carry, with a matching datatype', (type) => {
    const claims = claimsOf(credentialSchema(type));
    expect(claims.size).toBeGreaterThan(0);
    for (const [claim, schemas] of claims) {
      if (claim === 'id') continue;
      expect(termIri(claim), `term for ${type} claim ${claim}`).toMatch(VOCAB_TERM);
      const refinement = DATATYPE_REFINEMENTS[claim];
      for (const schema of schemas) {
        const expected = refinement ?? expectedDatatype(schema);
        if (expected !== undefined) expect(termDatatype(claim) ?? null, `@type of ${claim} in ${type}`).toBe(expected);
      }
    }
  });

  it('keeps criterion ids literal instead of turning them into node identifiers', () => {
    const criteria = citycred['criteria'] as { '@context': Record<string, TermDefinition> };
    expect(criteria['@context']['id']).toEqual({ '@id': 'ccv:criterionId' });
  });

  it('gives every term its own IRI and defines no term the schemas do not use', () => {
    const used = new Set<string>([...CATALOGUE_TYPES, 'id', 'type', 'ccv', 'xsd', '@version', '@protected']);
    for (const type of CATALOGUE_TYPES) for (const claim of claimsOf(credentialSchema(type)).keys()) used.add(claim);
    expect(Object.keys(citycred).filter((term) => !used.has(term))).toEqual([]);
    const iris = Object.keys(citycred)
      .filter((term) => !term.startsWith('@') && !['id', 'type', 'ccv', 'xsd'].includes(term))
      .map(termIri);
    expect(new Set(iris).size).toBe(iris.length);
  });

  it('does not redefine the protected terms of the VC context', () => {
    const vc = CONTEXTS.get(VC_V1_CONTEXT_URL)?.['@context'] as Record<string, unknown>;
    const clashes = Object.keys(citycred).filter(
      (term) => !term.startsWith('@') && term in vc && JSON.stringify(vc[term]) !== JSON.stringify(citycred[term]),
    );
    expect(clashes).toEqual([]);
  });
});
