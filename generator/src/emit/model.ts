/**
 * The binding model: everything the TypeScript emitter needs, built from one header's analyses on
 * every ABI. ABI-independent shape (members, docs, caps, ioctls) + per-ABI layout tables, with
 * identical tables shared across ABIs. Pure data: no ts-morph here (decode and tests reuse it).
 */
import type { Diagnostic } from '../diagnostics.js';
import type { Field, IntKind, IrModule, RecordDecl, TypeRef } from '../ir/types.js';
import type { AbiName } from '../layout/abi/index.js';
import { resolveTypedefs } from '../ir/queries.js';
import type { ElementFact, RecordLayout } from '../layout/index.js';
import type { Analysis } from '../pipeline.js';
import { cleanComment, kernelDocMembers } from '../parse/doc.js';
import { stringLiteralBytes } from '../preprocess/expr.js';
import { spellType } from '../ir/spell.js';
import { memberNames, NameTable } from './names.js';
import { OVERRIDES, type Overrides } from './overrides.js';

export type ScalarKind = 'u8' | 's8' | 'u16' | 's16' | 'u32' | 's32' | 'u64' | 's64';

/** JSON-serializable layout table (runtime BindingLayout with struct refs as variant names). */
export interface FieldSpecJson {
  name: string;
  offset: number;
  kind: ScalarKind | 'struct' | 'bytes';
  count?: number;
  bits?: { unit: 1 | 2 | 4 | 8; pos: number; width: number };
  struct?: string;
  size?: number;
}
export interface LayoutJsonTable {
  name: string;
  size: number;
  align: number;
  littleEndian: boolean;
  fields: FieldSpecJson[];
  offsets: Record<string, number>;
  counts?: Record<string, number>;
  bits?: Record<string, [number, 1 | 2 | 4 | 8, number, number, boolean]>;
  flex?: { name: string; offset: number; kind: ScalarKind | 'struct'; elementSize: number; struct?: string; countedBy?: string };
  minArgsz: number;
  chain?: { argszOffset: number; flagsOffset: number; capOffsetOffset: number; capsFlag: number; infoEnd: number };
}

/** ABI-independent member of a struct's view (anonymous members flattened). */
export type MemberShape =
  /** scalar null with `varies`: the kind differs between ABIs (pointers, long): read by the table's kind. */
  | { kind: 'scalar'; scalar: ScalarKind | null; varies?: boolean }
  | { kind: 'bits'; scalar: ScalarKind | null }
  | { kind: 'struct'; struct: string }
  | { kind: 'array'; scalar: ScalarKind | null }
  | { kind: 'structArray'; struct: string }
  | { kind: 'bytes' };

export interface MemberModel {
  name: string;
  /** Property name on the view: the C name, or C name + '_'s where it would shadow a view member (dv, bytes, toJSON, caps, toString...). */
  jsName: string;
  shape: MemberShape;
  ctype: string;
  doc?: string;
  line: number;
}

export interface FlexModel {
  name: string;
  /** Method name on the view (the C name unless it would shadow a view member, as for members). */
  jsName: string;
  elem: { kind: 'scalar'; scalar: ScalarKind } | { kind: 'struct'; struct: string };
  countedBy?: string;
  countedByReason?: string;
  ctype: string;
  doc?: string;
}

export interface RecordModel {
  /** C tag name (synthesized `<parent>_<member>` for anonymous types of named members). */
  cName: string;
  /** Class name: PascalCase of cName, made unique and legal (names.ts). */
  className: string;
  tag: 'struct' | 'union';
  doc?: string;
  line: number;
  members: MemberModel[];
  flex?: FlexModel;
  /** Per ABI: the name of its layout variant. */
  variantOf: Record<string, string>;
  chain?: { capsFlag: string };
}

export interface ConstantModel {
  name: string;
  /** Exported identifier: the C name unless reserved or taken (names.ts). */
  jsName: string;
  doc?: string;
  line: number;
  /** Same on every ABI: the value; else undefined and `perAbi` holds them. */
  value?: bigint;
  perAbi: Record<string, bigint>;
  enumName?: string;
}

/** A macro that expands to a plain string literal (`#define VFIO_DEVICE_API_PCI_STRING "vfio-pci"`). */
export interface StringConstantModel {
  name: string;
  /** Exported identifier: the C name unless reserved or taken (names.ts). */
  jsName: string;
  /** The literal's bytes (without the terminating NUL), one char code 0-255 per byte. */
  value: string;
  doc?: string;
  line: number;
}

export interface EnumModel {
  name: string;
  /** Exported identifier (a const and a type): the C tag unless reserved or taken (names.ts). */
  jsName: string;
  doc?: string;
  line: number;
  members: string[];
}

export interface IoctlModel {
  name: string;
  /** `_IO` / `_IOR` / `_IOW` / `_IOWR` as the doc comment spells the direction, or as defined. */
  dir: string;
  /** The argument struct the doc comment names, if any. */
  arg?: string;
  /** A scalar argument the doc names (`__u32`, `__s32`...). */
  argScalar?: string;
  /** The kernel takes the (integer) argument itself, not a pointer to it. */
  byValue?: boolean;
  doc?: string;
  line: number;
}

export interface CapModel {
  id: number;
  macro: string;
  /** The cap struct, or null for a header-only cap (the struct is vfio_info_cap_header). */
  struct: string | null;
  versions: number[];
  /** Header line of the id macro. */
  line: number;
}

export interface CapKindModel {
  info: string;
  capsFlag: string;
  caps: CapModel[];
}

export interface BindingModel {
  header: string;
  /** Base name of the header file, e.g. vfio.h (for provenance lines). */
  file: string;
  abis: AbiName[];
  records: RecordModel[];
  /** Layout variants in dependency order. */
  variants: Map<string, { table: LayoutJsonTable; abis: AbiName[] }>;
  constants: ConstantModel[];
  /** String-valued macros (the same on every ABI), in header order. */
  strings: StringConstantModel[];
  enums: EnumModel[];
  ioctls: IoctlModel[];
  capKinds: CapKindModel[];
  /** The capability header struct, when the header has one. */
  capHeader?: string;
  diagnostics: Diagnostic[];
}

export function pascal(cName: string): string {
  return cName
    .split('_')
    .filter((p) => p !== '')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

/** The accessor the runtime has for an element's bytes (u8..s64), as the layout stage computed it; null: read as bytes. */
function gridKind(el: ElementFact): ScalarKind | null {
  if (el.kind !== 'scalar') return null;
  const k = el.scalar.kind;
  return k === null || k === 'f32' || k === 'f64' ? null : k;
}

interface FlatMember {
  name: string;
  field: Field;
  /** Byte offset from the start of the outermost record. */
  offset: number;
  layout: RecordLayout['fields'][number];
}

/** Named members with absolute offsets: anonymous struct/union members flattened as C allows. */
function flatten(l: RecordLayout, baseBits: number): FlatMember[] {
  const out: FlatMember[] = [];
  for (const f of l.fields) {
    if (f.name === null) {
      if (f.nested) out.push(...flatten(f.nested, baseBits + f.bitOffset));
      continue;
    }
    out.push({ name: f.name, field: f.field, offset: (baseBits + f.bitOffset) / 8, layout: f });
  }
  return out;
}

function elemOf(t: TypeRef, ir: IrModule): TypeRef {
  let e = resolveTypedefs(t, ir);
  while (e.kind === 'array') e = resolveTypedefs(e.of, ir);
  return e;
}

export interface ModelInput {
  header: string;
  analyses: readonly Analysis[];
  overrides?: Overrides;
}

export function buildModel(input: ModelInput): BindingModel {
  const overrides = input.overrides ?? OVERRIDES;
  const analyses = input.analyses;
  const first = analyses[0]!;
  const ir0 = first.ir;
  const diagnostics: Diagnostic[] = [];
  const file = input.header.split('/').at(-1)!;

  // 1. Which records get a view: named, complete records of the header, plus anonymous record
  //    types of named members (named after the member path).
  const names = new Map<number, string>(); // record id (in ir0) -> cName
  const order: RecordDecl[] = [];
  const usedNames = new Set<string>();
  const visit = (r: RecordDecl, wanted: string): void => {
    if (names.has(r.id)) return;
    // A synthesized name (`<parent>_<member>`) never takes a tag the header uses or another's name.
    let cName = wanted;
    if (r.name === null) while (usedNames.has(cName) || ir0.tags.has(`struct ${cName}`) || ir0.tags.has(`union ${cName}`)) cName += '_';
    usedNames.add(cName);
    // Dependencies first: member record types.
    for (const f of r.fields) {
      const e = elemOf(f.type, ir0);
      if (e.kind !== 'record') continue;
      const sub = ir0.records[e.id]!;
      if (f.name === null) {
        // anonymous member: flattened, but its own named members' types still need views
        visitAnon(sub, cName);
        continue;
      }
      visit(sub, sub.name ?? `${cName}_${f.name}`);
    }
    names.set(r.id, cName);
    order.push(r);
  };
  // The named members of an anonymous member, at any depth (an anonymous union in an anonymous
  // struct is flattened too, and needs no view of its own).
  const visitAnon = (sub: RecordDecl, cName: string): void => {
    for (const g of sub.fields) {
      const ge = elemOf(g.type, ir0);
      if (ge.kind !== 'record') continue;
      const gs = ir0.records[ge.id]!;
      if (g.name === null) visitAnon(gs, cName);
      else visit(gs, gs.name ?? `${cName}_${g.name}`);
    }
  };
  for (const r of ir0.records) {
    if (r.name === null || !r.complete || r.loc.file !== ir0.headerPath) continue;
    if (first.laid.records.get(r.id)?.unsupported) {
      diagnostics.push({ severity: 'warning', code: 'emit-unsupported', message: `struct ${r.name}: no binding (${first.laid.records.get(r.id)!.unsupported})`, ...r.loc });
      continue;
    }
    visit(r, r.name);
  }

  // Record ids differ per ABI only if the preprocessor took different branches; match by cName.
  const idIn = (a: Analysis, r: RecordDecl, cName: string): number | undefined => {
    if (a === first) return r.id;
    if (r.name !== null) return a.ir.tags.get(`${r.tag} ${r.name}`);
    // anonymous: the one declared at the same place (ids shift when an ABI's asm/ headers declare
    // more records, as s390x's and ppc64's do; the header itself may sit under another include dir)
    const base = (f: string): string => f.slice(f.lastIndexOf('/') + 1);
    const cand = a.ir.records.find((x) => x.name === null && x.loc.line === r.loc.line && x.loc.col === r.loc.col && base(x.loc.file) === base(r.loc.file));
    return cand?.id;
  };

  const records: RecordModel[] = [];
  const variants = new Map<string, { table: LayoutJsonTable; abis: AbiName[] }>();
  const variantKeys = new Map<string, string>(); // canonical json -> variant name
  const constantsByAbi = analyses.map((a) => new Map(a.laid.constants.map((c) => [c.name, c.value])));

  // Cap flags: macros defined inside each struct's body (between its first and last member lines).
  const macroLine = new Map(ir0.macros.map((m) => [m.name, m]));

  // Per ABI: record id -> cName (ids differ when the preprocessor took other branches).
  const namesByAbi = analyses.map((a) => {
    const m = new Map<number, string>();
    for (const r of order) {
      const id = idIn(a, r, names.get(r.id)!);
      if (id !== undefined) m.set(id, names.get(r.id)!);
    }
    return m;
  });
  const recordModels = new Map<string, RecordModel>();
  for (const r of order) {
    const cName = names.get(r.id)!;
    const l0 = first.laid.records.get(r.id)!;
    const flat0 = flatten(l0, 0);
    const members: MemberModel[] = [];
    let flex: FlexModel | undefined;
    for (const m of flat0) {
      const f = m.layout;
      const ctype = spellType(f.type, ir0);
      const doc = m.field.doc;
      const el = f.element;
      if (f.flexible) {
        let elem: FlexModel['elem'] | undefined;
        if (el.kind === 'record') elem = { kind: 'struct', struct: names.get(el.id)! };
        else {
          const sc = gridKind(el);
          if (sc) elem = { kind: 'scalar', scalar: sc };
        }
        if (!elem) continue;
        const ov = overrides.countedBy[cName]?.[m.name];
        const countedBy = m.field.attrs.countedBy ?? ov?.member;
        flex = { name: m.name, jsName: m.name, elem, ctype, ...(countedBy ? { countedBy } : {}), ...(ov && !m.field.attrs.countedBy ? { countedByReason: ov.reason } : {}), ...(doc ? { doc } : {}) };
        continue;
      }
      let shape: MemberShape;
      if (f.bitWidth !== undefined) shape = { kind: 'bits', scalar: gridKind(el) };
      else if (f.array && el.kind === 'record') shape = { kind: 'structArray', struct: names.get(el.id)! };
      else if (f.array) {
        const sc = gridKind(el);
        shape = sc ? { kind: 'array', scalar: sc } : { kind: 'bytes' };
      } else if (el.kind === 'record') shape = { kind: 'struct', struct: names.get(el.id)! };
      else {
        const sc = gridKind(el);
        shape = sc ? { kind: 'scalar', scalar: sc } : { kind: 'bytes' };
      }
      members.push({ name: m.name, jsName: m.name, shape, ctype, line: m.field.loc.line, ...(doc ? { doc } : {}) });
    }
    const js = memberNames([...members.map((x) => x.name), ...(flex ? [flex.name] : [])]);
    members.forEach((x, i) => (x.jsName = js[i]!));
    if (flex) flex.jsName = js[members.length]!;
    const rm: RecordModel = {
      cName,
      className: '',
      tag: r.tag,
      line: r.loc.line,
      members,
      variantOf: {},
      ...(r.doc ? { doc: r.doc } : {}),
      ...(flex ? { flex } : {}),
    };
    // Capability chain: a cap_offset member plus a *_CAPS flag defined in the body (or an override).
    if (members.some((m) => m.name === 'cap_offset') && members.some((m) => m.name === 'flags') && members.some((m) => m.name === 'argsz')) {
      const last = Math.max(...r.fields.map((f) => f.loc.line));
      const inBody = ir0.macros.filter((m) => m.loc.file === ir0.headerPath && m.loc.line > r.loc.line && m.loc.line < last + 1 && /_CAPS$/.test(m.name));
      const flag = overrides.capsFlag[cName]?.macro ?? (inBody.length === 1 ? inBody[0]!.name : undefined);
      if (flag) rm.chain = { capsFlag: flag };
      else diagnostics.push({ severity: 'warning', code: 'emit-caps-flag', message: `${cName} has cap_offset but no *_CAPS flag inside its body; add it to emit/overrides.ts capsFlag`, ...r.loc });
    }

    // A binding needs the record on every ABI, with the same struct types inside: else it (and
    // whatever embeds it) gets none, with a warning, rather than a package that does not compile.
    const needs = [...members.flatMap((x) => (x.shape.kind === 'struct' || x.shape.kind === 'structArray' ? [x.shape.struct] : [])), ...(flex?.elem.kind === 'struct' ? [flex.elem.struct] : [])];
    const missingDep = needs.find((d) => !recordModels.has(d));
    if (missingDep !== undefined) {
      diagnostics.push({ severity: 'warning', code: 'emit-unsupported', message: `${r.tag} ${cName}: no binding (it contains ${missingDep}, which has none)`, ...r.loc });
      continue;
    }
    const tables: { abi: AbiName; table: LayoutJsonTable }[] = [];
    let unsupported: string | undefined;
    analyses.forEach((a, ai) => {
      if (unsupported) return;
      const id = idIn(a, r, cName);
      const l = id === undefined ? undefined : a.laid.records.get(id);
      if (!l || l.unsupported) {
        unsupported = `no layout on ${a.abi.name}`;
        return;
      }
      try {
        tables.push({ abi: a.abi.name, table: tableOf(rm, l, a, namesByAbi[ai]!, recordModels) });
      } catch (e) {
        if (!(e instanceof AbiMismatch)) throw e;
        unsupported = e.message;
      }
    });
    if (unsupported) {
      diagnostics.push({ severity: 'warning', code: 'emit-unsupported', message: `${r.tag} ${cName}: no binding (${unsupported})`, ...r.loc });
      continue;
    }
    for (const { abi, table } of tables) {
      const key = JSON.stringify(table);
      let vname = variantKeys.get(key);
      if (!vname) {
        const n = [...variants.keys()].filter((k) => k.startsWith(`${cName}$`)).length;
        vname = `${cName}$${n}`;
        variantKeys.set(key, vname);
        variants.set(vname, { table, abis: [] });
      }
      variants.get(vname)!.abis.push(abi);
      rm.variantOf[abi] = vname;
    }
    recordModels.set(cName, rm);
    records.push(rm);
  }

  // Members whose scalar kind differs between ABIs (pointers, long) are read by each table's kind.
  for (const r of records) {
    for (const m of r.members) {
      if (m.shape.kind !== 'scalar' || m.shape.scalar === null) continue;
      const kinds = new Set(Object.values(r.variantOf).map((v) => variants.get(v)!.table.fields.find((f) => f.name === m.name)?.kind));
      if (kinds.size > 1) m.shape = { kind: 'scalar', scalar: null, varies: true };
    }
  }

  // 2. Constants: every integer macro and enumerator of the header, same value on all ABIs or per ABI.
  const enumOf = new Map<string, string>();
  const enums: EnumModel[] = [];
  for (const e of ir0.enums) {
    if (e.loc.file !== ir0.headerPath) continue;
    if (e.name) {
      enums.push({ name: e.name, jsName: e.name, line: e.loc.line, members: e.enumerators.map((x) => x.name), ...(e.doc ? { doc: e.doc } : {}) });
      for (const x of e.enumerators) enumOf.set(x.name, e.name);
    }
  }
  const constants: ConstantModel[] = [];
  const seen = new Set<string>();
  for (const c of first.laid.constants) {
    if (seen.has(c.name)) continue;
    seen.add(c.name);
    const perAbi: Record<string, bigint> = {};
    analyses.forEach((a, i) => {
      const v = constantsByAbi[i]!.get(c.name);
      if (v !== undefined) perAbi[a.abi.name] = v;
    });
    const vals = new Set(Object.values(perAbi));
    const macro = macroLine.get(c.name);
    const en = ir0.enums.flatMap((e) => e.enumerators).find((x) => x.name === c.name);
    const loc = macro?.loc ?? en?.loc;
    const doc = macro?.doc ?? en?.doc;
    constants.push({
      name: c.name,
      jsName: c.name,
      line: loc?.line ?? 0,
      perAbi,
      ...(vals.size === 1 && Object.keys(perAbi).length === analyses.length ? { value: c.value } : {}),
      ...(doc ? { doc } : {}),
      ...(enumOf.has(c.name) ? { enumName: enumOf.get(c.name)! } : {}),
    });
  }

  // 2b. String constants: a macro whose expansion is string literals only, equal on every ABI
  //     (one that differs by ABI would need a per-ABI table; none does in uapi).
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
    strings.push({ name: m.name, jsName: m.name, value, line: m.loc.line, ...(m.doc ? { doc: m.doc } : {}) });
  }

  // 3. Ioctls: macros defined as _IO*(...); the doc comment `NAME - _IOx(type, nr, struct s)` names the argument.
  const docs = ir0.comments.map((c) => cleanComment(c.text) ?? '');
  const ioctls: IoctlModel[] = [];
  for (const m of ir0.macros) {
    if (m.loc.file !== ir0.headerPath) continue;
    const def = /^\s*(_IO[RW]*)\s*\(/.exec(m.body);
    if (!def) continue;
    const esc = m.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`(?:^|\\n)\\s*${esc}\\s*-\\s*(_IO[RW]*)\\s*\\(([^)]*)\\)`);
    let dir = def[1]!;
    let arg: string | undefined;
    let argScalar: string | undefined;
    let doc: string | undefined;
    for (const d of docs) {
      const hit = re.exec(d);
      if (!hit) continue;
      dir = hit[1]!;
      const params = hit[2]!.split(',').map((s) => s.replace(/\s+/g, ' ').trim());
      const third = params[2];
      if (third) {
        const sm = /^struct (\w+)$/.exec(third);
        if (sm) arg = sm[1]!;
        else argScalar = third;
      }
      doc = d;
      break;
    }
    const ov = overrides.ioctlArg[m.name];
    if (ov) {
      arg = ov.struct;
      argScalar = undefined;
    }
    if (arg && !recordModels.has(arg)) {
      diagnostics.push({ severity: 'warning', code: 'emit-ioctl-arg', message: `${m.name}: its doc names struct ${arg}, which this header does not define`, ...m.loc });
    }
    ioctls.push({ name: m.name, dir, line: m.loc.line, ...(arg ? { arg } : {}), ...(argScalar ? { argScalar } : {}), ...(overrides.ioctlByValue[m.name] ? { byValue: true } : {}), ...(doc ? { doc } : {}) });
  }

  // An ioctl is only bound with its request number: a header that uses _IOWR without including
  // <linux/ioctl.h> (cec.h) leaves the macro unevaluated on every ABI.
  for (const io of ioctls.splice(0)) {
    if (constants.some((c) => c.name === io.name)) {
      ioctls.push(io);
      continue;
    }
    const m = macroLine.get(io.name);
    diagnostics.push({ severity: 'warning', code: 'emit-ioctl-request', message: `${io.name}: no binding (its request number does not evaluate; does the header include <linux/ioctl.h>?)`, file: m?.loc.file ?? ir0.headerPath, line: io.line, col: m?.loc.col ?? 1 });
  }

  // An ioctl's request constant without a comment of its own takes the doc block that names it
  // (`NAME - _IOx(...)`), which the kernel puts above the argument struct rather than the #define.
  for (const io of ioctls) {
    const c = constants.find((x) => x.name === io.name);
    if (c && c.doc === undefined && io.doc !== undefined) c.doc = io.doc;
    // The block sits above the first struct after it, which is not always the struct it names
    // (VFIO_DEVICE_GET_PCI_HOT_RESET_INFO's precedes vfio_pci_dependent_device, an element of
    // vfio_pci_hot_reset_info): the named struct gets it too when it has no doc of its own.
    const named = io.arg === undefined ? undefined : recordModels.get(io.arg);
    if (named && named.doc === undefined && io.doc !== undefined) named.doc = io.doc;
  }

  // Kernel-doc member lines in a struct's block (`@iommufd: iommufd to bind.`) document those
  // members too, after a comment of the member's own.
  for (const r of records) {
    if (r.doc === undefined || !r.doc.includes('@')) continue;
    const kdoc = kernelDocMembers(r.doc);
    for (const m of [...r.members, ...(r.flex ? [r.flex] : [])]) {
      const d = kdoc.get(m.name);
      if (d !== undefined && !(m.doc ?? '').includes(d)) m.doc = m.doc === undefined ? d : `${m.doc}\n\n${d}`;
    }
  }

  // 4. Capabilities: a cap struct begins with `struct vfio_info_cap_header header`-like member (the
  //    record the chain's caps start with); its id macro is its name in capitals; it belongs to the
  //    info struct whose name is its longest prefix. Header-only caps: `<INFO>_CAP_<X>` integer macros
  //    with no struct of that name.
  const infos = records.filter((r) => r.chain);
  const capKinds: CapKindModel[] = infos.map((r) => ({ info: r.cName, capsFlag: r.chain!.capsFlag, caps: [] }));
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
        diagnostics.push({ severity: 'warning', code: 'emit-cap-id', message: `cap struct ${r.cName} has no id macro ${macro}`, file: ir0.headerPath, line: r.line, col: 1 });
        continue;
      }
      const ov = overrides.capVersions[r.cName];
      k.caps.push({ id: Number(id), macro, struct: r.cName, versions: ov?.versions ?? [1], line: macroLine.get(macro)?.loc.line ?? r.line });
    }
    for (const k of capKinds) {
      const prefix = `${k.info.toUpperCase()}_CAP_`;
      for (const c of constants) {
        if (!c.name.startsWith(prefix) || c.value === undefined || k.caps.some((x) => x.macro === c.name)) continue;
        if (recordModels.has(c.name.toLowerCase())) continue;
        const ov = overrides.capVersions[c.name];
        k.caps.push({ id: Number(c.value), macro: c.name, struct: null, versions: ov?.versions ?? [1], line: c.line });
      }
      k.caps.sort((a, b) => a.id - b.id);
    }
  }
  // Chain offsets go into each info struct's tables now that the flag values are known.
  for (const r of infos) {
    for (const [abi, vname] of Object.entries(r.variantOf)) {
      const t = variants.get(vname)!.table;
      const ai = analyses.findIndex((a) => a.abi.name === abi);
      const flag = constantsByAbi[ai]!.get(r.chain!.capsFlag);
      if (flag === undefined) continue;
      t.chain = { argszOffset: t.offsets.argsz!, flagsOffset: t.offsets.flags!, capOffsetOffset: t.offsets.cap_offset!, capsFlag: Number(flag), infoEnd: t.offsets.cap_offset! + 4 };
    }
  }

  // 5. TypeScript names, in a fixed order (structs, enums, constants; header order within each).
  const table = new NameTable();
  for (const r of records) r.className = table.claim(pascal(r.cName) || r.cName, ['', 'Init', 'Class', ...(r.chain ? ['Cap'] : [])]);
  for (const e of enums) e.jsName = table.claim(e.name);
  for (const c of constants) c.jsName = table.claim(c.name);
  for (const c of strings) c.jsName = table.claim(c.name);

  return { ...(capHeader ? { capHeader: capHeader.cName } : {}), header: input.header, file, abis: analyses.map((a) => a.abi.name), records, variants, constants, strings, enums, ioctls, capKinds, diagnostics };
}

function tableOf(
  rm: RecordModel,
  l: RecordLayout,
  a: Analysis,
  names: Map<number, string>,
  models: Map<string, RecordModel>,
): LayoutJsonTable {
  const flat = flatten(l, 0);
  const fields: FieldSpecJson[] = [];
  // Without a prototype: a member named __proto__ is a key like any other.
  const offsets = Object.create(null) as Record<string, number>;
  const bits = Object.create(null) as NonNullable<LayoutJsonTable['bits']>;
  const counts = Object.create(null) as Record<string, number>;
  let flex: LayoutJsonTable['flex'];
  let minArgsz = 0;
  for (const m of flat) {
    const f = m.layout;
    const el = f.element;
    if (f.flexible) {
      const fm = rm.flex;
      if (!fm || fm.name !== m.name) continue;
      if (fm.elem.kind === 'struct' && (el.kind !== 'record' || names.get(el.id) !== fm.elem.struct)) {
        throw new AbiMismatch(`flexible array ${m.name} is ${spellType(f.type, a.ir)} on ${a.abi.name}, ${fm.ctype} on another ABI`);
      }
      const kind = fm.elem.kind === 'struct' ? 'struct' : (gridKind(el) ?? fm.elem.scalar);
      flex = { name: m.name, offset: m.offset, kind, elementSize: el.size, ...(fm.elem.kind === 'struct' ? { struct: variantName(models, fm.elem.struct, a) } : {}), ...(fm.countedBy ? { countedBy: fm.countedBy } : {}) };
      continue;
    }
    if (f.bitWidth !== undefined) {
      // The layout stage's access window, moved from the containing (anonymous) record to the struct.
      const base = (m.offset * 8 - f.bitOffset) / 8;
      const w = f.window!;
      const off = base + w.offset;
      const sc = gridKind(el) ?? 'u32';
      fields.push({ name: m.name, offset: off, kind: sc, bits: { unit: w.size, pos: w.pos, width: f.bitWidth } });
      bits[m.name] = [off, w.size, w.pos, f.bitWidth, el.kind === 'scalar' && el.scalar.signed];
      offsets[m.name] = off;
      minArgsz = Math.max(minArgsz, Math.ceil((off * 8 + w.pos + f.bitWidth) / 8));
      continue;
    }
    offsets[m.name] = m.offset;
    minArgsz = Math.max(minArgsz, m.offset + f.size);
    if (el.kind === 'record') {
      const expected = rm.members.find((x) => x.name === m.name)?.shape;
      const actual = names.get(el.id);
      if (!expected || (expected.kind !== 'struct' && expected.kind !== 'structArray') || actual !== expected.struct) {
        throw new AbiMismatch(`member ${m.name} is ${spellType(f.type, a.ir)} on ${a.abi.name}, ${rm.members.find((x) => x.name === m.name)?.ctype ?? 'another type'} on another ABI`);
      }
      const struct = variantName(models, actual, a);
      if (f.array) counts[m.name] = f.array.count;
      fields.push(f.array ? { name: m.name, offset: m.offset, kind: 'struct', struct, count: f.array.count } : { name: m.name, offset: m.offset, kind: 'struct', struct });
      continue;
    }
    const sc = gridKind(el);
    if (!sc) {
      fields.push({ name: m.name, offset: m.offset, kind: 'bytes', size: f.size });
      continue;
    }
    if (f.array) counts[m.name] = f.array.count;
    fields.push(f.array ? { name: m.name, offset: m.offset, kind: sc, count: f.array.count } : { name: m.name, offset: m.offset, kind: sc });
  }
  const t: LayoutJsonTable = { name: rm.cName, size: l.size, align: l.align, littleEndian: a.abi.endian === 'little', fields, offsets, minArgsz };
  if (Object.keys(counts).length > 0) t.counts = counts;
  if (Object.keys(bits).length > 0) t.bits = bits;
  if (flex) t.flex = flex;
  return t;
}

/** A record whose members have other struct types on another ABI (asm/ typedefs): no binding. */
class AbiMismatch extends Error {}

function variantName(models: Map<string, RecordModel>, cName: string, a: Analysis): string {
  const m = models.get(cName);
  const v = m?.variantOf[a.abi.name];
  if (!v) throw new Error(`internal: no layout variant of ${cName} on ${a.abi.name} yet`);
  return v;
}
