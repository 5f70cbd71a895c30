/** `uapi-ts layout <header> -I <dir>... --abi <abi|all> [--format text|json|html|svg] [--struct NAME]` */
import { formatDiagnostic, hasErrors, printable } from '../diagnostics.js';
import { getAbi } from '../layout/abi/index.js';
import { toLayoutJson } from '../layout/json.js';
import { layoutHtml, layoutSvg, recordNames } from '../report/picture/layout-page.js';
import { LIMITS_HELP } from '../limits.js';
import { layoutText } from '../report/text.js';
import { one, parseArgs, UsageError } from './args.js';
import { analyzeHeader, INCLUDE_HELP, LIMIT_VALUES, limitsFrom, preludeFrom, selectAbis, TIME64_HELP, timeVariant } from './load.js';

export const LAYOUT_USAGE = 'usage: uapi-ts layout <header> -I <dir>... [--abi <abi>|all] [--format text|json|html|svg] [--struct NAME] [--time64] [--include H]...\n       uapi-ts layout --all -I <dir> [...] (every header of the tree: uapi-ts layout --all --help)';

export const LAYOUT_HELP = `${LAYOUT_USAGE}

The exact C layout of every struct and union the header declares: sizes, alignments, member
offsets, bitfields and padding, on one ABI (--abi, default: this machine's) or all eight (--abi all).
--format text (default) is a pahole-style view with cap_offset alignment warnings; --format json is
the layout JSON contract (one object for one ABI, an array for several); --format html is one
self-contained page of byte maps (an index, an anchor per record: #vfio_region_info; with several
ABIs one column per distinct layout, differences outlined); --format svg is one SVG document with
the maps stacked. --struct NAME keeps one record (html, svg).
Each -I dir is searched as gcc's multiarch does: <dir>/<triplet> first, then <dir>.
--time64: ${TIME64_HELP}.
${INCLUDE_HELP}.
ABIs: x86_64 i386 aarch64 armhf s390x ppc64 ppc64le riscv64
Exit status: 0, 1 on errors in the header (file:line:col diagnostics on stderr), 2 usage.

${LIMITS_HELP}
`;

export function layoutCommand(argv: readonly string[]): number | Promise<number> {
  // The whole tree (`--all`) is its own command; loaded only when asked for.
  if (argv.includes('--all')) return import('./layout-all.js').then((m) => m.layoutAllCommand(argv));
  const args = parseArgs(argv, { values: ['abi', 'format', 'struct', 'include', ...LIMIT_VALUES], booleans: ['help', 'time64'] });
  if (args.flags.has('help')) {
    process.stdout.write(LAYOUT_HELP);
    return 0;
  }
  const header = args.positional[0];
  if (!header || args.positional.length > 1) throw new UsageError(LAYOUT_USAGE);
  const format = one(args, 'format') ?? 'text';
  if (!['text', 'json', 'html', 'svg'].includes(format)) throw new UsageError(`--format must be text, json, html or svg, not '${format}'`);
  const struct = one(args, 'struct');
  if (struct !== undefined && format !== 'html' && format !== 'svg') throw new UsageError('--struct goes with --format html or svg');
  const includeDirs = args.flags.get('I') ?? [];
  const abis = timeVariant(args, selectAbis(args.flags.get('abi'), 'host'));
  const analyses = analyzeHeader(header, includeDirs, abis, limitsFrom(args), preludeFrom(args));
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
  if (format === 'html' || format === 'svg') {
    const docs = analyses.map((a) => toLayoutJson(a.laid));
    if (struct !== undefined && recordNames(docs, struct).length === 0) {
      process.stderr.write(`uapi-ts layout: no struct or union '${struct}' in ${header} (try one of: ${recordNames(docs).slice(0, 8).join(', ')}, ...)\n`);
      return 1;
    }
    const opts = { endianOf: (abi: string) => getAbi(abi)!.endian, ...(struct !== undefined ? { struct } : {}) };
    process.stdout.write(format === 'html' ? layoutHtml(docs, opts) : layoutSvg(docs, opts));
  } else if (format === 'json') {
    const docs = analyses.map((a) => toLayoutJson(a.laid));
    // One ABI: the object itself; several: an array of them.
    process.stdout.write(JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2) + '\n');
  } else {
    // The text view repeats the cap_offset warnings under the records (stderr has them as diagnostics).
    process.stdout.write(printable(analyses.map((a) => layoutText(a.laid, a.pp.files)).join('\n'), '\n\t'));
  }
  return failed ? 1 : 0;
}
