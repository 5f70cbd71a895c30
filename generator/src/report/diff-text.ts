/** `uapi-ts diff --format text`: a readable report, ANSI-colored when asked. */
import type { ChangeKind } from '../diff/types.js';
import { abiList, bySubject, summaryLine, type DiffRun } from './diff-common.js';

const COLOR: Record<ChangeKind, string> = { breaking: '\x1b[1;31m', compatible: '\x1b[32m', padding: '\x1b[36m', api: '\x1b[33m' };
const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';

export function diffText(run: DiffRun, color: boolean): string {
  const paint = (code: string, s: string): string => (color ? `${code}${s}${RESET}` : s);
  const lines: string[] = [];
  lines.push(paint(BOLD, `${run.header}: ${run.from} -> ${run.to}`) + ` [${run.abis.join(' ')}]`);
  for (const n of run.notes) lines.push(`note: ${n}`);
  if (run.changes.length === 0) {
    lines.push('no layout or constant changes');
    return lines.join('\n') + '\n';
  }
  lines.push(summaryLine(run), '');
  for (const e of bySubject(run.changes)) {
    lines.push(paint(BOLD, e.title));
    for (const g of e.groups) {
      const tag = paint(COLOR[g.kind], g.kind.padEnd(10));
      const field = g.field ? `${g.field}: ` : '';
      lines.push(`  ${tag} on ${abiList(g.abis, run.abis)}: ${field}${g.why}`);
    }
  }
  return lines.join('\n') + '\n';
}
