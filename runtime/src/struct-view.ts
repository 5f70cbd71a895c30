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

  /** Plain object of every field in the layout table; 64-bit values become decimal strings. */
  toJSON(): { [k: string]: JsonValue } {
    return layoutToJSON(this.dv, 0, (this.constructor as typeof StructView).layout);
  }
}

function scalarJSON(v: number | bigint): JsonValue {
  return typeof v === 'bigint' ? v.toString() : v;
}

function fieldValue(dv: DataView, off: number, f: FieldSpec, le: boolean): JsonValue {
  if (f.kind === 'struct') {
    if (f.struct === undefined) throw new TypeError(`field ${f.name}: kind 'struct' needs .struct`);
    return layoutToJSON(dv, off, f.struct);
  }
  if (f.kind === 'bytes') {
    return Array.from(new Uint8Array(dv.buffer, dv.byteOffset + off, f.size ?? 0));
  }
  if (f.bits !== undefined) {
    const { unit, pos, width } = f.bits;
    const signed = f.kind[0] === 's';
    return unit === 8 ? readBits64(dv, off, pos, width, le, signed).toString() : readBits(dv, off, unit, pos, width, le, signed);
  }
  return scalarJSON(readScalar(dv, off, f.kind, le));
}

/** toJSON for a struct at `off` in `dv` described by `layout` (used by StructView and nested structs). */
export function layoutToJSON(dv: DataView, off: number, layout: StructLayout): { [k: string]: JsonValue } {
  const out: { [k: string]: JsonValue } = {};
  const le = layout.littleEndian;
  for (const f of layout.fields) {
    if (f.count === undefined) {
      out[f.name] = fieldValue(dv, off + f.offset, f, le);
    } else {
      const stride = f.kind === 'struct' ? (f.struct?.size ?? 0) : f.kind === 'bytes' ? (f.size ?? 0) : SCALAR_SIZE[f.kind];
      const arr: JsonValue[] = [];
      for (let i = 0; i < f.count; i++) arr.push(fieldValue(dv, off + f.offset + i * stride, f, le));
      out[f.name] = arr;
    }
  }
  return out;
}
