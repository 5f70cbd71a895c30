/** `uapi-ts history` reports: one table of sizes per struct, per ABI group, per kernel. */
import type { HistoryCell, HistoryRow } from '../diff/history.js';
import type { ChangeKind } from '../diff/types.js';
import { abiList } from './diff-common.js';

export interface HistoryRun {
  header: string;
  labels: string[];
  abis: string[];
  rows: HistoryRow[];
}

const MARK: Record<ChangeKind, string> = { breaking: '!', compatible: '+', padding: '~', api: '=' };
const LEGEND = 'sizes in bytes; marker = worst change from the previous column: ! breaking, + compatible, ~ padding, = api; - absent';

function cellText(c: HistoryCell): string {
  const s = c.size === undefined ? '-' : String(c.size);
  return c.kind ? `${s}${MARK[c.kind]}` : s;
}

export function historyText(run: HistoryRun): string {
  const head = ['struct', 'ABIs', ...run.labels];
  const body = run.rows.map((r, i) => [
    i > 0 && run.rows[i - 1]!.record === r.record ? '' : r.record.replace(/^struct /, ''),
    abiList(r.abis, run.abis),
    ...r.cells.map(cellText),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cols: string[]): string => cols.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [`${run.header}: ${LEGEND}`, '', line(head), ...body.map(line)].join('\n') + '\n';
}

export function historyMarkdown(run: HistoryRun): string {
  const out = [`### \`${run.header}\` struct sizes by kernel`, '', `_${LEGEND}_`, '', `| struct | ABIs | ${run.labels.join(' | ')} |`, `| --- | --- | ${run.labels.map(() => '---:').join(' | ')} |`];
  for (const r of run.rows) out.push(`| \`${r.record}\` | ${abiList(r.abis, run.abis)} | ${r.cells.map(cellText).join(' | ')} |`);
  return out.join('\n') + '\n';
}

export function historyJson(run: HistoryRun): unknown {
  return { header: run.header, labels: run.labels, abis: run.abis, rows: run.rows };
}
