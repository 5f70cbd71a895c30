/**
 * Differential property test: random struct/union definitions (nesting, bitfields, packed, aligned,
 * arrays, unions, anonymous members, some under `#pragma pack(N)`) laid out by us and checked by
 * gcc on every ABI.
 * Many random records go into one header per run so each ABI needs one compile per batch.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readSource } from '../../generator/src/cli/io.js';
import { formatDiagnostic } from '../../generator/src/diagnostics.js';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { analyze } from '../../generator/src/pipeline.js';
import { compilerAvailable, prove } from './proof.js';
import { lacking, skipReason } from '../support/trees.js';

const SCALARS = ['char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned int', 'long', 'unsigned long', 'long long', 'unsigned long long', 'double', 'float', 'void *', '_Bool'];
const BITFIELD_TYPES: [string, number][] = [['unsigned char', 8], ['unsigned short', 16], ['unsigned int', 32], ['int', 32], ['unsigned long long', 64], ['long long', 64]];

/*
 * Generators produce C text with `@` where a member name goes; names are numbered afterwards so
 * counterexamples print as readable C.
 */
const scalarMember = fc
  .record({ t: fc.constantFrom(...SCALARS), arr: fc.option(fc.integer({ min: 1, max: 3 }), { freq: 4 }), aligned: fc.option(fc.constantFrom(1, 2, 4, 8, 16), { freq: 6 }), packed: fc.boolean() })
  .map(({ t, arr, aligned, packed }) => {
    const attrs = [aligned !== null ? `aligned(${aligned})` : '', packed ? 'packed' : ''].filter(Boolean).join(', ');
    return `${t} @${arr !== null ? `[${arr}]` : ''}${attrs ? ` __attribute__((${attrs}))` : ''};`;
  });

const bitfieldMember = fc
  .record({ t: fc.constantFrom(...BITFIELD_TYPES), w: fc.integer({ min: 0, max: 64 }), unnamed: fc.boolean() })
  .map(({ t, w, unnamed }) => {
    const width = Math.min(w, t[1]);
    // Zero-width bitfields must be unnamed (C11 6.7.2.1p3).
    return width === 0 || unnamed ? `${t[0]} : ${width};` : `${t[0]} @ : ${width};`;
  });

const shapes = fc.letrec<{ member: string; nested: string; record: string }>((tie) => ({
  member: fc.oneof({ weight: 5, arbitrary: scalarMember }, { weight: 3, arbitrary: bitfieldMember }, { weight: 1, arbitrary: tie('nested') }),
  nested: fc
    .record({ rec: tie('record'), anonymous: fc.boolean(), arr: fc.option(fc.integer({ min: 1, max: 2 }), { freq: 3 }) })
    .map(({ rec, anonymous, arr }) => (anonymous ? `${rec};` : `${rec} @${arr !== null ? `[${arr}]` : ''};`)),
  record: fc
    .record({
      union: fc.boolean(),
      packed: fc.boolean(),
      aligned: fc.option(fc.constantFrom(2, 4, 8, 16), { freq: 5 }),
      members: fc.array(tie('member'), { minLength: 1, maxLength: 6, depthIdentifier: 'rec' }),
    })
    .map(({ union, packed, aligned, members }) => {
      const attrs = [packed ? 'packed' : '', aligned !== null ? `aligned(${aligned})` : ''].filter(Boolean).join(', ');
      // Every record needs a named member (an all-unnamed struct is a constraint violation).
      return `${union ? 'union' : 'struct'} {\n${[...members, 'int @;'].join('\n')}\n}${attrs ? ` __attribute__((${attrs}))` : ''}`;
    }),
}));

/** A record, sometimes defined under `#pragma pack(N)` (pushed and popped around it). */
const topRecord = fc.record({ rec: shapes.record, pack: fc.option(fc.constantFrom(1, 2, 4, 8, 16), { freq: 3 }) });

const headerArb = fc.array(shapes.record, { minLength: 1, maxLength: 1 }).chain(() =>
  fc.array(topRecord, { minLength: 30, maxLength: 30 }).map((recs) => {
    let n = 0;
    const text = recs
      .map(({ rec, pack }, i) => {
        const def = `${rec.replace(/^(struct|union) /, `$1 r${i} `)};`;
        return pack === null ? def : `#pragma pack(push, ${pack})\n${def}\n#pragma pack(pop)`;
      })
      .join('\n\n');
    return `/* random records for the differential layout test */\n${text.replace(/@/g, () => `f${n++}`)}\n`;
  }),
);

const runs = Number(process.env.UAPI_RANDOM_BATCHES ?? 6);
const perBatch = 30;
const root = mkdtempSync(join(tmpdir(), 'uapi-random-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('random records: our layout equals gcc on every ABI', () => {
  for (const abi of ABIS) {
    it.skipIf(lacking(compilerAvailable(abi)))(`${abi.name}${skipReason(compilerAvailable(abi), abi.gcc)}`, async () => {
      await fc.assert(
        fc.asyncProperty(headerArb, async (text) => {
          const dir = mkdtempSync(join(root, `${abi.name}-`));
          mkdirSync(join(dir, 'rnd'), { recursive: true });
          writeFileSync(join(dir, 'rnd', 'random.h'), text);
          const a = analyze({ header: 'rnd/random.h', includeDirs: [dir], read: readSource }, abi);
          const errors = a.diagnostics.filter((d) => d.severity === 'error');
          expect(errors.map(formatDiagnostic), text).toEqual([]);
          const r = await prove(a.laid, [dir]);
          expect(r.records).toBe(perBatch);
          if (r.failures.length > 0 && process.env.UAPI_KEEP_FAIL) writeFileSync(`${process.env.UAPI_KEEP_FAIL}-${abi.name}.h`, text);
          expect(r.failures, `${abi.name}\n${text}`).toEqual([]);
          rmSync(dir, { recursive: true, force: true });
        }),
        { numRuns: runs, endOnFailure: true, seed: process.env.UAPI_SEED ? Number(process.env.UAPI_SEED) : undefined },
      );
    });
  }
});
