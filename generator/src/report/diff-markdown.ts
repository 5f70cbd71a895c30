/** `uapi-ts diff --format markdown`: a PR comment, breaking changes first, the rest folded. */
import { summarize } from '../diff/index.js';
import { KIND_ORDER, type ChangeKind } from '../diff/types.js';
import { abiList, subjectTitle, type DiffRun } from './diff-common.js';
import { groupChanges } from '../diff/index.js';

const TITLE: Record<ChangeKind, string> = {
  breaking: ':x: Breaking',
  compatible: ':white_check_mark: Compatible extensions',
  padding: ':jigsaw: Explicit padding',
  api: ':pencil2: API only',
};

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function diffMarkdown(run: DiffRun): string {
  const out: string[] = [];
  out.push(`### uapi layout diff: \`${run.header}\` ${run.from} → ${run.to}`, '');
  const s = summarize(run.changes);
  const counts = KIND_ORDER.map((k) => (k === 'breaking' && s[k] > 0 ? `**${s[k]} breaking**` : `${s[k]} ${k}`)).join(' · ');
  out.push(`${counts} — ABIs: ${run.abis.join(', ')}`, '');
  for (const n of run.notes) out.push(`> note: ${n}`, '');
  if (run.changes.length === 0) {
    out.push('No layout or constant changes.', '');
    return out.join('\n');
  }
  const groups = groupChanges(run.changes);
  for (const kind of KIND_ORDER) {
    const gs = groups.filter((g) => g.kind === kind);
    if (gs.length === 0) continue;
    const table = ['| What | Field | ABIs | Why |', '| --- | --- | --- | --- |'];
    for (const g of gs) table.push(`| \`${cell(subjectTitle(g))}\` | ${g.field ? `\`${cell(g.field)}\`` : ''} | ${cell(abiList(g.abis, run.abis))} | ${cell(g.why)} |`);
    if (kind === 'breaking') out.push(`#### ${TITLE[kind]} (${gs.length})`, '', ...table, '');
    else out.push(`<details><summary>${TITLE[kind]} (${gs.length})</summary>`, '', ...table, '', '</details>', '');
  }
  return out.join('\n');
}
