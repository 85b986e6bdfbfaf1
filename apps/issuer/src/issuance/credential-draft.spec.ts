import { AppError } from '@citycred/errors';
import { describe, expect, it } from 'vitest';
import { completeCredential, type DraftDecisions } from './credential-draft.js';

const DID = 'did:ethr:citycred:0x02aa';
const V1 = 'https://www.w3.org/2018/credentials/v1';
const V2 = 'https://www.w3.org/ns/credentials/v2';
const NOW = new Date('2026-03-01T09:00:00Z');

const decisions = (overrides: Partial<DraftDecisions> = {}): DraftDecisions => ({
  issuerDid: DID,
  now: NOW,
  skewSeconds: 60,
  maxValidity: 'P1Y',
  newId: () => 'urn:uuid:00000000-0000-4000-8000-000000000001',
  extraContexts: ['https://contexts.citycred.seoul.go.kr/v1'],
  extensionMembers: false,
  managed: { credentialStatus: true, credentialSchema: { id: 'https://schemas.example/T.json', type: 'JsonSchema' } },
  ...overrides,
});

const v1 = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ '@context': [V1], type: ['VerifiableCredential', 'T'], issuer: DID, credentialSubject: { id: 'did:jwk:abc', a: 1 }, ...extra });
const v2 = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ '@context': [V2], type: ['VerifiableCredential', 'T'], issuer: { id: DID, name: 'Dept' }, credentialSubject: { a: 1 }, ...extra });

function problems(run: () => unknown): Array<{ pointer: string; message: string }> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('credential.invalid');
    return (error as AppError).extensions['errors'] as Array<{ pointer: string; message: string }>;
  }
  throw new Error('expected credential.invalid');
}

describe('completeCredential', () => {
  it('fills in only what is missing for a VCDM 1.1 credential: id, issuance date, maximum expiry, contexts, schema', () => {
    const draft = completeCredential(v1(), decisions());
    expect(draft.dataModel).toBe('1.1');
    expect(draft.credential).toEqual({
      '@context': [V1, 'https://contexts.citycred.seoul.go.kr/v1'],
      id: 'urn:uuid:00000000-0000-4000-8000-000000000001',
      type: ['VerifiableCredential', 'T'],
      issuer: DID,
      issuanceDate: '2026-03-01T09:00:00Z',
      expirationDate: '2027-03-01T09:00:00Z',
      credentialSubject: { id: 'did:jwk:abc', a: 1 },
      credentialSchema: { id: 'https://schemas.example/T.json', type: 'JsonSchema' },
    });
    expect(draft.subjectId).toBe('did:jwk:abc');
    expect(draft.validUntil?.toISOString()).toBe('2027-03-01T09:00:00.000Z');
  });

  it('signs what a VC-API client gives as given: id, past issuance date, earlier expiry, evidence, terms of use', () => {
    const given = v1({
      id: 'https://issuer.example/credentials/42',
      issuanceDate: '2026-02-01T00:00:00Z',
      expirationDate: '2026-06-01T00:00:00+09:00',
      evidence: [{ type: ['DocumentVerification'], verifier: 'https://x' }],
      termsOfUse: { type: 'IssuerPolicy', id: 'https://policy' },
      name: 'Card',
    });
    const draft = completeCredential(given, decisions());
    expect(draft.credential['id']).toBe('https://issuer.example/credentials/42');
    expect(draft.credential['issuanceDate']).toBe('2026-02-01T00:00:00Z');
    expect(draft.credential['expirationDate']).toBe('2026-06-01T00:00:00+09:00');
    expect(draft.credential['evidence']).toEqual(given.evidence);
    expect(draft.credential['termsOfUse']).toEqual(given.termsOfUse);
    expect(draft.validFrom.toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });

  it('completes a VCDM 2.0 credential with validFrom/validUntil and keeps an issuer object and 2.0 members', () => {
    const draft = completeCredential(
      v2({ validFrom: '2026-04-01T00:00:00Z', relatedResource: [{ id: 'https://r', digestSRI: 'sha384-x' }], description: [{ '@value': '설명', '@language': 'ko' }] }),
      decisions({ maxValidity: null }),
    );
    expect(draft.dataModel).toBe('2.0');
    expect(draft.credential['validFrom']).toBe('2026-04-01T00:00:00Z');
    expect(draft.credential).not.toHaveProperty('validUntil');
    expect(draft.credential['issuer']).toEqual({ id: DID, name: 'Dept' });
  });

  it('caps the expiry at the type’s maximum validity from the start', () => {
    expect(problems(() => completeCredential(v1({ expirationDate: '2027-03-01T09:00:01Z' }), decisions()))).toEqual([
      { pointer: '/expirationDate', message: 'may not be later than 2027-03-01T09:00:00.000Z for this credential type' },
    ]);
    expect(completeCredential(v1({ expirationDate: '2027-03-01T09:00:00Z' }), decisions()).validUntil?.toISOString()).toBe('2027-03-01T09:00:00.000Z');
  });

  it.each([
    ['no @context', { '@context': undefined }, '/@context'],
    ['a first context that is no VC base context', { '@context': ['https://example.org/ctx'] }, '/@context/0'],
    ['a context entry that is neither URL nor object', { '@context': [V1, 7] }, '/@context/1'],
    ['no issuer', { issuer: undefined }, '/issuer'],
    ['a proof', { proof: { type: 'JwtProof2020' } }, '/proof'],
    ['an id that is no URI', { id: 'not a uri' }, '/id'],
    ['an id longer than 100 characters', { id: `urn:x:${'a'.repeat(95)}` }, '/id'],
    ['a list of subjects', { credentialSubject: [{ a: 1 }] }, '/credentialSubject'],
    ['a subject id that is no URI', { credentialSubject: { id: 'holder', a: 1 } }, '/credentialSubject/id'],
    ['a 2.0 date in a 1.1 credential', { validFrom: '2026-01-01T00:00:00Z' }, '/validFrom'],
    ['an issuance date in the future', { issuanceDate: '2026-03-01T09:01:01Z' }, '/issuanceDate'],
    ['a date without a time zone', { issuanceDate: '2026-03-01T09:00:00' }, '/issuanceDate'],
    ['a date before 2000', { issuanceDate: '1999-12-31T23:59:59Z' }, '/issuanceDate'],
    ['a day the month does not have', { expirationDate: '2027-02-29T00:00:00Z' }, '/expirationDate'],
    ['hour 24', { expirationDate: '2026-06-01T24:00:00Z' }, '/expirationDate'],
    ['an offset beyond 14 hours', { expirationDate: '2026-06-01T00:00:00+15:00' }, '/expirationDate'],
    ['an expiry before the start', { expirationDate: '2026-03-01T08:00:00Z' }, '/expirationDate'],
    ['a status entry for a type whose status the service manages', { credentialStatus: { type: 'BitstringStatusListEntry' } }, '/credentialStatus'],
    ['a schema other than the type’s', { credentialSchema: { id: 'https://other', type: 'JsonSchema' } }, '/credentialSchema'],
    ['evidence without a type', { evidence: [{ id: 'x' }] }, '/evidence'],
    ['a name that is no string in 1.1', { name: { '@value': 'x' } }, '/name'],
  ])('refuses %s, naming where', (_label, extra, pointer) => {
    expect(problems(() => completeCredential(v1(extra), decisions())).map((p) => p.pointer)).toContain(pointer);
  });

  it('accepts a leap day in a leap year', () => {
    expect(completeCredential(v1({ expirationDate: '2026-12-31T00:00:00+09:00', issuanceDate: '2026-02-28T00:00:00Z' }), decisions()).validUntil?.toISOString()).toBe('2026-12-30T15:00:00.000Z');
    expect(completeCredential(v2({ validFrom: '2028-02-29T00:00:00Z' }), decisions({ maxValidity: null })).validFrom.toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('allows an issuance date within the skew, and a 2.0 validFrom in the future', () => {
    expect(completeCredential(v1({ issuanceDate: '2026-03-01T09:01:00Z' }), decisions()).credential['issuanceDate']).toBe('2026-03-01T09:01:00Z');
    expect(completeCredential(v2({ validFrom: '2026-09-01T00:00:00Z' }), decisions()).validFrom.toISOString()).toBe('2026-09-01T00:00:00.000Z');
  });

  it('refuses 1.1 dates in a 2.0 credential rather than translating them', () => {
    expect(problems(() => completeCredential(v2({ issuanceDate: '2026-01-01T00:00:00Z', expirationDate: '2026-05-01T00:00:00Z' }), decisions())).map((p) => p.pointer)).toEqual([
      '/issuanceDate',
      '/expirationDate',
    ]);
  });

  it('refuses a related resource without a digest in 2.0', () => {
    expect(problems(() => completeCredential(v2({ relatedResource: [{ id: 'https://r' }] }), decisions())).map((p) => p.pointer)).toEqual(['/relatedResource']);
  });

  it('refuses members outside the data model for catalogue types, and names them only when plausible', () => {
    expect(problems(() => completeCredential(v1({ note: 'x', '<img src=x>': 1 }), decisions()))).toEqual([
      { pointer: '/note', message: 'is not a member of the VC Data Model 1.1; credentials of this type carry only the data model\'s members' },
      { pointer: '', message: 'has a member whose name is not a plausible term (letters, digits, _$@.-; at most 64)' },
    ]);
  });

  it('signs extension members as given under open issuance, but never an implausible name', () => {
    expect(completeCredential(v2({ level: 'gold', exTier: 2 }), decisions({ extensionMembers: true })).credential).toMatchObject({ level: 'gold', exTier: 2 });
    expect(problems(() => completeCredential(v2({ 'a b': 1 }), decisions({ extensionMembers: true }))).map((p) => p.pointer)).toEqual(['']);
  });

  it('reports every problem at once', () => {
    expect(problems(() => completeCredential({ type: ['VerifiableCredential'], credentialSubject: 'x' }, decisions())).map((p) => p.pointer)).toEqual([
      '/@context',
      '/issuer',
      '/credentialSubject',
    ]);
  });

  it('answers issuer-mismatch (403) for another issuer, as a string or an object', () => {
    for (const issuer of ['did:ethr:citycred:0x03bb', { id: 'did:ethr:citycred:0x03bb' }]) {
      expect(() => completeCredential(v1({ issuer }), decisions())).toThrow(expect.objectContaining({ code: 'issuance.issuer-mismatch' }));
    }
  });

  it('signs client status and schema entries as given when the service does not manage them (open issuance)', () => {
    const status = { id: 'https://s#1', type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '1', statusListCredential: 'https://s' };
    const draft = completeCredential(v1({ credentialStatus: status, credentialSchema: { id: 'https://their', type: 'JsonSchema' } }), decisions({ managed: { credentialStatus: false }, extraContexts: [] }));
    expect(draft.credential['credentialStatus']).toEqual(status);
    expect(draft.credential['credentialSchema']).toEqual({ id: 'https://their', type: 'JsonSchema' });
    expect(draft.credential['@context']).toEqual([V1]);
  });
});
