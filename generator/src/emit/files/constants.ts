/**
 * src/constants.ts of the package: ABI-independent constants, string constants and enums as
 * exported consts; ABI-dependent constants (ioctl request numbers...) as per-ABI tables.
 */
import { StructureKind, type TypeAliasDeclarationStructure } from 'ts-morph';
import { literalKey } from '../names.js';
import type { BindingModel } from '../model/index.js';
import { abiTypeAlias, braces, constStmt, doc, groupByAbi, numLit, strLit, type Stmt } from '../print.js';

export function constantsFile(model: BindingModel): Stmt[] {
  const abiList = model.abis;
  const st: Stmt[] = [];
  for (const c of model.constants) {
    if (c.value === undefined) continue;
    // C converts a negative constant to unsigned when it meets an unsigned field (`devid ==
    // VFIO_PCI_DEVID_NOT_OWNED`); the views read unsigned fields as non-negative numbers.
    const neg = c.enumName === undefined && c.value < 0n && c.value >= -(1n << 31n) ? `Negative, as in C: an unsigned __u32 field holding it reads as ${c.value & 0xffffffffn}; compare with \`field === (${c.jsName} >>> 0)\`.` : undefined;
    const text = [c.doc, neg].filter((x) => x !== undefined).join('\n\n') || undefined;
    st.push(constStmt(c.jsName, numLit(c.value), { docs: doc(text, `from ${c.file ?? model.file}:${c.line}`) }));
  }
  for (const c of model.strings) {
    const bytes = /[^\x20-\x7e]/.test(c.value) ? 'One char code per byte of the C literal (a latin1 string): `Buffer.from(' + c.jsName + ", 'latin1')` gives the bytes." : undefined;
    const text = [c.doc, bytes].filter((x) => x !== undefined).join('\n\n') || undefined;
    st.push(constStmt(c.jsName, strLit(c.value), { docs: doc(text, `from ${c.file ?? model.file}:${c.line}`) }));
  }
  for (const e of model.enums) {
    // Keys are the C enumerator names; values the constants (renamed ones by their TypeScript name).
    const members = e.members.map((n) => model.constants.find((c) => c.name === n && c.value !== undefined)).filter((c) => c !== undefined);
    st.push(constStmt(e.jsName, `${braces(members.map((c) => (c.jsName === c.name ? `  ${c.name},` : `  ${c.name}: ${c.jsName},`)))} as const`, { docs: doc(e.doc, `from enum ${e.name} (${e.file ?? model.file}:${e.line})`) }));
    st.push({ kind: StructureKind.TypeAlias, name: e.jsName, isExported: true, type: `(typeof ${e.jsName})[keyof typeof ${e.jsName}]` } satisfies TypeAliasDeclarationStructure);
  }
  const dep = model.constants.filter((c) => c.value === undefined);
  st.push({
    kind: StructureKind.Interface,
    name: 'AbiConstants',
    isExported: true,
    docs: [{ description: 'Constants whose value depends on the ABI (ioctl request numbers encode the direction and size differently per architecture).' }],
    properties: dep.map((c) => ({
      name: c.name,
      isReadonly: true,
      type: Object.values(c.perAbi).every((v) => v === BigInt(Number(v)) && Math.abs(Number(v)) <= Number.MAX_SAFE_INTEGER) ? 'number' : 'number | bigint',
      docs: doc(c.doc, `from ${c.file ?? model.file}:${c.line}`),
    })),
  });
  st.push(abiTypeAlias(abiList));
  const groups = groupByAbi(abiList, (abi) => JSON.stringify(dep.map((c) => String(c.perAbi[abi]))));
  groups.forEach((abis, i) => {
    st.push(constStmt(`CONSTANTS_${i}`, braces(dep.map((c) => `  ${literalKey(c.name)}: ${numLit(c.perAbi[abis[0]!] ?? 0n)},`)), { exported: false, type: 'AbiConstants', docs: [{ description: abis.join(', ') }] }));
  });
  st.push(constStmt('ABI_CONSTANTS', braces(abiList.map((a) => `  ${a}: CONSTANTS_${groups.findIndex((g) => g.includes(a))},`)), { type: 'Readonly<Record<AbiName, AbiConstants>>' }));
  return st;
}
