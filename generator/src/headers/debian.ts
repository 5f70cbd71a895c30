/**
 * A Debian suite's kernel uapi headers as one multiarch include tree: which packages give which
 * parts (the plan), and building the tree from their extracted .debs.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HEADER_ABIS, isTripletDir, siblings, upstreamVersion } from './abis.js';
import { type AptPackage, type PrivateApt, extractDeb } from './apt.js';
import type { AsmOrigin, PinnedPackage } from './manifest.js';
import { copyResolved } from './tree-fs.js';

export interface Plan {
  kernel: string;
  packages: PinnedPackage[];
  asm: Record<string, AsmOrigin>;
}

const spec = (p: { name: string; arch: string; version: string }): string => `${p.name}:${p.arch}=${p.version}`;
const pinFields = (p: AptPackage): Omit<PinnedPackage, 'provides'> => ({
  name: p.name,
  arch: p.arch,
  version: p.version,
  sha256: p.sha256,
  filename: p.filename,
});
const isCross = (name: string): boolean => name.endsWith('-cross');

/** Where a package keeps a triplet's asm/ (relative to its extracted root). */
function asmDirIn(pkgName: string, triplet: string): string {
  return isCross(pkgName) ? join('usr', triplet, 'include', 'asm') : join('usr', 'include', triplet, 'asm');
}

/**
 * Decide the packages for a suite from its current index and fetch them. Preference per ABI:
 * the suite's own linux-libc-dev (Architecture: all carries every triplet; otherwise linux-libc-dev:<arch>),
 * then a sibling ABI of the same kernel arch (its uapi asm/ is the same source dir, byte for byte),
 * then linux-libc-dev-<arch>-cross (built from the suite's cross-toolchain-base, often an older point release).
 */
export function resolvePlan(apt: PrivateApt, debDir: string, scratch: string): { plan: Plan; roots: Map<string, string> } {
  const roots = new Map<string, string>();
  const packages: PinnedPackage[] = [];
  const asm: Record<string, AsmOrigin> = {};
  const fetchExtract = (p: { name: string; arch: string; version: string; sha256: string }): string => {
    const deb = apt.fetch(p, debDir);
    const root = join(scratch, `${p.name}_${p.arch}`);
    extractDeb(deb, root);
    roots.set(spec(p), root);
    return root;
  };

  const main = apt.show('linux-libc-dev');
  if (!main) throw new Error(`${apt.suite}: no linux-libc-dev in ${apt.mirror}`);
  const kernel = upstreamVersion(main.version);
  const mainRoot = fetchExtract(main);
  const mainPin: PinnedPackage = { ...pinFields(main), provides: ['shared'] };
  packages.push(mainPin);
  for (const a of HEADER_ABIS) {
    if (existsSync(join(mainRoot, asmDirIn(main.name, a.triplet)))) {
      mainPin.provides.push(a.abi);
      asm[a.abi] = { kind: 'package', from: spec(main) };
    }
  }
  if (main.arch !== 'all') {
    for (const a of HEADER_ABIS) {
      if (asm[a.abi]) continue;
      const p = apt.show(`linux-libc-dev:${a.debArch}=${main.version}`) ?? apt.show(`linux-libc-dev:${a.debArch}`);
      if (!p) continue;
      const root = fetchExtract(p);
      if (!existsSync(join(root, asmDirIn(p.name, a.triplet)))) continue;
      packages.push({ ...pinFields(p), provides: ['shared', a.abi] });
      const k = upstreamVersion(p.version);
      asm[a.abi] = { kind: 'package', from: spec(p), ...(k !== kernel ? { kernel: k } : {}) };
    }
  }
  // A sibling's asm/ from the suite's own package is the same kernel source dir at the same version:
  // better than a cross package, which is usually an older point release.
  const derive = (a: (typeof HEADER_ABIS)[number], from: readonly AsmOrigin['kind'][]): boolean => {
    const sib = siblings(a).find((s) => asm[s.abi] && from.includes(asm[s.abi]!.kind));
    if (!sib) return false;
    const o = asm[sib.abi]!;
    asm[a.abi] = {
      kind: 'derived',
      from: sib.abi,
      ...(o.kernel ? { kernel: o.kernel } : {}),
      note: `no ${a.debArch} package in ${apt.suite}; copy of ${sib.abi}'s asm/ (both arch/${a.karch}/include/uapi)`,
    };
    return true;
  };
  for (const a of HEADER_ABIS) if (!asm[a.abi]) derive(a, ['package']);
  for (const a of HEADER_ABIS) {
    if (asm[a.abi]) continue;
    const p = apt.show(`linux-libc-dev-${a.debArch}-cross`);
    if (!p) continue;
    const root = fetchExtract(p);
    if (!existsSync(join(root, asmDirIn(p.name, a.triplet)))) continue;
    packages.push({ ...pinFields(p), provides: [a.abi] });
    const k = upstreamVersion(p.version);
    asm[a.abi] = {
      kind: 'cross',
      from: spec(p),
      ...(k !== kernel ? { kernel: k, note: `no ${a.debArch} linux-libc-dev in ${apt.suite}; cross package is kernel ${k}, not ${kernel}` } : {}),
    };
  }
  for (const a of HEADER_ABIS) if (!asm[a.abi]) derive(a, ['package', 'cross']);
  const missing = HEADER_ABIS.filter((a) => !asm[a.abi]).map((a) => a.abi);
  if (missing.length > 0) throw new Error(`${apt.suite}: no source for the asm/ of ${missing.join(', ')}`);
  return { plan: { kernel, packages, asm }, roots };
}

/** Fetch exactly the pinned packages (from the cache when the hashes match, else the mirror). */
export function fetchPinned(
  packages: readonly PinnedPackage[],
  getDeb: (p: PinnedPackage) => string,
  scratch: string,
): Map<string, string> {
  const roots = new Map<string, string>();
  for (const p of packages) {
    const root = join(scratch, `${p.name}_${p.arch}`);
    extractDeb(getDeb(p), root);
    roots.set(spec(p), root);
  }
  return roots;
}

/** Build the include tree at `out` from the extracted packages according to the plan. */
export function buildTree(plan: Plan, roots: Map<string, string>, out: string): void {
  for (const p of plan.packages) {
    const root = roots.get(spec(p));
    if (!root) throw new Error(`package ${spec(p)} was not fetched`);
    if (p.provides.includes('shared')) {
      const inc = join(root, 'usr', 'include');
      for (const e of readdirSync(inc, { withFileTypes: true })) {
        if (isTripletDir(e.name)) continue;
        copyResolved(join(inc, e.name), join(out, e.name), root, () => true, true);
      }
    }
    for (const a of HEADER_ABIS) {
      if (!p.provides.includes(a.abi)) continue;
      copyResolved(join(root, asmDirIn(p.name, a.triplet)), join(out, a.triplet, 'asm'), root);
    }
  }
  for (const a of HEADER_ABIS) {
    const o = plan.asm[a.abi];
    if (o?.kind !== 'derived') continue;
    const sib = HEADER_ABIS.find((s) => s.abi === o.from);
    if (!sib) throw new Error(`asm/ of ${a.abi}: unknown sibling ${o.from}`);
    const src = join(out, sib.triplet, 'asm');
    copyResolved(src, join(out, a.triplet, 'asm'), out);
  }
  for (const a of HEADER_ABIS) {
    if (!existsSync(join(out, a.triplet, 'asm'))) throw new Error(`built tree lacks ${a.triplet}/asm`);
  }
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
