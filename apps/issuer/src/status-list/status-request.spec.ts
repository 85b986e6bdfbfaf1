import { describe, expect, it } from 'vitest';
import { matchesIfNoneMatch } from './status-list.controller.js';
import { requestedAction, statusRequestSchema } from './status-request.js';

describe('POST /credentials/status body', () => {
  const parse = (statusPurpose: string, status: boolean) =>
    statusRequestSchema.parse({ credentialId: 'urn:uuid:1', credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose }, status });

  it('maps purpose and status to the action', () => {
    expect(requestedAction(parse('revocation', true))).toBe('revoke');
    expect(requestedAction(parse('revocation', false))).toBe('confirm-not-revoked');
    expect(requestedAction(parse('suspension', true))).toBe('suspend');
    expect(requestedAction(parse('suspension', false))).toBe('reinstate');
  });

  it('refuses unknown purposes, unknown members and a status that is not a boolean', () => {
    const base = { credentialId: 'urn:uuid:1', credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' }, status: true };
    expect(statusRequestSchema.safeParse(base).success).toBe(true);
    expect(statusRequestSchema.safeParse({ ...base, credentialStatus: { ...base.credentialStatus, statusPurpose: 'refresh' } }).success).toBe(false);
    expect(statusRequestSchema.safeParse({ ...base, status: 'true' }).success).toBe(false);
    expect(statusRequestSchema.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(statusRequestSchema.safeParse({ ...base, credentialStatus: { ...base.credentialStatus, type: 'StatusList2021Entry' } }).success).toBe(false);
  });
});

describe('If-None-Match', () => {
  const etag = '"abc"';
  it('matches the ETag in a list, weakly, and *', () => {
    expect(matchesIfNoneMatch('"abc"', etag)).toBe(true);
    expect(matchesIfNoneMatch('"x", W/"abc"', etag)).toBe(true);
    expect(matchesIfNoneMatch('*', etag)).toBe(true);
    expect(matchesIfNoneMatch('"abcd"', etag)).toBe(false);
    expect(matchesIfNoneMatch(undefined, etag)).toBe(false);
  });
});
