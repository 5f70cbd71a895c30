/**
 * `uapi-ts diff <header> --from <dir> --to <dir>` / `uapi-ts diff <old.json> <new.json>`:
 * classified layout changes between two kernels' headers, with an abidiff-style exit bitmask.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatDiagnostic, printable } from '../diagnostics.js';
import { EXIT, exitBits } from '../diff/index.js';
import type { Abi } from '../layout/abi/index.js';
import type { DiffRun } from '../report/diff-common.js';
import { diffJson } from '../report/diff-json.js';
import { diffMarkdown } from '../report/diff-markdown.js';
import { diffHtml } from '../report/picture/diff-page.js';
import { getAbi } from '../layout/abi/index.js';
import { diffText } from '../report/diff-text.js';
import { LayoutJsonSchema, type LayoutJson } from '../contract/layout-json.js';
import { problemLines, schemaProblems } from '../contract/validate.js';
import { one, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { readSource } from './io.js';
import { LIMITS_HELP } from '../limits.js';
import { abiNames, analyzeHeader, INCLUDE_HELP, LIMIT_VALUES, limitsFrom, preludeFrom, selectAbis, TIME64_HELP, timeVariant } from './load.js';
import { abiIncludeDirs, type Analysis } from '../pipeline.js';
import { dirLabel, includedDeclarations, makeRun, notADirectory, printableData, wantColor } from './diff-support.js';
import { toLayoutJson } from '../layout/json.js';

export const DIFF_HELP = `usage:
  uapi-ts diff <header> --from <include-dir> --to <include-dir> [-I <dir>]... [options]
  uapi-ts diff <old.json> <new.json> [options]
  uapi-ts diff --all --from <include-dir> --to <include-dir> [options]  (every header: diff --all --help)

Compares the layouts (structs, unions, fields) and constants (macros, enumerators, ioctl numbers,
capability ids) of a uapi header between two kernels, per ABI, and classifies every change:
  breaking    a field moved/resized/retyped; a struct, field or constant removed; an ioctl number
              or capability id changed; a struct without argsz changed size; realigned and grown
  compatible  new struct, constant, ioctl, capability or union member; a field appended to an
              argsz-versioned struct (first member argsz)
  padding     tail padding or a hole named (pad), reserved bytes put to use
  api         a rename at the same offset and size; an alignment change that moves nothing;
              a declaration moved into a header this one includes (header trees only)

The JSON files are what \`uapi-ts layout --format json\` writes (one object or an array per ABI).
Each include dir D is searched as D/<triplet> then D; -I adds dirs to both sides.

options:
  --abi <abi>[,<abi>]|all    ABIs to compare (repeatable; default: all eight, or all in both files)
  --format text|json|markdown|html  (default text; text is colored on a terminal unless NO_COLOR
                             is set; html: one self-contained page, for each changed record the
                             old and new byte maps side by side with each change's kind and reason)
  --color auto|always|never
  --from-label, --to-label   names for the two sides (default: the include dir's name)
  --time64                   (header trees) ${TIME64_HELP.replace(/\n/g, '\n                             ')}
  --include H                (header trees) ${INCLUDE_HELP.replace('--include H (repeatable) ', '').replace(/\n/g, '\n                             ')}

exit status, a bitmask (as abidiff's):
  0  no changes
  1  error (unreadable input, a --from/--to dir that does not exist, header not found, layout
     errors, JSON files not matching the layout JSON schema or with no ABI in common: nothing
     compared); other bits may also be set
  2  usage error (also a --from/--to dir that is not a uapi include tree: no linux/types.h and
     not the header under it)
  4  changes were found (of any kind)
  8  a breaking change was found (always together with 4)
CI that fails on breaking changes only: fail when (status & 11) != 0, i.e. on 1, 2 or 8.

${LIMITS_HELP}
`;

const USAGE = 'usage: uapi-ts diff <header> --from <dir> --to <dir> | <old.json> <new.json> (see --help)';

export function diffCommand(argv: readonly string[]): number | Promise<number> {
  // Every header of two trees (`--all`) is its own command; loaded only when asked for.
  if (argv.includes('--all')) return import('./diff-all.js').then((m) => m.diffAllCommand(argv));
  const args = parseArgs(argv, { values: ['from', 'to', 'abi', 'format', 'color', 'from-label', 'to-label', 'include', ...LIMIT_VALUES], booleans: ['help', 'time64'] });
  if (args.flags.has('help')) {
    process.stdout.write(DIFF_HELP);
    return 0;
  }
  const format = one(args, 'format') ?? 'text';
  if (!['text', 'json', 'markdown', 'html'].includes(format)) throw new UsageError(`--format must be text, json, markdown or html, not '${format}'`);
  const color = wantColor(one(args, 'color') ?? 'auto');
  const from = one(args, 'from');
  const to = one(args, 'to');

  let run: DiffRun;
  let errors = false;
  // The layouts compared, for the html pictures.
  let sides: { olds: LayoutJson[]; news: LayoutJson[] } = { olds: [], news: [] };
  if (from !== undefined || to !== undefined) {
    const header = args.positional[0];
    if (!header || args.positional.length !== 1 || from === undefined || to === undefined) throw new UsageError(USAGE);
    const abis = timeVariant(args, selectAbis(args.flags.get('abi')));
    const extra = args.flags.get('I') ?? [];
    // A mistyped dir must not read as "the header was removed (or added)".
    const badDirs = [['--from', from], ['--to', to]].map(([flag, dir]) => notADirectory(flag!, dir!)).filter((e) => e !== undefined);
    if (badDirs.length > 0) {
      for (const e of badDirs) say(e);
      return EXIT.ERROR;
    }
    // A dir that is not an include tree at all (`--from /`) is a mistake, not "every declaration is
    // new": a usage error, so that CI's `status & 11` catches it.
    const notTrees = [['--from', from], ['--to', to]].filter(([, dir]) => !headerExists('linux/types.h', [dir!], abis) && !headerExists(header, [dir!], abis));
    if (notTrees.length > 0) {
      throw new UsageError(notTrees.map(([flag, dir]) => `${flag} ${dir}: not a uapi include tree (no linux/types.h, nor ${header}, under it)`).join('; '));
    }
    const present = [from, to].map((dir) => headerExists(header, [dir, ...extra], abis));
    if (!present[0] && !present[1]) {
      say(`${header} not found under ${from} nor ${to}`);
      return EXIT.ERROR;
    }
    const notes: string[] = [];
    const relocated = new Map<string, Map<string, string>>();
    const trees = [from, to].map((dir, i) => {
      if (!present[i]) {
        // A header new in `to` (or gone from it): every declaration is added (or removed).
        notes.push(`${header} is not in ${dir}: every declaration is ${i === 0 ? 'new' : 'removed'}`);
        return abis.map((a): LayoutJson => ({ abi: a.name, header, records: [], constants: [] }));
      }
      const analyses = analyzeHeader(header, [dir, ...extra], abis, limitsFrom(args), preludeFrom(args));
      const printed = new Set<string>();
      for (const d of analyses.flatMap((a) => a.diagnostics)) {
        const line = formatDiagnostic(d);
        if (d.severity !== 'error' || printed.has(line)) continue;
        printed.add(line);
        process.stderr.write(line + '\n');
        errors = true;
      }
      if (i === 1) for (const a of analyses) relocated.set(a.abi.name, includedDeclarations(a, [dir, ...extra]));
      return analyses.map((a) => toLayoutJson(a.laid));
    });
    const [olds, news] = trees as [LayoutJson[], LayoutJson[]];
    sides = { olds, news };
    run = makeRun(header, one(args, 'from-label') ?? dirLabel(from), one(args, 'to-label') ?? dirLabel(to), olds, news, abis.map((a) => a.name), relocated);
    run.notes.unshift(...notes);
  } else {
    if (args.positional.length !== 2) throw new UsageError(USAGE);
    const [oldPath, newPath] = args.positional as [string, string];
    const olds = readLayoutFile(oldPath);
    const news = readLayoutFile(newPath);
    if (isErrors(olds) || isErrors(news)) {
      for (const e of new Set([...(isErrors(olds) ? olds : []), ...(isErrors(news) ? news : [])])) say(e);
      return EXIT.ERROR;
    }
    // `--abi all` (or none) means every ABI both files have; named ABIs must be in both.
    const abiFlags = abiNames(args.flags.get('abi'));
    const requested = abiFlags.length > 0 && !abiFlags.includes('all') ? selectAbis(abiFlags).map((a) => a.name) : undefined;
    const inBoth = olds.map((d) => d.abi).filter((a) => news.some((d) => d.abi === a));
    if (inBoth.length === 0) {
      // Nothing to compare is not "no changes".
      const has = (docs: LayoutJson[]): string => docs.map((d) => d.abi).join(', ');
      say(`${oldPath} (${has(olds)}) and ${newPath} (${has(news)}) have no ABI in common: nothing to compare`);
      return EXIT.ERROR;
    }
    const abis = requested ?? inBoth;
    for (const a of requested ?? []) {
      if (!inBoth.includes(a)) {
        say(`ABI ${a} is not in both ${oldPath} and ${newPath}`);
        errors = true;
      }
    }
    if (!abis.some((a) => inBoth.includes(a))) return EXIT.ERROR; // none of the requested ABIs: said above
    const pick = (docs: LayoutJson[]): LayoutJson[] => abis.flatMap((a) => docs.filter((d) => d.abi === a));
    const header = news[0]?.header ?? olds[0]?.header ?? '?';
    sides = { olds: pick(olds), news: pick(news) };
    run = makeRun(header, one(args, 'from-label') ?? basename(oldPath), one(args, 'to-label') ?? basename(newPath), sides.olds, sides.news, abis.filter((a) => inBoth.includes(a)));
    if (!requested) {
      for (const d of [...olds, ...news]) {
        if (!inBoth.includes(d.abi)) run.notes.push(`ABI ${d.abi} is only in ${olds.includes(d) ? oldPath : newPath}; not compared`);
      }
    }
  }

  // Labels, paths and names from the JSON files are user input: a report for a terminal shows
  // them escaped (JSON output escapes control characters itself).
  if (format === 'json') process.stdout.write(JSON.stringify(diffJson(run), null, 2) + '\n');
  else if (format === 'markdown') process.stdout.write(diffMarkdown(printableData(run)));
  else if (format === 'html') process.stdout.write(diffHtml({ diff: diffJson(run), ...sides, endianOf: (abi) => getAbi(abi)?.endian ?? 'little' }));
  else process.stdout.write(diffText(printableData(run), color));
  return exitBits(run.changes) | (errors ? EXIT.ERROR : 0);
}





function headerExists(header: string, dirs: readonly string[], abis: readonly Abi[]): boolean {
  return dirs.some((d) => existsSync(join(d, header)) || abis.some((a) => existsSync(join(d, a.triplet, header))));
}

/**
 * Layout JSON documents from a file, checked against the contract's schema, or the error lines
 * (`<file>: <path in the document>: expected ..., got ...`) that say what is wrong and where.
 */
export function readLayoutFile(path: string): LayoutJson[] | string[] {
  const text = readSource(path);
  if (typeof text !== 'string') return [`cannot read ${path}${text ? `: ${text.unreadable}` : ''}`];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return [`${path}: not JSON (${(e as Error).message})`];
  }
  if (Array.isArray(data) && data.length === 0) return [`${path}: an empty array, no layout JSON documents to compare`];
  // Each document on its own, so the paths name the offending key and not "one of the union".
  const docs: unknown[] = Array.isArray(data) ? data : [data];
  const problems = docs.flatMap((d, i) => schemaProblems(LayoutJsonSchema, d, Array.isArray(data) ? `/${i}` : ''));
  if (problems.length > 0) return problemLines(problems, `${path}: `);
  const valid = docs as LayoutJson[];
  const twice = valid.find((d, i) => valid.findIndex((o) => o.abi === d.abi) !== i);
  if (twice) return [`${path}: ABI ${twice.abi} appears twice: one document per ABI`];
  return valid;
}

/** One line on stderr; what it quotes from the user is shown, never acted on by the terminal. */
function say(line: string): void {
  process.stderr.write(`uapi-ts diff: ${printable(line)}\n`);
}


function isErrors(r: LayoutJson[] | string[]): r is string[] {
  return typeof r[0] === 'string';
}


export type { ParsedArgs };
export { dirLabel, notADirectory, printableData, wantColor };
