/**
 * The binding model: everything the TypeScript emitter needs, built from one header's analyses on
 * every ABI (types.ts). Records (records.ts), constants (constants.ts), ioctls and their doc blocks
 * (ioctls.ts) and capability chains (capabilities.ts) are built in that order, each from what the
 * ones before returned; then every declaration gets its TypeScript name (names.ts).
 */
import type { Analysis } from '../../pipeline.js';
import { NameTable } from '../names.js';
import { OVERRIDES, type Overrides } from '../overrides.js';
import { addChainOffsets, buildCapabilities } from './capabilities.js';
import { buildConstants, constantValuesByAbi } from './constants.js';
import { buildFeatures } from './features.js';
import { assignIoctlDocs, assignMemberDocs, buildIoctls } from './ioctls.js';
import { buildRecords } from './records.js';
import type { BindingModel, ConstantModel, EnumModel, RecordModel, StringConstantModel } from './types.js';

export type * from './types.js';
export { AbiMismatch } from './records.js';

export interface ModelInput {
  header: string;
  /** Further headers read with `header` as one translation unit (pipeline.ts HeaderRequest.alsoHeaders). */
  alsoHeaders?: readonly string[];
  analyses: readonly Analysis[];
  overrides?: Overrides;
}

export function buildModel(input: ModelInput): BindingModel {
  const overrides = input.overrides ?? OVERRIDES;
  const analyses = input.analyses;
  const ir = analyses[0]!.ir;
  const file = input.header.split('/').at(-1)!;

  const { records, byName, variants, diagnostics: recordDiagnostics } = buildRecords(analyses, overrides);
  const valuesByAbi = constantValuesByAbi(analyses);
  const { constants, strings, enums, diagnostics: constantDiagnostics } = buildConstants(analyses, valuesByAbi);
  const { ioctls, diagnostics: ioctlDiagnostics } = buildIoctls(ir, constants, byName, overrides);
  assignIoctlDocs(ioctls, constants, byName);
  assignMemberDocs(records);
  const { capKinds, capHeader, diagnostics: capDiagnostics } = buildCapabilities(records, constants, ir, overrides);
  addChainOffsets(records, variants, valuesByAbi);
  const { features, diagnostics: featureDiagnostics } = buildFeatures(ir, constants, byName, overrides);
  assignNames(records, enums, constants, strings);

  return {
    ...(capHeader !== undefined ? { capHeader } : {}),
    header: input.header,
    file,
    headers: [input.header, ...(input.alsoHeaders ?? [])],
    abis: analyses.map((a) => a.abi.name),
    records,
    variants,
    constants,
    strings,
    enums,
    ioctls,
    capKinds,
    features,
    diagnostics: [...recordDiagnostics, ...constantDiagnostics, ...ioctlDiagnostics, ...capDiagnostics, ...featureDiagnostics],
  };
}

/** TypeScript names, in a fixed order (structs, enums, constants, strings; header order within each). */
function assignNames(records: readonly RecordModel[], enums: readonly EnumModel[], constants: readonly ConstantModel[], strings: readonly StringConstantModel[]): void {
  const table = new NameTable();
  for (const r of records) r.className = table.claim(pascal(r.cName) || r.cName, ['', 'Init', 'Class', ...(r.chain ? ['Cap'] : [])]);
  for (const e of enums) e.jsName = table.claim(e.name);
  for (const c of constants) c.jsName = table.claim(c.name);
  for (const c of strings) c.jsName = table.claim(c.name);
}

export function pascal(cName: string): string {
  return cName
    .split('_')
    .filter((p) => p !== '')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}
