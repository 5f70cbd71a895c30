/**
 * src/layouts.ts of the package: one BindingLayout table per distinct layout of a record, and per
 * ABI a map of every record's table (ABIs with identical layouts share one map).
 */
import { StructureKind, type InterfaceDeclarationStructure } from 'ts-morph';
import { symbols } from '@uapi-ts/runtime';
import { literalKey } from '../names.js';
import type { BindingModel, LayoutJsonTable } from '../model/index.js';
import { abiTypeAlias, braces, constStmt, groupByAbi, importsOf, type Stmt } from '../print.js';

export function layoutsFile(model: BindingModel): Stmt[] {
  const abiList = model.abis;
  const st: Stmt[] = [];
  st.push(importsOf([symbols.BindingLayout])[0]!);
  for (const [vname, v] of model.variants) {
    st.push(constStmt(ident(vname), layoutLiteral(v.table), { exported: false, type: 'BindingLayout', docs: [{ description: `${v.table.name} on ${v.abis.join(', ')}` }] }));
  }
  const mapType: InterfaceDeclarationStructure = {
    kind: StructureKind.Interface,
    name: 'AbiLayouts',
    isExported: true,
    docs: [{ description: 'Layout table of every struct on one ABI.' }],
    properties: model.records.map((r) => ({ name: r.cName, type: 'BindingLayout', isReadonly: true })),
  };
  st.push(mapType);
  const groups = groupByAbi(abiList, (abi) => JSON.stringify(model.records.map((r) => r.variantOf[abi])));
  groups.forEach((abis, i) => {
    st.push(constStmt(`LAYOUTS_${i}`, braces(model.records.map((r) => `  ${literalKey(r.cName)}: ${ident(r.variantOf[abis[0]!] ?? '')},`)), { exported: false, type: 'AbiLayouts', docs: [{ description: abis.join(', ') }] }));
  });
  st.push(abiTypeAlias(abiList));
  st.push(constStmt('LAYOUTS', braces(abiList.map((a) => `  ${a}: LAYOUTS_${groups.findIndex((g) => g.includes(a))},`)), { type: 'Readonly<Record<AbiName, AbiLayouts>>', docs: [{ description: 'Per ABI: its layout tables (ABIs with identical layouts share one table).' }] }));
  return st;
}

/** The identifier of a layout variant's constant (`vfio_region_info$0` is one already). */
function ident(vname: string): string {
  return vname.replace(/[^\w$]/g, '_');
}

function layoutLiteral(t: LayoutJsonTable): string {
  // JSON, with nested struct references as identifiers of the variant constants.
  return JSON.stringify(t, null, 2)
    .replace(/"struct": "([^"]+)"/g, (_m, v: string) => `"struct": ${ident(v)}`)
    .replace(/"(\w+)":/g, (_m, k: string) => `${literalKey(k)}:`);
}
