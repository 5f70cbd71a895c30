/**
 * `uapi-ts decode` on ioctl replies produced by the kernel-faithful fake (runtime/testing), whose
 * offsets come from gcc and the system <linux/vfio.h>: the decoded fields and caps must be the
 * values the fake was given, with the JSON shape; a pre-6.6 chain is refused in strict mode
 * with its offset and the --policy compat hint, and read in compat mode.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../support/proc.js';
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

describe.skipIf(!onX86)(`uapi-ts decode on replies of the kernel-faithful fake${onX86 ? '' : ' (skipped: the fixtures are x86_64 replies; this host is ' + process.arch + ')'}`, () => {
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

  async function decode(struct: string, bytes: Uint8Array | string, ...extra: string[]): Promise<{ status: number | null; out: Decoded | undefined; stderr: string }> {
    const file = join(dir, `${struct}-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, bytes);
    const r = await runNode([BIN, 'decode', struct, '--abi', 'x86_64', '--caps', '--format', 'json', ...extra, file]);
    return { status: r.status, out: r.status === 0 ? (JSON.parse(r.stdout) as Decoded) : undefined, stderr: r.stderr };
  }

  it('VFIO_IOMMU_GET_INFO: fields, 64-bit values as decimal strings, both caps narrowed by id', async () => {
    const bytes = reply(new FakeVfio(config('6.6', [])), L.requests.iommuGetInfo, L.iommu.argsz);
    const { status, out, stderr } = await decode('vfio_iommu_type1_info', bytes);
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
    // the kernel's order: MIGRATION, then IOVA_RANGE
    expect(caps.map((c) => [c.id, c.version, c.name, c.aligned])).toEqual([
      [n['CAP_MIGRATION'], 1, 'vfio_iommu_type1_info_cap_migration', true],
      [n['CAP_IOVA_RANGE'], 1, 'vfio_iommu_type1_info_cap_iova_range', true],
    ]);
    expect(caps[0]!.offset).toBe(first);
    expect(caps[0]!.next).toBe(caps[1]!.offset);
    expect(caps[1]!.next).toBe(0);
    expect(caps[1]!.fields!['nr_iovas']).toBe(2);
    expect(caps[0]!.fields!['flags']).toBe(1);
    expect(caps[0]!.fields!['pgsize_bitmap']).toBe(String(0x1000n));
    expect(caps[0]!.fields!['max_dirty_bitmap_size']).toBe(String(0x800000n));
    expect(out!.diagnostics).toEqual([]);
  });

  it('--hex reads the same reply as hex text', async () => {
    const bytes = reply(new FakeVfio(config('6.6', [])), L.requests.iommuGetInfo, L.iommu.argsz);
    const hex = Buffer.from(bytes).toString('hex').replace(/(.{32})/g, '$1\n');
    const asHex = await decode('vfio_iommu_type1_info', hex, '--hex');
    expect(asHex.status).toBe(0);
    expect(asHex.out).toEqual((await decode('vfio_iommu_type1_info', bytes)).out);
  });

  it('VFIO_DEVICE_GET_REGION_INFO: sparse-mmap areas counted by nr_areas, header-only MSIX_MAPPABLE', async () => {
    const bytes = reply(new FakeVfio(config('6.6', [])), L.requests.deviceGetRegionInfo, L.region.argsz);
    const { status, out } = await decode('vfio_region_info', bytes);
    expect(status).toBe(0);
    expect(out!.fields['offset']).toBe(String(0x20000n));
    expect(out!.caps!.map((c) => [c.id, c.name])).toEqual([
      [n['CAP_SPARSE_MMAP'], 'vfio_region_info_cap_sparse_mmap'],
      [n['CAP_MSIX_MAPPABLE'], 'vfio_info_cap_header'],
    ]);
    expect(out!.caps![0]!.fields!['nr_areas']).toBe(2);
  });

  it('a 6.1 device chain (caps at 20) is refused in strict mode and read with --policy compat', async () => {
    const caps = [{ id: 0x4242, version: 1, body: new Uint8Array([1, 2, 3, 4, 5]) }];
    const bytes = reply(new FakeVfio(config('6.1', caps)), L.requests.deviceGetInfo, L.device.argsz);
    const strict = await decode('vfio_device_info', bytes);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/offset 20/);
    expect(strict.stderr).toContain('--policy compat');
    const compat = await decode('vfio_device_info', bytes, '--policy', 'compat');
    expect(compat.status).toBe(0);
    expect(compat.out!.caps!.map((c) => [c.offset, c.id, c.name, c.aligned])).toEqual([[20, 0x4242, null, false]]);
    expect(compat.out!.diagnostics.join('\n')).toMatch(/offset 20 is not 8-aligned/);
  });

  it('a cap version the header does not describe comes back raw; the versions it does, typed', async () => {
    // ZPCI_BASE is typed by vfio_zdev.h (in the package since issue 14) for the versions its
    // header marks (1 and 2); its size is what the package ships for x86_64 (gcc-proven in test/gcc).
    const base = n['CAP_ZPCI_BASE']!;
    const tables = JSON.parse(readFileSync(join(REPO, 'generated', 'vfio', 'tables.json'), 'utf8')) as { abis: Record<string, Record<string, string>>; layouts: Record<string, { size: number }> };
    const zpciBase = 'vfio_device_info_cap_zpci_base';
    const size = tables.layouts[tables.abis['x86_64']![zpciBase]!]!.size;
    const caps = [
      { id: base, version: 2, body: new Uint8Array(size - 8) },
      { id: base, version: 7, body: new Uint8Array(16) },
    ];
    const bytes = reply(new FakeVfio(config('6.6', caps)), L.requests.deviceGetInfo, L.device.argsz);
    const { status, out } = await decode('vfio_device_info', bytes);
    expect(status).toBe(0);
    expect(out!.caps!.map((c) => [c.id, c.version, c.name])).toEqual([
      [base, 2, zpciBase],
      [base, 7, null],
    ]);
    expect(out!.diagnostics).toContain(`cap at offset ${out!.caps![1]!.offset}: unknown id ${base} version 7`);
  });
});

/** Bad input is a one-line error with exit 1; bad usage exits 2; never a stack trace. */
describe('uapi-ts decode on bad input', () => {
  const run = async (...args: string[]): Promise<{ status: number | null; out: string; err: string }> => {
    const r = await runNode([BIN, 'decode', ...args]);
    return { status: r.status, out: r.stdout, err: r.stderr };
  };
  const file = (name: string, content: string | Uint8Array): string => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const zeros = (): string => file('zeros.bin', new Uint8Array(64));
  /** One line on stderr, no stack frame. */
  const oneLine = (err: string): void => {
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).not.toMatch(/^\s+at /m);
  };

  it('a missing input file or a directory is exit 1 with one line', async () => {
    const missing = await run('vfio_device_info', '--abi', 'x86_64', join(dir, 'nosuch.bin'));
    expect(missing.status).toBe(1);
    expect(missing.err).toMatch(/^uapi-ts decode: cannot read .*nosuch\.bin: no such file\n$/);
    const isDir = await run('vfio_device_info', '--abi', 'x86_64', dir);
    expect(isDir.status).toBe(1);
    expect(isDir.err).toMatch(/: is a directory\n$/);
    oneLine(isDir.err);
  });

  it('a missing or non-JSON --tables file is exit 1 with one line', async () => {
    const missing = await run('vfio_device_info', '--abi', 'x86_64', '--tables', join(dir, 'nosuch.json'), zeros());
    expect(missing.status).toBe(1);
    expect(missing.err).toMatch(/no generated tables at .*nosuch\.json/);
    const notJson = await run('vfio_device_info', '--abi', 'x86_64', '--tables', file('bad-tables.json', '{bad'), zeros());
    expect(notJson.status).toBe(1);
    expect(notJson.err).toMatch(/bad-tables\.json: not JSON/);
    oneLine(notJson.err);
  });

  it('tables that are not tables.json at all: the first problems, by JSON Pointer', async () => {
    for (const [name, content, first] of [
      ['empty.json', '{}', '/header: missing (expected string)'],
      ['array.json', '[]', '/: expected object, got []'],
      ['null.json', 'null', '/: expected object, got null'],
      ['abis.json', '{"header": "h", "kernel": "k", "layouts": {}, "abis": {"x86_64": 1}, "caps": {}, "constants": {}}', '/abis/x86_64: expected object, got 1'],
    ] as const) {
      const p = file(name, content);
      const r = await run('vfio_device_info', '--abi', 'x86_64', '--tables', p, zeros());
      expect(r.status, name).toBe(1);
      expect(r.err.split('\n')[0], name).toBe(`uapi-ts decode: ${p}: ${first}`);
      expect(r.err).not.toMatch(/^\s+at /m);
    }
    // Seven keys missing: five are listed, then a line says there are more.
    const empty = await run('vfio_device_info', '--abi', 'x86_64', '--tables', file('empty.json', '{}'), zeros());
    expect(empty.err.trimEnd().split('\n')).toHaveLength(6);
    expect(empty.err).toMatch(/empty\.json: \.\.\. and more problems\n$/);
  });

  /**
   * Tables that pass the schema but name what does not exist or bytes outside a struct (issue 12:
   * RangeError traces, "Offset is outside the bounds of the DataView", or a silent exit 0): each is
   * refused before decoding with the JSON Pointer of the culprit.
   */
  describe('tables whose names or bytes are wrong', () => {
    const D = 'vfio_device_info$0';
    const S = 'vfio_region_info_cap_sparse_mmap$0';
    type Tables = { layouts: Record<string, any>; abis: Record<string, Record<string, string>>; caps: Record<string, any[]> };
    const cases: [string, (t: Tables) => void, string][] = [
      ['a field past the end of its struct', (t) => { t.layouts[D].fields[4].offset = 100; }, `/layouts/${D}/fields/4: field cap_offset ends at byte 104, past the end of vfio_device_info (24 bytes)`],
      ['an array past the end of its struct', (t) => { t.layouts[D].fields[0].count = 1000; }, `/layouts/${D}/fields/0: field argsz ends at byte 4000, past the end of vfio_device_info (24 bytes)`],
      ['a bits window outside the struct', (t) => { t.layouts[D].fields.push({ name: 'x', offset: 22, kind: 'u32', bits: { unit: 4, pos: 0, width: 3 } }); }, `/layouts/${D}/fields/6: bitfield x ends at byte 26, past the end of vfio_device_info (24 bytes)`],
      ['bits that do not fit their unit', (t) => { t.layouts[D].fields.push({ name: 'x', offset: 0, kind: 'u8', bits: { unit: 1, pos: 6, width: 3 } }); }, `/layouts/${D}/fields/6/bits: bits 6+3 do not fit the 1-byte unit`],
      ["a chain's cap_offset past the end", (t) => { t.layouts[D].chain.capOffsetOffset = 40; }, `/layouts/${D}/chain/capOffsetOffset: the chain's 4-byte cap_offset ends at byte 44, past the end of vfio_device_info (24 bytes)`],
      ['a cap table entry naming an unknown struct', (t) => { t.caps['vfio_device_info']![4].struct = 'nope'; }, '/caps/vfio_device_info/4/struct: names struct "nope", which /abis/x86_64 does not have'],
      ['a cap table entry naming an inherited property', (t) => { t.caps['vfio_device_info']![4].struct = 'constructor'; }, '/caps/vfio_device_info/4/struct: names struct "constructor", which /abis/x86_64 does not have'],
      ['a struct naming a variant that does not exist', (t) => { t.abis['x86_64']!['vfio_device_info'] = 'nope'; }, '/abis/x86_64/vfio_device_info: names layout variant "nope", which /layouts does not have'],
      ['a member naming a variant that does not exist', (t) => { t.layouts[S].fields[0].struct = 'toString'; }, `/layouts/${S}/fields/0/struct: names layout variant "toString", which /layouts does not have`],
      ['a struct that contains itself', (t) => { t.layouts[D].fields[0] = { name: 'self', offset: 0, kind: 'struct', struct: D }; }, `/layouts/${D}/fields/0/struct: layout variant "${D}" contains itself`],
      ['a flexible array element of the wrong size', (t) => { t.layouts[S].flex.elementSize = 4; }, `/layouts/${S}/flex/elementSize: 4, but its element vfio_region_sparse_mmap_area is 16 bytes`],
      ['a flexible array past the end of its struct', (t) => { t.layouts[S].flex.offset = 17; }, `/layouts/${S}/flex/offset: the flexible array starts at byte 17, past the end of vfio_region_info_cap_sparse_mmap (16 bytes)`],
      ["a capability's flexible array over its header", (t) => { t.layouts[S].flex.offset = 4; }, `/layouts/${S}/flex/offset: 4, but the flexible array of capability vfio_region_info_cap_sparse_mmap starts after its 8-byte header`],
      ['a flexible array counted by no field', (t) => { t.layouts[S].flex.countedBy = 'nope'; }, `/layouts/${S}/flex/countedBy: "nope" is not a scalar field of vfio_region_info_cap_sparse_mmap`],
      ['an offset "abc"', (t) => { t.layouts[D].fields[1].offset = 'abc'; }, `/layouts/${D}/fields/1/offset: expected integer >= 0 and < 2^53, got "abc"`],
    ];
    const shipped = readFileSync(join(REPO, 'generated/vfio/tables.json'), 'utf8');

    it.concurrent.each(cases)('%s', async (name, mutate, problem) => {
      const t = JSON.parse(shipped) as Tables;
      mutate(t);
      const p = file(`tables-${name.replace(/\W+/g, '-')}.json`, JSON.stringify(t));
      // Exactly the struct's bytes, so any read past its end would be outside the buffer.
      const r = await run('vfio_device_info', '--abi', 'x86_64', '--caps', '--tables', p, file(`device-${name.replace(/\W+/g, '-')}.bin`, new Uint8Array(24)));
      expect(r.err).toBe(`uapi-ts decode: ${p}: ${problem}\n`);
      expect(r.status).toBe(1);
      expect(r.out).toBe('');
    });
  });

  it('--hex rejects anything but hex digits, whitespace and a 0x per token, with the position', async () => {
    const bad = await run('vfio_device_info', '--abi', 'x86_64', '--hex', file('bad.hex', 'zz 01\n'));
    expect(bad.status).toBe(1);
    expect(bad.err).toBe('uapi-ts decode: --hex input: "z" at line 1, column 1 is not a hex digit\n');
    const later = await run('vfio_device_info', '--abi', 'x86_64', '--hex', file('later.hex', '00 01\n02 0x03 0g\n'));
    expect(later.status).toBe(1);
    expect(later.err).toMatch(/"g" at line 2, column 10 is not a hex digit/);
    expect((await run('vfio_device_info', '--abi', 'x86_64', '--hex', file('dash.hex', '00-01'))).err).toMatch(/"-" at line 1, column 3/);
    // 0x starts a token only: "10x2" is not hex.
    expect((await run('vfio_device_info', '--abi', 'x86_64', '--hex', file('mid.hex', '10x2'))).err).toMatch(/"x" at line 1, column 3/);
    const prefixed = ['0x18', ...Array<string>(23).fill('0x00')].join(' ');
    const ok = await run('vfio_device_info', '--abi', 'x86_64', '--format', 'json', '--hex', file('ok.hex', prefixed));
    expect(ok.err).toBe('');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.out).fields.argsz).toBe(24);
  });

  it('bad data exits 1, bad flags 2', async () => {
    const odd = await run('vfio_device_info', '--abi', 'x86_64', '--hex', file('odd.hex', '0x01 0x02 0x0'));
    expect(odd.status).toBe(1);
    expect(odd.err).toMatch(/odd number of hex digits \(5\)/);
    const unknown = await run('no_such_struct', '--abi', 'x86_64', zeros());
    expect(unknown.status).toBe(1);
    expect(unknown.err).toMatch(/unknown struct 'no_such_struct'/);
    expect((await run('vfio_device_info', '--abi', 'vax', zeros())).status).toBe(2);
    expect((await run('vfio_device_info', '--abi', 'x86_64', '--format', 'xml', zeros())).status).toBe(2);
    expect((await run('vfio_device_info', '--bogus', zeros())).status).toBe(2);
    expect((await run()).status).toBe(2);
  });

  it('--help prints the usage on stdout, exit 0', async () => {
    const r = await run('--help');
    expect(r.status).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^usage: uapi-ts decode <struct>/);
    expect(r.out).toContain('--policy strict|compat');
  });
});
