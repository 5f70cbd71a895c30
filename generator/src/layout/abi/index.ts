import { aarch64, armhf } from './arm.js';
import { ppc64, ppc64le } from './ppc.js';
import { riscv64 } from './riscv.js';
import { s390x } from './s390.js';
import type { Abi, AbiName } from './types.js';
import { i386, x86_64 } from './x86.js';

export type { Abi, AbiName, SizeAlign } from './types.js';

/** Every supported ABI, in report order. */
export const ABIS: readonly Abi[] = [x86_64, i386, aarch64, armhf, s390x, ppc64, ppc64le, riscv64];

export const ABI_NAMES: readonly AbiName[] = ABIS.map((a) => a.name);

export function getAbi(name: string): Abi | undefined {
  return ABIS.find((a) => a.name === name);
}

/**
 * The 64-bit-time variant of an ABI: what gcc sees with `-D_TIME_BITS=64 -D_FILE_OFFSET_BITS=64`
 * (glibc 2.34+; Debian trixie's armhf default). On an ABI whose time_t is already 64-bit only the
 * two macros differ. Same name: per-ABI tables keyed by name carry the variant's facts.
 */
export function withTime64(abi: Abi): Abi {
  if (abi.time64) return abi;
  return { ...abi, time64: true, predefined: { ...abi.predefined, _TIME_BITS: '64', _FILE_OFFSET_BITS: '64' } };
}

/** The ABI of the running Node process, if we support it. */
export function hostAbi(arch: string = process.arch, endian: 'LE' | 'BE' = 'LE'): Abi | undefined {
  if (arch === 'ppc64') return endian === 'BE' ? ppc64 : ppc64le;
  return ABIS.find((a) => a.nodeArch === arch);
}
