/**
 * The tables generated packages ship, proven against gcc on every ABI (test/gcc/shipped.ts):
 * generated/vfio and generated/iommufd as committed, packages generated here for a fixture of byte facts that are easy
 * to get wrong (64-bit and signed enums, enum arrays, arrays of bitfield structs and of unions,
 * multi-dimensional arrays, pointers) and for a set of wide uapi headers.
 */
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeHeader } from '../../generator/src/cli/load.js';
import { ABIS, hostAbi, type Abi } from '../../generator/src/layout/abi/index.js';
import type { Analysis } from '../../generator/src/pipeline.js';
import { runNode } from '../support/proc.js';
import { IOMMUFD_PACKAGE, VFIO_PACKAGE } from '../support/packages.js';
import { newestTree, REPO, REQUIRE_TREES } from '../support/trees.js';
import { compilerAvailable } from './proof.js';
import { proveShipped, readTables, type ShippedPackage } from './shipped.js';

const BIN = join(REPO, 'generator', 'bin', 'uapi-ts.js');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const host = hostAbi(process.arch, 'LE')!;
const tree = newestTree();
const work = mkdtempSync(join(tmpdir(), 'uapi-ts-shipped-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function pkgFor(dir: string, headers: string[], includeDirs: string[], load: (abi: string) => Promise<{ bind(abi: string): { structs: unknown } }>): ShippedPackage {
  const cache = new Map<string, Analysis[]>();
  return {
    headers,
    includeDirs,
    tables: readTables(dir),
    structs: async (abi) => (await load(abi)).bind(abi).structs as never,
    analyses: (abi: Abi) => {
      if (!cache.has(abi.name)) cache.set(abi.name, headers.flatMap((h) => analyzeHeader(h, includeDirs, [abi])));
      return cache.get(abi.name)!;
    },
  };
}

/** `uapi-ts generate` into a fresh directory, then build it with its own tsconfig (tsc emits dist/). */
async function generated(header: string, include: string): Promise<ShippedPackage> {
  const out = join(work, header.replace(/[/.]/g, '_'));
  const g = await runNode([BIN, 'generate', header, '-I', include, '--out', out, '--quiet']);
  // Warnings (declarations without a binding) are fine; errors are not.
  expect(g.stderr, header).not.toMatch(/error:/);
  expect(g.status, header).toBe(0);
  if (!existsSync(join(out, 'node_modules'))) symlinkSync(join(REPO, 'node_modules'), join(out, 'node_modules'), 'dir');
  const t = await runNode([TSC, '-p', out]);
  expect(t.stdout + t.stderr, `tsc -p ${out}`).toBe('');
  return pkgFor(out, [header], [include], async () => import(pathToFileURL(join(out, 'dist', 'bind.js')).href));
}

async function proveAll(pkg: ShippedPackage, abi: Abi): Promise<void> {
  const r = await proveShipped(pkg, abi, abi.name === host.name);
  expect(r.failures, r.failures.join('\n')).toEqual([]);
  expect(r.structs).toBeGreaterThan(0);
}

const usable = ABIS.filter((a) => a.name === host.name || compilerAvailable(a));

describe('shipped tables of generated packages equal gcc on every ABI', () => {
  it('every ABI has its cross compiler (scripts/setup.sh --apt installs them)', () => {
    expect(usable.map((a) => a.name)).toEqual(ABIS.map((a) => a.name));
  });

  describe('fixture: enums wider than int, signed enums, enum arrays, arrays of bitfield structs and unions', () => {
    const include = join(REPO, 'test', 'fixtures', 'shipped', 'include');
    let pkg: Promise<ShippedPackage> | undefined;
    for (const abi of usable) {
      it(abi.name, async () => {
        pkg ??= generated('linux/shipped.h', include);
        await proveAll(await pkg, abi);
      }, 120_000);
    }
  });

  const haveTree = tree !== undefined && existsSync(join(tree.include, 'linux', 'vfio.h'));
  describe.skipIf(!haveTree && !REQUIRE_TREES)(`generated/vfio as committed${haveTree ? '' : ' (skipped: no synced headers; `npm test` syncs them)'}`, () => {
    const pkg = pkgFor(VFIO_PACKAGE.dir, [...VFIO_PACKAGE.headers], [tree?.include ?? ''], async () => import('@uapi-ts/vfio') as never);
    for (const abi of usable) it(abi.name, async () => proveAll(pkg, abi), 120_000);
  });

  const haveIommufd = tree !== undefined && existsSync(join(tree.include, 'linux', 'iommufd.h'));
  describe.skipIf(!haveIommufd && !REQUIRE_TREES)(`generated/iommufd as committed${haveIommufd ? '' : ' (skipped: no synced headers; `npm test` syncs them)'}`, () => {
    const pkg = pkgFor(IOMMUFD_PACKAGE.dir, [...IOMMUFD_PACKAGE.headers], [tree?.include ?? ''], async () => import('@uapi-ts/iommufd') as never);
    for (const abi of usable) it(abi.name, async () => proveAll(pkg, abi), 120_000);
  });

  const WIDE = ['linux/perf_event.h', 'linux/bpf.h', 'linux/io_uring.h', 'linux/btrfs.h', 'linux/usb/ch9.h', 'linux/ethtool.h', 'drm/drm.h'];
  describe.skipIf(!haveTree && !REQUIRE_TREES)('packages generated for wide uapi headers', () => {
    for (const header of WIDE) {
      let pkg: Promise<ShippedPackage> | undefined;
      for (const abi of usable) {
        it(`${header} on ${abi.name}`, async () => {
          pkg ??= generated(header, tree!.include);
          await proveAll(await pkg, abi);
        }, 120_000);
      }
    }
  });
});
