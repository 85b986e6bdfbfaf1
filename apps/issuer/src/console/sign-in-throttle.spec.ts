import { FixedClock } from '@citycred/config';
import { describe, expect, it } from 'vitest';
import { MAX_SIGN_IN_FAILURES, SignInThrottle } from './sign-in-throttle.js';

describe('SignInThrottle', () => {
  it('refuses the sixth attempt within 15 minutes of five failures, until the oldest leaves the window', () => {
    const clock = new FixedClock('2026-03-02T09:00:00Z');
    const throttle = new SignInThrottle(clock);
    for (let i = 0; i < MAX_SIGN_IN_FAILURES; i += 1) {
      expect(throttle.retryAfterSeconds('seoul-citizen', 'admin')).toBe(0);
      throttle.fail('seoul-citizen', 'admin');
      clock.advance(60_000);
    }
    // The first failure was 5 minutes ago: it leaves the window in 10 minutes.
    expect(throttle.retryAfterSeconds('seoul-citizen', 'admin')).toBe(600);
    expect(throttle.retryAfterSeconds('SEOUL-CITIZEN', ' Admin '), 'names are compared as stored').toBe(600);
    expect(throttle.retryAfterSeconds('seoul-citizen', 'other'), 'per username').toBe(0);
    expect(throttle.retryAfterSeconds('education-office', 'admin'), 'per tenant').toBe(0);
    clock.advance(600_000 - 1);
    expect(throttle.retryAfterSeconds('seoul-citizen', 'admin')).toBe(1);
    clock.advance(1);
    expect(throttle.retryAfterSeconds('seoul-citizen', 'admin')).toBe(0);
  });

  it('forgets the count after a success', () => {
    const clock = new FixedClock('2026-03-02T09:00:00Z');
    const throttle = new SignInThrottle(clock);
    for (let i = 0; i < MAX_SIGN_IN_FAILURES - 1; i += 1) throttle.fail('t', 'u');
    throttle.succeed('t', 'u');
    throttle.fail('t', 'u');
    expect(throttle.retryAfterSeconds('t', 'u')).toBe(0);
  });
});
