/**
 * What a scalar's bytes are on one ABI: size, signedness and class, as gcc lays them out. The
 * layout stage computes these once per member; emit, report and diff read them and never derive
 * a size or a kind again (issue 11).
 */
import type { IntKind, TypeRef } from '../ir/types.js';
import type { Abi } from './abi/index.js';

/** Names in the runtime's accessor grid (`readU32le`...), plus IEEE floats. */
export type ScalarKind = 'u8' | 's8' | 'u16' | 's16' | 'u32' | 's32' | 'u64' | 's64' | 'f32' | 'f64';

export interface ScalarFact {
  /** `int` covers the char types; `enum` is an enum read as its underlying integer type. */
  class: 'int' | 'bool' | 'enum' | 'pointer' | 'float';
  /** Bytes. */
  size: number;
  signed: boolean;
  /** The accessor name for these bytes, or null where there is none (__int128, long double). */
  kind: ScalarKind | null;
}

/**
 * An enum's underlying integer type as GCC picks it (c-decl.cc finish_enum): unsigned int when no
 * value is negative and all fit, int when some are negative and all fit; otherwise the smallest
 * of long / long long (unsigned when no value is negative) that holds every value. A `packed`
 * enum takes the smallest integer type that holds every value (1 or 2 bytes, or as above).
 */
export interface EnumFact {
  size: number;
  signed: boolean;
}

/** The underlying type of an enum with these extreme values. */
export function enumFact(min: bigint, max: bigint, packed: boolean): EnumFact {
  const signed = min < 0n;
  if (packed) {
    if (signed ? min >= -128n && max <= 127n : max <= 255n) return { size: 1, signed };
    if (signed ? min >= -32768n && max <= 32767n : max <= 65535n) return { size: 2, signed };
  }
  if (signed ? min >= -(2n ** 31n) && max < 2n ** 31n : max < 2n ** 32n) return { size: 4, signed };
  return { size: 8, signed };
}

const SIGNED_INTS: ReadonlySet<IntKind> = new Set(['schar', 'short', 'int', 'long', 'llong', 'int128']);

function gridKind(prefix: 'u' | 's' | 'f', size: number): ScalarKind | null {
  if (prefix === 'f') return size === 4 ? 'f32' : size === 8 ? 'f64' : null;
  return size === 1 || size === 2 || size === 4 || size === 8 ? (`${prefix}${size * 8}` as ScalarKind) : null;
}

/**
 * The scalar fact of a type with typedefs resolved, or undefined when it is not a scalar (record,
 * array, void, function, unknown). `size` is the type's size on this ABI (from the layout stage:
 * an enum's or a typedef's size is known there).
 */
export function scalarFact(t: TypeRef, size: number, abi: Abi, enumInfo: (id: number) => EnumFact): ScalarFact | undefined {
  switch (t.kind) {
    case 'int': {
      if (t.int === 'bool') return { class: 'bool', size, signed: false, kind: gridKind('u', size) };
      const signed = t.int === 'char' ? abi.charSigned : SIGNED_INTS.has(t.int);
      return { class: 'int', size, signed, kind: gridKind(signed ? 's' : 'u', size) };
    }
    case 'enum': {
      const e = enumInfo(t.id);
      return { class: 'enum', size: e.size, signed: e.signed, kind: gridKind(e.signed ? 's' : 'u', e.size) };
    }
    case 'pointer':
      return { class: 'pointer', size, signed: false, kind: gridKind('u', size) };
    case 'float':
      // long double is x87 extended, IBM double-double or binary128 depending on the ABI: no accessor.
      return { class: 'float', size, signed: true, kind: t.float === 'ldouble' ? null : gridKind('f', size) };
    default:
      return undefined;
  }
}
