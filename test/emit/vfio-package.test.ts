/**
 * @uapi-ts/vfio as a program uses it: alloc() never makes a buffer smaller than the argsz it
 * carries (the kernel writes up to argsz bytes), every cap exposes its bytes (and, the package
 * covering linux/vfio_zdev.h too, a zPCI cap its typed view), and the ioctl table says which ioctls take their
 * argument by value and which struct VFIO_MIG_GET_PRECOPY_INFO fills.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChainBuilder, FlexibleArrayOverflowError, InfoTruncatedError, capabilityCursor, negotiateCursor } from '@uapi-ts/runtime';
import {
  IOCTLS,
  VFIO_DEVICE_FLAGS_CAPS,
  VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP,
  VFIO_DEVICE_INFO_CAP_ZPCI_BASE,
  VFIO_IOMMU_INFO_CAPS,
  VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE,
  VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION,
  VFIO_PCI_DEVID_NOT_OWNED,
  VfioDeviceInfo,
  VfioIommuType1Info,
  bind,
  VfioPciDependentDevice,
  VfioRegionInfo,
  VfioRegionSparseMmapArea,
  ioctls,
} from '@uapi-ts/vfio';
import { REPO } from '../support/trees.js';

describe('@uapi-ts/vfio', () => {
  it('alloc() sizes the buffer for the argsz it is given, never below SIZE + extraBytes', () => {
    expect(VfioRegionInfo.alloc({ argsz: 256, index: 0 }).dv.byteLength).toBe(256);
    expect(VfioRegionInfo.alloc({ argsz: 256 }).argsz).toBe(256);
    expect(VfioRegionInfo.alloc({ argsz: 8 }).dv.byteLength).toBe(VfioRegionInfo.SIZE);
    expect(VfioRegionInfo.alloc({ argsz: 40 }, 64).dv.byteLength).toBe(VfioRegionInfo.SIZE + 64);
    expect(VfioRegionInfo.alloc().dv.byteLength).toBe(VfioRegionInfo.SIZE);
    expect(() => VfioRegionInfo.alloc({}, -8)).toThrow(RangeError);
    expect(VfioRegionSparseMmapArea.alloc({}, 0).dv.byteLength).toBe(VfioRegionSparseMmapArea.SIZE);
  });

  it('every cap carries its bytes, so a body the header does not define is still reachable', () => {
    // A zPCI base cap, version 2, 8 bytes longer than struct vfio_device_info_cap_zpci_base (40).
    const body = new Uint8Array(48).map((_, i) => i + 1);
    const atomic = new Uint8Array(8);
    new DataView(atomic.buffer).setUint32(0, 7, true);
    const b = new ChainBuilder({ infoSize: VfioDeviceInfo.SIZE, littleEndian: VfioDeviceInfo.layout.littleEndian })
      .add(VFIO_DEVICE_INFO_CAP_ZPCI_BASE, 2, body)
      .add(VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP, 1, atomic);
    const info = VfioDeviceInfo.alloc({ argsz: VfioDeviceInfo.SIZE, flags: VFIO_DEVICE_FLAGS_CAPS });
    const reply = b.finish(info.bytes(), { ...VfioDeviceInfo.layout.chain!, userArgsz: VfioDeviceInfo.SIZE + b.capsSize }).bytes;
    const caps = [...VfioDeviceInfo.from(reply).caps()];
    expect(caps.map((c) => [c.id, c.known, c.bytes.length])).toEqual([
      [VFIO_DEVICE_INFO_CAP_ZPCI_BASE, true, 8 + 48],
      [VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP, true, 16],
    ]);
    expect([...caps[0]!.bytes.subarray(8)]).toEqual([...body]);
    // Its view is vfio_zdev.h's struct over the same bytes (start_dma: body bytes 1..8, little-endian here).
    const c0 = caps[0]!;
    if (!c0.known || c0.id !== VFIO_DEVICE_INFO_CAP_ZPCI_BASE) throw new Error('expected the zPCI base cap');
    expect(c0.name).toBe('vfio_device_info_cap_zpci_base');
    expect(c0.view.start_dma).toBe(new DataView(body.buffer).getBigUint64(0, VfioDeviceInfo.layout.littleEndian));
    // The known cap's bytes are the ones its view reads.
    const c1 = caps[1]!;
    if (!c1.known || c1.id !== VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP) throw new Error('expected the atomic-comp cap');
    expect(c1.view.flags).toBe(7);
    expect(c1.bytes.buffer).toBe(c1.view.dv.buffer);
  });

  it('chainOptions() drives the runtime cursor and negotiateCursor over the chain caps() walks, on every ABI', () => {
    for (const abi of ['x86_64', 'i386', 's390x'] as const) {
      const Info = bind(abi).structs.vfio_iommu_type1_info;
      const le = Info.layout.littleEndian;
      // iova-range cap: nr_iovas, reserved, then nr_iovas ranges of two u64; migration cap: 24 bytes of body
      const iova = (nr: number, ranges: number) => {
        const body = new Uint8Array(8 + 16 * ranges);
        new DataView(body.buffer).setUint32(0, nr, le);
        return body;
      };
      // A kernel-like VFIO_IOMMU_GET_INFO: the whole chain when argsz covers it, else argsz needed and cap_offset 0.
      const kernel = (nr: number) => (_request: number | bigint, arg: Uint8Array): number => {
        const b = new ChainBuilder({ infoSize: Info.SIZE, littleEndian: le })
          .add(VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, 1, iova(nr, 2))
          .add(VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, 1, new Uint8Array(24));
        const info = Info.alloc({ flags: VFIO_IOMMU_INFO_CAPS });
        const argsz = new DataView(arg.buffer, arg.byteOffset).getUint32(0, le);
        arg.set(b.finish(info.bytes(), { ...Info.layout.chain!, userArgsz: argsz }).bytes);
        return 0;
      };
      const r = negotiateCursor(kernel(2), 1, Info.alloc().bytes(), Info.chainOptions());
      expect(r.attempts).toBe(2);
      const walked: [number, number, number, number][] = [];
      for (const c of r.caps) walked.push([c.id, c.offset, c.size, c.flexCount]);
      const viaViews = [...Info.from(r.info).caps()].map((c) => [c.id, c.offset, c.size]);
      expect(walked.map(([id, offset, size]) => [id, offset, size])).toEqual(viaViews);
      expect(walked.map(([id, , , n]) => [id, n])).toEqual([[VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, 2], [VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION, 0]]);
      // The cap table came with the options: a count its cap's bytes cannot hold is refused.
      const bad = negotiateCursor(kernel(3), 1, Info.alloc().bytes(), Info.chainOptions());
      expect(() => bad.caps.next()).toThrow(FlexibleArrayOverflowError);
      // Options pass through: an argsz the kernel returned below cap_offset's end, with CAPS set, is a truncated info.
      expect(() => capabilityCursor(r.info, Info.chainOptions({ argsz: 16 }))).toThrow(InfoTruncatedError);
    }
  });

  it('ioctls: by-value integer arguments are marked, VFIO_MIG_GET_PRECOPY_INFO fills vfio_precopy_info', () => {
    const byValue = Object.entries(IOCTLS).filter(([, v]) => 'byValue' in v).map(([k]) => k);
    expect(byValue.sort()).toEqual(['VFIO_CHECK_EXTENSION', 'VFIO_SET_IOMMU']);
    expect(ioctls.VFIO_CHECK_EXTENSION.byValue).toBe(true);
    // VFIO_GROUP_SET_CONTAINER reads an int through a pointer (get_user), so it is not by value.
    expect(ioctls.VFIO_GROUP_SET_CONTAINER.byValue).toBe(false);
    expect(IOCTLS.VFIO_MIG_GET_PRECOPY_INFO.arg).toBe('vfio_precopy_info');
    expect(ioctls.VFIO_MIG_GET_PRECOPY_INFO.minArgsz).toBe(ioctls.VFIO_MIG_GET_PRECOPY_INFO.arg.SIZE);
  });

  it('an ioctl doc block reaches the struct it names, also when another struct follows it in the header', () => {
    // The committed views.ts is the generator's output (generate --check runs before the tests).
    const views = readFileSync(join(REPO, 'generated/vfio/src/views.ts'), 'utf8');
    const docOf = (iface: string): string => {
      const at = views.indexOf(`export interface ${iface} extends`);
      return views.slice(views.lastIndexOf('/**', at), at);
    };
    expect(docOf('VfioPciHotResetInfo')).toContain('VFIO_DEVICE_GET_PCI_HOT_RESET_INFO - _IOWR(');
    expect(docOf('VfioInfoCapHeader')).toContain('designed after PCI/e capabilities');
  });

  it('a negative constant keeps its C value and says how to compare it with an unsigned field', () => {
    const dev = VfioPciDependentDevice.alloc({ devid: 0xffffffff }); // what the kernel writes for -1
    expect(VFIO_PCI_DEVID_NOT_OWNED).toBe(-1);
    expect(dev.devid).toBe(VFIO_PCI_DEVID_NOT_OWNED >>> 0);
    const constants = readFileSync(join(REPO, 'generated/vfio/src/constants.ts'), 'utf8');
    expect(constants).toContain('compare with `field === (VFIO_PCI_DEVID_NOT_OWNED >>> 0)`');
  });
});
