// The real-kernel harness's own pieces, without QEMU: modinfo from ELF objects the cross
// compilers build (both byte orders, 32 and 64 bit), the load order, the console protocol, and
// the comparison rules.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../support/proc.js';
import { compareReports } from './compare.js';
import type { Call, ProbeReport } from './guest/report.js';
import { loadOrder, modinfo, modNameOfFile, parseBuiltin, type ModInfo } from './modules.js';
import { machineLine, parseConsole } from './qemu.js';

const dir = mkdtempSync(join(tmpdir(), 'uapi-kmod-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// What a kernel module's .modinfo looks like: NUL-terminated "key=value" strings in that section.
const MODINFO_C = `
static const char a[] __attribute__((section(".modinfo"), used, aligned(1))) = "license=GPL";
static const char b[] __attribute__((section(".modinfo"), used, aligned(1))) = "depends=vfio,vfio-pci-core,irqbypass";
static const char c[] __attribute__((section(".modinfo"), used, aligned(1))) = "name=vfio_pci";
int other_data = 42;
`;

describe('modinfo from ELF relocatable objects', () => {
  it.each([
    ['x86_64 (64-bit LE)', 'gcc'],
    ['i386 (32-bit LE)', 'i686-linux-gnu-gcc'],
    ['s390x (64-bit BE)', 's390x-linux-gnu-gcc'],
    ['armhf (32-bit LE)', 'arm-linux-gnueabihf-gcc'],
  ])('%s', async (_, cc) => {
    const src = join(dir, `m-${cc}.c`);
    const obj = join(dir, `vfio-pci-${cc}.ko`);
    writeFileSync(src, MODINFO_C);
    await check(cc, ['-c', '-O0', '-o', obj, src]);
    const m = modinfo(readFileSync(obj), obj);
    expect(m).toEqual({ name: 'vfio_pci', depends: ['vfio', 'vfio_pci_core', 'irqbypass'] });
  });

  it('refuses what is not an ELF module', () => {
    expect(() => modinfo(new Uint8Array(100), 'x.ko')).toThrow(/not an ELF file/);
  });
});

describe('module load order', () => {
  const mods = new Map<string, ModInfo>(
    [
      ['vfio', []],
      ['vfio_virqfd', []],
      ['irqbypass', []],
      ['vfio_pci_core', ['vfio', 'vfio_virqfd', 'irqbypass']],
      ['vfio_pci', ['vfio_pci_core', 'vfio']],
      ['vfio_iommu_type1', ['vfio']],
      ['9pnet', []],
      ['9pnet_virtio', ['virtio', 'virtio_ring', '9pnet']],
      ['netfs', []],
      ['9p', ['9pnet', 'netfs', 'fscache']],
      ['fscache', ['netfs']],
    ].map(([n, d]) => [n as string, { name: n as string, depends: d as string[] }]),
  );
  it('puts every dependency before its user, once, skipping built-ins', () => {
    const order = loadOrder(['vfio_iommu_type1', 'vfio-pci', '9pnet_virtio', '9p', 'virtio_pci'], mods, new Set(['virtio', 'virtio_ring', 'virtio_pci']));
    expect(new Set(order).size).toBe(order.length);
    for (const [name, m] of mods) {
      if (!order.includes(name)) continue;
      for (const d of m.depends) if (order.includes(d)) expect(order.indexOf(d), `${d} before ${name}`).toBeLessThan(order.indexOf(name));
    }
    expect(order).toEqual(['vfio', 'vfio_iommu_type1', 'vfio_virqfd', 'irqbypass', 'vfio_pci_core', 'vfio_pci', '9pnet', '9pnet_virtio', 'netfs', 'fscache', '9p']);
  });
  it('names the module that needs a missing one', () => {
    expect(() => loadOrder(['9pnet_virtio'], mods, new Set())).toThrow(/module virtio \(needed by 9pnet_virtio\) is neither in the package nor built in/);
  });
  it('file names and modules.builtin lines fold - to _', () => {
    expect(modNameOfFile('kernel/drivers/vfio/pci/vfio-pci-core.ko.xz')).toBe('vfio_pci_core');
    expect([...parseBuiltin('kernel/drivers/virtio/virtio.ko\nkernel/drivers/virtio/virtio_pci.ko\n\n')]).toEqual(['virtio', 'virtio_pci']);
  });
});

describe('console protocol', () => {
  it('reads the init script lines, stamps and files out of kernel noise', () => {
    const log = [
      '[    0.0] Linux version 6.12',
      'UAPI-TS: t=2.97 init',
      '[    3.1] random: crng init done',
      'UAPI-TS: device 0001:00:00.0 id=1af4:1041 driver=vfio-pci group=0',
      'UAPI-TS: file-begin c.json',
      '{"program":"c",',
      '"calls":[]}',
      'UAPI-TS: file-end c.json',
      'UAPI-TS: t=3.96 poweroff',
    ].join('\r\n');
    const p = parseConsole(log);
    expect(p.stamps).toEqual({ init: 2.97, poweroff: 3.96 });
    expect(p.files).toEqual({ 'c.json': '{"program":"c",\n"calls":[]}' });
    expect(p.lines).toContain('device 0001:00:00.0 id=1af4:1041 driver=vfio-pci group=0');
  });
  it('x86_64 machine line: q35 with a vIOMMU, e1000e behind a root port, edu, and the 9p shares', () => {
    const { command, args } = machineLine({ arch: 'x86_64', kernel: 'K', initrd: 'I', serialLog: 'L', outDir: '/o', timeoutMs: 1 });
    expect(command).toBe('qemu-system-x86_64');
    const line = args.join(' ');
    for (const part of ['-machine q35,kernel-irqchip=split', '-accel tcg', '-device intel-iommu,intremap=on', '-device e1000e,bus=rp1', '-device edu,bus=pcie.0,addr=0x5', 'mount_tag=host,security_model=none,readonly=on', 'path=/o,mount_tag=out', 'intel_iommu=on']) {
      expect(line).toContain(part);
    }
    const s390 = machineLine({ arch: 's390x', kernel: 'K', initrd: 'I', serialLog: 'L', timeoutMs: 1 });
    expect(s390.args.join(' ')).toContain('-device zpci,uid=1,fid=1,target=n0 -device virtio-net-pci,id=n0,disable-legacy=on');
  });
});

describe('comparison rules', () => {
  const call = (over: Partial<Call>): Call => ({ key: 'k #1', ioctl: 'VFIO_DEVICE_GET_INFO', request: '0x3b6b', argszIn: 20, ret: 0, errno: null, ...over });
  const report = (calls: Call[]): ProbeReport => ({ program: 'c', release: '6.1.0', machine: 'x86_64', sizes: {}, calls });

  it('same argsz in: every C field and byte must match; ours may have more fields', () => {
    const c = report([call({ bytes: '14000000', fields: { argsz: 20, flags: 3 } })]);
    expect(compareReports(c, report([call({ bytes: '14000000', fields: { argsz: 20, flags: 3, pad: 0 } })])).mismatches).toEqual([]);
    const bad = compareReports(c, report([call({ bytes: '14000000', fields: { argsz: 20, flags: 2 } })]));
    expect(bad.mismatches.map((m) => m.what)).toEqual(['fields.flags']);
  });
  it('another argsz in (the package struct is bigger): argsz compared as "kept" or "asked for"', () => {
    const c = report([call({ argszIn: 20, bytes: '14000000ff', fields: { argsz: 20, flags: 3 } })]);
    const ours = report([call({ argszIn: 24, bytes: '18000000ff000000', fields: { argsz: 24, flags: 3 } })]);
    expect(compareReports(c, ours).mismatches).toEqual([]);
    const asked = report([call({ argszIn: 24, bytes: '40000000ff000000', fields: { argsz: 64, flags: 3 } })]);
    expect(compareReports(c, asked).mismatches.map((m) => m.what)).toEqual(['fields.argsz (asked for)']);
  });
  it('a failed call must be an IoctlError with C’s errno and request', () => {
    const c = report([call({ ret: -1, errno: 'ENOTTY', request: '0x3bc7' })]);
    const ok = report([call({ ret: -1, errno: 'ENOTTY', request: '0x3bc7', error: { name: 'IoctlError', message: '', request: '0x3bc7', errno: 25, code: 'ENOTTY' } })]);
    expect(compareReports(c, ok).mismatches).toEqual([]);
    const wrong = report([call({ ret: -1, errno: 'ENOTTY', request: '0x3bc7', error: { name: 'IoctlError', message: '', request: '0x3b64', errno: 25, code: 'ENOTTY' } })]);
    expect(compareReports(c, wrong).mismatches.map((m) => m.what)).toEqual(['error.request']);
    expect(compareReports(c, report([])).mismatches.map((m) => m.what)).toEqual(['missing']);
  });
  it('a cap the package only knows as a header is compared by header and listed as untyped', () => {
    const zpci = { offset: 24, id: 1, version: 2, next: 0, fields: { header: { id: 1, version: 2, next: 0 }, start_dma: '4294967296' } };
    const c = report([call({ fields: { argsz: 20 }, caps: [zpci] })]);
    const ours = report([call({ fields: { argsz: 20 }, caps: [{ ...zpci, fields: { id: 1, version: 2, next: 0 } }] })]);
    const r = compareReports(c, ours);
    expect(r.mismatches).toEqual([]);
    expect(r.untyped).toEqual([{ key: 'k #1', offset: 24, id: 1, version: 2, fields: ['start_dma'] }]);
    const wrongHeader = report([call({ fields: { argsz: 20 }, caps: [{ ...zpci, fields: { id: 1, version: 1, next: 0 } }] })]);
    expect(compareReports(c, wrongHeader).mismatches.length).toBeGreaterThan(0);
  });
});

describe('a kernel that cannot boot fails its tests, with the reason', () => {
  it('QEMU missing: the boot result says so and every check of the kernel fails', async () => {
    const { boot } = await import('./qemu.js');
    const { bootFailure } = await import('./harness.js');
    const { evaluate } = await import('./checks.js');
    const b = await boot({ arch: 'x86_64', kernel: '/nonexistent/vmlinuz', initrd: '/nonexistent/initrd', serialLog: join(dir, 'none.log'), timeoutMs: 10_000, qemu: join(dir, 'no-such-qemu') });
    expect(b.status).toBeNull();
    const why = bootFailure(b, '');
    expect(why).toMatch(/QEMU is not installed: apt-get install qemu-system-x86/);
    const checks = evaluate({ series: '6.1', arch: 'x86_64', source: 'test', headers: '6.1', times: {}, boot: b, error: why }).checks;
    expect(checks.map((c) => [c.id, c.ok])).toEqual([
      ['boot', false],
      ['c=ts', false],
      ['chain', false],
      ['argsz', false],
      ['errors', false],
      ['edu', false],
      ['fixtures', false],
    ]);
    expect(checks[0]!.detail).toContain('QEMU is not installed');
  });
});
