import { FixedClock } from '@citycred/config';
import { describe, expect, it } from 'vitest';
import { ThrottledLog } from './throttled-log.js';

function recordingLog(clock: FixedClock, maxLines?: number) {
  const lines: string[] = [];
  const log = new ThrottledLog({ warn: (line) => lines.push(`warn ${line}`), error: (line) => lines.push(`error ${line}`) }, clock, 60_000, maxLines);
  return { log, lines };
}

describe('ThrottledLog', () => {
  it('writes a line repeated within the window once, and the next one after it says how many were left out', () => {
    const clock = new FixedClock('2026-01-01T00:00:00Z');
    const { log, lines } = recordingLog(clock);
    for (let i = 0; i < 20_000; i += 1) log.warn('database unavailable: aborted');
    expect(lines).toEqual(['warn database unavailable: aborted']);
    clock.advance(60_000);
    log.warn('database unavailable: aborted');
    expect(lines[1]).toBe('warn database unavailable: aborted (19999 more like it since it was last logged)');
    clock.advance(60_000);
    log.warn('database unavailable: aborted');
    expect(lines[2]).toBe('warn database unavailable: aborted');
  });

  it('writes different lines, and the same line at another level, each on its own', () => {
    const { log, lines } = recordingLog(new FixedClock('2026-01-01T00:00:00Z'));
    log.warn('a');
    log.warn('b');
    log.error('a');
    log.warn('a');
    expect(lines).toEqual(['warn a', 'warn b', 'error a']);
  });

  it('remembers at most maxLines distinct lines (the oldest is written again)', () => {
    const { log, lines } = recordingLog(new FixedClock('2026-01-01T00:00:00Z'), 2);
    for (const line of ['a', 'b', 'c', 'a', 'c']) log.warn(line);
    expect(lines).toEqual(['warn a', 'warn b', 'warn c', 'warn a']);
  });
});
