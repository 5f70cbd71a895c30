/**
 * What a consumer of @uapi-ts/vfio meets every day (issue 14, part 4): views that print their
 * fields, hex for flags and addresses, errors that name the option of the API they come from.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { VfioIommuType1InfoCapIovaRange, VfioRegionInfo } from '@uapi-ts/vfio';
import * as s390x from '@uapi-ts/vfio/abi/s390x';

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
