/** `uapi-ts layout <header> -I <dir>... --abi <abi|all> [--format text|json]` */
import { formatDiagnostic, hasErrors } from '../diagnostics.js';
import { toLayoutJson } from '../report/json.js';
import { capAlignWarnings, formatCapAlignWarning, layoutText } from '../report/text.js';
import { one, parseArgs, UsageError } from './args.js';
import { analyzeHeader, selectAbis } from './load.js';

export const LAYOUT_USAGE = 'usage: uapi-ts layout <header> -I <dir>... [--abi <abi>|all] [--format text|json]';

export function layoutCommand(argv: readonly string[]): number {
  const args = parseArgs(argv, { values: ['abi', 'format'], booleans: [] });
  const header = args.positional[0];
  if (!header || args.positional.length > 1) throw new UsageError(LAYOUT_USAGE);
  const format = one(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  const includeDirs = args.flags.get('I') ?? [];
  const abis = selectAbis(args.flags.get('abi'), 'host');
  const analyses = analyzeHeader(header, includeDirs, abis);
  const printed = new Set<string>();
  let failed = false;
  for (const a of analyses) {
    for (const d of a.diagnostics) {
      const line = formatDiagnostic(d);
      if (!printed.has(line)) process.stderr.write(line + '\n');
      printed.add(line);
    }
    if (hasErrors(a.diagnostics)) failed = true;
  }
  if (format === 'json') {
    for (const a of analyses) for (const w of capAlignWarnings(a.laid)) process.stderr.write(formatCapAlignWarning(w) + '\n');
    const docs = analyses.map((a) => toLayoutJson(a.laid));
    // One ABI: the object itself; several: an array of them.
    process.stdout.write(JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2) + '\n');
  } else {
    // The text view carries its cap_offset warnings itself.
    process.stdout.write(analyses.map((a) => layoutText(a.laid)).join('\n'));
  }
  return failed ? 1 : 0;
}
