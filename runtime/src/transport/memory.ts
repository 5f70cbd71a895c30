/**
 * Memory a userspace driver shares with the kernel or a device: a mapping of a VFIO region
 * (mmap of the device fd at the region's offset) and page-aligned anonymous memory whose
 * process address goes into VFIO_IOMMU_MAP_DMA. Both are seen from JavaScript through one
 * ArrayBuffer over the mapping (no copy).
 */
import { UapiRuntimeError } from '../errors.js';

/** mmap(2) protection bits (the same on every Linux architecture). */
export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;

export interface MappedMemory {
  /** The mapping's address in this process (what VFIO_IOMMU_MAP_DMA takes as `vaddr`). */
  readonly address: bigint;
  /** Bytes mapped (a multiple of the page size). */
  readonly length: number;
  /**
   * The mapped bytes, without a copy. For a device region every access is a device access of the
   * element's width: read a 32-bit register through a Uint32Array, not byte by byte.
   */
  readonly buffer: ArrayBuffer;
  /** Whether unmap() has run: after it the buffer points at unmapped memory and must not be touched. */
  readonly unmapped: boolean;
  /**
   * munmap(2). Afterwards any view of `buffer` reads unmapped memory, which crashes the process:
   * drop every view first (for DMA memory: after VFIO_IOMMU_UNMAP_DMA). A second call throws.
   */
  unmap(): void;
}

/** unmap() of a mapping that is already unmapped. */
export class MappingReleasedError extends UapiRuntimeError {
  override name = 'MappingReleasedError';
  constructor(
    readonly address: bigint,
    readonly length: number,
  ) {
    super(`the mapping of ${length} bytes at 0x${address.toString(16)} was already unmapped; call unmap() once`);
  }
}

/** A length for mmap: a positive integer, rounded up to whole pages. */
export function pageRound(length: number, pageSize: number): number {
  if (!Number.isSafeInteger(length) || length <= 0) throw new RangeError(`mapping length ${length} is not a positive integer`);
  return Math.ceil(length / pageSize) * pageSize;
}

/** A file offset as the int64 pread/pwrite/mmap take: a non-negative integer below 2^63. */
export function fileOffset(offset: number | bigint): bigint {
  const v = typeof offset === 'bigint' ? offset : Number.isSafeInteger(offset) ? BigInt(offset) : -1n;
  if (v < 0n || v >= 1n << 63n) throw new RangeError(`file offset ${offset} is not an integer in [0, 2^63)`);
  return v;
}
