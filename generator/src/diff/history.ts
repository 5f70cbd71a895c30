/**
 * Size history of a header's structs and unions over a sequence of kernels, per ABI, with the worst
 * change kind at each step. Pure: per-tree layout documents in, table rows out.
 */
import type { LayoutJson } from '../contract/layout-json.js';
import { diffLayouts } from './index.js';
import { recordKey } from './records.js';
import { KIND_ORDER, type ChangeKind } from './types.js';

export interface HistoryCell {
  /** Size in bytes; absent when the tree does not have the record. */
  size?: number;
  /** Worst change to this record (or its fields) from the previous tree; absent at the first tree or when nothing changed. */
  kind?: ChangeKind;
}

export interface HistoryRow {
  record: string;
  /** ABIs whose cells are all identical. */
  abis: string[];
  cells: HistoryCell[];
}

/** `trees[i]` holds tree i's documents, one per ABI. */
export function sizeHistory(trees: readonly (readonly LayoutJson[])[]): HistoryRow[] {
  const abis = [...new Set(trees.flatMap((t) => t.map((d) => d.abi)))];
  const records: string[] = [];
  for (const t of trees) for (const d of t) for (const r of d.records) if (!records.includes(recordKey(r))) records.push(recordKey(r));

  // cells[record][abi] = one cell per tree
  const cells = new Map<string, Map<string, HistoryCell[]>>(records.map((r) => [r, new Map(abis.map((a) => [a, [] as HistoryCell[]]))]));
  for (const abi of abis) {
    const docs = trees.map((t) => t.find((d) => d.abi === abi));
    const steps = docs.map((d, i) => {
      const prev = i > 0 ? docs[i - 1] : undefined;
      return prev && d ? diffLayouts(prev, d) : [];
    });
    for (const rec of records) {
      const row = cells.get(rec)!.get(abi)!;
      docs.forEach((d, i) => {
        const r = d?.records.find((x) => recordKey(x) === rec);
        const cell: HistoryCell = {};
        if (r) cell.size = r.size;
        const kinds = steps[i]!.filter((c) => c.record === rec).map((c) => c.kind);
        const worst = KIND_ORDER.find((k) => kinds.includes(k));
        if (worst) cell.kind = worst;
        row.push(cell);
      });
    }
  }

  const rows: HistoryRow[] = [];
  for (const rec of records) {
    const byCells = new Map<string, HistoryRow>();
    for (const abi of abis) {
      const c = cells.get(rec)!.get(abi)!;
      const k = JSON.stringify(c);
      const row = byCells.get(k);
      if (row) row.abis.push(abi);
      else byCells.set(k, { record: rec, abis: [abi], cells: c });
    }
    rows.push(...byCells.values());
  }
  return rows;
}
