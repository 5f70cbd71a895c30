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
`;

const root = mkdtempSync(join(tmpdir(), 'uapi-attrpos-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('attributes in every member-declaration position equal gcc', () => {
  for (const abi of ABIS) {
    it.skipIf(!compilerAvailable(abi))(abi.name, () => {
      mkdirSync(join(root, 'attr'), { recursive: true });
      writeFileSync(join(root, 'attr', 'positions.h'), HEADER);
      const a = analyze({ header: 'attr/positions.h', includeDirs: [root], read: readSource }, abi);
      expect(a.diagnostics.map(formatDiagnostic)).toEqual([]);
      const r = prove(a.laid, [root]);
      expect(r.failures).toEqual([]);
      expect(r.records).toBe(26);
    });
  }
});
