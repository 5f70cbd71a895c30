/**
 * An in-process fake of the VFIO info ioctls, faithful to the kernel's copy-out rules: argsz below
 * the ioctl's minsz → EINVAL; caps that do not fit → argsz = needed, CAPS flag set, cap_offset = 0;
 * caps built like vfio_info_cap_add/vfio_info_cap_shift (6.6: 8-byte rounding and padded info;
 * 6.1: no rounding, caps right after a 20-byte vfio_device_info); the info copied back through
 * cap_offset only (6.1 leaves vfio_iommu_type1_info's bytes 20..23 unwritten), a region's
 * cap_offset echoed from the caller's buffer when it has no caps; IOMMU caps in the kernel's order
 * (MIGRATION, DMA_AVAIL, IOVA_RANGE). It knows no layout numbers: `FakeVfio.fromBindings(vfio,
 * { kernel })` takes them from a generated package, `new FakeVfio({ layout, ... })` from the
 * caller (the runtime's own tests take them from gcc and <linux/vfio.h>).
 */
import { IoctlError, type NamedRequest } from '../errors.js';
import type { BindingLayout } from '../emit-support.js';
import { HOST_LITTLE_ENDIAN } from '../access.js';
import { ChainBuilder, type CapWriter } from '../builder.js';

const EINVAL = 22;
const EFAULT = 14;
const ENOTTY = 25;

export interface InfoLayout {
  /** sizeof(struct) in the emulated kernel's headers. */
  readonly size: number;
  readonly argsz: number;
  readonly flags: number;
  readonly capOffset: number;
  /**
   * The ioctl's minsz: an argsz below it is EINVAL, and an argsz below offsetofend(cap_offset)
   * gets only this many bytes back (offsetofend(num_irqs) for device info, offsetofend(iova_pgsizes)
   * for IOMMU info, the whole struct for region info). Default offsetofend(cap_offset).
   */
  readonly minArgsz?: number;
}

export interface FakeVfioLayout {
  readonly device: InfoLayout & { readonly numRegions: number; readonly numIrqs: number };
  readonly region: InfoLayout & { readonly index: number; readonly regionSize: number; readonly regionOffset: number };
  readonly iommu: InfoLayout & { readonly iovaPgsizes: number };
  /** Cap struct layouts (offsets from the cap header). */
  readonly sparseMmap: { readonly nrAreas: number; readonly areas: number; readonly areaSize: number; readonly areaOffset: number; readonly areaSizeField: number };
  readonly iovaRange: { readonly nrIovas: number; readonly ranges: number; readonly rangeSize: number; readonly start: number; readonly end: number };
  readonly migration: { readonly size: number; readonly flags: number; readonly pgsizeBitmap: number; readonly maxDirtyBitmapSize: number };
  /** vfio_iommu_type1_info_dma_avail (needed for `iommu.dmaAvail`). */
  readonly dmaAvail?: { readonly size: number; readonly avail: number };
  readonly requests: { readonly deviceGetInfo: number; readonly deviceGetRegionInfo: number; readonly iommuGetInfo: number };
  readonly capsFlags: { readonly device: number; readonly region: number; readonly iommu: number };
  readonly capIds: { readonly sparseMmap: number; readonly msixMappable: number; readonly iovaRange: number; readonly migration: number; readonly dmaAvail?: number };
}

export interface FakeRegion {
  readonly flags: number;
  readonly size: bigint;
  readonly offset: bigint;
  readonly sparseAreas?: readonly { readonly offset: bigint; readonly size: bigint }[];
  /** Adds the header-only VFIO_REGION_INFO_CAP_MSIX_MAPPABLE cap. */
  readonly msixMappable?: boolean;
}

export interface FakeVfioConfig {
  readonly layout: FakeVfioLayout;
  /** '6.1': unrounded caps, unpadded info sizes (device caps at 20). '6.6' (default): padded, rounded. */
  readonly kernel?: '6.1' | '6.6';
  readonly littleEndian?: boolean;
  readonly device: {
    readonly flags: number;
    readonly numIrqs: number;
    /** Raw device caps (e.g. zPCI-like caps with odd body sizes): body excludes the header. */
    readonly caps?: readonly { readonly id: number; readonly version: number; readonly body: Uint8Array }[];
  };
  /**
   * The device's regions by index; `null` is an index the device counts (num_regions) but has no
   * region at (VFIO_PCI_VGA_REGION_INDEX of a device without VGA): EINVAL, as the kernel answers.
   */
  readonly regions: readonly (FakeRegion | null)[];
  readonly iommu: {
    readonly flags: number;
    readonly iovaPgsizes: bigint;
    readonly iovaRanges?: readonly { readonly start: bigint; readonly end: bigint }[];
    readonly migration?: { readonly flags: number; readonly pgsizeBitmap: bigint; readonly maxDirtyBitmapSize: bigint };
    /** VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL: the DMA mappings still available (65535 by default in Linux). */
    readonly dmaAvail?: number;
  };
}

/** A struct of a generated package: its layout table on the package's ABI. */
interface HasLayout {
  readonly layout: BindingLayout;
}

/**
 * What FakeVfio.fromBindings reads from a generated VFIO package: the module itself
 * (`import * as vfio from '@uapi-ts/vfio'`, or `'@uapi-ts/vfio/abi/s390x'` for another ABI).
 */
export interface VfioBindings {
  readonly structs: {
    readonly vfio_device_info: HasLayout;
    readonly vfio_region_info: HasLayout;
    readonly vfio_iommu_type1_info: HasLayout;
    readonly vfio_region_info_cap_sparse_mmap: HasLayout;
    readonly vfio_region_sparse_mmap_area: HasLayout;
    readonly vfio_iommu_type1_info_cap_iova_range: HasLayout;
    readonly vfio_iova_range: HasLayout;
    readonly vfio_iommu_type1_info_cap_migration: HasLayout;
    readonly vfio_iommu_type1_info_dma_avail: HasLayout;
  };
  readonly ioctls: { readonly [name: string]: NamedRequest } & {
    readonly VFIO_DEVICE_GET_INFO: NamedRequest;
    readonly VFIO_DEVICE_GET_REGION_INFO: NamedRequest;
    readonly VFIO_IOMMU_GET_INFO: NamedRequest;
  };
  readonly VFIO_DEVICE_FLAGS_CAPS: number;
  readonly VFIO_REGION_INFO_FLAG_CAPS: number;
  readonly VFIO_IOMMU_INFO_CAPS: number;
  readonly VFIO_REGION_INFO_CAP_SPARSE_MMAP: number;
  readonly VFIO_REGION_INFO_CAP_MSIX_MAPPABLE: number;
  readonly VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE: number;
  readonly VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION: number;
  readonly VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL: number;
}

/** FakeVfioConfig without the layout (fromBindings makes it); what is left out is empty. */
export interface FakeVfioFromBindingsOptions {
  /** '6.1': pre-6.6 struct sizes and unrounded caps; '6.6' (default): padded structs, 8-aligned caps. */
  readonly kernel?: '6.1' | '6.6';
  /** Default: the package's ABI's byte order. */
  readonly littleEndian?: boolean;
  /** Default: no flags, no IRQs, no caps. */
  readonly device?: FakeVfioConfig['device'];
  /** Default: none. */
  readonly regions?: FakeVfioConfig['regions'];
  /** Default: VFIO_IOMMU_INFO_PGSIZES is not set, page sizes 0, no caps. */
  readonly iommu?: FakeVfioConfig['iommu'];
}

const roundUp = (n: number, a: number): number => Math.ceil(n / a) * a;

function offsetOf(l: BindingLayout, member: string): number {
  const o = l.offsets[member];
  if (o === undefined) throw new TypeError(`FakeVfio.fromBindings: ${l.name} has no member ${member}`);
  return o;
}

function flexOffset(l: BindingLayout): number {
  if (l.flex === undefined) throw new TypeError(`FakeVfio.fromBindings: ${l.name} has no flexible array`);
  return l.flex.offset;
}

/**
 * sizeof(info) as a kernel before 6.6 had it: 6.6 added a `__u32 pad` after cap_offset to
 * vfio_device_info (20 -> 24) and vfio_iommu_type1_info, and made the latter's iova_pgsizes an
 * __aligned_u64; without them the struct ends at cap_offset, rounded up to the alignment a plain
 * __u64 has on the ABI (`plainU64Align`: 8 on x86_64, so 24 either way; 4 on i386, so 20). Pass
 * the alignment of a struct of plain __u64 members (fromBindings uses vfio_iova_range's).
 */
export function sizeBefore66(l: BindingLayout, plainU64Align = l.align): number {
  const pad = l.offsets['pad'];
  const end = offsetOf(l, 'cap_offset') + 4;
  return pad !== undefined && pad >= end ? roundUp(end, Math.min(l.align, plainU64Align)) : l.size;
}

/** The fake's layout for one kernel, every number from a generated package's tables. */
export function fakeLayoutFromBindings(vfio: VfioBindings, kernel: '6.1' | '6.6'): FakeVfioLayout {
  const s = vfio.structs;
  const info = (l: BindingLayout, minArgsz: number): InfoLayout => ({
    size: kernel === '6.1' ? sizeBefore66(l, s.vfio_iova_range.layout.align) : l.size,
    argsz: offsetOf(l, 'argsz'),
    flags: offsetOf(l, 'flags'),
    capOffset: offsetOf(l, 'cap_offset'),
    minArgsz,
  });
  const dev = s.vfio_device_info.layout;
  const reg = s.vfio_region_info.layout;
  const iommu = s.vfio_iommu_type1_info.layout;
  const sparse = s.vfio_region_info_cap_sparse_mmap.layout;
  const area = s.vfio_region_sparse_mmap_area.layout;
  const iova = s.vfio_iommu_type1_info_cap_iova_range.layout;
  const range = s.vfio_iova_range.layout;
  const mig = s.vfio_iommu_type1_info_cap_migration.layout;
  const avail = s.vfio_iommu_type1_info_dma_avail.layout;
  const num = (r: NamedRequest): number => Number(r.request);
  return {
    device: { ...info(dev, offsetOf(dev, 'num_irqs') + 4), numRegions: offsetOf(dev, 'num_regions'), numIrqs: offsetOf(dev, 'num_irqs') },
    region: { ...info(reg, reg.size), index: offsetOf(reg, 'index'), regionSize: offsetOf(reg, 'size'), regionOffset: offsetOf(reg, 'offset') },
    iommu: { ...info(iommu, offsetOf(iommu, 'iova_pgsizes') + 8), iovaPgsizes: offsetOf(iommu, 'iova_pgsizes') },
    sparseMmap: { nrAreas: offsetOf(sparse, 'nr_areas'), areas: flexOffset(sparse), areaSize: area.size, areaOffset: offsetOf(area, 'offset'), areaSizeField: offsetOf(area, 'size') },
    iovaRange: { nrIovas: offsetOf(iova, 'nr_iovas'), ranges: flexOffset(iova), rangeSize: range.size, start: offsetOf(range, 'start'), end: offsetOf(range, 'end') },
    migration: { size: mig.size, flags: offsetOf(mig, 'flags'), pgsizeBitmap: offsetOf(mig, 'pgsize_bitmap'), maxDirtyBitmapSize: offsetOf(mig, 'max_dirty_bitmap_size') },
    dmaAvail: { size: avail.size, avail: offsetOf(avail, 'avail') },
    requests: { deviceGetInfo: num(vfio.ioctls.VFIO_DEVICE_GET_INFO), deviceGetRegionInfo: num(vfio.ioctls.VFIO_DEVICE_GET_REGION_INFO), iommuGetInfo: num(vfio.ioctls.VFIO_IOMMU_GET_INFO) },
    capsFlags: { device: vfio.VFIO_DEVICE_FLAGS_CAPS, region: vfio.VFIO_REGION_INFO_FLAG_CAPS, iommu: vfio.VFIO_IOMMU_INFO_CAPS },
    capIds: {
      sparseMmap: vfio.VFIO_REGION_INFO_CAP_SPARSE_MMAP,
      msixMappable: vfio.VFIO_REGION_INFO_CAP_MSIX_MAPPABLE,
      iovaRange: vfio.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE,
      migration: vfio.VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION,
      dmaAvail: vfio.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL,
    },
  };
}

/** 6.6 rounds info sizes up to 8 (the added `pad`); 6.1 uses the unpadded size. */
export function infoSizeForKernel(size: number, kernel: '6.1' | '6.6'): number {
  return kernel === '6.6' ? (size + 7) & ~7 : size;
}

export class FakeVfio {
  /** Every request seen, with the argsz passed in (for tests of negotiation). */
  readonly calls: { request: number | bigint; argsz: number }[] = [];
  private readonly le: boolean;
  private readonly kernel: '6.1' | '6.6';
  /** Request number -> ioctl name, for errors that name the ioctl (fromBindings). */
  private readonly names = new Map<number, string>();

  constructor(readonly config: FakeVfioConfig) {
    this.le = config.littleEndian ?? HOST_LITTLE_ENDIAN;
    this.kernel = config.kernel ?? '6.6';
  }

  /**
   * A fake whose offsets, sizes, request numbers, flags and cap ids all come from a generated
   * package (`import * as vfio from '@uapi-ts/vfio'`, or an explicit ABI's module), with the
   * struct sizes of the kernel asked for: `kernel: '6.1'` gives the pre-6.6 sizes (vfio_device_info
   * 20 bytes, so device caps at 20; vfio_iommu_type1_info's bytes 20..23 left unwritten) and
   * unrounded caps, `'6.6'` the padded structs and 8-aligned caps. Errors name the ioctl.
   */
  static fromBindings(vfio: VfioBindings, opts: FakeVfioFromBindingsOptions = {}): FakeVfio {
    const kernel = opts.kernel ?? '6.6';
    const fake = new FakeVfio({
      layout: fakeLayoutFromBindings(vfio, kernel),
      kernel,
      littleEndian: opts.littleEndian ?? vfio.structs.vfio_device_info.layout.littleEndian,
      device: opts.device ?? { flags: 0, numIrqs: 0 },
      regions: opts.regions ?? [],
      iommu: opts.iommu ?? { flags: 0, iovaPgsizes: 0n },
    });
    // Several ioctls can share a number (VFIO_IOMMU_GET_INFO and VFIO_IOMMU_SPAPR_TCE_GET_INFO are
    // both VFIO_BASE + 12): the ones the fake answers keep their own name, others are all named.
    for (const [name, io] of Object.entries(vfio.ioctls)) {
      if (typeof io?.request !== 'number' && typeof io?.request !== 'bigint') continue;
      const n = Number(io.request);
      const had = fake.names.get(n);
      fake.names.set(n, had === undefined ? name : `${had} or ${name}`);
    }
    for (const name of ['VFIO_DEVICE_GET_INFO', 'VFIO_DEVICE_GET_REGION_INFO', 'VFIO_IOMMU_GET_INFO'] as const) fake.names.set(Number(vfio.ioctls[name].request), name);
    return fake;
  }

  /** An IoctlFn: (request, arg) → 0, or throws IoctlError like the real transport. */
  readonly ioctl = (request: number | bigint, arg: Uint8Array): number => {
    const r = this.config.layout.requests;
    const req = Number(request);
    if (req === r.deviceGetInfo) return this.deviceInfo(request, arg);
    if (req === r.deviceGetRegionInfo) return this.regionInfo(request, arg);
    if (req === r.iommuGetInfo) return this.iommuInfo(request, arg);
    this.calls.push({ request, argsz: -1 });
    throw this.fail(request, ENOTTY, 'ENOTTY');
  };

  private fail(request: number | bigint, errno: number, code: string): IoctlError {
    return new IoctlError(request, errno, code, this.names.get(Number(request)));
  }

  /** The ioctl's minsz (EINVAL below it). */
  private static minsz(l: InfoLayout): number {
    return l.minArgsz ?? l.capOffset + 4;
  }

  private begin(request: number | bigint, arg: Uint8Array, l: InfoLayout): { dv: DataView; argsz: number } {
    const dv = new DataView(arg.buffer, arg.byteOffset, arg.byteLength);
    if (arg.byteLength < l.argsz + 4) throw this.fail(request, EFAULT, 'EFAULT');
    const argsz = dv.getUint32(l.argsz, this.le);
    this.calls.push({ request, argsz });
    const minsz = FakeVfio.minsz(l);
    if (argsz < minsz) throw this.fail(request, EINVAL, 'EINVAL');
    // The kernel would write argsz bytes of user memory; our buffer is the user memory.
    if (argsz > arg.byteLength || arg.byteLength < minsz) throw this.fail(request, EFAULT, 'EFAULT');
    return { dv, argsz };
  }

  private builder(l: InfoLayout): ChainBuilder {
    return new ChainBuilder({ infoSize: infoSizeForKernel(l.size, this.kernel), littleEndian: this.le, legacy: this.kernel === '6.1' });
  }

  private copyOut(arg: Uint8Array, l: InfoLayout, info: Uint8Array, b: ChainBuilder, argsz: number, capsFlag: number): number {
    const res = b.finish(info, { userArgsz: argsz, argszOffset: l.argsz, flagsOffset: l.flags, capOffsetOffset: l.capOffset, capsFlag });
    // The kernel copies the info through cap_offset (6.6 on: through its `pad` too) when argsz
    // reaches it, else only its minsz bytes; then the caps, if they fit.
    const capsz = this.kernel === '6.6' ? Math.max(l.capOffset + 4, b.infoSize) : l.capOffset + 4;
    arg.set(res.bytes.subarray(0, argsz >= capsz ? capsz : FakeVfio.minsz(l)), 0);
    if (res.capsCopied) arg.set(res.bytes.subarray(b.infoSize), b.infoSize);
    return 0;
  }

  private deviceInfo(request: number | bigint, arg: Uint8Array): number {
    const L = this.config.layout.device;
    const { argsz } = this.begin(request, arg, L);
    const info = new Uint8Array(Math.max(L.size, L.capOffset + 4));
    const dv = new DataView(info.buffer);
    const d = this.config.device;
    dv.setUint32(L.flags, d.flags, this.le);
    dv.setUint32(L.numRegions, this.config.regions.length, this.le);
    dv.setUint32(L.numIrqs, d.numIrqs, this.le);
    const b = this.builder(L);
    for (const c of d.caps ?? []) b.add(c.id, c.version, c.body);
    return this.copyOut(arg, L, info, b, argsz, this.config.layout.capsFlags.device);
  }

  private regionInfo(request: number | bigint, arg: Uint8Array): number {
    const L = this.config.layout.region;
    const { dv: argDv, argsz } = this.begin(request, arg, L);
    const index = argDv.getUint32(L.index, this.le);
    const region = this.config.regions[index];
    if (region === undefined || region === null) throw this.fail(request, EINVAL, 'EINVAL');
    // copy_from_user of the struct: a region without caps hands the caller's cap_offset back.
    const info = new Uint8Array(Math.max(L.size, L.capOffset + 4));
    info.set(arg.subarray(0, Math.min(info.length, arg.length)));
    const dv = new DataView(info.buffer);
    dv.setUint32(L.flags, region.flags, this.le);
    dv.setUint32(L.index, index, this.le);
    dv.setBigUint64(L.regionSize, region.size, this.le);
    dv.setBigUint64(L.regionOffset, region.offset, this.le);
    const b = this.builder(L);
    const S = this.config.layout.sparseMmap;
    const ids = this.config.layout.capIds;
    if (region.sparseAreas !== undefined) {
      const areas = region.sparseAreas;
      const w: CapWriter = {
        size: S.areas - 8 + areas.length * S.areaSize,
        write: (cdv, off) => {
          const h = off - 8;
          cdv.setUint32(h + S.nrAreas, areas.length, this.le);
          areas.forEach((a, i) => {
            cdv.setBigUint64(h + S.areas + i * S.areaSize + S.areaOffset, a.offset, this.le);
            cdv.setBigUint64(h + S.areas + i * S.areaSize + S.areaSizeField, a.size, this.le);
          });
        },
      };
      b.add(ids.sparseMmap, 1, w);
    }
    if (region.msixMappable === true) b.add(ids.msixMappable, 1, new Uint8Array(0));
    // Region info is only the info struct through cap_offset (then size/offset): the kernel copies minsz = whole struct.
    const res = b.finish(info, { userArgsz: argsz, argszOffset: L.argsz, flagsOffset: L.flags, capOffsetOffset: L.capOffset, capsFlag: this.config.layout.capsFlags.region });
    arg.set(res.bytes.subarray(0, L.size), 0);
    if (res.capsCopied) arg.set(res.bytes.subarray(b.infoSize), b.infoSize);
    return 0;
  }

  private iommuInfo(request: number | bigint, arg: Uint8Array): number {
    const L = this.config.layout.iommu;
    const { argsz } = this.begin(request, arg, L);
    const info = new Uint8Array(Math.max(L.size, L.capOffset + 4));
    const dv = new DataView(info.buffer);
    const m = this.config.iommu;
    dv.setUint32(L.flags, m.flags, this.le);
    dv.setBigUint64(L.iovaPgsizes, m.iovaPgsizes, this.le);
    const b = this.builder(L);
    const ids = this.config.layout.capIds;
    // The kernel's order (vfio_iommu_type1_get_info): MIGRATION, DMA_AVAIL, IOVA_RANGE.
    const M = this.config.layout.migration;
    if (m.migration !== undefined) {
      const mig = m.migration;
      b.add(ids.migration, 1, {
        size: M.size - 8,
        write: (cdv, off) => {
          const h = off - 8;
          cdv.setUint32(h + M.flags, mig.flags, this.le);
          cdv.setBigUint64(h + M.pgsizeBitmap, mig.pgsizeBitmap, this.le);
          cdv.setBigUint64(h + M.maxDirtyBitmapSize, mig.maxDirtyBitmapSize, this.le);
        },
      });
    }
    if (m.dmaAvail !== undefined) {
      const A = this.config.layout.dmaAvail;
      if (A === undefined || ids.dmaAvail === undefined) throw new TypeError('FakeVfio: iommu.dmaAvail needs layout.dmaAvail and layout.capIds.dmaAvail');
      const avail = m.dmaAvail;
      b.add(ids.dmaAvail, 1, { size: A.size - 8, write: (cdv, off) => cdv.setUint32(off - 8 + A.avail, avail, this.le) });
    }
    const R = this.config.layout.iovaRange;
    if (m.iovaRanges !== undefined) {
      const ranges = m.iovaRanges;
      b.add(ids.iovaRange, 1, {
        size: R.ranges - 8 + ranges.length * R.rangeSize,
        write: (cdv, off) => {
          const h = off - 8;
          cdv.setUint32(h + R.nrIovas, ranges.length, this.le);
          ranges.forEach((r, i) => {
            cdv.setBigUint64(h + R.ranges + i * R.rangeSize + R.start, r.start, this.le);
            cdv.setBigUint64(h + R.ranges + i * R.rangeSize + R.end, r.end, this.le);
          });
        },
      });
    }
    return this.copyOut(arg, L, info, b, argsz, this.config.layout.capsFlags.iommu);
  }
}
