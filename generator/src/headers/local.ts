/**
 * `headers sync --from DIR`: a tree from a local include dir (Debian-style /usr/include with
 * <triplet>/asm) or from a kernel source tree (include/uapi + arch/<karch>/include/uapi/asm).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HEADER_ABIS, isTripletDir } from './abis.js';
import type { AsmOrigin } from './manifest.js';
import { copyResolved, writeFileMkdir } from './tree-fs.js';

export interface LocalImport {
  kind: 'kernel-source' | 'include';
  kernel: string;
  asm: Record<string, AsmOrigin>;
  warnings: string[];
}

export function isKernelSource(dir: string): boolean {
  return existsSync(join(dir, 'include', 'uapi', 'linux')) && existsSync(join(dir, 'arch'));
}

/** `generic-y += foo.h` / `mandatory-y += foo.h` entries of a Kbuild file (comments and continuations handled). */
export function kbuildList(text: string, variable: 'generic-y' | 'mandatory-y'): string[] {
  const out: string[] = [];
  const joined = text.replace(/\\\n/g, ' ');
  for (const raw of joined.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = new RegExp(`^${variable}\\s*[+:]?=\\s*(.*)$`).exec(line);
    if (!m) continue;
    for (const w of m[1]!.split(/\s+/)) if (/^[\w.-]+\.h$/.test(w)) out.push(w);
  }
  return out;
}

/** Kernel version from the top Makefile's VERSION / PATCHLEVEL / SUBLEVEL, or from linux/version.h. */
function kernelVersionOf(dir: string, kind: 'kernel-source' | 'include'): string {
  if (kind === 'kernel-source') {
    const mk = join(dir, 'Makefile');
    if (existsSync(mk)) {
      const t = readFileSync(mk, 'utf8');
      const get = (k: string): string | undefined => new RegExp(`^${k}\\s*=\\s*(\\d+)`, 'm').exec(t)?.[1];
      const v = get('VERSION');
      const p = get('PATCHLEVEL');
      if (v && p) return `${v}.${p}.${get('SUBLEVEL') ?? '0'}`;
    }
    return 'unknown';
  }
  const vh = join(dir, 'linux', 'version.h');
  if (existsSync(vh)) {
    const t = readFileSync(vh, 'utf8');
    const get = (k: string): string | undefined => new RegExp(`#define\\s+LINUX_VERSION_${k}\\s+(\\d+)`).exec(t)?.[1];
    const maj = get('MAJOR');
    const min = get('PATCHLEVEL');
    if (maj && min) return `${maj}.${min}.${get('SUBLEVEL') ?? '0'}`;
    const code = /#define\s+LINUX_VERSION_CODE\s+(\d+)/.exec(t)?.[1];
    if (code) {
      const c = Number(code);
      return `${c >> 16}.${(c >> 8) & 255}.${c & 255}`;
    }
  }
  return 'unknown';
}

const isHeader = (rel: string): boolean => rel.endsWith('.h');

/** Copy `from` into the staged include dir `out`. */
export function importLocal(from: string, out: string): LocalImport {
  const warnings: string[] = [];
  const asm: Record<string, AsmOrigin> = {};
  if (isKernelSource(from)) {
    const uapi = join(from, 'include', 'uapi');
    copyResolved(uapi, out, from, isHeader);
    const mandatory = existsSync(join(uapi, 'asm-generic', 'Kbuild'))
      ? kbuildList(readFileSync(join(uapi, 'asm-generic', 'Kbuild'), 'utf8'), 'mandatory-y')
      : [];
    for (const a of HEADER_ABIS) {
      const src = join(from, 'arch', a.karch, 'include', 'uapi', 'asm');
      const dst = join(out, a.triplet, 'asm');
      if (!existsSync(src)) {
        warnings.push(`${a.abi}: arch/${a.karch}/include/uapi/asm is missing; no ${a.triplet}/asm`);
        continue;
      }
      copyResolved(src, dst, from, isHeader);
      const kb = join(src, 'Kbuild');
      const generic = existsSync(kb) ? kbuildList(readFileSync(kb, 'utf8'), 'generic-y') : [];
      const wrappers: string[] = [];
      for (const h of [...new Set([...generic, ...mandatory])].sort()) {
        if (existsSync(join(dst, h))) continue;
        // What headers_install does for Kbuild generic-y: a one-line wrapper around asm-generic.
        writeFileMkdir(join(dst, h), `#include <asm-generic/${h}>\n`);
        wrappers.push(h);
      }
      asm[a.abi] = {
        kind: 'kernel-source',
        from: `arch/${a.karch}/include/uapi/asm`,
        note:
          `${wrappers.length} asm-generic wrappers from Kbuild generic-y/mandatory-y; ` +
          'generated headers (e.g. unistd_64.h) are absent from a source tree: `make headers_install` output is the better input',
      };
    }
    warnings.push(
      'kernel source tree: generated asm headers (asm/unistd_*.h and others made by the build) are absent, and ' +
        'headers_install\'s clean-ups (_UAPI guards, __user) are not applied; `make headers_install` output is the better input',
    );
    return { kind: 'kernel-source', kernel: kernelVersionOf(from, 'kernel-source'), asm, warnings };
  }
  if (!existsSync(join(from, 'linux'))) {
    throw new Error(`${from}: neither an include dir (no linux/) nor a kernel source tree (no include/uapi/linux + arch/)`);
  }
  for (const e of readdirSync(from)) {
    const p = join(from, e);
    if (!statSync(p).isDirectory() || isTripletDir(e) || e === 'asm') continue;
    copyResolved(p, join(out, e), from, isHeader);
  }
  for (const a of HEADER_ABIS) {
    const src = join(from, a.triplet, 'asm');
    if (!existsSync(src)) {
      warnings.push(`${a.abi}: ${a.triplet}/asm is missing`);
      continue;
    }
    copyResolved(src, join(out, a.triplet, 'asm'), from, isHeader);
    asm[a.abi] = { kind: 'local', from: `${a.triplet}/asm` };
  }
  if (existsSync(join(from, 'asm')) && Object.keys(asm).length === 0) {
    warnings.push('a plain asm/ (one ABI, not multiarch) was not imported: put it at <triplet>/asm for its ABI');
  }
  return { kind: 'include', kernel: kernelVersionOf(from, 'include'), asm, warnings };
}
