/**
 * The committed kernel replies (test/fixtures/kernel-replies/, captured by the real-kernel
 * harness) decoded by @uapi-ts/vfio without QEMU: every field and cap the C program printed for
 * them through the kernel's own headers must be what the package reads from the same bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyForKernel } from '@uapi-ts/runtime';
import { bind } from '@uapi-ts/vfio';
import { describe, expect, it } from 'vitest';
import { compareReports, decodeReport, formatMismatches } from './compare.js';
import { finalReply } from './checks.js';
import { type Fixture, readFixtures } from './fixtures.js';
import { SERIES, readPins } from './kernels.js';

const fixtures = readFixtures();
const pins = readPins();

describe('committed kernel replies', () => {
  it('exist for every pinned series, captured from the pinned packages', () => {
    expect(fixtures.map((f) => f.manifest.series).sort()).toEqual(SERIES.map((s) => s.name).sort());
    for (const f of fixtures) {
      const pin = pins.kernels[f.manifest.series];
      expect(pin, `${f.manifest.series} has fixtures but no pin in test/kernel/kernels.json`).toBeDefined();
      expect(f.manifest.packages.map((p) => p.sha256)).toEqual(pin!.packages.map((p) => p.sha256));
    }
  });

  describe.each(fixtures.map((f): [string, Fixture] => [f.manifest.series, f]))('%s', (_, f) => {
    const b = bind(f.manifest.abi);
    const policy = policyForKernel(f.c.release);

    it('each hex file holds the bytes of its call in c.json', () => {
      const calls = new Map(f.c.calls.map((c) => [c.key, c]));
      const files = Object.entries(f.manifest.replies);
      expect(files.length).toBeGreaterThan(10);
      for (const [file, meta] of files) {
        const hex = readFileSync(join(f.dir, file), 'utf8').replace(/\s+/g, '');
        expect(hex, file).toBe(calls.get(meta.key)?.bytes);
      }
    });

    it(`@uapi-ts/vfio (${f.manifest.abi}, ${policy}) reads every field and cap C printed`, () => {
      const ours = decodeReport(f.c, b, policy);
      expect(ours.decodeErrors).toEqual([]);
      // Only the replies of a struct that grew since (vfio_device_info: 20 bytes before 6.6's pad)
      // are shorter than the package's view, and only by that pad.
      for (const e of ours.extended) expect([e.key.includes('VFIO_DEVICE_GET_INFO #1') || e.key.includes('VFIO_DEVICE_GET_INFO #2'), e.from, e.to]).toEqual([true, 20, 24]);
      if (f.c.sizes['vfio_device_info'] === 20) expect(ours.extended.length).toBeGreaterThan(0);
      const cmp = compareReports(f.c, ours);
      expect(cmp.mismatches, formatMismatches(cmp.mismatches)).toEqual([]);
      expect(cmp.values).toBeGreaterThan(300);
      // Only caps the package has no struct for yet (zPCI, until linux/vfio_zdev.h is bound) are left out.
      for (const u of cmp.untyped) expect(f.manifest.abi === 's390x' && u.key.includes('VFIO_DEVICE_GET_INFO'), `${u.key} cap id ${u.id}`).toBe(true);
    });

    it('the IOMMU chain: strict refuses exactly the misaligned caps C found, compat realigns them', () => {
      const reply = finalReply(f.c, 'container VFIO_IOMMU_GET_INFO')!;
      const misaligned = reply.caps!.filter((c) => c.offset % 8 !== 0).map((c) => c.offset);
      const info = b.VfioIommuType1Info.from(new Uint8Array(Buffer.from(reply.bytes!, 'hex')));
      if (misaligned.length > 0) {
        expect(policy).toBe('compat');
        expect(() => [...info.caps({ policy: 'strict' })]).toThrow(expect.objectContaining({ name: 'CapabilityMisalignedError', offset: misaligned[0] }));
      } else {
        expect(policy).toBe('strict');
      }
      const read = [...info.caps({ policy })];
      expect(read.map((c) => [c.offset, c.id, c.version])).toEqual(reply.caps!.map((c) => [c.offset, c.id, c.version]));
      expect(read.filter((c) => c.realigned).map((c) => c.offset)).toEqual(misaligned);
    });
  });
});
