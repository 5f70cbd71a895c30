/**
 * VFIO_IOMMU_GET_INFO as a 6.1 kernel answers it on x86_64 (vfio_iommu_type1.c): the info struct,
 * then MIGRATION, DMA_AVAIL and IOVA_RANGE caps packed without rounding (pre-6.6), built with the
 * runtime's legacy ChainBuilder. Every size and offset comes from gcc compiling the 6.1 header.
 */
import { join } from 'node:path';
import { ChainBuilder } from '@uapi-ts/runtime';
import { getAbi } from '../../generator/src/layout/abi/index.js';
import { gccValues } from './gcc-values.js';
import { HEADERS } from './trees.js';

export const T61 = join(HEADERS, '6.1/include');

const EXPRS = {
  info: 'sizeof(struct vfio_iommu_type1_info)',
  argsz: 'offsetof(struct vfio_iommu_type1_info, argsz)',
  flags: 'offsetof(struct vfio_iommu_type1_info, flags)',
  pgsizes: 'offsetof(struct vfio_iommu_type1_info, iova_pgsizes)',
  cap_offset: 'offsetof(struct vfio_iommu_type1_info, cap_offset)',
  caps_flag: 'VFIO_IOMMU_INFO_CAPS',
  pgsizes_flag: 'VFIO_IOMMU_INFO_PGSIZES',
  mig: 'sizeof(struct vfio_iommu_type1_info_cap_migration)',
  mig_id: 'VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION',
  mig_flags: 'offsetof(struct vfio_iommu_type1_info_cap_migration, flags)',
  mig_pgsize: 'offsetof(struct vfio_iommu_type1_info_cap_migration, pgsize_bitmap)',
  mig_max: 'offsetof(struct vfio_iommu_type1_info_cap_migration, max_dirty_bitmap_size)',
  dma: 'sizeof(struct vfio_iommu_type1_info_dma_avail)',
  dma_id: 'VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL',
  dma_avail: 'offsetof(struct vfio_iommu_type1_info_dma_avail, avail)',
  iova: 'sizeof(struct vfio_iommu_type1_info_cap_iova_range)',
  iova_id: 'VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE',
  iova_nr: 'offsetof(struct vfio_iommu_type1_info_cap_iova_range, nr_iovas)',
  iova_ranges: 'offsetof(struct vfio_iommu_type1_info_cap_iova_range, iova_ranges)',
  range: 'sizeof(struct vfio_iova_range)',
  range_end: 'offsetof(struct vfio_iova_range, end)',
  header: 'sizeof(struct vfio_info_cap_header)',
} as const;

export type IommuNumbers = Record<keyof typeof EXPRS, number>;

export async function iommuNumbers61(): Promise<IommuNumbers> {
  return gccValues(getAbi('x86_64')!, [T61], 'linux/vfio.h', EXPRS);
}

/** The reply bytes (argsz = what the caps need, as QEMU's second call passes) and where the caps landed. */
export function iommuReply61(g: IommuNumbers): { bytes: Uint8Array; caps: number[] } {
  const le = true;
  const b = new ChainBuilder({ infoSize: g.info, littleEndian: le, legacy: true });
  const u64 = (dv: DataView, o: number, v: bigint): void => dv.setBigUint64(o, v, le);
  const body = (size: number, write: (dv: DataView, at: (structOffset: number) => number) => void) => ({ size: size - g.header, write: (dv: DataView, off: number) => write(dv, (s) => off - g.header + s) });
  b.add(g.mig_id, 1, body(g.mig, (dv, at) => {
    dv.setUint32(at(g.mig_flags), 0, le);
    u64(dv, at(g.mig_pgsize), 4096n);
    u64(dv, at(g.mig_max), 268435456n); // DIRTY_BITMAP_SIZE_MAX
  }));
  b.add(g.dma_id, 1, body(g.dma, (dv, at) => dv.setUint32(at(g.dma_avail), 65535, le)));
  const ranges = [[0n, 0xfedfffffn], [0xfef00000n, 0xffffffffffffffffn]] as const;
  b.add(g.iova_id, 1, body(g.iova + ranges.length * g.range, (dv, at) => {
    dv.setUint32(at(g.iova_nr), ranges.length, le);
    ranges.forEach(([start, end], i) => {
      u64(dv, at(g.iova_ranges + i * g.range), start);
      u64(dv, at(g.iova_ranges + i * g.range + g.range_end), end);
    });
  }));
  const info = new Uint8Array(g.info);
  const dv = new DataView(info.buffer);
  dv.setUint32(g.flags, g.pgsizes_flag, le);
  u64(dv, g.pgsizes, 0x40201000n);
  const needed = g.info + b.capsSize;
  const r = b.finish(info, { argszOffset: g.argsz, flagsOffset: g.flags, capOffsetOffset: g.cap_offset, capsFlag: g.caps_flag, userArgsz: needed });
  // Where the caps are, read the way a C program walks them: cap_offset, then each header's next.
  const out = new DataView(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
  const caps: number[] = [];
  for (let at = out.getUint32(g.cap_offset, le); at !== 0; at = out.getUint32(at + 4, le)) caps.push(at);
  return { bytes: r.bytes, caps };
}
