/**
 * `uapi-ts decode` on ioctl replies produced by the kernel-faithful fake (runtime/testing), whose
 * offsets come from gcc and the system <linux/vfio.h>: the decoded fields and caps must be the
 * values the fake was given, with the JSON shape; a pre-6.6 chain is refused in strict mode
 * with its offset and the --policy compat hint, and read in compat mode.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeVfio, infoSizeForKernel, type FakeVfioConfig } from '../../runtime/src/testing/index.js';
import { vfioNumbers } from '../../runtime/test/support/gcc.js';
import { fakeLayout } from '../../runtime/test/support/vfio.js';
import { REPO } from '../support/trees.js';

const BIN = join(REPO, 'generator', 'bin', 'uapi-ts.js');
const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The fake's numbers are the host's gcc (x86_64 here), so decode reads them as x86_64.
const onX86 = process.arch === 'x64';

interface Decoded {
  struct: string;
  abi: string;
  fields: Record<string, unknown>;
  caps?: { offset: number; id: number; version: number; next: number; name: string | null; aligned: boolean; fields: Record<string, unknown> | null }[];
  diagnostics: string[];
}

describe.skipIf(!onX86)('uapi-ts decode on replies of the kernel-faithful fake', () => {
  const L = fakeLayout();
  const n = vfioNumbers();
  const config = (kernel: '6.1' | '6.6', deviceCaps: FakeVfioConfig['device']['caps']): FakeVfioConfig => ({
    layout: L,
    kernel,
    littleEndian: true,
    device: { flags: n['DEVICE_FLAGS_PCI']!, numIrqs: 5, caps: deviceCaps },
    regions: [{ flags: n['REGION_INFO_FLAG_READ']!, size: 0x1000n, offset: 0x20000n, sparseAreas: [{ offset: 0n, size: 0x100n }, { offset: 0x800n, size: 0x800n }], msixMappable: true }],
    iommu: {
      flags: n['IOMMU_INFO_PGSIZES']!,
      iovaPgsizes: 0x40201000n,
      iovaRanges: [{ start: 0n, end: 0xfedfffffn }, { start: 0xfef00000n, end: 0xffffffffffffn }],
      migration: { flags: 1, pgsizeBitmap: 0x1000n, maxDirtyBitmapSize: 0x800000n },
    },
  });

  /** The reply to one info ioctl, issued with a buffer big enough for every cap. */
  function reply(fake: FakeVfio, request: number, argszOffset: number, prepare?: (dv: DataView) => void): Uint8Array {
    const buf = new Uint8Array(512);
    const dv = new DataView(buf.buffer);
    dv.setUint32(argszOffset, buf.length, true);
    prepare?.(dv);
    fake.ioctl(request, buf);
    return buf;
  }

  function decode(struct: string, bytes: Uint8Array | string, ...extra: string[]): { status: number | null; out: Decoded | undefined; stderr: string } {
    const file = join(dir, `${struct}-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, bytes);
    const r = spawnSync(process.execPath, [BIN, 'decode', struct, '--abi', 'x86_64', '--caps', '--format', 'json', ...extra, file], { encoding: 'utf8' });
    return { status: r.status, out: r.status === 0 ? (JSON.parse(r.stdout) as Decoded) : undefined, stderr: r.stderr };
  }

  it('VFIO_IOMMU_GET_INFO: fields, 64-bit values as decimal strings, both caps narrowed by id', () => {
    const bytes = reply(new FakeVfio(config('6.6', [])), L.requests.iommuGetInfo, L.iommu.argsz);
    const { status, out, stderr } = decode('vfio_iommu_type1_info', bytes);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(Object.keys(out!)).toEqual(['struct', 'abi', 'fields', 'caps', 'diagnostics']);
    expect(out!.struct).toBe('vfio_iommu_type1_info');
    expect(out!.abi).toBe('x86_64');
    expect(out!.fields['argsz']).toBe(512);
    expect(out!.fields['iova_pgsizes']).toBe(String(0x40201000n));
    expect(out!.fields['flags']).toBe(n['IOMMU_INFO_PGSIZES']! | n['IOMMU_INFO_CAPS']!);
    const first = infoSizeForKernel(L.iommu.size, '6.6');
    expect(out!.fields['cap_offset']).toBe(first);
    const caps = out!.caps!;
    expect(caps.map((c) => [c.id, c.version, c.name, c.aligned])).toEqual([
      [n['CAP_IOVA_RANGE'], 1, 'vfio_iommu_type1_info_cap_iova_range', true],
      [n['CAP_MIGRATION'], 1, 'vfio_iommu_type1_info_cap_migration', true],
    ]);
    expect(caps[0]!.offset).toBe(first);
    expect(caps[0]!.next).toBe(caps[1]!.offset);
    expect(caps[1]!.next).toBe(0);
    expect(caps[0]!.fields!['nr_iovas']).toBe(2);
    expect(caps[1]!.fields!['flags']).toBe(1);
    expect(caps[1]!.fields!['pgsize_bitmap']).toBe(String(0x1000n));
    expect(caps[1]!.fields!['max_dirty_bitmap_size']).toBe(String(0x800000n));
    expect(out!.diagnostics).toEqual([]);
  });

  it('--hex reads the same reply as hex text', () => {
    const bytes = reply(new FakeVfio(config('6.6', [])), L.requests.iommuGetInfo, L.iommu.argsz);
    const hex = Buffer.from(bytes).toString('hex').replace(/(.{32})/g, '$1\n');
    const asHex = decode('vfio_iommu_type1_info', hex, '--hex');
    expect(asHex.status).toBe(0);
    expect(asHex.out).toEqual(decode('vfio_iommu_type1_info', bytes).out);
  });

  it('VFIO_DEVICE_GET_REGION_INFO: sparse-mmap areas counted by nr_areas, header-only MSIX_MAPPABLE', () => {
    const bytes = reply(new FakeVfio(config('6.6', [])), L.requests.deviceGetRegionInfo, L.region.argsz);
    const { status, out } = decode('vfio_region_info', bytes);
    expect(status).toBe(0);
    expect(out!.fields['offset']).toBe(String(0x20000n));
    expect(out!.caps!.map((c) => [c.id, c.name])).toEqual([
      [n['CAP_SPARSE_MMAP'], 'vfio_region_info_cap_sparse_mmap'],
      [n['CAP_MSIX_MAPPABLE'], 'vfio_info_cap_header'],
    ]);
    expect(out!.caps![0]!.fields!['nr_areas']).toBe(2);
  });

  it('a 6.1 device chain (caps at 20) is refused in strict mode and read with --policy compat', () => {
    const caps = [{ id: 0x4242, version: 1, body: new Uint8Array([1, 2, 3, 4, 5]) }];
    const bytes = reply(new FakeVfio(config('6.1', caps)), L.requests.deviceGetInfo, L.device.argsz);
    const strict = decode('vfio_device_info', bytes);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/offset 20/);
    expect(strict.stderr).toContain('--policy compat');
    const compat = decode('vfio_device_info', bytes, '--policy', 'compat');
    expect(compat.status).toBe(0);
    expect(compat.out!.caps!.map((c) => [c.offset, c.id, c.name, c.aligned])).toEqual([[20, 0x4242, null, false]]);
    expect(compat.out!.diagnostics.join('\n')).toMatch(/offset 20 is not 8-aligned/);
  });

  it('a cap version the header does not describe comes back raw; the versions it does, typed', () => {
    const base = n['CAP_ZPCI_BASE']!;
    const caps = [
      { id: base, version: 2, body: new Uint8Array(16) },
      { id: base, version: 7, body: new Uint8Array(16) },
    ];
    const bytes = reply(new FakeVfio(config('6.6', caps)), L.requests.deviceGetInfo, L.device.argsz);
    const { status, out } = decode('vfio_device_info', bytes);
    expect(status).toBe(0);
    expect(out!.caps!.map((c) => [c.id, c.version, c.name])).toEqual([
      [base, 2, 'vfio_info_cap_header'],
      [base, 7, null],
    ]);
    expect(out!.diagnostics).toContain(`cap at offset ${out!.caps![1]!.offset}: unknown id ${base} version 7`);
  });
});
