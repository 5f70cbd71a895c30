/** What every diff report shares: the run's description and changes organized by subject. */
import { groupChanges, summarize } from '../diff/index.js';
import { KIND_ORDER, type Change, type ChangeGroup, type ChangeKind } from '../diff/types.js';

export interface DiffRun {
  /** Header, e.g. "linux/vfio.h" (from the layout documents when diffing JSON files). */
  header: string;
  /** Labels of the two sides: tree directory names or file names. */
  from: string;
  to: string;
  /** ABIs compared, in order. */
  abis: string[];
  changes: Change[];
  /** Problems worth a line in the report (an ABI missing on one side, records that could not be laid out). */
  notes: string[];
}

/** Changes about one struct/union or one constant: its ABI-grouped variants, worst first. */
export interface SubjectEntry {
  title: string;
  worst: ChangeKind;
  groups: ChangeGroup[];
}

export function subjectTitle(c: Change | ChangeGroup): string {
  if (c.record) return c.record;
  const noun = c.subject === 'ioctl' ? 'ioctl ' : c.subject === 'capability' ? 'capability ' : '';
  return `${noun}${c.constant ?? '?'}`;
}

const rank = (k: ChangeKind): number => KIND_ORDER.indexOf(k);

/** Subjects ordered by their worst change (then first appearance); groups inside by kind. */
export function bySubject(changes: readonly Change[]): SubjectEntry[] {
  const entries = new Map<string, SubjectEntry>();
  for (const g of groupChanges(changes)) {
    const title = subjectTitle(g);
    const e = entries.get(title);
    if (e) {
      e.groups.push(g);
      if (rank(g.kind) < rank(e.worst)) e.worst = g.kind;
    } else entries.set(title, { title, worst: g.kind, groups: [g] });
  }
  const list = [...entries.values()];
  for (const e of list) e.groups.sort((a, b) => rank(a.kind) - rank(b.kind));
  return list.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e.worst) - rank(b.e.worst) || a.i - b.i).map((x) => x.e);
}

/** "all 8 ABIs" or "x86_64, aarch64". */
export function abiList(abis: readonly string[], all: readonly string[]): string {
  if (all.length > 1 && abis.length === all.length) return `all ${all.length} ABIs`;
  return abis.join(', ');
}

export function summaryLine(run: DiffRun): string {
  const s = summarize(run.changes);
  const parts = KIND_ORDER.map((k) => `${s[k]} ${k}`);
  return `${parts.join(', ')} (per-ABI changes over ${run.abis.length} ABI${run.abis.length === 1 ? '' : 's'})`;
}
