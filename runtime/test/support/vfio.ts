// Test-side VFIO tables built from gcc numbers (what generated code would pass the runtime).
import { capTable, type ChainOptions } from '../../src/index.js';
import type { FakeVfioLayout } from '../../src/testing/index.js';
import { vfioNumbers } from './gcc.js';

export function fakeLayout(): FakeVfioLayout {
  const n = vfioNumbers() as Record<string, number>;
  const g = (k: string): number => {
    const v = n[k];
    if (v === undefined) throw new Error(`gcc did not report ${k}`);
    return v;
  };
  return {
    device: { size: g('dev_size'), argsz: g('dev_argsz'), flags: g('dev_flags'), capOffset: g('dev_cap_offset'), numRegions: g('dev_num_regions'), numIrqs: g('dev_num_irqs') },
    region: { size: g('reg_size'), argsz: g('reg_argsz'), flags: g('reg_flags'), capOffset: g('reg_cap_offset'), index: g('reg_index'), regionSize: g('reg_region_size'), regionOffset: g('reg_offset') },
    iommu: { size: g('iommu_size'), argsz: g('iommu_argsz'), flags: g('iommu_flags'), capOffset: g('iommu_cap_offset'), iovaPgsizes: g('iommu_iova_pgsizes') },
    sparseMmap: { nrAreas: g('sparse_nr_areas'), areas: g('sparse_areas'), areaSize: g('area_size'), areaOffset: g('area_offset'), areaSizeField: g('area_size_field') },
    iovaRange: { nrIovas: g('iova_nr'), ranges: g('iova_ranges'), rangeSize: g('range_size'), start: g('range_start'), end: g('range_end') },
    migration: { size: g('mig_size'), flags: g('mig_flags'), pgsizeBitmap: g('mig_pgsize_bitmap'), maxDirtyBitmapSize: g('mig_max_dirty') },
    requests: { deviceGetInfo: g('REQ_DEVICE_GET_INFO'), deviceGetRegionInfo: g('REQ_DEVICE_GET_REGION_INFO'), iommuGetInfo: g('REQ_IOMMU_GET_INFO') },
    capsFlags: { device: g('DEVICE_FLAGS_CAPS'), region: g('REGION_INFO_FLAG_CAPS'), iommu: g('IOMMU_INFO_CAPS') },
    capIds: { sparseMmap: g('CAP_SPARSE_MMAP'), msixMappable: g('CAP_MSIX_MAPPABLE'), iovaRange: g('CAP_IOVA_RANGE'), migration: g('CAP_MIGRATION') },
  };
}

export function regionChainOptions(L: FakeVfioLayout): Omit<ChainOptions, 'argsz'> {
  const n = vfioNumbers() as Record<string, number>;
  return {
    infoEnd: L.region.capOffset + 4,
    argszOffset: L.region.argsz,
    flagsOffset: L.region.flags,
    capOffsetOffset: L.region.capOffset,
    capsFlag: L.capsFlags.region,
    caps: capTable([
      { id: L.capIds.sparseMmap, version: 1, name: 'sparse_mmap', minSize: n['sparse_size']!, flex: { countOffset: L.sparseMmap.nrAreas, countSize: 4, elementSize: L.sparseMmap.areaSize, arrayOffset: L.sparseMmap.areas } },
      { id: L.capIds.msixMappable, version: 1, name: 'msix_mappable', minSize: n['hdr_size']! },
    ]),
  };
}

export function iommuChainOptions(L: FakeVfioLayout): Omit<ChainOptions, 'argsz'> {
  const n = vfioNumbers() as Record<string, number>;
  return {
    infoEnd: L.iommu.capOffset + 4,
    argszOffset: L.iommu.argsz,
    flagsOffset: L.iommu.flags,
    capOffsetOffset: L.iommu.capOffset,
    capsFlag: L.capsFlags.iommu,
    caps: capTable([
      { id: L.capIds.iovaRange, version: 1, name: 'iova_range', minSize: n['iova_cap_size']!, flex: { countOffset: L.iovaRange.nrIovas, countSize: 4, elementSize: L.iovaRange.rangeSize, arrayOffset: L.iovaRange.ranges } },
      { id: L.capIds.migration, version: 1, name: 'migration', minSize: L.migration.size },
    ]),
  };
}

export function deviceChainOptions(L: FakeVfioLayout): Omit<ChainOptions, 'argsz'> {
  return {
    infoEnd: L.device.capOffset + 4,
    argszOffset: L.device.argsz,
    flagsOffset: L.device.flags,
    capOffsetOffset: L.device.capOffset,
    capsFlag: L.capsFlags.device,
    caps: capTable([]),
  };
}
