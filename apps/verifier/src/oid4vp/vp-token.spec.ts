import { describe, expect, it } from 'vitest';
import type { DcqlQuery } from './dcql.js';
import { MAX_PRESENTATIONS, readVpToken, readVpTokenObject } from './vp-token.js';

const single: DcqlQuery = { credentials: [{ id: 'SeoulCitizenCard', format: 'dc+sd-jwt', meta: { vct_values: ['v'] }, claims: [{ path: ['residence'] }] }] };
const multiple: DcqlQuery = { credentials: [{ id: 'WorkExperience', format: 'jwt_vc_json', meta: { type_values: [['VerifiableCredential', 'WorkExperience']] }, claims: [], multiple: true }] };

describe('readVpToken', () => {
  it('reads the 1.0 shape: query id → array of presentations, in query order', () => {
    expect(readVpToken(JSON.stringify({ SeoulCitizenCard: ['a~b~c'] }), single)).toEqual({ ok: true, presentations: [{ queryId: 'SeoulCitizenCard', presentation: 'a~b~c' }] });
    expect(readVpToken(JSON.stringify({ WorkExperience: ['x', 'y'] }), multiple)).toEqual({
      ok: true,
      presentations: [
        { queryId: 'WorkExperience', presentation: 'x' },
        { queryId: 'WorkExperience', presentation: 'y' },
      ],
    });
  });

  it.each([
    ['missing', undefined, /missing/],
    ['sent twice', ['{}', '{}'], /once/],
    ['not JSON', 'a~b~', /not JSON/],
    ['an array', '["a~b~"]', /object keyed/],
    ['null', 'null', /object keyed/],
    ['an unasked query', JSON.stringify({ SeoulCitizenCard: ['a'], Other: ['b'] }), /did not make/],
    ['an unanswered query', '{}', /does not answer/],
    ['a bare string', JSON.stringify({ SeoulCitizenCard: 'a' }), /non-empty array/],
    ['an empty array', JSON.stringify({ SeoulCitizenCard: [] }), /non-empty array/],
    ['two for a single query', JSON.stringify({ SeoulCitizenCard: ['a', 'b'] }), /one presentation/],
    ['an object presentation', JSON.stringify({ SeoulCitizenCard: [{ id: 'a' }] }), /as strings/],
  ])('refuses a vp_token that is %s', (_label, raw, reason) => {
    const reading = readVpToken(raw, single);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.description).toMatch(reason);
  });

  it('reads the member of a decrypted direct_post.jwt response, already JSON, by the same rules', () => {
    expect(readVpTokenObject({ SeoulCitizenCard: ['a~b~c'] }, single)).toEqual({ ok: true, presentations: [{ queryId: 'SeoulCitizenCard', presentation: 'a~b~c' }] });
    expect(readVpTokenObject(undefined, single)).toEqual({ ok: false, description: 'vp_token is missing' });
    expect(readVpTokenObject(['a~b~c'], single)).toMatchObject({ ok: false, description: expect.stringContaining('object keyed') });
    expect(readVpTokenObject({ SeoulCitizenCard: 'a~b~c' }, single)).toMatchObject({ ok: false, description: expect.stringContaining('non-empty array') });
  });

  it(`refuses more than ${MAX_PRESENTATIONS} presentations`, () => {
    const reading = readVpToken(JSON.stringify({ WorkExperience: Array.from({ length: MAX_PRESENTATIONS + 1 }, (_, i) => `p${i}`) }), multiple);
    expect(reading).toEqual({ ok: false, description: expect.stringContaining('more than') });
  });
});
