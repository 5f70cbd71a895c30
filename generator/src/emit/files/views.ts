/**
 * src/views.ts of the package: per struct an interface (ABI-independent), an init type for
 * alloc() and assignment, and a factory that makes its view class from one ABI's layout table.
 */
import {
  IndentationText,
  Project,
  QuoteKind,
  StructureKind,
  type ClassDeclarationStructure,
  type FunctionDeclarationStructure,
  type InterfaceDeclarationStructure,
  type JSDocStructure,
  type OptionalKind,
} from 'ts-morph';
import { symbols, type SymbolEntry } from '@uapi-ts/runtime';
import type { BindingModel, MemberModel, RecordModel, ScalarKind } from '../model/index.js';
import { capHeaderName, doc, importsOf, provenance, type Stmt } from '../print.js';

const ACC: Record<ScalarKind, string> = { u8: 'u8', s8: 's8', u16: 'u16', s16: 's16', u32: 'u32', s32: 's32', u64: 'u64', s64: 's64' };
const is64 = (k: ScalarKind | null): boolean => k === 'u64' || k === 's64';
const cap = (s: string): string => s[0]!.toUpperCase() + s.slice(1);

export function viewsFile(model: BindingModel): Stmt[] {
  const records = new Map(model.records.map((r) => [r.cName, r]));
  const st: Stmt[] = [];
  const rt: SymbolEntry[] = [symbols.BindingView, symbols.BindingLayout, symbols.ViewClass, symbols.Accessors, symbols.Bytes, symbols.CapEntry, symbols.UnknownCap, symbols.CapItemBase, symbols.WalkOptions,
    symbols.flexArray, symbols.fixedArray, symbols.fixedStructArray, symbols.assignArray, symbols.assignFields, symbols.allocView, symbols.walkCaps, symbols.chainOptionsFor, symbols.ArrayAccessor, symbols.FieldSpec, symbols.ChainOptions, symbols.ScalarKind];
  st.push(...importsOf(rt));
  for (const r of model.records) st.push(...recordStatements(model, r, records));
  return st;
}

/** TypeScript types of a member: what the getter returns and what the setter / init accepts. */
function memberTypes(m: MemberModel, records: Map<string, RecordModel>): { get: string; set: string } {
  const s = m.shape;
  switch (s.kind) {
    case 'scalar':
      if (s.varies) return { get: 'number | bigint', set: 'number | bigint' };
      return is64(s.scalar) ? { get: 'bigint', set: 'bigint' } : { get: 'number', set: 'number' };
    case 'bits':
      return is64(s.scalar) ? { get: 'bigint', set: 'bigint' } : { get: 'number', set: 'number' };
    case 'struct': {
      const r = records.get(s.struct)!;
      return { get: r.className, set: `${r.className}Init` };
    }
    case 'array':
      return is64(s.scalar)
        ? { get: 'BigUint64Array | BigInt64Array | ArrayAccessor<bigint>', set: 'ArrayLike<bigint>' }
        : { get: `${typedArrayOf(s.scalar)} | ArrayAccessor<number>`, set: 'ArrayLike<number>' };
    case 'structArray': {
      const r = records.get(s.struct)!;
      return { get: `ArrayAccessor<${r.className}>`, set: `readonly ${r.className}Init[]` };
    }
    case 'bytes':
      return { get: 'Uint8Array', set: 'ArrayLike<number>' };
  }
}

function typedArrayOf(k: ScalarKind | null): string {
  switch (k) {
    case 'u8': return 'Uint8Array';
    case 's8': return 'Int8Array';
    case 'u16': return 'Uint16Array';
    case 's16': return 'Int16Array';
    case 'u32': return 'Uint32Array';
    case 's32': return 'Int32Array';
    default: return 'Uint8Array';
  }
}

/** The view classes a record's class is made with (its struct members' and flexible array's), sorted. */
export function depsOf(r: RecordModel, records: Map<string, RecordModel>): string[] {
  const out = new Set<string>();
  for (const m of r.members) if (m.shape.kind === 'struct' || m.shape.kind === 'structArray') out.add(records.get(m.shape.struct)!.className);
  if (r.flex?.elem.kind === 'struct') out.add(records.get(r.flex.elem.struct)!.className);
  return [...out].sort();
}

/** One struct's statements: its interface, init type, class type, cap union (info structs) and factory. */
function recordStatements(model: BindingModel, r: RecordModel, records: Map<string, RecordModel>): Stmt[] {
  const out: Stmt[] = [];
  const C = r.className;
  const capKind = model.capKinds.find((k) => k.info === r.cName);
  const memberDoc = (m: MemberModel): OptionalKind<JSDocStructure>[] => doc(m.doc ? `${m.doc}\n\nC: \`${m.ctype} ${m.name}\`` : `C: \`${m.ctype} ${m.name}\``);
  // interface
  const iface: InterfaceDeclarationStructure = {
    kind: StructureKind.Interface,
    name: C,
    isExported: true,
    extends: ['BindingView'],
    docs: doc(r.doc ?? `${r.tag} ${r.cName}`, provenance(model, r)).map((d) => ({ ...d, tags: [...(d.tags ?? []), { tagName: 'see', text: `[byte map on every ABI](../docs/layouts.html#${r.cName})` }] })),
    properties: [],
    getAccessors: [],
    setAccessors: [],
    methods: [],
  };
  for (const m of r.members) {
    const t = memberTypes(m, records);
    if (t.get === t.set) iface.properties!.push({ name: m.jsName, type: t.get, docs: memberDoc(m) });
    else {
      iface.getAccessors!.push({ name: m.jsName, returnType: t.get, docs: memberDoc(m) });
      iface.setAccessors!.push({ name: m.jsName, parameters: [{ name: 'v', type: t.set }] });
    }
  }
  if (r.flex) {
    const f = r.flex;
    const ret = f.elem.kind === 'struct' ? `ArrayAccessor<${records.get(f.elem.struct)!.className}>` : is64(f.elem.scalar) ? 'BigUint64Array | BigInt64Array | ArrayAccessor<bigint>' : `${typedArrayOf(f.elem.scalar)} | ArrayAccessor<number>`;
    iface.methods!.push({
      name: f.jsName,
      parameters: [{ name: 'count', type: 'number', hasQuestionToken: f.countedBy !== undefined }],
      returnType: ret,
      docs: doc(`${f.doc ? `${f.doc}\n\n` : ''}Flexible array member \`${f.ctype} ${f.name}[]\`: ${f.countedBy ? `${f.countedBy} elements unless \`count\` is given` : 'the header does not say which member counts it: pass `count`'}; bounds-checked against the buffer.`),
    });
  }
  if (capKind) {
    iface.methods!.push({
      name: 'caps',
      parameters: [{ name: 'opts', type: 'WalkOptions', hasQuestionToken: true }],
      returnType: `IterableIterator<${C}Cap>`,
      docs: [{ description: `The capability chain (when ${capKind.capsFlag} is set in flags): each known cap narrowed to its view by \`id\` (check \`known\` first).\nThe whole chain is checked at the call, before anything is yielded: strict alignment by default, so a pre-6.6 misaligned chain throws CapabilityMisalignedError unless \`{ policy: 'compat' }\`; a reply whose argsz is more than the buffer holds throws ReplyTruncatedError (issue the ioctl again with that argsz; negotiate() does).` }],
    });
  }
  out.push(iface);
  // init type
  out.push({
    kind: StructureKind.Interface,
    name: `${C}Init`,
    isExported: true,
    docs: [{ description: `A plain object for \`${C}.alloc()\` or assignment: omitted members stay zero.` }],
    properties: r.members.map((m) => ({ name: m.jsName, hasQuestionToken: true, type: memberTypes(m, records).set })),
  });
  out.push({
    kind: StructureKind.TypeAlias,
    name: `${C}Class`,
    isExported: true,
    type: `ViewClass<${C}, ${C}Init> & { readonly OFFSETS: { readonly [K in ${r.members.length ? r.members.map((m) => `'${m.name}'`).join(' | ') : 'never'}]: number } }` +
      (capKind ? ' & { chainOptions(opts?: WalkOptions): ChainOptions }' : ''),
  });
  if (capKind) {
    const variants = capKind.caps.map((c) => {
      const view = records.get(c.struct ?? capHeaderName(model))!.className;
      return `(CapItemBase & { readonly known: true; readonly id: ${c.id}; readonly macro: '${c.macro}'; readonly name: '${c.struct ?? capHeaderName(model)}'; readonly view: ${view} })`;
    });
    out.push({ kind: StructureKind.TypeAlias, name: `${C}Cap`, isExported: true, type: [...variants, 'UnknownCap'].join('\n  | '), docs: [{ description: `A capability in the chain of ${r.cName}.` }] });
  }
  // factory
  const deps = depsOf(r, records);
  const cls: ClassDeclarationStructure = {
    kind: StructureKind.Class,
    name: C,
    extends: 'BindingView',
    properties: [
      { name: 'layout', isStatic: true, isReadonly: true, hasOverrideKeyword: true, initializer: 'L' },
      { name: 'SIZE', isStatic: true, isReadonly: true, initializer: 'L.size' },
      { name: 'ALIGN', isStatic: true, isReadonly: true, initializer: 'L.align' },
      { name: 'OFFSETS', isStatic: true, isReadonly: true, initializer: 'O' },
    ],
    ctors: [{ parameters: [{ name: 'buf', type: 'Bytes' }, { name: 'byteOffset', initializer: '0' }], statements: 'super(buf, byteOffset, L.size);' }],
    methods: [
      { name: 'alloc', isStatic: true, parameters: [{ name: 'init', type: `${C}Init`, hasQuestionToken: true }, { name: 'extraBytes', initializer: '0' }], returnType: C, statements: `return allocView(${C}, init, extraBytes);` },
      { name: 'from', isStatic: true, parameters: [{ name: 'buf', type: 'Bytes' }, { name: 'byteOffset', initializer: '0' }], returnType: C, statements: `return new ${C}(buf, byteOffset);` },
    ],
    getAccessors: [],
    setAccessors: [],
  };
  for (const m of r.members) {
    const t = memberTypes(m, records);
    const s = m.shape;
    const o = `O.${m.name}`;
    let get: string;
    let set: string;
    switch (s.kind) {
      case 'scalar':
        if (s.varies) {
          get = `return k.any(this.dv, ${o}, F.${m.name}!.kind as ScalarKind);`;
          set = `k.setAny(this.dv, ${o}, F.${m.name}!.kind as ScalarKind, v);`;
          break;
        }
        get = `return k.${ACC[s.scalar!]}(this.dv, ${o});`;
        set = `k.set${cap(ACC[s.scalar!])}(this.dv, ${o}, v);`;
        break;
      case 'bits':
        get = is64(s.scalar) ? `return k.bits64(this.dv, B.${m.name}!);` : `return k.bits(this.dv, B.${m.name}!);`;
        set = is64(s.scalar) ? `k.setBits64(this.dv, B.${m.name}!, v);` : `k.setBits(this.dv, B.${m.name}!, v);`;
        break;
      case 'struct': {
        const d = records.get(s.struct)!.className;
        get = `return new d.${d}(this.dv, ${o});`;
        set = `assignFields(this.${m.jsName}, v);`;
        break;
      }
      case 'array':
        // The element kind from this ABI's table: plain char is signed on x86, unsigned on arm/ppc/s390/riscv.
        get = `return fixedArray(this.dv, ${o}, F.${m.name}!.kind as ScalarKind, N.${m.name}!, k.le);`;
        set = `assignArray(this.${m.jsName}, v);`;
        break;
      case 'structArray': {
        const d = records.get(s.struct)!.className;
        get = `return fixedStructArray(this.dv, ${o}, N.${m.name}!, d.${d}.SIZE, (dv, off) => new d.${d}(dv, off));`;
        set = `v.forEach((e, i) => assignFields(this.${m.jsName}.get(i), e));`;
        break;
      }
      case 'bytes':
        get = `return new Uint8Array(this.dv.buffer, this.dv.byteOffset + ${o}, F.${m.name}!.size ?? 0);`;
        set = `this.${m.jsName}.set(v);`;
        break;
    }
    cls.getAccessors!.push({ name: m.jsName, returnType: t.get, statements: get });
    cls.setAccessors!.push({ name: m.jsName, parameters: [{ name: 'v', type: t.set }], statements: set });
  }
  if (r.flex) {
    const f = r.flex;
    const make = f.elem.kind === 'struct' ? `, (dv: DataView, off: number) => new d.${records.get(f.elem.struct)!.className}(dv, off)` : '';
    cls.methods!.push({ name: f.jsName, parameters: [{ name: 'count', type: 'number', hasQuestionToken: true }], returnType: iface.methods!.find((x) => x.name === f.jsName)!.returnType as string, statements: `return flexArray(this, L, count${make});` });
  }
  if (capKind) {
    cls.methods!.push({ name: 'caps', parameters: [{ name: 'opts', type: 'WalkOptions', hasQuestionToken: true }], returnType: `IterableIterator<${C}Cap>`, statements: 'return walkCaps(this.dv, L, caps!(), opts);' });
    cls.methods!.push({
      name: 'chainOptions',
      isStatic: true,
      docs: [{ description: `Options for the runtime's own walk and negotiation over this struct's chain (capabilityCursor, negotiateCursor, negotiate): this ABI's offsets, ${capKind.capsFlag}, byte order and caps; strict alignment unless \`{ policy: 'compat' }\`.` }],
      parameters: [{ name: 'opts', type: 'WalkOptions', hasQuestionToken: true }],
      returnType: 'ChainOptions',
      statements: 'return chainOptionsFor(L, caps!(), opts);',
    });
  }
  const usesB = r.members.some((m) => m.shape.kind === 'bits');
  const usesN = r.members.some((m) => m.shape.kind === 'array' || m.shape.kind === 'structArray');
  const usesF = r.members.some((m) => m.shape.kind === 'bytes' || m.shape.kind === 'array' || (m.shape.kind === 'scalar' && m.shape.varies));
  const pre: string[] = [`const O = L.offsets as ${C}Class['OFFSETS'];`];
  if (usesB) pre.push('const B = L.bits ?? {};');
  if (usesN) pre.push('const N = L.counts ?? {};');
  if (usesF) pre.push('const F: Record<string, FieldSpec> = Object.fromEntries(L.fields.map((f) => [f.name, f]));');
  const factory: FunctionDeclarationStructure = {
    kind: StructureKind.Function,
    name: `make_${r.cName}`,
    isExported: true,
    docs: [{ description: `The ${C} class for one ABI's layout table.`, tags: [{ tagName: 'internal' }] }],
    parameters: [
      { name: 'L', type: 'BindingLayout' },
      { name: 'k', type: 'Accessors' },
      ...(deps.length ? [{ name: 'd', type: `{ ${deps.map((x) => `readonly ${x}: ${x}Class`).join('; ')} }` }] : []),
      ...(capKind ? [{ name: 'caps', type: '() => readonly CapEntry[]', hasQuestionToken: true }] : []),
    ],
    returnType: `${C}Class`,
    statements: (w) => {
      for (const p of pre) w.writeLine(p);
      w.writeLine(`return ${printClass(cls)};`);
    },
  };
  out.push(factory);
  return out;
}

/** Print a class structure as an expression (a class declaration printed, then used as a value). */
let scratch: Project | undefined;
function printClass(cls: ClassDeclarationStructure): string {
  scratch ??= new Project({ useInMemoryFileSystem: true, manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single } });
  const sf = scratch.createSourceFile('class.ts', { statements: [cls] }, { overwrite: true });
  return sf.getFullText().trimEnd();
}
