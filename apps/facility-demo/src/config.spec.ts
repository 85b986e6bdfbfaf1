import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@citycred/config';
import { facilityDemoEnv } from './config.js';

describe('facilityDemoEnv', () => {
  const secret = 'a'.repeat(43);

  it('defaults to npm start: port 3004, the verifier on 3002, the demo client and scopes', () => {
    const config = loadConfig(facilityDemoEnv, { FACILITY_OIDC_CLIENT_SECRET: secret });
    expect(config).toMatchObject({ FACILITY_PORT: 3004, FACILITY_OIDC_ISSUER: 'http://127.0.0.1:3002/oidc', FACILITY_OIDC_CLIENT_ID: 'facility-booking-demo', FACILITY_OIDC_SCOPE: 'openid name age_over_19 seoul_resident' });
    expect(loadConfig(facilityDemoEnv, { FACILITY_OIDC_CLIENT_SECRET: secret, FACILITY_PUBLIC_URL: 'https://booking.example.go.kr/' }).FACILITY_PUBLIC_URL).toBe('https://booking.example.go.kr');
  });

  it('refuses a missing or short secret, plain http off this machine, and a public URL with a path, naming each', () => {
    expect(() => loadConfig(facilityDemoEnv, {})).toThrow(ConfigError);
    try {
      loadConfig(facilityDemoEnv, { FACILITY_OIDC_CLIENT_SECRET: 'short', FACILITY_OIDC_ISSUER: 'http://verifier.example/oidc', FACILITY_PUBLIC_URL: 'https://booking.example/app' });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['FACILITY_OIDC_CLIENT_SECRET', 'FACILITY_OIDC_ISSUER', 'FACILITY_PUBLIC_URL']) expect(message).toContain(name);
      expect(message).not.toContain('short');
    }
  });
});
