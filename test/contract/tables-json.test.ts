/**
 * The decode tables contract is one TypeBox schema plus the cross-reference checks: the shipped
 * tables pass both, docs/tables-json.md prints the schema object itself, and the schema's static
 * type is the emitter's table type (so what emit writes and what decode accepts cannot drift).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TablesJsonSchema, tablesProblems, type FieldTableJson, type LayoutTableJson, type TablesJsonFile } from '../../generator/src/contract/tables-json.js';
import { schemaProblems } from '../../generator/src/contract/validate.js';
import type { FieldSpecJson, LayoutJsonTable } from '../../generator/src/emit/model.js';
import type { TablesJson } from '../../runtime/src/index.js';
import { REPO } from '../support/trees.js';
import { expectDocSchema } from './doc-schema.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameTypes: [Equal<LayoutTableJson, LayoutJsonTable>, Equal<FieldTableJson, FieldSpecJson>] = [true, true];
// What decode hands linkTables is the runtime's TablesJson.
const runtimeAccepts = (t: TablesJsonFile): TablesJson => t;

describe('tables.json schema', () => {
  it("is the emitter's table type (checked by tsc)", () => {
    expect(sameTypes).toEqual([true, true]);
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
