/** `uapi-ts diff --format json` (shape documented in docs/diff.md). */
import { exitBits, groupChanges, summarize } from '../diff/index.js';
import type { ChangeGroup, ChangeKind } from '../diff/types.js';
import type { DiffRun } from './diff-common.js';

export interface DiffJson {
  header: string;
  from: string;
  to: string;
  abis: string[];
  /** Per-ABI change counts by kind (an identical change on 8 ABIs counts 8). */
  summary: Record<ChangeKind, number>;
  /** The change bits of the exit code (4 change, 8 breaking); error bits are not included. */
  exit: number;
  notes: string[];
  /** Changes identical across ABIs merged, with the ABIs in `abis`. */
  changes: ChangeGroup[];
}

export function diffJson(run: DiffRun): DiffJson {
  return {
    header: run.header,
    from: run.from,
    to: run.to,
    abis: run.abis,
    summary: summarize(run.changes),
    exit: exitBits(run.changes),
    notes: run.notes,
    changes: groupChanges(run.changes),
  };
}
