/**
 * Captured kernel replies as committed fixtures (test/fixtures/kernel-replies/<series>/): the C
 * program's whole report (c.json: every call, its bytes and its fields by C name), each info
 * reply again as a plain hex file (`uapi-ts decode <struct> --caps --hex FILE` reads it), and a
 * manifest saying which kernel package (version, sha256), headers and QEMU produced them.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Call, ProbeReport } from './guest/report.js';
import type { KernelRun } from './harness.js';
import { FIXTURES, HERE, ROOT } from './paths.js';

/** The struct each ioctl's reply is (what a hex file decodes as). */
export const REPLY_STRUCTS: Record<string, string> = {
  VFIO_GROUP_GET_STATUS: 'vfio_group_status',
  VFIO_IOMMU_GET_INFO: 'vfio_iommu_type1_info',
  VFIO_DEVICE_GET_INFO: 'vfio_device_info',
  VFIO_DEVICE_GET_REGION_INFO: 'vfio_region_info',
  VFIO_DEVICE_GET_IRQ_INFO: 'vfio_irq_info',
};

export interface FixtureReply {
  key: string;
  ioctl: string;
  struct: string;
  argszIn: number | null;
  ret: number;
  errno: string | null;
}

export interface FixtureManifest {
  series: string;
  /** uname -r in the guest. */
  release: string;
  /** The ABI the replies are in (decode with @uapi-ts/vfio/abi/<abi>). */
  abi: 'x86_64' | 's390x';
  packages: { name: string; version: string; sha256: string }[];
  /** Header tree the C program was built against. */
  headers: { tree: string; kernel?: string };
  qemu: string;
  /** sha256 of test/kernel/c/vfio-probe.c that printed them. */
  program: string;
  /** Hex file name -> the call it holds. */
  replies: Record<string, FixtureReply>;
}

export const fileOf = (key: string): string =>
  `${key
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.hex`;

/** 16 bytes per line, space-separated pairs. */
export function hexLines(hex: string): string {
  const pairs = hex.match(/../g) ?? [];
  const lines: string[] = [];
  for (let i = 0; i < pairs.length; i += 16) lines.push(pairs.slice(i, i + 16).join(' '));
  return `${lines.join('\n')}\n`;
}

/** Which calls get a hex file: every reply of an info struct (not the 8-byte feature probes). */
export const hasHexFile = (c: Call): boolean => c.bytes !== undefined && REPLY_STRUCTS[c.ioctl] !== undefined;

/** One call per line: readable diffs when a kernel's replies change. */
function reportJson(r: ProbeReport): string {
  const { calls, ...rest } = r;
  const head = JSON.stringify(rest, null, 2).replace(/\n}$/, '');
  return `${head},\n  "calls": [\n${calls.map((c) => `    ${JSON.stringify(c)}`).join(',\n')}\n  ]\n}\n`;
}

/** (Re)write the fixtures of a run; returns the directory. */
export function writeFixtures(run: KernelRun): string {
  if (!run.c || !run.pin) throw new Error(`${run.series}: nothing to write (no C report or not a pinned series)`);
  const dir = join(FIXTURES, run.series);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const replies: Record<string, FixtureReply> = {};
  for (const c of run.c.calls) {
    if (!hasHexFile(c)) continue;
    const f = fileOf(c.key);
    replies[f] = { key: c.key, ioctl: c.ioctl, struct: REPLY_STRUCTS[c.ioctl]!, argszIn: c.argszIn, ret: c.ret, errno: c.errno };
    writeFileSync(join(dir, f), hexLines(c.bytes!));
  }
  const headersManifest = JSON.parse(readFileSync(join(ROOT, 'headers', 'manifest.json'), 'utf8')) as { trees: Record<string, { kernel: string }> };
  const tree = run.headers === 'latest' ? Object.keys(headersManifest.trees).sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).at(-1)! : run.headers;
  let qemu = '';
  try {
    qemu = execFileSync(run.arch === 'x86_64' ? 'qemu-system-x86_64' : 'qemu-system-s390x', ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
  } catch {
    qemu = 'unknown';
  }
  const manifest: FixtureManifest = {
    series: run.series,
    release: run.c.release,
    abi: run.arch,
    packages: run.pin.packages.map((p) => ({ name: p.name, version: p.version, sha256: p.sha256 })),
    headers: { tree, ...(headersManifest.trees[tree] ? { kernel: headersManifest.trees[tree].kernel } : {}) },
    qemu,
    program: createHash('sha256').update(readFileSync(join(HERE, 'c', 'vfio-probe.c'))).digest('hex'),
    replies,
  };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'c.json'), reportJson(run.c));
  return dir;
}

export interface Fixture {
  dir: string;
  manifest: FixtureManifest;
  c: ProbeReport;
}

export function readFixtures(): Fixture[] {
  if (!existsSync(FIXTURES)) return [];
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => {
      const dir = join(FIXTURES, e.name);
      return {
        dir,
        manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as FixtureManifest,
        c: JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8')) as ProbeReport,
      };
    });
}

/** The committed replies of this run's kernel, when the run booted exactly the package they came from. */
export function fixtureFor(run: KernelRun): Fixture | undefined {
  const f = readFixtures().find((x) => x.manifest.series === run.series);
  if (!f || !run.pin) return undefined;
  const same = f.manifest.packages.length === run.pin.packages.length && f.manifest.packages.every((p, i) => p.sha256 === run.pin!.packages[i]!.sha256);
  return same ? f : undefined;
}
