/**
 * Runs a task every `intervalMs` between {@link RepeatingTask.start} and {@link RepeatingTask.stop}. The next run is
 * timed from the end of the previous one, so runs never overlap however long one takes; a run that fails is handed
 * to `onFailure` and the next one is scheduled as usual. `intervalMs` 0 (or less) schedules nothing: a test runs the
 * task by hand. The timer does not keep the process alive on its own (the service's server does, and its shutdown
 * calls {@link RepeatingTask.stop}).
 */
export class RepeatingTask {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;
  private stopped = true;

  /**
   * @param run - one run; its rejection goes to `onFailure`
   * @param intervalMs - the pause between the end of one run and the start of the next (and before the first); 0 or
   *   less schedules nothing
   * @param onFailure - receives what a run rejected with (it should not throw)
   */
  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Schedules the first run after `intervalMs`; does nothing when already started or when `intervalMs` is 0. */
  start(): void {
    if (!this.stopped || this.intervalMs <= 0) return;
    this.stopped = false;
    this.schedule();
  }

  /** Schedules no further run and resolves once the run in progress, if any, has ended (never rejects). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.current = Promise.resolve()
        .then(() => this.run())
        .catch((error: unknown) => this.onFailure(error))
        .finally(() => {
          this.current = undefined;
          this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }
}
