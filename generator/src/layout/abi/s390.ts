import { type Abi, lp64Ints, predefs } from './types.js';

/**
 * s390x ELF ABI Supplement 1.6, 1.2.2 "Fundamental Types": big-endian, LP64, long double and
 * __int128 are 16 bytes with 8-byte alignment (__BIGGEST_ALIGNMENT__ 8); bit-fields are allocated
 * from the most significant bit.
 */
export const s390x: Abi = {
  name: 's390x',
  triplet: 's390x-linux-gnu',
  gcc: 's390x-linux-gnu-gcc',
  nodeArch: 's390x',
  endian: 'big',
  charSigned: false,
  ints: lp64Ints({ int128: { size: 16, align: 8 }, uint128: { size: 16, align: 8 } }),
  floats: { float: { size: 4, align: 4 }, double: { size: 8, align: 8 }, ldouble: { size: 16, align: 8 } },
  pointer: { size: 8, align: 8 },
  biggestAlignment: 8,
  alignAnonBitfields: false,
  timeBits: 64,
  predefined: predefs({
    __s390__: '1', __s390x__: '1', __zarch__: '1', __LP64__: '1', _LP64: '1', __CHAR_UNSIGNED__: '1',
    __SIZEOF_LONG__: '8', __SIZEOF_POINTER__: '8', __SIZEOF_INT128__: '16', __SIZEOF_LONG_DOUBLE__: '16',
    __BIGGEST_ALIGNMENT__: '8', __BYTE_ORDER__: '__ORDER_BIG_ENDIAN__', __FLOAT_WORD_ORDER__: '__ORDER_BIG_ENDIAN__',
  }),
  sources: ['s390x ELF ABI Supplement 1.2.2 Table 1.1'],
};
