/**
 * Proof against the real compiler: from our computed layout, emit C that asserts every sizeof,
 * _Alignof, offsetof, member size and constant value (`_Static_assert`), plus one initialized
 * object per bitfield whose bytes show where gcc put the bits; compile it with the ABI's Debian
 * cross gcc (compile only, no emulator) and compare. Expected values come from gcc, never from us.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Abi } from '../../generator/src/layout/abi/index.js';
import type { FieldLayout, LaidOutModule, RecordLayout } from '../../generator/src/layout/index.js';
import { abiIncludeDirs } from '../../generator/src/pipeline.js';
import { headerRecords } from '../../generator/src/ir/queries.js';
import type { RecordDecl } from '../../generator/src/ir/types.js';
import { variantDefines } from '../support/gcc-values.js';
import { check, run } from '../support/proc.js';

export interface ProofResult {
  abi: string;
  records: number;
  constants: number;
  checks: number;
  failures: string[];
}

export interface BitProbe {
  symbol: string;
  label: string;
  expected: Uint8Array;
  /** The access window we computed (absolute byte offset), which must hold exactly the field's bits. */
  window?: { offset: number; size: number; pos: number; width: number };
}

/** C literal for a value of any integer type, comparable after the usual conversions. */
function cValue(v: bigint): string {
  if (v === -(2n ** 63n)) return '(-9223372036854775807LL-1)';
  return v < 0n ? `(${v}LL)` : `${v}ULL`;
}

export interface ProofOptions {
  /** Prove the constants too (default true). */
  constants?: boolean;
  /** Which records to prove (default: the header's own named ones). */
  records?: (r: RecordDecl) => boolean;
  /** `#include` lines before the header's, as userspace writes them (`#include <sys/time.h>`). */
  prelude?: readonly string[];
  /** Prove each bitfield's access window too (layout's BitfieldWindow; see bitProbe). */
  windows?: boolean;
}


export function proofSource(laid: LaidOutModule, options: ProofOptions = {}): { source: string; checks: number; probes: BitProbe[]; records: number; constants: number } {
  // No <stddef.h>: it would declare size_t, which a header may declare otherwise (gcc's own offsetof builtin instead).
  const lines: string[] = [...(options.prelude ?? []).map((h) => `#include <${h}>`), `#include <${laid.ir.header}>`, ''];
  let checks = 0;
  let recordCount = 0;
  const probes: BitProbe[] = [];
  const assert = (cond: string, label: string): void => {
    lines.push(`_Static_assert(${cond}, ${JSON.stringify(label)});`);
    checks++;
  };
  // An untagged record is named by its typedef (`typedef struct { ... } fd_set;`).
  const typedefOf = new Map<number, string>();
  for (const [name, td] of laid.ir.typedefs) if (td.type.kind === 'record' && !typedefOf.has(td.type.id)) typedefOf.set(td.type.id, name);
  const chosen = options.records ? laid.ir.records.filter((r) => r.complete && (r.name !== null || typedefOf.has(r.id)) && options.records!(r)) : headerRecords(laid.ir);
  for (const r of chosen) {
    const l = laid.records.get(r.id)!;
    if (l.unsupported) continue;
    recordCount++;
    const T = r.name !== null ? `${r.tag} ${r.name}` : typedefOf.get(r.id)!;
    assert(`sizeof(${T}) == ${l.size}`, `sizeof(${T}) == ${l.size}`);
    assert(`_Alignof(${T}) == ${l.align}`, `_Alignof(${T}) == ${l.align}`);
    const walk = (rl: RecordLayout, base: number): void => {
      for (const f of rl.fields) {
        if (f.nested) {
          walk(f.nested, base + f.bitOffset / 8);
          continue;
        }
        if (f.name === null) continue;
        if (f.bitWidth !== undefined) {
          probes.push(bitProbe(laid.abi, T, l.size, f, base, probes.length, lines, options.windows === true));
          checks++;
          continue;
        }
        const off = base + f.bitOffset / 8;
        assert(`__builtin_offsetof(${T}, ${f.name}) == ${off}`, `offsetof(${T}, ${f.name}) == ${off}`);
        if (!f.flexible) assert(`sizeof(((${T} *)0)->${f.name}) == ${f.size}`, `sizeof(${T}.${f.name}) == ${f.size}`);
      }
    };
    walk(l, 0);
  }
  let constants = 0;
  if (options.constants !== false) {
    for (const c of laid.constants) {
      assert(`(${c.name}) == ${cValue(c.value)}`, `${c.name} == ${c.value}`);
      constants++;
    }
  }
  return { source: lines.join('\n') + '\n', checks, probes, records: recordCount, constants };
}

/**
 * A bitfield probe: an object of the record with only this bitfield set to all ones. Its bytes,
 * read back from the object file, must match the storage unit and bit position we computed; with
 * `windows`, also the access window the runtime reads the field through (layout's BitfieldWindow).
 * (Off by default: a packed field of more than 57 bits, or one wider than a small packed union, has
 * no 1/2/4/8-byte window inside its record, which random-layout.test.ts generates.)
 */
function bitProbe(abi: Abi, T: string, size: number, f: FieldLayout, base: number, n: number, lines: string[], windows: boolean): BitProbe {
  const symbol = `uapi_probe_${n}`;
  lines.push(`__attribute__((section(".uapi_probe"), used)) union { ${T} s; unsigned char b[sizeof(${T})]; } ${symbol} = { .s = { .${f.name} = -1 } };`);
  const expected = new Uint8Array(size);
  const unitStart = base + f.unitOffset!;
  const width = f.bitWidth!;
  // Absolute bit position in allocation order. Little-endian ABIs allocate from each byte's least
  // significant bit upwards; big-endian ones from the most significant bit (so a field may also
  // straddle storage units in packed records).
  const start = base * 8 + f.bitOffset;
  for (let b = start; b < start + width; b++) {
    const byte = Math.floor(b / 8);
    const bit = abi.endian === 'little' ? b % 8 : 7 - (b % 8);
    if (byte < size) expected[byte]! |= 1 << bit;
  }
  const unit = f.size;
  const window = windows && f.window ? { offset: base + f.window.offset, size: f.window.size, pos: f.window.pos, width } : undefined;
  return { symbol, label: `${T}.${f.name} bits (unit @${unitStart} size ${unit}, bit ${f.unitBitOffset}, width ${width})`, expected, ...(window ? { window } : {}) };
}

/** Does `#include <header>` compile with the ABI's gcc? */
export async function headerCompiles(abi: Abi, header: string, include: string): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'uapi-inc-'));
  try {
    writeFileSync(join(dir, 'inc.c'), `#include <${header}>\n`);
    const args = ['-std=gnu11', '-w', '-fsyntax-only', ...variantDefines(abi), ...abiIncludeDirs([include], abi).flatMap((d) => ['-I', d]), join(dir, 'inc.c')];
    return (await run(abi.gcc, args)).status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function compilerAvailable(abi: Abi): boolean {
  return spawnSync(abi.gcc, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Compile the proof for one laid-out module with the ABI's gcc; returns every mismatch. */
export async function prove(laid: LaidOutModule, includeDirs: readonly string[], opts: ProofOptions = {}): Promise<ProofResult> {
  const { source, checks, probes, records, constants } = proofSource(laid, opts);
  const dir = mkdtempSync(join(tmpdir(), 'uapi-proof-'));
  try {
    const c = join(dir, 'proof.c');
    const o = join(dir, 'proof.o');
    writeFileSync(c, source);
    const args = ['-std=gnu11', '-w', '-c', '-o', o, ...variantDefines(laid.abi), ...abiIncludeDirs(includeDirs, laid.abi).flatMap((d) => ['-I', d]), c];
    const r = await run(laid.abi.gcc, args);
    const failures: string[] = [];
    if (r.status !== 0) {
      const asserts = [...r.stderr.matchAll(/static assertion failed: "([^"]*)"/g)].map((m) => `gcc disagrees: ${m[1]}`);
      failures.push(...(asserts.length > 0 ? asserts : [`gcc failed: ${r.stderr.split('\n').slice(0, 20).join('\n')}`]));
      return { abi: laid.abi.name, records, constants, checks, failures };
    }
    if (probes.length > 0) failures.push(...(await checkProbes(laid.abi, o, dir, probes)));
    return { abi: laid.abi.name, records, constants, checks, failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A window holds a bitfield when gcc's bytes outside it are zero and, read as one integer in the
 * ABI's byte order, its bits are exactly `width` ones at `pos` in allocation order (from the least
 * significant bit on little-endian ABIs, from the most significant on big-endian ones).
 */
export function windowProblem(endian: Abi['endian'], got: Uint8Array, w: NonNullable<BitProbe['window']>): string | undefined {
  if (w.offset < 0 || w.offset + w.size > got.length) return `window @${w.offset} size ${w.size} is outside the record (${got.length} bytes)`;
  for (let i = 0; i < got.length; i++) if ((i < w.offset || i >= w.offset + w.size) && got[i] !== 0) return `gcc set bits in byte ${i}, outside window @${w.offset} size ${w.size}`;
  let v = 0n;
  for (let i = 0; i < w.size; i++) {
    const b = BigInt(got[w.offset + (endian === 'little' ? w.size - 1 - i : i)]!);
    v = (v << 8n) | b;
  }
  const shift = endian === 'little' ? w.pos : w.size * 8 - w.pos - w.width;
  const want = shift < 0 ? -1n : ((1n << BigInt(w.width)) - 1n) << BigInt(shift);
  return v === want ? undefined : `window @${w.offset} size ${w.size} pos ${w.pos}: gcc's bits read ${v.toString(16)} there, the window says ${want.toString(16)}`;
}

export async function checkProbes(abi: Abi, object: string, dir: string, probes: readonly BitProbe[]): Promise<string[]> {
  const prefix = abi.gcc.replace(/gcc$/, '');
  const bin = `${object}.probe.bin`;
  await check(`${prefix}objcopy`, ['-O', 'binary', '--only-section=.uapi_probe', object, bin]);
  const bytes = readFileSync(bin);
  const nm = await check(`${prefix}nm`, ['-S', object]);
  const symbols = new Map<string, number>();
  for (const line of nm.split('\n')) {
    const m = /^([0-9a-f]+) [0-9a-f]+ \w (uapi_probe_\d+)$/.exec(line.trim());
    if (m) symbols.set(m[2]!, parseInt(m[1]!, 16));
  }
  const failures: string[] = [];
  for (const p of probes) {
    const at = symbols.get(p.symbol);
    if (at === undefined) {
      failures.push(`probe ${p.symbol} missing from the object (${p.label})`);
      continue;
    }
    const got = bytes.subarray(at, at + p.expected.length);
    if (Buffer.compare(Buffer.from(got), Buffer.from(p.expected)) !== 0) {
      failures.push(`gcc disagrees: ${p.label}: gcc bytes ${Buffer.from(got).toString('hex')}, ours ${Buffer.from(p.expected).toString('hex')}`);
    } else if (p.window) {
      const w = windowProblem(abi.endian, got, p.window);
      if (w) failures.push(`gcc disagrees: ${p.label}: ${w}`);
    }
  }
  return failures;
}
