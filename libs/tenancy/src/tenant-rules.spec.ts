import { AppError } from '@citycred/errors';
import { readBusinessNumber } from '@citycred/labor';
import { describe, expect, it } from 'vitest';
import { DEMO_TENANTS } from './demo-tenants.js';
import { checkedBusinessNumber, typeIssues } from './tenant-rules.js';

/** The error `work` throws. */
function thrown(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

describe('checkedBusinessNumber', () => {
  it.each([
    ['123-45-67891', '123-45-67891'],
    ['1234567891', '123-45-67891'],
    [' 220 81 11115 ', '220-81-11115'],
  ])('keeps an employer\'s valid number %j as NNN-NN-NNNNN', (given, stored) => {
    expect(checkedBusinessNumber(given, 'employer')).toBe(stored);
  });

  it.each([
    ['123-45-67890', 'checksum'],
    ['223-45-67891', 'checksum'],
    ['12-345-67891', 'format'],
    ['123456789', 'format'],
    ['123-45-6789A', 'format'],
  ])('refuses %j with tenant.business-number-invalid (%s), never repeating the number', (given, reason) => {
    const error = thrown(() => checkedBusinessNumber(given, 'employer'));
    expect([error.code, error.status, error.extensions['reason']]).toEqual(['tenant.business-number-invalid', 400, reason]);
    expect(error.extensions['errors']).toEqual([{ pointer: '/businessNumber', message: expect.any(String) }]);
    expect(error.message).not.toContain(given.trim());
  });

  it('requires one of an employer, and refuses one of any other kind of tenant', () => {
    for (const missing of [undefined, '  ']) {
      const error = thrown(() => checkedBusinessNumber(missing, 'employer'));
      expect([error.code, error.extensions['errors']]).toEqual(['tenant.invalid', [{ pointer: '/businessNumber', message: expect.stringContaining('required for an employer') }]]);
    }
    expect(thrown(() => checkedBusinessNumber('123-45-67891', 'department')).code).toBe('tenant.invalid');
    expect(checkedBusinessNumber(undefined, 'department')).toBeNull();
    expect(checkedBusinessNumber(undefined, 'app')).toBeNull();
  });
});

describe('typeIssues: a department with no types of its own', () => {
  it('is refused unless it is allowed (a department that only accredits employers)', () => {
    expect(typeIssues([], 'department')).toEqual([{ pointer: '/types', message: 'needs at least one credential type' }]);
    expect(typeIssues([], 'department', '/types', { allowNone: true })).toEqual([]);
  });
});

describe('DEMO_TENANTS', () => {
  it('the labour department delegates the labour types; employment-insurance keeps its own and delegates none', () => {
    const bySlug = new Map(DEMO_TENANTS.map((t) => [t.slug, t]));
    expect(bySlug.get('labor')).toMatchObject({ kind: 'department', credentialTypes: [], delegatedTypes: ['LaborContract', 'WorkExperience'] });
    expect(bySlug.get('employment-insurance')).toMatchObject({ credentialTypes: ['EmploymentInsuranceStatus', 'SocialInsuranceEnrollment'] });
    expect(bySlug.get('employment-insurance')!.delegatedTypes).toBeUndefined();
  });

  it('every employer is accredited by labor and has a valid business registration number, as stored', () => {
    const employers = DEMO_TENANTS.filter((t) => t.kind === 'employer');
    expect(employers.map((t) => t.slug)).toEqual(['hangang-cafe', 'mangwon-bakery']);
    for (const employer of employers) {
      expect(employer.accreditedBy).toBe('labor');
      const reading = readBusinessNumber(employer.businessNumber!);
      expect(reading.ok && reading.formatted).toBe(employer.businessNumber);
    }
    expect(DEMO_TENANTS.filter((t) => t.kind !== 'employer').every((t) => t.businessNumber === undefined)).toBe(true);
  });
});
