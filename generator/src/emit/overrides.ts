/**
 * What the header's naming conventions do not decide, with the reason for each entry. Everything
 * else in the bindings (which structs carry capability chains, which cap struct belongs to which id,
 * each ioctl's argument struct) is inferred from the header by emit/model/.
 */
export interface Overrides {
  /** struct -> flexible array member -> the member that counts its elements (where no `__counted_by`). */
  countedBy: Record<string, Record<string, { member: string; reason: string }>>;
  /** Cap struct or header-only cap macro -> versions the kernel emits (default: what the struct's `End of version N` comments mark, else [1]). */
  capVersions: Record<string, { versions: number[]; reason: string }>;
  /** Info struct -> the CAPS flag macro, when it is not defined inside the struct body. */
  capsFlag: Record<string, { macro: string; reason: string }>;
  /** Ioctl -> its argument struct, where the doc comment names none or a struct the header does not define. */
  ioctlArg: Record<string, { struct: string; reason: string }>;
  /**
   * Ioctls whose argument the kernel takes as the integer itself, not as a pointer to it. Header
   * docs spell both the same way (`_IOW(..., __u32)` over an `_IO` define), so only the kernel
   * source tells them apart.
   */
  ioctlByValue: Record<string, { reason: string }>;
}

export const OVERRIDES: Overrides = {
  countedBy: {
    vfio_region_info_cap_sparse_mmap: {
      areas: { member: 'nr_areas', reason: 'no __counted_by in the header; nr_areas is the count (drivers/vfio/pci/vfio_pci_core.c fills both)' },
    },
    vfio_iommu_type1_info_cap_iova_range: {
      iova_ranges: { member: 'nr_iovas', reason: 'no __counted_by in the header; the doc comment names nr_iovas as the number of ranges' },
    },
    vfio_pci_hot_reset_info: {
      devices: { member: 'count', reason: 'no __counted_by; count is the number of devices (the kernel returns -ENOSPC with count set when argsz is short)' },
    },
    vfio_pci_hot_reset: {
      group_fds: { member: 'count', reason: 'no __counted_by; count is the number of group fds' },
    },
    vfio_device_info_cap_zpci_util: {
      util_str: { member: 'size', reason: "linux/vfio_zdev.h: \"'size' specifies the length of 'util_str'\" (bytes; no __counted_by)" },
    },
    vfio_device_info_cap_zpci_pfip: {
      pfip: { member: 'size', reason: "linux/vfio_zdev.h: \"'size' specifies the length of 'pfip'\" (bytes; no __counted_by)" },
    },
    vfio_irq_set: {
      // data[] is deliberately absent: its element size depends on flags (none, bool, eventfd), so it has no fixed count member.
    },
  },
  // The zPCI caps' versions are read from the `End of version N` marks in linux/vfio_zdev.h
  // (capabilities.ts markedVersions); an entry here is for a cap whose header marks none.
  capVersions: {},
  capsFlag: {},
  ioctlArg: {
    VFIO_DEVICE_QUERY_GFX_PLANE: { struct: 'vfio_device_gfx_plane_info', reason: 'the doc says struct vfio_device_query_gfx_plane, a name the header never defines; the struct right above it is vfio_device_gfx_plane_info' },
    VFIO_IOMMU_GET_INFO: { struct: 'vfio_iommu_type1_info', reason: 'the doc names struct vfio_iommu_info (generic wording); type1 is the only info struct the header defines for it' },
    VFIO_IOMMU_MAP_DMA: { struct: 'vfio_iommu_type1_dma_map', reason: 'the doc names struct vfio_dma_map; the header defines vfio_iommu_type1_dma_map' },
    VFIO_IOMMU_UNMAP_DMA: { struct: 'vfio_iommu_type1_dma_unmap', reason: 'the doc names struct vfio_dma_unmap; the header defines vfio_iommu_type1_dma_unmap' },
    VFIO_IOMMU_SPAPR_TCE_GET_INFO: { struct: 'vfio_iommu_spapr_tce_info', reason: 'no `NAME - _IO(...)` doc line; the struct defined right above the #define is the argument' },
    VFIO_EEH_PE_OP: { struct: 'vfio_eeh_pe_op', reason: 'no `NAME - _IO(...)` doc line; the EEH doc block describes struct vfio_eeh_pe_op' },
    VFIO_MIG_GET_PRECOPY_INFO: { struct: 'vfio_precopy_info', reason: 'the doc line is `_IO(VFIO_TYPE, VFIO_BASE + 21)` with no struct; the doc block describes, and ends with, struct vfio_precopy_info (argsz/flags in, sizes out)' },
  },
  ioctlByValue: {
    VFIO_CHECK_EXTENSION: { reason: 'drivers/vfio/container.c: vfio_container_ioctl_check_extension(container, arg) takes the extension number as arg itself' },
    VFIO_SET_IOMMU: { reason: 'drivers/vfio/container.c: vfio_ioctl_set_iommu(container, arg) takes the IOMMU type as arg itself' },
  },
};
