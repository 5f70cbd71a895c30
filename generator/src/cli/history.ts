/** `uapi-ts history <header> --tree <dir>... [--label L]... [--abi A] [--format text|json|markdown]` */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic, printable } from '../diagnostics.js';
import { sizeHistory } from '../diff/history.js';
import { historyJson, historyMarkdown, historyText } from '../report/diff-history.js';
import { one, parseArgs, UsageError } from './args.js';
import { dirLabel, notADirectory } from './diff.js';
import { loadLayouts, selectAbis } from './load.js';

export const HISTORY_HELP = `usage: uapi-ts history <header> --tree <include-dir>... [--label <name>]... [-I <dir>]...
                       [--abi <abi>|all] [--format text|json|markdown]

The size of every struct and union the header declares, in each tree (oldest first), per ABI;
ABIs with identical histories share a row. A marker after a size gives the worst change from the
previous tree, as \`uapi-ts diff\` classifies it: ! breaking, + compatible, ~ padding, = api.
Trees are labelled by their directory name (headers/6.1/include -> 6.1) unless --label is given
once per tree. Exit status: 0, or 1 when a tree lacks the header or has layout errors, 2 usage.
`;

export function historyCommand(argv: readonly string[]): number {
  const args = parseArgs(argv, { values: ['tree', 'label', 'abi', 'format'], booleans: ['help'] });
  if (args.flags.has('help')) {
    process.stdout.write(HISTORY_HELP);
    return 0;
  }
  const header = args.positional[0];
  const trees = args.flags.get('tree') ?? [];
  if (!header || args.positional.length !== 1 || trees.length === 0) throw new UsageError('usage: uapi-ts history <header> --tree <dir>... (see --help)');
  const labels = args.flags.get('label') ?? trees.map(dirLabel);
  if (labels.length !== trees.length) throw new UsageError(`--label given ${labels.length} times for ${trees.length} trees`);
  const format = one(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'markdown') throw new UsageError(`--format must be text, json or markdown, not '${format}'`);
  const abis = selectAbis(args.flags.get('abi'));
  const extra = args.flags.get('I') ?? [];
  let failed = false;
  const docs = trees.map((t) => {
    const bad = notADirectory('--tree', t);
    if (bad !== undefined) {
      process.stderr.write(`uapi-ts history: ${printable(bad)}\n`);
      failed = true;
      return [];
    }
    if (!existsSync(join(t, header)) && !abis.some((a) => existsSync(join(t, a.triplet, header)))) {
      process.stderr.write(`uapi-ts history: ${printable(`${header} not found under ${t}`)}\n`);
      failed = true;
      return [];
    }
    const { layouts, diagnostics } = loadLayouts(header, [t, ...extra], abis);
    for (const d of diagnostics) {
      if (d.severity !== 'error') continue;
      process.stderr.write(formatDiagnostic(d) + '\n');
      failed = true;
    }
    return layouts;
  });
  const run = { header, labels, abis: abis.map((a) => a.name), rows: sizeHistory(docs) };
  if (format === 'json') process.stdout.write(JSON.stringify(historyJson(run), null, 2) + '\n');
  // Labels and the header come from the command line: shown, never acted on by the terminal.
  else if (format === 'markdown') process.stdout.write(printable(historyMarkdown(run), '\n'));
  else process.stdout.write(printable(historyText(run), '\n'));
  return failed ? 1 : 0;
}
