import { exampleSubject } from '@citycred/credentials';
import { describe, expect, it } from 'vitest';
import type { PresentedCredential } from './model.js';
import { defaultPolicyRegistry } from './registry.js';

const AT = new Date('2026-06-01T12:00:00+09:00');

function presented(type: 'SeoulCitizenCard' | 'WorkExperience', claims: Record<string, unknown>, read: Set<string>): PresentedCredential {
  const watched = new Proxy(claims, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(`${type}.${key}`);
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { hash: `0x${'a'.repeat(64)}`, type, issuer: 'did:ethr:0x1111111111111111111111111111111111111111', claims: watched, issuedAt: new Date('2026-03-01T00:00:00+09:00'), validUntil: null };
}

// Presentations on which each criterion takes each of its paths: all claims disclosed, the age flag alone, the
// birth date alone, a younger holder, a holder elsewhere, a short work history.
const citizen = exampleSubject('SeoulCitizenCard') as unknown as Record<string, unknown>;
const work = exampleSubject('WorkExperience') as unknown as Record<string, unknown>;
const variants: Record<string, unknown>[][] = [
  [citizen, work],
  [{ ...citizen, birthDate: undefined }, work],
  [{ ageOver19: false, ageOver18: false }, { ...work, period: { start: '2026-01-01', end: '2026-01-31' } }],
  [{ birthDate: '2009-05-31', residence: { city: '부산광역시', district: '해운대구' } }, work],
  [{ name: citizen.name, personId: citizen.personId }, work],
];

describe('the shipped policies', () => {
  for (const policy of defaultPolicyRegistry().list()) {
    it(`${policy.id} reads only the claims it asks the wallet for`, () => {
      const asked = new Set(policy.requires.flatMap((r) => r.claims.map((claim) => `${r.type}.${claim}`)));
      for (const [card, experience] of variants) {
        const read = new Set<string>();
        policy.evaluate([presented('SeoulCitizenCard', card ?? {}, read), presented('WorkExperience', experience ?? {}, read)], AT);
        expect([...read].filter((claim) => !asked.has(claim))).toEqual([]);
      }
    });

    it(`${policy.id} never repeats personal data in a reason`, () => {
      const residence = citizen.residence as { district: string };
      const employer = work.employer as { name: string; representative: string };
      const period = work.period as { start: string; end: string };
      const personal = [
        citizen.name, citizen.personId, citizen.birthDate, citizen.residentSince, residence.district,
        employer.name, employer.representative, work.role, period.start, period.end, '2009-05-31', '부산', '해운대',
        '2001', '04-17', '4월 17일',
      ] as string[];
      for (const [card, experience] of variants) {
        const decision = policy.evaluate([presented('SeoulCitizenCard', card ?? {}, new Set()), presented('WorkExperience', experience ?? {}, new Set())], AT);
        for (const { reason } of decision.criteria) {
          expect(reason.ko.trim()).not.toBe('');
          expect(reason.en.trim()).not.toBe('');
          for (const value of personal) expect(`${reason.ko} ${reason.en}`).not.toContain(value);
        }
      }
    });
  }
});
