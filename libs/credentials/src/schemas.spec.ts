import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_TYPES, CREDENTIAL_TYPES, credentialTypeInfo } from './catalogue.js';
import {
  COMMON_SCHEMA_URL,
  commonSchema,
  credentialSchema,
  credentialSchemaUrl,
  SCHEMA_BASE_URL,
  schemaDocuments,
} from './schemas.js';

type Schema = Record<string, unknown>;

/** Calls `visit` on every subschema of a document, with its JSON Pointer. */
function walk(node: unknown, pointer: string, visit: (schema: Schema, pointer: string) => void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    node.forEach((item, index) => walk(item, `${pointer}/${index}`, visit));
    return;
  }
  visit(node as Schema, pointer);
  for (const [key, child] of Object.entries(node)) {
    if (key !== 'enum' && key !== 'const') walk(child, `${pointer}/${key}`, visit);
  }
}

describe('credential schemas', () => {
  it.each(CATALOGUE_TYPES)('%s has its $id at the CityCred schema URL and is draft 2020-12', (type) => {
    const schema = credentialSchema(type);
    expect(credentialSchemaUrl(type)).toBe(`https://schemas.citycred.seoul.go.kr/v1/${type}.json`);
    expect(schema.$id).toBe(credentialSchemaUrl(type));
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('are valid against the draft 2020-12 meta-schema', () => {
    const ajv = new Ajv2020();
    for (const schema of schemaDocuments().values()) expect(ajv.validateSchema(schema), schema.$id).toBe(true);
  });

  it('close every object to unknown properties, including the shared definitions', () => {
    const open: string[] = [];
    for (const [url, document] of schemaDocuments()) {
      walk(document, '', (schema, pointer) => {
        const conditional = /\/(if|then|else)$/.test(pointer);
        const describesObject = schema['type'] === 'object' || (schema['properties'] !== undefined && !conditional);
        if (describesObject && schema['additionalProperties'] !== false) open.push(`${url}#${pointer}`);
      });
    }
    expect(open).toEqual([]);
  });

  it.each(CATALOGUE_TYPES)('%s is titled with its Korean catalogue label', (type) => {
    expect(credentialSchema(type)['title']).toBe(credentialTypeInfo(type).labels.ko);
  });

  it('give every property a Korean title, the label consoles and certificates show', () => {
    const untitled: string[] = [];
    for (const [url, document] of schemaDocuments()) {
      walk(document, '', (schema, pointer) => {
        // Conditional branches only narrow properties declared (and titled) beside them.
        if (/\/(if|then|else)$/.test(pointer)) return;
        for (const [name, property] of Object.entries((schema['properties'] ?? {}) as Record<string, Schema>)) {
          if (typeof property['title'] !== 'string' || !/[가-힣]/.test(property['title'])) untitled.push(`${url}#${pointer}/properties/${name}`);
        }
      });
    }
    expect(untitled).toEqual([]);
  });

  it.each(CREDENTIAL_TYPES)('%s accepts an optional holder DID as subject id', (type) => {
    type SubjectSchema = Schema & { properties: Record<string, Schema>; required: string[] };
    const schema = credentialSchema(type) as unknown as SubjectSchema;
    expect(schema.properties['id']?.['$ref']).toBe('common.json#/$defs/did');
    expect(schema.required).not.toContain('id');
    expect(schema['type']).toBe('object');
    expect(schema['additionalProperties']).toBe(false);
  });

  it('have no field that could hold a resident registration number', () => {
    const suspicious = /rrn|resident.?registration|registration.?number|jumin|ssn|nationalId/i;
    const fields: string[] = [];
    for (const document of schemaDocuments().values()) {
      walk(document, '', (schema) => {
        for (const name of Object.keys((schema['properties'] ?? {}) as Schema)) {
          if (suspicious.test(name) && name !== 'businessRegistrationNumber') fields.push(name);
        }
      });
    }
    expect(fields).toEqual([]);
    const personId = (commonSchema()['$defs'] as Record<string, Schema>)['personId'];
    expect(personId).toMatchObject({ type: 'string', format: 'uuid' });
  });

  it('publish every document at its $id, the shared definitions included', () => {
    const documents = schemaDocuments();
    expect(documents.size).toBe(CATALOGUE_TYPES.length + 1);
    expect(documents.get(COMMON_SCHEMA_URL)).toBe(commonSchema());
    for (const url of documents.keys()) expect(url.startsWith(SCHEMA_BASE_URL)).toBe(true);
  });

  it('hand out shared, frozen documents', () => {
    expect(credentialSchema('LaborContract')).toBe(credentialSchema('LaborContract'));
    expect(Object.isFrozen(credentialSchema('LaborContract')['properties'])).toBe(true);
  });

  it('refuse unknown type names', () => {
    expect(() => credentialSchemaUrl('Passport' as never)).toThrow(TypeError);
    expect(() => credentialSchema('Passport' as never)).toThrow(TypeError);
  });
});
