/**
 * An in-process fake of the VFIO info ioctls, faithful to the kernel's copy-out rules: argsz below
 * the info struct → EINVAL; caps that do not fit → argsz = needed, CAPS flag set, cap_offset = 0;
 * caps built like vfio_info_cap_add/vfio_info_cap_shift (6.6: 8-byte rounding and padded info;
 * 6.1: no rounding, caps right after a 20-byte vfio_device_info). It knows no layout numbers:
 * the caller passes offsets and sizes (tests take them from gcc and <linux/vfio.h>).
 */
import { IoctlError } from '../errors.js';
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
}

export interface FakeVfioLayout {
  readonly device: InfoLayout & { readonly numRegions: number; readonly numIrqs: number };
  readonly region: InfoLayout & { readonly index: number; readonly regionSize: number; readonly regionOffset: number };
  readonly iommu: InfoLayout & { readonly iovaPgsizes: number };
  /** Cap struct layouts (offsets from the cap header). */
  readonly sparseMmap: { readonly nrAreas: number; readonly areas: number; readonly areaSize: number; readonly areaOffset: number; readonly areaSizeField: number };
  readonly iovaRange: { readonly nrIovas: number; readonly ranges: number; readonly rangeSize: number; readonly start: number; readonly end: number };
  readonly migration: { readonly size: number; readonly flags: number; readonly pgsizeBitmap: number; readonly maxDirtyBitmapSize: number };
  readonly requests: { readonly deviceGetInfo: number; readonly deviceGetRegionInfo: number; readonly iommuGetInfo: number };
  readonly capsFlags: { readonly device: number; readonly region: number; readonly iommu: number };
  readonly capIds: { readonly sparseMmap: number; readonly msixMappable: number; readonly iovaRange: number; readonly migration: number };
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
  readonly regions: readonly FakeRegion[];
  readonly iommu: {
    readonly flags: number;
    readonly iovaPgsizes: bigint;
    readonly iovaRanges?: readonly { readonly start: bigint; readonly end: bigint }[];
    readonly migration?: { readonly flags: number; readonly pgsizeBitmap: bigint; readonly maxDirtyBitmapSize: bigint };
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

  constructor(readonly config: FakeVfioConfig) {
    this.le = config.littleEndian ?? HOST_LITTLE_ENDIAN;
    this.kernel = config.kernel ?? '6.6';
  }

  /** An IoctlFn: (request, arg) → 0, or throws IoctlError like the real transport. */
  readonly ioctl = (request: number | bigint, arg: Uint8Array): number => {
    const r = this.config.layout.requests;
    const req = Number(request);
    if (req === r.deviceGetInfo) return this.deviceInfo(request, arg);
    if (req === r.deviceGetRegionInfo) return this.regionInfo(request, arg);
    if (req === r.iommuGetInfo) return this.iommuInfo(request, arg);
    this.calls.push({ request, argsz: -1 });
    throw new IoctlError(request, ENOTTY, 'ENOTTY');
  };

  private begin(request: number | bigint, arg: Uint8Array, l: InfoLayout): { dv: DataView; argsz: number } {
    const dv = new DataView(arg.buffer, arg.byteOffset, arg.byteLength);
    if (arg.byteLength < l.argsz + 4) throw new IoctlError(request, EFAULT, 'EFAULT');
    const argsz = dv.getUint32(l.argsz, this.le);
    this.calls.push({ request, argsz });
    const minsz = l.capOffset + 4;
    if (argsz < minsz) throw new IoctlError(request, EINVAL, 'EINVAL');
    // The kernel would write argsz bytes of user memory; our buffer is the user memory.
    if (argsz > arg.byteLength || arg.byteLength < minsz) throw new IoctlError(request, EFAULT, 'EFAULT');
    return { dv, argsz };
  }

  private builder(l: InfoLayout): ChainBuilder {
    return new ChainBuilder({ infoSize: infoSizeForKernel(l.size, this.kernel), littleEndian: this.le, legacy: this.kernel === '6.1' });
  }

  private copyOut(arg: Uint8Array, l: InfoLayout, info: Uint8Array, b: ChainBuilder, argsz: number, capsFlag: number): number {
    const res = b.finish(info, { userArgsz: argsz, argszOffset: l.argsz, flagsOffset: l.flags, capOffsetOffset: l.capOffset, capsFlag });
    // The kernel copies minsz bytes of info (through cap_offset), then the caps if they fit.
    const minsz = l.capOffset + 4;
    arg.set(res.bytes.subarray(0, minsz), 0);
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
    if (region === undefined) throw new IoctlError(request, EINVAL, 'EINVAL');
    const info = new Uint8Array(Math.max(L.size, L.capOffset + 4));
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
    return this.copyOut(arg, L, info, b, argsz, this.config.layout.capsFlags.iommu);
  }
}
