/**
 * Numbers as a target's gcc computes them (sizeof, offsetof, any integer constant expression):
 * compile one array `unsigned char v_<name>[(expr) + 1]` per value with the ABI's cross gcc
 * (compile only) and read the symbol sizes back with that target's nm.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Abi } from '../../generator/src/layout/abi/index.js';
import { abiIncludeDirs } from '../../generator/src/pipeline.js';
import { check } from './proc.js';

/** The `-D` flags of an ABI variant (`withTime64`): what it predefines beyond the compiler. */
export function variantDefines(abi: Abi): string[] {
  return ['_TIME_BITS', '_FILE_OFFSET_BITS'].filter((m) => abi.predefined[m] !== undefined).map((m) => `-D${m}=${abi.predefined[m]}`);
}

export async function gccValues<K extends string>(abi: Abi, includeDirs: readonly string[], header: string, exprs: Readonly<Record<K, string>>, prelude: readonly string[] = []): Promise<Record<K, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'uapi-gcc-values-'));
  try {
    const src = join(dir, 'values.c');
    const obj = join(dir, 'values.o');
    const names = Object.keys(exprs) as K[];
    writeFileSync(src, ['#include <stddef.h>', ...prelude.map((h) => `#include <${h}>`), `#include <${header}>`, ...names.map((n) => `unsigned char v_${n}[(${exprs[n]}) + 1];`), ''].join('\n'));
    await check(abi.gcc, ['-std=gnu11', '-w', '-c', '-o', obj, ...variantDefines(abi), ...abiIncludeDirs(includeDirs, abi).flatMap((d) => ['-I', d]), src]);
    const nm = await check(abi.gcc.replace(/gcc$/, 'nm'), ['-S', obj]);
    const out: Record<string, number> = {};
    for (const line of nm.split('\n')) {
      const m = /^[0-9a-f]+\s+([0-9a-f]+)\s+\w\s+v_(\w+)$/.exec(line.trim());
      if (m) out[m[2]!] = parseInt(m[1]!, 16) - 1;
    }
    for (const n of names) if (out[n] === undefined) throw new Error(`gcc gave no value for ${n} (${exprs[n]}) on ${abi.name}:\n${nm}`);
    return out as Record<K, number>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
