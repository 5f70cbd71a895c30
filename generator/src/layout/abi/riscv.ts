import { type Abi, lp64Ints, predefs } from './types.js';

/** RISC-V ELF psABI, "C/C++ type details" (LP64D): long double is 128-bit IEEE quad, 16-aligned. */
export const riscv64: Abi = {
  name: 'riscv64',
  triplet: 'riscv64-linux-gnu',
  gcc: 'riscv64-linux-gnu-gcc',
  nodeArch: 'riscv64',
  endian: 'little',
  charSigned: false,
  ints: lp64Ints(),
  floats: { float: { size: 4, align: 4 }, double: { size: 8, align: 8 }, ldouble: { size: 16, align: 16 } },
  pointer: { size: 8, align: 8 },
  biggestAlignment: 16,
  alignAnonBitfields: false,
  timeBits: 64,
  predefined: predefs({
    __riscv: '1', __riscv_xlen: '64', __LP64__: '1', _LP64: '1', __CHAR_UNSIGNED__: '1',
    __SIZEOF_LONG__: '8', __SIZEOF_POINTER__: '8', __SIZEOF_INT128__: '16', __SIZEOF_LONG_DOUBLE__: '16',
    __BIGGEST_ALIGNMENT__: '16', __BYTE_ORDER__: '__ORDER_LITTLE_ENDIAN__', __FLOAT_WORD_ORDER__: '__ORDER_LITTLE_ENDIAN__',
  }),
  sources: ['RISC-V ELF psABI, "C/C++ type sizes and alignments" (LP64)'],
};
