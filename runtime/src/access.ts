/**
 * Scalar accessor grid for generated code: read/write × u8 s8 u16 s16 u32 s32 u64 s64 × le/be.
 * Plain functions over a DataView: each call site in generated code is monomorphic, 64-bit values
 * are bigint, everything else number. Offsets are relative to the DataView (a struct view's DataView
 * starts at the struct).
 */

/** True when this process is little-endian (typed arrays use host order). */
export const HOST_LITTLE_ENDIAN: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export const readU8le = (dv: DataView, off: number): number => dv.getUint8(off);
export const readU8be = readU8le;
export const readS8le = (dv: DataView, off: number): number => dv.getInt8(off);
export const readS8be = readS8le;
export const readU16le = (dv: DataView, off: number): number => dv.getUint16(off, true);
export const readU16be = (dv: DataView, off: number): number => dv.getUint16(off, false);
export const readS16le = (dv: DataView, off: number): number => dv.getInt16(off, true);
export const readS16be = (dv: DataView, off: number): number => dv.getInt16(off, false);
export const readU32le = (dv: DataView, off: number): number => dv.getUint32(off, true);
export const readU32be = (dv: DataView, off: number): number => dv.getUint32(off, false);
export const readS32le = (dv: DataView, off: number): number => dv.getInt32(off, true);
export const readS32be = (dv: DataView, off: number): number => dv.getInt32(off, false);
export const readU64le = (dv: DataView, off: number): bigint => dv.getBigUint64(off, true);
export const readU64be = (dv: DataView, off: number): bigint => dv.getBigUint64(off, false);
export const readS64le = (dv: DataView, off: number): bigint => dv.getBigInt64(off, true);
export const readS64be = (dv: DataView, off: number): bigint => dv.getBigInt64(off, false);

/**
 * Writes take an integer that fits the member's width as either signed or unsigned (C converts
 * `-1` to 0xffffffff for a __u32, and the DataView stores it so); anything else (a fraction, NaN,
 * or a value that would lose bits, such as 2**32 for a __u32) is a RangeError instead of the
 * DataView's silent wrap.
 */
function misfit(bits: number, v: number | bigint): RangeError {
  return new RangeError(`${String(v)} does not fit a ${bits}-bit member (integers from -2^${bits - 1} to 2^${bits}-1)`);
}
const fits8 = (v: number): boolean => ((v << 24) >> 24) === v || (v & 0xff) === v;
export const writeU8le = (dv: DataView, off: number, v: number): void => {
  if (!fits8(v)) throw misfit(8, v);
  dv.setUint8(off, v);
};
export const writeU8be = writeU8le;
export const writeS8le = (dv: DataView, off: number, v: number): void => {
  if (!fits8(v)) throw misfit(8, v);
  dv.setInt8(off, v);
};
export const writeS8be = writeS8le;
const fits16 = (v: number): boolean => ((v << 16) >> 16) === v || (v & 0xffff) === v;
export const writeU16le = (dv: DataView, off: number, v: number): void => {
  if (!fits16(v)) throw misfit(16, v);
  dv.setUint16(off, v, true);
};
export const writeU16be = (dv: DataView, off: number, v: number): void => {
  if (!fits16(v)) throw misfit(16, v);
  dv.setUint16(off, v, false);
};
export const writeS16le = (dv: DataView, off: number, v: number): void => {
  if (!fits16(v)) throw misfit(16, v);
  dv.setInt16(off, v, true);
};
export const writeS16be = (dv: DataView, off: number, v: number): void => {
  if (!fits16(v)) throw misfit(16, v);
  dv.setInt16(off, v, false);
};
const fits32 = (v: number): boolean => (v | 0) === v || v >>> 0 === v;
export const writeU32le = (dv: DataView, off: number, v: number): void => {
  if (!fits32(v)) throw misfit(32, v);
  dv.setUint32(off, v, true);
};
export const writeU32be = (dv: DataView, off: number, v: number): void => {
  if (!fits32(v)) throw misfit(32, v);
  dv.setUint32(off, v, false);
};
export const writeS32le = (dv: DataView, off: number, v: number): void => {
  if (!fits32(v)) throw misfit(32, v);
  dv.setInt32(off, v, true);
};
export const writeS32be = (dv: DataView, off: number, v: number): void => {
  if (!fits32(v)) throw misfit(32, v);
  dv.setInt32(off, v, false);
};
const fits64 = (v: bigint): boolean => BigInt.asIntN(64, v) === v || BigInt.asUintN(64, v) === v;
export const writeU64le = (dv: DataView, off: number, v: bigint): void => {
  if (typeof v === 'bigint' && !fits64(v)) throw misfit(64, v);
  dv.setBigUint64(off, v, true);
};
export const writeU64be = (dv: DataView, off: number, v: bigint): void => {
  if (typeof v === 'bigint' && !fits64(v)) throw misfit(64, v);
  dv.setBigUint64(off, v, false);
};
export const writeS64le = (dv: DataView, off: number, v: bigint): void => {
  if (typeof v === 'bigint' && !fits64(v)) throw misfit(64, v);
  dv.setBigInt64(off, v, true);
};
export const writeS64be = (dv: DataView, off: number, v: bigint): void => {
  if (typeof v === 'bigint' && !fits64(v)) throw misfit(64, v);
  dv.setBigInt64(off, v, false);
};

export type NumberKind = 'u8' | 's8' | 'u16' | 's16' | 'u32' | 's32';
export type BigIntKind = 'u64' | 's64';
export type ScalarKind = NumberKind | BigIntKind;

export const SCALAR_SIZE: { readonly [K in ScalarKind]: number } = {
  u8: 1, s8: 1, u16: 2, s16: 2, u32: 4, s32: 4, u64: 8, s64: 8,
};

/** Read any scalar kind (used by toJSON and generic code; generated getters call the grid directly). */
export function readScalar(dv: DataView, off: number, kind: ScalarKind, le: boolean): number | bigint {
  switch (kind) {
    case 'u8': return dv.getUint8(off);
    case 's8': return dv.getInt8(off);
    case 'u16': return dv.getUint16(off, le);
    case 's16': return dv.getInt16(off, le);
    case 'u32': return dv.getUint32(off, le);
    case 's32': return dv.getInt32(off, le);
    case 'u64': return dv.getBigUint64(off, le);
    case 's64': return dv.getBigInt64(off, le);
  }
}

/** Read an unsigned integer of 1, 2, 4 or 8 bytes as a number (8-byte values above 2^53 lose precision: callers check). */
export function readUnsigned(dv: DataView, off: number, size: number, le: boolean): number {
  switch (size) {
    case 1: return dv.getUint8(off);
    case 2: return dv.getUint16(off, le);
    case 4: return dv.getUint32(off, le);
    default: return Number(dv.getBigUint64(off, le));
  }
}

// ---------------------------------------------------------------------------------------------
// Bitfields. A bitfield lives in a storage unit of `unit` bytes at byte offset `off`. `pos` is the
// field's bit position within the unit in *allocation order* (what the layout engine reports:
// bit offset of the field minus 8 × the unit's byte offset). GCC allocates from the least
// significant bit on little-endian ABIs and from the most significant bit on big-endian ABIs, so
// the shift is `pos` (le) or `unit*8 - pos - width` (be). `le` selects both byte and bit order.

function bitShift(unitBits: number, pos: number, width: number, le: boolean): number {
  return le ? pos : unitBits - pos - width;
}

function readUnit(dv: DataView, off: number, unit: 1 | 2 | 4, le: boolean): number {
  return unit === 1 ? dv.getUint8(off) : unit === 2 ? dv.getUint16(off, le) : dv.getUint32(off, le);
}

/** Read a bitfield of width 1..32 from a 1-, 2- or 4-byte storage unit. */
export function readBits(dv: DataView, off: number, unit: 1 | 2 | 4, pos: number, width: number, le: boolean, signed: boolean): number {
  const raw = readUnit(dv, off, unit, le);
  const shift = bitShift(unit * 8, pos, width, le);
  const mask = width >= 32 ? 0xffffffff : (1 << width) - 1;
  const v = (raw >>> shift) & mask;
  if (signed) return width >= 32 ? v | 0 : (v << (32 - width)) >> (32 - width);
  return v >>> 0;
}

/** Write a bitfield of width 1..32 into a 1-, 2- or 4-byte storage unit, keeping the other bits. */
export function writeBits(dv: DataView, off: number, unit: 1 | 2 | 4, pos: number, width: number, le: boolean, value: number): void {
  if (!(Number.isInteger(value) && value >= -(2 ** (width - 1)) && value <= 2 ** width - 1)) throw misfit(width, value);
  const raw = readUnit(dv, off, unit, le);
  const shift = bitShift(unit * 8, pos, width, le);
  const mask = width >= 32 ? 0xffffffff : (1 << width) - 1;
  const m = (mask << shift) >>> 0;
  const out = ((raw & ~m) | ((value << shift) & m)) >>> 0;
  if (unit === 1) dv.setUint8(off, out);
  else if (unit === 2) dv.setUint16(off, out, le);
  else dv.setUint32(off, out, le);
}

/** Read a bitfield of width 1..64 from an 8-byte storage unit, as bigint. */
export function readBits64(dv: DataView, off: number, pos: number, width: number, le: boolean, signed: boolean): bigint {
  const raw = dv.getBigUint64(off, le);
  const v = BigInt.asUintN(width, raw >> BigInt(bitShift(64, pos, width, le)));
  return signed ? BigInt.asIntN(width, v) : v;
}

/** Write a bitfield of width 1..64 into an 8-byte storage unit. */
export function writeBits64(dv: DataView, off: number, pos: number, width: number, le: boolean, value: bigint): void {
  if (value < -(1n << BigInt(width - 1)) || value >= 1n << BigInt(width)) throw misfit(width, value);
  const raw = dv.getBigUint64(off, le);
  const shift = BigInt(bitShift(64, pos, width, le));
  const m = ((1n << BigInt(width)) - 1n) << shift;
  const out = (raw & ~m & 0xffffffffffffffffn) | ((BigInt.asUintN(width, value) << shift) & m);
  dv.setBigUint64(off, out, le);
}
