/**
 * Capability chains of the binding model, inferred from the header's conventions (vfio.h's): which
 * info structs carry a chain, the cap header struct, which caps each chain can carry, and the chain
 * offsets in the info structs' layout tables. What the conventions do not decide is in overrides.ts.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { inHeader, type IrModule, type RecordDecl } from '../../ir/types.js';
import type { AbiName } from '../../layout/abi/index.js';
import type { Overrides } from '../overrides.js';
import type { CapKindModel, ConstantModel, LayoutVariant, MemberModel, RecordModel } from './types.js';

/**
 * Whether a record carries a capability chain: an argsz, flags and cap_offset member plus a
 * `*_CAPS` flag macro defined inside its body (or named in overrides.capsFlag). A record with the
 * members but no flag gets a warning instead.
 */
export function chainOf(
  r: RecordDecl,
  cName: string,
  members: readonly MemberModel[],
  ir: IrModule,
  overrides: Overrides,
): { chain?: { capsFlag: string }; diagnostic?: Diagnostic } | undefined {
  if (!(members.some((m) => m.name === 'cap_offset') && members.some((m) => m.name === 'flags') && members.some((m) => m.name === 'argsz'))) return undefined;
  const last = Math.max(...r.fields.map((f) => f.loc.line));
  const inBody = ir.macros.filter((m) => inHeader(ir, m.loc) && m.loc.line > r.loc.line && m.loc.line < last + 1 && /_CAPS$/.test(m.name));
  const flag = overrides.capsFlag[cName]?.macro ?? (inBody.length === 1 ? inBody[0]!.name : undefined);
  if (flag) return { chain: { capsFlag: flag } };
  return { diagnostic: { severity: 'warning', code: 'emit-caps-flag', message: `${cName} has cap_offset but no *_CAPS flag inside its body; add it to emit/overrides.ts capsFlag`, ...r.loc } };
}

export interface Capabilities {
  /** One per info struct with a chain, in record order; caps sorted by id. */
  capKinds: CapKindModel[];
  /** The capability header struct, when the header has one (caps are found only then). */
  capHeader?: string;
  diagnostics: Diagnostic[];
}

/**
 * The caps each chain can carry. A cap struct begins with a member of the cap header's type (the
 * record the chain's caps start with); its id macro is its name in capitals; it belongs to the
 * info struct whose name is its longest prefix. Header-only caps: `<INFO>_CAP_<X>` integer macros
 * with no struct of that name.
 */
export function buildCapabilities(
  records: readonly RecordModel[],
  constants: readonly ConstantModel[],
  ir: IrModule,
  overrides: Overrides,
): Capabilities {
  const diagnostics: Diagnostic[] = [];
  const macros = new Map(ir.macros.map((m) => [m.name, m]));
  const recordNames = new Set(records.map((r) => r.cName));
  const capKinds: CapKindModel[] = records.filter((r) => r.chain).map((r) => ({ info: r.cName, capsFlag: r.chain!.capsFlag, caps: [] }));
  const kindFor = (name: string): CapKindModel | undefined =>
    capKinds.filter((k) => name.startsWith(`${k.info}_`)).sort((a, b) => b.info.length - a.info.length)[0];
  // The cap header: { u16 id; u16 version; u32 next; } (vfio_info_cap_header), found by shape.
  const capHeader = records.find(
    (r) => r.members.length === 3 && r.members.map((m) => `${m.name}:${m.shape.kind === 'scalar' ? m.shape.scalar : ''}`).join(',') === 'id:u16,version:u16,next:u32',
  );
  const constVal = (n: string): bigint | undefined => constants.find((c) => c.name === n)?.value;
  if (capHeader) {
    for (const r of records) {
      const m0 = r.members[0];
      if (!m0 || m0.shape.kind !== 'struct' || m0.shape.struct !== capHeader.cName) continue;
      const k = kindFor(r.cName);
      if (!k) continue;
      const macro = r.cName.toUpperCase();
      const id = constVal(macro);
      if (id === undefined) {
        diagnostics.push({ severity: 'warning', code: 'emit-cap-id', message: `cap struct ${r.cName} has no id macro ${macro}`, file: ir.headerPath, line: r.line, col: 1 });
        continue;
      }
      const ov = overrides.capVersions[r.cName] ?? overrides.capVersions[macro];
      const decl = ir.records.find((x) => x.tag === r.tag && x.name === r.cName && x.complete);
      const versions = ov?.versions ?? (decl ? markedVersions(decl, ir) : undefined) ?? [1];
      k.caps.push({ id: Number(id), macro, struct: r.cName, versions, line: macros.get(macro)?.loc.line ?? r.line });
    }
    for (const k of capKinds) {
      const prefix = `${k.info.toUpperCase()}_CAP_`;
      for (const c of constants) {
        if (!c.name.startsWith(prefix) || c.value === undefined || k.caps.some((x) => x.macro === c.name)) continue;
        if (recordNames.has(c.name.toLowerCase())) continue;
        const ov = overrides.capVersions[c.name];
        k.caps.push({ id: Number(c.value), macro: c.name, struct: null, versions: ov?.versions ?? [1], line: c.line });
      }
      k.caps.sort((a, b) => a.id - b.id);
    }
  }
  return { capKinds, ...(capHeader ? { capHeader: capHeader.cName } : {}), diagnostics };
}

/**
 * The versions a cap struct's body marks with `/* End of version N *\/` comments (linux/vfio_zdev.h's
 * zPCI BASE and GROUP: members up to the mark are version N's, a later version only appends):
 * 1..N for the highest N, or undefined when the body marks none.
 */
export function markedVersions(r: RecordDecl, ir: IrModule): number[] | undefined {
  if (r.fields.length === 0) return undefined;
  const end = Math.max(...r.fields.map((f) => f.loc.line)) + 1;
  let top = 0;
  for (const c of ir.comments) {
    if (c.file !== r.loc.file || c.line <= r.loc.line || c.line > end) continue;
    const m = /\bEnd of version (\d+)\b/i.exec(c.text);
    if (m) top = Math.max(top, Number(m[1]));
  }
  return top > 0 && top < 256 ? Array.from({ length: top }, (_, i) => i + 1) : undefined;
}

/**
 * Puts the chain offsets (argsz, flags, cap_offset, the CAPS flag's value on that ABI) into every
 * layout table of each info struct, in place: the tables are complete only once the flag values
 * are known.
 */
export function addChainOffsets(
  records: readonly RecordModel[],
  variants: ReadonlyMap<string, LayoutVariant>,
  constantsByAbi: ReadonlyMap<AbiName, ReadonlyMap<string, bigint>>,
): void {
  for (const r of records) {
    if (!r.chain) continue;
    for (const [abi, vname] of Object.entries(r.variantOf)) {
      const t = variants.get(vname)!.table;
      const flag = constantsByAbi.get(abi as AbiName)?.get(r.chain.capsFlag);
      if (flag === undefined) continue;
      t.chain = { argszOffset: t.offsets.argsz!, flagsOffset: t.offsets.flags!, capOffsetOffset: t.offsets.cap_offset!, capsFlag: Number(flag), infoEnd: t.offsets.cap_offset! + 4 };
    }
  }
}
