import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';
import { httpEdgeEnv } from './platform-config.js';

describe('HTTP edge settings', () => {
  it('limit the public endpoints by default and trust no proxy', () => {
    expect(loadConfig(httpEdgeEnv, {})).toEqual({
      RATE_LIMIT_PER_MINUTE: 300,
      RATE_LIMIT_BURST: 60,
      RATE_LIMIT_EXEMPT: [],
      TRUST_PROXY: false,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
      HTTP_HEADERS_TIMEOUT_MS: 10_000,
      HTTP_KEEP_ALIVE_TIMEOUT_MS: 5_000,
      HTTP_MAX_CONNECTIONS: 2_000,
      HTTP_MAX_CONNECTIONS_PER_CLIENT: 100,
    });
  });

  it('RATE_LIMIT_EXEMPT takes addresses and CIDR ranges, nothing else', () => {
    expect(loadConfig(httpEdgeEnv, { RATE_LIMIT_EXEMPT: '10.0.4.7, 10.1.0.0/16,2001:DB8::/48' }).RATE_LIMIT_EXEMPT).toEqual(['10.0.4.7', '10.1.0.0/16', '2001:db8::/48']);
    expect(loadConfig(httpEdgeEnv, { RATE_LIMIT_EXEMPT: '::ffff:10.0.0.1,::/0,0.0.0.0/0' }).RATE_LIMIT_EXEMPT).toEqual(['::ffff:10.0.0.1', '::/0', '0.0.0.0/0']);
    for (const value of ['loopback', 'verifier.internal', '10.0.0.0/33', '10.0.0.1,', '1:2', ':::', '1:2:3:4:5:6:7:8:9', '::1/129', '10.0.0.0/', '10.0.0.0/+8', '10.0.0.0/ 8', 'fe80::1%eth0', '010.0.0.1']) {
      expect(() => loadConfig(httpEdgeEnv, { RATE_LIMIT_EXEMPT: value }), value).toThrow(ConfigError);
      expect(() => loadConfig(httpEdgeEnv, { RATE_LIMIT_EXEMPT: value }), value).toThrow(/RATE_LIMIT_EXEMPT/);
    }
  });

  it('connection limits and timeouts must be positive', () => {
    for (const name of ['HTTP_REQUEST_TIMEOUT_MS', 'HTTP_HEADERS_TIMEOUT_MS', 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 'HTTP_MAX_CONNECTIONS', 'HTTP_MAX_CONNECTIONS_PER_CLIENT']) {
      expect(() => loadConfig(httpEdgeEnv, { [name]: '0' }), name).toThrow(new RegExp(name));
    }
  });

  it('RATE_LIMIT_PER_MINUTE=0 turns the limit off; a burst must be at least 1', () => {
    expect(loadConfig(httpEdgeEnv, { RATE_LIMIT_PER_MINUTE: '0' }).RATE_LIMIT_PER_MINUTE).toBe(0);
    expect(() => loadConfig(httpEdgeEnv, { RATE_LIMIT_BURST: '0' })).toThrow(/RATE_LIMIT_BURST/);
  });

  it.each([
    ['false', false],
    ['', false],
    ['true', true],
    ['2', 2],
    ['0', 0],
    ['127.0.0.1', ['127.0.0.1']],
    ['loopback, 10.0.0.0/8,2001:db8::/32', ['loopback', '10.0.0.0/8', '2001:db8::/32']],
  ])('TRUST_PROXY=%s', (value, parsed) => {
    expect(loadConfig(httpEdgeEnv, { TRUST_PROXY: value }).TRUST_PROXY).toEqual(parsed);
  });

  it.each(['yes', '10.0.0.0/33', '300.1.1.1', 'proxy.example', '10.0.0.1/8/1', '127.0.0.1,', '1:2', ':::'])('refuses TRUST_PROXY=%s, naming the variable', (value) => {
    expect(() => loadConfig(httpEdgeEnv, { TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => loadConfig(httpEdgeEnv, { TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });
});
