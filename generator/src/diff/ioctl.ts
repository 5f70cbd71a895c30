/**
 * Recognizing ioctl request numbers by decoding their value (the layout JSON carries values, not
 * macro bodies). Linux encodes `_IOC(dir, type, nr, size)` as nr in bits 0-7, type in bits 8-15,
 * size from bit 16 and dir above it:
 * - asm-generic (x86, arm, arm64, s390, riscv): size 14 bits, dir 2 bits at 30 (0 none, 1 write, 2 read);
 * - powerpc: size 13 bits, dir 3 bits at 29 (1 none, 2 read, 4 write).
 * A value counts as an ioctl when it decodes consistently (a type byte; no size exactly when the
 * direction is none) and its name is not one of a flag, mask, shift, size, ... (conventions.ts).
 */
import { isNonIoctlName } from './conventions.js';

export interface Ioctl {
  dir: 'none' | 'read' | 'write' | 'readwrite';
  type: number;
  nr: number;
  size: number;
}

const POWERPC = new Set(['ppc64', 'ppc64le', 'ppc', 'powerpc', 'powerpc64', 'powerpc64le']);

export function decodeIoctl(value: bigint, abi: string): Ioctl | undefined {
  if (value < 0x100n || value > 0xffffffffn) return undefined;
  const v = Number(value);
  const nr = v & 0xff;
  const type = (v >>> 8) & 0xff;
  if (type === 0) return undefined;
  let size: number;
  let dir: Ioctl['dir'] | undefined;
  if (POWERPC.has(abi)) {
    size = (v >>> 16) & 0x1fff;
    dir = ({ 1: 'none', 2: 'read', 4: 'write', 6: 'readwrite' } as const)[(v >>> 29) as 1 | 2 | 4 | 6];
  } else {
    size = (v >>> 16) & 0x3fff;
    dir = (['none', 'write', 'read', 'readwrite'] as const)[v >>> 30];
  }
  if (dir === undefined || (dir === 'none') !== (size === 0)) return undefined;
  return { dir, type, nr, size };
}

export function isIoctl(name: string, value: bigint, abi: string): boolean {
  return !isNonIoctlName(name) && decodeIoctl(value, abi) !== undefined;
}

const MACRO = { none: '_IO', read: '_IOR', write: '_IOW', readwrite: '_IOWR' } as const;

/** `_IOWR(0x3b, 0x64, 24 bytes)` */
export function describeIoctl(i: Ioctl): string {
  const t = `0x${i.type.toString(16)}`;
  return i.dir === 'none' ? `_IO(${t}, ${i.nr})` : `${MACRO[i.dir]}(${t}, ${i.nr}, ${i.size} bytes)`;
}
