/**
 * One worker thread of the whole-tree commands (pool.ts): takes one header at a time and answers
 * with a small summary; the layout JSON (layout --all --out) is written here, so the main thread
 * never holds the tree's layouts. Each worker keeps one snapshot of the files it has read: a
 * shared include (linux/types.h, asm/...) is read once per worker, not once per header.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { formatDiagnostic } from '../diagnostics.js';
import { getAbi, type Abi } from '../layout/abi/index.js';
import { toLayoutJson } from '../layout/json.js';
import type { Limits } from '../limits.js';
import { analyze } from '../pipeline.js';
import { readSource, writeAtomic } from './io.js';
import type { ResultMessage, TaskMessage } from './pool.js';
import { diffTask, type DiffTask, type DiffWorkerData } from './tree-diff.js';

export interface LayoutWorkerData {
  mode: 'layout';
  includeDirs: string[];
  limits: Partial<Limits>;
  /** Write each layout JSON as `<out>/<abi>/<header>.json`. */
  out?: string;
}

export interface LayoutTask {
  header: string;
  /** The ABIs (by name) on which the tree has the header. */
  abis: string[];
}

export type AbiStatus = 'clean' | 'warnings' | 'errors';

export interface AbiOutcome {
  abi: string;
  status: AbiStatus;
  errors: number;
  warnings: number;
  /** The first error (or, when none, the first warning), as printed: `file:line:col: error: ... [code]`. */
  first?: string;
  /** Relative to --out: the layout JSON written. */
  file?: string;
}

export interface LayoutResult {
  header: string;
  abis: AbiOutcome[];
}

const files = new Map<string, ReturnType<typeof readSource>>();
const read = (path: string): ReturnType<typeof readSource> => {
  if (!files.has(path)) files.set(path, readSource(path));
  return files.get(path);
};

/** The layout JSON file of a header on an ABI, relative to --out. */
export function layoutFile(abi: string, header: string): string {
  return `${abi}/${header}.json`;
}

export function layoutTask(data: LayoutWorkerData, task: LayoutTask): LayoutResult {
  const abis = task.abis.map((n) => getAbi(n)).filter((a): a is Abi => a !== undefined);
  const out: AbiOutcome[] = [];
  for (const abi of abis) {
    const a = analyze({ header: task.header, includeDirs: data.includeDirs, read, limits: data.limits }, abi);
    const errors = a.diagnostics.filter((d) => d.severity === 'error');
    const warnings = a.diagnostics.filter((d) => d.severity === 'warning');
    const first = errors[0] ?? warnings[0];
    const o: AbiOutcome = { abi: abi.name, status: errors.length > 0 ? 'errors' : warnings.length > 0 ? 'warnings' : 'clean', errors: errors.length, warnings: warnings.length };
    if (first) o.first = formatDiagnostic(first);
    if (data.out !== undefined) {
      o.file = layoutFile(abi.name, task.header);
      writeAtomic(join(data.out, o.file), JSON.stringify(toLayoutJson(a.laid), null, 2) + '\n');
    }
    out.push(o);
  }
  return { header: task.header, abis: out };
}

if (parentPort) {
  const data = workerData as LayoutWorkerData | DiffWorkerData;
  parentPort.on('message', (m: TaskMessage<LayoutTask | DiffTask>) => {
    let reply: ResultMessage<unknown>;
    try {
      reply = { index: m.index, result: data.mode === 'layout' ? layoutTask(data, m.task as LayoutTask) : diffTask(data, m.task as DiffTask, read) };
    } catch (e) {
      reply = { index: m.index, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
    parentPort!.postMessage(reply);
  });
}
