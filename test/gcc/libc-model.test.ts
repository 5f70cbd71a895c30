/**
 * The built-in libc model (generator/src/preprocess/libc-model.ts) against gcc with Debian's cross
 * glibc, on all 8 ABIs and both time_t variants (glibc's default, and -D_TIME_BITS=64
 * -D_FILE_OFFSET_BITS=64): every record of the model (sizes, alignments, member offsets and
 * sizes), every typedef (size, alignment as a member, signedness) and every constant the model
 * defines. A probe header includes every public header of the model and names each typedef and
 * constant; our pipeline reads it with the model, gcc with glibc's real headers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSource } from '../../generator/src/cli/io.js';
import { ABIS, withTime64, type Abi } from '../../generator/src/layout/abi/index.js';
import { analyze } from '../../generator/src/pipeline.js';
import { LIBC_MODEL_HEADERS } from '../../generator/src/preprocess/index.js';
import { lacking, newestTree, skipReason } from '../support/trees.js';
import { compilerAvailable, prove } from './proof.js';

const tree = newestTree();
const PROBE = 'uapi-ts-libc-probe.h';
const MODEL = '<built-in>/';
const rows: string[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (rows.length > 0) process.stdout.write(`\nlibc model proven against gcc + glibc:\n${rows.join('\n')}\n`);
});

/** The probe header: the model's public headers, then one probe per typedef and per constant. */
function probeHeader(abi: Abi, include: string): { text: string; typedefs: number; macros: number } {
  const includes = LIBC_MODEL_HEADERS.map((h) => `#include <${h}>`).join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'uapi-libc-'));
  dirs.push(dir);
  writeFileSync(join(dir, PROBE), `${includes}\n`);
  const a = analyze({ header: PROBE, includeDirs: [dir, include], read: readSource }, abi);
  const typedefs = [...a.ir.typedefs.values()].filter((t) => t.loc.file.startsWith(MODEL) && t.type.kind !== 'void').map((t) => t.name);
  const macros = [...a.pp.macros.values()].filter((m) => m.params === null && m.body.length > 0 && (a.pp.macroFile.get(m.name) ?? '').startsWith(MODEL)).map((m) => m.name);
  const lines = [includes];
  for (const t of typedefs) {
    lines.push(`struct uapi_ts_probe_${t} { char c; ${t} v; };`);
    // Signedness of the integer typedefs (a pointer or record typedef makes no constant here or in gcc's eyes).
    lines.push(`#define UAPI_TS_SIGNED_${t} ((${t})-1 < 0)`);
  }
  for (const m of macros) lines.push(`#define UAPI_TS_VALUE_${m} (${m})`);
  return { text: `${lines.join('\n')}\n`, typedefs: typedefs.length, macros: macros.length };
}

const variants: [string, (a: Abi) => Abi][] = [
  ['glibc default', (a) => a],
  ['_TIME_BITS=64', withTime64],
];

describe.skipIf(lacking(tree !== undefined))(`libc model equals gcc with glibc${skipReason(tree !== undefined, 'headers/')}`, () => {
  for (const base of ABIS) {
    for (const [label, variant] of variants) {
      const abi = variant(base);
      it.skipIf(lacking(compilerAvailable(base)))(`${base.name}, ${label}${skipReason(compilerAvailable(base), base.gcc)}`, async () => {
        const probe = probeHeader(abi, tree!.include);
        const dir = mkdtempSync(join(tmpdir(), 'uapi-libc-'));
        dirs.push(dir);
        writeFileSync(join(dir, PROBE), probe.text);
        const a = analyze({ header: PROBE, includeDirs: [dir, tree!.include], read: readSource }, abi);
        expect(a.diagnostics.filter((d) => d.severity === 'error'), `${base.name} ${label}`).toEqual([]);
        const r = await prove(a.laid, [dir, tree!.include], { records: (rec) => rec.loc.file.startsWith(MODEL) || rec.loc.file === a.ir.headerPath });
        expect(r.failures, `${base.name} ${label}`).toEqual([]);
        // A proof that proves nothing is no proof: the model's records, typedefs and constants were all there.
        expect(r.records).toBeGreaterThan(probe.typedefs);
        expect(r.constants).toBeGreaterThan(probe.macros);
        rows.push(`${base.name.padEnd(8)} ${label.padEnd(14)} records ${r.records} typedefs ${probe.typedefs} constants ${r.constants} (of ${probe.macros} macros + ${probe.typedefs} signedness probes) checks ${r.checks}`);
      });
    }
  }
});
