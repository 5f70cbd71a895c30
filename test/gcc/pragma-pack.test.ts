/**
 * `#pragma pack` as gcc applies it (c-pragma.cc handle_pragma_pack, stor-layout.cc
 * maximum_field_alignment), proven against gcc on all 8 ABIs: pack(N), pack(), push/pop with and
 * without ids, the state at a record's closing brace, bitfields, zero-width bitfields, nested
 * and anonymous records, unions, arrays, aligned attributes inside and on packed records, and
 * the packed attribute under a pack. The random-layout test adds packs to random records.
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
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
#pragma pack(2)
struct p1 { char c; int x; long long y; double d; void *p; };
#pragma pack()
struct p2 { char c;
#pragma pack(1)
int x; };
#pragma pack()
struct p3 { char c; int x;
#pragma pack(1)
};
#pragma pack()
#pragma pack(1)
struct p4 { char c; int x __attribute__((aligned(8))); };
struct p5 { char c; int x; } __attribute__((aligned(8)));
struct p6 { char c; int b:3; int d:31; long long e:40; char f; };
struct p7 { char c; int :0; char d; };
struct p7b { char c; long long :0; char d; int :0; };
union p7c { char c; int x; long long y:33; };
#pragma pack(4)
struct p8 { char c; int b:3; } __attribute__((packed));
struct __attribute__((packed)) p9 { char c; long long d; };
struct p9b { char c; long long d; short s:9; long long e:60; char z; };
#pragma pack()
#pragma pack(2)
typedef long long all8 __attribute__((aligned(8)));
struct p10 { char c; all8 d; };
struct p11 { char c; struct { char e; int f; } g; union { char h; int i; }; int j[3]; };
#pragma pack()
#pragma pack(1)
struct q1 { char c; int x;
#pragma pack()
};
struct q2 { char c; struct q2i { char d; int y; } i;
#pragma pack(1)
int z; };
#pragma pack()
struct q3 { char c;
#pragma pack(1)
 struct q3i { char d; int y; } i;
#pragma pack()
 int z; };
#pragma pack(16)
struct q4 { char c; int x __attribute__((aligned(32))); long double ld; };
#pragma pack(push, 2)
#pragma pack(push, 1)
struct q5 { char c; int x; };
#pragma pack(pop)
struct q6 { char c; int x; };
#pragma pack(pop)
struct q7 { char c; int x __attribute__((aligned(32))); };
#pragma pack()
#pragma pack(push, a, 1)
#pragma pack(push, 2)
#pragma pack(push, b, 4)
struct q8a { char c; long long x; };
#pragma pack(pop, a)
struct q8 { char c; int x; };
#pragma pack(push)
#pragma pack(2)
#pragma pack(pop)
struct q9 { char c; int x; };
#pragma pack(push, 8)
struct q10 { char c; long long x; long double y; short s; };
#pragma pack(push, 4)
struct q11 { char c; long long x; __u64 u:17; __u8 b:3; __u16 h:12; };
#pragma pack(pop)
#pragma pack(pop)
#pragma pack(push, 1, id)
struct q12 { char c; __u32 a:7, :0, b:31; __u16 h; };
#pragma pack(pop, id)
_Pragma("pack(2)")
struct q13 { char c; int x; };
#pragma pack(0)
struct q14 { char c; int x; };
#pragma pack(1)
struct q15 { char c; int x; } __attribute__((aligned(4), packed));
struct q16 { char c; struct q15 s; int t __attribute__((aligned(16))); } __attribute__((aligned(2)));
#pragma pack()
struct q17 { char c; struct q16 s; struct p1 p[2]; };
`;

/** Pragmas gcc ignores (with a warning) leave the state as it was; a pop without push too. */
const MALFORMED = `#define ONE 1
#pragma pack(2)
#pragma pack
struct m1 { char c; int x; };
#pragma pack(3)
struct m2 { char c; int x; };
#pragma pack(foo)
struct m3 { char c; int x; };
#pragma pack()
#pragma pack(pop)
struct m4 { char c; int x; };
#pragma pack(push, 1)
#pragma pack(pop, 4)
struct m5 { char c; int x; };
#pragma pack(push, 3)
struct m6 { char c; int x; };
#pragma pack(ONE)
struct m7 { char c; int x; };
#pragma pack(1) junk
struct m8 { char c; int x; };
#pragma pack(pop, nosuch)
struct m9 { char c; int x; };
#pragma pack(2u)
struct m10 { char c; int x; };
`;

const MALFORMED_WARNINGS = [
  "3:9: warning: missing '(' after '#pragma pack' - ignored",
  '5:9: warning: alignment must be a small power of two, not 3',
  "7:14: warning: unknown action 'foo' for '#pragma pack' - ignored",
  "10:9: warning: '#pragma pack (pop)' encountered without matching '#pragma pack (push)'",
  "13:9: warning: malformed '#pragma pack(pop[, id])' - ignored",
  '15:9: warning: alignment must be a small power of two, not 3',
  "17:14: warning: unknown action 'ONE' for '#pragma pack' - ignored",
  "19:17: warning: junk at end of '#pragma pack'",
  "21:9: warning: '#pragma pack(pop, nosuch)' encountered without matching '#pragma pack(push, nosuch)'",
];

const root = mkdtempSync(join(tmpdir(), 'uapi-pack-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('#pragma pack equals gcc', () => {
  for (const abi of ABIS) {
    it.skipIf(lacking(compilerAvailable(abi)))(`${abi.name}${skipReason(compilerAvailable(abi), abi.gcc)}`, async () => {
      mkdirSync(join(root, 'pack'), { recursive: true });
      writeFileSync(join(root, 'pack', 'pack.h'), HEADER);
      const a = analyze({ header: 'pack/pack.h', includeDirs: [root], read: readSource }, abi);
      expect(a.diagnostics.map(formatDiagnostic)).toEqual([]);
      const r = await prove(a.laid, [root]);
      expect(r.failures).toEqual([]);
      expect(r.records).toBe(34);
    });
    it.skipIf(lacking(compilerAvailable(abi)))(`${abi.name}: forms gcc ignores${skipReason(compilerAvailable(abi), abi.gcc)}`, async () => {
      mkdirSync(join(root, 'pack'), { recursive: true });
      writeFileSync(join(root, 'pack', 'malformed.h'), MALFORMED);
      const a = analyze({ header: 'pack/malformed.h', includeDirs: [root], read: readSource }, abi);
      expect(a.diagnostics.map((d) => formatDiagnostic(d).replace(/^.*malformed\.h:/, '').replace(/ \[[a-z-]+\]$/, ''))).toEqual(MALFORMED_WARNINGS);
      const r = await prove(a.laid, [root]);
      expect(r.failures).toEqual([]);
      expect(r.records).toBe(10);
    });
  }
});
