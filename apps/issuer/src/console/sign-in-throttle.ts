import type { Clock } from '@citycred/config';

/** Failed sign-ins allowed per (tenant, username) within {@link SIGN_IN_WINDOW_MS}; the next attempt is refused. */
export const MAX_SIGN_IN_FAILURES = 5;
/** The window failed sign-ins are counted over: 15 minutes. */
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
/** Names tracked at most; the oldest are forgotten first (a flood of made-up names cannot grow memory without end). */
const MAX_TRACKED = 10_000;

/**
 * Counts failed sign-ins per (tenant, username), in this process's memory, whether the name exists or not (so the
 * answer does not tell). After {@link MAX_SIGN_IN_FAILURES} failures within {@link SIGN_IN_WINDOW_MS} every attempt is
 * refused until the oldest of them leaves the window; a successful sign-in clears the count. Each issuer replica
 * counts on its own.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly clock: Clock) {}

  /** Seconds until the name may try again, or 0 when it may now. */
  retryAfterSeconds(tenant: string, username: string): number {
    const recent = this.recent(keyOf(tenant, username));
    if (recent.length < MAX_SIGN_IN_FAILURES) return 0;
    const freedAt = recent[recent.length - MAX_SIGN_IN_FAILURES]! + SIGN_IN_WINDOW_MS;
    return Math.max(1, Math.ceil((freedAt - this.clock.now().getTime()) / 1000));
  }

  /** Records a failure. */
  fail(tenant: string, username: string): void {
    const key = keyOf(tenant, username);
    const recent = this.recent(key);
    recent.push(this.clock.now().getTime());
    this.failures.delete(key);
    this.failures.set(key, recent.slice(-MAX_SIGN_IN_FAILURES));
    if (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value!);
  }

  /** Clears the count after a successful sign-in. */
  succeed(tenant: string, username: string): void {
    this.failures.delete(keyOf(tenant, username));
  }

  private recent(key: string): number[] {
    const since = this.clock.now().getTime() - SIGN_IN_WINDOW_MS;
    return (this.failures.get(key) ?? []).filter((at) => at > since);
  }
}

function keyOf(tenant: string, username: string): string {
  return `${tenant.trim().toLowerCase()}\u0000${username.trim().toLowerCase()}`;
}
