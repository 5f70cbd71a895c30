/**
 * gcc's side of the fuzzer: does the ABI's cross gcc accept a header (-fsyntax-only), and does it
 * agree with a uapi-ts layout? The proof is written from the layout JSON (the contract, so any
 * generator version can be judged): `_Static_assert` on every sizeof, _Alignof, offsetof, member
 * size and constant, plus one initialised object per bitfield whose bytes (objcopy) show where gcc
 * put the bits. Compile only, no emulator; expected values come from gcc.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AbiInfo, LayoutDoc, LayoutField } from './target.js';

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function exec(cmd: string, args: readonly string[]): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => err.push(Buffer.from(String(e))));
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

const BIG_ENDIAN = new Set(['s390x', 'ppc64']);

function includeArgs(dir: string, abi: AbiInfo): string[] {
  return ['-I', join(dir, abi.triplet), '-I', dir];
}

export interface GccVerdict {
  ok: boolean;
  /** The first error lines when gcc rejects. */
  errors: string[];
}

export async function gccAccepts(dir: string, header: string, abi: AbiInfo, tag: string): Promise<GccVerdict> {
  const c = join(dir, `syntax-${tag}.c`);
  writeFileSync(c, `#include <${header}>\n`);
  const r = await exec(abi.gcc, ['-std=gnu11', '-fsyntax-only', ...includeArgs(dir, abi), c]);
  const errors = r.stderr.split('\n').filter((l) => /\berror\b|fatal/.test(l));
  return { ok: r.status === 0 && errors.length === 0, errors: errors.slice(0, 6) };
}

interface Probe {
  symbol: string;
  label: string;
  expected: Uint8Array;
}

function cValue(v: string): string {
  const b = BigInt(v);
  if (b === -(2n ** 63n)) return '(-9223372036854775807LL-1)';
  return b < 0n ? `(${b}LL)` : `${b}ULL`;
}

/** Proof lines: one `_Static_assert` or probe per line, each labelled with the record or constant it checks. */
function proofLines(layout: LayoutDoc, bigEndian: boolean, probes: Probe[]): string[] {
  const lines: string[] = [];
  const assert = (cond: string, label: string): void => {
    lines.push(`_Static_assert(${cond}, ${JSON.stringify(label)});`);
  };
  for (const r of layout.records) {
    const T = `${r.kind} ${r.name}`;
    assert(`sizeof(${T}) == ${r.size}ULL`, `sizeof(${T}) == ${r.size}`);
    assert(`_Alignof(${T}) == ${r.align}`, `_Alignof(${T}) == ${r.align}`);
    const walk = (fields: readonly LayoutField[], path: string): void => {
      for (const f of fields) {
        if (f.fields && f.name === '') {
          walk(f.fields, path);
          continue;
        }
        if (f.name === '') continue;
        const p = `${path}${f.name}`;
        if (f.bitWidth !== undefined) {
          if (r.size > 4096 || f.bitWidth === 0) continue;
          const symbol = `uapi_probe_${probes.length}`;
          lines.push(`__attribute__((section(".uapi_probe"), used)) union { ${T} s; unsigned char b[sizeof(${T})]; } ${symbol} = { .s = { .${p} = -1 } };`);
          const expected = new Uint8Array(r.size);
          const start = f.offset * 8 + f.bitOffset!;
          for (let b = start; b < start + f.bitWidth; b++) {
            const byte = Math.floor(b / 8);
            if (byte < r.size) expected[byte]! |= 1 << (bigEndian ? 7 - (b % 8) : b % 8);
          }
          probes.push({ symbol, label: `${T}.${p} bits (unit @${f.offset} size ${f.size}, bit ${f.bitOffset}, width ${f.bitWidth})`, expected });
          continue;
        }
        assert(`__builtin_offsetof(${T}, ${p}) == ${f.offset}ULL`, `offsetof(${T}, ${p}) == ${f.offset}`);
        if (!f.flexible) assert(`sizeof(((${T} *)0)->${p}) == ${f.size}ULL`, `sizeof(${T}.${p}) == ${f.size}`);
        if (f.fields) walk(f.fields, `${p}.`);
      }
    };
    walk(r.fields, '');
  }
  for (const c of layout.constants) assert(`(${c.name}) == ${cValue(c.value)}`, `${c.name} == ${c.value}`);
  return lines;
}

export interface ProofVerdict {
  /** gcc rejected the header itself (errors located in it), so no layout could be compared. */
  headerRejected?: string[];
  /** Every disagreement: a failed assertion's label or a probe's bytes. */
  failures: string[];
  /** Assertions gcc could not evaluate as constants (overflow, a shift past the width...): left out. */
  dropped: number;
  checks: number;
}

/** Compile the proof of `layout` against the header with the ABI's gcc and compare. */
export async function proveLayout(dir: string, header: string, abi: AbiInfo, layout: LayoutDoc, tag: string): Promise<ProofVerdict> {
  const probes: Probe[] = [];
  let body = proofLines(layout, BIG_ENDIAN.has(abi.name), probes);
  const checks = body.length;
  let dropped = 0;
  const c = join(dir, `proof-${tag}.c`);
  const o = join(dir, `proof-${tag}.o`);
  for (let round = 0; round < 4; round++) {
    writeFileSync(c, [`#include <${header}>`, ...body, ''].join('\n'));
    const r = await exec(abi.gcc, ['-std=gnu11', '-c', '-o', o, ...includeArgs(dir, abi), c]);
    const diags = r.stderr.split('\n');
    const inHeader = diags.filter((l) => l.includes(header) && /: (fatal )?error: /.test(l));
    if (inHeader.length > 0) return { headerRejected: inHeader.slice(0, 6), failures: [], dropped, checks };
    // Lines of the proof that gcc could not evaluate as written (not a disagreement): drop and retry.
    const bad = new Set<number>();
    const failures: string[] = [];
    for (const l of diags) {
      const m = /proof-[^:]*\.c:(\d+):\d+: (error|warning): (.*)$/.exec(l);
      if (!m) continue;
      const line = Number(m[1]) - 2;
      const sa = /static assertion failed: "(.*)"$/.exec(m[3]!);
      if (sa) failures.push(`gcc disagrees: ${sa[1]}`);
      // A warning on a probe (-1 into an unsigned bitfield) is expected; on an assertion it means
      // gcc evaluated something other than a plain constant (overflow, shift past the width).
      else if (line >= 0 && line < body.length && (m[2] === 'error' || body[line]!.startsWith('_Static_assert'))) bad.add(line);
    }
    if (bad.size > 0) {
      dropped += bad.size;
      body = body.filter((_, i) => !bad.has(i));
      continue;
    }
    if (failures.length > 0) return { failures, dropped, checks };
    if (r.status !== 0) return { failures: [`gcc failed on the proof: ${diags.filter((l) => l.trim()).slice(0, 6).join('\n')}`], dropped, checks };
    if (probes.length > 0 && body.some((l) => l.includes('uapi_probe_'))) failures.push(...(await checkProbes(abi, o, dir, tag, probes)));
    return { failures, dropped, checks };
  }
  return { failures: ['proof: gcc kept rejecting lines of it'], dropped, checks };
}

async function checkProbes(abi: AbiInfo, object: string, dir: string, tag: string, probes: readonly Probe[]): Promise<string[]> {
  const prefix = abi.gcc.replace(/gcc$/, '');
  const bin = join(dir, `probe-${tag}.bin`);
  const oc = await exec(`${prefix}objcopy`, ['-O', 'binary', '--only-section=.uapi_probe', object, bin]);
  if (oc.status !== 0) return [`objcopy failed: ${oc.stderr.trim()}`];
  const bytes = readFileSync(bin);
  const nm = await exec(`${prefix}nm`, ['-S', object]);
  const symbols = new Map<string, number>();
  for (const line of nm.stdout.split('\n')) {
    const m = /^([0-9a-f]+) [0-9a-f]+ \w (uapi_probe_\d+)$/.exec(line.trim());
    if (m) symbols.set(m[2]!, parseInt(m[1]!, 16));
  }
  const failures: string[] = [];
  for (const p of probes) {
    const at = symbols.get(p.symbol);
    if (at === undefined) continue; // dropped from the proof
    const got = bytes.subarray(at, at + p.expected.length);
    if (Buffer.compare(got, Buffer.from(p.expected)) !== 0) failures.push(`gcc disagrees: ${p.label}: gcc bytes ${got.toString('hex')}, ours ${Buffer.from(p.expected).toString('hex')}`);
  }
  return failures;
}
