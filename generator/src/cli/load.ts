/** Run the pipeline for a header over the file system, for one or more ABIs. */
import { printable, type Diagnostic } from '../diagnostics.js';
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import { ABIS, getAbi, hostAbi, withTime64, type Abi } from '../layout/abi/index.js';
import { analyze, type Analysis } from '../pipeline.js';
import type { LayoutJson } from '../contract/layout-json.js';
import { toLayoutJson } from '../layout/json.js';
import { LIMIT_FLAGS, type Limits } from '../limits.js';
import { one, UsageError, type ParsedArgs } from './args.js';
import { readSource } from './io.js';

/**
 * The ABI names of `--abi` flags (comma lists, repeatable); an `--abi` that names nothing (`--abi ''`)
 * is a usage error, not "no --abi given".
 */
export function abiNames(values: readonly string[] | undefined): string[] {
  const names = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  if (values !== undefined && values.length > 0 && names.length === 0) {
    throw new UsageError(`--abi '${printable(values.join(','))}' names no ABI (known: ${ABIS.map((a) => a.name).join(', ')}, all)`);
  }
  return names;
}

/** `--abi x86_64,i386` / `--abi all` / repeated flags -> ABIs (default: all). */
export function selectAbis(values: readonly string[] | undefined, fallback: 'all' | 'host' = 'all'): Abi[] {
  const names = abiNames(values);
  if (names.length === 0 || names.includes('all')) {
    if (names.length === 0 && fallback === 'host') {
      const host = hostAbi(process.arch, os.endianness());
      if (!host) throw new UsageError(`this host (${process.arch}) is not one of the supported ABIs: pass --abi`);
      return [host];
    }
    return [...ABIS];
  }
  return names.map((n) => {
    const abi = getAbi(n);
    if (!abi) throw new UsageError(`unknown ABI '${printable(n)}' (known: ${ABIS.map((a) => a.name).join(', ')}, all)`);
    return abi;
  });
}

/** Help text for `--time64`, shared by layout, generate and diff. */
export const TIME64_HELP = `64-bit time_t, as -D_TIME_BITS=64 -D_FILE_OFFSET_BITS=64 gives gcc with glibc
(Debian trixie's armhf default): time_t, off_t, struct timeval and timespec change on i386, armhf`;

/** The ABIs as `--time64` wants them: each one's 64-bit-time variant, or the glibc default. */
export function timeVariant(args: ParsedArgs, abis: readonly Abi[]): Abi[] {
  return args.flags.has('time64') ? abis.map(withTime64) : [...abis];
}

/** `-I` dirs that do not exist or are not directories (gcc's -Wmissing-include-dirs): one warning each. */
export function warnMissingIncludeDirs(includeDirs: readonly string[], warn: (line: string) => void = (l) => process.stderr.write(l)): void {
  for (const d of new Set(includeDirs)) {
    let isDir = false;
    try {
      isDir = statSync(d).isDirectory();
    } catch {
      // absent: warned below
    }
    if (!isDir) warn(`uapi-ts: warning: -I ${printable(d)}: ${existsSync(d) ? 'not a directory' : 'no such directory'} (ignored)\n`);
  }
}

/** The budget flags of a command line (limits.ts), checked: each a positive integer. */
export function limitsFrom(args: ParsedArgs): Partial<Limits> {
  const out: Partial<Limits> = {};
  for (const [key, flag] of Object.entries(LIMIT_FLAGS) as [keyof Limits, string][]) {
    const v = one(args, flag);
    if (v === undefined) continue;
    if (!/^[1-9][0-9]{0,15}$/.test(v)) throw new UsageError(`--${flag} must be a positive integer, not ${JSON.stringify(v)}`);
    out[key] = Number(v);
  }
  return out;
}

/** The flags limitsFrom reads, for parseArgs. */
export const LIMIT_VALUES: readonly string[] = Object.values(LIMIT_FLAGS);

/** Help text for `--include`, shared by layout, generate and diff. */
export const INCLUDE_HELP = `--include H (repeatable) includes header H first, as gcc's -include, as a program includes
<sys/ioctl.h> before <sound/asound.h> (whose ioctl numbers need its _IOR); libc headers come from
the built-in model (docs/libc-model.md)`;

/** The `--include` headers of a command line, in order. */
export function preludeFrom(args: ParsedArgs): string[] {
  const list = args.flags.get('include') ?? [];
  for (const h of list) if (h.trim() === '') throw new UsageError('--include needs a header name (as in #include <...>)');
  return list;
}

/** Analyze a header (after `prelude`, and with `alsoHeaders` read after it as one translation unit) on each ABI. */
export function analyzeHeader(header: string, includeDirs: readonly string[], abis: readonly Abi[], limits: Partial<Limits> = {}, prelude: readonly string[] = [], alsoHeaders: readonly string[] = []): Analysis[] {
  warnMissingIncludeDirs(includeDirs);
  // One snapshot of the files per command: every ABI reads the same headers (and misses the same
  // multiarch paths), so each path is read, or found absent, once.
  const files = new Map<string, ReturnType<typeof readSource>>();
  const read = (path: string): ReturnType<typeof readSource> => {
    if (!files.has(path)) files.set(path, readSource(path));
    return files.get(path);
  };
  return abis.map((abi) => analyze({ header, includeDirs, read, limits, ...(prelude.length > 0 ? { prelude } : {}), ...(alsoHeaders.length > 0 ? { alsoHeaders } : {}) }, abi));
}

/** Layout JSON for each ABI, plus every diagnostic (deduplicated across ABIs). */
export function loadLayouts(header: string, includeDirs: readonly string[], abis: readonly Abi[]): { layouts: LayoutJson[]; diagnostics: Diagnostic[] } {
  const analyses = analyzeHeader(header, includeDirs, abis);
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const a of analyses) {
    for (const d of a.diagnostics) {
      const k = `${d.file}:${d.line}:${d.col}:${d.message}`;
      if (!seen.has(k)) {
        seen.add(k);
        diagnostics.push(d);
      }
    }
  }
  return { layouts: analyses.map((a) => toLayoutJson(a.laid)), diagnostics };
}
