/**
 * What the issue form needs from a credential type's JSON Schema (draft 2020-12): the fields to draw (with `$ref`,
 * `allOf` and `if`/`then`/`else` folded in for the value being typed), the value to send, and a validator for the
 * keywords the catalogue's schemas use, so the form refuses what the server would before it is sent. The server
 * stays the judge: it validates again and its errors are shown by JSON pointer.
 *
 * `$ref` resolves only inside the document: `#/…` pointers, and other documents (`common.json#/$defs/x`) when they
 * are bundled in it (a `$defs` entry whose `$id` names them), else by the definition's name in the root's `$defs`.
 * Nothing is ever fetched.
 */
import type { JsonSchema } from './api.js';

/** A schema node together with the document its `#/…` references resolve in. */
export interface Located {
  node: JsonSchema;
  doc: JsonSchema;
}

/** What the user typed, shaped like the subject: text of inputs, booleans of checkboxes, objects, arrays. */
export type Raw = string | boolean | RawObject | Raw[];
/** An object of the form's state. */
export interface RawObject {
  [key: string]: Raw;
}

/** A schema keyword a value breaks, at a JSON pointer into the subject. */
export interface Violation {
  pointer: string;
  keyword: string;
  /** The keyword's limit, for the message (e.g. minimum's number). */
  limit?: number;
}

/** One schema node with `$ref`, `allOf` and conditionals folded in. */
export interface FlatSchema {
  types?: string[];
  title?: string;
  description?: string;
  enum?: unknown[];
  hasConst: boolean;
  const?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  /** Each property's schemas, in the order they first appear. */
  properties: Map<string, Located[]>;
  required: Set<string>;
  items: Located[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function decodePointerToken(token: string): string {
  return decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
}

function atPointer(doc: JsonSchema, pointer: string): JsonSchema | undefined {
  let node: unknown = doc;
  for (const token of pointer.split('/').slice(1)) {
    if (!isObject(node)) return undefined;
    node = node[decodePointerToken(token)];
  }
  return isObject(node) ? node : undefined;
}

/** Finds a bundled document by its `$id` (exact, or ending with the reference's file name). */
function bundled(root: JsonSchema, base: string): JsonSchema | undefined {
  const seen = new Set<unknown>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isObject(node) || seen.has(node)) continue;
    seen.add(node);
    const id = node['$id'];
    if (typeof id === 'string' && node !== root && (id === base || id.endsWith(`/${base.split('/').pop()}`))) return node;
    for (const value of Object.values(node)) if (typeof value === 'object') stack.push(value);
  }
  return undefined;
}

/**
 * Resolves a `$ref` found in `doc` (whose outermost document is `root`).
 * @returns the target, or undefined when it is not in the document
 */
export function resolveRef(ref: string, doc: JsonSchema, root: JsonSchema): Located | undefined {
  const hash = ref.indexOf('#');
  const base = hash === -1 ? ref : ref.slice(0, hash);
  const pointer = hash === -1 ? '' : ref.slice(hash + 1);
  let target: JsonSchema = doc;
  if (base !== '') {
    const found = bundled(root, base);
    if (found) target = found;
    else {
      // Not bundled: the server may have inlined the shared definitions into the root's `$defs`.
      const name = pointer.match(/^\/\$defs\/([^/]+)$/)?.[1];
      const local = name ? atPointer(root, `/$defs/${name}`) : undefined;
      return local ? { node: local, doc: root } : undefined;
    }
  }
  const node = pointer === '' ? target : atPointer(target, pointer);
  if (node) return { node, doc: target };
  // A `#/$defs/x` reference inside a definition that was inlined into the root.
  const local = atPointer(root, pointer);
  return local ? { node: local, doc: root } : undefined;
}

function typesOf(node: JsonSchema): string[] | undefined {
  const type = node['type'];
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return undefined;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * Folds a schema node into one {@link FlatSchema}: its own keywords first (their `title`/`description` win over
 * those of what they reference), then `$ref`, `allOf`, and `then` or `else` depending on whether `value` meets `if`.
 * @param value - the value typed so far at this node (decides conditionals)
 */
export function flatten(located: Located[], root: JsonSchema, value: unknown): FlatSchema {
  const flat: FlatSchema = { hasConst: false, properties: new Map(), required: new Set(), items: [] };
  const visit = ({ node, doc }: Located, depth: number): void => {
    if (depth > 32) return;
    if (flat.title === undefined && typeof node['title'] === 'string') flat.title = node['title'];
    if (flat.description === undefined && typeof node['description'] === 'string') flat.description = node['description'];
    const types = typesOf(node);
    if (types) flat.types = flat.types ? flat.types.filter((t) => types.includes(t) || (t === 'integer' && types.includes('number'))) : types;
    if (Array.isArray(node['enum'])) flat.enum = flat.enum ? flat.enum.filter((v) => (node['enum'] as unknown[]).includes(v)) : [...(node['enum'] as unknown[])];
    if ('const' in node) {
      flat.hasConst = true;
      flat.const = node['const'];
    }
    if (typeof node['format'] === 'string' && flat.format === undefined) flat.format = node['format'];
    const tighter = (key: 'minLength' | 'minimum' | 'exclusiveMinimum' | 'minItems', pick: (a: number, b: number) => number) => {
      const v = num(node[key]);
      if (v !== undefined) flat[key] = flat[key] === undefined ? v : pick(flat[key]!, v);
    };
    tighter('minLength', Math.max);
    tighter('minimum', Math.max);
    tighter('exclusiveMinimum', Math.max);
    tighter('minItems', Math.max);
    for (const key of ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems'] as const) {
      const v = num(node[key]);
      if (v !== undefined) flat[key] = flat[key] === undefined ? v : Math.min(flat[key]!, v);
    }
    if (isObject(node['properties'])) {
      for (const [key, sub] of Object.entries(node['properties'])) {
        if (!isObject(sub)) continue;
        const list = flat.properties.get(key) ?? [];
        list.push({ node: sub, doc });
        flat.properties.set(key, list);
      }
    }
    if (Array.isArray(node['required'])) for (const key of node['required']) if (typeof key === 'string') flat.required.add(key);
    if (isObject(node['items'])) flat.items.push({ node: node['items'], doc });
    if (typeof node['$ref'] === 'string') {
      const target = resolveRef(node['$ref'], doc, root);
      if (target) visit(target, depth + 1);
    }
    if (Array.isArray(node['allOf'])) for (const sub of node['allOf']) if (isObject(sub)) visit({ node: sub, doc }, depth + 1);
    if (isObject(node['if'])) {
      const branch = validate([{ node: node['if'], doc }], root, value).length === 0 ? node['then'] : node['else'];
      if (isObject(branch)) visit({ node: branch, doc }, depth + 1);
    }
  };
  for (const entry of located) visit(entry, 0);
  return flat;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Whether `text` meets a `format` (unknown formats pass, as JSON Schema's annotation default). */
function formatViolation(format: string, text: string): string | undefined {
  switch (format) {
    case 'date':
      return isCalendarDate(text) ? undefined : 'date';
    case 'date-time':
      return DATE_TIME.test(text) && isCalendarDate(text.slice(0, 10)) ? undefined : 'dateTime';
    case 'uuid':
      return UUID.test(text) ? undefined : 'uuid';
    case 'email':
      return EMAIL.test(text) ? undefined : 'email';
    case 'uri':
      return /^[a-z][a-z0-9+.-]*:\S+$/i.test(text) ? undefined : 'uri';
    default:
      return undefined;
  }
}

const patternCache = new Map<string, RegExp | null>();
function patternOf(source: string): RegExp | null {
  if (!patternCache.has(source)) {
    try {
      patternCache.set(source, new RegExp(source, 'u'));
    } catch {
      // A pattern this browser cannot compile is left to the server.
      patternCache.set(source, null);
    }
  }
  return patternCache.get(source)!;
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return true;
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Checks `value` against schema nodes (all must hold) for the keywords CityCred's schemas use: `$ref`, `allOf`,
 * `anyOf`, `oneOf`, `not`, `if`/`then`/`else`, `type`, `enum`, `const`, string lengths (in code points),
 * `pattern`, `format` (date, date-time, uuid, email, uri), number bounds, `properties`, `required`,
 * `additionalProperties: false`, `items`, `minItems`, `maxItems`.
 * @returns every violation, by JSON pointer; a missing required property is reported at its own pointer
 */
export function validate(located: Located[], root: JsonSchema, value: unknown, pointer = ''): Violation[] {
  const out: Violation[] = [];
  const check = ({ node, doc }: Located, at: string, v: unknown, depth: number): void => {
    if (depth > 64) return;
    if (typeof node['$ref'] === 'string') {
      const target = resolveRef(node['$ref'], doc, root);
      if (target) check(target, at, v, depth + 1);
    }
    const types = typesOf(node);
    if (types && !types.some((t) => typeMatches(t, v))) {
      out.push({ pointer: at, keyword: types.includes('integer') && typeof v === 'number' ? 'integer' : 'type' });
      return;
    }
    if (Array.isArray(node['enum']) && !node['enum'].some((e) => sameJson(e, v))) out.push({ pointer: at, keyword: 'enum' });
    if ('const' in node && !sameJson(node['const'], v)) out.push({ pointer: at, keyword: 'const' });
    if (typeof v === 'string') {
      const length = [...v].length;
      const min = num(node['minLength']);
      const max = num(node['maxLength']);
      if (min !== undefined && length < min) out.push({ pointer: at, keyword: 'minLength', limit: min });
      if (max !== undefined && length > max) out.push({ pointer: at, keyword: 'maxLength', limit: max });
      if (typeof node['pattern'] === 'string') {
        const regex = patternOf(node['pattern']);
        if (regex && !regex.test(v)) out.push({ pointer: at, keyword: 'pattern' });
      }
      if (typeof node['format'] === 'string') {
        const broken = formatViolation(node['format'], v);
        if (broken) out.push({ pointer: at, keyword: broken });
      }
    }
    if (typeof v === 'number') {
      for (const [key, fails] of [
        ['minimum', (n: number) => v < n],
        ['maximum', (n: number) => v > n],
        ['exclusiveMinimum', (n: number) => v <= n],
        ['exclusiveMaximum', (n: number) => v >= n],
      ] as const) {
        const limit = num(node[key]);
        if (limit !== undefined && fails(limit)) out.push({ pointer: at, keyword: key, limit });
      }
    }
    if (isObject(v)) {
      const properties = isObject(node['properties']) ? node['properties'] : {};
      if (Array.isArray(node['required'])) {
        for (const key of node['required']) if (typeof key === 'string' && !(key in v)) out.push({ pointer: `${at}/${escape(key)}`, keyword: 'required' });
      }
      for (const [key, sub] of Object.entries(properties)) if (key in v && isObject(sub)) check({ node: sub, doc }, `${at}/${escape(key)}`, v[key], depth + 1);
      if (node['additionalProperties'] === false) {
        for (const key of Object.keys(v)) if (!(key in properties)) out.push({ pointer: `${at}/${escape(key)}`, keyword: 'additionalProperties' });
      }
    }
    if (Array.isArray(v)) {
      const min = num(node['minItems']);
      const max = num(node['maxItems']);
      if (min !== undefined && v.length < min) out.push({ pointer: at, keyword: 'minItems', limit: min });
      if (max !== undefined && v.length > max) out.push({ pointer: at, keyword: 'maxItems', limit: max });
      const items = node['items'];
      if (isObject(items)) v.forEach((item, i) => check({ node: items, doc }, `${at}/${i}`, item, depth + 1));
    }
    if (Array.isArray(node['allOf'])) for (const sub of node['allOf']) if (isObject(sub)) check({ node: sub, doc }, at, v, depth + 1);
    if (Array.isArray(node['anyOf'])) {
      const options = node['anyOf'].filter(isObject);
      if (options.length > 0 && !options.some((sub) => validate([{ node: sub, doc }], root, v).length === 0)) out.push({ pointer: at, keyword: 'type' });
    }
    if (Array.isArray(node['oneOf'])) {
      const options = node['oneOf'].filter(isObject);
      if (options.length > 0 && options.filter((sub) => validate([{ node: sub, doc }], root, v).length === 0).length !== 1) out.push({ pointer: at, keyword: 'type' });
    }
    if (isObject(node['not']) && validate([{ node: node['not'], doc }], root, v).length === 0) out.push({ pointer: at, keyword: 'type' });
    if (isObject(node['if'])) {
      const branch = validate([{ node: node['if'], doc }], root, v).length === 0 ? node['then'] : node['else'];
      if (isObject(branch)) check({ node: branch, doc }, at, v, depth + 1);
    }
  };
  for (const entry of located) check(entry, pointer, value, 0);
  return out;
}

/** A JSON pointer token for a property name. */
export function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** How the form draws a field. */
export type FieldKind = 'object' | 'array' | 'enum' | 'boolean' | 'integer' | 'number' | 'date' | 'date-time' | 'text';

/** The kind of field a flattened schema calls for. */
export function fieldKind(flat: FlatSchema): FieldKind {
  const types = flat.types ?? [];
  if (flat.enum && flat.enum.length > 0) return 'enum';
  if (types.includes('object') || (types.length === 0 && flat.properties.size > 0)) return 'object';
  if (types.includes('array') || (types.length === 0 && flat.items.length > 0)) return 'array';
  if (types.includes('boolean')) return 'boolean';
  if (types.includes('integer')) return 'integer';
  if (types.includes('number')) return 'number';
  if (flat.format === 'date') return 'date';
  if (flat.format === 'date-time') return 'date-time';
  return 'text';
}

/** The properties the form asks for: all of the schema's but the holder's `id` (the issue form has its own field). */
export function formProperties(flat: FlatSchema, top: boolean): string[] {
  return [...flat.properties.keys()].filter((key) => !(top && key === 'id'));
}

/** The form's starting state for a schema: required booleans unchecked (false), everything else empty. */
export function initialRaw(located: Located[], root: JsonSchema, top = false): Raw {
  const flat = flatten(located, root, undefined);
  const kind = fieldKind(flat);
  if (kind === 'object') {
    const out: RawObject = {};
    for (const key of formProperties(flat, top)) {
      const sub = flatten(flat.properties.get(key)!, root, undefined);
      const subKind = fieldKind(sub);
      if (subKind === 'object') out[key] = initialRaw(flat.properties.get(key)!, root);
      else if (subKind === 'array') out[key] = [];
      else if (subKind === 'boolean' && flat.required.has(key)) out[key] = false;
      else out[key] = '';
    }
    return out;
  }
  if (kind === 'array') return [];
  return kind === 'boolean' ? false : '';
}

/**
 * The value to send from what was typed: empty inputs are left out, numbers parsed, `date-time` inputs (local,
 * as `datetime-local` gives them) turned into ISO instants. Text that is not a number stays text, so validation
 * reports it.
 */
export function buildValue(located: Located[], root: JsonSchema, raw: Raw, where: { top?: boolean; required?: boolean } = {}): unknown {
  const top = where.top === true;
  const flat = flatten(located, root, undefined);
  const kind = fieldKind(flat);
  if (kind === 'object') {
    const source = isObject(raw) ? (raw as RawObject) : {};
    const out: Record<string, unknown> = {};
    // Conditionals depend on the values, so the schema is folded again with a first draft of the object.
    const draft: Record<string, unknown> = {};
    for (const key of formProperties(flat, top)) if (key in source) draft[key] = buildValue(flat.properties.get(key)!, root, source[key]!, { required: flat.required.has(key) });
    const refined = flatten(located, root, draft);
    for (const key of formProperties(refined, top)) {
      if (!(key in source)) continue;
      const value = buildValue(refined.properties.get(key)!, root, source[key]!, { required: refined.required.has(key) });
      if (value !== undefined) out[key] = value;
    }
    // An optional object left empty is left out; a required one is sent so its own missing members are named.
    return Object.keys(out).length === 0 && !top && !where.required ? undefined : out;
  }
  if (kind === 'array') {
    if (!Array.isArray(raw) || (raw.length === 0 && !where.required)) return undefined;
    return raw.map((item) => buildValue(flat.items, root, item, { required: true }) ?? '');
  }
  if (kind === 'boolean') return typeof raw === 'boolean' ? raw : raw === 'true' ? true : raw === 'false' ? false : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  if (kind === 'enum') {
    const match = flat.enum!.find((option) => String(option) === raw);
    return match === undefined ? raw : match;
  }
  if (kind === 'integer' || kind === 'number') {
    const n = Number(raw.trim());
    return Number.isFinite(n) ? n : raw;
  }
  if (kind === 'date-time') {
    const date = new Date(raw);
    return Number.isNaN(date.getTime()) ? raw : date.toISOString();
  }
  return raw;
}
