/**
 * Bindings for any header compile: a package generated for each header of a tree (as
 * `uapi-ts generate` writes it, self-contained, outside the checkout), then type-checked under
 * `tsc --strict` with the package's own compiler options, many packages per tsc run. A header
 * that does not lay out on some ABI gets no package (prove-tree judges those against gcc).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyzeHeader } from '../../generator/src/cli/load.js';
import { hasErrors } from '../../generator/src/diagnostics.js';
import { emitPackage } from '../../generator/src/emit/emit.js';
import { buildModel } from '../../generator/src/emit/model/index.js';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { run } from '../support/proc.js';
import { REPO } from '../support/trees.js';

const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const RUNTIME_VERSION = (JSON.parse(readFileSync(join(REPO, 'runtime', 'package.json'), 'utf8')) as { version: string }).version;

export interface PackageResult {
  header: string;
  /** The package's directory under the output dir, when one was generated. */
  dir?: string;
  /** Why there is no package (the header does not lay out on every ABI). */
  skipped?: string;
  /** tsc's errors in the package (empty: it type-checks). */
  errors: string[];
}

/**
 * A directory name for a header's package: linux/usb/ch9.h -> linux_usb_ch9_h. Lowercase, with a
 * hash where the header has capitals: xt_CONNMARK.h and xt_connmark.h are both in netfilter/, and
 * tsc refuses two files of one program whose names differ only in case (TS1149).
 */
export function packageSlug(header: string): string {
  const slug = header.replace(/[^A-Za-z0-9]/g, '_').toLowerCase();
  return /[A-Z]/.test(header) ? `${slug}_${createHash('sha256').update(header).digest('hex').slice(0, 8)}` : slug;
}

/** Generate a package for each header into `out/<slug>/`. */
export async function generatePackages(include: string, headers: readonly string[], out: string, kernel = 'tree'): Promise<PackageResult[]> {
  mkdirSync(out, { recursive: true });
  const results: PackageResult[] = [];
  for (const header of headers) {
    // One header at a time between event-loop turns: a test worker must answer vitest's RPC (test/support/yield.ts).
    await new Promise<void>((resolve) => setImmediate(resolve));
    results.push(generateOne(include, header, out, kernel));
  }
  return results;
}

function generateOne(include: string, header: string, out: string, kernel: string): PackageResult {
  const analyses = analyzeHeader(header, [include], ABIS);
  const bad = analyses.find((a) => hasErrors(a.diagnostics));
  if (bad) return { header, skipped: `does not lay out on ${bad.abi.name}`, errors: [] };
  const model = buildModel({ header, analyses });
  const sha256 = createHash('sha256').update(readFileSync(analyses[0]!.ir.headerPath)).digest('hex');
  const name = header.split('/').at(-1)!.replace(/\.h$/, '').toLowerCase().replace(/[^a-z0-9._-]/g, '-');
  const files = emitPackage(model, { packageName: `@uapi-ts/${name}`, kernel, sha256, runtimeVersion: RUNTIME_VERSION });
  const dir = packageSlug(header);
  for (const [path, text] of files) {
    const p = join(out, dir, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return { header, dir, errors: [] };
}

/**
 * Type-check the generated packages, `batch` per tsc run, each with the compiler options of its
 * own tsconfig.json (strict) and `noEmit`; tsc's errors are filed under the package they are in.
 */
export async function typecheckPackages(out: string, results: PackageResult[], batch = 60): Promise<void> {
  // What `npm install` gives a package: @uapi-ts/runtime, typescript, @types/node.
  if (!existsSync(join(out, 'node_modules'))) symlinkSync(join(REPO, 'node_modules'), join(out, 'node_modules'), 'dir');
  const made = results.filter((r) => r.dir !== undefined);
  for (let k = 0; k < made.length; k += batch) {
    const chunk = made.slice(k, k + batch);
    const own = JSON.parse(readFileSync(join(out, chunk[0]!.dir!, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    const { rootDir: _r, outDir: _o, ...options } = own.compilerOptions;
    if (options.strict !== true) throw new Error(`${chunk[0]!.dir}/tsconfig.json is not strict`);
    const config = join(out, `tsconfig.batch-${k / batch}.json`);
    writeFileSync(config, JSON.stringify({ compilerOptions: { ...options, noEmit: true, declaration: false }, include: chunk.map((r) => `${r.dir}/src`) }, null, 2));
    const t = await run(process.execPath, [TSC, '-p', config, '--pretty', 'false'], { cwd: out });
    const lines = (t.stdout + t.stderr).split('\n').filter((l) => l.trim().length > 0);
    for (const line of lines) {
      const owner = chunk.find((r) => line.startsWith(`${r.dir}/`));
      if (owner) owner.errors.push(line);
      else for (const r of chunk) r.errors.push(line);
    }
    if (t.status !== 0 && lines.length === 0) for (const r of chunk) r.errors.push(`tsc exited ${t.status}`);
  }
}
