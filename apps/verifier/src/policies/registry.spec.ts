import { describe, expect, it } from 'vitest';
import { loadVerifierConfig, workHistoryConfigOf } from '../config.js';
import { composePolicy } from './compose.js';
import type { CredentialPolicy, PresentedCredential } from './model.js';
import { defaultPolicyRegistry, PolicyRegistry, PolicyRegistryError, PolicyRegistryErrorCode } from './registry.js';
import { seoulResidentCriterion } from './seoul-resident.js';

/** The work-history thresholds the verifier's configuration makes of `env`. */
const loadVerifierConfigOf = (env: Record<string, string>) => workHistoryConfigOf(loadVerifierConfig(env));

function policy(id: string, version: string): CredentialPolicy {
  return composePolicy({ id, version, title: { ko: id, en: id }, purpose: { ko: version, en: version }, criteria: [seoulResidentCriterion()] });
}

function refusal(action: () => unknown): PolicyRegistryError {
  try {
    action();
  } catch (error) {
    if (error instanceof PolicyRegistryError) return error;
    throw error;
  }
  throw new Error('expected a PolicyRegistryError');
}

describe('PolicyRegistry', () => {
  it('returns the newest version when none is asked for, by numeric order', () => {
    const registry = new PolicyRegistry(['1', '2', '1.10', '1.2'].map((version) => policy('resident-check', version)));
    expect(registry.get('resident-check')?.version).toBe('2');
    expect(registry.get('resident-check', '1.10')?.version).toBe('1.10');
    expect(registry.get('resident-check', '1.2')?.version).toBe('1.2');
    expect(registry.get('resident-check', '1.0')?.version).toBe('1');
  });

  it('answers undefined for an unknown id or version', () => {
    const registry = new PolicyRegistry([policy('resident-check', '1')]);
    expect(registry.get('resident')).toBeUndefined();
    expect(registry.get('resident-check', '3')).toBeUndefined();
    expect(registry.get('resident-check', 'latest')).toBeUndefined();
    expect(new PolicyRegistry().get('age-over-19')).toBeUndefined();
  });

  it('refuses a second policy with the same id and version, and keeps the first', () => {
    const registry = new PolicyRegistry([policy('resident-check', '1')]);
    const first = registry.get('resident-check');
    for (const version of ['1', '1.0', '1.0.0']) {
      const error = refusal(() => registry.register(policy('resident-check', version)));
      expect(error.code).toBe(PolicyRegistryErrorCode.Duplicate);
    }
    expect(registry.get('resident-check')).toBe(first);
    expect(registry.list()).toHaveLength(1);
    expect(refusal(() => new PolicyRegistry([policy('a', '2'), policy('a', '2')])).code).toBe('policy.duplicate');
  });

  it('takes the same version under another id', () => {
    const registry = new PolicyRegistry([policy('resident-check', '1')]);
    registry.register(policy('resident-check-strict', '1'));
    expect(registry.get('resident-check-strict')?.id).toBe('resident-check-strict');
  });

  it('refuses a version it cannot order', () => {
    const handWritten: CredentialPolicy = { ...policy('resident-check', '1'), version: '1.0-beta' };
    expect(refusal(() => new PolicyRegistry().register(handWritten)).code).toBe(PolicyRegistryErrorCode.MalformedVersion);
  });

  it('lists every version of every policy, by id then version', () => {
    const registry = new PolicyRegistry([policy('b-check', '2'), policy('a-check', '1'), policy('b-check', '1.5')]);
    expect(registry.list().map((p) => `${p.id}@${p.version}`)).toEqual(['a-check@1', 'b-check@1.5', 'b-check@2']);
  });
});

describe('defaultPolicyRegistry', () => {
  it('holds the shipped policies at version 1', () => {
    expect(defaultPolicyRegistry().list().map((p) => `${p.id}@${p.version}`)).toEqual(['age-over-18@1', 'age-over-19@1', 'seoul-resident@1', 'work-history@1']);
  });

  it('passes the work history threshold on', () => {
    const eightyNineDays: PresentedCredential = {
      hash: `0x${'a'.repeat(64)}`,
      type: 'WorkExperience',
      issuer: 'did:ethr:0x2222222222222222222222222222222222222222',
      claims: { period: { start: '2026-01-01', end: '2026-03-30' } },
      issuedAt: new Date('2026-04-01T00:00:00+09:00'),
      validUntil: null,
    };
    const at = new Date('2026-06-01T00:00:00+09:00');
    expect(defaultPolicyRegistry().get('work-history')?.evaluate([eightyNineDays], at).satisfied).toBe(false);
    expect(defaultPolicyRegistry({ workHistory: { minimumDays: 60 } }).get('work-history')?.evaluate([eightyNineDays], at).satisfied).toBe(true);
  });

  it('builds work-history with the configured threshold, at a version naming it', () => {
    const seven = defaultPolicyRegistry({ workHistory: loadVerifierConfigOf({ WORK_HISTORY_MINIMUM_DAYS: '7' }) });
    const policy = seven.get('work-history');
    expect(policy?.version).toBe('1.1.7');
    expect(seven.get('work-history', '1')).toBeUndefined();
    expect(policy?.purpose.en).toMatch(/^Confirms work experience credentials cover at least 7 days of work, and shows/);
    const week: PresentedCredential = {
      hash: `0x${'b'.repeat(64)}`,
      type: 'WorkExperience',
      issuer: 'did:ethr:0x2222222222222222222222222222222222222222',
      claims: { period: { start: '2026-05-01', end: '2026-05-07' } },
      issuedAt: new Date('2026-05-08T00:00:00+09:00'),
      validUntil: null,
    };
    const decision = policy!.evaluate([week], new Date('2026-06-01T00:00:00+09:00'));
    expect(decision).toMatchObject({ policy: { id: 'work-history', version: '1.1.7' }, satisfied: true });
    expect(decision.criteria[0]?.reason.en).toBe('The work periods cover 7 days, at least the 7 days required.');
    const withHours = defaultPolicyRegistry({ workHistory: loadVerifierConfigOf({ WORK_HISTORY_MINIMUM_HOURS: '120.5' }) }).get('work-history');
    expect([withHours?.version, withHours?.evaluate([week], new Date('2026-06-01T00:00:00+09:00')).criteria.map((c) => c.id)]).toEqual(['1.2.90.12050', ['work-history.minimum-duration', 'work-history.minimum-hours']]);
    expect(defaultPolicyRegistry({ workHistory: loadVerifierConfigOf({ WORK_HISTORY_MINIMUM_DAYS: '90' }) }).get('work-history')?.version).toBe('1');
  });
});
