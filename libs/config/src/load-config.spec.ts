import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, loadConfig } from './load-config.js';
import { FixedClock } from './clock.js';

const schema = z.object({ PORT: env.port(3001), SECRET: env.hexKey(), DEBUG: env.flag(false) });

describe('loadConfig', () => {
  it('parses, applies defaults and freezes', () => {
    const secret = randomBytes(32).toString('hex');
    const config = loadConfig(schema, { SECRET: secret, DEBUG: '1' });
    expect(config).toEqual({ PORT: 3001, SECRET: secret, DEBUG: true });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable', () => {
    try {
      loadConfig(schema, { PORT: 'http', SECRET: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const issues = (error as ConfigError).issues.join('\n');
      expect(issues).toContain('PORT');
      expect(issues).toContain('SECRET');
    }
  });
});

describe('FixedClock', () => {
  it('moves only when told', () => {
    const clock = new FixedClock('2026-01-01T00:00:00Z');
    clock.advance(1000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.000Z');
  });
});
