import type { Clock } from '@citycred/config';

/** Where {@link ThrottledLog} writes: a Nest `Logger` fits. */
export interface LogSink {
  warn(line: string): void;
  error(line: string): void;
}

/** How long identical lines are folded into one, by default. */
export const LOG_REPEAT_WINDOW_MS = 60_000;

interface Repeats {
  /** Epoch milliseconds the line was last written. */
  writtenAt: number;
  /** Identical lines not written since. */
  suppressed: number;
}

/**
 * A log that writes each distinct line at most once per window: a flood of identical faults (20 000 refused
 * connections, a database that answers every request with the same error) leaves one line, and the next one after
 * the window says how many were left out. Memory is bounded: at most `maxLines` distinct lines are remembered.
 * Time comes from the injected clock only.
 */
export class ThrottledLog implements LogSink {
  private readonly seen = new Map<string, Repeats>();

  /**
   * @param sink - where the lines go
   * @param clock - the only source of time
   * @param windowMs - how long an identical line is folded into the last one written
   * @param maxLines - most distinct lines remembered; the least recently written are forgotten first
   */
  constructor(
    private readonly sink: LogSink,
    private readonly clock: Clock,
    private readonly windowMs = LOG_REPEAT_WINDOW_MS,
    private readonly maxLines = 1_000,
  ) {}

  /** Writes `line` as a warning, unless the same line was written less than a window ago. */
  warn(line: string): void {
    this.write('warn', line);
  }

  /** Writes `line` as an error, unless the same line was written less than a window ago. */
  error(line: string): void {
    this.write('error', line);
  }

  private write(level: 'warn' | 'error', line: string): void {
    const now = this.clock.now().getTime();
    const key = `${level}\u0000${line}`;
    const repeats = this.seen.get(key);
    if (repeats && now - repeats.writtenAt < this.windowMs && now >= repeats.writtenAt) {
      repeats.suppressed += 1;
      return;
    }
    const suppressed = repeats?.suppressed ?? 0;
    // Re-inserting keeps the map ordered from least to most recently written.
    this.seen.delete(key);
    this.seen.set(key, { writtenAt: now, suppressed: 0 });
    for (const oldest of this.seen.keys()) {
      if (this.seen.size <= this.maxLines) break;
      this.seen.delete(oldest);
    }
    this.sink[level](suppressed > 0 ? `${line} (${suppressed} more like it since it was last logged)` : line);
  }
}
