// Shared by the whole-process benchmarks (layout, generate, diff): median wall time of N runs after
// two warm-up runs, the node startup floor, and how bindgen is invoked for one ABI. Not a benchmark
// itself (scripts/bench.mjs only runs *.bench.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Runs per measurement: BENCH_RUNS overrides the benchmark's own default. */
export function benchRuns(fallback = 15) {
  return Number(process.env.BENCH_RUNS ?? fallback);
}

/**
 * Median wall time (ms) of `fn` over `runs` runs, after `warmup` untimed-in-the-result runs.
 * `before(i)`, when given, runs before each run outside the timed region (fresh output dirs).
 */
export function medianMs(fn, { runs = benchRuns(), warmup = 2, before } = {}) {
  const times = [];
  for (let i = 0; i < runs + warmup; i++) {
    before?.(i);
    const t = process.hrtime.bigint();
    fn(i);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (i >= warmup) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Spawns a process, throwing when it could not run or was killed; returns spawnSync's result. */
export function run(cmd, args, { ok = (status) => status === 0, stdio = ['ignore', 'ignore', 'pipe'] } = {}) {
  const r = spawnSync(cmd, args, { stdio });
  if (r.error || r.status === null) throw new Error(`${cmd}: ${r.error ?? `killed by ${r.signal}`}`);
  if (!ok(r.status)) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr ?? ''}`);
  return r;
}

/**
 * Median whole-process time (ms) of `cmd args`. `args` may be a function of the run index (called
 * outside the timed region) so that each run can get its own output path.
 */
export function medianProcess(cmd, args, { runs, warmup, ok, before } = {}) {
  let argv = [];
  return medianMs(() => run(cmd, argv, { ok }), {
    runs,
    warmup,
    before: (i) => {
      before?.(i);
      argv = typeof args === 'function' ? args(i) : args;
    },
  });
}

/** `node -e 0`: what every uapi-ts command pays before it does anything. */
export function nodeStartupMs(opts) {
  return medianProcess(process.execPath, ['-e', '0'], opts);
}

export function hasBindgen() {
  return spawnSync('bindgen', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The host's ABI as uapi-ts names it, and its Debian multiarch dir. */
const HOST = { x64: ['x86_64', 'x86_64-linux-gnu'], arm64: ['aarch64', 'aarch64-linux-gnu'] }[process.arch] ?? [process.arch, undefined];
export const hostAbi = HOST[0];

/**
 * bindgen on `<include>/<header>` for the host's ABI (the one ABI bindgen does per run), writing
 * Rust to `out`. The tree's multiarch dir goes first, as gcc's multiarch search does, so its asm/
 * headers are used rather than the system's.
 */
export function bindgenArgs(include, header, out) {
  const triplet = HOST[1] && join(include, HOST[1]);
  const inc = triplet && existsSync(triplet) ? [`-I${triplet}`, `-I${include}`] : [`-I${include}`];
  return [join(include, header), '-o', out, '--', ...inc];
}

/** `   123.4 ms`, the column format every whole-process bench prints. */
export const fmtMs = (ms) => `${ms.toFixed(1).padStart(7)} ms`;
