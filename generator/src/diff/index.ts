/**
 * The diff stage: layout JSON in, classified changes out. Pure: no file system, no printing.
 * Classification follows kernel uapi conventions; see types.ts for the kinds and docs/diff.md.
 */
import type { LayoutJson } from '../contract/layout-json.js';
import { diffConstants } from './constants.js';
import { diffRecord, recordAdded, recordKey, recordRemoved } from './records.js';
import { KIND_ORDER, type Change, type ChangeGroup, type ChangeKind, type DiffOptions } from './types.js';

export * from './types.js';
export { decodeIoctl, isIoctl } from './ioctl.js';

/** Every change from `old` to `new` (one ABI: both documents must be for the same ABI). */
export function diffLayouts(old: LayoutJson, nw: LayoutJson, opts: DiffOptions = {}): Change[] {
  if (old.abi !== nw.abi) throw new Error(`diffLayouts: ABIs differ (${old.abi} vs ${nw.abi})`);
  const abi = nw.abi;
  const out: Change[] = [];
  const newBy = new Map(nw.records.map((r) => [recordKey(r), r]));
  const oldBy = new Map(old.records.map((r) => [recordKey(r), r]));
  for (const o of old.records) {
    const n = newBy.get(recordKey(o));
    if (n) out.push(...diffRecord(o, n, abi));
    else if (!nw.unsupported?.some((u) => u.name === recordKey(o))) out.push(recordRemoved(o, abi, opts.relocated?.get(recordKey(o))));
  }
  for (const n of nw.records) if (!oldBy.has(recordKey(n))) out.push(recordAdded(n, abi));
  out.push(...diffConstants(old.constants, nw.constants, abi, opts.relocated));
  return out;
}

/** Pair per-ABI documents and diff each pair, in the order of `old`. */
export function diffAll(olds: readonly LayoutJson[], news: readonly LayoutJson[], relocatedByAbi?: ReadonlyMap<string, ReadonlyMap<string, string>>): Change[] {
  const newBy = new Map(news.map((d) => [d.abi, d]));
  return olds.flatMap((o) => {
    const n = newBy.get(o.abi);
    const relocated = relocatedByAbi?.get(o.abi);
    return n ? diffLayouts(o, n, relocated ? { relocated } : {}) : [];
  });
}

/** Merge changes that are identical except for their ABI; groups keep first-seen order. */
export function groupChanges(changes: readonly Change[]): ChangeGroup[] {
  const groups = new Map<string, ChangeGroup>();
  for (const c of changes) {
    const { abi, ...rest } = c;
    const key = JSON.stringify(rest);
    const g = groups.get(key);
    if (g) g.abis.push(abi);
    else groups.set(key, { ...rest, abis: [abi] });
  }
  return [...groups.values()];
}

/** Counts by kind. */
export function summarize(changes: readonly Change[]): Record<ChangeKind, number> {
  const s = { breaking: 0, compatible: 0, padding: 0, api: 0 };
  for (const c of changes) s[c.kind]++;
  return s;
}

export function worstKind(changes: readonly Change[]): ChangeKind | undefined {
  return KIND_ORDER.find((k) => changes.some((c) => c.kind === k));
}

/** Exit-code bits (docs/diff.md), abidiff style. */
export const EXIT = { ERROR: 1, USAGE: 2, CHANGE: 4, BREAKING: 8 } as const;

export function exitBits(changes: readonly Change[]): number {
  let bits = 0;
  if (changes.length > 0) bits |= EXIT.CHANGE;
  if (changes.some((c) => c.kind === 'breaking')) bits |= EXIT.BREAKING;
  return bits;
}
