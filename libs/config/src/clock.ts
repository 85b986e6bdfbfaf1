/** Source of the current time; injected everywhere so tests and replays are deterministic. */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** Injection token for {@link Clock}. */
export const CLOCK = Symbol.for('citycred.clock');

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that only moves when told to, for tests.
 * @param start - the initial instant
 */
export class FixedClock implements Clock {
  private current: Date;

  constructor(start: Date | string) {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  /** Sets the clock to `to`. */
  set(to: Date | string): void {
    this.current = new Date(to);
  }
}
