/**
 * `uapi-ts layout --all -I <dir>`: every header of an include tree on every ABI, in one process,
 * spread over worker threads (pool.ts, tree-worker.ts); a progress bar, then a summary table.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { printable } from '../diagnostics.js';
import { getAbi } from '../layout/abi/index.js';
import { LIMITS_HELP } from '../limits.js';
import { one, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { CliError, fsError, writeAtomic } from './io.js';
import { LIMIT_VALUES, limitsFrom, selectAbis, warnMissingIncludeDirs } from './load.js';
import { runPool, type TaskOutcome } from './pool.js';
import { Progress } from './progress.js';
import { selectHeaders, treeHeaders } from './tree.js';
import type { AbiOutcome, LayoutResult, LayoutTask, LayoutWorkerData } from './tree-worker.js';

export const DEFAULT_WORKER_MB = 1024;

export const LAYOUT_ALL_USAGE =
  'usage: uapi-ts layout --all -I <dir> [--abi <abi>|all] [--include GLOB]... [--exclude GLOB]... [--jobs N] [--max-worker-memory MB] [--format text|json --out DIR]';

export const LAYOUT_ALL_HELP = `${LAYOUT_ALL_USAGE}

Lays out every header of an include tree (every *.h under the first -I dir; the <dir>/<triplet>
dirs hold each ABI's asm/ headers, which count on that ABI only) on every ABI (--abi, default all
eight), in one process. Headers are named as #include names them (linux/vfio.h, asm/kvm.h).
  --include GLOB, --exclude GLOB   keep headers matching any --include (all when none) and no
                   --exclude; * and ? stay within a path segment, ** spans segments, [..] a class;
                   a glob without '/' also matches the base name ('linux/**', '*_compat.h')
  --jobs N         worker threads (default: the number of cores, ${os.availableParallelism()} here)
  --max-worker-memory MB   the memory ceiling: each worker's JavaScript heap is capped at MB
                   (default ${DEFAULT_WORKER_MB}); a header that needs more is reported as an error
                   (out of memory) and a fresh worker goes on. The process stays under about
                   jobs x (MB + ~50 MB of native memory per worker) plus ~100 MB for the main thread,
                   which keeps only a summary per header.
  --format text    (default) a summary table: per ABI, headers clean / with warnings / with errors,
                   then each header with errors and its first diagnostic
  --format json --out DIR   also writes DIR/<abi>/<header>.json (the layout JSON, docs/layout-json.md)
                   per header and ABI, each file atomically, and DIR/index.json last (docs/layout-json.md)
A progress bar goes to stderr when it is a terminal, plain progress lines otherwise.
Exit status: 0, 1 when any header has errors on any ABI, 2 usage.

${LIMITS_HELP}
`;

export interface LayoutIndex {
  uapiTsLayoutIndex: 1;
  include: string;
  abis: string[];
  totals: Record<string, { headers: number; clean: number; warnings: number; errors: number }>;
  headers: LayoutResult[];
}

export function positiveInt(args: ParsedArgs, flag: string, fallback: number): number {
  const v = one(args, flag);
  if (v === undefined) return fallback;
  if (!/^[1-9][0-9]{0,6}$/.test(v)) throw new UsageError(`--${flag} must be a positive integer, not ${JSON.stringify(printable(v))}`);
  return Number(v);
}

/** The worker script next to this module (dist/cli/tree-worker.js). */
export const WORKER = new URL('./tree-worker.js', import.meta.url);

export async function layoutAllCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['abi', 'format', 'include', 'exclude', 'jobs', 'max-worker-memory', 'out', ...LIMIT_VALUES], booleans: ['all', 'help'] });
  if (args.flags.has('help')) {
    process.stdout.write(LAYOUT_ALL_HELP);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`--all lays out every header of the tree: no header argument (given '${printable(args.positional[0]!)}')\n${LAYOUT_ALL_USAGE}`);
  const includeDirs = args.flags.get('I') ?? [];
  if (includeDirs.length === 0) throw new UsageError(`--all needs the tree as -I <dir>\n${LAYOUT_ALL_USAGE}`);
  const format = one(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format with --all must be text or json, not '${printable(format)}'`);
  const out = one(args, 'out');
  if (format === 'json' && out === undefined) throw new UsageError('--format json with --all writes files: give --out DIR');
  if (format !== 'json' && out !== undefined) throw new UsageError('--out goes with --format json');
  const abis = selectAbis(args.flags.get('abi'), 'all');
  const jobs = positiveInt(args, 'jobs', os.availableParallelism());
  const heapMb = positiveInt(args, 'max-worker-memory', DEFAULT_WORKER_MB);
  const limits = limitsFrom(args);
  warnMissingIncludeDirs(includeDirs);
  const tree = includeDirs[0]!;
  const headers = selectHeaders(treeHeaders(tree, abis), args.flags.get('include') ?? [], args.flags.get('exclude') ?? []);
  if (headers.size === 0) throw new CliError(`no headers under ${tree}${args.flags.has('include') || args.flags.has('exclude') ? ' match --include/--exclude' : ''}`);
  if (out !== undefined) {
    try {
      mkdirSync(out, { recursive: true });
    } catch (e) {
      throw fsError(e, out);
    }
  }

  const tasks: LayoutTask[] = [...headers].map(([header, on]) => ({ header, abis: abis.map((a) => a.name).filter((a) => on.has(a)) }));
  const data: LayoutWorkerData = { mode: 'layout', includeDirs, limits, ...(out !== undefined ? { out } : {}) };
  const results: LayoutResult[] = new Array(tasks.length);
  const progress = new Progress(tasks.length, 'headers');
  const started = performance.now();
  await runPool<LayoutTask, LayoutResult>(WORKER, tasks, { jobs: Math.min(jobs, tasks.length), heapMb, workerData: data }, (i, outcome) => {
    results[i] = resultOf(tasks[i]!, outcome);
    progress.step(tasks[i]!.header, results[i]!.abis.some((a) => a.status === 'errors'));
  });
  progress.done();
  const seconds = (performance.now() - started) / 1000;

  const index: LayoutIndex = { uapiTsLayoutIndex: 1, include: tree, abis: abis.map((a) => a.name), totals: totals(results, abis.map((a) => a.name)), headers: results };
  if (out !== undefined) writeAtomic(join(out, 'index.json'), JSON.stringify(index, null, 2) + '\n');
  process.stdout.write(summaryText(index, seconds, Math.min(jobs, tasks.length)));
  return results.some((r) => r.abis.some((a) => a.status === 'errors')) ? 1 : 0;
}

/** A task that failed in its worker (out of memory, a bug) counts as an error on each of its ABIs. */
function resultOf(task: LayoutTask, outcome: TaskOutcome<LayoutResult>): LayoutResult {
  if (outcome.ok) return outcome.result;
  const first = `${task.header}: error: ${outcome.outOfMemory ? outcome.message : `uapi-ts failed on this header (a bug, please report it): ${outcome.message}`}`;
  return { header: task.header, abis: task.abis.map((abi): AbiOutcome => ({ abi, status: 'errors', errors: 1, warnings: 0, first })) };
}

function totals(results: readonly LayoutResult[], abis: readonly string[]): LayoutIndex['totals'] {
  const t: LayoutIndex['totals'] = {};
  for (const a of abis) t[a] = { headers: 0, clean: 0, warnings: 0, errors: 0 };
  for (const r of results) {
    for (const o of r.abis) {
      const row = t[o.abi]!;
      row.headers++;
      row[o.status]++;
    }
  }
  return t;
}

/** The table, then every header with errors and its first diagnostic (ABIs with the same one merged). */
export function summaryText(index: LayoutIndex, seconds: number, jobs: number): string {
  const lines: string[] = [];
  lines.push(`${printable(index.include)}: ${index.headers.length} headers x ${index.abis.length} ABI${index.abis.length === 1 ? '' : 's'} in ${seconds.toFixed(1)} s (${jobs} worker${jobs === 1 ? '' : 's'})`);
  lines.push('');
  lines.push(`${'abi'.padEnd(9)} ${'headers'.padStart(7)} ${'clean'.padStart(7)} ${'warnings'.padStart(9)} ${'errors'.padStart(7)}`);
  for (const abi of index.abis) {
    const t = index.totals[abi]!;
    lines.push(`${abi.padEnd(9)} ${String(t.headers).padStart(7)} ${String(t.clean).padStart(7)} ${String(t.warnings).padStart(9)} ${String(t.errors).padStart(7)}`);
  }
  const failed = index.headers.filter((h) => h.abis.some((a) => a.status === 'errors'));
  if (failed.length > 0) {
    lines.push('');
    lines.push(`headers with errors (${failed.length}), the first diagnostic on each ABI:`);
    for (const h of failed) {
      // The same diagnostic on several ABIs is shown once, with the ABI's name and multiarch
      // dir in it replaced by <abi> and <triplet>.
      const byFirst = new Map<string, { abis: string[]; text: string }>();
      for (const a of h.abis) {
        if (a.status !== 'errors') continue;
        const triplet = getAbi(a.abi)?.triplet ?? a.abi;
        const key = (a.first ?? '').split(triplet).join('<triplet>').replace(new RegExp(`\\b${a.abi}\\b`, 'g'), '<abi>');
        const g = byFirst.get(key) ?? { abis: [], text: a.first ?? '' };
        g.abis.push(a.abi);
        byFirst.set(key, g);
      }
      for (const [key, g] of byFirst) {
        const where = g.abis.length === index.abis.length && g.abis.length > 1 ? 'all ABIs' : g.abis.join(', ');
        lines.push(`  ${h.header} [${where}]: ${g.abis.length > 1 ? key : g.text}`);
      }
    }
  }
  return printable(lines.join('\n') + '\n', '\n');
}
