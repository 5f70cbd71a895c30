/**
 * Packed records can place a bitfield where no 1-, 2-, 4- or 8-byte unit inside the record holds
 * it: gcc lays such a record out, but the runtime's accessors read one unit, so a binding would
 * read the wrong bytes (or past the struct). Such a record gets no binding, with a warning that
 * says why; its neighbours are bound as usual. The sizes and bit positions are gcc's (checked
 * with _Static_assert by the host gcc before uapi-ts runs).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, runNode } from '../support/proc.js';
import { lacking, REPO, skipReason } from '../support/trees.js';

const BIN = join(REPO, 'generator', 'bin', 'uapi-ts.js');
const onX86 = process.arch === 'x64';
const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-bitwindow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = `#pragma pack(1)
struct fits { char c; unsigned long long x : 60; };
union short_union { unsigned long long y : 33; char z; };
#pragma pack()
struct straddles { unsigned char a : 4; unsigned long long b : 62; } __attribute__((packed));
`;

/** What gcc says of the header on x86_64: the sizes that leave no 8-byte unit for y and b. */
const GCC_FACTS = `#include "linux/bw.h"
_Static_assert(sizeof(struct fits) == 9, "fits");
_Static_assert(sizeof(union short_union) == 5, "short_union");
_Static_assert(sizeof(struct straddles) == 9, "straddles");
`;

describe.skipIf(lacking(onX86))(`records whose bitfields have no access window${skipReason(onX86, 'an x86_64 host')}`, () => {
  it('get no binding, with a warning naming the bitfield; the other records are bound', async () => {
    mkdirSync(join(dir, 'include', 'linux'), { recursive: true });
    writeFileSync(join(dir, 'include', 'linux', 'bw.h'), HEADER);
    writeFileSync(join(dir, 'facts.c'), GCC_FACTS);
    const gcc = await run('gcc', ['-fsyntax-only', '-I', join(dir, 'include'), join(dir, 'facts.c')]);
    expect(gcc.stderr).toBe('');
    expect(gcc.status).toBe(0);

    const out = join(dir, 'out');
    const r = await runNode([BIN, 'generate', 'linux/bw.h', '-I', join(dir, 'include'), '--out', out, '--kernel', '6.1']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/union short_union: no binding \(bitfield y has no 1-, 2-, 4- or 8-byte access window inside short_union on \w+ \(bits 0\.\.32 of a 5-byte record\)\) \[emit-unsupported\]/);
    expect(r.stderr).toMatch(/struct straddles: no binding \(bitfield b has no 1-, 2-, 4- or 8-byte access window inside straddles on \w+ \(bits 4\.\.65 of a 9-byte record\)\) \[emit-unsupported\]/);
    const tables = JSON.parse(readFileSync(join(out, 'tables.json'), 'utf8')) as { abis: Record<string, Record<string, string>> };
    for (const names of Object.values(tables.abis)) {
      expect(Object.keys(names).sort()).toEqual(['fits']);
    }
  });
});
