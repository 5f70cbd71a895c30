/**
 * GNU attributes in every position gcc accepts them in a member declaration or typedef (before the
 * type, after a struct/union/enum tag, after the declarator, before the `;`), proven against gcc on
 * all 8 ABIs. An attribute after the tag of a referenced type is a declaration-specifier attribute:
 * it applies to the member (`struct a1 __attribute__((aligned(16))) *p` aligns the pointer member
 * to 16, linux/netfilter/xt_string.h), not to the type.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSource } from '../../generator/src/cli/io.js';
import { formatDiagnostic } from '../../generator/src/diagnostics.js';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { analyze } from '../../generator/src/pipeline.js';
import { compilerAvailable, prove } from './proof.js';
import { lacking, skipReason } from '../support/trees.js';

const HEADER = `
typedef unsigned char __u8;
typedef int T;
struct a1 { char c; };
union u1 { int x; };
enum e1 { A1 };
struct fwd;
struct a4 { __u8 c; struct a1 __attribute__((aligned(16))) *p; };
struct a5 { __u8 c; __attribute__((aligned(8))) int x; };
struct a6 { __u8 c; int __attribute__((aligned(8))) y; };
struct a7 { __u8 c; int z __attribute__((aligned(8))); };
struct a10 { __u8 c; struct a1 __attribute__((aligned(16))) s; };
struct a11 { __u8 c; struct a1 __attribute__((aligned(16))) s, *t; int m; };
struct a12 { __u8 c; __u8 __attribute__((aligned(16))) arr[3]; };
struct a13 { __u8 c; struct a1 __attribute__((packed)) *p; };
struct a14 { __u8 c; int __attribute__((packed)) p; };
struct a15 { __u8 c; struct a1 __attribute__((aligned(16))) __attribute__((aligned(4))) *p; };
struct a16 { __u8 c; struct a1 __attribute__((aligned(2))) *p; };
struct a17 { __u8 c; struct b17 { int x; } __attribute__((aligned(16))) *p; };
struct a18 { __u8 c; int z:3 __attribute__((aligned(8))); int w; };
struct b2 { char c; int __attribute__((aligned(2))) q; };
struct b3 { char c; struct __attribute__((aligned(16))) a1 *p; };
struct b4 { char c; int q[2] __attribute__((aligned(16))); };
struct b8 { char c; enum e1 __attribute__((aligned(16))) e; };
struct b10 { char c; struct fwd __attribute__((aligned(16))) *p; };
struct b11 { char c; union u1 __attribute__((aligned(16))) u; };
struct b12 { char c; T __attribute__((aligned(16))) t; };
typedef struct a1 __attribute__((aligned(16))) t1;
typedef union u1 __attribute__((aligned(2))) t2;
struct b13 { char c; t1 x; t2 y; };
struct b14 { char c; const struct a1 __attribute__((aligned(8))) *p; __u8 d; };
struct b15 { char c; __attribute__((aligned(4))) struct a1 __attribute__((aligned(8))) *p; };
/* aligned() arguments that depend on the ABI (linux/rseq.h: aligned(4 * sizeof(__u64))). */
struct c1 { int x; } __attribute__((aligned(4 * sizeof(long long))));
struct c2 { char c; long l __attribute__((aligned(2 * sizeof(void *)))); };
typedef long long ll_a __attribute__((aligned(sizeof(long))));
struct c3 { char c; ll_a v; };
struct c4 { char c; int x __attribute__((aligned(_Alignof(long double)))); };
struct c5 { char c; int x __attribute__((aligned, aligned(64))); };
struct c6 { char c; int x __attribute__((aligned(64), aligned)); };
struct c7 { char c; struct a1 __attribute__((aligned)) *p __attribute__((aligned(32))); };
struct c8 { char c; int x; } __attribute__((aligned(sizeof(struct a1) * 2), aligned(4)));
/* On a member every aligned() counts (the largest wins); on a type the last one wins. */
struct d1 { char c; int x __attribute__((aligned(32), aligned(8))); };
struct d2 { char c; } __attribute__((aligned(64), aligned(4)));
struct d3 { int c; } __attribute__((aligned(8), aligned(2)));
struct __attribute__((aligned(64))) d4 { char c; } __attribute__((aligned(4)));
struct __attribute__((aligned(4))) d5 { char c; } __attribute__((aligned(64)));
struct d6 { char c; } __attribute__((aligned(64), aligned));
typedef int d7 __attribute__((aligned(8), aligned(2)));
typedef struct a1 __attribute__((aligned(8))) d8 __attribute__((aligned(2)));
typedef int d9 __attribute__((aligned(2 * sizeof(short)), aligned(2)));
struct d10 { char c; d7 a; char e; d8 b; char f; d9 g; };
/* An attribute after a declarator is that declarator's only. */
struct d11 { char c; int a, b __attribute__((aligned(16))); char d; int e, *f, g[2] __attribute__((aligned(8))); };
typedef struct a1 d12, d13 __attribute__((aligned(4)));
struct d14 { char c; d12 x; d13 y; };
/* After \`union\` or \`enum\` (tree-sitter-c reads them only after \`struct\`), and several specifiers in a row (found by the fuzzer). */
union __attribute__((packed)) g1 { char c; int i; };
union __attribute__((aligned(8), __packed__)) g2 { char c; int i; };
struct g3 { char c; union __attribute__((packed)) { char a; int b; } u; };
enum __attribute__((packed)) g4 { G4A, G4B = 200 };
union __attribute__((aligned(16)))
  g6 { char c;
  int i; };
union __attribute__((aligned(16))) __attribute__((packed)) g7 { union __attribute__((aligned(4))) g8 { char q; } a; long l; };
struct g9 { char c; long l; } __attribute__((packed)) __attribute__((aligned(2)));
struct __attribute__((packed)) __attribute__((aligned(4))) g10 { char c; long l; };
struct g11 { char c; long l __attribute__((packed)) __attribute__((aligned(2))); int __attribute__((aligned(8))) __attribute__((aligned(16))) m; };
union __attribute__((aligned(8))) g12 { char c; int i; } __attribute__((packed));
union __attribute__((aligned(1<<9), packed)) g13_ß { char c; long l; };
typedef __attribute__((aligned(16))) struct { char c; int i; } g14;
typedef __attribute__((packed)) struct { char c; int i; } g15;
typedef __attribute__((aligned(2))) __attribute__((aligned(8)))
  union { char c; short s; } g16;
typedef __attribute__((aligned(4))) unsigned char g17;
struct g18 { char c; g14 a; char d; g15 b; char e; g16 f; char g; g17 h; };
struct g5 { char c; union g12 j; union g13_ß k; union g1 x; union g2 y; enum g4 e; union g6 f; union g7 g; struct g9 h; struct g10 i; };
`;

const root = mkdtempSync(join(tmpdir(), 'uapi-attrpos-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('attributes in every member-declaration position equal gcc', () => {
  for (const abi of ABIS) {
    it.skipIf(lacking(compilerAvailable(abi)))(`${abi.name}${skipReason(compilerAvailable(abi), abi.gcc)}`, async () => {
      mkdirSync(join(root, 'attr'), { recursive: true });
      writeFileSync(join(root, 'attr', 'positions.h'), HEADER);
      const a = analyze({ header: 'attr/positions.h', includeDirs: [root], read: readSource }, abi);
      expect(a.diagnostics.map(formatDiagnostic)).toEqual([]);
      const r = await prove(a.laid, [root]);
      expect(r.failures).toEqual([]);
      // 43 records before the g* ones, then 13 named (an anonymous union is proven through its member).
      expect(r.records).toBe(56);
    });
  }
});
