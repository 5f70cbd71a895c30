/**
 * The layout JSON contract is one TypeBox schema: its static types are exactly the interfaces the
 * contract had before (keys are never retyped or removed), docs/layout-json.md prints the schema
 * object itself, everything `uapi-ts layout` writes passes it, and a document that does not fails
 * with the JSON Pointer of the offending key.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLayouts } from '../../generator/src/cli/load.js';
import {
  LayoutJsonSchema, type ConstantJson, type FieldJson, type LayoutJson, type RecordJson, type UnsupportedJson,
} from '../../generator/src/contract/layout-json.js';
import { schemaProblems } from '../../generator/src/contract/validate.js';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { REPO } from '../support/trees.js';
import { expectDocSchema } from './doc-schema.js';

// The contract's interfaces as they were written by hand before the schema (issue 12), verbatim.
namespace Before {
  export interface LayoutJson {
    abi: string;
    header: string;
    records: RecordJson[];
    constants: ConstantJson[];
    unsupported?: UnsupportedJson[];
    // Added by issue 16 (--time64): a key added, nothing retyped.
    time64?: true;
  }
  export interface RecordJson {
    kind: 'struct' | 'union';
    name: string;
    size: number;
    align: number;
    fields: FieldJson[];
    loc?: string;
  }
  export interface FieldJson {
    name: string;
    offset: number;
    size: number;
    type: string;
    fields?: FieldJson[];
    flexible?: true;
    countedBy?: string;
    bitOffset?: number;
    bitWidth?: number;
  }
  export interface ConstantJson {
    name: string;
    value: string;
    kind?: 'macro' | 'enum';
  }
  export interface UnsupportedJson {
    name: string;
    file: string;
    line: number;
    col: number;
    message: string;
  }
}

/** True only when A and B are the same type (tsc -p tsconfig.tests.json fails on `false`). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameTypes: [
  Equal<LayoutJson, Before.LayoutJson>,
  Equal<RecordJson, Before.RecordJson>,
  Equal<FieldJson, Before.FieldJson>,
  Equal<ConstantJson, Before.ConstantJson>,
  Equal<UnsupportedJson, Before.UnsupportedJson>,
] = [true, true, true, true, true];

describe('layout JSON schema', () => {
  it('has the static types the hand-written interfaces had (checked by tsc)', () => {
    expect(sameTypes).toEqual([true, true, true, true, true]);
  });

  it('is what docs/layout-json.md prints', () => {
    expectDocSchema(join(REPO, 'docs', 'layout-json.md'), 'LayoutJsonSchema', LayoutJsonSchema);
  });

  it('accepts what uapi-ts layout writes (the diff fixture, on every ABI)', () => {
    const { layouts } = loadLayouts('linux/demo.h', [join(REPO, 'test/fixtures/diff/uapi/new/include')], ABIS);
    expect(layouts).toHaveLength(8);
    for (const doc of layouts) expect(schemaProblems(LayoutJsonSchema, doc), doc.abi).toEqual([]);
  });

  it('names the path of each problem, one per path, and says what it expected', () => {
    const doc = {
      abi: 'x86_64', header: 'x.h',
      records: [{ kind: 'struct', name: 's', size: 8, align: 4, fields: [{ name: 'a', offset: 0, size: 4, type: '__u32', fields: [{ name: 'b', offset: -1, size: 4 }] }] }],
      constants: [{ name: 'C', value: '12x' }],
      extra: 'unknown keys are allowed',
    };
    expect(schemaProblems(LayoutJsonSchema, doc, '/2')).toEqual([
      { path: '/2/records/0/fields/0/fields/0/type', message: 'missing (expected string)' },
      { path: '/2/records/0/fields/0/fields/0/offset', message: 'expected integer >= 0 and < 2^53, got -1' },
      { path: '/2/constants/0/value', message: 'expected decimal integer string, got "12x"' },
    ]);
    expect(schemaProblems(LayoutJsonSchema, { ...doc, records: [], constants: [{ name: 'BIG', value: '-18446744073709551615' }] })).toEqual([]);
  });
});
