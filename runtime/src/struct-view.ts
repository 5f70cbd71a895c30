/**
 * StructView: the base class of every generated struct view. A view is a DataView that starts at
 * the struct (offset 0 = the struct's first byte) and extends to the end of the caller's buffer, so
 * flexible-array members and trailing capability chains stay reachable. Generated getters call the
 * accessor grid (readU32le(this.dv, 4)); toJSON walks the class's static `layout` field table.
 */
import { StructOutOfBoundsError } from './errors.js';
import { readBits, readBits64, readScalar, SCALAR_SIZE, type ScalarKind } from './access.js';

/** One field of a generated struct's layout table (what toJSON and generic tools read). */
export interface FieldSpec {
  readonly name: string;
  /** Byte offset from the start of the struct (for bitfields: of the storage unit). */
  readonly offset: number;
  readonly kind: ScalarKind | 'struct' | 'bytes';
  /** Fixed array element count (scalar or struct elements); absent for a single value. */
  readonly count?: number;
  /** Bitfield: storage unit size in bytes, bit position in allocation order, width in bits. */
  readonly bits?: { readonly unit: 1 | 2 | 4 | 8; readonly pos: number; readonly width: number };
  /** Nested struct/union type (kind 'struct'). */
  readonly struct?: StructLayout;
  /** Byte size for kind 'bytes' (opaque/padding/char arrays rendered as byte lists). */
  readonly size?: number;
}

/** A struct's layout table as generated for one ABI. */
export interface StructLayout {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly littleEndian: boolean;
  readonly fields: readonly FieldSpec[];
}

export type JsonValue = number | string | boolean | null | JsonValue[] | { [k: string]: JsonValue };

function toDataView(buf: ArrayBufferLike | ArrayBufferView, byteOffset: number, size: number): DataView {
  const ab = ArrayBuffer.isView(buf) ? buf.buffer : buf;
  const base = ArrayBuffer.isView(buf) ? buf.byteOffset : 0;
  const total = ArrayBuffer.isView(buf) ? buf.byteLength : buf.byteLength;
  if (!(Number.isInteger(byteOffset) && byteOffset >= 0 && byteOffset + size <= total)) {
    throw new StructOutOfBoundsError(byteOffset, size, total);
  }
  return new DataView(ab, base + byteOffset, total - byteOffset);
}

/**
 * Options of `toJSON(opts)`. JSON.stringify calls `toJSON(key)` with a string, which is the
 * default rendering; only an object argument selects options.
 */
export interface ToJSONOptions {
  /**
   * `true`: flags and addresses as `'0x…'` strings: unsigned members whose name says flags, mask
   * or addr, and every unsigned 64-bit member (addresses, IOVAs, sizes, offsets and page-size
   * bitmaps are all __u64 in the uapi headers). `'all'`: every unsigned integer. Signed members and
   * counts stay decimal. Default: numbers, 64-bit values as decimal strings.
   */
  readonly hex?: boolean | 'all';
}

/** The inspect hook Node's util.inspect (and so console.log) looks up, without importing node:util. */
export const INSPECT_CUSTOM: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

export class StructView {
  /** DataView starting at the struct's first byte, extending to the end of the caller's buffer. */
  readonly dv: DataView;

  /**
   * @param buf ArrayBuffer, Buffer/Uint8Array or DataView holding the struct
   * @param byteOffset where the struct starts inside `buf`
   * @param size the struct's size (generated subclasses pass their sizeof); checked against the buffer
   */
  constructor(buf: ArrayBufferLike | ArrayBufferView, byteOffset = 0, size = 0) {
    this.dv = toDataView(buf, byteOffset, size);
  }

  /** The struct's layout table; generated subclasses override with `static readonly layout = {...}`. */
  static readonly layout: StructLayout = { name: 'StructView', size: 0, align: 1, littleEndian: true, fields: [] };

  /** Bytes of this struct only (a view, not a copy). */
  bytes(): Uint8Array {
    const size = (this.constructor as typeof StructView).layout.size;
    return new Uint8Array(this.dv.buffer, this.dv.byteOffset, size);
  }

  /**
   * Plain object of every field in the layout table; 64-bit values become decimal strings, or
   * with `{ hex: true }` flags and addresses become `'0x…'` strings (see ToJSONOptions).
   */
  toJSON(opts?: ToJSONOptions | string): { [k: string]: JsonValue } {
    return layoutToJSON(this.dv, 0, (this.constructor as typeof StructView).layout, jsonStyle(opts));
  }

  /**
   * What console.log and util.inspect print: the class name and every field (64-bit values as
   * bigints, flags and addresses in hex, nested structs and arrays expanded), not the DataView.
   */
  [INSPECT_CUSTOM](): object {
    return inspectObject(this.constructor.name, this.toDisplay());
  }

  /** The fields as inspect shows them (subclasses with more than the layout table override). */
  protected toDisplay(): Record<string, unknown> {
    return layoutToJSON(this.dv, 0, (this.constructor as typeof StructView).layout, INSPECT) as Record<string, unknown>;
  }
}

/** How values are rendered: for JSON (bigint as string) or for inspect (bigint kept, hex unquoted). */
export interface ValueStyle {
  readonly inspect: boolean;
  readonly hex: false | true | 'all';
}
const PLAIN: ValueStyle = { inspect: false, hex: false };
export const INSPECT: ValueStyle = { inspect: true, hex: true };

export function jsonStyle(opts: ToJSONOptions | string | undefined): ValueStyle {
  if (opts === undefined || typeof opts !== 'object' || opts === null) return PLAIN;
  const hex = opts.hex ?? false;
  return hex === false ? PLAIN : { inspect: false, hex };
}

const HEX_NAME = /flags|mask|addr/i;

/** Whether a scalar member is shown in hex under `style`. */
export function wantsHex(name: string, kind: ScalarKind, style: ValueStyle): boolean {
  if (style.hex === false || kind[0] === 's') return false;
  return style.hex === 'all' || kind === 'u64' || HEX_NAME.test(name);
}

/** A number shown by util.inspect as `0x…` in number colour, unquoted. */
class HexNumber {
  constructor(readonly text: string) {}
  [INSPECT_CUSTOM](_depth: number, options: { stylize?: (s: string, style: string) => string }): string {
    return options?.stylize ? options.stylize(this.text, 'number') : this.text;
  }
}

/** Render one scalar value: hex string / HexNumber, decimal string for JSON bigints, or as is. */
export function scalarValue(v: number | bigint, name: string, kind: ScalarKind, style: ValueStyle): JsonValue {
  if (wantsHex(name, kind, style)) {
    const text = `0x${v.toString(16)}`;
    return style.inspect ? (new HexNumber(text) as unknown as JsonValue) : text;
  }
  return typeof v === 'bigint' && !style.inspect ? v.toString() : (v as JsonValue);
}

const named = new Map<string, new () => object>();
/** An object whose constructor carries `name`, so util.inspect prints `name { ... }`. */
export function inspectObject(name: string, fields: Record<string, unknown>): object {
  let C = named.get(name);
  if (C === undefined) {
    C = { [name]: class {} }[name]!;
    named.set(name, C);
  }
  return Object.assign(new C(), fields);
}

function fieldValue(dv: DataView, off: number, f: FieldSpec, le: boolean, style: ValueStyle): JsonValue {
  if (f.kind === 'struct') {
    if (f.struct === undefined) throw new TypeError(`field ${f.name}: kind 'struct' needs .struct`);
    const obj = layoutToJSON(dv, off, f.struct, style);
    return style.inspect ? (inspectObject(f.struct.name, obj) as JsonValue) : obj;
  }
  if (f.kind === 'bytes') {
    return Array.from(new Uint8Array(dv.buffer, dv.byteOffset + off, f.size ?? 0));
  }
  if (f.bits !== undefined) {
    const { unit, pos, width } = f.bits;
    const signed = f.kind[0] === 's';
    const v = unit === 8 ? readBits64(dv, off, pos, width, le, signed) : readBits(dv, off, unit, pos, width, le, signed);
    return scalarValue(v, f.name, f.kind, style);
  }
  return scalarValue(readScalar(dv, off, f.kind, le), f.name, f.kind, style);
}

/** toJSON for a struct at `off` in `dv` described by `layout` (used by StructView and nested structs). */
export function layoutToJSON(dv: DataView, off: number, layout: StructLayout, style: ValueStyle = PLAIN): { [k: string]: JsonValue } {
  const out: { [k: string]: JsonValue } = {};
  const le = layout.littleEndian;
  for (const f of layout.fields) {
    if (f.count === undefined) {
      out[f.name] = fieldValue(dv, off + f.offset, f, le, style);
    } else {
      const stride = f.kind === 'struct' ? (f.struct?.size ?? 0) : f.kind === 'bytes' ? (f.size ?? 0) : SCALAR_SIZE[f.kind];
      const arr: JsonValue[] = [];
      for (let i = 0; i < f.count; i++) arr.push(fieldValue(dv, off + f.offset + i * stride, f, le, style));
      out[f.name] = arr;
    }
  }
  return out;
}
