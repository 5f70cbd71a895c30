/**
 * Odd, careless or hostile headers (issue 12, classes 2 and 3), each judged by gcc on every ABI:
 * where gcc accepts, our layout equals gcc's (proven) or, only where a case says so, we refuse
 * with a diagnostic; where gcc rejects, we report an error at file:line:col. Never silence.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSource } from '../../generator/src/cli/io.js';
import { formatDiagnostic } from '../../generator/src/diagnostics.js';
import { ABIS, type Abi } from '../../generator/src/layout/abi/index.js';
import { abiIncludeDirs, analyze } from '../../generator/src/pipeline.js';
import { run } from '../support/proc.js';
import { lacking, skipReason } from '../support/trees.js';
import { compilerAvailable, prove } from './proof.js';

interface Case {
  name: string;
  source: string;
  /** gcc accepts it but uapi-ts may refuse it with a diagnostic (exactness limits). */
  mayRefuse?: boolean;
  /** What our diagnostics must say when we refuse or gcc rejects (checked on every ABI that does). */
  says?: RegExp;
}

const CASES: Case[] = [
  { name: 'alignas', source: 'struct t { char c; _Alignas(8) int x; };\nstruct t2 { char c; _Alignas(long long) int y; _Alignas(0) short z; };\n' },
  { name: 'alignas-reduce', source: 'struct u { _Alignas(2) int y; };\n', says: /cannot reduce alignment of 'y'/ },
  { name: 'int128', source: 'struct i { char c; unsigned __int128 u; __int128 s; };\n', says: /__int128' is not supported on this target/ },
  { name: 'typedef-shadowing', source: '#include <stdint.h>\ntypedef unsigned long size_t;\nstruct __attribute__((packed)) sh { uint64_t a, b; size_t c; char f[8]; };\n', says: /conflicting types for 'uint64_t'/ },
  { name: 'typedef-own', source: 'typedef unsigned long uint64_t;\ntypedef unsigned long size_t;\nstruct __attribute__((packed)) sh { uint64_t a, b, c, d, e; size_t s; char f[8]; };\n' },
  { name: 'undeclared-stdint', source: 'struct u { uint32_t x; };\n', says: /unknown type name 'uint32_t'/ },
  { name: 'size-2^53', source: 'struct big1 { char x[(1ULL<<53)+1]; char y; };\n', mayRefuse: true, says: /size of array (is too large|has 9007199254740993 bytes)/ },
  { name: 'size-over-2^64', source: 'struct big2 { long x[1ULL<<62]; };\n', says: /size of array is too large/ },
  { name: 'size-sum', source: 'struct big3 { char a[1ULL<<62]; char b[1ULL<<62]; };\n', mayRefuse: true, says: /too large|below 2\^50/ },
  { name: 'aligned-2^30', source: 'struct al1 { int x __attribute__((aligned(1<<30))); };\n', says: /requested alignment '1073741824' exceeds maximum 268435456/ },
  { name: 'aligned-2^62', source: 'struct al2 { int x __attribute__((aligned(1ULL<<62))); };\n', says: /exceeds maximum 268435456/ },
  { name: 'aligned-2^28', source: 'struct al3 { char c; int x __attribute__((aligned(1<<28))); };\n', mayRefuse: false },
  { name: 'utf8-identifiers', source: 'struct café { int λ; unsigned char ü[3]; };\n' },
  { name: 'complex', source: 'struct cpx { char c; float _Complex f; double _Complex d; long double _Complex ld; };\n' },
  { name: 'sizeof-pointer-width', source: 'struct sv { unsigned long m : sizeof(void*) * 8; unsigned long n : sizeof(long) * 4; };\n' },
  { name: 'missing-semicolon', source: 'struct ms { int a; int last };\nstruct ms2 { struct { int x; } y };\n' },
  { name: 'flex-in-union', source: 'union fu { int a; char b[]; };\n', says: /flexible array member in union/ },
  { name: 'conflicting-typedefs', source: 'typedef int ct;\ntypedef long ct;\nstruct ok { ct x; };\n', says: /conflicting types for 'ct'/ },
  { name: 'same-typedef-twice', source: 'typedef int ct;\ntypedef int ct;\nstruct ok { ct x; };\n' },
  { name: 'enum-overflow', source: 'enum eo { EA = 0xffffffffffffffffULL, EB };\n', says: /overflow in enumeration values/ },
  { name: 'define-open-paren', source: '#define X(\nstruct s { int a; };\n', says: /expected parameter name before end of line/ },
  { name: 'define-duplicate-param', source: '#define Y(a,a) a\nstruct s { int a; };\n', says: /duplicate macro parameter "a"/ },
  // Found by the fuzzer (test/gcc/fuzz): '\377' is 255 where plain char is unsigned, -1 where signed.
  { name: 'char-constant-signedness', source: "#define CH '\\377'\n#define CHX ('\\377' * 1000000000000LL)\n#if '\\377' < 0\n#define NEG 1\n#else\n#define NEG 0\n#endif\nenum ce { CE = '\\200' };\nstruct cs { char a[('\\377' & 0x100) ? 1 : 2]; };\n" },
  // Found by the fuzzer: an element type aligned past its size cannot make an array.
  { name: 'array-overaligned-element', source: 'typedef long al_t __attribute__((aligned(32)));\nstruct ao { struct { al_t f[5]; } n; };\n', says: /alignment of array elements is greater than element size/ },
  { name: 'array-element-size-not-multiple', source: 'typedef struct { char a[6]; } s6;\ntypedef s6 s6a __attribute__((aligned(4)));\nstruct am { s6a x[2]; };\nstruct ok { s6a y; };\n', says: /size of array element is not a multiple of its alignment/ },
  // Found by the fuzzer: a member of an enum type never defined is incomplete (a pointer to it is fine).
  { name: 'enum-incomplete', source: 'struct ea { enum nope x : 4; };\nstruct eb { enum nope2 y; };\nstruct ec { enum nope3 *p; };\n', says: /enum nope is incomplete/ },
  // Found by the fuzzer: the implicit successor is the previous value + 1 in the previous enumerator's type.
  { name: 'enum-successor-overflow-int', source: 'enum eo1 { EO1 = 0x7fffffff, EO2 };\n', says: /overflow in enumeration values/ },
  { name: 'enum-successor-overflow-uint', source: 'enum eo3 { EO3 = 0xffffffff, EO4 };\n', says: /overflow in enumeration values/ },
  { name: 'enum-successor-wider', source: 'enum eo5 { EO5 = 4294967295, EO6 };\nenum eo7 { EO7 = 0x7ffffffe, EO8 };\nstruct eo { enum eo5 a; enum eo7 b; };\n' },
  // Found by the fuzzer: packed after a typedef's name is ignored by gcc (only `} __attribute__((packed)) T` packs).
  { name: 'typedef-packed-ignored', source: 'typedef struct { char c; long l; } T1 __attribute__((packed));\ntypedef struct { char c; long l; } __attribute__((packed)) T2;\nstruct s4 { char c; long l; };\ntypedef struct s4 T4 __attribute__((packed));\ntypedef unsigned long T5 __attribute__((packed));\ntypedef unsigned long T6 __attribute__((packed, aligned(2)));\nstruct tpw { char a; T1 t1; char b; T2 t2; char d; T4 t4; char e; T5 t5; char f; T6 t6; };\n' },
  // Found by the fuzzer: a ';' missing between two members (not before '}') is an error, not a dropped member.
  { name: 'missing-semicolon-between-members', source: 'struct mm { unsigned short a\n  unsigned short b;\n  int c;\n};\n', says: /'a' cannot follow 'unsigned short'/ },
  { name: 'unsigned-typedef-name', source: 'typedef int T;\nstruct ut { unsigned T x; };\n', says: /'T' cannot follow 'unsigned'/ },
  // Found by the fuzzer's malformed variants.
  // Found by the fuzzer: a complete enum's enumerator that does not fit int has the enum's type
  // (unsigned long for ET on LP64), so ET / -7 is 0; one that fits is int (EV - 7 is -2).
  { name: 'enum-constant-type', source: 'enum et { ET = 0x7fffffffffffffffLL };\nenum eu { EU = 0x80000000 };\nenum ev { EV = 5, EV2 = 0x100000000LL };\n#define ETD (ET / -7)\n#define EUD (EU / -7)\n#define EVD (EV2 / -7)\n#define EVS (EV - 7)\nstruct ek { char a[(ET / -7) + 1]; };\n' },
  // Found by the fuzzer: gcc's __alignof__ of an 8-byte enum is the preferred alignment (8 on i386), _Alignof the ABI's (4).
  { name: 'enum-alignof-preferred', source: 'enum ea8 { EA8 = 0x7fffffffffffffffLL };\n#define EAL (__alignof__(enum ea8) - 7)\n#define EAL11 _Alignof(enum ea8)\nstruct ep { char c; enum ea8 e; char d[__alignof__(enum ea8)]; };\n' },
  // Found by the fuzzer: a header cut after its last declaration's type (tree-sitter: one ERROR unit).
  { name: 'truncated-after-type', source: 'unsigned long ', says: /expected identifier or '\(' at end of input/ },
  // Found by the fuzzer: tail padding that takes a record past PTRDIFF_MAX (i386, armhf) is an error.
  { name: 'size-tail-padding', source: 'union tp { char f[0x7fffffff]; int i; };\n', says: /too large/ },
  // Found by the fuzzer: gcc reads #pragma pack as a token, an error between enumerators (fine in a struct).
  { name: 'pragma-in-enum', source: 'enum pe { PA = 1,\n#pragma pack(push, 2)\nPB };\n#pragma pack(pop)\nstruct ps { char c;\n#pragma pack(push, 1)\nint i; };\n#pragma pack(pop)\n', says: /expected identifier before '#pragma'/ },
  { name: 'pragma-ignored-in-enum', source: 'enum pi { PI = 0x100000000ULL,\n#pragma pack(push, 3)\n};\n', says: /expected identifier before '#pragma'/ },
  { name: 'pragma-around-enum', source: '#pragma pack(push, 1)\nenum pe2 { PC = 1 };\n#pragma pack(pop)\nstruct ps2 { char c; enum pe2 e; };\n' },
  { name: 'enum-empty', source: 'enum e1 {\n};\nstruct s { int a; };\n', says: /empty enum is invalid/ },
  { name: 'undef-no-name', source: '#undef\nstruct s { int a; };\n', says: /no macro name given in #undef directive/ },
  { name: 'undef-number', source: '#undef 3\nstruct s { int a; };\n', says: /macro names must be identifiers/ },
  // Found by the fuzzer: size_t, ptrdiff_t and intptr_t are int types on i386 and armhf, so a header's own long typedef conflicts there.
  { name: 'size_t-conflict-ilp32', source: '#include <stdint.h>\n#include <stddef.h>\ntypedef unsigned long size_t;\ntypedef long ptrdiff_t;\nstruct sz { size_t a; ptrdiff_t b; };\n', says: /conflicting types for 'size_t'/ },
  { name: 'intptr_t-conflict-ilp32', source: '#include <stdint.h>\ntypedef long intptr_t;\nstruct ip { intptr_t a; };\n', says: /conflicting types for 'intptr_t'/ },
  // Found by the fuzzer: signed overflow (gcc's TREE_OVERFLOW, which an enumerator keeps) or an
  // undefined left shift makes an array length variably modified: gcc rejects it on most ABIs
  // and only warns on x86_64, where we refuse it too.
  { name: 'overflow-enumerator-length', source: 'enum eo { E0 = 0x7fffffffffffffffLL, E1 = E0 + 1 };\nstruct r { int a[(E1 & 3) + 1]; };\n', mayRefuse: true, says: /not an integer constant expression: integer overflow/ },
  { name: 'overflow-int-length', source: 'enum ei { I0 = 0x7fffffff + 1, I1 };\nstruct r { int a[(I1 & 3) + 1]; };\n', mayRefuse: true, says: /not an integer constant expression: integer overflow in expression of type 'int'/ },
  { name: 'overflow-direct-length', source: 'struct r { int a[((0x7fffffff + 1) == 0) + 1]; int b[(-(-0x7fffffff - 1) & 3) + 1]; };\n', mayRefuse: true, says: /not an integer constant expression: integer overflow/ },
  { name: 'overflow-modulo-length', source: 'struct r { int a[((-0x7fffffff - 1) % -1 & 3) + 1]; };\n', mayRefuse: true, says: /not an integer constant expression: integer overflow/ },
  { name: 'overflow-sizeof-length', source: 'struct r { int a[(sizeof(char[(0x7fffffff + 1) & 1 + 1]) & 1) + 1]; };\n', mayRefuse: true, says: /not an integer constant expression/ },
  { name: 'shift-length', source: 'struct r { int a[((1 << 31) & 3) + 1]; int b[((-1 << 1) & 3) + 1]; };\n', mayRefuse: true, says: /not an integer constant expression: (result of '1 << 31' does not fit 'int'|left shift of negative value)/ },
  // ...and where gcc folds such a value cleanly, so do we: an unchosen or short-circuited
  // operand, a `?:` condition, an enumerator from a shift, a bit-field width, an alignment,
  // unsigned wrap-around, a conversion.
  { name: 'overflow-still-constant', source: 'enum es { S0 = 1 << 31, S1 };\nenum eo { O0 = 0x7fffffff + 1 };\nstruct r {\n  int a[(1 ? 0 : (0x7fffffff + 1)) + 1];\n  int b[(0 && (0x7fffffff + 1)) + 1];\n  int c[((0x7fffffff + 1) ? 1 : 2) + 1];\n  int d[(S0 & 3) + (S1 & 3) + 1];\n  int e : ((0x7fffffff + 1) & 3) + 1;\n  int f : (O0 & 7) + 2;\n  int g __attribute__((aligned(((0x7fffffff + 1) & 3) + 2)));\n  _Alignas(((0x7fffffff + 1) & 3) + 4) int h;\n  int i[((0xffffffffu + 1) & 3) + 1];\n  int j[((int)0x100000003LL & 3) + 1];\n};\n' },
  // Enumerators whose value depends on the ABI, and casts (plain char's signedness), in lengths:
  // evaluated per ABI (they were "not a constant").
  { name: 'enum-abi-value-length', source: "typedef unsigned int u32;\nenum ea { A = sizeof(long), B = 8L, C = 'a', D };\nstruct x { int a[A]; int b[B]; char c[C]; char d[D & 3]; int e[(u32)-1 >> 30]; int f[(char)200 > 0 ? 1 : 2]; };\n" },
  // Struct, union and enum tags share one name space; a tag defined twice is an error before C23.
  { name: 'tag-wrong-kind', source: 'enum t1 { A1 };\nunion t1 { int x; };\nstruct t3 { int a; };\nstruct q3 { union t3 *p; };\n', says: /'t1' defined as wrong kind of tag/ },
  { name: 'tag-redefinition', source: 'struct r4 { int a; };\nstruct r4 { int a; };\n', says: /redefinition of 'struct r4'/ },
  { name: 'enum-redefinition', source: 'enum r1 { R1 };\nenum r1 { R2 };\nstruct r2 { enum r1 e; };\n', says: /redefinition of 'enum r1'/ },
  { name: 'tag-forward-then-defined', source: 'struct f1;\nenum f2;\nunion f3;\nstruct u { struct f1 *a; union f3 *c; };\nstruct f1 { int x; };\nenum f2 { F2 };\nunion f3 { char c; };\nstruct v { struct f1 a; enum f2 b; union f3 c; };\n' },
  { name: 'line-negative', source: '#line -5\nstruct s { int a; };\n', says: /"-" after #line is not a positive integer/ },
];

const dir = mkdtempSync(join(tmpdir(), 'uapi-bad-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function gccAccepts(abi: Abi, header: string): Promise<{ ok: boolean; stderr: string }> {
  const c = join(dir, `${abi.name}-${header.replace(/\W/g, '_')}.c`);
  writeFileSync(c, `#include <${header}>\n`);
  const r = await run(abi.gcc, ['-std=gnu11', '-fsyntax-only', ...abiIncludeDirs([dir], abi).flatMap((d) => ['-I', d]), c]);
  return { ok: r.status === 0 && !/error:/.test(r.stderr), stderr: r.stderr };
}

describe('bad input judged by gcc on every ABI', () => {
  mkdirSync(join(dir, 'linux'), { recursive: true });
  for (const c of CASES) {
    const header = `linux/${c.name}.h`;
    writeFileSync(join(dir, header), c.source);
    for (const abi of ABIS) {
      it.skipIf(lacking(compilerAvailable(abi)))(`${c.name} on ${abi.name}${skipReason(compilerAvailable(abi), abi.gcc)}`, async () => {
        const gcc = await gccAccepts(abi, header);
        const a = analyze({ header, includeDirs: [dir], read: readSource }, abi);
        const errors = a.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
        for (const e of errors) expect(e).toMatch(/:\d+:\d+: error: /);
        if (!gcc.ok) {
          expect(errors, `gcc rejects ${header} on ${abi.name}:\n${gcc.stderr}`).not.toEqual([]);
          if (c.says) expect(errors.join('\n')).toMatch(c.says);
          return;
        }
        if (errors.length > 0) {
          expect(c.mayRefuse, `gcc accepts ${header} on ${abi.name}, we refuse:\n${errors.join('\n')}`).toBe(true);
          if (c.says) expect(errors.join('\n')).toMatch(c.says);
          return;
        }
        const r = await prove(a.laid, [dir]);
        expect(r.failures, `${header} on ${abi.name}`).toEqual([]);
        expect(r.records).toBeGreaterThan(0);
      });
    }
  }
});
