import { describe, expect, it } from 'vitest';
import type { CatalogueTypeName } from './catalogue.js';
import { exampleSubject, invalidExamples } from './fixtures.js';
import type { SubjectByType } from './subjects.js';

describe('fixtures', () => {
  it('returns a deep copy the caller may change', () => {
    const card = exampleSubject('SeoulCitizenCard') as { residence: { district: string } };
    card.residence.district = '강남구';
    expect(exampleSubject('SeoulCitizenCard').residence.district).toBe('마포구');
  });

  it('uses fictitious people with Korean names and opaque person ids', () => {
    const card = exampleSubject('SeoulCitizenCard');
    expect(card.name).toMatch(/^[\uAC00-\uD7A3]{2,4}$/);
    expect(card.personId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(exampleSubject('LaborContract').worker.personId).toBe(card.personId);
  });

  it('returns no invalid examples for a type that has none, and copies for one that has', () => {
    expect(invalidExamples('IncomeBracket')).toEqual([]);
    const examples = invalidExamples('SeoulCitizenCard');
    (examples[0] as { description: string }).description = 'changed';
    expect(invalidExamples('SeoulCitizenCard')[0]?.description).not.toBe('changed');
  });

  it('types the example by its catalogue name', () => {
    const keys: Record<keyof SubjectByType, true> = {
      SeoulCitizenCard: true,
      EnrollmentStatus: true,
      IncomeBracket: true,
      EmploymentInsuranceStatus: true,
      SocialInsuranceEnrollment: true,
      YouthAllowanceEligibility: true,
      LaborContract: true,
      WorkExperience: true,
      RentalStatus: true,
      AttendanceRecord: true,
    };
    const names: CatalogueTypeName[] = Object.keys(keys) as (keyof SubjectByType)[];
    expect(names).toHaveLength(10);
    expect(exampleSubject('YouthAllowanceEligibility').monthlyAmountKrw).toBe(500000);
  });
});
