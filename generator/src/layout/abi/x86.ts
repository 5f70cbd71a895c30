import { type Abi, ilp32Ints, lp64Ints, predefs } from './types.js';

/** System V AMD64 psABI 1.0, section 3.1.2 "Data Representation" (Figure 3.1). */
export const x86_64: Abi = {
  name: 'x86_64',
  triplet: 'x86_64-linux-gnu',
  gcc: 'x86_64-linux-gnu-gcc',
  nodeArch: 'x64',
  endian: 'little',
  charSigned: true,
  ints: lp64Ints(),
  floats: { float: { size: 4, align: 4 }, double: { size: 8, align: 8 }, ldouble: { size: 16, align: 16 } },
  pointer: { size: 8, align: 8 },
  biggestAlignment: 16,
  alignAnonBitfields: false,
  timeBits: 64,
  predefined: predefs({
    __x86_64__: '1', __x86_64: '1', __amd64__: '1', __amd64: '1', __LP64__: '1', _LP64: '1',
    __SIZEOF_LONG__: '8', __SIZEOF_POINTER__: '8', __SIZEOF_INT128__: '16', __SIZEOF_LONG_DOUBLE__: '16',
    __BIGGEST_ALIGNMENT__: '16', __BYTE_ORDER__: '__ORDER_LITTLE_ENDIAN__', __FLOAT_WORD_ORDER__: '__ORDER_LITTLE_ENDIAN__',
  }),
  sources: ['x86-64 psABI 3.1.2, Figure 3.1 (scalar types); 3.1.2 "Aggregates and Unions", "Bit-Fields"'],
};

/**
 * i386 System V psABI (Intel386 supplement, 4th ed., 2.2 "Data Representation"): long long and double
 * are 4-aligned inside structs (GCC x86_field_alignment without -malign-double), long double is 12/4.
 */
export const i386: Abi = {
  name: 'i386',
  triplet: 'i386-linux-gnu',
  gcc: 'i686-linux-gnu-gcc',
  nodeArch: 'ia32',
  endian: 'little',
  charSigned: true,
  ints: ilp32Ints(4),
  floats: { float: { size: 4, align: 4 }, double: { size: 8, align: 4 }, ldouble: { size: 12, align: 4 } },
  pointer: { size: 4, align: 4 },
  biggestAlignment: 16,
  alignAnonBitfields: false,
  // glibc __TIMESIZE: 32-bit time_t by default (64 with _TIME_BITS=64)
  timeBits: 32,
  predefined: predefs({
    __i386__: '1', __i386: '1', i386: '1', __ILP32__: '1',
    __SIZEOF_LONG__: '4', __SIZEOF_POINTER__: '4', __SIZEOF_LONG_DOUBLE__: '12',
    __BIGGEST_ALIGNMENT__: '16', __BYTE_ORDER__: '__ORDER_LITTLE_ENDIAN__', __FLOAT_WORD_ORDER__: '__ORDER_LITTLE_ENDIAN__',
  }),
  sources: ['i386 psABI 2.2 Figure 2-1; GCC config/i386/i386.cc x86_field_alignment (4-byte cap for long long/double fields)'],
};
