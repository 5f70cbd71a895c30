/**
 * One header of `uapi-ts diff --all` (run in a worker, tree-worker.ts): the header on both trees,
 * on every ABI where either tree has it, diffed as `uapi-ts diff <header> --from --to` does.
 */
import { formatDiagnostic } from '../diagnostics.js';
import type { LayoutJson } from '../contract/layout-json.js';
import { exitBits } from '../diff/index.js';
import { getAbi, type Abi } from '../layout/abi/index.js';
import { toLayoutJson } from '../layout/json.js';
import type { Limits } from '../limits.js';
import { analyze, type HeaderRequest } from '../pipeline.js';
import type { DiffRun } from '../report/diff-common.js';
import { includedDeclarations, makeRun } from './diff-support.js';

export interface DiffWorkerData {
  mode: 'diff';
  from: string;
  to: string;
  /** -I dirs added to both sides. */
  extra: string[];
  fromLabel: string;
  toLabel: string;
  limits: Partial<Limits>;
}

export interface DiffTask {
  header: string;
  /** Per ABI (by name): whether each tree has the header on it. */
  abis: { abi: string; from: boolean; to: boolean }[];
}

export interface DiffResult {
  header: string;
  run: DiffRun;
  /** The change bits (4, 8) of this header, and 1 when a side had errors. */
  exit: number;
  /** Each distinct error diagnostic of either side, as printed. */
  errors: string[];
}

export function diffTask(data: DiffWorkerData, task: DiffTask, read: HeaderRequest['read']): DiffResult {
  const abis = task.abis.map((a) => getAbi(a.abi)).filter((a): a is Abi => a !== undefined);
  const errors = new Set<string>();
  const notes: string[] = [];
  const relocated = new Map<string, Map<string, string>>();
  const side = (dir: string, has: (abi: string) => boolean, isNew: boolean): LayoutJson[] =>
    abis.map((abi) => {
      if (!has(abi.name)) {
        notes.push(`${task.header} is not in ${dir} on ${abi.name}: every declaration is ${isNew ? 'removed' : 'new'}`);
        return { abi: abi.name, header: task.header, records: [], constants: [] };
      }
      const a = analyze({ header: task.header, includeDirs: [dir, ...data.extra], read, limits: data.limits }, abi);
      for (const d of a.diagnostics) if (d.severity === 'error') errors.add(formatDiagnostic(d));
      if (isNew) relocated.set(abi.name, includedDeclarations(a, [dir, ...data.extra]));
      return toLayoutJson(a.laid);
    });
  const flag = new Map(task.abis.map((a) => [a.abi, a]));
  const olds = side(data.from, (abi) => flag.get(abi)!.from, false);
  const news = side(data.to, (abi) => flag.get(abi)!.to, true);
  const run = makeRun(task.header, data.fromLabel, data.toLabel, olds, news, abis.map((a) => a.name), relocated);
  run.notes.unshift(...collapseNotes(notes, abis.length));
  return { header: task.header, run, exit: exitBits(run.changes) | (errors.size > 0 ? 1 : 0), errors: [...errors] };
}

/** "x is not in 6.1 on x86_64" x 8 -> one note naming all ABIs. */
function collapseNotes(notes: readonly string[], count: number): string[] {
  const by = new Map<string, string[]>();
  for (const n of notes) {
    const m = /^(.*) on (\S+)(: .*)$/.exec(n)!;
    const key = `${m[1]}${m[3]}`;
    by.set(key, [...(by.get(key) ?? []), m[2]!]);
  }
  return [...by].map(([key, on]) => {
    const i = key.indexOf(': ');
    return `${key.slice(0, i)}${on.length === count ? '' : ` on ${on.join(', ')}`}${key.slice(i)}`;
  });
}
