/**
 * `uapi-ts generate <header> -I <dir>... --out <dir> [--check] [--kernel X.Y] [--sha256 H] [--package NAME]`
 * Emits the bindings package for a header on every ABI. --check writes nothing: it exits 1 and
 * prints a diff when the files in --out differ from what would be generated.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDiagnostic, hasErrors } from '../diagnostics.js';
import { ABIS } from '../layout/abi/index.js';
import { one, parseArgs, UsageError } from './args.js';
import { writeAtomic } from './io.js';
import { analyzeHeader } from './load.js';
import { diffLines, unifiedDiff } from '../report/line-diff.js';

const USAGE = 'usage: uapi-ts generate <header> -I <dir>... --out <dir> [--check] [--kernel X.Y] [--sha256 H] [--package NAME]';

/** Files the generator owns under --out (everything else there, e.g. dist/, is left alone). */
const OWNED = (p: string): boolean => p === 'package.json' || p === 'tsconfig.json' || p === 'tables.json' || p.startsWith('src/');

interface Manifest {
  trees: Record<string, { kernel: string; files: Record<string, string> }>;
}

/** Kernel version and the header's sha256 from headers/manifest.json, when the -I dir is a pinned tree. */
function fromManifest(includeDir: string, header: string): { kernel?: string; sha256?: string } {
  const inc = resolve(includeDir);
  for (let dir = dirname(inc), i = 0; i < 4; dir = dirname(dir), i++) {
    const mpath = join(dir, 'manifest.json');
    if (!existsSync(mpath)) continue;
    try {
      const m = JSON.parse(readFileSync(mpath, 'utf8')) as Manifest;
      // headers/<name>/include, possibly through the `latest` symlink
      const real = resolve(dir, relative(dir, inc));
      for (const [name, tree] of Object.entries(m.trees ?? {})) {
        const treeInc = join(dir, name, 'include');
        let same = real === treeInc;
        if (!same) {
          try {
            same = statSync(treeInc).ino === statSync(real).ino;
          } catch {
            same = false;
          }
        }
        if (same) return { kernel: tree.kernel, ...(tree.files[header] ? { sha256: tree.files[header] } : {}) };
      }
    } catch {
      // not our manifest
    }
  }
  return {};
}

function listFiles(root: string, rel = ''): string[] {
  const dir = join(root, rel);
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (p === 'node_modules' || p === 'dist') continue;
      out.push(...listFiles(root, p));
    } else out.push(p);
  }
  return out;
}

/** Inside the uapi-ts checkout (generated/<pkg>), the package builds with the workspace: paths to its base tsconfig and runtime. */
function workspaceFor(root: string): { workspace?: { tsconfigBase: string; runtime: string } } {
  // dist/cli/generate.js -> the checkout root
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const base = join(repo, 'tsconfig.base.json');
  const runtime = join(repo, 'runtime');
  const rel = relative(repo, root);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || !existsSync(base) || !existsSync(join(runtime, 'package.json'))) return {};
  const posix = (p: string): string => p.split(sep).join('/');
  return { workspace: { tsconfigBase: posix(relative(root, base)), runtime: posix(relative(root, runtime)) } };
}

export async function generateCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['out', 'kernel', 'sha256', 'package'], booleans: ['check', 'quiet'] });
  const header = args.positional[0];
  const out = one(args, 'out');
  if (!header || args.positional.length > 1 || !out) throw new UsageError(USAGE);
  const includeDirs = args.flags.get('I') ?? [];
  if (includeDirs.length === 0) throw new UsageError(`${USAGE}\n-I is required`);
  const check = args.flags.has('check');
  const quiet = args.flags.has('quiet');

  const analyses = analyzeHeader(header, includeDirs, ABIS);
  const printed = new Set<string>();
  for (const a of analyses) {
    for (const d of a.diagnostics) {
      if (d.severity !== 'error') continue;
      const line = formatDiagnostic(d);
      if (!printed.has(line)) process.stderr.write(line + '\n');
      printed.add(line);
    }
  }
  if (analyses.some((a) => hasErrors(a.diagnostics))) return 1;

  const { buildModel } = await import('../emit/model.js');
  const model = buildModel({ header, analyses });
  for (const d of model.diagnostics) if (!quiet) process.stderr.write(formatDiagnostic(d) + '\n');

  const pinned = fromManifest(includeDirs[0]!, header);
  const headerPath = analyses[0]!.ir.headerPath;
  const sha256 = one(args, 'sha256') ?? pinned.sha256 ?? createHash('sha256').update(readFileSync(headerPath)).digest('hex');
  const kernel = one(args, 'kernel') ?? pinned.kernel ?? 'unknown';

  // ts-morph is loaded only here: layout/diff/decode never pay for it.
  const { emitPackage } = await import('../emit/emit.js');
  const { RUNTIME_VERSION } = await import('@uapi-ts/runtime');
  const packageName = one(args, 'package') ?? `@uapi-ts/${header.split('/').at(-1)!.replace(/\.h$/, '')}`;
  const root = resolve(out);
  const files = emitPackage(model, { packageName, kernel, sha256, runtimeVersion: RUNTIME_VERSION, ...workspaceFor(root) });
  const existing = listFiles(root).filter(OWNED);
  if (check) {
    let stale = 0;
    for (const [p, content] of files) {
      const path = join(root, p);
      const old = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
      if (old === content) continue;
      stale++;
      process.stdout.write(old === undefined ? `missing: ${p}\n` : unifiedDiff(`${p} (on disk)`, `${p} (generated)`, diffLines(old, content)));
    }
    for (const p of existing) {
      if (!files.has(p)) {
        stale++;
        process.stdout.write(`stale file (no longer generated): ${p}\n`);
      }
    }
    if (stale > 0) {
      process.stderr.write(`uapi-ts generate --check: ${stale} file(s) in ${out} differ from the generator's output; run \`npm run generate\`\n`);
      return 1;
    }
    if (!quiet) process.stdout.write(`${out}: up to date (${files.size} files)\n`);
    return 0;
  }
  const changes: string[] = [];
  for (const [p, content] of files) {
    const path = join(root, p);
    const old = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (old === content) continue;
    writeAtomic(path, content);
    changes.push(old === undefined ? `    new      ${p}` : `    changed  ${p} (${lineCounts(old, content)})`);
  }
  for (const p of existing) {
    if (files.has(p)) continue;
    rmSync(join(root, p));
    changes.push(`    removed  ${p}`);
  }
  if (!quiet) {
    process.stdout.write(summary(model, out, files.size, kernel));
    process.stdout.write(changes.length === 0 ? `  no changes: every file in ${out} was already up to date\n` : `  what changed in ${out} (${changes.length} of ${files.size} files):\n${changes.join('\n')}\n`);
  }
  return 0;
}

/** "+A -R lines": lines added and removed by a shortest line diff. */
function lineCounts(a: string, b: string): string {
  const d = diffLines(a, b);
  return `+${d.added} -${d.removed} lines`;
}

/** What was generated, and which structs differ between ABIs. */
function summary(model: import('../emit/model.js').BindingModel, out: string, nfiles: number, kernel: string): string {
  const lines: string[] = [];
  const ioctls = model.ioctls.length;
  const caps = model.capKinds.reduce((n, k) => n + k.caps.length, 0);
  lines.push(`${out}: ${model.header} (linux ${kernel}) -> ${nfiles} files`);
  lines.push(`  records: ${model.records.length} (${model.variants.size} distinct layouts over ${model.abis.length} ABIs)`);
  lines.push(`  constants: ${model.constants.length} (${model.constants.filter((c) => c.value === undefined).length} differ by ABI), enums: ${model.enums.length}`);
  lines.push(`  ioctls: ${ioctls} (${model.ioctls.filter((i) => i.arg).length} with an argument struct)`);
  lines.push(`  capability kinds: ${model.capKinds.map((k) => `${k.info} (${k.caps.length})`).join(', ')}; ${caps} caps`);
  const differ: string[] = [];
  for (const r of model.records) {
    const tables = Object.entries(r.variantOf).map(([abi, v]) => ({ abi, t: model.variants.get(v)!.table }));
    const bySize = new Map<number, string[]>();
    for (const { abi, t } of tables) bySize.set(t.size, [...(bySize.get(t.size) ?? []), abi]);
    // Members whose offset is not the same on every ABI (i386's 4-aligned __u64, packed vs not...).
    const moved = Object.keys(tables[0]?.t.offsets ?? {}).filter((m) => new Set(tables.map(({ t }) => t.offsets[m])).size > 1);
    if (bySize.size === 1 && moved.length === 0) continue;
    const parts: string[] = [];
    if (bySize.size > 1) parts.push([...bySize.entries()].sort((a, b) => b[1].length - a[1].length).map(([size, abis]) => `${size} on ${abiLabel(abis)}`).join(', '));
    else parts.push(`size ${tables[0]!.t.size} everywhere`);
    if (moved.length > 0) parts.push(`offset of ${moved.join(', ')} differs`);
    differ.push(`    ${r.cName}: ${parts.join('; ')}`);
  }
  lines.push(`  structs whose layout differs between ABIs: ${differ.length}`);
  lines.push(...differ);
  return lines.join('\n') + '\n';
}

function abiLabel(abis: string[]): string {
  const lp64 = ['x86_64', 'aarch64', 's390x', 'ppc64', 'ppc64le', 'riscv64'];
  if (lp64.every((a) => abis.includes(a)) && abis.length === lp64.length) return 'LP64';
  return abis.join('/');
}
