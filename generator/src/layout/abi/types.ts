import type { FloatKind, IntKind } from '../../ir/types.js';

export type AbiName = 'x86_64' | 'i386' | 'aarch64' | 'armhf' | 's390x' | 'ppc64' | 'ppc64le' | 'riscv64';

export interface SizeAlign {
  size: number;
  /** Alignment of a struct member of this type (may be less than _Alignof, e.g. i386 long long). */
  align: number;
}

/**
 * One ABI: everything layout/ needs to know about a target, with the psABI section each value
 * comes from. Adding an ABI is adding one of these tables.
 */
export interface Abi {
  name: AbiName;
  /** Debian multiarch triplet: asm/ headers live in <include>/<triplet>/asm. */
  triplet: string;
  /** Debian cross compiler that is the layout truth for this ABI. */
  gcc: string;
  /** Node's process.arch for hosts of this ABI (undefined: Node does not run there natively). */
  nodeArch: string;
  endian: 'little' | 'big';
  /** Is plain `char` signed? */
  charSigned: boolean;
  ints: Record<Exclude<IntKind, 'char'>, SizeAlign>;
  floats: Record<FloatKind, SizeAlign>;
  pointer: SizeAlign;
  /** `__attribute__((aligned))` without a number: __BIGGEST_ALIGNMENT__. */
  biggestAlignment: number;
  /** GCC's targetm.align_anon_bitfield: unnamed bitfields raise the record's alignment (AAPCS). */
  alignAnonBitfields: boolean;
  /**
   * glibc's default width of time_t in bits (`__TIMESIZE`, bits/timesize.h): 32 on i386 and armhf,
   * 64 elsewhere. It sizes time_t, struct timeval and struct timespec in the libc model
   * (preprocess/libc-model.ts); `withTime64` gives the 64-bit-time variant of a 32-bit ABI.
   */
  timeBits: 32 | 64;
  /**
   * Set on the 64-bit-time variant (`withTime64`): what gcc sees with `-D_TIME_BITS=64
   * -D_FILE_OFFSET_BITS=64` (and Debian trixie's armhf default): 64-bit time_t and off_t.
   */
  time64?: boolean;
  /** Macros the compiler predefines that uapi headers test (checked against `gcc -dM -E` in tests). */
  predefined: Record<string, string>;
  /** psABI references for the values above. */
  sources: string[];
}

const common = {
  __CHAR_BIT__: '8',
  __GNUC__: '12',
  __STDC__: '1',
  __STDC_VERSION__: '201710L',
  __linux__: '1',
  __ORDER_LITTLE_ENDIAN__: '1234',
  __ORDER_BIG_ENDIAN__: '4321',
  __ORDER_PDP_ENDIAN__: '3412',
};

export function predefs(specific: Record<string, string>): Record<string, string> {
  return { ...common, ...specific };
}

export function lp64Ints(overrides: Partial<Record<Exclude<IntKind, 'char'>, SizeAlign>> = {}): Record<Exclude<IntKind, 'char'>, SizeAlign> {
  return {
    bool: { size: 1, align: 1 },
    schar: { size: 1, align: 1 },
    uchar: { size: 1, align: 1 },
    short: { size: 2, align: 2 },
    ushort: { size: 2, align: 2 },
    int: { size: 4, align: 4 },
    uint: { size: 4, align: 4 },
    long: { size: 8, align: 8 },
    ulong: { size: 8, align: 8 },
    llong: { size: 8, align: 8 },
    ullong: { size: 8, align: 8 },
    int128: { size: 16, align: 16 },
    uint128: { size: 16, align: 16 },
    ...overrides,
  };
}

export function ilp32Ints(llongAlign: number): Record<Exclude<IntKind, 'char'>, SizeAlign> {
  return lp64Ints({
    long: { size: 4, align: 4 },
    ulong: { size: 4, align: 4 },
    llong: { size: 8, align: llongAlign },
    ullong: { size: 8, align: llongAlign },
    // No __int128 on 32-bit targets: a header using it is reported unsupported there.
    int128: { size: 0, align: 0 },
    uint128: { size: 0, align: 0 },
  });
}
