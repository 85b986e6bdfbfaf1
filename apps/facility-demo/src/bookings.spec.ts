import { describe, expect, it } from 'vitest';
import { FixedClock } from '@citycred/config';
import { Bookings } from './bookings.js';
import { readCookies, SignedCookies } from './signed-cookie.js';

describe('Bookings', () => {
  it('holds a slot for one citizen: others see it taken (not by whom), only the holder cancels it', () => {
    const bookings = new Bookings();
    expect(bookings.book('alice', 'mapo-pool', 'sat-10')).toEqual({ ok: true });
    expect(bookings.book('alice', 'mapo-pool', 'sat-10')).toEqual({ ok: true });
    expect(bookings.book('bob', 'mapo-pool', 'sat-10')).toEqual({ ok: false, reason: 'taken' });
    const slotOf = (subject: string | undefined) => bookings.view(subject).find((f) => f.facility.id === 'mapo-pool')!.slots.find((s) => s.slotId === 'sat-10')!.state;
    expect([slotOf('alice'), slotOf('bob'), slotOf(undefined)]).toEqual(['mine', 'taken', 'taken']);
    expect(bookings.cancel('bob', 'mapo-pool', 'sat-10')).toEqual({ ok: false, reason: 'not-yours' });
    expect(bookings.cancel('alice', 'mapo-pool', 'sat-10')).toEqual({ ok: true });
    expect(slotOf('bob')).toBe('free');
  });

  it('refuses a slot that does not exist', () => {
    const bookings = new Bookings();
    expect(bookings.book('alice', 'mapo-pool', 'mon-25')).toEqual({ ok: false, reason: 'unknown-slot' });
    expect(bookings.book('alice', 'nowhere', 'sat-10')).toEqual({ ok: false, reason: 'unknown-slot' });
    expect(bookings.cancel('alice', 'nowhere', 'sat-10')).toEqual({ ok: false, reason: 'unknown-slot' });
  });
});

describe('SignedCookies', () => {
  const clock = new FixedClock('2030-01-01T00:00:00.000Z');
  const cookies = new SignedCookies(new Uint8Array(32).fill(7), clock);

  it('opens what it sealed, until it expires', () => {
    const sealed = cookies.seal('session', { sub: 'a' }, 60);
    expect(cookies.open('session', sealed)).toEqual({ sub: 'a' });
    clock.advance(60_000);
    expect(cookies.open('session', sealed)).toBeUndefined();
    clock.set('2030-01-01T00:00:00.000Z');
  });

  it('refuses a value altered, signed under another name or with another key, and garbage', () => {
    const sealed = cookies.seal('session', { sub: 'a' }, 60);
    const [body, mac] = sealed.split('.');
    const forged = Buffer.from(JSON.stringify({ v: { sub: 'b' }, exp: 9_999_999_999 })).toString('base64url');
    expect(cookies.open('session', `${forged}.${mac}`)).toBeUndefined();
    expect(cookies.open('sign-in', sealed)).toBeUndefined();
    expect(new SignedCookies(new Uint8Array(32).fill(8), clock).open('session', sealed)).toBeUndefined();
    for (const bad of ['', '.', 'abc', `${body}.`, `${body}.AAAA`, undefined]) expect(cookies.open('session', bad)).toBeUndefined();
  });

  it('reads a Cookie header, the first of a name winning', () => {
    expect([...readCookies('a=1; b=x=y; a=2;  c=')]).toEqual([
      ['a', '1'],
      ['b', 'x=y'],
      ['c', ''],
    ]);
    expect(readCookies(undefined).size).toBe(0);
  });
});
