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
import { analyze, type Analysis, type HeaderRequest } from '../pipeline.js';
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
  /** Headers included first in every header's translation unit, on both sides (--prelude). */
  prelude?: string[];
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
  // The old side of each ABI, with every path its preprocessor asked for and what it found.
  const oldSide = new Map<string, { analysis: Analysis; doc: LayoutJson; errors: string[]; probes: Map<string, ReturnType<HeaderRequest['read']>> }>();
  const side = (dir: string, has: (abi: string) => boolean, isNew: boolean): LayoutJson[] =>
    abis.map((abi) => {
      if (!has(abi.name)) {
        notes.push(`${task.header} is not in ${dir} on ${abi.name}: every declaration is ${isNew ? 'removed' : 'new'}`);
        return { abi: abi.name, header: task.header, records: [], constants: [] };
      }
      const old = isNew ? oldSide.get(abi.name) : undefined;
      if (old && sameInputs(old.probes, data.from, data.to, read)) {
        // Every file this translation unit read (and every include-search miss) is the same in
        // both trees: the new side is the old one, with the tree's path in what it prints.
        for (const e of old.errors) errors.add(moveTree(e, data.from, data.to));
        relocated.set(abi.name, includedDeclarations(old.analysis, [data.from, ...data.extra]));
        return JSON.parse(moveTree(JSON.stringify(old.doc), data.from, data.to)) as LayoutJson;
      }
      const probes = new Map<string, ReturnType<HeaderRequest['read']>>();
      const tracked = (path: string): ReturnType<HeaderRequest['read']> => {
        const v = read(path);
        probes.set(path, v);
        return v;
      };
      const a = analyze({ header: task.header, includeDirs: [dir, ...data.extra], read: tracked, limits: data.limits, ...(data.prelude ? { prelude: data.prelude } : {}) }, abi);
      const errs = a.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
      for (const e of errs) errors.add(e);
      if (isNew) relocated.set(abi.name, includedDeclarations(a, [dir, ...data.extra]));
      const doc = toLayoutJson(a.laid);
      if (!isNew) oldSide.set(abi.name, { analysis: a, doc, errors: errs, probes });
      return doc;
    });
  const flag = new Map(task.abis.map((a) => [a.abi, a]));
  const olds = side(data.from, (abi) => flag.get(abi)!.from, false);
  const news = side(data.to, (abi) => flag.get(abi)!.to, true);
  const run = makeRun(task.header, data.fromLabel, data.toLabel, olds, news, abis.map((a) => a.name), relocated);
  run.notes.unshift(...collapseNotes(notes, abis.length));
  return { header: task.header, run, exit: exitBits(run.changes) | (errors.size > 0 ? 1 : 0), errors: [...errors] };
}

/** Did every path read under `from` find the same thing (the same text, or nothing) under `to`? */
function sameInputs(probes: ReadonlyMap<string, ReturnType<HeaderRequest['read']>>, from: string, to: string, read: HeaderRequest['read']): boolean {
  for (const [path, found] of probes) {
    if (!path.startsWith(from)) continue; // an extra -I dir: the same for both sides
    const there = read(to + path.slice(from.length));
    if (typeof found === 'string' ? found !== there : found !== undefined || there !== undefined) return false;
  }
  return true;
}

/** A path (or text quoting paths) of the `from` tree as the same place in the `to` tree. */
function moveTree(text: string, from: string, to: string): string {
  return text.split(from).join(to);
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
