/**
 * s390x replies built as the kernel builds them, read by @uapi-ts/vfio and by gcc:
 * - a zPCI VFIO_DEVICE_GET_INFO reply (drivers/vfio/pci/vfio_pci_zdev.c adds ZPCI_BASE, ZPCI_GROUP,
 *   then ZPCI_PFIP with vfio_info_add_capability, which appends each cap at the chain's end, its size
 *   rounded up to 8 (6.6+): BASE@24 -> GROUP@64 -> PFIP@112, argsz 128 on s390x, as the captured
 *   reply in test/fixtures/kernel-replies/s390x has it);
 * - the four vfio_ccw.h regions (drivers/s390/cio/vfio_ccw_chp.c / _async.c copy these packed
 *   structs to the region as they are).
 * A C program compiled by s390x-linux-gnu-gcc and run under qemu-s390x fills the structs through
 * their C members (offsets and sizes are gcc's), prints the bytes, and reads every member back; the
 * TypeScript side decodes the same bytes through the package's s390x views and caps() (strict
 * policy) and must see every cap typed and every member equal to what C read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as s390x from '@uapi-ts/vfio/abi/s390x';
import { getAbi } from '../../generator/src/layout/abi/index.js';
import { abiIncludeDirs } from '../../generator/src/pipeline.js';
import { check, run } from '../support/proc.js';
import { lacking, newestTree, skipReason } from '../support/trees.js';
import { compilerAvailable } from './proof.js';

const abi = getAbi('s390x')!;
const tree = newestTree();
const qemu = spawnSync('qemu-s390x', ['--version'], { stdio: 'ignore' }).status === 0;
const have = tree !== undefined && compilerAvailable(abi) && qemu;
const work = mkdtempSync(join(tmpdir(), 'uapi-ts-zpci-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Member lines `F <struct>.<member> <value>` (arrays as comma lists), a hex line `H <name> <bytes>`, numbers `N <name> <value>`. */
const PROGRAM = String.raw`
#include <stdio.h>
#include <string.h>
#include <stddef.h>
#include <linux/vfio.h>
#include <linux/vfio_zdev.h>
#include <linux/vfio_ccw.h>

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)
static unsigned char buf[512] __attribute__((aligned(8)));
static void hex(const char *name, const void *p, size_t n) { const unsigned char *b = p; printf("H %s ", name); for (size_t i = 0; i < n; i++) printf("%02x", b[i]); printf("\n"); }
static void arr(const char *name, const unsigned char *p, size_t n) { printf("F %s ", name); for (size_t i = 0; i < n; i++) printf(i ? ",%u" : "%u", p[i]); printf("\n"); }
#define U(s, m) printf("F %s.%s %llu\n", #s, #m, (unsigned long long)(s)->m)
#define CAP(s) U(s, header.id); U(s, header.version); U(s, header.next)

int main(void) {
	/* vfio_info_add_capability -> vfio_info_cap_add: caps follow the info struct, each at the end of the last, sizes ALIGN(size, 8). */
	const unsigned char pfip_path[4] = { 0x11, 0x22, 0x33, 0x44 };
	size_t base_off = sizeof(struct vfio_device_info);
	size_t group_off = base_off + ALIGN8(sizeof(struct vfio_device_info_cap_zpci_base));
	size_t pfip_off = group_off + ALIGN8(sizeof(struct vfio_device_info_cap_zpci_group));
	size_t total = pfip_off + ALIGN8(sizeof(struct vfio_device_info_cap_zpci_pfip) + sizeof pfip_path);
	printf("N base %zu\nN group %zu\nN pfip %zu\nN total %zu\n", base_off, group_off, pfip_off, total);

	struct vfio_device_info info = { .argsz = total, .flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET | VFIO_DEVICE_FLAGS_CAPS, .num_regions = 9, .num_irqs = 5, .cap_offset = base_off };
	struct vfio_device_info_cap_zpci_base base = {
		.header = { .id = VFIO_DEVICE_INFO_CAP_ZPCI_BASE, .version = 2, .next = group_off },
		.start_dma = 0x0000000100000000ULL, .end_dma = 0x000000013fffffffULL, .pchid = 0x01c4, .vfn = 0x0102,
		.fmb_length = 0x0070, .pft = 0x0a, .gid = 0xff, .fh = 0x80020a01 };
	struct vfio_device_info_cap_zpci_group group = {
		.header = { .id = VFIO_DEVICE_INFO_CAP_ZPCI_GROUP, .version = 2, .next = pfip_off },
		.dasm = 0x00ffffffffff0000ULL, .msi_addr = 0xfe00000000000000ULL, .flags = VFIO_DEVICE_INFO_ZPCI_FLAG_REFRESH,
		.mui = 4000, .noi = 128, .maxstbl = 0x0800, .version = 1, .reserved = 0, .imaxstbl = 0x1000 };
	struct vfio_device_info_cap_zpci_pfip pfip = { .header = { .id = VFIO_DEVICE_INFO_CAP_ZPCI_PFIP, .version = 1, .next = 0 }, .size = sizeof pfip_path };
	memcpy(buf, &info, sizeof info);
	memcpy(buf + base_off, &base, sizeof base);
	memcpy(buf + group_off, &group, sizeof group);
	memcpy(buf + pfip_off, &pfip, sizeof pfip);
	memcpy(buf + pfip_off + offsetof(struct vfio_device_info_cap_zpci_pfip, pfip), pfip_path, sizeof pfip_path);
	hex("device_info", buf, total);

	/* What C reads from those bytes. */
	{
		struct vfio_device_info *i = (void *)buf;
		U(i, argsz); U(i, flags); U(i, num_regions); U(i, num_irqs); U(i, cap_offset);
		struct vfio_device_info_cap_zpci_base *b = (void *)(buf + i->cap_offset);
		CAP(b); U(b, start_dma); U(b, end_dma); U(b, pchid); U(b, vfn); U(b, fmb_length); U(b, pft); U(b, gid); U(b, fh);
		struct vfio_device_info_cap_zpci_group *g = (void *)(buf + b->header.next);
		CAP(g); U(g, dasm); U(g, msi_addr); U(g, flags); U(g, mui); U(g, noi); U(g, maxstbl); U(g, version); U(g, reserved); U(g, imaxstbl);
		struct vfio_device_info_cap_zpci_pfip *p = (void *)(buf + g->header.next);
		CAP(p); U(p, size); arr("p.pfip", p->pfip, p->size);
	}

	/* vfio_ccw.h regions: each packed struct as the driver copies it into the region. */
	{
		struct ccw_io_region region, *io = &region;
		for (size_t k = 0; k < ORB_AREA_SIZE; k++) io->orb_area[k] = (unsigned char)(0x10 + k);
		for (size_t k = 0; k < SCSW_AREA_SIZE; k++) io->scsw_area[k] = (unsigned char)(0x40 + k);
		for (size_t k = 0; k < IRB_AREA_SIZE; k++) io->irb_area[k] = (unsigned char)(0x80 + k);
		io->ret_code = 0xfffffff0u; /* -EBUSY as the driver stores it */
		hex("ccw_io_region", io, sizeof *io);
		arr("io.orb_area", io->orb_area, ORB_AREA_SIZE); arr("io.scsw_area", io->scsw_area, SCSW_AREA_SIZE); arr("io.irb_area", io->irb_area, IRB_AREA_SIZE); U(io, ret_code);
		struct ccw_cmd_region cmd = { .command = VFIO_CCW_ASYNC_CMD_CSCH, .ret_code = 0x01020304u };
		hex("ccw_cmd_region", &cmd, sizeof cmd);
		struct ccw_cmd_region *c = &cmd; U(c, command); U(c, ret_code);
		struct ccw_schib_region schib;
		for (size_t k = 0; k < SCHIB_AREA_SIZE; k++) schib.schib_area[k] = (unsigned char)(0xa0 ^ k);
		hex("ccw_schib_region", &schib, sizeof schib);
		arr("schib.schib_area", schib.schib_area, SCHIB_AREA_SIZE);
		struct ccw_crw_region crw = { .crw = 0x00c30001u, .pad = 0 };
		hex("ccw_crw_region", &crw, sizeof crw);
		struct ccw_crw_region *w = &crw; U(w, crw); U(w, pad);
	}
	return 0;
}
`;

interface CRun {
  hex: Map<string, Uint8Array>;
  fields: Map<string, string>;
  numbers: Map<string, number>;
}

let ran: Promise<CRun> | undefined;
async function runC(): Promise<CRun> {
  const src = join(work, 'zpci.c');
  const exe = join(work, 'zpci');
  writeFileSync(src, PROGRAM);
  const inc = abiIncludeDirs([tree!.include], abi).flatMap((d) => ['-I', d]);
  const cc = await run(abi.gcc, ['-std=gnu11', '-O0', '-Wall', '-Werror', '-static', ...inc, '-o', exe, src]);
  expect(cc.stderr, 'gcc').toBe('');
  expect(cc.status).toBe(0);
  const out = await check('qemu-s390x', [exe]);
  const r: CRun = { hex: new Map(), fields: new Map(), numbers: new Map() };
  for (const line of out.trim().split('\n')) {
    const [k, name, value] = line.split(' ') as [string, string, string];
    if (k === 'H') r.hex.set(name, new Uint8Array(Buffer.from(value, 'hex')));
    else if (k === 'F') r.fields.set(name, value);
    else if (k === 'N') r.numbers.set(name, Number(value));
  }
  return r;
}

/** A view's member as C prints it: integers in decimal, byte arrays as comma lists. */
function spelled(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && 'length' in v) return Array.from(v as ArrayLike<number>).join(',');
  throw new Error(`unexpected member value ${String(v)}`);
}

/** Every member C printed under `prefix.` equals the view's. */
function expectMembers(c: CRun, prefix: string, view: Record<string, unknown>, extra: Record<string, unknown> = {}): number {
  let n = 0;
  for (const [name, value] of c.fields) {
    if (!name.startsWith(`${prefix}.`)) continue;
    const path = name.slice(prefix.length + 1).split('.');
    let v: unknown = path[0]! in extra ? extra[path[0]!] : view;
    for (const p of path[0]! in extra ? path.slice(1) : path) v = (v as Record<string, unknown>)[p];
    expect(spelled(v), `${prefix}.${path.join('.')}`).toBe(value);
    n++;
  }
  return n;
}

describe.skipIf(lacking(have))(`s390x zPCI and vfio-ccw replies: @uapi-ts/vfio reads what gcc wrote${skipReason(have, 'the newest header tree, s390x-linux-gnu-gcc or qemu-s390x')}`, () => {
  it('the chain sits where the kernel puts it: BASE@24 -> GROUP@64 -> PFIP@112, argsz 128 (gcc sizes)', async () => {
    const c = await (ran ??= runC());
    expect([c.numbers.get('base'), c.numbers.get('group'), c.numbers.get('pfip'), c.numbers.get('total')]).toEqual([24, 64, 112, 128]);
  }, 120_000);

  it('a zPCI device-info reply decodes with every cap typed and every member equal to what C reads', async () => {
    const c = await (ran ??= runC());
    const bytes = c.hex.get('device_info')!;
    expect(bytes.length).toBe(128);
    const info = s390x.VfioDeviceInfo.from(bytes);
    expect(info.argsz).toBe(128);
    let n = expectMembers(c, 'i', info as unknown as Record<string, unknown>);
    const caps = [...info.caps()];
    expect(caps.map((x) => [x.offset, x.id, x.version, x.known, x.known ? x.name : null])).toEqual([
      [24, 1, 2, true, 'vfio_device_info_cap_zpci_base'],
      [64, 2, 2, true, 'vfio_device_info_cap_zpci_group'],
      [112, 4, 1, true, 'vfio_device_info_cap_zpci_pfip'],
    ]);
    const [b, g, p] = caps;
    if (!b?.known || b.id !== s390x.VFIO_DEVICE_INFO_CAP_ZPCI_BASE) throw new Error('BASE is not typed');
    if (!g?.known || g.id !== s390x.VFIO_DEVICE_INFO_CAP_ZPCI_GROUP) throw new Error('GROUP is not typed');
    if (!p?.known || p.id !== s390x.VFIO_DEVICE_INFO_CAP_ZPCI_PFIP) throw new Error('PFIP is not typed');
    // Narrowed by id to the zPCI views: these are typed members, not cap.bytes arithmetic.
    expect(b.view).toBeInstanceOf(s390x.VfioDeviceInfoCapZpciBase);
    const start: bigint = b.view.start_dma;
    const gid: number = b.view.gid;
    const msi: bigint = g.view.msi_addr;
    expect([start, gid, msi]).toEqual([0x100000000n, 0xff, 0xfe00000000000000n]);
    n += expectMembers(c, 'b', b.view as unknown as Record<string, unknown>);
    n += expectMembers(c, 'g', g.view as unknown as Record<string, unknown>);
    n += expectMembers(c, 'p', p.view as unknown as Record<string, unknown>, { pfip: p.view.pfip() });
    expect(n).toBe(5 + 11 + 12 + 5);
  }, 120_000);

  it('each vfio_ccw.h region reads as C reads it', async () => {
    const c = await (ran ??= runC());
    const io = s390x.CcwIoRegion.from(c.hex.get('ccw_io_region')!);
    expect(s390x.CcwIoRegion.SIZE).toBe(c.hex.get('ccw_io_region')!.length);
    const cmd = s390x.CcwCmdRegion.from(c.hex.get('ccw_cmd_region')!);
    const schib = s390x.CcwSchibRegion.from(c.hex.get('ccw_schib_region')!);
    const crw = s390x.CcwCrwRegion.from(c.hex.get('ccw_crw_region')!);
    let n = expectMembers(c, 'io', io as unknown as Record<string, unknown>);
    n += expectMembers(c, 'c', cmd as unknown as Record<string, unknown>);
    n += expectMembers(c, 'schib', schib as unknown as Record<string, unknown>);
    n += expectMembers(c, 'w', crw as unknown as Record<string, unknown>);
    expect(n).toBe(4 + 2 + 1 + 2);
    expect(cmd.command).toBe(s390x.VFIO_CCW_ASYNC_CMD_CSCH);
    expect(io.ret_code).toBe(0xfffffff0);
  }, 120_000);
});
