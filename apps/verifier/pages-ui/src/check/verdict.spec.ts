import { describe, expect, it } from 'vitest';
import { claimsTrusted, verdictOf } from './verdict.js';

/** A verifier answer with every check passed except the ones given. */
function answer(changes: Record<string, string>, verified = Object.values(changes).every((s) => s === 'passed' || s === 'pending' || s === 'skipped')) {
  const ids = ['format', 'signature', 'validity', 'schema', 'status', 'issuer-accreditation', 'anchor'];
  return { verified, checks: ids.map((id) => ({ id, status: changes[id] ?? 'passed', detail: '' })) };
}

describe('the check page verdict from the verifier checks (docs/certificates.md)', () => {
  it('maps each failing check to the verdict a reader needs', () => {
    expect(verdictOf(answer({}))).toBe('genuine');
    expect(verdictOf(answer({ anchor: 'pending' }))).toBe('pending');
    expect(verdictOf(answer({ signature: 'failed' }))).toBe('altered');
    expect(verdictOf(answer({ format: 'failed', signature: 'skipped' }))).toBe('altered');
    expect(verdictOf(answer({ anchor: 'failed' }))).toBe('altered');
    expect(verdictOf(answer({ 'issuer-accreditation': 'failed' }))).toBe('unknown-issuer');
    expect(verdictOf(answer({ status: 'failed' }))).toBe('revoked');
    expect(verdictOf(answer({ validity: 'failed' }))).toBe('expired');
    expect(verdictOf(answer({ schema: 'failed' }))).toBe('not-verified');
  });

  it('lets forgery outrank everything, then the issuer, then revocation, then expiry', () => {
    expect(verdictOf(answer({ signature: 'failed', status: 'failed', validity: 'failed' }))).toBe('altered');
    expect(verdictOf(answer({ 'issuer-accreditation': 'failed', status: 'failed' }))).toBe('unknown-issuer');
    expect(verdictOf(answer({ status: 'failed', validity: 'failed' }))).toBe('revoked');
  });

  it('never says genuine or pending for an answer that is not verified', () => {
    expect(verdictOf(answer({ anchor: 'pending' }, false))).toBe('not-verified');
    expect(verdictOf({ verified: true })).toBe('genuine');
    expect(verdictOf({ checks: 'nonsense' })).toBe('not-verified');
  });

  it('shows claims only when the signature check passed', () => {
    expect(claimsTrusted(answer({ status: 'failed' }))).toBe(true);
    expect(claimsTrusted(answer({ signature: 'failed' }))).toBe(false);
    expect(claimsTrusted({ checks: [] })).toBe(false);
  });
});
