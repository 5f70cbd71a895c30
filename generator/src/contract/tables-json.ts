/**
 * The decode tables (`tables.json` of a generated package, read by `uapi-ts decode --tables`),
 * described once: the TypeBox schema below is JSON Schema, its `Static` type is the TypeScript type
 * (assignable to the runtime's TablesJson), and docs/tables-json.md prints it. `tablesProblems`
 * adds what a schema cannot say: every name a table uses exists, and every byte a field, bitfield,
 * flexible array or chain header names lies inside its struct, so that decoding tables that pass
 * can never read outside a buffer. Keep it compatible: add keys, never change or drop them.
 */
import { SCALAR_SIZE, type ScalarKind } from '@uapi-ts/runtime';
import { Type, type Static } from '@sinclair/typebox';
import { DECIMAL } from './layout-json.js';
import type { Problem } from './validate.js';

const Bytes = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const U32 = Type.Integer({ minimum: 0, maximum: 0xffffffff });
const U16 = Type.Integer({ minimum: 0, maximum: 0xffff });
const SCALAR_KINDS = ['u8', 's8', 'u16', 's16', 'u32', 's32', 'u64', 's64'] as const;
const Scalar = Type.Union(SCALAR_KINDS.map((k) => Type.Literal(k)));
const Unit = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(4), Type.Literal(8)]);
const Width = Type.Integer({ minimum: 1, maximum: 64 });

/** One member of a layout table; nested structs are named by their layout variant. */
export const FieldTableJsonSchema = Type.Object({
  name: Type.String(),
  /** Byte offset from the start of the struct (bitfields: of the storage unit). */
  offset: Bytes,
  kind: Type.Union([Scalar, Type.Literal('struct'), Type.Literal('bytes')]),
  /** Fixed array element count. */
  count: Type.Optional(Bytes),
  /** Bitfield: storage unit size in bytes, bit position in allocation order, width in bits. */
  bits: Type.Optional(Type.Object({ unit: Unit, pos: Bytes, width: Width })),
  /** Layout variant of a member of kind 'struct'. */
  struct: Type.Optional(Type.String()),
  /** Size of a member of kind 'bytes'. */
  size: Type.Optional(Bytes),
});

/** A struct's layout on one ABI (the runtime's BindingLayout, nested structs by variant name). */
export const LayoutTableJsonSchema = Type.Object({
  name: Type.String(),
  size: Bytes,
  align: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  littleEndian: Type.Boolean(),
  fields: Type.Array(FieldTableJsonSchema),
  offsets: Type.Record(Type.String(), Bytes),
  counts: Type.Optional(Type.Record(Type.String(), Bytes)),
  /** Bitfield windows: [unit byte offset, unit size, bit position, width, signed]. */
  bits: Type.Optional(Type.Record(Type.String(), Type.Tuple([Bytes, Unit, Bytes, Width, Type.Boolean()]))),
  flex: Type.Optional(
    Type.Object({
      name: Type.String(),
      offset: Bytes,
      kind: Type.Union([Scalar, Type.Literal('struct')]),
      elementSize: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
      struct: Type.Optional(Type.String()),
      countedBy: Type.Optional(Type.String()),
    }),
  ),
  minArgsz: Bytes,
  chain: Type.Optional(Type.Object({ argszOffset: Bytes, flagsOffset: Bytes, capOffsetOffset: Bytes, capsFlag: U32, infoEnd: Bytes })),
});

export const CapTableJsonSchema = Type.Object({
  id: U16,
  macro: Type.String(),
  /** The cap struct, a struct name of every ABI in `abis`. */
  struct: Type.String(),
  versions: Type.Array(U16),
});

export const TablesJsonSchema = Type.Object({
  header: Type.String(),
  kernel: Type.String(),
  sha256: Type.Optional(Type.String()),
  /** Every header the package was generated from, in order, with its sha256 (the first is `header`). */
  headers: Type.Optional(Type.Array(Type.Object({ header: Type.String(), sha256: Type.String() }))),
  /** Layout variant name -> layout. */
  layouts: Type.Record(Type.String(), LayoutTableJsonSchema),
  /** ABI -> struct name -> layout variant name. */
  abis: Type.Record(Type.String(), Type.Record(Type.String(), Type.String())),
  /** Info struct -> the capabilities its chain may carry. */
  caps: Type.Record(Type.String(), Type.Array(CapTableJsonSchema)),
  /** ABI -> constant -> decimal value. */
  constants: Type.Record(Type.String(), Type.Record(Type.String(), Type.String({ pattern: DECIMAL }))),
  ioctls: Type.Optional(Type.Record(Type.String(), Type.Object({ dir: Type.String(), arg: Type.Union([Type.String(), Type.Null()]) }))),
  /** String macros: name -> value. */
  strings: Type.Optional(Type.Record(Type.String(), Type.String())),
});

export type FieldTableJson = Static<typeof FieldTableJsonSchema>;
export type LayoutTableJson = Static<typeof LayoutTableJsonSchema>;
export type CapTableJson = Static<typeof CapTableJsonSchema>;
export type TablesJsonFile = Static<typeof TablesJsonSchema>;

/** JSON Pointer segment (RFC 6901). */
const seg = (k: string | number): string => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`;
const has = (o: object, k: string): boolean => Object.hasOwn(o, k);
const isScalar = (k: string): k is ScalarKind => (SCALAR_KINDS as readonly string[]).includes(k);

/**
 * What a schema-valid tables.json gets wrong beyond its shape: names that resolve to nothing,
 * bytes outside their struct, a struct that contains itself. Empty when decoding it is safe.
 */
export function tablesProblems(t: TablesJsonFile): Problem[] {
  const out: Problem[] = [];
  const bad = (path: string, message: string): void => {
    out.push({ path, message });
  };
  const variant = (name: string): LayoutTableJson | undefined => (has(t.layouts, name) ? t.layouts[name] : undefined);
  const within = (path: string, l: LayoutTableJson, from: number, bytes: number, what: string): void => {
    if (from + bytes > l.size) bad(path, `${what} ends at byte ${from + bytes}, past the end of ${l.name} (${l.size} bytes)`);
  };

  for (const [v, l] of Object.entries(t.layouts)) {
    const at = `/layouts${seg(v)}`;
    const nested = (path: string, name: string | undefined, kind: string): LayoutTableJson | undefined => {
      if (name === undefined) {
        bad(path, `missing (a ${kind} of kind "struct" names its layout variant)`);
        return undefined;
      }
      const n = variant(name);
      if (!n) bad(path, `names layout variant ${JSON.stringify(name)}, which /layouts does not have`);
      else if (n.littleEndian !== l.littleEndian) bad(path, `names layout variant ${JSON.stringify(name)} of the other byte order`);
      return n;
    };
    l.fields.forEach((f, i) => {
      const fp = `${at}/fields/${i}`;
      let element: number | undefined;
      if (f.kind === 'struct') element = nested(`${fp}/struct`, f.struct, 'field')?.size;
      else if (f.kind === 'bytes') {
        if (f.size === undefined) bad(`${fp}/size`, 'missing (a field of kind "bytes" has a size)');
        element = f.size;
      } else element = SCALAR_SIZE[f.kind];
      if (f.bits !== undefined) {
        const b = f.bits;
        if (f.kind === 'struct' || f.kind === 'bytes' || f.count !== undefined) bad(`${fp}/bits`, 'a bitfield is a single scalar');
        else if (b.pos + b.width > b.unit * 8) bad(`${fp}/bits`, `bits ${b.pos}+${b.width} do not fit the ${b.unit}-byte unit`);
        within(fp, l, f.offset, b.unit, `bitfield ${f.name}`);
        return;
      }
      if (element === undefined) return;
      const n = f.count ?? 1;
      within(fp, l, f.offset, Math.max(element, f.count === undefined ? 0 : 1) * n, `field ${f.name}`);
    });
    for (const [k, off] of Object.entries(l.offsets)) {
      if (off > l.size) bad(`${at}/offsets${seg(k)}`, `offset ${off} is past the end of ${l.name} (${l.size} bytes)`);
    }
    for (const [k, [off, unit, pos, width]] of Object.entries(l.bits ?? {})) {
      if (pos + width > unit * 8) bad(`${at}/bits${seg(k)}`, `bits ${pos}+${width} do not fit the ${unit}-byte unit`);
      within(`${at}/bits${seg(k)}`, l, off, unit, `bitfield ${k}`);
    }
    const fx = l.flex;
    if (fx) {
      const fp = `${at}/flex`;
      // C puts a flexible array member at or before the end of its struct (tail padding may follow).
      if (fx.offset > l.size) bad(`${fp}/offset`, `the flexible array starts at byte ${fx.offset}, past the end of ${l.name} (${l.size} bytes)`);
      if (fx.kind === 'struct') {
        const n = nested(`${fp}/struct`, fx.struct, 'flexible array');
        if (n && n.size !== fx.elementSize) bad(`${fp}/elementSize`, `${fx.elementSize}, but its element ${n.name} is ${n.size} bytes`);
      } else if (isScalar(fx.kind) && SCALAR_SIZE[fx.kind] !== fx.elementSize) bad(`${fp}/elementSize`, `${fx.elementSize}, but a ${fx.kind} is ${SCALAR_SIZE[fx.kind]} bytes`);
      if (fx.countedBy !== undefined) {
        const c = l.fields.find((f) => f.name === fx.countedBy);
        if (!c || !isScalar(c.kind) || c.bits !== undefined || c.count !== undefined) bad(`${fp}/countedBy`, `${JSON.stringify(fx.countedBy)} is not a scalar field of ${l.name}`);
        else if (!has(l.offsets, fx.countedBy) || l.offsets[fx.countedBy] !== c.offset) bad(`${at}/offsets${seg(fx.countedBy)}`, `the counting field ${fx.countedBy} is at ${c.offset}`);
      }
    }
    const ch = l.chain;
    if (ch) {
      const member = { argszOffset: 'argsz', flagsOffset: 'flags', capOffsetOffset: 'cap_offset' } as const;
      for (const [k, m] of Object.entries(member) as [keyof typeof member, string][]) within(`${at}/chain/${k}`, l, ch[k], 4, `the chain's 4-byte ${m}`);
      if (ch.infoEnd > l.size) bad(`${at}/chain/infoEnd`, `${ch.infoEnd} is past the end of ${l.name} (${l.size} bytes)`);
    }
  }

  // A struct that contains itself (directly, or through its members) would be decoded forever.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (v: string, path: string): void => {
    if (state.get(v) === 'done') return;
    if (state.get(v) === 'open') {
      bad(path, `layout variant ${JSON.stringify(v)} contains itself`);
      return;
    }
    state.set(v, 'open');
    const l = variant(v);
    if (l) {
      l.fields.forEach((f, i) => f.struct !== undefined && f.kind === 'struct' && visit(f.struct, `/layouts${seg(v)}/fields/${i}/struct`));
      if (l.flex?.kind === 'struct' && l.flex.struct !== undefined) visit(l.flex.struct, `/layouts${seg(v)}/flex/struct`);
    }
    state.set(v, 'done');
  };
  for (const v of Object.keys(t.layouts)) visit(v, `/layouts${seg(v)}`);

  for (const [abi, structs] of Object.entries(t.abis)) {
    for (const [s, v] of Object.entries(structs)) {
      const l = variant(v);
      const p = `/abis${seg(abi)}${seg(s)}`;
      if (!l) bad(p, `names layout variant ${JSON.stringify(v)}, which /layouts does not have`);
      else if (l.name !== s) bad(p, `names layout variant ${JSON.stringify(v)}, which is ${l.name}, not ${s}`);
    }
  }
  const capFlexChecked = new Set<string>();
  for (const [info, caps] of Object.entries(t.caps)) {
    caps.forEach((c, i) => {
      for (const [abi, structs] of Object.entries(t.abis)) {
        if (!has(structs, c.struct)) {
          bad(`/caps${seg(info)}/${i}/struct`, `names struct ${JSON.stringify(c.struct)}, which /abis${seg(abi)} does not have`);
          break;
        }
        // The chain reader counts a cap's flexible array after the cap's 8-byte header.
        const v = structs[c.struct]!;
        const fx = variant(v)?.flex;
        if (fx?.countedBy !== undefined && fx.offset < 8 && !capFlexChecked.has(v)) {
          capFlexChecked.add(v);
          bad(`/layouts${seg(v)}/flex/offset`, `${fx.offset}, but the flexible array of capability ${c.struct} starts after its 8-byte header`);
        }
      }
    });
  }
  return out;
}
