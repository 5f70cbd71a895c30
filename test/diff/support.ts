/** Helpers for the diff tests: layouts of the fixture trees, and struct sizes as gcc computes them. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLayouts } from '../../generator/src/cli/load.js';
import { diffAll } from '../../generator/src/diff/index.js';
import type { Change } from '../../generator/src/diff/types.js';
import { getAbi, type Abi } from '../../generator/src/layout/abi/index.js';
import type { LayoutJson } from '../../generator/src/contract/layout-json.js';
import { runNode } from '../support/proc.js';
import { REPO } from '../support/trees.js';

export const BIN = join(REPO, 'generator/bin/uapi-ts.js');
export const FIXTURE = join(REPO, 'test/fixtures/diff/uapi');
export const OLD = join(FIXTURE, 'old/include');
export const NEW = join(FIXTURE, 'new/include');

export function abi(name: string): Abi {
  const a = getAbi(name);
  if (!a) throw new Error(`no ABI ${name}`);
  return a;
}

export function layouts(header: string, include: string, abis: readonly string[]): LayoutJson[] {
  const { layouts: docs, diagnostics } = loadLayouts(header, [include], abis.map(abi));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`layout errors: ${JSON.stringify(errors)}`);
  return docs;
}

export function diffTrees(header: string, from: string, to: string, abis: readonly string[]): Change[] {
  return diffAll(layouts(header, from, abis), layouts(header, to, abis));
}

export async function run(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const r = await runNode([BIN, ...args], { env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

export function compilerAvailable(a: Abi): boolean {
  return spawnSync(a.gcc, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * sizeof(struct X) for each struct as the ABI's gcc computes it: compile (no link) one array
 * `unsigned char sz_X[sizeof(struct X)]` per struct and read the symbol sizes with that target's nm.
 */
export function gccSizes(a: Abi, include: string, header: string, structs: readonly string[]): Map<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'uapi-diff-gcc-'));
  try {
    const src = join(dir, 'sizes.c');
    const obj = join(dir, 'sizes.o');
    writeFileSync(src, [`#include <${header}>`, ...structs.map((s) => `unsigned char sz_${s}[sizeof(struct ${s})];`), ''].join('\n'));
    execFileSync(a.gcc, ['-c', '-o', obj, '-I', join(include, a.triplet), '-I', include, src], { stdio: ['ignore', 'ignore', 'pipe'] });
    const nm = execFileSync(a.gcc.replace(/gcc$/, 'nm'), ['-S', obj], { encoding: 'utf8' });
    const sizes = new Map<string, number>();
    for (const line of nm.split('\n')) {
      const m = /^[0-9a-f]+\s+([0-9a-f]+)\s+\w\s+sz_(\w+)$/.exec(line.trim());
      if (m) sizes.set(m[2]!, parseInt(m[1]!, 16));
    }
    for (const s of structs) if (!sizes.has(s)) throw new Error(`gcc gave no size for struct ${s} on ${a.name}: ${nm}`);
    return sizes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
