import { type Abi, ilp32Ints, lp64Ints, predefs } from './types.js';

/**
 * AAPCS64 (Arm 64-bit PCS) 5.1 "Fundamental Data Types"; plain char is unsigned. 10.1.8 "Bit-fields":
 * as in AAPCS, the container type of an unnamed or zero-width bit-field still counts for the
 * record's alignment (GCC's TARGET_ALIGN_ANON_BITFIELD is true on AArch64 too; checked by gcc tests).
 */
export const aarch64: Abi = {
  name: 'aarch64',
  triplet: 'aarch64-linux-gnu',
  gcc: 'aarch64-linux-gnu-gcc',
  nodeArch: 'arm64',
  endian: 'little',
  charSigned: false,
  ints: lp64Ints(),
  floats: { float: { size: 4, align: 4 }, double: { size: 8, align: 8 }, ldouble: { size: 16, align: 16 } },
  pointer: { size: 8, align: 8 },
  biggestAlignment: 16,
  alignAnonBitfields: true,
  timeBits: 64,
  predefined: predefs({
    __aarch64__: '1', __AARCH64EL__: '1', __LP64__: '1', _LP64: '1', __CHAR_UNSIGNED__: '1',
    __SIZEOF_LONG__: '8', __SIZEOF_POINTER__: '8', __SIZEOF_INT128__: '16', __SIZEOF_LONG_DOUBLE__: '16',
    __BIGGEST_ALIGNMENT__: '16', __BYTE_ORDER__: '__ORDER_LITTLE_ENDIAN__', __FLOAT_WORD_ORDER__: '__ORDER_LITTLE_ENDIAN__',
  }),
  sources: ['AAPCS64 5.1 Table 1 (byte size and alignment of fundamental types)'],
};

/**
 * AAPCS (32-bit, EABI hard-float) 4.1 "Fundamental Data Types": long long and double are 8-aligned,
 * long double is double; 7.1.7 "Bit-fields": the container's alignment counts even for unnamed
 * bit-fields (GCC arm_align_anon_bitfield).
 */
export const armhf: Abi = {
  name: 'armhf',
  triplet: 'arm-linux-gnueabihf',
  gcc: 'arm-linux-gnueabihf-gcc',
  nodeArch: 'arm',
  endian: 'little',
  charSigned: false,
  ints: ilp32Ints(8),
  floats: { float: { size: 4, align: 4 }, double: { size: 8, align: 8 }, ldouble: { size: 8, align: 8 } },
  pointer: { size: 4, align: 4 },
  biggestAlignment: 8,
  alignAnonBitfields: true,
  // glibc __TIMESIZE: 32-bit time_t by default (64 with _TIME_BITS=64)
  timeBits: 32,
  predefined: predefs({
    __arm__: '1', __ARMEL__: '1', __ARM_EABI__: '1', __ARM_PCS_VFP: '1', __CHAR_UNSIGNED__: '1',
    __SIZEOF_LONG__: '4', __SIZEOF_POINTER__: '4', __SIZEOF_LONG_DOUBLE__: '8',
    __BIGGEST_ALIGNMENT__: '8', __BYTE_ORDER__: '__ORDER_LITTLE_ENDIAN__', __FLOAT_WORD_ORDER__: '__ORDER_LITTLE_ENDIAN__',
  }),
  sources: ['AAPCS 4.1 Table 1; 7.1.7 Bit-fields; GCC config/arm/arm.cc arm_align_anon_bitfield'],
};
