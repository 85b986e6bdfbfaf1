import { readJsonAsset } from './assets.js';
import { CATALOGUE_TYPES, CREDENTIAL_TYPES, type CatalogueTypeName, type CredentialTypeName, credentialTypeInfo } from './catalogue.js';
import { deepFreeze } from './deep-freeze.js';

/** Base URL of CityCred's JSON Schemas; a schema's `$id` is this plus `<Type>.json`. */
export const SCHEMA_BASE_URL = 'https://schemas.citycred.seoul.go.kr/v1/';

/** `$id` of the shared definitions every credentialSubject schema references (`common.json#/$defs/...`). */
export const COMMON_SCHEMA_URL = `${SCHEMA_BASE_URL}common.json`;

/** A parsed JSON Schema (draft 2020-12) document as shipped in `assets/schemas/`. */
export interface JsonSchemaDocument {
  readonly $schema: string;
  readonly $id: string;
  readonly [keyword: string]: unknown;
}

const cache = new Map<string, JsonSchemaDocument>();

function loadSchema(file: string): JsonSchemaDocument {
  let schema = cache.get(file);
  if (schema === undefined) {
    schema = deepFreeze(readJsonAsset(`schemas/${file}`) as JsonSchemaDocument);
    cache.set(file, schema);
  }
  return schema;
}

/**
 * Returns the `$id` of a type's credentialSubject schema (or, for `AttendanceRecord`, of the event schema),
 * the value to put in a credential's `credentialSchema.id`.
 * @param type - a catalogue type name.
 * @returns `https://schemas.citycred.seoul.go.kr/v1/<Type>.json`.
 * @throws TypeError when `type` is not in the catalogue.
 */
export function credentialSchemaUrl(type: CatalogueTypeName): string {
  return `${SCHEMA_BASE_URL}${credentialTypeInfo(type).type}.json`;
}

/** Base of the SD-JWT VC type identifiers (`vct`) of the catalogue types. */
export const VCT_BASE_URL = 'https://schemas.citycred.seoul.go.kr/vct/';

/**
 * The SD-JWT VC type (`vct`) of a catalogue credential type, e.g. `https://schemas.citycred.seoul.go.kr/vct/SeoulCitizenCard`.
 * @param type - a catalogue credential type name.
 */
export function vctOf(type: CredentialTypeName): string {
  return `${VCT_BASE_URL}${credentialTypeInfo(type).type}`;
}

/**
 * The catalogue type an SD-JWT VC's `vct` names.
 * @returns the type name, or undefined when the `vct` is not one of the catalogue's
 */
export function typeOfVct(vct: string): CredentialTypeName | undefined {
  if (!vct.startsWith(VCT_BASE_URL)) return undefined;
  const name = vct.slice(VCT_BASE_URL.length);
  return (CREDENTIAL_TYPES as readonly string[]).includes(name) ? (name as CredentialTypeName) : undefined;
}

/**
 * Returns a type's credentialSubject JSON Schema, read from the package once and shared.
 * It references {@link COMMON_SCHEMA_URL}; use {@link schemaDocuments} to get both for another validator.
 * @param type - a catalogue type name.
 * @returns the parsed, deep-frozen schema.
 * @throws TypeError when `type` is not in the catalogue.
 */
export function credentialSchema(type: CatalogueTypeName): JsonSchemaDocument {
  return loadSchema(`${credentialTypeInfo(type).type}.json`);
}

/**
 * Returns the shared definitions schema ({@link COMMON_SCHEMA_URL}).
 * @returns the parsed, deep-frozen schema.
 */
export function commonSchema(): JsonSchemaDocument {
  return loadSchema('common.json');
}

/**
 * Returns every schema document this package ships (each catalogue type's and common.json), keyed by `$id`,
 * e.g. to serve them at their URLs or to load them into another validator.
 * @returns a new map from `$id` to deep-frozen schema.
 */
export function schemaDocuments(): ReadonlyMap<string, JsonSchemaDocument> {
  const documents = new Map<string, JsonSchemaDocument>([[COMMON_SCHEMA_URL, commonSchema()]]);
  for (const type of CATALOGUE_TYPES) documents.set(credentialSchemaUrl(type), credentialSchema(type));
  return documents;
}

/**
 * The schema a `$ref` into CityCred's shared definitions (`common.json#/$defs/<name>`, relative or by its full URL)
 * points at, followed through chains of such references; any other schema is returned as it is. For readers that
 * want what a claim is (its title, its properties) rather than to validate it.
 * @param schema - a (sub)schema, untrusted shape
 */
export function resolveSharedSchema(schema: unknown): unknown {
  let current = schema;
  for (let depth = 0; depth < 8; depth += 1) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return current;
    const ref = (current as Record<string, unknown>)['$ref'];
    if (typeof ref !== 'string') return current;
    const name = /^common\.json#\/\$defs\/([^/]+)$/.exec(ref.replace(COMMON_SCHEMA_URL, 'common.json'))?.[1];
    const definitions = commonSchema()['$defs'] as Record<string, unknown> | undefined;
    if (name === undefined || !definitions || !Object.hasOwn(definitions, name)) return current;
    current = definitions[name];
  }
  return current;
}
