/**
 * Support for uapi-ts generated bindings (owned by the generator's emit stage): the base class of
 * generated views, the layout-table format generated packages carry (a superset of StructLayout),
 * the per-endianness accessor set their getters call, and the typed capability-chain walk.
 * Generated code stays tables + thin classes; everything generic lives here.
 */
import {
  readBits, readBits64, readS16be, readS16le, readS32be, readS32le, readS64be, readS64le, readS8le, readScalar,
  readU16be, readU16le, readU32be, readU32le, readU64be, readU64le, readU8le, writeBits, writeBits64,
  writeS16be, writeS16le, writeS32be, writeS32le, writeS64be, writeS64le, writeS8le, writeU16be, writeU16le,
  writeU32be, writeU32le, writeU64be, writeU64le, writeU8le, type ScalarKind, SCALAR_SIZE,
} from './access.js';
import { ArrayAccessor, flexibleBigintArray, flexibleNumberArray, numberArray, bigintArray, structArray } from './arrays.js';
import { CapabilityCursor, capTable, type AlignmentPolicy, type CapabilitySpec, type CapabilityTable, type ChainOptions } from './chain.js';
import { ReplyTruncatedError, UapiRuntimeError } from './errors.js';
import { INSPECT, inspectObject, jsonStyle, layoutToJSON, scalarValue, StructView, type FieldSpec, type JsonValue, type StructLayout, type ToJSONOptions, type ValueStyle } from './struct-view.js';

export type Bytes = ArrayBufferLike | ArrayBufferView;

/** Bitfield location: [unit byte offset, unit size, bit position in allocation order, width, signed]. */
export type BitsSpec = readonly [off: number, unit: 1 | 2 | 4 | 8, pos: number, width: number, signed: boolean];

/** A flexible array member at the end of a struct. */
export interface FlexSpec {
  readonly name: string;
  readonly offset: number;
  readonly kind: ScalarKind | 'struct';
  readonly elementSize: number;
  /** Element struct (kind 'struct'). */
  readonly struct?: BindingLayout;
  /** Member holding the element count (`__counted_by`, or an override); absent: callers pass a count. */
  readonly countedBy?: string;
}

/** How a struct carrying a capability chain locates it (see ChainOptions). */
export interface ChainSpec {
  readonly argszOffset: number;
  readonly flagsOffset: number;
  readonly capOffsetOffset: number;
  readonly capsFlag: number;
  readonly infoEnd: number;
}

/** A generated struct's layout on one ABI: the runtime's StructLayout plus what the views index by name. */
export interface BindingLayout extends StructLayout {
  readonly fields: readonly FieldSpec[];
  /** Byte offset of every member (bitfields: of the storage unit), anonymous members flattened. */
  readonly offsets: Readonly<Record<string, number>>;
  /** Element count of every fixed array member. */
  readonly counts?: Readonly<Record<string, number>>;
  readonly bits?: Readonly<Record<string, BitsSpec>>;
  readonly flex?: FlexSpec;
  /** offsetofend(last fixed member): the smallest argsz a kernel accepts for this struct. */
  readonly minArgsz: number;
  readonly chain?: ChainSpec;
}

/** The constructor side of every generated view class. */
export interface ViewClass<V, I> {
  new (buf: Bytes, byteOffset?: number): V;
  readonly SIZE: number;
  readonly ALIGN: number;
  readonly layout: BindingLayout;
  alloc(init?: I, extraBytes?: number): V;
  from(buf: Bytes, byteOffset?: number): V;
}

/** Reads and writes of one byte order, as generated getters call them. */
export interface Accessors {
  readonly le: boolean;
  u8(dv: DataView, off: number): number;
  s8(dv: DataView, off: number): number;
  u16(dv: DataView, off: number): number;
  s16(dv: DataView, off: number): number;
  u32(dv: DataView, off: number): number;
  s32(dv: DataView, off: number): number;
  u64(dv: DataView, off: number): bigint;
  s64(dv: DataView, off: number): bigint;
  setU8(dv: DataView, off: number, v: number): void;
  setS8(dv: DataView, off: number, v: number): void;
  setU16(dv: DataView, off: number, v: number): void;
  setS16(dv: DataView, off: number, v: number): void;
  setU32(dv: DataView, off: number, v: number): void;
  setS32(dv: DataView, off: number, v: number): void;
  setU64(dv: DataView, off: number, v: bigint): void;
  setS64(dv: DataView, off: number, v: bigint): void;
  /** A member whose kind differs between ABIs (a pointer, a long): its kind comes from the table. */
  any(dv: DataView, off: number, kind: ScalarKind): number | bigint;
  setAny(dv: DataView, off: number, kind: ScalarKind, v: number | bigint): void;
  bits(dv: DataView, b: BitsSpec): number;
  setBits(dv: DataView, b: BitsSpec, v: number): void;
  bits64(dv: DataView, b: BitsSpec): bigint;
  setBits64(dv: DataView, b: BitsSpec, v: bigint): void;
}

function makeAccessors(le: boolean): Accessors {
  return {
    le,
    u8: readU8le,
    s8: readS8le,
    u16: le ? readU16le : readU16be,
    s16: le ? readS16le : readS16be,
    u32: le ? readU32le : readU32be,
    s32: le ? readS32le : readS32be,
    u64: le ? readU64le : readU64be,
    s64: le ? readS64le : readS64be,
    setU8: writeU8le,
    setS8: writeS8le,
    setU16: le ? writeU16le : writeU16be,
    setS16: le ? writeS16le : writeS16be,
    setU32: le ? writeU32le : writeU32be,
    setS32: le ? writeS32le : writeS32be,
    setU64: le ? writeU64le : writeU64be,
    setS64: le ? writeS64le : writeS64be,
    any: (dv, off, kind) => readScalar(dv, off, kind, le),
    setAny: (dv, off, kind, v) => {
      if (kind === 'u64' || kind === 's64') (kind === 'u64' ? dv.setBigUint64 : dv.setBigInt64).call(dv, off, BigInt(v), le);
      else if (kind === 'u8' || kind === 's8') dv.setUint8(off, Number(v) & 0xff);
      else if (kind === 'u16' || kind === 's16') dv.setUint16(off, Number(v) & 0xffff, le);
      else dv.setUint32(off, Number(v) >>> 0, le);
    },
    bits: (dv, b) => readBits(dv, b[0], b[1] as 1 | 2 | 4, b[2], b[3], le, b[4]),
    setBits: (dv, b, v) => writeBits(dv, b[0], b[1] as 1 | 2 | 4, b[2], b[3], le, v),
    // 64-bit-typed bitfields may sit in a narrower window (tables use the smallest unit holding them).
    bits64: (dv, b) => (b[1] === 8 ? readBits64(dv, b[0], b[2], b[3], le, b[4]) : BigInt(readBits(dv, b[0], b[1], b[2], b[3], le, b[4]))),
    setBits64: (dv, b, v) => (b[1] === 8 ? writeBits64(dv, b[0], b[2], b[3], le, v) : writeBits(dv, b[0], b[1], b[2], b[3], le, Number(BigInt.asUintN(b[3], v)))),
  };
}

const LE_ACCESSORS = makeAccessors(true);
const BE_ACCESSORS = makeAccessors(false);

/** The accessor set for a byte order (shared objects: one per order). */
export function accessors(littleEndian: boolean): Accessors {
  return littleEndian ? LE_ACCESSORS : BE_ACCESSORS;
}

/** Flexible array of a generated struct: count from the counted-by member, or the caller's. */
export function flexArray(view: BindingView, layout: BindingLayout, count: number | undefined, make?: (dv: DataView, off: number) => unknown): any {
  const f = layout.flex;
  if (!f) throw new UapiRuntimeError(`${layout.name} has no flexible array member`);
  let n = count;
  if (n === undefined) {
    if (f.countedBy === undefined) throw new UapiRuntimeError(`${layout.name}.${f.name}: the header does not say which member counts it; pass the element count`);
    n = Number(readScalar(view.dv, layout.offsets[f.countedBy]!, kindOf(layout, f.countedBy), layout.littleEndian));
  }
  const le = layout.littleEndian;
  if (f.kind === 'struct') return structArray(view.dv, f.offset, n, f.elementSize, make!);
  if (f.kind === 'u64' || f.kind === 's64') return flexibleBigintArray(view.dv, f.offset, f.kind, n, le);
  return flexibleNumberArray(view.dv, f.offset, f.kind, n, le);
}

function kindOf(layout: BindingLayout, name: string): ScalarKind {
  const spec = layout.fields.find((x) => x.name === name);
  if (!spec || spec.kind === 'struct' || spec.kind === 'bytes') throw new UapiRuntimeError(`${layout.name}.${name} is not a scalar`);
  return spec.kind;
}

/** Fixed array of scalars: typed array when aligned and host-endian, else an ArrayAccessor. */
export function fixedArray(dv: DataView, off: number, kind: ScalarKind, count: number, le: boolean): any {
  return kind === 'u64' || kind === 's64' ? bigintArray(dv, off, kind, count, le) : numberArray(dv, off, kind, count, le);
}

/** Fixed array of structs (elements are views over the same bytes). */
export function fixedStructArray<V>(dv: DataView, off: number, count: number, size: number, make: (dv: DataView, off: number) => V): ArrayAccessor<V> {
  return structArray(dv, off, count, size, make);
}

/** Copy values into an array member (typed array or accessor), checking the length. */
export function assignArray(target: any, values: ArrayLike<number | bigint>): void {
  if (values.length > target.length) throw new UapiRuntimeError(`array of ${target.length} elements cannot take ${values.length} values`);
  if (target instanceof ArrayAccessor) for (let i = 0; i < values.length; i++) target.set(i, values[i]);
  else for (let i = 0; i < values.length; i++) target[i] = values[i];
}

/** Assign a plain object's members through a view's setters (unknown keys are an error). */
export function assignFields(view: object, init: object | undefined): void {
  if (init === undefined) return;
  for (const [k, v] of Object.entries(init)) {
    if (v === undefined) continue;
    if (!(k in view)) throw new UapiRuntimeError(`${view.constructor.name} has no member '${k}'`);
    (view as Record<string, unknown>)[k] = v;
  }
}

/**
 * `Class.alloc(init, extraBytes)`: a zeroed buffer of SIZE + extraBytes (room for flexible arrays or
 * a capability chain), then init. An `argsz` in init larger than that sizes the buffer instead: argsz
 * tells the kernel how many bytes it may write, so the buffer is never smaller than the argsz it carries.
 */
export function allocView<V extends object>(ctor: { new (buf: Bytes, off?: number): V; readonly SIZE: number }, init: object | undefined, extraBytes = 0): V {
  if (!(Number.isInteger(extraBytes) && extraBytes >= 0)) throw new RangeError(`extraBytes must be a non-negative integer, not ${extraBytes}`);
  const argsz = (init as { argsz?: unknown } | undefined)?.argsz;
  const size = Math.max(ctor.SIZE + extraBytes, typeof argsz === 'number' && Number.isInteger(argsz) && argsz > 0 ? argsz : 0);
  const v = new ctor(new Uint8Array(size), 0);
  assignFields(v, init);
  return v;
}

/** toJSON of a view: every fixed member (flattened as C spells them), then a counted flexible array. */
export function bindingToJSON(dv: DataView, off: number, layout: BindingLayout, style: ValueStyle = jsonStyle(undefined)): { [k: string]: JsonValue } {
  const out = layoutToJSON(dv, off, layout, style);
  const f = layout.flex;
  if (f && f.countedBy !== undefined) {
    const n = Number(readScalar(dv, off + layout.offsets[f.countedBy]!, kindOf(layout, f.countedBy), layout.littleEndian));
    const avail = Math.floor((dv.byteLength - off - f.offset) / f.elementSize);
    const items: JsonValue[] = [];
    for (let i = 0; i < Math.min(n, Math.max(0, avail)); i++) {
      const at = off + f.offset + i * f.elementSize;
      if (f.kind === 'struct') {
        const obj = bindingToJSON(dv, at, f.struct!, style);
        items.push(style.inspect ? (inspectObject(f.struct!.name, obj) as JsonValue) : obj);
      } else items.push(scalarValue(readScalar(dv, at, f.kind, layout.littleEndian), f.name, f.kind, style));
    }
    out[f.name] = items;
  }
  return out;
}

/** Base class of generated views: StructView plus the table-driven toJSON. */
export class BindingView extends StructView {
  static override readonly layout: BindingLayout = { name: 'BindingView', size: 0, align: 1, littleEndian: true, fields: [], offsets: {}, minArgsz: 0 };

  override toJSON(opts?: ToJSONOptions | string): { [k: string]: JsonValue } {
    return bindingToJSON(this.dv, 0, (this.constructor as typeof BindingView).layout, jsonStyle(opts));
  }

  protected override toDisplay(): Record<string, unknown> {
    return bindingToJSON(this.dv, 0, (this.constructor as typeof BindingView).layout, INSPECT) as Record<string, unknown>;
  }
}

/** A capability struct the header ties to an info struct: (id, name) -> view. */
export interface CapEntry {
  readonly id: number;
  /** The id macro, e.g. VFIO_REGION_INFO_CAP_SPARSE_MMAP. */
  readonly macro: string;
  /** The cap struct (header-only caps: vfio_info_cap_header). */
  readonly struct: string;
  readonly versions: readonly number[];
  readonly view: ViewClass<unknown, never>;
}

/** One capability met while walking a chain. */
export interface CapItemBase {
  readonly version: number;
  /** Offset of the cap header from the start of the info struct. */
  readonly offset: number;
  /** The header's `next` (0: last). */
  readonly next: number;
  /** Bytes to the next cap (or to the end of argsz). */
  readonly size: number;
  /** Whether the cap header sits at an 8-aligned offset (6.6+ kernels always). */
  readonly aligned: boolean;
  /** Copied to aligned storage (compat policy). */
  readonly realigned: boolean;
  /**
   * Header + body (`size` bytes). For a known cap, a view of the bytes its `view` reads (into the
   * info buffer, or the aligned copy); it reaches a body the header does not define, such as the
   * zPCI caps whose structs live in linux/vfio_zdev.h. For an unknown cap, a copy.
   */
  readonly bytes: Uint8Array;
}
export interface UnknownCap extends CapItemBase {
  readonly known: false;
  readonly id: number;
  readonly macro: null;
}

export interface WalkOptions {
  /** 'strict' (default): refuse a misaligned (pre-6.6) chain; 'compat': accept and realign. */
  readonly policy?: AlignmentPolicy;
  /** argsz the kernel returned, when not the one in the buffer. */
  readonly argsz?: number;
  /**
   * How the caller's own API asks for the compat policy, for the message of
   * CapabilityMisalignedError (default: `caps({ policy: 'compat' })` from caps(),
   * `chainOptions({ policy: 'compat' })` from chainOptions()). A tool over caps() names its flag here.
   */
  readonly compatOption?: string;
}

const tables = new WeakMap<readonly CapEntry[], CapabilityTable>();

function tableFor(entries: readonly CapEntry[]): CapabilityTable {
  let t = tables.get(entries);
  if (!t) {
    const specs: CapabilitySpec[] = [];
    for (const e of entries) {
      for (const version of e.versions) {
        const l = e.view.layout;
        const spec: { -readonly [K in keyof CapabilitySpec]: CapabilitySpec[K] } = { id: e.id, version, name: e.struct, minSize: Math.max(8, l.size) };
        const f = l.flex;
        if (f?.countedBy !== undefined) {
          const size = SCALAR_SIZE[kindOf(l, f.countedBy)] as 1 | 2 | 4 | 8;
          spec.flex = { countOffset: l.offsets[f.countedBy]!, countSize: size, elementSize: f.elementSize, arrayOffset: f.offset };
        }
        specs.push(spec);
      }
    }
    t = capTable(specs);
    tables.set(entries, t);
  }
  return t;
}

/**
 * The ChainOptions of an info struct's chain (where it is, the caps the header defines, the byte
 * order, the alignment policy) for the runtime's own walk and negotiation: capabilityCursor,
 * negotiateCursor, negotiate, readCapabilityChain. Generated info classes expose it as
 * `chainOptions()`.
 */
export function chainOptionsFor(layout: BindingLayout, entries: readonly CapEntry[], opts: WalkOptions = {}): ChainOptions {
  const chain = layout.chain;
  if (!chain) throw new UapiRuntimeError(`${layout.name} carries no capability chain`);
  return {
    ...chain,
    caps: tableFor(entries),
    alignment: opts.policy ?? 'strict',
    littleEndian: layout.littleEndian,
    compatOption: opts.compatOption ?? "chainOptions({ policy: 'compat' })",
    ...(opts.argsz !== undefined ? { argsz: opts.argsz } : {}),
  };
}

/**
 * Walk the capability chain of an info struct (its bytes from `dv` offset 0 to the end of the
 * buffer), yielding each known cap with a view of its struct narrowed by id, unknown ones raw.
 *
 * The whole chain is checked before anything is yielded, here, at the call: a bad chain (a
 * pre-6.6 misaligned one under the strict policy, a corrupt one) throws from `caps()` itself and
 * a loop over it never sees part of a chain. A reply whose argsz is more than the buffer holds
 * (the kernel asked for a bigger buffer and copied no caps) throws ReplyTruncatedError instead of
 * walking an empty chain.
 */
export function walkCaps(dv: DataView, layout: BindingLayout, entries: readonly CapEntry[], opts: WalkOptions = {}): Generator<any, void, undefined> {
  const c = new CapabilityCursor(dv, chainOptionsFor(layout, entries, { ...opts, compatOption: opts.compatOption ?? "caps({ policy: 'compat' })" }));
  if (c.needsBiggerBuffer) throw new ReplyTruncatedError(c.argsz, dv.byteLength);
  while (!c.next().done);
  return yieldCaps(dv, layout, entries, c.reset());
}

function* yieldCaps(dv: DataView, layout: BindingLayout, entries: readonly CapEntry[], c: CapabilityCursor): Generator<any, void, undefined> {
  while (!c.next().done) {
    const next = dv.getUint32(c.offset + 4, layout.littleEndian);
    const base = { version: c.version, offset: c.offset, next, size: c.size, aligned: (c.offset & 7) === 0, realigned: c.realigned };
    const bytes = c.bytes();
    // Known means what the cursor's table says for (id, version): it checked the size for that
    // version, and a version the header does not describe comes back raw like an unknown id.
    const e = c.spec === undefined ? undefined : entries.find((x) => x.id === c.id);
    if (!e) {
      yield { ...base, known: false, id: c.id, macro: null, bytes: bytes.slice() };
      continue;
    }
    // The cursor has checked size >= sizeof the struct for this (id, version) (tableFor's minSize).
    // A view bounded by the cap's own bytes, so flexible arrays cannot read into the next cap.
    yield { ...base, known: true, id: e.id, macro: e.macro, name: e.struct, bytes, view: new e.view(bytes, 0) };
  }
}

/** Tables as stored in JSON (tables.json): nested struct references are variant names. */
export interface TablesJson {
  readonly header: string;
  readonly kernel: string;
  /** Layout variant name -> layout (`struct` members name another variant). */
  readonly layouts: Record<string, unknown>;
  /** ABI -> struct name -> variant name. */
  readonly abis: Record<string, Record<string, string>>;
  /** Info struct -> caps (id, macro, struct, versions). */
  readonly caps: Record<string, { id: number; macro: string; struct: string; versions: number[] }[]>;
  readonly constants: Record<string, Record<string, string>>;
}

/** Resolve a tables.json into linked BindingLayouts per ABI and struct. */
export function linkTables(json: TablesJson): Map<string, Map<string, BindingLayout>> {
  const done = new Map<string, BindingLayout>();
  const link = (name: string): BindingLayout => {
    const hit = done.get(name);
    if (hit) return hit;
    const raw = json.layouts[name] as BindingLayout & { fields: (FieldSpec & { struct?: unknown })[] };
    if (!raw) throw new UapiRuntimeError(`tables: unknown layout ${name}`);
    const fields = raw.fields.map((f) => (typeof f.struct === 'string' ? { ...f, struct: link(f.struct) } : f)) as FieldSpec[];
    const flex = raw.flex && typeof raw.flex.struct === 'string' ? { ...raw.flex, struct: link(raw.flex.struct as unknown as string) } : raw.flex;
    const l: BindingLayout = { ...raw, fields, ...(flex ? { flex } : {}) };
    done.set(name, l);
    return l;
  };
  const out = new Map<string, Map<string, BindingLayout>>();
  for (const [abi, structs] of Object.entries(json.abis)) {
    const m = new Map<string, BindingLayout>();
    for (const [s, v] of Object.entries(structs)) m.set(s, link(v));
    out.set(abi, m);
  }
  return out;
}
