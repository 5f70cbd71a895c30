/**
 * headers/manifest.json: what each kernel header tree is pinned to (its packages and the sha256 of
 * every file), and the pure comparisons that decide drift. Serialization is deterministic.
 */

export interface PinnedPackage {
  /** Debian package name, e.g. "linux-libc-dev" or "linux-libc-dev-riscv64-cross". */
  name: string;
  /** Debian architecture of the .deb ("all" for arch-independent). */
  arch: string;
  version: string;
  sha256: string;
  /**
   * Where the .deb lives in the archive ("pool/main/l/linux/linux-libc-dev_6.1.176-1_amd64.deb").
   * Lets sync fetch the pinned file by path (checked against sha256) once the suite's index has
   * moved on to a newer version but the pool still holds it. Absent in pins written before it.
   */
  filename?: string;
  /** What the tree takes from it: "shared" (linux/, asm-generic/, ...) and/or ABI names (their asm/). */
  provides: string[];
}

export interface AsmOrigin {
  /** "package": from the package that ships this triplet's asm/; "cross": a linux-libc-dev-<arch>-cross
   *  package; "derived": a byte copy of a sibling ABI's asm/ (same kernel arch dir); "kernel-source",
   *  "local": from a --from directory. */
  kind: 'package' | 'cross' | 'derived' | 'kernel-source' | 'local';
  /** Package "name:arch=version", sibling ABI, or directory path relative to the source. */
  from: string;
  /** Kernel version of that asm/ when it differs from the tree's or is worth stating. */
  kernel?: string;
  note?: string;
}

export interface TreePin {
  source: 'debian' | 'local';
  /** Debian suite (source "debian"). */
  suite?: string;
  /** Kernel version string, e.g. "6.1.176". */
  kernel: string;
  packages?: PinnedPackage[];
  /** Local input directory (source "local"), and whether it was a kernel source tree. */
  path?: string;
  kind?: 'kernel-source' | 'include';
  /** Where each ABI's `<triplet>/asm/` came from, by ABI name. */
  asm: Record<string, AsmOrigin>;
  /** sha256 of every file, by path relative to the tree's include dir. */
  files: Record<string, string>;
}

export interface Manifest {
  version: 1;
  trees: Record<string, TreePin>;
}

export function emptyManifest(): Manifest {
  return { version: 1, trees: {} };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Sorted keys at every level, 2-space indent, trailing newline: the same manifest is the same bytes. */
export function serializeManifest(m: Manifest): string {
  return `${JSON.stringify(sortKeys(m), null, 2)}\n`;
}

/** `path` names the file in errors (default headers/manifest.json). */
export function parseManifest(text: string, path = 'headers/manifest.json'): Manifest {
  let raw: Partial<Manifest> | null;
  try {
    raw = JSON.parse(text) as Partial<Manifest> | null;
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (!raw || raw.version !== 1 || !raw.trees || typeof raw.trees !== 'object') {
    throw new Error(`${path}: expected {"version": 1, "trees": {...}}`);
  }
  return { version: 1, trees: raw.trees };
}

export interface FileDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Files in `now` and not in `pinned` are added; sorted lists. */
export function diffFiles(pinned: Record<string, string>, now: Record<string, string>): FileDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [p, h] of Object.entries(now)) {
    const was = pinned[p];
    if (was === undefined) added.push(p);
    else if (was !== h) changed.push(p);
  }
  for (const p of Object.keys(pinned)) if (!(p in now)) removed.push(p);
  return { added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}

export function isEmptyDiff(d: FileDiff): boolean {
  return d.added.length + d.removed.length + d.changed.length === 0;
}

export interface PackageChange {
  key: string;
  from?: string;
  to?: string;
}

const pkgKey = (p: PinnedPackage): string => `${p.name}:${p.arch}`;

/** Package versions (and .deb hashes at the same version) that differ between a pin and a fresh resolve. */
export function diffPackages(pinned: readonly PinnedPackage[], now: readonly PinnedPackage[]): PackageChange[] {
  const a = new Map(pinned.map((p) => [pkgKey(p), p]));
  const b = new Map(now.map((p) => [pkgKey(p), p]));
  const out: PackageChange[] = [];
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(k);
    const y = b.get(k);
    const fmt = (p: PinnedPackage): string => `${p.version} (sha256 ${p.sha256.slice(0, 12)})`;
    if (x && y && x.version === y.version && x.sha256 === y.sha256) continue;
    out.push({ key: k, ...(x ? { from: fmt(x) } : {}), ...(y ? { to: fmt(y) } : {}) });
  }
  return out;
}

/** Human-readable drift report: package changes, then files. */
export function formatDrift(name: string, pkgs: readonly PackageChange[], files: FileDiff, limit = 200): string {
  const lines: string[] = [];
  lines.push(`${name}: content differs from headers/manifest.json`);
  for (const c of pkgs) lines.push(`  package ${c.key}: ${c.from ?? '(none)'} -> ${c.to ?? '(none)'}`);
  const section = (label: string, list: string[]): void => {
    if (list.length === 0) return;
    lines.push(`  ${label} (${list.length}):`);
    for (const p of list.slice(0, limit)) lines.push(`    ${p}`);
    if (list.length > limit) lines.push(`    ... ${list.length - limit} more`);
  };
  section('added', files.added);
  section('removed', files.removed);
  section('changed', files.changed);
  return `${lines.join('\n')}\n`;
}
