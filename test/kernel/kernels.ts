/**
 * The kernels the real-kernel tests boot: Debian's own builds, one per *series*, fetched as the
 * header sync fetches linux-libc-dev (a private apt on the machine's mirror, generator/src/headers/apt.ts)
 * and pinned by sha256 in test/kernel/kernels.json (committed).
 *
 * Security and sid kernels leave the archive within weeks. When a pinned .deb can be had neither
 * from the cache nor from the pool (by its archive path, as `headers sync` does), the newest build
 * of the same series in the suite's index is taken and the drift is reported loudly; only when no
 * kernel of the series exists does this fail. `UAPI_KERNELS_UPDATE=1` re-pins every series to the
 * newest build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AptPackage, PrivateApt } from '../../generator/dist/headers/apt.js';
import { HERE, ROOT } from './paths.js';

type AptHelpers = typeof import('../../generator/dist/headers/apt.js');
let helpers: AptHelpers | undefined;

/**
 * The header sync's apt helpers (generator/src/headers/apt.ts, built), loaded by absolute path so
 * that this module works from test/kernel/ (vitest) and compiled in test/kernel/dist/ (the CLI).
 */
export async function aptHelpers(): Promise<AptHelpers> {
  helpers ??= (await import(pathToFileURL(join(ROOT, 'generator', 'dist', 'headers', 'apt.js')).href)) as AptHelpers;
  return helpers;
}

export interface KernelPackage {
  name: string;
  /** Debian architecture of the .deb. */
  arch: string;
  version: string;
  sha256: string;
  /** Path in the archive, to fetch a pinned .deb after the suite's index moved on. */
  filename: string;
}

export interface KernelPin {
  suite: string;
  /** Upstream kernel version of the image package ("6.1.176"). */
  kernel: string;
  packages: KernelPackage[];
}

export interface KernelPins {
  version: 1;
  kernels: Record<string, KernelPin>;
}

/** What a series is: where its kernels come from and what else its initramfs takes. */
export interface SeriesSpec {
  /** Key in kernels.json and in the fixtures ("6.1", "6.12", "sid", "s390x"). */
  name: string;
  arch: 'x86_64' | 's390x';
  debArch: 'amd64' | 's390x';
  suite: string;
  /** Header tree under headers/ the C program is built against. */
  headers: string;
  /** The image package's name; group 1 is the kernel ABI name ("6.1.0-50", "7.2.13+deb14"). */
  image: RegExp;
  /** The other packages of a split kernel (sid since 7.x: modules, and modules.builtin and the
   *  config in linux-base-*), from the ABI name; same version as the image. */
  companions?: (abi: string) => string[];
  /** More packages of the suite for this arch (busybox-static for s390x). */
  extra?: string[];
}

export const SERIES: readonly SeriesSpec[] = [
  { name: '6.1', arch: 'x86_64', debArch: 'amd64', suite: 'bookworm', headers: '6.1', image: /^linux-image-(6\.1\.0-\d+)-amd64-unsigned$/ },
  { name: '6.12', arch: 'x86_64', debArch: 'amd64', suite: 'trixie', headers: '6.12', image: /^linux-image-(6\.12\.\d+\+deb13)-amd64-unsigned$/ },
  {
    name: 'sid',
    arch: 'x86_64',
    debArch: 'amd64',
    suite: 'sid',
    headers: 'latest',
    image: /^linux-binary-unsigned-(\d+\.\d+\.\d+\+deb\d+)-amd64$/,
    companions: (abi) => [`linux-modules-${abi}-amd64`, `linux-base-${abi}-amd64`],
  },
  { name: 's390x', arch: 's390x', debArch: 's390x', suite: 'trixie', headers: '6.12', image: /^linux-image-(6\.12\.\d+\+deb13)-s390x$/, extra: ['busybox-static'] },
];

export const PINS_PATH = join(HERE, 'kernels.json');

export function readPins(path = PINS_PATH): KernelPins {
  if (!existsSync(path)) return { version: 1, kernels: {} };
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<KernelPins>;
  if (raw.version !== 1 || typeof raw.kernels !== 'object' || raw.kernels === null) throw new Error(`${path}: expected {"version": 1, "kernels": {...}}`);
  return { version: 1, kernels: raw.kernels };
}

/** Deterministic: series in SERIES order, fixed key order, 2-space indent, trailing newline. */
export function serializePins(p: KernelPins): string {
  const kernels: Record<string, KernelPin> = {};
  const order = [...SERIES.map((s) => s.name), ...Object.keys(p.kernels).sort()];
  for (const k of order) {
    const pin = p.kernels[k];
    if (!pin || k in kernels) continue;
    kernels[k] = {
      suite: pin.suite,
      kernel: pin.kernel,
      packages: pin.packages.map((x) => ({ name: x.name, arch: x.arch, version: x.version, sha256: x.sha256, filename: x.filename })),
    };
  }
  return `${JSON.stringify({ version: 1, kernels }, null, 2)}\n`;
}

/** Debian version order (dpkg --compare-versions). */
export function debVersionGreater(a: string, b: string): boolean {
  try {
    execFileSync('dpkg', ['--compare-versions', a, 'gt', b], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const upstream = (v: string): string => v.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
const pinOf = (p: AptPackage): KernelPackage => ({ name: p.name, arch: p.arch, version: p.version, sha256: p.sha256, filename: p.filename });

/** Every kernel of the series in the suite's current index, newest first, with its companions. */
export function seriesCandidates(spec: SeriesSpec, apt: PrivateApt): KernelPin[] {
  // PrivateApt fetches the amd64 index only until a package of another arch is asked for; ask
  // for one first so the index lists this arch's kernel packages.
  if (spec.debArch !== 'amd64') apt.show(`dpkg:${spec.debArch}`);
  apt.update();
  // The image name's fixed prefix (before the first regex metacharacter) narrows pkgnames.
  const prefix = /^\^([a-z0-9-]+)/.exec(spec.image.source)?.[1] ?? '';
  const names = execFileSync('apt-cache', ['pkgnames', prefix], { env: { ...process.env, APT_CONFIG: apt.config }, encoding: 'utf8' })
    .split('\n')
    .filter((n) => spec.image.test(n));
  const found: { pkg: AptPackage; abi: string }[] = [];
  for (const n of names) {
    const pkg = apt.show(spec.debArch === 'amd64' ? n : `${n}:${spec.debArch}`);
    if (pkg && pkg.arch === spec.debArch) found.push({ pkg, abi: spec.image.exec(n)![1]! });
  }
  found.sort((a, b) => (debVersionGreater(a.pkg.version, b.pkg.version) ? -1 : debVersionGreater(b.pkg.version, a.pkg.version) ? 1 : 0));
  const out: KernelPin[] = [];
  for (const { pkg, abi } of found) {
    const packages = [pinOf(pkg)];
    const companions = (spec.companions?.(abi) ?? []).map((c) => apt.show(`${c}:${spec.debArch}=${pkg.version}`));
    if (companions.some((c) => c === undefined)) continue;
    packages.push(...companions.map((c) => pinOf(c!)));
    for (const e of spec.extra ?? []) {
      const x = apt.show(`${e}:${spec.debArch}`);
      if (!x) throw new Error(`${spec.suite}: no ${e}:${spec.debArch}`);
      packages.push(pinOf(x));
    }
    out.push({ suite: spec.suite, kernel: upstream(pkg.version), packages });
  }
  return out;
}

export interface Obtained {
  spec: SeriesSpec;
  pin: KernelPin;
  /** .deb paths in pin.packages order. */
  debs: string[];
  /** Set when the pinned build could not be had and another build of the series is used. */
  drift?: string;
}

/**
 * The series' .debs: the pinned ones (cache, then the pool by path), else the newest of the series
 * (drift). With `update`, always the newest, and `pins` is updated in place.
 */
export async function obtain(spec: SeriesSpec, pins: KernelPins, cacheDir: string, update = false): Promise<Obtained> {
  const { PrivateApt, cachedDeb, fetchByPath, poolUrls, systemMirror } = await aptHelpers();
  const debDir = join(cacheDir, 'debs');
  const mirror = systemMirror();
  const pinned = pins.kernels[spec.name];
  if (pinned && !update) {
    const debs = pinned.packages.map((p) => cachedDeb(p, debDir) ?? fetchByPath(p, poolUrls(mirror, p.filename), debDir));
    if (debs.every((d): d is string => d !== undefined)) return { spec, pin: pinned, debs };
  }
  const apt = new PrivateApt(cacheDir, spec.suite, mirror);
  const candidates = seriesCandidates(spec, apt);
  if (candidates.length === 0) {
    throw new Error(
      `no kernel of series ${spec.name} (${spec.image.source}, ${spec.debArch}) in ${spec.suite} at ${mirror}` +
        (pinned ? `, and the pinned ${pinned.packages.map((p) => `${p.name} ${p.version}`).join(' + ')} is gone from the pool` : ''),
    );
  }
  // The newest build the mirror really serves: an index can list a build whose .deb is not in
  // the pool yet (trixie's s390x 6.12.117 on this machine's mirror).
  const skipped: string[] = [];
  for (const now of candidates) {
    let debs: string[];
    try {
      debs = now.packages.map((p) => apt.fetch(p, debDir));
    } catch (e) {
      skipped.push(`${now.packages[0]!.name} ${now.packages[0]!.version} (${(e as Error).message.split('\n')[0]})`);
      continue;
    }
    const fmt = (k: KernelPin): string => k.packages.map((p) => `${p.name} ${p.version} (sha256 ${p.sha256.slice(0, 12)})`).join(' + ');
    const notes = skipped.length > 0 ? ` Newer builds listed but not downloadable: ${skipped.join('; ')}.` : '';
    let drift: string | undefined;
    if (pinned && !update) {
      drift =
        `KERNEL DRIFT in series ${spec.name}: the pinned ${fmt(pinned)} can no longer be fetched from ${mirror}; ` +
        `testing the newest build of the series instead: ${fmt(now)}.${notes} Pin it with UAPI_KERNELS_UPDATE=1 ` +
        `(rewrites test/kernel/kernels.json) and refresh the fixtures (node test/kernel/dist/kernel/cli.js run --fixtures update).`;
    } else if (notes) {
      drift = `series ${spec.name}: pinned ${fmt(now)}.${notes}`;
    }
    if (update) pins.kernels[spec.name] = now;
    return { spec, pin: now, debs, ...(drift ? { drift } : {}) };
  }
  throw new Error(`no kernel of series ${spec.name} in ${spec.suite} could be downloaded from ${mirror}: ${skipped.join('; ')}`);
}

export function writePins(pins: KernelPins, path = PINS_PATH): void {
  writeFileSync(path, serializePins(pins));
}
