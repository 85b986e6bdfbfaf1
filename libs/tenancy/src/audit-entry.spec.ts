import { describe, expect, it } from 'vitest';
import { actorFromLabel, auditEntryHash, canonicalJson, checkAppend, GENESIS_HASH } from './audit-entry.js';

describe('audit entries', () => {
  it('serialises canonically: members sorted, no spaces, whatever order they were written in', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' } })).toBe('{"a":{"c":"x","d":[true,null]},"b":1}');
    expect(canonicalJson({ a: { c: 'x', d: [true, null] }, b: 1 })).toBe(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' } }));
    expect(canonicalJson({ '한': '서울', a: undefined })).toBe('{"한":"서울"}');
  });

  const first = {
    seq: 1,
    tenantId: '00000000-0000-4000-8000-000000000001',
    at: '2026-03-02T09:00:00.000Z',
    actor: { kind: 'operator' as const, id: 'admin' },
    action: 'credential.issued',
    target: 'urn:uuid:11111111-2222-4333-8444-555555555555',
    details: { type: 'SeoulCitizenCard', format: 'jwt_vc' },
    prevHash: GENESIS_HASH,
  };

  it('hashes a frozen vector: SHA-256 of the canonical JSON with v: 1 and prevHash', () => {
    // Frozen (computed with `printf '%s' … | sha256sum` over the string below): a change of the serialisation
    // breaks every chain already stored, so it must be deliberate.
    const serialised =
      '{"action":"credential.issued","actor":{"id":"admin","kind":"operator"},"at":"2026-03-02T09:00:00.000Z",' +
      '"details":{"format":"jwt_vc","type":"SeoulCitizenCard"},"prevHash":"' + GENESIS_HASH + '","seq":1,' +
      '"target":"urn:uuid:11111111-2222-4333-8444-555555555555","tenantId":"00000000-0000-4000-8000-000000000001","v":1}';
    expect(canonicalJson({ v: 1, ...first })).toBe(serialised);
    expect(auditEntryHash(first)).toBe('2a3a5a65e5a42ab2ff272de73f9ab5ca6a931249ff3709ca10dc08efbb2ad894');
  });

  it('changes the hash when any member, the previous hash included, changes', () => {
    const base = auditEntryHash(first);
    const variants = [
      { ...first, seq: 2 },
      { ...first, at: '2026-03-02T09:00:00.001Z' },
      { ...first, actor: { kind: 'api-key' as const, id: 'admin' } },
      { ...first, action: 'credential.revoked' },
      { ...first, target: null },
      { ...first, details: { type: 'SeoulCitizenCard', format: 'vc+jwt' } },
      { ...first, prevHash: '1'.repeat(64) },
      { ...first, tenantId: '00000000-0000-4000-8000-000000000002' },
    ];
    for (const variant of variants) expect(auditEntryHash(variant)).not.toBe(base);
  });

  it('refuses details that are not flat scalars, odd action names and resident registration numbers', () => {
    const ok = { tenantId: 't', actor: { kind: 'operator' as const, id: 'admin' }, action: 'credential.issued' };
    expect(() => checkAppend(ok)).not.toThrow();
    expect(() => checkAppend({ ...ok, action: 'Issued' })).toThrow(TypeError);
    expect(() => checkAppend({ ...ok, details: { claims: { name: 'x' } as never } })).toThrow(/scalar/);
    expect(() => checkAppend({ ...ok, details: { reason: '900101-1234567' } })).toThrow(/resident registration/);
    expect(() => checkAppend({ ...ok, target: '900101-1234567' })).toThrow(/resident registration/);
  });
});

describe('actorFromLabel', () => {
  it('reads the kind:id labels the status history writes', () => {
    expect(actorFromLabel('operator:a-issuer')).toEqual({ kind: 'operator', id: 'a-issuer' });
    expect(actorFromLabel('tenant:seoul-citizen')).toEqual({ kind: 'api-key', id: 'seoul-citizen' });
    expect(actorFromLabel('someone')).toEqual({ kind: 'system', id: 'someone' });
    expect(actorFromLabel('robot:x')).toEqual({ kind: 'system', id: 'robot:x' });
  });
});
