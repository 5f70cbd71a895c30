/**
 * The headers of a uapi include tree, for the whole-tree commands (`layout --all`, `diff --all`).
 *
 * A tree written by `uapi-ts headers sync` (or `make headers_install` plus the multiarch dirs) has
 * the ABI-independent headers under `<dir>/` and each ABI's `asm/` headers under `<dir>/<triplet>/`.
 * A header is named as `#include <...>` names it: "linux/vfio.h", "asm/kvm.h". Headers under `<dir>/`
 * exist on every ABI; those under `<dir>/<triplet>/` only on that triplet's ABI.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ABIS, type Abi } from '../layout/abi/index.js';
import { printable } from '../diagnostics.js';
import { UsageError } from './args.js';
import { fsError } from './io.js';

/** Header name -> the ABIs (by name) on which the tree provides it, in name order. */
export type TreeHeaders = Map<string, Set<string>>;

/** Every `*.h` under dir (relative paths with '/'), skipping the top-level dirs in `skip`. */
function walkHeaders(dir: string, skip: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(join(dir, rel), { withFileTypes: true });
    } catch (e) {
      throw fsError(e, join(dir, rel));
    }
    for (const e of entries) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (rel === '' && skip.has(e.name)) continue;
      // Symlinked dirs are followed (synced trees may link), symlinked files taken as files.
      const isDir = e.isDirectory() || (e.isSymbolicLink() && isDirectory(join(dir, path)));
      if (isDir) walk(path);
      else if (e.name.endsWith('.h')) out.push(path);
    }
  };
  walk('');
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The headers of `dir` on each of `abis` (see the file comment), in code-point order of name. */
export function treeHeaders(dir: string, abis: readonly Abi[]): TreeHeaders {
  const triplets = new Set(ABIS.map((a) => a.triplet));
  const common = walkHeaders(dir, triplets);
  const out: TreeHeaders = new Map();
  const add = (h: string, abi: string): void => {
    const s = out.get(h) ?? new Set<string>();
    s.add(abi);
    out.set(h, s);
  };
  for (const h of common) for (const a of abis) add(h, a.name);
  for (const a of abis) {
    if (!isDirectory(join(dir, a.triplet))) continue;
    for (const h of walkHeaders(join(dir, a.triplet), new Set())) add(h, a.name);
  }
  return new Map([...out].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

/**
 * A shell-style glob over header names: `*` and `?` stay inside one path segment, `**` spans
 * segments (`linux/**` = everything under linux/), `[abc]` a character class; anything else is
 * literal. A pattern without a '/' matches the base name too (`--exclude '*_compat.h'`).
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) throw new UsageError(`glob '${printable(glob)}': '[' without a closing ']'`);
      const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(glob.includes('/') ? `^${re}$` : `^(?:.*/)?${re}$`);
}

/** Keep the headers matching any `include` glob (all when none) and no `exclude` glob. */
export function selectHeaders(headers: TreeHeaders, include: readonly string[], exclude: readonly string[]): TreeHeaders {
  const inc = include.map(globToRegExp);
  const exc = exclude.map(globToRegExp);
  return new Map([...headers].filter(([h]) => (inc.length === 0 || inc.some((r) => r.test(h))) && !exc.some((r) => r.test(h))));
}
