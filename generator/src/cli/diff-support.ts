/** What the one-header diff and `diff --all` share: a run from two sides' layouts, labels, checks. */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { printable } from '../diagnostics.js';
import { diffAll } from '../diff/index.js';
import type { LayoutJson } from '../contract/layout-json.js';
import { abiIncludeDirs, type Analysis } from '../pipeline.js';
import { inHeader } from '../ir/types.js';
import type { DiffRun } from '../report/diff-common.js';
import { UsageError } from './args.js';

export function makeRun(header: string, from: string, to: string, olds: LayoutJson[], news: LayoutJson[], abis: string[], relocated?: ReadonlyMap<string, ReadonlyMap<string, string>>): DiffRun {
  const notes: string[] = [];
  for (const [side, docs] of [[from, olds], [to, news]] as const) {
    for (const d of docs) {
      for (const u of d.unsupported ?? []) notes.push(`${side} ${d.abi}: ${u.name} could not be laid out (${u.message}); not compared`);
    }
  }
  return { header, from, to, abis, changes: diffAll(olds, news, relocated), notes: [...new Set(notes)] };
}

/**
 * Structs, unions and object-like macros the header's includes declare (not the header itself):
 * "struct x" / name -> the including path as written in `#include <...>` ("asm/kvm.h").
 */
export function includedDeclarations(a: Analysis, dirs: readonly string[]): Map<string, string> {
  const roots = abiIncludeDirs(dirs, a.abi).map((d) => `${d.replace(/\/+$/, '')}/`);
  const short = (file: string): string => {
    const root = roots.find((r) => file.startsWith(r));
    return root ? file.slice(root.length) : file;
  };
  const out = new Map<string, string>();
  for (const r of a.ir.records) {
    if (r.name !== null && r.complete && !inHeader(a.ir, r.loc)) out.set(`${r.tag} ${r.name}`, short(r.loc.file));
  }
  for (const [name, file] of a.pp.macroFile) {
    if (!inHeader(a.ir, { file }) && a.pp.macros.get(name)?.params === null) out.set(name, short(file));
  }
  return out;
}

/** "headers/6.1/include" -> "6.1"; "headers/latest/include" -> "latest (7.2)". */
export function dirLabel(dir: string): string {
  const abs = resolve(dir);
  const named = basename(abs) === 'include' ? dirname(abs) : abs;
  const name = basename(named);
  let real = name;
  try {
    real = basename(realpathSync(named));
  } catch {
    // not there: keep the name as given
  }
  return real !== name ? `${name} (${real})` : name;
}

/** Why `dir` (given as `flag`) can't be an include dir, or undefined when it is a directory. */
export function notADirectory(flag: string, dir: string): string | undefined {
  try {
    return statSync(dir).isDirectory() ? undefined : `${flag} ${dir}: not a directory`;
  } catch {
    return `${flag} ${dir}: no such directory`;
  }
}

/** Plain data with every string (and key) made printable. */
export function printableData<T>(v: T): T {
  if (typeof v === 'string') return printable(v) as T;
  if (Array.isArray(v)) return v.map(printableData) as T;
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [printable(k), printableData(x)])) as T;
  return v;
}

export function wantColor(mode: string): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  if (mode !== 'auto') throw new UsageError(`--color must be auto, always or never, not '${mode}'`);
  const noColor = process.env.NO_COLOR;
  return process.stdout.isTTY === true && (noColor === undefined || noColor === '');
}
