/**
 * Proof of the tables a generated package ships (tables.json and the views built on them), not of
 * the layout stage: for every struct and ABI, a C program compiled by that ABI's gcc prints what
 * gcc knows of each member the table lists (offset, size, element size and count, integer class
 * and signedness, bitfield bits, the values it reads from a filled object), and the package's own
 * view class, for that ABI, must agree field by field. Expected values come from gcc; our IR is
 * used only to spell C access paths (tags, array dimensions), which gcc then checks by compiling.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkTables, type BindingLayout, type TablesJson } from '@uapi-ts/runtime';
import { memberNames } from '../../generator/src/emit/names.js';
import type { RecordDecl, TypeRef, IrModule } from '../../generator/src/ir/types.js';
import type { Abi } from '../../generator/src/layout/abi/index.js';
import { resolveTypedefs } from '../../generator/src/layout/index.js';
import type { Analysis } from '../../generator/src/pipeline.js';
import { abiIncludeDirs } from '../../generator/src/pipeline.js';
import { check, run } from '../support/proc.js';

const QEMU: Record<string, string> = { i386: 'qemu-i386', aarch64: 'qemu-aarch64', armhf: 'qemu-arm', s390x: 'qemu-s390x', ppc64: 'qemu-ppc64', ppc64le: 'qemu-ppc64le', riscv64: 'qemu-riscv64', x86_64: 'qemu-x86_64' };

type ViewCtor = new (buf: Uint8Array, off?: number) => Record<string, unknown>;

export interface ShippedPackage {
  /** Headers the package was generated from (`#include`d by the C program). */
  headers: string[];
  /** `-I` dirs of the generation (multiarch dirs are added per ABI). */
  includeDirs: string[];
  /** tables.json of the package. */
  tables: TablesJson;
  /** The package's bind(abi).structs: view classes by C struct name. */
  structs(abi: string): Promise<Record<string, ViewCtor>>;
  /** Analyses of the headers on this ABI (for C access paths only). */
  analyses(abi: Abi): Analysis[];
}

interface Target {
  /** Table / struct name. */
  name: string;
  /** A C type expression for it. */
  type: string;
  layout: BindingLayout;
  /** The IR record (for array dimensions of its members). */
  decl?: { ir: IrModule; rec: RecordDecl };
}

/** Number of array dimensions of a member found by name (anonymous members searched too). */
function dimsOf(ir: IrModule, rec: RecordDecl, name: string): number | undefined {
  for (const f of rec.fields) {
    if (f.name === name) {
      let n = 0;
      let t: TypeRef = resolveTypedefs(f.type, ir);
      while (t.kind === 'array') {
        n++;
        t = resolveTypedefs(t.of, ir);
      }
      return n;
    }
    if (f.name === null) {
      const t = resolveTypedefs(f.type, ir);
      if (t.kind === 'record') {
        const d = dimsOf(ir, ir.records[t.id]!, name);
        if (d !== undefined) return d;
      }
    }
  }
  return undefined;
}

function elemRecord(ir: IrModule, rec: RecordDecl, name: string): RecordDecl | undefined {
  for (const f of rec.fields) {
    if (f.name === name) {
      let t: TypeRef = resolveTypedefs(f.type, ir);
      while (t.kind === 'array') t = resolveTypedefs(t.of, ir);
      return t.kind === 'record' ? ir.records[t.id] : undefined;
    }
    if (f.name === null) {
      const t = resolveTypedefs(f.type, ir);
      if (t.kind === 'record') {
        const r = elemRecord(ir, ir.records[t.id]!, name);
        if (r) return r;
      }
    }
  }
  return undefined;
}

/** Every struct of the ABI's tables with a C type expression: tags, then nested untagged types through their parent member. */
function targets(pkg: ShippedPackage, abi: Abi): Target[] {
  const linked = linkTables(pkg.tables).get(abi.name);
  if (!linked) throw new Error(`tables.json has no ${abi.name} tables`);
  const irs = pkg.analyses(abi).map((a) => a.ir);
  const out: Target[] = [];
  const byName = new Map<string, Target>();
  const tagged = (name: string): { type: string; ir: IrModule; rec: RecordDecl } | undefined => {
    for (const ir of irs) {
      for (const tag of ['struct', 'union'] as const) {
        const id = ir.tags.get(`${tag} ${name}`);
        if (id !== undefined && ir.records[id]!.complete) return { type: `${tag} ${name}`, ir, rec: ir.records[id]! };
      }
    }
    return undefined;
  };
  for (const [name, layout] of linked) {
    const t = tagged(name);
    if (!t) continue;
    const target = { name, type: t.type, layout, decl: { ir: t.ir, rec: t.rec } };
    out.push(target);
    byName.set(name, target);
  }
  // Untagged member types (`struct { ... } x;` -> parent_x): reached through the parent's member.
  for (let i = 0; i < out.length; i++) {
    const p = out[i]!;
    for (const f of p.layout.fields) {
      if (f.kind !== 'struct' || !f.struct) continue;
      const name = f.struct.name;
      if (byName.has(name)) continue;
      const dims = p.decl ? (dimsOf(p.decl.ir, p.decl.rec, f.name) ?? 0) : f.count !== undefined ? 1 : 0;
      const rec = p.decl ? elemRecord(p.decl.ir, p.decl.rec, f.name) : undefined;
      const target: Target = { name, type: `__typeof__(((${p.type} *)0)->${f.name}${'[0]'.repeat(dims)})`, layout: f.struct as BindingLayout, ...(rec && p.decl ? { decl: { ir: p.decl.ir, rec } } : {}) };
      out.push(target);
      byName.set(name, target);
    }
  }
  return out;
}

function cIdent(s: string): string {
  return s.replace(/[^A-Za-z0-9_]/g, '_');
}

/** The C program: for each target, fill an object with bytes that all have their top bit set, and print what gcc knows. */
function program(pkg: ShippedPackage, ts: readonly Target[]): string {
  const L: string[] = ['#include <stdio.h>', '#include <string.h>', '#include <stddef.h>', ...pkg.headers.map((h) => `#include <${h}>`), '',
    '#define SIGNED(e) ((__typeof__(e))-1 < (__typeof__(e))0)',
    'static void fill(void *p, size_t n) { unsigned char *b = p; for (size_t i = 0; i < n; i++) b[i] = (unsigned char)(0x80 | ((i * 37 + 11) & 0x7f)); }',
    'static void hex(const void *p, size_t n) { const unsigned char *b = p; for (size_t i = 0; i < n; i++) printf("%02x", b[i]); }',
    '#define VAL(e) do { if (SIGNED(e)) printf(" %lld", (long long)(e)); else printf(" %llu", (unsigned long long)(e)); } while (0)',
    '#define PVAL(e) printf(" %llu", (unsigned long long)(unsigned long)(e))',
    'int main(void) {'];
  ts.forEach((t, n) => {
    const T = t.type;
    L.push('  {', `    static ${T} s, z;`, '    fill(&s, sizeof s);',
      `    printf("S ${t.name} %zu %zu", sizeof(${T}), _Alignof(${T}));`, '    printf(" "); hex(&s, sizeof s); printf("\\n");');
    for (const f of t.layout.fields) {
      const p = `s.${f.name}`;
      if (f.bits) {
        // A bitfield: no offsetof/typeof in C. Its signedness, the bits -1 sets, and the value read.
        L.push(`    memset(&z, 0, sizeof z); z.${f.name} = -1; printf("B ${f.name} %d ", z.${f.name} < 0); hex(&z, sizeof z); printf(" %lld\\n", (long long)${p});`);
        continue;
      }
      const dims = t.decl ? (dimsOf(t.decl.ir, t.decl.rec, f.name) ?? 0) : f.count !== undefined ? 1 : 0;
      const E = `${p}${'[0]'.repeat(dims)}`;
      const head = `printf("F ${f.name} %zu %zu %zu %zu %d %d", offsetof(${T}, ${f.name}), sizeof(${p}), sizeof(${E}), sizeof(${p}) / sizeof(${E}), __builtin_classify_type(${E}), (int)SIGNED(${E}));`;
      if (f.kind === 'struct' || f.kind === 'bytes') {
        L.push(`    ${head.replace(', (int)SIGNED(' + E + ')', ', 0')} printf("\\n");`);
        continue;
      }
      // Scalars and scalar arrays: every element's value as gcc reads it.
      L.push(`    ${head}`, `    { __typeof__(${E}) *e = (void *)&${p}; for (size_t i = 0; i < sizeof(${p}) / sizeof(${E}); i++) { if (__builtin_classify_type(${E}) == 5) PVAL(e[i]); else VAL(e[i]); } } printf("\\n");`);
    }
    if (t.layout.flex) {
      const f = t.layout.flex;
      const sg = f.kind === 'struct' ? '0' : `(int)SIGNED(s.${f.name}[0])`;
      L.push(`    printf("X ${f.name} %zu %zu %d %d\\n", offsetof(${T}, ${f.name}), sizeof(s.${f.name}[0]), __builtin_classify_type(s.${f.name}[0]), ${sg});`);
    }
    L.push('  }');
    void n;
  });
  L.push('  return 0;', '}');
  return L.join('\n') + '\n';
}

const KIND_BYTES: Record<string, number> = { u8: 1, s8: 1, u16: 2, s16: 2, u32: 4, s32: 4, u64: 8, s64: 8 };

/** Bytes an all-ones bitfield occupies according to the table's window [off, unit, pos, width] (allocation order). */
function bitsImage(size: number, off: number, pos: number, width: number, le: boolean): string {
  const img = new Uint8Array(size);
  for (let b = off * 8 + pos; b < off * 8 + pos + width; b++) {
    const byte = Math.floor(b / 8);
    if (byte < size) img[byte]! |= 1 << (le ? b % 8 : 7 - (b % 8));
  }
  return Buffer.from(img).toString('hex');
}

function elements(v: unknown): unknown[] {
  if (v === null || typeof v !== 'object') return [v];
  const a = v as { length?: number; get?: (i: number) => unknown };
  if (typeof a.get === 'function' && !ArrayBuffer.isView(v)) return Array.from({ length: a.length ?? 0 }, (_x, i) => a.get!(i));
  return Array.from(v as ArrayLike<unknown>);
}

export interface ShippedResult {
  abi: string;
  structs: number;
  fields: number;
  failures: string[];
}

/** Compile and run the program for one ABI (natively on the host ABI, else -static under qemu-user) and compare with the package. */
export async function proveShipped(pkg: ShippedPackage, abi: Abi, host: boolean): Promise<ShippedResult> {
  const ts = targets(pkg, abi);
  const dir = mkdtempSync(join(tmpdir(), `uapi-shipped-${abi.name}-`));
  const failures: string[] = [];
  let fields = 0;
  try {
    const src = join(dir, 'p.c');
    const exe = join(dir, 'p');
    writeFileSync(src, program(pkg, ts));
    const inc = abiIncludeDirs(pkg.includeDirs, abi).flatMap((d) => ['-I', d]);
    const cc = await run(host ? 'gcc' : abi.gcc, ['-std=gnu11', '-O0', '-w', ...(host ? [] : ['-static']), ...inc, '-o', exe, src]);
    if (cc.status !== 0) return { abi: abi.name, structs: ts.length, fields, failures: [`gcc failed on the proof program: ${cc.stderr.split('\n').slice(0, 15).join('\n')}`] };
    const out = host ? await check(exe, []) : await check(QEMU[abi.name]!, [exe]);
    const classes = await pkg.structs(abi.name);
    let t: Target | undefined;
    let view: Record<string, unknown> | undefined;
    let js = new Map<string, string>();
    const fail = (what: string): void => void failures.push(`${abi.name}: ${t?.name}.${what}`);
    for (const line of out.split('\n')) {
      const w = line.split(' ');
      if (w[0] === 'S') {
        t = ts.find((x) => x.name === w[1]);
        const [size, align, bytes] = [Number(w[2]), Number(w[3]), Buffer.from(w[4] ?? '', 'hex')];
        if (t!.layout.size !== size) fail(`size: table ${t!.layout.size}, gcc ${size}`);
        if (t!.layout.align !== align) fail(`align: table ${t!.layout.align}, gcc ${align}`);
        const C = classes[t!.name];
        view = C ? new C(new Uint8Array(bytes)) : undefined;
        if (!view) fail('no view class in the package');
        const names = t!.layout.fields.map((f) => f.name);
        const jsNames = memberNames([...names, ...(t!.layout.flex ? [t!.layout.flex.name] : [])]);
        js = new Map(names.map((n, i) => [n, jsNames[i]!]));
        continue;
      }
      if (!t) continue;
      if (w[0] === 'F') {
        fields++;
        const f = t.layout.fields.find((x) => x.name === w[1])!;
        const [off, size, esize, count, cls, signed] = w.slice(2, 8).map(Number) as [number, number, number, number, number, number];
        const values = w.slice(8);
        if (f.offset !== off) fail(`${f.name} offset: table ${f.offset}, gcc ${off}`);
        if (f.kind === 'bytes') {
          if ((f.size ?? 0) !== size) fail(`${f.name} size: table ${f.size}, gcc ${size}`);
          continue;
        }
        if (f.kind === 'struct') {
          const es = f.struct!.size;
          if (es !== esize) fail(`${f.name} element size: table ${es}, gcc ${esize}`);
          if (f.count === undefined ? size !== esize : f.count !== count) fail(`${f.name} count: table ${f.count ?? 'not an array'}, gcc ${count}${size !== esize ? ' (an array)' : ''}`);
          continue;
        }
        // A scalar kind: gcc's class must be an integer, enum, bool or pointer; size and signedness equal.
        if (cls !== 1 && cls !== 3 && cls !== 4 && cls !== 5) fail(`${f.name}: table kind ${f.kind}, gcc type class ${cls} (not an integer)`);
        if (KIND_BYTES[f.kind] !== esize) fail(`${f.name} element size: table ${f.kind} (${KIND_BYTES[f.kind]} bytes), gcc ${esize}`);
        if ((f.kind[0] === 's') !== (signed === 1)) fail(`${f.name} signedness: table ${f.kind}, gcc ${signed ? 'signed' : 'unsigned'}`);
        if (f.count === undefined ? size !== esize : f.count !== count) fail(`${f.name} count: table ${f.count ?? 'not an array'}, gcc ${count}${size !== esize ? ' (an array)' : ''}`);
        if (view) {
          const got = elements(view[js.get(f.name)!]).map(String);
          if (got.join(' ') !== values.join(' ')) fail(`${f.name} values through the view: ${got.join(' ')}; gcc ${values.join(' ')}`);
        }
        continue;
      }
      if (w[0] === 'B') {
        fields++;
        const f = t.layout.fields.find((x) => x.name === w[1])!;
        const bits = t.layout.bits?.[f.name];
        if (!bits) {
          fail(`${f.name}: gcc has a bitfield, the table no bits window`);
          continue;
        }
        const [off, , pos, width, isSigned] = bits;
        const image = bitsImage(t.layout.size, off, pos, width, t.layout.littleEndian);
        if (image !== w[3]) fail(`${f.name} bits: table window [off ${off}, pos ${pos}, width ${width}] sets ${image}, gcc ${w[3]}`);
        if (isSigned !== (w[2] === '1')) fail(`${f.name} bitfield signedness: table ${isSigned ? 'signed' : 'unsigned'}, gcc ${w[2] === '1' ? 'signed' : 'unsigned'}`);
        if (view && String(view[js.get(f.name)!]) !== w[4]) fail(`${f.name} value through the view: ${String(view[js.get(f.name)!])}; gcc ${w[4]}`);
        continue;
      }
      if (w[0] === 'X') {
        const f = t.layout.flex!;
        const [off, esize, cls, signed] = w.slice(2, 6).map(Number) as [number, number, number, number];
        if (f.offset !== off) fail(`${f.name}[] offset: table ${f.offset}, gcc ${off}`);
        if (f.elementSize !== esize) fail(`${f.name}[] element size: table ${f.elementSize}, gcc ${esize}`);
        if (f.kind !== 'struct' && (f.kind[0] === 's') !== (signed === 1) && cls !== 5) fail(`${f.name}[] signedness: table ${f.kind}, gcc ${signed ? 'signed' : 'unsigned'}`);
      }
    }
    return { abi: abi.name, structs: ts.length, fields, failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** tables.json of a package directory. */
export function readTables(dir: string): TablesJson {
  return JSON.parse(readFileSync(join(dir, 'tables.json'), 'utf8')) as TablesJson;
}
