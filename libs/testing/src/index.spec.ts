import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath, loadFixture } from './index.js';

describe('fixtures', () => {
  it('fixturePath points into libs/testing/fixtures', () => {
    const path = fixturePath('merkle-vectors.json');
    expect(isAbsolute(path)).toBe(true);
    expect(path.endsWith('/libs/testing/fixtures/merkle-vectors.json')).toBe(true);
    expect(existsSync(path)).toBe(true);
  });

  it('loadFixture parses the JSON file', () => {
    expect(loadFixture<{ trees: unknown[] }>('merkle-vectors.json').trees.length).toBeGreaterThan(0);
  });

  it.each(['', '../package.json', 'a/../../package.json', '/etc/passwd', './merkle-vectors.json', 'a//b.json', 'a\\b.json'])(
    'fixturePath refuses %j',
    (name) => {
      expect(() => fixturePath(name)).toThrow(TypeError);
    },
  );

  it('loadFixture throws ENOENT for a missing fixture', () => {
    expect(() => loadFixture('no-such-fixture.json')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
