import { credentialSchema, exampleSubject } from '@citycred/credentials';
import { disguisedResidentRegistrationNumbers } from '@citycred/testing';
import { describe, expect, it } from 'vitest';
import { claimRows, WITHHELD_VALUE } from './claim-rows.js';

describe('claimRows', () => {
  it('labels every claim of a catalogue credential with its schema title, also inside shared definitions', () => {
    for (const type of ['SeoulCitizenCard', 'SocialInsuranceEnrollment', 'LaborContract', 'WorkExperience'] as const) {
      const { id: _holder, ...claims } = exampleSubject(type) as unknown as Record<string, unknown>;
      const rows = claimRows(claims, credentialSchema(type));
      expect(rows.length).toBeGreaterThan(0);
      // Every level of every label is Korean (a raw claim name would be ASCII letters only).
      for (const row of rows) {
        for (const level of row.label.split(' · ')) expect(level, `${type}: ${row.label}`).toMatch(/[가-힣]|^\d+$/);
      }
    }
  });

  it('reads booleans as 예/아니오 and withholds what looks like a resident registration number', () => {
    const [written] = disguisedResidentRegistrationNumbers();
    expect(claimRows({ insured: true, note: written!.text })).toEqual([
      { label: 'insured', value: '예' },
      { label: 'note', value: WITHHELD_VALUE },
    ]);
  });
});
