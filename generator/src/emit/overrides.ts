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
  /**
   * Feature-selecting carrier structs (vfio_device_feature): the id macros (`idPrefix*`) and the
   * payload each id carries in the carrier's flexible data[]. The header defines payload structs
   * before, after or far from their ids, and some ids have none, so only a table says it. Every
   * `idPrefix*` macro of the header must be a key of `payloads` or of `notIds`
   * (test/emit/features.test.ts); an entry the header lacks (an older kernel's) is skipped.
   */
  features: Record<string, FeatureTable>;
}

export type FeaturePayload = { struct: string; reason: string } | { bytes: number; reason: string } | { none: true; reason: string };

export interface FeatureTable {
  /** The ioctl that takes the carrier. */
  ioctl: string;
  /** The macro whose value masks the id bits of `flags`. */
  idMask: string;
  /** Id macros begin with this. */
  idPrefix: string;
  /** Id macro -> its payload: a struct, raw bytes, or none. */
  payloads: Record<string, FeaturePayload>;
  /** Macros with the prefix that are not feature ids, and what they are. */
  notIds: Record<string, string>;
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
    IOMMU_OPTION: { struct: 'iommu_option', reason: "linux/iommufd.h: the kernel-doc is `struct iommu_option - iommu option multiplexer` (no ioctl(NAME)); the struct right above the #define is the argument" },
    IOMMU_IOAS_CHANGE_PROCESS: { struct: 'iommu_ioas_change_process', reason: 'linux/iommufd.h: the kernel-doc says ioctl(VFIO_IOAS_CHANGE_PROCESS), a name the header never defines; the struct right above the #define is the argument' },
    VFIO_MIG_GET_PRECOPY_INFO: { struct: 'vfio_precopy_info', reason: 'the doc line is `_IO(VFIO_TYPE, VFIO_BASE + 21)` with no struct; the doc block describes, and ends with, struct vfio_precopy_info (argsz/flags in, sizes out)' },
  },
  features: {
    vfio_device_feature: {
      ioctl: 'VFIO_DEVICE_FEATURE',
      idMask: 'VFIO_DEVICE_FEATURE_MASK',
      idPrefix: 'VFIO_DEVICE_FEATURE_',
      payloads: {
        VFIO_DEVICE_FEATURE_PCI_VF_TOKEN: { bytes: 16, reason: 'the doc: "Data provided when setting this feature is a 16-byte array (__u8 b[16]), representing a UUID"; no struct' },
        VFIO_DEVICE_FEATURE_MIGRATION: { struct: 'vfio_device_feature_migration', reason: 'defined right above the id' },
        VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE: { struct: 'vfio_device_feature_mig_state', reason: 'defined right above the id' },
        VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY: { none: true, reason: 'the doc: a SET with no data (the device may enter low power)' },
        VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP: { struct: 'vfio_device_low_power_entry_with_wakeup', reason: 'defined right above the id; its name lacks the feature_ prefix' },
        VFIO_DEVICE_FEATURE_LOW_POWER_EXIT: { none: true, reason: 'the doc: a SET with no data' },
        VFIO_DEVICE_FEATURE_DMA_LOGGING_START: { struct: 'vfio_device_feature_dma_logging_control', reason: 'the struct above the id is vfio_device_feature_dma_logging_range, the element of control.ranges; control is the payload (drivers/vfio/vfio_main.c vfio_ioctl_device_feature_logging_start)' },
        VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP: { none: true, reason: 'the doc: a SET with no data' },
        VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT: { struct: 'vfio_device_feature_dma_logging_report', reason: 'defined right above the id' },
        VFIO_DEVICE_FEATURE_MIG_DATA_SIZE: { struct: 'vfio_device_feature_mig_data_size', reason: 'defined above the id' },
        VFIO_DEVICE_FEATURE_BUS_MASTER: { struct: 'vfio_device_feature_bus_master', reason: 'defined right above the id' },
        VFIO_DEVICE_FEATURE_DMA_BUF: { struct: 'vfio_device_feature_dma_buf', reason: 'defined after the id (with vfio_region_dma_range, the element of its dma_ranges[])' },
        VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2: { none: true, reason: 'the doc: a SET that enables precopy_info v2; no data' },
      },
      notIds: {
        VFIO_DEVICE_FEATURE_MASK: 'the mask of the id bits in flags',
        VFIO_DEVICE_FEATURE_GET: 'an operation flag',
        VFIO_DEVICE_FEATURE_SET: 'an operation flag',
        VFIO_DEVICE_FEATURE_PROBE: 'an operation flag',
        VFIO_DEVICE_FEATURE_CLEAR_MASTER: 'a value of vfio_device_feature_bus_master.op',
        VFIO_DEVICE_FEATURE_SET_MASTER: 'a value of vfio_device_feature_bus_master.op',
      },
    },
  },
  ioctlByValue: {
    VFIO_CHECK_EXTENSION: { reason: 'drivers/vfio/container.c: vfio_container_ioctl_check_extension(container, arg) takes the extension number as arg itself' },
    VFIO_SET_IOMMU: { reason: 'drivers/vfio/container.c: vfio_ioctl_set_iommu(container, arg) takes the IOMMU type as arg itself' },
  },
};
