/**
 * What a consumer of @uapi-ts/vfio meets every day (issue 14, part 4): views that print their
 * fields, hex for flags and addresses, errors that name the option of the API they come from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { CapabilityMisalignedError, ReplyTruncatedError, capabilityCursor, readCapabilityChain } from '@uapi-ts/runtime';
import { LAYOUTS, VfioIommuType1InfoCapIovaRange, VfioRegionInfo, bind, ioctls, type AbiName } from '@uapi-ts/vfio';
import * as s390x from '@uapi-ts/vfio/abi/s390x';
import * as x86 from '@uapi-ts/vfio/abi/x86_64';
import { runNode } from '../support/proc.js';
import { REPO } from '../support/trees.js';

const REPLIES = join(REPO, 'test', 'fixtures', 'kernel-replies');
/** A committed real-kernel reply (x86_64) as bytes. */
const reply = (series: string, file: string): Uint8Array => Uint8Array.from(Buffer.from(readFileSync(join(REPLIES, series, file), 'utf8').replace(/\s+/g, ''), 'hex'));
const BIN = join(REPO, 'generator', 'bin', 'uapi-ts.js');

describe('views under console.log / util.inspect', () => {
  it('print the class name and every field, not the DataView; flags and addresses in hex', () => {
    const r = VfioRegionInfo.alloc({ argsz: 32, flags: 7, index: 2, size: 0x4000n, offset: 0x20000000000n });
    const text = inspect(r, { colors: false, breakLength: Infinity });
    expect(text).toBe('VfioRegionInfo { argsz: 32, flags: 0x7, index: 2, cap_offset: 0, size: 0x4000, offset: 0x20000000000 }');
    expect(text).not.toMatch(/DataView|ArrayBuffer|byteLength/);
  });
  it('expand nested records and (flexible) arrays of records', () => {
    const c = VfioIommuType1InfoCapIovaRange.alloc({ nr_iovas: 2 }, 32);
    c.iova_ranges().get(1).end = 0xffffffffn;
    const text = inspect(c, { colors: false, breakLength: Infinity, depth: 4 });
    expect(text).toBe(
      'VfioIommuType1InfoCapIovaRange { header: vfio_info_cap_header { id: 0, version: 0, next: 0 }, nr_iovas: 2, reserved: 0, ' +
        'iova_ranges: [ vfio_iova_range { start: 0x0, end: 0x0 }, vfio_iova_range { start: 0x0, end: 0xffffffff } ] }',
    );
  });
  it('read big-endian bytes as the ABI says (s390x)', () => {
    const r = s390x.VfioRegionInfo.alloc({ argsz: 32, flags: 0x10, size: 0x1000n });
    expect([...r.bytes().subarray(0, 8)]).toEqual([0, 0, 0, 32, 0, 0, 0, 0x10]);
    expect(inspect(r, { breakLength: Infinity })).toContain('flags: 0x10');
  });
});

describe('toJSON', () => {
  const r = VfioRegionInfo.alloc({ argsz: 32, flags: 7, index: 2, size: 0x4000n, offset: 0x20000000000n });
  it('defaults to numbers and 64-bit decimal strings, also through JSON.stringify (which passes a key)', () => {
    expect(r.toJSON()).toEqual({ argsz: 32, flags: 7, index: 2, cap_offset: 0, size: '16384', offset: '2199023255552' });
    expect(JSON.parse(JSON.stringify({ r }))).toEqual({ r: r.toJSON() });
  });
  it("{ hex: true }: flags and addresses as '0x…' strings, counts and indexes decimal; { hex: 'all' }: every unsigned", () => {
    expect(r.toJSON({ hex: true })).toEqual({ argsz: 32, flags: '0x7', index: 2, cap_offset: 0, size: '0x4000', offset: '0x20000000000' });
    expect(r.toJSON({ hex: 'all' })).toEqual({ argsz: '0x20', flags: '0x7', index: '0x2', cap_offset: '0x0', size: '0x4000', offset: '0x20000000000' });
    const c = VfioIommuType1InfoCapIovaRange.alloc({ nr_iovas: 1 }, 16);
    c.iova_ranges().get(0).end = 0xfedfffffn;
    expect(c.toJSON({ hex: true })).toMatchObject({ nr_iovas: 1, iova_ranges: [{ start: '0x0', end: '0xfedfffff' }] });
  });
});

describe("the strict policy's error names the option of the API it comes from; caps() throws before yielding", () => {
  // Debian 6.1's VFIO_IOMMU_GET_INFO: MIGRATION@24, DMA_AVAIL@56, IOVA_RANGE@68 (misaligned), argsz 116.
  const bytes = reply('6.1', 'container-vfio-iommu-get-info-2.hex');
  it("a view's caps() says caps({ policy: 'compat' }) and throws at the call, before any cap is yielded", () => {
    const info = new x86.VfioIommuType1Info(bytes);
    let err: unknown;
    const seen: number[] = [];
    try {
      for (const c of info.caps()) seen.push(c.offset);
    } catch (e) {
      err = e;
    }
    expect(seen).toEqual([]); // the two aligned caps before the bad one are not yielded either
    expect(err).toBeInstanceOf(CapabilityMisalignedError);
    expect((err as Error).message).toContain("caps({ policy: 'compat' })");
    expect((err as Error).message).not.toContain('policyForKernel');
    expect((err as CapabilityMisalignedError).offset).toBe(68);
    expect(() => info.caps()).toThrow(CapabilityMisalignedError); // the call itself, not the first next()
    expect([...info.caps({ policy: 'compat' })].map((c) => [c.offset, c.known && c.macro])).toEqual([
      [24, 'VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION'],
      [56, 'VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL'],
      [68, 'VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE'],
    ]);
  });
  it("chainOptions() says chainOptions({ policy: 'compat' }); the runtime's own options say alignment: 'compat'", () => {
    const c = capabilityCursor(bytes, x86.VfioIommuType1Info.chainOptions());
    expect(() => [...c]).toThrow(/chainOptions\(\{ policy: 'compat' \}\)/);
    const { compatOption: _, ...runtimeOptions } = x86.VfioIommuType1Info.chainOptions();
    expect(() => readCapabilityChain(bytes, runtimeOptions)).toThrow(/alignment: 'compat'/);
  });
});

describe('a truncated reply (argsz more than the buffer holds) is reported, never an empty chain', () => {
  // Debian 6.1's first VFIO_IOMMU_GET_INFO attempt: a 24-byte buffer, argsz 116 back, cap_offset 0.
  const bytes = reply('6.1', 'container-vfio-iommu-get-info-1.hex');
  it('caps() throws ReplyTruncatedError: "truncated: kernel asked for 116 bytes"', () => {
    const info = new x86.VfioIommuType1Info(bytes);
    expect(info.argsz).toBe(116);
    expect(() => info.caps()).toThrow(ReplyTruncatedError);
    expect(() => info.caps()).toThrow(/^truncated: kernel asked for 116 bytes but the buffer holds 24/);
    // the same in a buffer big enough: the chain is read (the 6.12 reply, aligned)
    expect([...new x86.VfioIommuType1Info(reply('6.12', 'container-vfio-iommu-get-info-2.hex')).caps()].map((c) => c.offset)).toEqual([24, 56, 72]);
  });
  it('uapi-ts decode says it too, after the fields the kernel did copy', async () => {
    const r = await runNode([BIN, 'decode', 'vfio_iommu_type1_info', '--abi', 'x86_64', '--caps', '--hex', join(REPLIES, '6.1', 'container-vfio-iommu-get-info-1.hex')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('argsz = 116');
    expect(r.stdout).toContain('note: truncated: kernel asked for 116 bytes, the input holds 24; its capabilities were not copied (cap_offset is 0)');
    const j = await runNode([BIN, 'decode', 'vfio_iommu_type1_info', '--abi', 'x86_64', '--caps', '--format', 'json', '--hex', join(REPLIES, '6.1', 'container-vfio-iommu-get-info-1.hex')]);
    expect(JSON.parse(j.stdout)).toMatchObject({ caps: [], diagnostics: [expect.stringMatching(/^truncated: kernel asked for 116 bytes/)] });
  });
  it('decode names its own flag for a misaligned chain', async () => {
    const r = await runNode([BIN, 'decode', 'vfio_iommu_type1_info', '--abi', 'x86_64', '--caps', '--hex', join(REPLIES, '6.1', 'container-vfio-iommu-get-info-2.hex')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('use --policy compat');
    expect(r.stderr).not.toContain('caps({');
  });
});

describe('ioctls', () => {
  it('request numbers are typed number (every VFIO one fits, on every ABI) and carry the ioctl name', () => {
    expectTypeOf(ioctls.VFIO_DEVICE_GET_REGION_INFO.request).toEqualTypeOf<number>();
    expectTypeOf(ioctls.VFIO_DEVICE_GET_REGION_INFO.name).toEqualTypeOf<string>();
    const abis = Object.keys(LAYOUTS) as AbiName[];
    expect(abis.length).toBe(8);
    for (const abi of abis) {
      for (const [name, io] of Object.entries(bind(abi).ioctls)) {
        expect(typeof io.request, `${abi} ${name}`).toBe('number');
        expect(Number.isSafeInteger(io.request) && io.request > 0, `${abi} ${name}`).toBe(true);
        expect(io.name).toBe(name);
      }
    }
  });
});
