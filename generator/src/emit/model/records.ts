/**
 * Records of the binding model: which records get a view, the ABI-independent shape of their
 * members, and their layout tables on every ABI, with identical tables shared as one variant.
 * Every byte fact (offset, size, element kind, count, bitfield window) is the layout stage's; this
 * file only arranges them into the tables the runtime reads.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { inHeader, type Field, type IrModule, type RecordDecl, type TypeRef } from '../../ir/types.js';
import type { AbiName } from '../../layout/abi/index.js';
import { otherHeaderFile, resolveTypedefs } from '../../ir/queries.js';
import type { ElementFact, RecordLayout } from '../../layout/index.js';
import type { Analysis } from '../../pipeline.js';
import { spellType } from '../../ir/spell.js';
import { memberNames } from '../names.js';
import type { Overrides } from '../overrides.js';
import { chainOf } from './capabilities.js';
import type { FieldSpecJson, FlexModel, LayoutJsonTable, LayoutVariant, MemberModel, MemberShape, RecordModel, ScalarKind } from './types.js';

export interface Records {
  /** The records that get a binding, dependencies first. */
  records: RecordModel[];
  /** The same records by C name. */
  byName: ReadonlyMap<string, RecordModel>;
  /** Layout variants in dependency order. */
  variants: Map<string, LayoutVariant>;
  diagnostics: Diagnostic[];
}

/**
 * The records of a header that get a binding, their members and their per-ABI layout variants.
 * A record without a layout on some ABI, or whose members have other struct types on another ABI,
 * gets none (nor does whatever embeds it), with a warning.
 */
export function buildRecords(analyses: readonly Analysis[], overrides: Overrides): Records {
  const first = analyses[0]!;
  const ir0 = first.ir;
  const diagnostics: Diagnostic[] = [];
  const { names, order } = selectRecords(first, diagnostics);

  // Per ABI: record id -> cName (ids differ when the preprocessor took other branches).
  const namesByAbi = analyses.map((a) => {
    const m = new Map<number, string>();
    for (const r of order) {
      const id = idIn(a, first, r);
      if (id !== undefined) m.set(id, names.get(r.id)!);
    }
    return m;
  });

  const records: RecordModel[] = [];
  const byName = new Map<string, RecordModel>();
  const variants = new Map<string, LayoutVariant>();
  const variantKeys = new Map<string, string>(); // canonical json -> variant name
  for (const r of order) {
    const cName = names.get(r.id)!;
    const { members, flex } = memberModels(first.laid.records.get(r.id)!, cName, ir0, names, overrides);
    const rm: RecordModel = {
      cName,
      className: '',
      tag: r.tag,
      line: r.loc.line,
      ...(otherHeaderFile(ir0, r.loc) ? { file: otherHeaderFile(ir0, r.loc)! } : {}),
      members,
      variantOf: {},
      ...(r.doc ? { doc: r.doc } : {}),
      ...(flex ? { flex } : {}),
    };
    const chain = chainOf(r, cName, members, ir0, overrides);
    if (chain?.chain) rm.chain = chain.chain;
    if (chain?.diagnostic) diagnostics.push(chain.diagnostic);

    // A binding needs the record on every ABI, with the same struct types inside: else it (and
    // whatever embeds it) gets none, with a warning, rather than a package that does not compile.
    const needs = [...members.flatMap((x) => (x.shape.kind === 'struct' || x.shape.kind === 'structArray' ? [x.shape.struct] : [])), ...(flex?.elem.kind === 'struct' ? [flex.elem.struct] : [])];
    const missingDep = needs.find((d) => !byName.has(d));
    if (missingDep !== undefined) {
      diagnostics.push({ severity: 'warning', code: 'emit-unsupported', message: `${r.tag} ${cName}: no binding (it contains ${missingDep}, which has none)`, ...r.loc });
      continue;
    }
    const tables: { abi: AbiName; table: LayoutJsonTable }[] = [];
    let unsupported: string | undefined;
    analyses.forEach((a, ai) => {
      if (unsupported) return;
      const id = idIn(a, first, r);
      const l = id === undefined ? undefined : a.laid.records.get(id);
      if (!l || l.unsupported) {
        unsupported = `no layout on ${a.abi.name}`;
        return;
      }
      try {
        tables.push({ abi: a.abi.name, table: tableOf(rm, l, a, namesByAbi[ai]!, byName) });
      } catch (e) {
        if (!(e instanceof AbiMismatch) && !(e instanceof UnbindableMember)) throw e;
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
    byName.set(cName, rm);
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
  return { records, byName, variants, diagnostics };
}

/**
 * Which records get a view: named, complete records of the header, plus anonymous record types of
 * named members (named after the member path), dependencies first. Ids are the first ABI's.
 */
function selectRecords(first: Analysis, diagnostics: Diagnostic[]): { names: Map<number, string>; order: RecordDecl[] } {
  const ir0 = first.ir;
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
    if (r.name === null || !r.complete || !inHeader(ir0, r.loc)) continue;
    if (first.laid.records.get(r.id)?.unsupported) {
      diagnostics.push({ severity: 'warning', code: 'emit-unsupported', message: `struct ${r.name}: no binding (${first.laid.records.get(r.id)!.unsupported})`, ...r.loc });
      continue;
    }
    visit(r, r.name);
  }
  return { names, order };
}

/**
 * The id in `a` of a record of the first ABI's IR. Record ids differ per ABI only if the
 * preprocessor took different branches; a named record is matched by its tag.
 */
function idIn(a: Analysis, first: Analysis, r: RecordDecl): number | undefined {
  if (a === first) return r.id;
  if (r.name !== null) return a.ir.tags.get(`${r.tag} ${r.name}`);
  // anonymous: the one declared at the same place (ids shift when an ABI's asm/ headers declare
  // more records, as s390x's and ppc64's do; the header itself may sit under another include dir)
  const base = (f: string): string => f.slice(f.lastIndexOf('/') + 1);
  const cand = a.ir.records.find((x) => x.name === null && x.loc.line === r.loc.line && x.loc.col === r.loc.col && base(x.loc.file) === base(r.loc.file));
  return cand?.id;
}

/** The view's members (anonymous ones flattened) and flexible array, from the first ABI's layout. */
function memberModels(l0: RecordLayout, cName: string, ir0: IrModule, names: ReadonlyMap<number, string>, overrides: Overrides): { members: MemberModel[]; flex?: FlexModel } {
  const members: MemberModel[] = [];
  let flex: FlexModel | undefined;
  for (const m of flatten(l0, 0)) {
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
  return { members, ...(flex ? { flex } : {}) };
}

/**
 * One ABI's layout table of a record whose model was built from the first ABI. Throws AbiMismatch
 * when a member's struct type differs from the model's (asm/ typedefs).
 */
function tableOf(
  rm: RecordModel,
  l: RecordLayout,
  a: Analysis,
  names: ReadonlyMap<number, string>,
  models: ReadonlyMap<string, RecordModel>,
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
        throw new AbiMismatch('flexible array', m.name, a.abi.name, spellType(f.type, a.ir), fm.ctype);
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
      // Packed records can put a bitfield where no 1/2/4/8-byte unit inside the struct holds it (a
      // 62-bit field at bit 4, a 33-bit field in a 5-byte union): gcc lays it out, but the runtime's
      // accessors read one such unit, so the record gets no binding rather than a wrong one.
      if (w.pos + f.bitWidth > w.size * 8 || off < 0 || off + w.size > l.size) {
        throw new UnbindableMember(`bitfield ${m.name} has no 1-, 2-, 4- or 8-byte access window inside ${rm.cName} on ${a.abi.name} (bits ${m.offset * 8}..${m.offset * 8 + f.bitWidth - 1} of a ${l.size}-byte record)`);
      }
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
        throw new AbiMismatch('member', m.name, a.abi.name, spellType(f.type, a.ir), rm.members.find((x) => x.name === m.name)?.ctype ?? 'another type');
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

/**
 * A record whose members have other struct types on another ABI (asm/ typedefs): it gets no
 * binding. Thrown by tableOf, caught by buildRecords, which turns it into a warning.
 */
export class AbiMismatch extends Error {
  override readonly name = 'AbiMismatch';
  constructor(
    /** `member` or `flexible array`. */
    readonly what: 'member' | 'flexible array',
    /** The member's C name. */
    readonly member: string,
    /** The ABI whose layout disagrees with the model. */
    readonly abi: AbiName,
    /** The member's C type on that ABI. */
    readonly ctype: string,
    /** Its C type in the model (built from the first ABI). */
    readonly modelCtype: string,
  ) {
    super(`${what} ${member} is ${ctype} on ${abi}, ${modelCtype} on another ABI`);
  }
}

/** A member gcc lays out that the runtime's accessors cannot read (its record gets no binding, with a warning). */
export class UnbindableMember extends Error {
  override readonly name = 'UnbindableMember';
}

function variantName(models: ReadonlyMap<string, RecordModel>, cName: string, a: Analysis): string {
  const m = models.get(cName);
  const v = m?.variantOf[a.abi.name];
  if (!v) throw new Error(`internal: no layout variant of ${cName} on ${a.abi.name} yet`);
  return v;
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

/** The element type of a (possibly multi-dimensional) array type, typedefs resolved. */
function elemOf(t: TypeRef, ir: IrModule): TypeRef {
  let e = resolveTypedefs(t, ir);
  while (e.kind === 'array') e = resolveTypedefs(e.of, ir);
  return e;
}
