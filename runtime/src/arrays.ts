/**
 * Fixed and flexible arrays inside struct views. When the elements are aligned in memory and the
 * struct's byte order is the host's, you get a zero-copy typed array over the same bytes; otherwise
 * an ArrayAccessor that reads through the DataView. Both have `.length`, `.at(i)` and iteration;
 * `arrayGet`/`arraySet` index either kind with bounds checks.
 */
import { FlexibleArrayOverflowError, IndexOutOfRangeError, StructOutOfBoundsError } from './errors.js';
import { HOST_LITTLE_ENDIAN, SCALAR_SIZE, type BigIntKind, type NumberKind, type ScalarKind } from './access.js';

export type NumberTypedArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;
export type BigIntTypedArray = BigUint64Array | BigInt64Array;

type Getter<T> = (dv: DataView, off: number, le: boolean) => T;
type Setter<T> = (dv: DataView, off: number, v: T, le: boolean) => void;

const GET: { readonly [K in ScalarKind]: Getter<any> } = {
  u8: (dv, o) => dv.getUint8(o),
  s8: (dv, o) => dv.getInt8(o),
  u16: (dv, o, le) => dv.getUint16(o, le),
  s16: (dv, o, le) => dv.getInt16(o, le),
  u32: (dv, o, le) => dv.getUint32(o, le),
  s32: (dv, o, le) => dv.getInt32(o, le),
  u64: (dv, o, le) => dv.getBigUint64(o, le),
  s64: (dv, o, le) => dv.getBigInt64(o, le),
};
const SET: { readonly [K in ScalarKind]: Setter<any> } = {
  u8: (dv, o, v) => dv.setUint8(o, v),
  s8: (dv, o, v) => dv.setInt8(o, v),
  u16: (dv, o, v, le) => dv.setUint16(o, v, le),
  s16: (dv, o, v, le) => dv.setInt16(o, v, le),
  u32: (dv, o, v, le) => dv.setUint32(o, v, le),
  s32: (dv, o, v, le) => dv.setInt32(o, v, le),
  u64: (dv, o, v, le) => dv.setBigUint64(o, v, le),
  s64: (dv, o, v, le) => dv.setBigInt64(o, v, le),
};

/** Indexed accessor over elements that cannot be a typed array (misaligned or foreign byte order). */
export class ArrayAccessor<T> implements Iterable<T> {
  constructor(
    readonly dv: DataView,
    readonly byteOffset: number,
    readonly length: number,
    readonly stride: number,
    private readonly getFn: Getter<T>,
    private readonly setFn: Setter<T> | null,
    readonly littleEndian: boolean,
  ) {}
  get(i: number): T {
    if (!(i >= 0 && i < this.length) || !Number.isInteger(i)) throw new IndexOutOfRangeError(i, this.length);
    return this.getFn(this.dv, this.byteOffset + i * this.stride, this.littleEndian);
  }
  at(i: number): T | undefined {
    const j = i < 0 ? this.length + i : i;
    return j >= 0 && j < this.length && Number.isInteger(j) ? this.get(j) : undefined;
  }
  set(i: number, v: T): void {
    if (!(i >= 0 && i < this.length) || !Number.isInteger(i)) throw new IndexOutOfRangeError(i, this.length);
    if (this.setFn === null) throw new TypeError('this array accessor is read-only');
    this.setFn(this.dv, this.byteOffset + i * this.stride, v, this.littleEndian);
  }
  toArray(): T[] {
    const out: T[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.getFn(this.dv, this.byteOffset + i * this.stride, this.littleEndian);
    return out;
  }
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.getFn(this.dv, this.byteOffset + i * this.stride, this.littleEndian);
  }
}

function checkRange(dv: DataView, off: number, bytes: number): void {
  if (!(off >= 0 && off + bytes <= dv.byteLength)) throw new StructOutOfBoundsError(off, bytes, dv.byteLength);
}

function makeArray(dv: DataView, off: number, kind: ScalarKind, count: number, le: boolean): any {
  const size = SCALAR_SIZE[kind];
  checkRange(dv, off, count * size);
  const abs = dv.byteOffset + off;
  if ((size === 1 || le === HOST_LITTLE_ENDIAN) && abs % size === 0) {
    switch (kind) {
      case 'u8': return new Uint8Array(dv.buffer, abs, count);
      case 's8': return new Int8Array(dv.buffer, abs, count);
      case 'u16': return new Uint16Array(dv.buffer, abs, count);
      case 's16': return new Int16Array(dv.buffer, abs, count);
      case 'u32': return new Uint32Array(dv.buffer, abs, count);
      case 's32': return new Int32Array(dv.buffer, abs, count);
      case 'u64': return new BigUint64Array(dv.buffer, abs, count);
      case 's64': return new BigInt64Array(dv.buffer, abs, count);
    }
  }
  return new ArrayAccessor(dv, off, count, size, GET[kind], SET[kind], le);
}

/** Fixed-size array of number elements at `off`: typed array when possible, else ArrayAccessor. */
export function numberArray(dv: DataView, off: number, kind: NumberKind, count: number, le: boolean): NumberTypedArray | ArrayAccessor<number> {
  return makeArray(dv, off, kind, count, le);
}

/** Fixed-size array of 64-bit elements at `off`: BigUint64Array/BigInt64Array when aligned and host-endian. */
export function bigintArray(dv: DataView, off: number, kind: BigIntKind, count: number, le: boolean): BigIntTypedArray | ArrayAccessor<bigint> {
  return makeArray(dv, off, kind, count, le);
}

function checkFlex(dv: DataView, off: number, count: number, elemSize: number, limit: number | undefined): void {
  const end = limit === undefined ? dv.byteLength : Math.min(limit, dv.byteLength);
  if (!(Number.isSafeInteger(count) && count >= 0 && off >= 0 && off <= end && count * elemSize <= end - off)) {
    throw new FlexibleArrayOverflowError(off, count, elemSize, Math.max(0, end - off));
  }
}

/** Flexible array member (`T name[]`) of `count` number elements; bounds-checked against `limit` (default: the DataView's end). */
export function flexibleNumberArray(dv: DataView, off: number, kind: NumberKind, count: number, le: boolean, limit?: number): NumberTypedArray | ArrayAccessor<number> {
  checkFlex(dv, off, count, SCALAR_SIZE[kind], limit);
  return makeArray(dv, off, kind, count, le);
}

/** Flexible array of 64-bit elements; bounds-checked like flexibleNumberArray. */
export function flexibleBigintArray(dv: DataView, off: number, kind: BigIntKind, count: number, le: boolean, limit?: number): BigIntTypedArray | ArrayAccessor<bigint> {
  checkFlex(dv, off, count, 8, limit);
  return makeArray(dv, off, kind, count, le);
}

/** Array (fixed or flexible) of structs: elements are built lazily by `make(dv, elementOffset)`. */
export function structArray<V>(dv: DataView, off: number, count: number, elemSize: number, make: (dv: DataView, off: number) => V, limit?: number): ArrayAccessor<V> {
  checkFlex(dv, off, count, elemSize, limit);
  return new ArrayAccessor<V>(dv, off, count, elemSize, (d, o) => make(d, o), null, true);
}

/** Bounds-checked element read on either array kind. */
export function arrayGet<T>(a: ArrayLike<T> | ArrayAccessor<T>, i: number): T {
  if (a instanceof ArrayAccessor) return a.get(i);
  if (!(i >= 0 && i < a.length) || !Number.isInteger(i)) throw new IndexOutOfRangeError(i, a.length);
  return a[i] as T;
}

/** Bounds-checked element write on either array kind. */
export function arraySet<T>(a: { length: number; [i: number]: T } | ArrayAccessor<T>, i: number, v: T): void {
  if (a instanceof ArrayAccessor) return a.set(i, v);
  if (!(i >= 0 && i < a.length) || !Number.isInteger(i)) throw new IndexOutOfRangeError(i, a.length);
  a[i] = v;
}
