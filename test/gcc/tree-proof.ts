/**
 * The proof of a whole header tree: every header x ABI laid out by the pipeline and judged by the
 * ABI's gcc. A header we lay out is proven as proof.ts does (sizeof, _Alignof, offsetof, member
 * sizes, constants, bitfield bits and access windows); a header we refuse must be one gcc refuses
 * too, or one that needs libc types (gcc compiles it with glibc but not freestanding).
 *
 * gcc sees the tree under test and glibc only: the cross sysroots also hold Debian's own kernel
 * headers (linux/, asm/, drm/...), which would stand in for a file the tree lacks. So the search
 * path is rebuilt: gcc's own dirs, then a mirror of each libc dir without the names the tree has.
 * Proofs of one ABI are compiled many files per gcc call.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { readSource } from '../../generator/src/cli/io.js';
import type { Diagnostic } from '../../generator/src/diagnostics.js';
import type { Abi } from '../../generator/src/layout/abi/index.js';
import { abiIncludeDirs, analyze } from '../../generator/src/pipeline.js';
import { run } from '../support/proc.js';
import { checkProbes, proofSource, type BitProbe } from './proof.js';

export type PairStatus = 'proven' | 'standalone' | 'libc' | 'mismatch';

export interface PairResult {
  header: string;
  abi: string;
  status: PairStatus;
  records: number;
  constants: number;
  checks: number;
  /** proven: empty. Otherwise what went wrong or what gcc said. */
  failures: string[];
  /** Our first error, when we refused the header. */
  ours?: string;
  /** gcc's first error, when gcc refused it. */
  gcc?: string;
}

/* The CI sample (tree-sample.test.ts, tree-packages.test.ts). */

/** Committed: the sample is the same on every machine. */
export const SAMPLE_SEED = 16;
export const SAMPLE_SIZE = 100;

/** Always in the sample: the headers issue 16 names, and those that needed a fix to pass. */
export const ALWAYS = [
  'rdma/ib_user_mad.h', 'rdma/rdma_user_ioctl.h', 'rdma/hfi/hfi1_user.h', // typedef specifier attribute
  'scsi/fc/fc_els.h', // file-scope _Static_assert
  'linux/nilfs2_ondisk.h', // offsetof idiom in a constant
  'linux/pkt_sched.h', // a macro hiding an enumerator of the same name
  'linux/usb/audio.h', // cannot stand alone (NULL in inline functions), proven with its prelude
  'linux/patchkey.h', 'linux/kvm.h', 'linux/a.out.h', 'xen/privcmd.h', // cannot stand alone
  'linux/input.h', 'linux/videodev2.h', 'linux/if.h', 'sound/asound.h', // libc types (the libc model)
];

/** Every header of a tree outside the per-ABI (multiarch) dirs, sorted. */
export function treeHeaders(include: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, top: boolean): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (top && /-linux-gnu/.test(e.name)) continue;
        walk(p, false);
      } else if (e.name.endsWith('.h')) {
        out.push(relative(include, p));
      }
    }
  };
  walk(include, true);
  return out.sort();
}

/** The header's top directory (`linux/`, `drm/`, ...), or `linux/<sub>/` for linux's subdirs. */
export function headerGroup(h: string): string {
  const parts = h.split('/');
  return parts.length > 2 && parts[0] === 'linux' ? `${parts[0]}/${parts[1]}/` : `${parts[0]}/`;
}

/** mulberry32: a small seeded PRNG, so a sample is the same everywhere for the same seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A sample of about `n` headers drawn with `seed`: at least one from every top directory of the
 * tree (linux/, drm/, rdma/, sound/, scsi/, misc/, mtd/, xen/, asm-generic/, ...), the rest in
 * proportion to each directory's size, plus `always`.
 */
export function sampleHeaders(all: readonly string[], n: number, seed: number, always: readonly string[] = []): string[] {
  const next = rng(seed);
  const groups = new Map<string, string[]>();
  for (const h of all) {
    const g = h.split('/')[0]!;
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(h);
  }
  const picked = new Set(always.filter((h) => all.includes(h)));
  for (const [, hs] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const want = Math.max(1, Math.round((n * hs.length) / all.length));
    const pool = [...hs];
    for (let k = 0; k < want && pool.length > 0; k++) picked.add(pool.splice(Math.floor(next() * pool.length), 1)[0]!);
  }
  return [...picked].sort();
}

/** gcc's search path for a mode: gcc's own dirs, plus (glibc) the libc dirs less the tree's names. */
export interface GccEnv {
  glibc: string[];
  freestanding: string[];
}

/** Built once per ABI and tree, under `work`. */
export async function gccEnv(abi: Abi, include: string, work: string): Promise<GccEnv> {
  const v = await run(abi.gcc, ['-xc', '-E', '-v', '/dev/null']);
  const lines = v.stderr.split('\n');
  const from = lines.findIndex((l) => l.startsWith('#include <...> search starts here'));
  const to = lines.findIndex((l) => l.startsWith('End of search list'));
  // Resolved: a cross gcc names its sysroot's include dir through its own (lib/gcc-cross/<t>/12/../../../../<t>/include).
  const dirs = lines.slice(from + 1, to).map((l) => resolve(l.trim())).filter((d) => d.length > 1);
  const own = dirs.filter((d) => /^\/usr\/lib\/gcc(-cross)?\//.test(d));
  // The names the tree provides (and the per-arch asm/), which the libc dirs must not supply.
  const tree = new Set(['asm', ...readdirSync(include).filter((d) => !/-linux-gnu/.test(d))]);
  const libc: string[] = [];
  for (const [i, d] of dirs.filter((x) => !own.includes(x) && existsSync(x)).entries()) {
    const mirror = join(work, `libc-${abi.name}-${i}`);
    mkdirSync(mirror, { recursive: true });
    for (const e of readdirSync(d)) if (!tree.has(e)) symlinkSync(join(d, e), join(mirror, e));
    libc.push(mirror);
  }
  const flags = (ds: readonly string[]): string[] => ['-nostdinc', ...ds.flatMap((d) => ['-isystem', d])];
  return { glibc: flags([...own, ...libc]), freestanding: flags(own) };
}

const BASE = ['-std=gnu11', '-w'];

/** Per file of one gcc call: its error lines (empty: compiled). */
export async function gccMany(abi: Abi, dir: string, files: readonly string[], args: readonly string[]): Promise<Map<string, string[]>> {
  const r = await run(abi.gcc, [...BASE, ...args, ...files], { cwd: dir });
  const out = new Map<string, string[]>(files.map((f) => [f, []]));
  if (r.error) throw r.error;
  let current: string | undefined;
  for (const line of r.stderr.split('\n')) {
    const m = /(?:^|from )(?:\.\/)?((?:proof|inc)_\d+\.c):/.exec(line);
    if (m && out.has(m[1]!)) current = m[1]!;
    if (current && /(^|: )(fatal )?error: /.test(line)) out.get(current)!.push(line.trim());
  }
  // A non-zero status without a line we could place is still a failure, of every file.
  if (r.status !== 0 && [...out.values()].every((e) => e.length === 0)) for (const f of files) out.get(f)!.push(r.stderr.split('\n')[0] ?? `exit ${r.status}`);
  return out;
}

function firstError(ds: readonly Diagnostic[]): string {
  const d = ds.find((x) => x.severity === 'error')!;
  return `${d.file.split('/include/').pop()}:${d.line}:${d.col}: ${d.message.replace(/ \(searched [^)]*\)/, '')}`;
}

export interface TreeOptions {
  include: string;
  /** Files per gcc call. */
  batch?: number;
  /** gcc calls at once. */
  jobs?: number;
  /**
   * Text to put before `#include <header>` in a header's proof: what gcc needs first for a header
   * that cannot stand alone though we lay it out (linux/usb/audio.h uses NULL in inline functions).
   */
  preludes?: ReadonlyMap<string, string>;
  /** Called after each header x ABI is judged. */
  progress?(r: PairResult): void;
}

/** Run `tasks` with at most `jobs` at once. */
async function pool<T>(tasks: (() => Promise<T>)[], jobs: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return results;
}

/** Prove `headers` of the tree on one ABI. */
export async function proveTreeAbi(abi: Abi, headers: readonly string[], opts: TreeOptions): Promise<PairResult[]> {
  const work = mkdtempSync(join(tmpdir(), `uapi-tree-${abi.name}-`));
  try {
    const env = await gccEnv(abi, opts.include, work);
    // The 64-bit time_t variant (withTime64) is what these give glibc.
    const inc = [...(abi.time64 ? ['-D_TIME_BITS=64', '-D_FILE_OFFSET_BITS=64'] : []), ...abiIncludeDirs([opts.include], abi).flatMap((d) => ['-I', d])];
    const results = new Map<string, PairResult>();
    const proofs: { header: string; file: string; probes: BitProbe[] }[] = [];
    const refused: { header: string; file: string }[] = [];
    for (const [i, header] of headers.entries()) {
      // Between headers, a turn of the event loop: a test worker must answer vitest's RPC (test/support/yield.ts).
      await new Promise<void>((resolve) => setImmediate(resolve));
      const a = analyze({ header, includeDirs: [opts.include], read: readSource }, abi);
      const errors = a.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length > 0) {
        const file = `inc_${i}.c`;
        writeFileSync(join(work, file), `#include <${header}>\n`);
        refused.push({ header, file });
        results.set(header, { header, abi: abi.name, status: 'mismatch', records: 0, constants: 0, checks: 0, failures: [], ours: firstError(errors) });
        continue;
      }
      const p = proofSource(a.laid, { windows: true });
      const file = `proof_${i}.c`;
      const prelude = opts.preludes?.get(header);
      writeFileSync(join(work, file), prelude ? `${prelude}\n${p.source}` : p.source);
      proofs.push({ header, file, probes: p.probes });
      results.set(header, { header, abi: abi.name, status: 'proven', records: p.records, constants: p.constants, checks: p.checks, failures: [] });
    }
    const batch = opts.batch ?? 40;
    const chunks = <T>(xs: readonly T[]): T[][] => Array.from({ length: Math.ceil(xs.length / batch) }, (_, k) => xs.slice(k * batch, (k + 1) * batch));
    const tasks: (() => Promise<void>)[] = [];
    for (const chunk of chunks(proofs)) {
      tasks.push(async () => {
        const errs = await gccMany(abi, work, chunk.map((p) => p.file), ['-c', ...inc, ...env.glibc]);
        for (const p of chunk) {
          const r = results.get(p.header)!;
          const e = errs.get(p.file)!;
          if (e.length > 0) {
            const asserts = e.map((l) => /static assertion failed: "([^"]*)"/.exec(l)?.[1]).filter((x) => x !== undefined);
            r.failures.push(...(asserts.length > 0 ? asserts.map((x) => `gcc disagrees: ${x}`) : [`gcc failed: ${e.slice(0, 3).join(' | ')}`]));
          } else if (p.probes.length > 0) {
            r.failures.push(...(await checkProbes(abi, join(work, p.file.replace(/\.c$/, '.o')), work, p.probes)));
          }
          if (r.failures.length > 0) r.status = 'mismatch';
          opts.progress?.(r);
        }
      });
    }
    for (const chunk of chunks(refused)) {
      tasks.push(async () => {
        const hosted = await gccMany(abi, work, chunk.map((x) => x.file), ['-fsyntax-only', ...inc, ...env.glibc]);
        const compiles = chunk.filter((x) => hosted.get(x.file)!.length === 0);
        const free = compiles.length > 0 ? await gccMany(abi, work, compiles.map((x) => x.file), ['-fsyntax-only', ...inc, ...env.freestanding]) : new Map<string, string[]>();
        for (const x of chunk) {
          const r = results.get(x.header)!;
          const g = hosted.get(x.file)!;
          if (g.length > 0) {
            r.status = 'standalone';
            r.gcc = g[0]!.replace(/^.*\/include\//, '');
          } else if ((free.get(x.file) ?? []).length > 0) {
            r.status = 'libc';
            r.failures.push(`needs libc: gcc compiles it with glibc, we say ${r.ours}`);
          } else {
            r.failures.push(`gcc compiles it, we say ${r.ours}`);
          }
          opts.progress?.(r);
        }
      });
    }
    await pool(tasks, opts.jobs ?? 1);
    return headers.map((h) => results.get(h)!);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
