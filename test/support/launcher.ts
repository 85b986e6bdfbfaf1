import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root and the built entry point of `npm start`. */
export const repo = resolve(import.meta.dirname, '../..');
export const platformEntry = join(repo, 'apps/platform/dist/main.js');

/** A launched platform CLI process and everything it printed so far. */
export interface Launched {
  child: ChildProcess;
  output: string[];
}

/**
 * Runs the platform CLI (`start` by default) as a user would, and resolves once `until` appears in its output.
 * @throws Error with the output when it exits first or does not print `until` within 60 s
 */
export async function launchCli(env: Record<string, string>, options: { args?: string[]; until?: string; ownProcessGroup?: boolean } = {}): Promise<Launched> {
  const until = options.until ?? 'Press Ctrl-C to stop.';
  // In its own process group it can be signalled as a terminal's Ctrl-C does: every process of the group at once.
  const child = spawn(process.execPath, [platformEntry, ...(options.args ?? ['start'])], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  const output: string[] = [];
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`"${until}" not printed within 60 s:\n${output.join('')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join('').includes(until)) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`exited with ${code} before printing "${until}":\n${output.join('')}`));
    });
  });
  return { child, output };
}

/** Runs the platform CLI to completion and returns its exit code and output. */
export async function runCli(env: Record<string, string>, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [platformEntry, ...args], { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  return { code, output };
}

/**
 * Sends `signal` to the launched CLI — to it alone, or with `group` to its whole process group like a terminal's
 * Ctrl-C (it must have been launched with `ownProcessGroup`) — and resolves with its exit code.
 */
export async function signalCli(launched: Launched, signal: NodeJS.Signals = 'SIGINT', group = false): Promise<number | null> {
  launched.child.removeAllListeners('exit');
  if (launched.child.exitCode !== null) return launched.child.exitCode;
  const exited = new Promise<number | null>((done) => launched.child.once('exit', (code) => done(code)));
  if (group) process.kill(-launched.child.pid!, signal);
  else launched.child.kill(signal);
  return exited;
}
