/**
 * The decode tables contract is one TypeBox schema plus the cross-reference checks: the shipped
 * tables pass both, docs/tables-json.md prints the schema object itself, and the schema's static
 * type is the emitter's table type (so what emit writes and what decode accepts cannot drift).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, DecodeInputError } from '../../generator/src/cli/decode.js';
import { TablesJsonSchema, tablesProblems, type FieldTableJson, type LayoutTableJson, type TablesJsonFile } from '../../generator/src/contract/tables-json.js';
import { schemaProblems } from '../../generator/src/contract/validate.js';
// The runtime decode uses (its package entry), so that its error classes are the ones thrown.
import { UapiRuntimeError, type TablesJson } from '@uapi-ts/runtime';
import { REPO } from '../support/trees.js';
import { expectDocSchema } from './doc-schema.js';

// What decode hands linkTables is the runtime's TablesJson.
const runtimeAccepts = (t: TablesJsonFile): TablesJson => t;

describe('tables.json schema', () => {
  it("is what the runtime's linkTables takes (checked by tsc; the emitter's table types are these)", () => {
    expect(typeof runtimeAccepts).toBe('function');
  });

  it('is what docs/tables-json.md prints', () => {
    expectDocSchema(join(REPO, 'docs', 'tables-json.md'), 'TablesJsonSchema', TablesJsonSchema);
  });

  it('accepts the shipped generated/vfio/tables.json, names and bytes included', () => {
    const t: unknown = JSON.parse(readFileSync(join(REPO, 'generated/vfio/tables.json'), 'utf8'));
    expect(schemaProblems(TablesJsonSchema, t)).toEqual([]);
    expect(Object.keys((t as TablesJsonFile).layouts).length).toBeGreaterThan(50);
    expect(tablesProblems(t as TablesJsonFile)).toEqual([]);
  });

  it('escapes "/" and "~" in the JSON Pointer of a key', () => {
    const t = { header: 'h', kernel: 'k', layouts: {}, abis: { 'a/b~c': { s: 'nope' } }, caps: {}, constants: {} };
    expect(tablesProblems(t)).toEqual([{ path: '/abis/a~1b~0c/s', message: 'names layout variant "nope", which /layouts does not have' }]);
  });
});

describe('tables that pass the checks', () => {
  /** Every number under `o`, as [holder, key], in a stable order. */
  function numbers(o: unknown, out: [Record<string, unknown>, string][] = []): [Record<string, unknown>, string][] {
    if (o !== null && typeof o === 'object') {
      for (const [k, v] of Object.entries(o)) {
        if (typeof v === 'number') out.push([o as Record<string, unknown>, k]);
        else numbers(v, out);
      }
    }
    return out;
  }
  /** The numbers decode reads for `struct`: its layout, the layouts it nests, its caps and theirs. */
  function reachable(t: TablesJsonFile, struct: string, abi: string): [Record<string, unknown>, string][] {
    const seen = new Set<string>();
    const visit = (v: string | undefined): void => {
      if (v === undefined || seen.has(v) || !Object.hasOwn(t.layouts, v)) return;
      seen.add(v);
      const l = t.layouts[v]!;
      for (const f of l.fields) visit(f.struct);
      visit(l.flex?.struct);
    };
    visit(t.abis[abi]![struct]);
    const caps = t.caps[struct] ?? [];
    for (const c of caps) visit(t.abis[abi]![c.struct]);
    return [...[...seen].flatMap((v) => numbers(t.layouts[v])), ...numbers(caps)];
  }
  const shipped = readFileSync(join(REPO, 'generated/vfio/tables.json'), 'utf8');

  it('decode any bytes with them without a TypeError or RangeError: only the named input errors', () => {
    const value = fc.oneof(fc.constantFrom(0, 1, 4, 7, 8, 16, 20, 24, 32, 64, 65535, 2 ** 31), fc.integer({ min: 0, max: 300 }));
    let checked = 0;
    fc.assert(
      fc.property(
        fc.constantFrom('vfio_device_info', 'vfio_region_info', 'vfio_iommu_type1_info', 'vfio_irq_set', 'vfio_region_info_cap_sparse_mmap'),
        fc.constantFrom('x86_64', 'i386', 's390x'),
        fc.array(fc.tuple(fc.nat(), value), { minLength: 1, maxLength: 3 }),
        fc.uint8Array({ maxLength: 160 }),
        fc.constantFrom('strict' as const, 'compat' as const),
        (struct, abi, edits, tail, policy) => {
          const t = JSON.parse(shipped) as TablesJsonFile;
          const original = t.layouts[t.abis[abi]![struct]!]!;
          const slots = reachable(t, struct, abi);
          for (const [i, v] of edits) slots[i % slots.length]![0][slots[i % slots.length]![1]] = v;
          if (schemaProblems(TablesJsonSchema, t).length > 0 || tablesProblems(t).length > 0) return;
          checked++;
          // The struct as it was (argsz = the whole buffer, every flag set), then random bytes.
          const bytes = new Uint8Array(original.size + tail.length);
          bytes.set(tail, original.size);
          const dv = new DataView(bytes.buffer);
          if (original.size >= 8) {
            dv.setUint32(0, bytes.length, original.littleEndian);
            dv.setUint32(4, 0xffffffff, original.littleEndian);
          }
          if (original.chain) dv.setUint32(original.chain.capOffsetOffset, original.size, original.littleEndian);
          if (tail.length >= 8) dv.setUint32(original.size + 4, 0, original.littleEndian);
          try {
            decode(t, struct, abi, bytes, { caps: true, policy });
          } catch (e) {
            if (!(e instanceof DecodeInputError) && !(e instanceof UapiRuntimeError)) throw e;
          }
        },
      ),
      { numRuns: 300, seed: Number(process.env.UAPI_SEED ?? 12) },
    );
    // Many edits leave tables that still pass (an offset moved inside its struct, a count lowered).
    expect(checked).toBeGreaterThan(50);
  });
});
