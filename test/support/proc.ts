/**
 * Child processes for tests, without blocking the test worker.
 *
 * vitest's worker answers its runner over an RPC channel with a fixed 60 s timeout. A test file
 * that spends a minute in spawnSync/execFileSync (a dozen `tsc` runs, a few hundred gcc runs)
 * never turns the event loop, the runner's reply sits unread, and the run exits 1 with every test
 * green ("Timeout calling onTaskUpdate"). So tests start processes with `run` and await them:
 * same result shape as spawnSync, but the worker stays responsive while the child works.
 */
import { spawn } from 'node:child_process';

export interface Ran {
  /** Exit code, or null when the process was killed by a signal or could not be started. */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Set when the process could not be started (ENOENT and the like). */
  error?: Error;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to the child's stdin, which is then closed. Without it stdin is /dev/null. */
  input?: string;
}

export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    let failed: Error | undefined;
    child.on('error', (e) => {
      failed = e;
    });
    child.on('close', (status, signal) => {
      const r: Ran = { status: failed ? null : status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (failed) r.error = failed;
      resolve(r);
    });
    if (opts.input !== undefined) {
      // A child that exits without reading its input is not an error (spawnSync ignores EPIPE too).
      child.stdin!.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') failed = e;
      });
      child.stdin!.end(opts.input);
    }
  });
}

/** Node running one of the project's scripts (the CLI, tsc, a probe). */
export function runNode(args: readonly string[], opts: RunOptions = {}): Promise<Ran> {
  return run(process.execPath, args, opts);
}

/** Like execFileSync: stdout on exit 0, otherwise an Error carrying the command's stderr. */
export async function check(command: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(command, args, opts);
  if (r.status !== 0) {
    const why = r.error ? r.error.message : r.signal ? `signal ${r.signal}` : `exit ${r.status}`;
    throw new Error(`${command} ${args.join(' ')}: ${why}\n${r.stderr}`);
  }
  return r.stdout;
}
