import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dcqlQueryOf } from '../oid4vp/dcql.js';
import type { PresentationRequestResult } from '../oid4vp/oid4vp.service.js';
import type { PresentedCredential } from '../policies/index.js';
import { loadClientSecrets, parseOidcClients, providerClientMetadata, type OidcClientConfig } from './oidc-clients.js';
import { refusalOf, REFUSALS } from './refusal.js';
import { signInClaimsOf, signInPolicy, signInPolicyId, signInPolicyRegistry, signInScopesOf } from './sign-in-scopes.js';
import { SignInSubjects } from './subjects.js';

const card = (claims: Record<string, unknown>, issuedAt = new Date('2026-01-01T00:00:00Z')): PresentedCredential => ({
  hash: `0x${'ab'.repeat(32)}`,
  type: 'SeoulCitizenCard',
  issuer: 'did:ethr:citycred:0x1',
  claims,
  issuedAt,
  validUntil: null,
});

describe('sign-in scopes and policies', () => {
  it('reads the sign-in scopes of a scope parameter, in a fixed order, without openid or unknown ones', () => {
    expect(signInScopesOf('openid name age_over_19 profile')).toEqual(['age_over_19', 'name']);
    expect(signInScopesOf(undefined)).toEqual([]);
    expect(signInPolicyId(['name', 'age_over_19'])).toBe('sign-in.age-over-19.name');
    expect(signInPolicyId([])).toBe('sign-in');
  });

  it('asks the wallet for the personId and each scope’s claims only', () => {
    expect(dcqlQueryOf(signInPolicy([])).credentials[0]).toMatchObject({ format: 'dc+sd-jwt', claims: [{ path: ['personId'] }] });
    const query = dcqlQueryOf(signInPolicy(['age_over_19', 'seoul_resident'])).credentials[0]!;
    expect(query.claims!.map((c) => c.path[0])).toEqual(['personId', 'ageOver19', 'birthDate', 'residence']);
    expect(query.claim_sets).toEqual([
      ['personId', 'ageOver19', 'residence'],
      ['personId', 'birthDate', 'residence'],
    ]);
    expect(signInPolicyRegistry().list()).toHaveLength(16);
  });

  it('is satisfied by a card with what the scopes need, and refuses an under-19 card or an undisclosed personId with a reason', () => {
    const at = new Date('2026-06-01T00:00:00Z');
    const policy = signInPolicy(['age_over_19', 'name']);
    expect(policy.evaluate([card({ personId: 'p1', ageOver19: true, name: '김서연' })], at).satisfied).toBe(true);
    const young = policy.evaluate([card({ personId: 'p1', ageOver19: false, name: '김서연' })], at);
    expect(young.satisfied).toBe(false);
    expect(young.criteria.find((c) => c.result === 'failed')!.reason.en).toMatch(/under 19/);
    expect(policy.evaluate([card({ ageOver19: true, name: '김서연' })], at).criteria[0]).toMatchObject({ id: 'sign-in.person-id', result: 'failed' });
  });

  it('releases the scopes’ claims only: flags as true, the name as disclosed', () => {
    const presented = card({ personId: 'p1', ageOver19: true, name: '김서연', birthDate: '2001-04-12' });
    expect(signInClaimsOf(['age_over_19'], presented)).toEqual({ age_over_19: true });
    expect(signInClaimsOf(['name', 'seoul_resident'], presented)).toEqual({ seoul_resident: true, name: '김서연' });
    expect(signInClaimsOf([], presented)).toEqual({});
  });
});

describe('SignInSubjects', () => {
  const subjects = new SignInSubjects(Buffer.alloc(32, 1), Buffer.alloc(32, 2));

  it('derives a stable account from a personId, and a pairwise subject per sector', () => {
    const account = subjects.accountOf('3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b');
    expect(account).toBe(subjects.accountOf('3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b'));
    expect(account).not.toContain('3f8e2a4c');
    expect(account).not.toBe(new SignInSubjects(Buffer.alloc(32, 3), Buffer.alloc(32, 2)).accountOf('3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b'));
    expect(subjects.pairwiseSubject('pool.example.kr', account)).toBe(subjects.pairwiseSubject('POOL.example.kr', account));
    expect(subjects.pairwiseSubject('pool.example.kr', account)).not.toBe(subjects.pairwiseSubject('library.example.kr', account));
    expect(subjects.pairwiseSubject('pool.example.kr', account)).not.toBe(account);
  });

  it('refuses short secrets', () => {
    expect(() => new SignInSubjects(Buffer.alloc(16), Buffer.alloc(32))).toThrow(RangeError);
  });
});

describe('the clients file', () => {
  const good: OidcClientConfig = { clientId: 'pool', name: { ko: '수영장', en: 'Pool' }, redirectUris: ['https://pool.example.kr/cb'], scopes: ['age_over_19'], tokenEndpointAuthMethod: 'client_secret_basic' };

  it('reads a good file and names every problem of a bad one', () => {
    expect(parseOidcClients({ clients: [good] })).toMatchObject({ ok: true, clients: [good] });
    const bad = parseOidcClients({
      clients: [
        { ...good, redirectUris: ['http://pool.example.kr/cb'] },
        { ...good, clientId: 'two', redirectUris: ['https://a.example.kr/cb', 'https://b.example.kr/cb'] },
        { ...good, clientId: 'three', scopes: ['email'] },
        { ...good, clientId: 'four', tokenEndpointAuthMethod: 'private_key_jwt' },
        { ...good, clientId: 'five', tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'private' }] } },
      ],
    });
    expect(bad.ok).toBe(false);
    const problems = (bad as { problems: string[] }).problems.join('\n');
    expect(problems).toMatch(/clients\.0\.redirectUris\.0: must be an https URL/);
    expect(problems).toMatch(/clients\.1\.redirectUris: must all be on one host/);
    expect(problems).toMatch(/clients\.2\.scopes\.0/);
    expect(problems).toMatch(/clients\.3\.jwks: is required for private_key_jwt/);
    expect(problems).toMatch(/clients\.4\.jwks\.keys\.0: must be a public key/);
    expect(parseOidcClients({ clients: [good, good] })).toEqual({ ok: false, problems: ['clients: client pool is listed twice'] });
    expect(parseOidcClients({ clients: [{ ...good, redirectUris: ['http://127.0.0.1:5000/cb'] }] }).ok).toBe(true);
  });

  it('takes a secret from the environment, else from its private file, made once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oidc-secrets-'));
    try {
      const clients = [good, { ...good, clientId: 'other' }, { ...good, clientId: 'keyed', tokenEndpointAuthMethod: 'private_key_jwt' as const, jwks: { keys: [{ kty: 'EC' }] } }];
      const first = loadClientSecrets(clients, { pool: 'p'.repeat(32) }, join(dir, 'secrets'), () => undefined);
      expect(first.secrets.get('pool')).toBe('p'.repeat(32));
      expect(first.secrets.has('keyed')).toBe(false);
      const made = first.secrets.get('other')!;
      expect(made).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(readFileSync(join(dir, 'secrets', 'other.secret'), 'utf8').trim()).toBe(made);
      expect(statSync(join(dir, 'secrets', 'other.secret')).mode & 0o077).toBe(0);
      expect(loadClientSecrets(clients, {}, join(dir, 'secrets'), () => undefined).secrets.get('other')).toBe(made);
      expect(providerClientMetadata(good, first)).toMatchObject({ client_id: 'pool', client_secret: 'p'.repeat(32), response_types: ['code'], subject_type: 'pairwise', scope: 'openid age_over_19' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('refusalOf', () => {
  const base: PresentationRequestResult = { verified: false, errors: [], presentations: [] };
  const withStatus = (detail: string): PresentationRequestResult => ({
    ...base,
    presentations: [{ credentialQueryId: 'SeoulCitizenCard', verified: false, checks: [], errors: [], warnings: [], credentials: [{ verified: false, checks: [{ id: 'status', status: 'failed', detail }], errors: [], warnings: [] }] }],
  });

  it('says why: revoked, suspended, declined, a policy’s reason, or not verified', () => {
    expect(refusalOf(withStatus("revoked: the issuer's signed status list token says so for the credential's entry"))).toBe(REFUSALS.revoked);
    expect(refusalOf(withStatus("revoked and suspended: the issuer's signed status list sets the credential's entry"))).toBe(REFUSALS.revoked);
    expect(refusalOf(withStatus("suspended: the issuer's signed status list sets the credential's entry"))).toBe(REFUSALS.suspended);
    expect(refusalOf(withStatus('the revocation list cannot be trusted'))).toBe(REFUSALS.notVerified);
    expect(refusalOf({ ...base, walletError: { error: 'access_denied' } })).toBe(REFUSALS.declined);
    const reason = { ko: '서울특별시 거주자가 아닙니다.', en: 'The holder does not live in Seoul.' };
    expect(refusalOf({ ...base, decision: { policy: { id: 'sign-in.seoul-resident', version: '1' }, satisfied: false, criteria: [{ id: 'seoul-resident', result: 'failed', reason, evidenceHash: null }] } })).toBe(reason);
    expect(refusalOf(base)).toBe(REFUSALS.notVerified);
  });
});
