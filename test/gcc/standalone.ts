/**
 * The headers of a tree that cannot stand alone: `#include <h>` fails with gcc itself on the
 * listed ABIs (an `#error` against direct inclusion, an asm/ header an arch does not have, a type
 * or header from outside uapi). Committed per tree as test/gcc/standalone/<version>.json; every
 * entry is checked against gcc by standalone.test.ts, and prove-tree counts any other refusal as a
 * mismatch.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { REPO } from '../support/trees.js';
import type { PairResult } from './tree-proof.js';

export interface StandaloneEntry {
  header: string;
  /** ABI names on which gcc refuses the header. */
  abis: string[];
  /** Why, in a few words. */
  reason: string;
  /** A piece of gcc's first error on those ABIs (after the include path). */
  gcc: string;
  /**
   * A piece of one of our errors on those ABIs; null when we lay the header out all the same (gcc
   * refuses it for something no layout depends on, like an undeclared name in an inline function).
   */
  ours: string | null;
  /** What gcc needs before `#include <header>` to compile it (and prove our layout of it). */
  prelude?: string;
}

export interface StandaloneList {
  /** The kernel version the list is for. */
  tree: string;
  headers: StandaloneEntry[];
}

export const STANDALONE_DIR = join(REPO, 'test', 'gcc', 'standalone');

/** The version a tree's include dir belongs to: headers/7.2/include -> "7.2" (through headers/latest). */
export function treeVersion(include: string): string {
  return basename(dirname(realpathSync(include)));
}

/** The committed list for a tree, if there is one. */
export function standaloneFor(include: string, file?: string): StandaloneList | undefined {
  const path = file ?? join(STANDALONE_DIR, `${treeVersion(include)}.json`);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as StandaloneList;
}

/** The preludes of entries we lay out (for tree-proof's proofs). */
export function preludes(list: StandaloneList | undefined): Map<string, string> {
  return new Map((list?.headers ?? []).filter((e) => e.prelude !== undefined).map((e) => [e.header, e.prelude!]));
}

/** Is (header, abi) on the list? */
export function listed(list: StandaloneList | undefined, header: string, abi: string): StandaloneEntry | undefined {
  return list?.headers.find((e) => e.header === header && e.abis.includes(abi));
}

/**
 * A pair's result against the committed list (when the tree has one): a refusal gcc shares must
 * be on it, and a listed pair we refuse must still be refused.
 */
export function judge(r: PairResult, list: StandaloneList | undefined): PairResult {
  if (!list) return r;
  const entry = listed(list, r.header, r.abi);
  if (r.status === 'standalone' && !entry) {
    r.status = 'mismatch';
    r.failures.push(`not on the stand-alone list: gcc refuses it too (${r.gcc}), we say ${r.ours}`);
  }
  if (r.status === 'proven' && entry && entry.ours !== null) {
    r.status = 'mismatch';
    r.failures.push('on the stand-alone list, but it lays out and is proven: take it off the list');
  }
  return r;
}
