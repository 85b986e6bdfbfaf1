import { describe, expect, it } from 'vitest';
import { defaultFormat } from './formats.js';
import { defaultLifetime, durationParts, lifetimeChoices } from './lifetimes.js';

const DAY = 86_400;

describe('the bulk screen’s offer lifetimes', () => {
  it('offers the presets up to the issuer’s ceiling, and the ceiling itself when it is none of them', () => {
    expect(lifetimeChoices(7 * DAY)).toEqual([600, 3_600, DAY, 3 * DAY, 7 * DAY]);
    expect(lifetimeChoices(30 * DAY)).toEqual([600, 3_600, DAY, 3 * DAY, 7 * DAY, 14 * DAY, 30 * DAY]);
    expect(lifetimeChoices(10 * DAY)).toEqual([600, 3_600, DAY, 3 * DAY, 7 * DAY, 10 * DAY]);
    expect(lifetimeChoices(600)).toEqual([600]);
    expect(lifetimeChoices(300)).toEqual([300]);
  });

  it('starts at a week, or at the longest choice under a shorter ceiling', () => {
    expect(defaultLifetime(30 * DAY)).toBe(7 * DAY);
    expect(defaultLifetime(7 * DAY)).toBe(7 * DAY);
    expect(defaultLifetime(2 * DAY)).toBe(2 * DAY);
    expect(defaultLifetime(600)).toBe(600);
  });

  it('writes a duration as days, hours and minutes', () => {
    expect(durationParts(7 * DAY)).toEqual({ days: 7, hours: 0, minutes: 0 });
    expect(durationParts(600)).toEqual({ days: 0, hours: 0, minutes: 10 });
    expect(durationParts(DAY + 3 * 3_600 + 46 * 60 + 40)).toEqual({ days: 1, hours: 3, minutes: 46 });
  });
});

describe('the default format of the issue form and bulk offers', () => {
  it('is the SD-JWT VC when the type offers it, else the first', () => {
    expect(defaultFormat(['jwt_vc', 'dc+sd-jwt'])).toBe('dc+sd-jwt');
    expect(defaultFormat(['jwt_vc', 'ldp_vc'])).toBe('jwt_vc');
    expect(defaultFormat([])).toBe('');
  });
});
