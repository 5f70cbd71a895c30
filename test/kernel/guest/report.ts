/**
 * What the programs run inside the guest print: one JSON document each. The C program
 * (test/kernel/c/vfio-probe.c) and the TypeScript one (vfio-probe.ts) print the same `calls`,
 * keyed alike, so the host can compare them call by call, field by field, cap by cap.
 */

export type Json = number | string | boolean | null | Json[] | { [k: string]: Json };

/** One capability of a reply's chain as the kernel wrote it. */
export interface CapRecord {
  /** Offset of the cap header inside the reply. */
  offset: number;
  id: number;
  version: number;
  next: number;
  /** The cap's struct by C member name (64-bit values as decimal strings); header-only and
   *  unknown caps: the vfio_info_cap_header fields (id, version, next). */
  fields: { [k: string]: Json };
}

/** The error a call ended with, as the TypeScript program caught it. */
export interface CaughtError {
  /** Class name: IoctlError, CapabilityMisalignedError, ... */
  name: string;
  message: string;
  /** IoctlError: the request (hex number, or the call's text for open/pread...), errno and code. */
  request?: string;
  errno?: number;
  code?: string;
  /** CapabilityMisalignedError and the other chain errors: the offset they name. */
  offset?: number;
}

export interface Call {
  /** Stable key shared by both programs: "<object> <ioctl>[(<arg>)][ #attempt]". */
  key: string;
  /** The ioctl's C name ("open" for opening a VFIO node). */
  ioctl: string;
  /** The request number, hex (null for open). */
  request: string | null;
  /** argsz passed in (null for ioctls without an argsz struct). */
  argszIn: number | null;
  /** The return value: 0 or the ioctl's result; -1 on failure. */
  ret: number;
  /** errno's symbolic name when ret is -1. */
  errno: string | null;
  /** The whole buffer after the call, hex. */
  bytes?: string;
  /** The reply struct by C member name. */
  fields?: { [k: string]: Json };
  caps?: CapRecord[];
  /** TypeScript only: the error object, for error paths. */
  error?: CaughtError;
  /** Extra facts (the group number of an open). */
  group?: number;
}

/** How the TypeScript program read a chain (TypeScript only). */
export interface ChainRead {
  /** The call key of the reply that was walked. */
  key: string;
  policy: 'strict' | 'compat';
  /** argsz passed on each attempt of the negotiation. */
  argszIns: number[];
  attempts: number;
  /** Offsets of caps copied into aligned storage (compat). */
  realigned: number[];
  error?: CaughtError;
}

export interface EduReport {
  vendor?: number;
  device?: number;
  /** PCI command register after setting bus master. */
  command?: number;
  /** Command register before (TypeScript only). */
  commandBefore?: number;
  /** BAR0 offset 0. */
  id?: number;
  /** BAR0 offset 4 after writing 0x12345678: its complement. */
  liveness?: number;
  /** BAR0 offset 8 after writing 10. */
  factorial10?: number;
  dmaMapRet?: number;
  dmaMapErrno?: string;
  /** 1 when the bytes came back. */
  dmaRoundTrip?: number;
  dmaUnmapRet?: number;
  /** The size VFIO_IOMMU_UNMAP_DMA reports unmapped (decimal string). */
  dmaUnmapSize?: string;
  error?: string;
  [k: string]: Json | undefined;
}

export interface ProbeReport {
  program: 'c' | 'ts';
  /** uname -r of the guest kernel. */
  release: string;
  machine: string;
  /** sizeof of the info structs in the headers the program was built with. */
  sizes: { [struct: string]: number };
  calls: Call[];
  edu?: EduReport;
  /** TypeScript only. */
  chains?: ChainRead[];
  /** TypeScript only: the policy picked from the running kernel's version. */
  policy?: 'strict' | 'compat';
  /** TypeScript only: a failure outside any call. */
  fatal?: CaughtError;
}

/** The edu driver's report (edu-driver.ts). */
export interface EduDriverReport {
  program: 'ts-edu';
  release: string;
  policy: 'strict' | 'compat';
  bdf: string;
  group: number;
  /** IOVA ranges the kernel reported; the IOVA picked inside one and below edu's DMA mask. */
  iovaRanges: { start: string; end: string }[];
  iova?: string;
  edu: EduReport & {
    /** Through an mmap of BAR0 (Uint32Array), when BAR0 has VFIO_REGION_INFO_FLAG_MMAP. */
    mmapId?: number;
    mmapLiveness?: number;
    bar0Flags?: number;
    dmaBytes?: number;
    dmaAddressAligned?: boolean;
  };
  fatal?: CaughtError;
}
