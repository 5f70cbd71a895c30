// Layout and request numbers come from the C compiler and the system headers, never typed by hand.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Compile `source` with the host gcc, run it, return its stdout. */
export function runC(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'uapi-rt-'));
  try {
    writeFileSync(join(dir, 'p.c'), source);
    execFileSync('gcc', ['-O0', '-o', join(dir, 'p'), join(dir, 'p.c')], { stdio: ['ignore', 'pipe', 'pipe'] });
    return execFileSync(join(dir, 'p'), { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Compile `source` (which defines `unsigned char out[]` initialised data) with `cc` and return the .data bytes. */
export function compileData(cc: string, objcopy: string, source: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'uapi-rt-'));
  try {
    writeFileSync(join(dir, 'd.c'), source);
    execFileSync(cc, ['-c', '-O0', '-o', join(dir, 'd.o'), join(dir, 'd.c')], { stdio: ['ignore', 'pipe', 'pipe'] });
    execFileSync(objcopy, ['-O', 'binary', '--only-section=.data', join(dir, 'd.o'), join(dir, 'd.bin')]);
    return execFileSync('cat', [join(dir, 'd.bin')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface VfioNumbers {
  [k: string]: number;
}

let vfioCache: VfioNumbers | undefined;

/** sizeof/offsetof/ioctl numbers from <linux/vfio.h> (kernel 6.1 on Debian 12). */
export function vfioNumbers(): VfioNumbers {
  if (vfioCache) return vfioCache;
  const items: [string, string][] = [
    ['dev_size', 'sizeof(struct vfio_device_info)'],
    ['dev_argsz', 'offsetof(struct vfio_device_info, argsz)'],
    ['dev_flags', 'offsetof(struct vfio_device_info, flags)'],
    ['dev_num_regions', 'offsetof(struct vfio_device_info, num_regions)'],
    ['dev_num_irqs', 'offsetof(struct vfio_device_info, num_irqs)'],
    ['dev_cap_offset', 'offsetof(struct vfio_device_info, cap_offset)'],
    ['reg_size', 'sizeof(struct vfio_region_info)'],
    ['reg_argsz', 'offsetof(struct vfio_region_info, argsz)'],
    ['reg_flags', 'offsetof(struct vfio_region_info, flags)'],
    ['reg_index', 'offsetof(struct vfio_region_info, index)'],
    ['reg_cap_offset', 'offsetof(struct vfio_region_info, cap_offset)'],
    ['reg_region_size', 'offsetof(struct vfio_region_info, size)'],
    ['reg_offset', 'offsetof(struct vfio_region_info, offset)'],
    ['iommu_size', 'sizeof(struct vfio_iommu_type1_info)'],
    ['iommu_argsz', 'offsetof(struct vfio_iommu_type1_info, argsz)'],
    ['iommu_flags', 'offsetof(struct vfio_iommu_type1_info, flags)'],
    ['iommu_iova_pgsizes', 'offsetof(struct vfio_iommu_type1_info, iova_pgsizes)'],
    ['iommu_cap_offset', 'offsetof(struct vfio_iommu_type1_info, cap_offset)'],
    ['hdr_size', 'sizeof(struct vfio_info_cap_header)'],
    ['sparse_size', 'sizeof(struct vfio_region_info_cap_sparse_mmap)'],
    ['sparse_nr_areas', 'offsetof(struct vfio_region_info_cap_sparse_mmap, nr_areas)'],
    ['sparse_areas', 'offsetof(struct vfio_region_info_cap_sparse_mmap, areas)'],
    ['area_size', 'sizeof(struct vfio_region_sparse_mmap_area)'],
    ['area_offset', 'offsetof(struct vfio_region_sparse_mmap_area, offset)'],
    ['area_size_field', 'offsetof(struct vfio_region_sparse_mmap_area, size)'],
    ['iova_cap_size', 'sizeof(struct vfio_iommu_type1_info_cap_iova_range)'],
    ['iova_nr', 'offsetof(struct vfio_iommu_type1_info_cap_iova_range, nr_iovas)'],
    ['iova_ranges', 'offsetof(struct vfio_iommu_type1_info_cap_iova_range, iova_ranges)'],
    ['range_size', 'sizeof(struct vfio_iova_range)'],
    ['range_start', 'offsetof(struct vfio_iova_range, start)'],
    ['range_end', 'offsetof(struct vfio_iova_range, end)'],
    ['mig_size', 'sizeof(struct vfio_iommu_type1_info_cap_migration)'],
    ['mig_flags', 'offsetof(struct vfio_iommu_type1_info_cap_migration, flags)'],
    ['mig_pgsize_bitmap', 'offsetof(struct vfio_iommu_type1_info_cap_migration, pgsize_bitmap)'],
    ['mig_max_dirty', 'offsetof(struct vfio_iommu_type1_info_cap_migration, max_dirty_bitmap_size)'],
    ['REQ_DEVICE_GET_INFO', 'VFIO_DEVICE_GET_INFO'],
    ['REQ_DEVICE_GET_REGION_INFO', 'VFIO_DEVICE_GET_REGION_INFO'],
    ['REQ_IOMMU_GET_INFO', 'VFIO_IOMMU_GET_INFO'],
    ['DEVICE_FLAGS_CAPS', 'VFIO_DEVICE_FLAGS_CAPS'],
    ['DEVICE_FLAGS_PCI', 'VFIO_DEVICE_FLAGS_PCI'],
    ['REGION_INFO_FLAG_CAPS', 'VFIO_REGION_INFO_FLAG_CAPS'],
    ['REGION_INFO_FLAG_READ', 'VFIO_REGION_INFO_FLAG_READ'],
    ['IOMMU_INFO_CAPS', 'VFIO_IOMMU_INFO_CAPS'],
    ['IOMMU_INFO_PGSIZES', 'VFIO_IOMMU_INFO_PGSIZES'],
    ['CAP_SPARSE_MMAP', 'VFIO_REGION_INFO_CAP_SPARSE_MMAP'],
    ['CAP_MSIX_MAPPABLE', 'VFIO_REGION_INFO_CAP_MSIX_MAPPABLE'],
    ['CAP_IOVA_RANGE', 'VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE'],
    ['CAP_MIGRATION', 'VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION'],
    ['CAP_ZPCI_BASE', 'VFIO_DEVICE_INFO_CAP_ZPCI_BASE'],
  ];
  const src = `#include <stdio.h>\n#include <stddef.h>\n#include <linux/vfio.h>\nint main(void){\n` +
    items.map(([k, e], i) => `printf("%s\\"${k}\\":%lu", ${i === 0 ? '"{"' : '","'}, (unsigned long)(${e}));`).join('\n') +
    `\nprintf("}\\n");return 0;}\n`;
  vfioCache = JSON.parse(runC(src)) as VfioNumbers;
  return vfioCache;
}
