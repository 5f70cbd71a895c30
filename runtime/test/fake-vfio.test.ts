import { describe, expect, it } from 'vitest';
import { ArgszNegotiationError, CapabilityMisalignedError, IoctlError, flexibleBigintArray, negotiate, negotiateCursor, policyForKernel, readU32le, readU64le, type NegotiateOptions } from '../src/index.js';
import { FakeVfio, infoSizeForKernel, type FakeVfioConfig } from '../src/testing/index.js';
import { vfioNumbers } from './support/gcc.js';
import { deviceChainOptions, fakeLayout, iommuChainOptions, regionChainOptions } from './support/vfio.js';

const L = fakeLayout();
const n = vfioNumbers();
const config = (kernel: '6.1' | '6.6'): FakeVfioConfig => ({
  layout: L,
  kernel,
  device: { flags: n['DEVICE_FLAGS_PCI']!, numIrqs: 5, caps: [{ id: 0x4242, version: 1, body: new Uint8Array([1, 2, 3, 4, 5]) }, { id: 0x4243, version: 2, body: new Uint8Array(8).fill(9) }] },
  regions: [
    { flags: n['REGION_INFO_FLAG_READ']!, size: 0x1000n, offset: 0n, sparseAreas: [{ offset: 0n, size: 0x100n }, { offset: 0x800n, size: 0x800n }], msixMappable: true },
    { flags: n['REGION_INFO_FLAG_READ']!, size: 0x100n, offset: 0x10000000000n },
  ],
  iommu: { flags: n['IOMMU_INFO_PGSIZES']!, iovaPgsizes: 0x40201000n, iovaRanges: [{ start: 0n, end: 0xfedfffffn }, { start: 0xfef00000n, end: 0xffffffffffffn }], migration: { flags: 0, pgsizeBitmap: 0x1000n, maxDirtyBitmapSize: 0x800000n } },
});

describe('gcc numbers for the fake (system <linux/vfio.h>, 6.1)', () => {
  it('are the 6.1 shapes the brief describes', () => {
    expect(n['dev_size']).toBe(20); // pre-6.6: no pad, caps at 20 would be misaligned
    expect(n['hdr_size']).toBe(8);
    expect(infoSizeForKernel(L.device.size, '6.6')).toBe(24);
  });
});

describe.each(['6.6', '6.1'] as const)('fake VFIO, kernel %s: negotiate + read chain', (kernel) => {
  const alignment = policyForKernel(kernel);
  it('VFIO_IOMMU_GET_INFO: grows argsz once, returns migration + iova-range caps (the kernel\'s order)', () => {
    const fake = new FakeVfio(config(kernel));
    const r = negotiate(fake.ioctl, L.requests.iommuGetInfo, new Uint8Array(L.iommu.size), { ...iommuChainOptions(L), alignment });
    expect(r.attempts).toBe(2);
    expect(fake.calls.map((c) => c.argsz)).toEqual([L.iommu.size, r.argsz]);
    expect(r.caps.map((c) => c.name)).toEqual(['migration', 'iova_range']);
    const iova = r.caps[1]!;
    const dv = new DataView(iova.bytes.buffer, iova.bytes.byteOffset, iova.bytes.byteLength);
    const ranges = flexibleBigintArray(dv, L.iovaRange.ranges, 'u64', iova.flexCount * 2, true);
    expect([...ranges]).toEqual([0n, 0xfedfffffn, 0xfef00000n, 0xffffffffffffn]);
    expect(ranges).toBeInstanceOf(BigUint64Array);
    const mig = r.caps[0]!;
    const mdv = new DataView(mig.bytes.buffer, mig.bytes.byteOffset, mig.bytes.byteLength);
    expect(readU64le(mdv, L.migration.maxDirtyBitmapSize)).toBe(0x800000n);
    expect(readU64le(new DataView(r.info.buffer), L.iommu.iovaPgsizes)).toBe(0x40201000n);
  });
  it('VFIO_DEVICE_GET_REGION_INFO: sparse-mmap (flexible array) + header-only cap; index is kept across retries', () => {
    const fake = new FakeVfio(config(kernel));
    const init = new Uint8Array(L.region.size);
    const r = negotiate(fake.ioctl, L.requests.deviceGetRegionInfo, init, { ...regionChainOptions(L), alignment });
    expect(r.caps.map((c) => [c.name, c.flexCount])).toEqual([['sparse_mmap', 2], ['msix_mappable', 0]]);
    expect(r.caps[1]!.size).toBe(8);
    const sp = r.caps[0]!;
    const dv = new DataView(sp.bytes.buffer, sp.bytes.byteOffset, sp.bytes.byteLength);
    expect(readU64le(dv, L.sparseMmap.areas + L.sparseMmap.areaSize + L.sparseMmap.areaSizeField)).toBe(0x800n);
    // region 1: no caps, one attempt
    const init1 = new Uint8Array(L.region.size);
    new DataView(init1.buffer).setUint32(L.region.index, 1, true);
    const r1 = negotiate(fake.ioctl, L.requests.deviceGetRegionInfo, init1, { ...regionChainOptions(L), alignment });
    expect(r1.attempts).toBe(1);
    expect(r1.caps).toEqual([]);
    expect(readU64le(new DataView(r1.info.buffer), L.region.regionOffset)).toBe(0x10000000000n);
  });
  it('VFIO_DEVICE_GET_INFO: device caps come back raw; 6.1 puts them at 20 and compat realigns', () => {
    const fake = new FakeVfio(config(kernel));
    const r = negotiate(fake.ioctl, L.requests.deviceGetInfo, new Uint8Array(L.device.size), { ...deviceChainOptions(L), alignment, infoSize: infoSizeForKernel(L.device.size, kernel) });
    expect(r.caps.map((c) => [c.id, c.version, c.name])).toEqual([[0x4242, 1, null], [0x4243, 2, null]]);
    expect([...r.caps[0]!.bytes.subarray(8, 13)]).toEqual([1, 2, 3, 4, 5]);
    expect(readU32le(new DataView(r.info.buffer), L.device.numRegions)).toBe(2);
    if (kernel === '6.1') {
      expect(r.caps.map((c) => c.offset)).toEqual([20, 33]);
      expect(r.realignedOffsets).toEqual([20, 33]);
      expect(() => negotiate(new FakeVfio(config(kernel)).ioctl, L.requests.deviceGetInfo, new Uint8Array(L.device.size), { ...deviceChainOptions(L), alignment: 'strict' })).toThrow(/compat/);
    } else {
      expect(r.caps.map((c) => c.offset)).toEqual([24, 40]);
      expect(r.realignedOffsets).toEqual([]);
    }
  });
});

describe.each(['6.6', '6.1'] as const)('fake VFIO, kernel %s: negotiateCursor walks what negotiate parses', (kernel) => {
  const alignment = policyForKernel(kernel);
  const cases: [string, number, () => Uint8Array, NegotiateOptions][] = [
    ['VFIO_IOMMU_GET_INFO', L.requests.iommuGetInfo, () => new Uint8Array(L.iommu.size), { ...iommuChainOptions(L), alignment }],
    ['VFIO_DEVICE_GET_REGION_INFO', L.requests.deviceGetRegionInfo, () => new Uint8Array(L.region.size), { ...regionChainOptions(L), alignment }],
    ['VFIO_DEVICE_GET_INFO', L.requests.deviceGetInfo, () => new Uint8Array(L.device.size), { ...deviceChainOptions(L), alignment, infoSize: infoSizeForKernel(L.device.size, kernel) }],
  ];
  it.each(cases)('%s: same reply, same caps, same bytes', (_name, request, init, opts) => {
    const parsedFake = new FakeVfio(config(kernel));
    const parsed = negotiate(parsedFake.ioctl, request, init(), opts);
    const fake = new FakeVfio(config(kernel));
    const r = negotiateCursor(fake.ioctl, request, init(), opts);
    expect([r.attempts, r.argsz, [...r.info]]).toEqual([parsed.attempts, parsed.argsz, [...parsed.info]]);
    expect(fake.calls.map((c) => c.argsz)).toEqual(parsedFake.calls.map((c) => c.argsz));
    const walked = [];
    for (const c of r.caps) {
      walked.push({ id: c.id, version: c.version, name: c.spec ? c.spec.name : null, offset: c.offset, size: c.size, flexCount: c.flexCount, realigned: c.realigned, bytes: [...c.bytes()] });
    }
    expect(walked).toEqual(parsed.caps.map((c) => ({ id: c.id, version: c.version, name: c.name, offset: c.offset, size: c.size, flexCount: c.flexCount, realigned: c.realigned, bytes: [...c.bytes] })));
    expect(walked.length).toBeGreaterThan(0);
  });
  if (kernel === '6.1') {
    it('a 6.1 device chain under the strict policy: the cursor refuses the cap at 20 when the walk reaches it', () => {
      const r = negotiateCursor(new FakeVfio(config(kernel)).ioctl, L.requests.deviceGetInfo, new Uint8Array(L.device.size), { ...deviceChainOptions(L), alignment: 'strict' });
      expect(() => r.caps.next()).toThrow(CapabilityMisalignedError);
    });
  }
});

describe('fake VFIO error replies', () => {
  it('argsz below the info struct → EINVAL; unknown request → ENOTTY; bad region index → EINVAL', () => {
    const fake = new FakeVfio(config('6.6'));
    const small = new Uint8Array(L.iommu.size);
    new DataView(small.buffer).setUint32(0, 8, true);
    expect(() => fake.ioctl(L.requests.iommuGetInfo, small)).toThrow(IoctlError);
    try { fake.ioctl(L.requests.iommuGetInfo, small); } catch (e) { expect(e).toMatchObject({ errno: 22, code: 'EINVAL' }); }
    expect(() => fake.ioctl(0x1234, small)).toThrow(expect.objectContaining({ code: 'ENOTTY' }));
    const init = new Uint8Array(L.region.size);
    new DataView(init.buffer).setUint32(L.region.index, 7, true);
    expect(() => negotiate(fake.ioctl, L.requests.deviceGetRegionInfo, init, regionChainOptions(L))).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });
  it('an ioctl whose argsz keeps growing ends in ArgszNegotiationError', () => {
    let grow = 64;
    const greedy = (_req: number | bigint, arg: Uint8Array) => { grow += 64; new DataView(arg.buffer, arg.byteOffset).setUint32(0, arg.length + grow, true); return 0; };
    expect(() => negotiate(greedy, 1, new Uint8Array(16), { ...iommuChainOptions(L), maxAttempts: 3 })).toThrow(ArgszNegotiationError);
  });
});
