/**
 * FakeVfio.fromBindings against what real kernels answered (test/fixtures/kernel-replies/, the
 * C program's captures under QEMU): with its offsets, sizes and request numbers from @uapi-ts/vfio
 * and the device's values (flags, sizes, IOVA ranges...) from C's report, the fake must give every
 * info reply byte for byte: Debian 6.1's misaligned IOMMU chain (MIGRATION@24, DMA_AVAIL@56,
 * IOVA_RANGE@68, argsz 116, bytes 20..23 unwritten) with `kernel: '6.1'`, 6.12's aligned one
 * (IOVA_RANGE@72, argsz 120) with `kernel: '6.6'`, device info of 20 and 24 bytes, region info with
 * its MSIX_MAPPABLE cap, the grown argsz of a first attempt, the caller's cap_offset echoed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IoctlError, negotiate } from '@uapi-ts/runtime';
import { FakeVfio, sizeBefore66, type FakeRegion, type FakeVfioFromBindingsOptions } from '@uapi-ts/runtime/testing';
import * as x86 from '@uapi-ts/vfio/abi/x86_64';
import * as i386 from '@uapi-ts/vfio/abi/i386';
import type { Call, ProbeReport } from './guest/report.js';
import { FIXTURES } from './paths.js';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { abiIncludeDirs } from '../../generator/src/pipeline.js';
import { compilerAvailable } from '../gcc/proof.js';
import { run } from '../support/proc.js';
import { HEADERS, lacking, skipReason } from '../support/trees.js';
import { existsSync } from 'node:fs';

const UNWRITTEN = 0xa5;
const report = (series: string): ProbeReport => JSON.parse(readFileSync(join(FIXTURES, series, 'c.json'), 'utf8')) as ProbeReport;
type Fields = Record<string, unknown>;
const big = (v: unknown): bigint => BigInt(v as string | number);

/** The fake's device, regions and IOMMU values, read from C's report of one device. */
function configFrom(r: ProbeReport, bdf: string): FakeVfioFromBindingsOptions {
  const ok = (c: Call): boolean => c.ret === 0 && c.fields !== undefined;
  const dev = r.calls.find((c) => c.key === `device ${bdf} VFIO_DEVICE_GET_INFO #1`)!;
  const df = dev.fields as Fields;
  const regions: (FakeRegion | null)[] = [];
  for (let i = 0; i < Number(df['num_regions']); i++) {
    const calls = r.calls.filter((c) => c.key.startsWith(`device ${bdf} VFIO_DEVICE_GET_REGION_INFO(${i}) #`));
    const last = calls.at(-1)!;
    if (!ok(last)) {
      regions.push(null);
      continue;
    }
    const f = last.fields as Fields;
    const caps = last.caps ?? [];
    regions.push({ flags: Number(f['flags']) & ~x86.VFIO_REGION_INFO_FLAG_CAPS, size: big(f['size']), offset: big(f['offset']), msixMappable: caps.some((c) => c.id === x86.VFIO_REGION_INFO_CAP_MSIX_MAPPABLE) });
  }
  const io = r.calls.find((c) => c.key === 'container VFIO_IOMMU_GET_INFO #2')!;
  const f = io.fields as Fields;
  const cap = (id: number): Fields => io.caps!.find((c) => c.id === id)!.fields as Fields;
  const mig = cap(x86.VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION);
  const iova = cap(x86.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE);
  return {
    device: { flags: Number(df['flags']), numIrqs: Number(df['num_irqs']) },
    regions,
    iommu: {
      flags: Number(f['flags']) & ~x86.VFIO_IOMMU_INFO_CAPS,
      iovaPgsizes: big(f['iova_pgsizes']),
      migration: { flags: Number(mig['flags']), pgsizeBitmap: big(mig['pgsize_bitmap']), maxDirtyBitmapSize: big(mig['max_dirty_bitmap_size']) },
      dmaAvail: Number(cap(x86.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL)['avail']),
      iovaRanges: (iova['iova_ranges'] as Fields[]).map((x) => ({ start: big(x['start']), end: big(x['end']) })),
    },
  };
}

const REQUESTS: Record<string, number> = {
  VFIO_DEVICE_GET_INFO: x86.ioctls.VFIO_DEVICE_GET_INFO.request,
  VFIO_DEVICE_GET_REGION_INFO: x86.ioctls.VFIO_DEVICE_GET_REGION_INFO.request,
  VFIO_IOMMU_GET_INFO: x86.ioctls.VFIO_IOMMU_GET_INFO.request,
};

/** The caller's buffer as the C program passed it: zeroed (or 0xa5 when prefilled), argsz and index set. */
function input(c: Call): Uint8Array {
  const len = c.bytes !== undefined ? c.bytes.length / 2 : Math.max(c.argszIn ?? 0, 4);
  const buf = new Uint8Array(len).fill(c.key.endsWith('prefilled') ? UNWRITTEN : 0);
  const dv = new DataView(buf.buffer);
  dv.setUint32(0, c.argszIn ?? 0, true);
  const index = /GET_REGION_INFO\((\d+)\)/.exec(c.key);
  if (index) dv.setUint32(x86.VfioRegionInfo.OFFSETS.index, Number(index[1]), true);
  return buf;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe.each([
  ['6.1', '6.1'],
  ['6.12', '6.6'],
] as const)('FakeVfio.fromBindings(x86_64, { kernel }) answers what Debian %s answered, byte for byte', (series, kernel) => {
  const r = report(series);
  const calls = r.calls.filter((c) => REQUESTS[c.ioctl] !== undefined && (c.bytes !== undefined || c.errno !== null));
  for (const bdf of ['0000:00:05.0', '0000:01:00.0']) {
    it(`${bdf}: every device, region and IOMMU info reply`, () => {
      const fake = FakeVfio.fromBindings(x86, { kernel, ...configFrom(r, bdf) });
      const mine = calls.filter((c) => c.key.startsWith('container') || c.key.includes(bdf));
      expect(mine.length).toBeGreaterThan(12);
      for (const c of mine) {
        const buf = input(c);
        if (c.errno !== null) {
          expect(() => fake.ioctl(REQUESTS[c.ioctl]!, buf), c.key).toThrow(expect.objectContaining({ code: c.errno, ioctl: c.ioctl }));
          continue;
        }
        expect(fake.ioctl(REQUESTS[c.ioctl]!, buf), c.key).toBe(c.ret);
        expect(hex(buf), c.key).toBe(c.bytes);
      }
    });
  }
  it(kernel === '6.1' ? 'the 6.1 IOMMU chain: MIGRATION@24, DMA_AVAIL@56, IOVA_RANGE@68, argsz 116, bytes 20..23 unwritten' : 'the aligned chain: IOVA_RANGE@72, argsz 120', () => {
    const fake = FakeVfio.fromBindings(x86, { kernel, ...configFrom(r, '0000:01:00.0') });
    const n = negotiate(fake.ioctl, x86.ioctls.VFIO_IOMMU_GET_INFO, x86.VfioIommuType1Info.alloc().bytes(), x86.VfioIommuType1Info.chainOptions({ policy: kernel === '6.1' ? 'compat' : 'strict' }));
    expect(n.attempts).toBe(2);
    expect(n.caps.map((c) => [c.offset, c.name])).toEqual([
      [24, 'vfio_iommu_type1_info_cap_migration'],
      [56, 'vfio_iommu_type1_info_dma_avail'],
      [kernel === '6.1' ? 68 : 72, 'vfio_iommu_type1_info_cap_iova_range'],
    ]);
    expect(n.argsz).toBe(kernel === '6.1' ? 116 : 120);
    const pre = new Uint8Array(n.argsz).fill(UNWRITTEN);
    new DataView(pre.buffer).setUint32(0, n.argsz, true);
    fake.ioctl(x86.ioctls.VFIO_IOMMU_GET_INFO.request, pre);
    expect([...pre.subarray(20, 24)]).toEqual(kernel === '6.1' ? [UNWRITTEN, UNWRITTEN, UNWRITTEN, UNWRITTEN] : [0, 0, 0, 0]);
  });
});

describe('FakeVfio.fromBindings', () => {
  it('takes the pre-6.6 sizes for kernel 6.1: vfio_device_info 20 (device caps at 20), vfio_iommu_type1_info 24 on x86_64 and 20 on i386', () => {
    expect(sizeBefore66(x86.VfioDeviceInfo.layout)).toBe(20);
    expect(sizeBefore66(x86.VfioIommuType1Info.layout, x86.VfioIovaRange.ALIGN)).toBe(24);
    // 6.1's plain __u64 iova_pgsizes is 4-aligned on i386 (6.6 made it __aligned_u64)
    expect(sizeBefore66(i386.VfioIommuType1Info.layout, i386.VfioIovaRange.ALIGN)).toBe(20);
    expect(i386.VfioIommuType1Info.SIZE).toBe(24);
    expect(sizeBefore66(x86.VfioRegionInfo.layout)).toBe(32);
    const caps = [{ id: 0x4242, version: 1, body: new Uint8Array([1, 2, 3]) }];
    for (const [kernel, at] of [['6.1', 20], ['6.6', 24]] as const) {
      const fake = FakeVfio.fromBindings(x86, { kernel, device: { flags: x86.VFIO_DEVICE_FLAGS_PCI, numIrqs: 1, caps } });
      const n = negotiate(fake.ioctl, x86.ioctls.VFIO_DEVICE_GET_INFO, x86.VfioDeviceInfo.alloc().bytes(), x86.VfioDeviceInfo.chainOptions({ policy: 'compat' }));
      expect(n.caps.map((c) => c.offset)).toEqual([at]);
    }
  });
  it('answers unknown requests with ENOTTY naming the ioctl, as the kernel and the transport do', () => {
    const fake = FakeVfio.fromBindings(x86);
    expect(() => fake.ioctl(x86.ioctls.VFIO_DEVICE_RESET.request, new Uint8Array(8))).toThrow(/^VFIO_DEVICE_RESET failed: ENOTTY/);
    expect(() => fake.ioctl(x86.ioctls.VFIO_DEVICE_GET_REGION_INFO.request, x86.VfioRegionInfo.alloc({ argsz: 32, index: 0 }).bytes())).toThrow(IoctlError);
    expect(() => fake.ioctl(x86.ioctls.VFIO_DEVICE_GET_REGION_INFO.request, x86.VfioRegionInfo.alloc({ argsz: 32, index: 0 }).bytes())).toThrow(/^VFIO_DEVICE_GET_REGION_INFO failed: EINVAL/);
  });
});

const tree61 = join(HEADERS, '6.1', 'include');
const haveGcc = existsSync(tree61) && ABIS.every((a) => compilerAvailable(a));
describe('the pre-6.6 sizes are what gcc gives with the 6.1 headers, on every ABI', () => {
  it.skipIf(lacking(haveGcc))(`sizeBefore66 of vfio_device_info and vfio_iommu_type1_info${skipReason(haveGcc, 'headers/6.1 and the cross compilers')}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uapi-pre66-'));
    try {
      for (const abi of ABIS) {
        const b = await import(`@uapi-ts/vfio/abi/${abi.name}`) as typeof x86;
        const dev = sizeBefore66(b.VfioDeviceInfo.layout, b.VfioIovaRange.ALIGN);
        const iommu = sizeBefore66(b.VfioIommuType1Info.layout, b.VfioIovaRange.ALIGN);
        const c = join(dir, `${abi.name}.c`);
        writeFileSync(c, `#include <linux/vfio.h>\n_Static_assert(sizeof(struct vfio_device_info) == ${dev}, "device ${dev}");\n_Static_assert(sizeof(struct vfio_iommu_type1_info) == ${iommu}, "iommu ${iommu}");\n`);
        const r = await run(abi.gcc, ['-std=gnu11', '-w', '-fsyntax-only', ...abiIncludeDirs([tree61], abi).flatMap((d) => ['-I', d]), c]);
        expect(r.stderr, abi.name).toBe('');
        expect(r.status, abi.name).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
