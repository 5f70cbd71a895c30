import { type Abi, lp64Ints, predefs } from './types.js';

const ppcCommon = {
  __powerpc__: '1', __powerpc64__: '1', __PPC__: '1', __PPC64__: '1', __LP64__: '1', _LP64: '1', __CHAR_UNSIGNED__: '1',
  __SIZEOF_LONG__: '8', __SIZEOF_POINTER__: '8', __SIZEOF_INT128__: '16', __SIZEOF_LONG_DOUBLE__: '16',
  __BIGGEST_ALIGNMENT__: '16',
};

/**
 * 64-bit PowerPC ELF ABI (ELFv1, big-endian) 3.1.2 "Fundamental Types"; the ioctl encoding differs
 * (arch/powerpc/include/uapi/asm/ioctl.h: 13 size bits, 3 direction bits), which comes from the headers.
 */
export const ppc64: Abi = {
  name: 'ppc64',
  triplet: 'powerpc64-linux-gnu',
  gcc: 'powerpc64-linux-gnu-gcc',
  nodeArch: 'ppc64',
  endian: 'big',
  charSigned: false,
  ints: lp64Ints(),
  floats: { float: { size: 4, align: 4 }, double: { size: 8, align: 8 }, ldouble: { size: 16, align: 16 } },
  pointer: { size: 8, align: 8 },
  biggestAlignment: 16,
  alignAnonBitfields: false,
  timeBits: 64,
  predefined: predefs({
    ...ppcCommon, __BIG_ENDIAN__: '1', _BIG_ENDIAN: '1', _CALL_ELF: '1',
    __BYTE_ORDER__: '__ORDER_BIG_ENDIAN__', __FLOAT_WORD_ORDER__: '__ORDER_BIG_ENDIAN__',
  }),
  sources: ['64-bit PowerPC ELF ABI Supplement 1.9, 3.1.2 Table 3-1'],
};

/** OpenPOWER ELFv2 ABI 2.1.2.1 "Fundamental Types" (little-endian). */
export const ppc64le: Abi = {
  ...ppc64,
  name: 'ppc64le',
  triplet: 'powerpc64le-linux-gnu',
  gcc: 'powerpc64le-linux-gnu-gcc',
  nodeArch: 'ppc64',
  endian: 'little',
  predefined: predefs({
    ...ppcCommon, __LITTLE_ENDIAN__: '1', _LITTLE_ENDIAN: '1', _CALL_ELF: '2',
    __BYTE_ORDER__: '__ORDER_LITTLE_ENDIAN__', __FLOAT_WORD_ORDER__: '__ORDER_LITTLE_ENDIAN__',
  }),
  sources: ['Power Architecture 64-Bit ELF V2 ABI 2.1.2.1 Table 2.1'],
};
