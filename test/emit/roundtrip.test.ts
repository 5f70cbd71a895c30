/**
 * Proof of the generated views against gcc, for every struct of vfio.h:
 *  - C fills each struct with distinct bytes, prints the bytes and every leaf field as C reads it;
 *    the view of that ABI reads each field back equal;
 *  - the view writes distinct values into every leaf; C reads the bytes and prints the fields,
 *    which must equal what was written (read back through the view: unions share storage).
 * Host ABI natively; the others cross-compiled (-static) and run through qemu-user when present.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel, type BindingModel, type RecordModel } from '../../generator/src/emit/model/index.js';
import { analyzeHeader } from '../../generator/src/cli/load.js';
import { ABIS, hostAbi, type Abi } from '../../generator/src/layout/abi/index.js';
import { check } from '../support/proc.js';
import { lacking, REPO, skipReason } from '../support/trees.js';
import { VFIO_PACKAGE } from '../support/packages.js';

const INCLUDE = join(REPO, 'headers', 'latest', 'include');
const haveTree = existsSync(join(INCLUDE, 'linux', 'vfio.h'));
const host = hostAbi(process.arch, 'LE')!;

const QEMU: Record<string, string> = { i386: 'qemu-i386', aarch64: 'qemu-aarch64', armhf: 'qemu-arm', s390x: 'qemu-s390x', ppc64: 'qemu-ppc64', ppc64le: 'qemu-ppc64le', riscv64: 'qemu-riscv64', x86_64: 'qemu-x86_64' };

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

interface Leaf {
  /** C expression after `s.` and JS path. */
  path: string;
  js: (string | number)[];
  signed: boolean;
  bits: number;
  /** Kind differs between ABIs (a pointer or long): printed through unsigned long, not sign-extended. */
  varies?: boolean;
}

function leaves(model: BindingModel, r: RecordModel, abi: string, prefix: string, js: (string | number)[], out: Leaf[]): void {
  const table = model.variants.get(r.variantOf[abi]!)!.table;
  for (const m of r.members) {
    const s = m.shape;
    const p = prefix ? `${prefix}.${m.name}` : m.name;
    if (s.kind === 'scalar' && s.varies) {
      const kind = table.fields.find((f) => f.name === m.name)!.kind;
      out.push({ path: p, js: [...js, m.jsName], signed: kind[0] === 's', bits: Number(kind.slice(1)), varies: true });
    } else if (s.kind === 'scalar' && s.scalar) out.push({ path: p, js: [...js, m.jsName], signed: s.scalar[0] === 's', bits: Number(s.scalar.slice(1)) });
    else if (s.kind === 'bits' && s.scalar) out.push({ path: p, js: [...js, m.jsName], signed: s.scalar[0] === 's', bits: table.bits![m.name]![3] });
    else if (s.kind === 'array' && s.scalar) {
      const kind = table.fields.find((f) => f.name === m.name)!.kind;
      for (let i = 0; i < table.counts![m.name]!; i++) out.push({ path: `${p}[${i}]`, js: [...js, m.jsName, i], signed: kind[0] === 's', bits: Number(kind.slice(1)) });
    } else if (s.kind === 'struct') {
      leaves(model, model.records.find((x) => x.cName === s.struct)!, abi, p, [...js, m.jsName], out);
    } else if (s.kind === 'structArray') {
      const sub = model.records.find((x) => x.cName === s.struct)!;
      for (let i = 0; i < table.counts![m.name]!; i++) leaves(model, sub, abi, `${p}[${i}]`, [...js, m.jsName, i], out);
    }
  }
}

function cProgram(model: BindingModel, structs: RecordModel[], abi: string, header: string): string {
  const lines = ['#include <stdio.h>', '#include <string.h>', '#include <stdlib.h>', ...model.headers.map((h) => `#include <${h}>`), '',
    'static unsigned char buf[65536];',
    'static int hexval(int c) { return c <= \'9\' ? c - \'0\' : (c | 32) - \'a\' + 10; }',
    'int main(int argc, char **argv) {', '  int fill = argc > 1 && strcmp(argv[1], "fill") == 0;', '  char name[128]; static char hex[131072];'];
  lines.push('  (void)hexval;');
  for (const r of structs) {
    const ls: Leaf[] = [];
    leaves(model, r, abi, '', [], ls);
    lines.push('  {', `    ${r.tag} ${r.cName} s;`, '    size_t n = sizeof s;');
    lines.push('    if (fill) { for (size_t i = 0; i < n; i++) buf[i] = (unsigned char)(i * 37 + 11 + n); }');
    lines.push(`    else { if (scanf("%127s %131071s", name, hex) != 2 || strcmp(name, "${r.cName}") != 0) { fprintf(stderr, "expected ${r.cName}\\n"); return 2; }`);
    lines.push('      for (size_t i = 0; i < n; i++) buf[i] = (unsigned char)(hexval(hex[2*i]) * 16 + hexval(hex[2*i+1])); }');
    lines.push('    memcpy(&s, buf, n);');
    lines.push(`    printf("S ${r.cName} %zu ", n); for (size_t i = 0; i < n; i++) printf("%02x", buf[i]); printf("\\n");`);
    for (const l of ls) {
      const cast = l.varies ? (l.signed ? '(long)' : '(unsigned long)') : '';
      lines.push(l.signed ? `    printf("F ${l.path} %lld\\n", (long long)${cast}s.${l.path});` : `    printf("F ${l.path} %llu\\n", (unsigned long long)${cast}s.${l.path});`);
    }
    lines.push('  }');
  }
  lines.push('  return 0;', '}');
  return lines.join('\n') + '\n';
}

function get(view: unknown, path: (string | number)[]): unknown {
  let v: any = view;
  for (const p of path) v = typeof p === 'number' ? (typeof v.get === 'function' ? v.get(p) : v[p]) : v[p];
  return v;
}

function set(view: unknown, path: (string | number)[], value: number | bigint): void {
  let v: any = view;
  for (const p of path.slice(0, -1)) v = typeof p === 'number' ? (typeof v.get === 'function' ? v.get(p) : v[p]) : v[p];
  const last = path.at(-1)!;
  if (typeof last === 'number') {
    if (typeof v.set === 'function' && !(ArrayBuffer.isView(v))) v.set(last, value);
    else v[last] = value;
  } else v[last] = value;
}

function valueFor(i: number, l: Leaf): bigint {
  const raw = BigInt(Math.imul(i + 1, 2654435761) >>> 0) * 0x10001n + BigInt(i);
  const u = BigInt.asUintN(l.bits, raw === 0n ? 1n : raw);
  return l.signed ? BigInt.asIntN(l.bits, u) : u;
}

const FIXTURE = join(REPO, 'test', 'fixtures', 'emit');

async function proveAbi(abi: Abi, run: (exe: string, args: string[], input?: string) => Promise<string>, compile: (src: string, exe: string, include: string) => Promise<void>): Promise<void> {
  await proveHeader(VFIO_PACKAGE.headers.join(' '), INCLUDE, async () => ((await import('@uapi-ts/vfio')) as { bind: (a: string) => { structs: unknown } }).bind, abi, run, compile);
  // The fixture header: bitfields (MSB-first on big-endian), unions, anonymous members, char/long arrays.
  await proveHeader('linux/fixture.h', join(FIXTURE, 'include'), async () => ((await import(join(FIXTURE, 'golden', 'src', 'bind.ts'))) as { bind: (a: string) => { structs: unknown } }).bind, abi, run, compile);
}

async function proveHeader(
  header: string,
  include: string,
  loadBind: () => Promise<(abi: string) => { structs: unknown }>,
  abi: Abi,
  run: (exe: string, args: string[], input?: string) => Promise<string>,
  compile: (src: string, exe: string, include: string) => Promise<void>,
): Promise<void> {
  // A package of several headers (vfio.h, vfio_zdev.h, vfio_ccw.h): all of them, as generate reads them.
  const [first, ...alsoHeaders] = header.split(' ') as [string, ...string[]];
  const analyses = analyzeHeader(first, [include], ABIS, {}, [], alsoHeaders);
  const model = buildModel({ header: first, alsoHeaders, analyses });
  const ir = analyses.find((a) => a.abi.name === abi.name)!.ir;
  // Only structs C can name by tag (synthesized names of anonymous member types are not).
  const structs = model.records.filter((r) => ir.tags.has(`${r.tag} ${r.cName}`) && r.variantOf[abi.name]);
  // Every header's structs are proven, not only the first's (vfio_zdev.h's zPCI caps, vfio_ccw.h's regions).
  for (const h of alsoHeaders) expect(structs.some((r) => r.file === h.split('/').at(-1)), h).toBe(true);
  const b = (await loadBind())(abi.name);
  const classes = b.structs as unknown as Record<string, { new (buf: Uint8Array, off?: number): object; alloc(): object; SIZE: number }>;
  const dir = mkdtempSync(join(tmpdir(), `uapi-emit-${abi.name}-`));
  const exe = join(dir, 'prog');
  await compile(cProgram(model, structs, abi.name, header), exe, include);

  // 1. C fills, TypeScript reads.
  const filled = await run(exe, ['fill']);
  const jsPath = new Map<string, (string | number)[]>();
  for (const r of structs) {
    const ls: Leaf[] = [];
    leaves(model, r, abi.name, '', [], ls);
    for (const l of ls) jsPath.set(`${r.cName}:${l.path}`, l.js);
  }
  let current: { name: string; view: object } | undefined;
  let checked = 0;
  for (const line of filled.split('\n')) {
    const [tag, a, b2, c] = line.split(' ');
    if (tag === 'S') {
      const bytes = Buffer.from(c!, 'hex');
      expect(bytes.length, `sizeof(${a}) on ${abi.name}`).toBe(classes[a!]!.SIZE);
      current = { name: a!, view: new classes[a!]!(new Uint8Array(bytes)) };
    } else if (tag === 'F') {
      const path = jsPath.get(`${current!.name}:${a}`)!;
      expect(String(get(current!.view, path)), `${current!.name}.${a} on ${abi.name}`).toBe(b2);
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(20);

  // 2. TypeScript writes, C reads.
  let input = '';
  const expected: string[] = [];
  for (const r of structs) {
    const ls: Leaf[] = [];
    leaves(model, r, abi.name, '', [], ls);
    const view = classes[r.cName]!.alloc() as { bytes(): Uint8Array };
    ls.forEach((l, i) => {
      const v = valueFor(i, l);
      set(view, l.js, typeof get(view, l.js) === 'bigint' ? v : Number(v));
    });
    input += `${r.cName} ${Buffer.from(view.bytes()).toString('hex')}\n`;
    expected.push(`S ${r.cName} ${classes[r.cName]!.SIZE} ${Buffer.from(view.bytes()).toString('hex')}`);
    for (const l of ls) expected.push(`F ${l.path} ${String(get(view, l.js))}`);
  }
  const got = (await run(exe, ['read'], input)).trimEnd().split('\n');
  expect(got).toEqual(expected);
}

describe.skipIf(lacking(haveTree))(`generated vfio views vs gcc${skipReason(haveTree, 'headers/')}`, () => {
  it(`host ABI (${host.name}): C fills / view reads, view writes / C reads`, async () => {
    await proveAbi(
      host,
      (exe, args, input) => check(exe, args, { input: input ?? '' }),
      async (src, exe, inc) => {
        writeFileSync(`${exe}.c`, src);
        await check('gcc', ['-O0', '-w', '-I', join(inc, host.triplet), '-I', inc, '-o', exe, `${exe}.c`]);
      },
    );
  });

  for (const abi of ABIS.filter((a) => a.name !== host.name)) {
    const qemu = QEMU[abi.name]!;
    const ok = which(abi.gcc) && which(qemu);
    it.skipIf(lacking(ok))(`${abi.name} through ${qemu}${skipReason(ok, which(abi.gcc) ? qemu : abi.gcc)}`, async () => {
      await proveAbi(
        abi,
        (exe, args, input) => check(qemu, [exe, ...args], { input: input ?? '' }),
        async (src, exe, inc) => {
          writeFileSync(`${exe}.c`, src);
          await check(abi.gcc, ['-O0', '-w', '-static', '-I', join(inc, abi.triplet), '-I', inc, '-o', exe, `${exe}.c`]);
        },
      );
    });
  }
});
