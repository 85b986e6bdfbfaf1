import { ConfigError } from '@citycred/config';
import { describe, expect, it } from 'vitest';
import { BULK_OFFER_TTL_DEFAULT_SECONDS, BULK_OFFER_TTL_MAX_SECONDS, loadIssuerConfig } from './config.js';

const base = { KEY_ENCRYPTION_SECRET: '8f3a1c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a' };

/** The problems loading the issuer's configuration reports, one line per variable. */
function problems(source: Record<string, string>): string {
  try {
    loadIssuerConfig({ ...base, ...source });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.join('\n');
  }
  throw new Error('the configuration should have been refused');
}

describe('issuer configuration: lifetimes of OpenID4VCI offers', () => {
  it('gives single offers 10 minutes and bulk offers 7 days by default', () => {
    const config = loadIssuerConfig(base);
    expect(config.OID4VCI_OFFER_TTL_SECONDS).toBe(600);
    expect(config.OID4VCI_BULK_OFFER_TTL_SECONDS).toBe(7 * 24 * 3600);
    expect(BULK_OFFER_TTL_DEFAULT_SECONDS).toBe(604_800);
  });

  it('takes a bulk ceiling of up to 30 days, and one equal to the single offers’', () => {
    expect(loadIssuerConfig({ ...base, OID4VCI_BULK_OFFER_TTL_SECONDS: '2592000' }).OID4VCI_BULK_OFFER_TTL_SECONDS).toBe(BULK_OFFER_TTL_MAX_SECONDS);
    expect(loadIssuerConfig({ ...base, OID4VCI_BULK_OFFER_TTL_SECONDS: '86400' }).OID4VCI_BULK_OFFER_TTL_SECONDS).toBe(86_400);
    expect(loadIssuerConfig({ ...base, OID4VCI_OFFER_TTL_SECONDS: '300', OID4VCI_BULK_OFFER_TTL_SECONDS: '300' }).OID4VCI_BULK_OFFER_TTL_SECONDS).toBe(300);
  });

  it('refuses a bulk ceiling above 30 days, not a whole positive number of seconds, or shorter than a single offer’s', () => {
    expect(problems({ OID4VCI_BULK_OFFER_TTL_SECONDS: '2592001' })).toMatch(/^OID4VCI_BULK_OFFER_TTL_SECONDS: must be at most 2592000 \(30 days\), in seconds$/);
    for (const bad of ['0', '-60', '1.5', '7d', 'week']) expect(problems({ OID4VCI_BULK_OFFER_TTL_SECONDS: bad }), bad).toMatch(/^OID4VCI_BULK_OFFER_TTL_SECONDS: /);
    // Days written where seconds are meant: shorter than a single offer's ceiling.
    expect(problems({ OID4VCI_BULK_OFFER_TTL_SECONDS: '7' })).toBe('OID4VCI_BULK_OFFER_TTL_SECONDS: must be at least OID4VCI_OFFER_TTL_SECONDS (600), in seconds; it is 7');
    expect(problems({ OID4VCI_OFFER_TTL_SECONDS: '0' })).toMatch(/^OID4VCI_OFFER_TTL_SECONDS: /);
  });
});
