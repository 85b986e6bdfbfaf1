import { describe, expect, it } from 'vitest';
import { RepeatingTask } from './repeating-task.js';

/** Lets many 1 ms intervals pass (only ever used to show that something did not happen meanwhile). */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RepeatingTask', () => {
  it('never starts a run while one is in progress, and stop waits for that run and schedules no other', async () => {
    let calls = 0;
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    let finishRun!: () => void;
    const task = new RepeatingTask(
      () => {
        calls += 1;
        started();
        return new Promise<void>((resolve) => (finishRun = resolve));
      },
      1,
      (error) => {
        throw error;
      },
    );
    task.start();
    task.start();
    await firstStarted;
    await pause(50);
    expect(calls).toBe(1);

    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped, 'stop resolves only once the run in progress has ended').toBe(false);
    finishRun();
    await stopping;
    await pause(20);
    expect(calls).toBe(1);
  });

  it('hands a failed run to onFailure and goes on running', async () => {
    const failures: unknown[] = [];
    let calls = 0;
    let secondRun!: () => void;
    const secondStarted = new Promise<void>((resolve) => (secondRun = resolve));
    const task = new RepeatingTask(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('chain down');
        secondRun();
      },
      1,
      (error) => failures.push(error),
    );
    task.start();
    await secondStarted;
    await task.stop();
    expect(failures).toEqual([new Error('chain down')]);
  });

  it('schedules nothing when the interval is 0, and stopping it then resolves at once', async () => {
    let calls = 0;
    const task = new RepeatingTask(
      async () => {
        calls += 1;
      },
      0,
      (error) => {
        throw error;
      },
    );
    task.start();
    await pause(20);
    expect(calls).toBe(0);
    await task.stop();
    expect(calls).toBe(0);
  });
});
