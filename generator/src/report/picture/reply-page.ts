/** `uapi-ts decode --caps --format html`: one page with the reply's byte map and its caps listed. */
import { esc } from './model.js';
import { htmlPage } from './page.js';
import { replyMap, type ReplyInput } from './reply.js';
import { renderMap } from './svg.js';

export function replyHtml(input: ReplyInput): string {
  const m = replyMap(input);
  const rows = input.caps.map(
    (c) =>
      `<tr class="${c.aligned ? '' : 'misaligned'}" data-offset="${c.offset}"><td>${c.offset}</td><td>${c.id}</td><td>${c.version}</td><td>${c.next}</td><td><code>${esc(c.name ?? 'unknown')}</code></td><td>${c.aligned ? 'yes' : '<span class="warntext">⚠ no</span>'}</td></tr>`,
  );
  const caps = input.caps.length > 0 ? `<table class="constants caps"><thead><tr><th>offset</th><th>id</th><th>version</th><th>next</th><th>struct</th><th>8-aligned</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : '';
  const refused = input.refused ? `<p class="warntext" role="alert">⚠ The strict policy refuses this chain: ${esc(input.refused)}. The map shows what --policy compat reads.</p>` : '';
  const notes = (input.notes ?? []).length > 0 ? `<ul class="note">${input.notes!.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
  return htmlPage({
    title: `${input.struct} reply (${input.abi})`,
    subtitle: esc(`${m.caption}. The bytes in hex under each row; the info struct and every capability over them, with their values; next links on the right.`),
    legend: ['member', 'hole', 'padding', 'beyond', 'cap', 'warn'],
    body: `${refused}${notes}<section class="record reply" id="${m.id}"><figure>${renderMap(m).svg}</figure>${caps}</section>`,
  });
}
