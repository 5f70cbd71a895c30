/**
 * `uapi-ts diff --all --from <dir> --to <dir>`: every header of two include trees on every ABI,
 * each diffed as `uapi-ts diff <header>` does, over worker threads (pool.ts, tree-diff.ts).
 */
import os from 'node:os';
import { printable } from '../diagnostics.js';
import { EXIT, summarize } from '../diff/index.js';
import { KIND_ORDER, type ChangeKind } from '../diff/types.js';
import { LIMITS_HELP } from '../limits.js';
import { diffJson, type DiffJson } from '../report/diff-json.js';
import { diffMarkdown } from '../report/diff-markdown.js';
import { diffText } from '../report/diff-text.js';
import { one, parseArgs, UsageError } from './args.js';
import { dirLabel, notADirectory, printableData, wantColor } from './diff-support.js';
import { DEFAULT_WORKER_MB, positiveInt, WORKER } from './layout-all.js';
import { LIMIT_VALUES, limitsFrom, selectAbis } from './load.js';
import { runPool, type TaskOutcome } from './pool.js';
import { Progress } from './progress.js';
import { selectHeaders, treeHeaders } from './tree.js';
import type { DiffResult, DiffTask, DiffWorkerData } from './tree-diff.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const DIFF_ALL_HELP = `usage: uapi-ts diff --all --from <include-dir> --to <include-dir> [-I <dir>]... [options]

Every header of the two trees (every *.h under each dir; <dir>/<triplet>/asm/... on that ABI
only), on every ABI (--abi, default all eight), each compared and classified exactly as
\`uapi-ts diff <header>\` does (see uapi-ts diff --help), in one process. A header only one tree has
is compared with an empty header (every declaration new, or removed).

options:
  --abi <abi>[,<abi>]|all      default all eight
  --include GLOB, --exclude GLOB   headers to keep (as for layout --all: * ? within a segment, **
                               across; a glob without '/' also matches the base name)
  --format text|json|markdown  text (default): each changed header's report, then the totals;
                               json: one document, the one-header document per header under an
                               index with totals (docs/diff.md); markdown: totals, then each changed
                               header's report
  --color auto|always|never    (text)
  --from-label, --to-label     names of the two sides (default: the dirs' names)
  --jobs N                     worker threads (default: the number of cores)
  --max-worker-memory MB       each worker's heap ceiling (default ${DEFAULT_WORKER_MB}; see layout --all --help)
Progress goes to stderr (a bar on a terminal, plain lines otherwise).

exit status: the one-header bitmask OR-ed over every header: 1 error (a header with layout errors
on a side, unreadable input), 2 usage, 4 changes, 8 breaking changes. Fail CI when (status & 11) != 0.

${LIMITS_HELP}
`;

export interface DiffAllJson {
  from: string;
  to: string;
  abis: string[];
  totals: {
    /** Headers compared. */
    headers: number;
    /** Headers with any change, with a breaking change, with errors on a side. */
    changed: number;
    breaking: number;
    errors: number;
    /** Per-ABI change counts by kind over every header. */
    summary: Record<ChangeKind, number>;
  };
  /** Every header's exit bits OR-ed (the command's exit status). */
  exit: number;
  /** The one-header document of each header (code-point order), with its error diagnostics. */
  headers: (DiffJson & { errors: string[] })[];
}

export async function diffAllCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: ['from', 'to', 'abi', 'format', 'color', 'from-label', 'to-label', 'include', 'exclude', 'jobs', 'max-worker-memory', ...LIMIT_VALUES],
    booleans: ['all', 'help'],
  });
  if (args.flags.has('help')) {
    process.stdout.write(DIFF_ALL_HELP);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`--all compares every header of the trees: no header or file arguments (given '${printable(args.positional[0]!)}')`);
  const from = one(args, 'from');
  const to = one(args, 'to');
  if (from === undefined || to === undefined) throw new UsageError('usage: uapi-ts diff --all --from <dir> --to <dir> (see diff --all --help)');
  const format = one(args, 'format') ?? 'text';
  if (!['text', 'json', 'markdown'].includes(format)) throw new UsageError(`--format with --all must be text, json or markdown, not '${printable(format)}'`);
  const color = wantColor(one(args, 'color') ?? 'auto');
  const abis = selectAbis(args.flags.get('abi'));
  const jobs = positiveInt(args, 'jobs', os.availableParallelism());
  const heapMb = positiveInt(args, 'max-worker-memory', DEFAULT_WORKER_MB);
  const limits = limitsFrom(args);
  const extra = args.flags.get('I') ?? [];
  const bad = [['--from', from], ['--to', to]].map(([flag, dir]) => notADirectory(flag!, dir!)).filter((e) => e !== undefined);
  if (bad.length > 0) {
    for (const e of bad) process.stderr.write(`uapi-ts diff: ${printable(e)}\n`);
    return EXIT.ERROR;
  }
  const notTrees = [['--from', from], ['--to', to]].filter(([, dir]) => !existsSync(join(dir!, 'linux/types.h')));
  if (notTrees.length > 0) throw new UsageError(notTrees.map(([flag, dir]) => `${flag} ${dir}: not a uapi include tree (no linux/types.h under it)`).join('; '));

  const include = args.flags.get('include') ?? [];
  const exclude = args.flags.get('exclude') ?? [];
  const olds = selectHeaders(treeHeaders(from, abis), include, exclude);
  const news = selectHeaders(treeHeaders(to, abis), include, exclude);
  const names = [...new Set([...olds.keys(), ...news.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) {
    process.stderr.write(`uapi-ts diff: no headers under ${printable(from)} nor ${printable(to)}${include.length + exclude.length > 0 ? ' match --include/--exclude' : ''}\n`);
    return EXIT.ERROR;
  }
  const tasks: DiffTask[] = names.map((header) => ({
    header,
    abis: abis.map((a) => ({ abi: a.name, from: olds.get(header)?.has(a.name) ?? false, to: news.get(header)?.has(a.name) ?? false })).filter((a) => a.from || a.to),
  }));
  const fromLabel = one(args, 'from-label') ?? dirLabel(from);
  const toLabel = one(args, 'to-label') ?? dirLabel(to);
  const data: DiffWorkerData = { mode: 'diff', from, to, extra, fromLabel, toLabel, limits };
  const results: DiffResult[] = new Array(tasks.length);
  const progress = new Progress(tasks.length, 'headers');
  await runPool<DiffTask, DiffResult>(WORKER, tasks, { jobs: Math.min(jobs, tasks.length), heapMb, workerData: data }, (i, outcome) => {
    results[i] = resultOf(tasks[i]!, outcome, data);
    progress.step(tasks[i]!.header, results[i]!.errors.length > 0);
  });
  progress.done();

  for (const r of results) for (const e of r.errors) process.stderr.write(`${printable(e)}\n`);
  const doc = indexOf(results, fromLabel, toLabel, abis.map((a) => a.name));
  if (format === 'json') process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  else if (format === 'markdown') {
    process.stdout.write(totalsMarkdown(doc));
    for (const r of results) if (r.run.changes.length > 0) process.stdout.write('\n' + diffMarkdown(printableData(r.run)));
  } else {
    for (const r of results) if (r.run.changes.length > 0) process.stdout.write(diffText(printableData(r.run), color) + '\n');
    process.stdout.write(printable(totalsText(doc), '\n'));
  }
  return doc.exit;
}

/** A header whose worker failed (out of memory, a bug) is an error of that header: nothing compared. */
function resultOf(task: DiffTask, outcome: TaskOutcome<DiffResult>, data: DiffWorkerData): DiffResult {
  if (outcome.ok) return outcome.result;
  const why = outcome.outOfMemory ? outcome.message : `uapi-ts failed on this header (a bug, please report it): ${outcome.message}`;
  return {
    header: task.header,
    run: { header: task.header, from: data.fromLabel, to: data.toLabel, abis: task.abis.map((a) => a.abi), changes: [], notes: [`not compared: ${why}`] },
    exit: EXIT.ERROR,
    errors: [`${task.header}: error: ${why}`],
  };
}

export function indexOf(results: readonly DiffResult[], from: string, to: string, abis: string[]): DiffAllJson {
  const headers = results.map((r) => ({ ...diffJson(r.run), errors: r.errors }));
  const summary = summarize(results.flatMap((r) => r.run.changes));
  return {
    from,
    to,
    abis,
    totals: {
      headers: results.length,
      changed: results.filter((r) => r.run.changes.length > 0).length,
      breaking: results.filter((r) => r.run.changes.some((c) => c.kind === 'breaking')).length,
      errors: results.filter((r) => r.errors.length > 0).length,
      summary,
    },
    exit: results.reduce((bits, r) => bits | r.exit, 0),
    headers,
  };
}

function kindCounts(s: Record<ChangeKind, number>): string {
  return KIND_ORDER.map((k) => `${s[k]} ${k}`).join(', ');
}

export function totalsText(doc: DiffAllJson): string {
  const t = doc.totals;
  const lines = [
    `${doc.from} -> ${doc.to} [${doc.abis.join(' ')}]: ${t.headers} headers, ${t.changed} changed, ${t.breaking} with breaking changes, ${t.errors} with errors`,
    `${kindCounts(t.summary)} (per-ABI changes over ${doc.abis.length} ABI${doc.abis.length === 1 ? '' : 's'})`,
  ];
  const changed = doc.headers.filter((h) => h.changes.length > 0 || h.errors.length > 0);
  if (changed.length > 0) {
    const w = Math.max(6, ...changed.map((h) => h.header.length));
    lines.push('', `${'header'.padEnd(w)}  exit  ${KIND_ORDER.map((k) => k.padStart(11)).join('')}  errors`);
    for (const h of changed) lines.push(`${h.header.padEnd(w)}  ${String(h.exit | (h.errors.length > 0 ? 1 : 0)).padStart(4)}  ${KIND_ORDER.map((k) => String(h.summary[k]).padStart(11)).join('')}  ${h.errors.length > 0 ? h.errors[0] : ''}`);
  }
  lines.push(`exit ${doc.exit}`);
  return lines.join('\n') + '\n';
}

function totalsMarkdown(doc: DiffAllJson): string {
  const t = doc.totals;
  const cell = (s: string): string => printable(s).replace(/\|/g, '\\|');
  const out = [`## uapi layout diff: ${cell(doc.from)} → ${cell(doc.to)}, every header`, '', `${t.headers} headers, ${t.changed} changed, **${t.breaking} with breaking changes**, ${t.errors} with errors — ${kindCounts(t.summary)} — ABIs: ${doc.abis.join(', ')}`, ''];
  const changed = doc.headers.filter((h) => h.changes.length > 0 || h.errors.length > 0);
  if (changed.length > 0) {
    out.push(`| header | ${KIND_ORDER.join(' | ')} | first error |`, `| --- |${KIND_ORDER.map(() => ' ---: |').join('')} --- |`);
    for (const h of changed) out.push(`| \`${cell(h.header)}\` | ${KIND_ORDER.map((k) => h.summary[k]).join(' | ')} | ${cell(h.errors[0] ?? '')} |`);
    out.push('');
  }
  return out.join('\n');
}
