import { describe, expect, it } from 'vitest';
import { AppError } from '@citycred/errors';
import { GENESIS_HASH, type AttendanceEvent } from '@citycred/labor';
import { EMPTY_HEAD, requireAppendable, requireEventShape, requireFreshQr, workplaceWindowStart, type HeadState } from './attendance-rules.js';

const CONTRACT = '3c0d7c36-1f7a-4f4e-9b8e-5b1d2f0c9a11';
const NOW = new Date('2026-03-02T00:00:20Z');
const IAT = Date.parse('2026-03-02T00:00:00Z') / 1000;
const NONCE = 'AAAAAAAAAAAAAAAAAAAAAA';
const checkIn: AttendanceEvent = { v: 1, contractId: CONTRACT, seq: 0, kind: 'check-in', at: '2026-03-02T00:00:15Z', workplaceNonce: { nonce: NONCE, issuedAt: '2026-03-02T00:00:00.000Z' }, prevHash: GENESIS_HASH };
const empty: HeadState = { head: EMPTY_HEAD, lastPunch: null, lastAt: null };
const qr = { nonce: NONCE, iat: IAT };

const codeOf = (f: () => void): string | null => {
  try {
    f();
    return null;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
};

describe('attendance append rules', () => {
  it('accepts a check-in on an empty chain with a fresh QR', () => {
    expect(codeOf(() => requireAppendable(empty, checkIn, NOW, qr))).toBeNull();
  });

  it.each([
    ['a seq not after the head', { ...checkIn, seq: 1 }, empty, 'labor.attendance-stale'],
    ['a prevHash not the head', { ...checkIn, prevHash: `0x${'1'.repeat(64)}` }, empty, 'labor.attendance-stale'],
    ['a time more than 60 s from the server clock', { ...checkIn, at: '2026-03-02T00:01:30Z' }, empty, 'labor.event-time'],
    ['a time before the previous event', { ...checkIn, seq: 1, prevHash: `0x${'2'.repeat(64)}` }, { head: { seq: 0, hash: `0x${'2'.repeat(64)}` }, lastPunch: 'check-out', lastAt: '2026-03-02T00:00:19Z' }, 'labor.event-time'],
    ['a check-in while checked in', { ...checkIn, seq: 1, prevHash: `0x${'2'.repeat(64)}` }, { head: { seq: 0, hash: `0x${'2'.repeat(64)}` }, lastPunch: 'check-in', lastAt: '2026-03-02T00:00:01Z' }, 'labor.attendance-order'],
    ['a check-out without a check-in', { ...checkIn, kind: 'check-out' }, empty, 'labor.attendance-order'],
    ['a nonce other than the QR\'s', { ...checkIn, workplaceNonce: { nonce: 'BBBBBBBBBBBBBBBBBBBBBB', issuedAt: '2026-03-02T00:00:00Z' } }, empty, 'labor.qr-invalid'],
    ['an issue time other than the QR\'s', { ...checkIn, workplaceNonce: { nonce: NONCE, issuedAt: '2026-03-02T00:00:01Z' } }, empty, 'labor.qr-invalid'],
  ] as const)('refuses %s', (_case, event, state, code) => {
    expect(codeOf(() => requireAppendable(state, event as AttendanceEvent, NOW, qr))).toBe(code);
  });

  it('names the current head when refusing a stale event', () => {
    const head = { seq: 4, hash: `0x${'3'.repeat(64)}` };
    try {
      requireAppendable({ head, lastPunch: 'check-out', lastAt: null }, checkIn, NOW, qr);
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).extensions).toEqual({ head });
    }
  });

  it('refuses a check-in or -out without a QR, and an event made when the QR was over 35 s old', () => {
    expect(codeOf(() => requireAppendable(empty, checkIn, NOW))).toBe('labor.qr-invalid');
    const late = { ...checkIn, at: '2026-03-02T00:00:36Z' };
    expect(codeOf(() => requireAppendable(empty, late, new Date('2026-03-02T00:00:36Z'), qr))).toBe('labor.qr-expired');
  });

  it.each([
    [0, null],
    [30, null],
    [35, null],
    [36, 'labor.qr-expired'],
    [-5, null],
    [-6, 'labor.qr-expired'],
  ])('a QR %i s old is %s', (age, code) => {
    expect(codeOf(() => requireFreshQr({ iat: IAT }, new Date((IAT + age) * 1000)))).toBe(code);
  });

  it('puts each instant in its 30-second window', () => {
    expect(workplaceWindowStart(new Date('2026-03-02T00:00:29.999Z'))).toBe(IAT);
    expect(workplaceWindowStart(new Date('2026-03-02T00:00:30Z'))).toBe(IAT + 30);
  });

  it.each([
    ['an extra member', { ...checkIn, note: 'x' }],
    ['another contract', { ...checkIn, contractId: 'other' }],
    ['v 2', { ...checkIn, v: 2 }],
    ['a local time', { ...checkIn, at: '2026-03-02T09:00:15+09:00' }],
    ['a check-in without a nonce', { ...checkIn, workplaceNonce: undefined }],
    ['a check-in with corrects', { ...checkIn, corrects: { eventHash: GENESIS_HASH, at: checkIn.at, reason: 'x' } }],
    ['a correction without corrects', { ...checkIn, kind: 'correction', workplaceNonce: undefined }],
    ['a correction with a nonce', { ...checkIn, kind: 'correction', corrects: { eventHash: GENESIS_HASH, at: checkIn.at, reason: 'x' } }],
    ['an unknown kind', { ...checkIn, kind: 'break' }],
    ['an upper-case prevHash', { ...checkIn, prevHash: `0x${'A'.repeat(64)}` }],
  ])('refuses the shape of %s', (_case, event) => {
    expect(codeOf(() => requireEventShape(JSON.parse(JSON.stringify(event)), CONTRACT))).toBe('request.invalid');
  });

  it('accepts a well-formed check-in and correction', () => {
    expect(codeOf(() => requireEventShape(checkIn, CONTRACT))).toBeNull();
    const correction = { v: 1, contractId: CONTRACT, seq: 2, kind: 'correction', at: '2026-03-02T05:00:00Z', corrects: { eventHash: `0x${'4'.repeat(64)}`, at: '2026-03-02T00:00:00Z', reason: 'forgot to scan' }, prevHash: `0x${'5'.repeat(64)}` };
    expect(codeOf(() => requireEventShape(correction, CONTRACT))).toBeNull();
  });
});

describe('the scanned workplace QR', () => {
  it('is the JWS itself or the wallet link carrying it', async () => {
    const { qrJwsOf } = await import('./attendance.service.js');
    expect(qrJwsOf('a.b.c')).toBe('a.b.c');
    expect(qrJwsOf(`https://wallet.example/#attend?qr=${encodeURIComponent('a.b.c')}`)).toBe('a.b.c');
    expect(qrJwsOf('https://wallet.example/#attend?other=1')).toBe('https://wallet.example/#attend?other=1');
  });
});
