import { commonSchema, credentialSchema, exampleSubject } from '@citycred/credentials';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from './api.js';
import { buildValue, fieldKind, flatten, initialRaw, validate, type Located, type RawObject } from './schema.js';

/** A subject schema as a server may send it: the shared definitions bundled under `$defs` by their `$id`. */
function bundledSchema(type: Parameters<typeof credentialSchema>[0]): JsonSchema {
  const schema = structuredClone(credentialSchema(type)) as JsonSchema;
  const common = structuredClone(commonSchema()) as JsonSchema;
  return { ...schema, $defs: { [String(common['$id'])]: common } };
}

const at = (schema: JsonSchema): Located[] => [{ node: schema, doc: schema }];

describe('the issue form generated from a JSON Schema', () => {
  const card = bundledSchema('SeoulCitizenCard');

  it('draws each property as the field its schema calls for, following $ref into bundled definitions', () => {
    const flat = flatten(at(card), card, undefined);
    const kinds = Object.fromEntries([...flat.properties].map(([key, located]) => [key, fieldKind(flatten(located, card, undefined))]));
    expect(kinds).toEqual({
      id: 'text',
      personId: 'text',
      name: 'text',
      birthDate: 'date',
      ageOver15: 'boolean',
      ageOver18: 'boolean',
      ageOver19: 'boolean',
      residence: 'object',
      residentSince: 'date',
      photoHash: 'text',
    });
    expect([...flat.required]).toContain('residence');
  });

  it('turns the district into a choice of Seoul districts once the city is Seoul (if/then)', () => {
    const residence = flatten(at(card), card, undefined).properties.get('residence')!;
    const elsewhere = flatten(residence, card, { city: '부산광역시' }).properties.get('district')!;
    const seoul = flatten(residence, card, { city: '서울특별시' }).properties.get('district')!;
    expect(fieldKind(flatten(elsewhere, card, undefined))).toBe('text');
    const seoulDistrict = flatten(seoul, card, undefined);
    expect(fieldKind(seoulDistrict)).toBe('enum');
    expect(seoulDistrict.enum).toContain('마포구');
  });

  it('accepts the catalogue fixture typed into the form and sends it unchanged', () => {
    const { id: _holder, ...claims } = exampleSubject('SeoulCitizenCard') as unknown as Record<string, unknown>;
    const raw = initialRaw(at(card), card, true) as RawObject;
    const typed: RawObject = { ...raw };
    for (const [key, value] of Object.entries(claims)) typed[key] = typeof value === 'object' ? (value as RawObject) : (value as string | boolean);
    const subject = buildValue(at(card), card, typed, { top: true });
    expect(subject).toEqual(claims);
    expect(validate(at(card), card, subject)).toEqual([]);
  });

  it('names what the server would refuse, by JSON pointer', () => {
    const raw = initialRaw(at(card), card, true) as RawObject;
    const typed: RawObject = { ...raw, name: '<b>', birthDate: '2001-02-30', residence: { city: '서울특별시', district: '해운대구' } };
    const subject = buildValue(at(card), card, typed, { top: true });
    const found = validate(at(card), card, subject).map((v) => `${v.pointer} ${v.keyword}`);
    expect(found).toEqual(expect.arrayContaining(['/personId required', '/name pattern', '/birthDate date', '/residence/district enum', '/residentSince required']));
    expect(found).not.toContain('/ageOver18 required');
  });

  it('parses integers and checks their bounds', () => {
    const youth = bundledSchema('YouthAllowanceEligibility');
    const year = flatten(at(youth), youth, undefined).properties.get('programYear')!;
    expect(fieldKind(flatten(year, youth, undefined))).toBe('integer');
    expect(buildValue(year, youth, '2026')).toBe(2026);
    expect(validate(year, youth, buildValue(year, youth, '1999')).map((v) => [v.keyword, v.limit])).toEqual([['minimum', 2020]]);
    expect(validate(year, youth, buildValue(year, youth, '2026.5')).map((v) => v.keyword)).toEqual(['integer']);
    expect(validate(year, youth, buildValue(year, youth, 'abc')).map((v) => v.keyword)).toEqual(['type']);
  });

  it('reads titles as labels and leaves an optional nested object out when it is empty', () => {
    const schema: JsonSchema = {
      type: 'object',
      required: ['level'],
      properties: {
        level: { title: '등급', enum: ['gold', 'silver'] },
        address: { type: 'object', properties: { city: { type: 'string', title: '도시' } } },
      },
    };
    const flat = flatten(at(schema), schema, undefined);
    expect(flatten(flat.properties.get('level')!, schema, undefined).title).toBe('등급');
    expect(buildValue(at(schema), schema, { level: 'gold', address: { city: '' } }, { top: true })).toEqual({ level: 'gold' });
  });
});
