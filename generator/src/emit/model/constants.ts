/**
 * Constants of the binding model: every integer macro and enumerator of the header (one value on
 * all ABIs, or a value per ABI), string macros, and named enums.
 */
import { inHeader, type IrModule } from '../../ir/types.js';
import { otherHeaderFile } from '../../ir/queries.js';
import type { AbiName } from '../../layout/abi/index.js';
import type { Analysis } from '../../pipeline.js';
import type { Diagnostic } from '../../diagnostics.js';
import { stringLiteralBytes } from '../../preprocess/expr.js';
import type { ConstantModel, EnumModel, StringConstantModel } from './types.js';

export interface Constants {
  /** Integer constants in the first ABI's order, each once. */
  constants: ConstantModel[];
  /** String-valued macros (the same on every ABI), in header order. */
  strings: StringConstantModel[];
  /** Named enums of the header. */
  enums: EnumModel[];
  /** Macros that look like constants but get no binding (a floating value, a string C escapes we cannot read), said. */
  diagnostics: Diagnostic[];
}

/** Per ABI: the value of every integer constant the layout stage evaluated (the last one of a name). */
export function constantValuesByAbi(analyses: readonly Analysis[]): Map<AbiName, Map<string, bigint>> {
  return new Map(analyses.map((a) => [a.abi.name, new Map(a.laid.constants.map((c) => [c.name, c.value]))]));
}

export function buildConstants(analyses: readonly Analysis[], valuesByAbi: ReadonlyMap<AbiName, ReadonlyMap<string, bigint>>): Constants {
  const first = analyses[0]!;
  const ir0 = first.ir;
  const enums = buildEnums(ir0);
  const enumOf = new Map(enums.flatMap((e) => e.members.map((x) => [x, e.name] as const)));
  const macros = new Map(ir0.macros.map((m) => [m.name, m]));

  // Integer constants: same value on all ABIs, or per ABI.
  const constants: ConstantModel[] = [];
  const seen = new Set<string>();
  for (const c of first.laid.constants) {
    if (seen.has(c.name)) continue;
    seen.add(c.name);
    const perAbi: Record<string, bigint> = {};
    for (const a of analyses) {
      const v = valuesByAbi.get(a.abi.name)!.get(c.name);
      if (v !== undefined) perAbi[a.abi.name] = v;
    }
    const vals = new Set(Object.values(perAbi));
    const macro = macros.get(c.name);
    const en = ir0.enums.flatMap((e) => e.enumerators).find((x) => x.name === c.name);
    const loc = macro?.loc ?? en?.loc;
    const doc = macro?.doc ?? en?.doc;
    constants.push({
      name: c.name,
      jsName: c.name,
      line: loc?.line ?? 0,
      ...(otherHeaderFile(ir0, loc) ? { file: otherHeaderFile(ir0, loc)! } : {}),
      perAbi,
      ...(vals.size === 1 && Object.keys(perAbi).length === analyses.length ? { value: c.value } : {}),
      ...(doc ? { doc } : {}),
      ...(enumOf.has(c.name) ? { enumName: enumOf.get(c.name)! } : {}),
    });
  }

  // String constants: a macro whose expansion is string literals only, equal on every ABI
  // (one that differs by ABI would need a per-ABI table; none does in uapi).
  const strings: StringConstantModel[] = [];
  const stringsByAbi = analyses.map((a) => new Map(a.ir.macros.map((m) => {
    const bytes = stringLiteralBytes(m.expansion);
    return [m.name, bytes === undefined ? undefined : String.fromCharCode(...bytes)];
  })));
  for (const m of ir0.macros) {
    const value = stringsByAbi[0]!.get(m.name);
    if (value === undefined || seen.has(m.name)) continue;
    if (!stringsByAbi.every((byName) => byName.get(m.name) === value)) continue;
    seen.add(m.name);
    strings.push({ name: m.name, jsName: m.name, value, line: m.loc.line, ...(otherHeaderFile(ir0, m.loc) ? { file: otherHeaderFile(ir0, m.loc)! } : {}), ...(m.doc ? { doc: m.doc } : {}) });
  }
  // Nothing the header defines as a value vanishes in silence.
  const diagnostics: Diagnostic[] = [];
  for (const m of ir0.macros) {
    if (seen.has(m.name) || !inHeader(ir0, m.loc) || m.expansion.length === 0) continue;
    const dropped = (why: string): number => diagnostics.push({ severity: 'warning', code: 'emit-constant-dropped', message: `${m.name} (${m.body}) gets no binding: ${why}`, ...m.loc });
    if (m.expansion.every((t) => t.kind === 'string')) dropped(m.expansion.some((t) => !t.text.startsWith('"')) ? 'a wide or UTF-16/32 string literal' : 'a string literal with an escape C does not define');
    else if (m.expansion.length === 1 && m.expansion[0]!.kind === 'number' && /^(0[xX][0-9a-fA-F.]*[pP]|[0-9]*\.|[0-9.]+[eE])/.test(m.expansion[0]!.text)) dropped('a floating-point constant (uapi-ts binds integer and string constants)');
    else if (stringsByAbi[0]!.get(m.name) !== undefined) dropped('a string whose bytes differ between ABIs');
  }
  return { constants, strings, enums, diagnostics };
}

/** The named enums declared in the header itself (their enumerators are constants too). */
function buildEnums(ir: IrModule): EnumModel[] {
  const enums: EnumModel[] = [];
  for (const e of ir.enums) {
    if (!inHeader(ir, e.loc) || !e.name) continue;
    enums.push({ name: e.name, jsName: e.name, line: e.loc.line, ...(otherHeaderFile(ir, e.loc) ? { file: otherHeaderFile(ir, e.loc)! } : {}), members: e.enumerators.map((x) => x.name), ...(e.doc ? { doc: e.doc } : {}) });
  }
  return enums;
}
