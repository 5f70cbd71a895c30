/**
 * VFIO_DEVICE_FEATURE payloads: the table in emit/overrides.ts covers every VFIO_DEVICE_FEATURE_*
 * macro of every pinned vfio.h (tied to a payload struct, raw bytes, none, or not an id at all), and
 * the package's typed helpers build a vfio_device_feature with its payload byte for byte as a C
 * program compiled by gcc builds it (x86_64 natively, s390x under qemu-s390x), and read it back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as x86 from '@uapi-ts/vfio/abi/x86_64';
import * as s390x from '@uapi-ts/vfio/abi/s390x';
import { FeatureMismatchError } from '@uapi-ts/runtime';
import { analyzeHeader } from '../../generator/src/cli/load.js';
import { buildModel } from '../../generator/src/emit/model/index.js';
import { OVERRIDES } from '../../generator/src/emit/overrides.js';
import { getAbi } from '../../generator/src/layout/abi/index.js';
import { abiIncludeDirs } from '../../generator/src/pipeline.js';
import { check, run } from '../support/proc.js';
import { kernelTrees, lacking, newestTree, skipReason } from '../support/trees.js';
import { compilerAvailable } from '../gcc/proof.js';

const TABLE = OVERRIDES.features['vfio_device_feature']!;
const trees = kernelTrees();
const newest = newestTree();
const work = mkdtempSync(join(tmpdir(), 'uapi-ts-features-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(lacking(trees.length > 0))(`the feature table${skipReason(trees.length > 0, 'headers/')}`, () => {
  for (const tree of trees) {
    it(`lists every VFIO_DEVICE_FEATURE_* macro of ${tree.name}'s vfio.h as an id with its payload, or as no id`, () => {
      const analyses = analyzeHeader('linux/vfio.h', [tree.include], [getAbi('x86_64')!]);
      const macros = analyses[0]!.ir.macros.map((m) => m.name).filter((n) => n.startsWith(TABLE.idPrefix));
      const unlisted = macros.filter((n) => !(n in TABLE.payloads) && !(n in TABLE.notIds));
      expect(unlisted, 'add them to emit/overrides.ts features.vfio_device_feature').toEqual([]);
      const model = buildModel({ header: 'linux/vfio.h', analyses });
      expect(model.diagnostics.filter((d) => d.code.startsWith('emit-feature'))).toEqual([]);
      // Every id the header defines is bound, with the payload the table gives.
      const bound = model.features[0]?.ids ?? [];
      expect(bound.map((e) => e.macro).sort()).toEqual(macros.filter((n) => n in TABLE.payloads).sort());
      for (const e of bound) {
        const p = TABLE.payloads[e.macro]!;
        expect(e.payload, e.macro).toBe('struct' in p ? p.struct : null);
      }
    });
  }

  it('has no entry that is both an id and not one, and every payload struct is one the newest header defines', () => {
    expect(Object.keys(TABLE.payloads).filter((n) => n in TABLE.notIds)).toEqual([]);
    const structs = Object.values(TABLE.payloads).flatMap((p) => ('struct' in p ? [p.struct] : []));
    for (const s of structs) expect(x86.structs, s).toHaveProperty(s);
  });
});

describe('features.vfio_device_feature helpers', () => {
  const F = x86.features.vfio_device_feature;

  it('build a SET of MIG_DEVICE_STATE with its payload after the 8-byte header, argsz covering both, and read it back typed', () => {
    const f = F.build('VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE', x86.VFIO_DEVICE_FEATURE_SET, { device_state: x86.vfio_device_mig_state.VFIO_DEVICE_STATE_STOP_COPY, data_fd: -1 });
    expect(f.argsz).toBe(16);
    expect(f.flags).toBe(x86.VFIO_DEVICE_FEATURE_SET | x86.VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE);
    const p = F.read(f, 'VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE');
    expect(p).toBeInstanceOf(x86.VfioDeviceFeatureMigState);
    const state: number = p.device_state;
    expect([state, p.data_fd]).toEqual([3, -1]);
    // The view is over the carrier's data[] (a reply the kernel writes there shows through it).
    p.data_fd = 7;
    expect(new DataView(f.dv.buffer).getInt32(12, true)).toBe(7);
  });

  it('a GET leaves the payload zero; a payload-less id is just the header; PCI_VF_TOKEN takes its 16 raw bytes', () => {
    const g = F.build('VFIO_DEVICE_FEATURE_MIGRATION', x86.VFIO_DEVICE_FEATURE_GET);
    expect([g.argsz, F.read(g, 'VFIO_DEVICE_FEATURE_MIGRATION').flags]).toEqual([16, 0n]);
    const exit = F.build('VFIO_DEVICE_FEATURE_LOW_POWER_EXIT', x86.VFIO_DEVICE_FEATURE_SET);
    expect(exit.argsz).toBe(8);
    expect(F.read(exit, 'VFIO_DEVICE_FEATURE_LOW_POWER_EXIT')).toEqual(new Uint8Array(0));
    const uuid = Uint8Array.from({ length: 16 }, (_x, i) => i + 1);
    const t = F.build('VFIO_DEVICE_FEATURE_PCI_VF_TOKEN', x86.VFIO_DEVICE_FEATURE_SET, uuid);
    expect(t.argsz).toBe(24);
    expect(Array.from(F.read(t, 'VFIO_DEVICE_FEATURE_PCI_VF_TOKEN'))).toEqual(Array.from(uuid));
  });

  it('a payload with a flexible array gets extraBytes (DMA_BUF ranges)', () => {
    const f = F.build('VFIO_DEVICE_FEATURE_DMA_BUF', x86.VFIO_DEVICE_FEATURE_GET, { region_index: 2, nr_ranges: 2 }, 2 * x86.VfioRegionDmaRange.SIZE);
    expect(f.argsz).toBe(8 + x86.VfioDeviceFeatureDmaBuf.SIZE + 32);
    const p = F.read(f, 'VFIO_DEVICE_FEATURE_DMA_BUF');
    expect(p.dma_ranges().length).toBe(2);
  });

  it('reading a feature as another id, or flags that carry id bits, is refused with what to do', () => {
    const f = F.build('VFIO_DEVICE_FEATURE_BUS_MASTER', x86.VFIO_DEVICE_FEATURE_SET, { op: x86.VFIO_DEVICE_FEATURE_SET_MASTER });
    expect(() => F.read(f, 'VFIO_DEVICE_FEATURE_MIGRATION')).toThrow(FeatureMismatchError);
    expect(() => F.read(f, 'VFIO_DEVICE_FEATURE_MIGRATION')).toThrow(/selects feature 10 in its flags, not VFIO_DEVICE_FEATURE_MIGRATION \(1\)/);
    expect(() => F.build('VFIO_DEVICE_FEATURE_BUS_MASTER', x86.VFIO_DEVICE_FEATURE_SET | 10)).toThrow(/feature id bits set/);
    expect(() => F.build('VFIO_DEVICE_FEATURE_NOPE' as 'VFIO_DEVICE_FEATURE_MIGRATION', 0)).toThrow(/unknown feature "VFIO_DEVICE_FEATURE_NOPE"/);
    // A kernel reply shorter than the payload (a truncated buffer) is not read past its end.
    const short = x86.VfioDeviceFeature.from(new Uint8Array(f.dv.buffer.slice(0, 10)));
    expect(() => F.read(short, 'VFIO_DEVICE_FEATURE_BUS_MASTER')).toThrow(/holds 2 payload byte\(s\) for VFIO_DEVICE_FEATURE_BUS_MASTER, which needs 4/);
  });
});

const PROGRAM = String.raw`
#include <stdio.h>
#include <string.h>
#include <linux/vfio.h>
static void hex(const char *name, const void *p, size_t n) { const unsigned char *b = p; printf("%s ", name); for (size_t i = 0; i < n; i++) printf("%02x", b[i]); printf("\n"); }
int main(void) {
	/* As QEMU's vfio_migration_set_state builds it: the header, then the payload in data[]. */
	{
		unsigned char buf[sizeof(struct vfio_device_feature) + sizeof(struct vfio_device_feature_mig_state)] __attribute__((aligned(8))) = { 0 };
		struct vfio_device_feature *f = (void *)buf;
		struct vfio_device_feature_mig_state *m = (void *)f->data;
		f->argsz = sizeof buf;
		f->flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
		m->device_state = VFIO_DEVICE_STATE_STOP_COPY;
		m->data_fd = -1;
		hex("mig_state", buf, sizeof buf);
	}
	{
		unsigned char buf[sizeof(struct vfio_device_feature) + sizeof(struct vfio_device_feature_dma_logging_control)] __attribute__((aligned(8))) = { 0 };
		struct vfio_device_feature *f = (void *)buf;
		struct vfio_device_feature_dma_logging_control *c = (void *)f->data;
		f->argsz = sizeof buf;
		f->flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_DMA_LOGGING_START;
		c->page_size = 4096;
		c->num_ranges = 3;
		c->ranges = 0x7f0000001000ULL;
		hex("logging_start", buf, sizeof buf);
	}
	return 0;
}
`;

const have = newest !== undefined;
for (const [abiName, b] of [['x86_64', x86], ['s390x', s390x]] as const) {
  const abi = getAbi(abiName)!;
  const native = abiName === 'x86_64' && process.arch === 'x64';
  const qemu = native || spawnSync('qemu-s390x', ['--version'], { stdio: 'ignore' }).status === 0;
  const ok = have && qemu && (native || compilerAvailable(abi));
  describe.skipIf(lacking(ok))(`features.vfio_device_feature.build on ${abiName} equals what gcc builds${skipReason(ok, `the newest header tree, ${native ? 'gcc' : `${abi.gcc} or qemu-s390x`}`)}`, () => {
    it('MIG_DEVICE_STATE and DMA_LOGGING_START, byte for byte', async () => {
      const src = join(work, `f-${abiName}.c`);
      const exe = join(work, `f-${abiName}`);
      writeFileSync(src, PROGRAM);
      const inc = abiIncludeDirs([newest!.include], abi).flatMap((d) => ['-I', d]);
      const cc = await run(native ? 'gcc' : abi.gcc, ['-std=gnu11', '-O0', '-Wall', '-Werror', ...(native ? [] : ['-static']), ...inc, '-o', exe, src]);
      expect(cc.stderr).toBe('');
      const out = native ? await check(exe, []) : await check('qemu-s390x', [exe]);
      const c = new Map(out.trim().split('\n').map((l) => l.split(' ') as [string, string]));
      const F = b.features.vfio_device_feature;
      const hex = (v: { dv: DataView }): string => Buffer.from(v.dv.buffer, v.dv.byteOffset, v.dv.byteLength).toString('hex');
      expect(hex(F.build('VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE', b.VFIO_DEVICE_FEATURE_SET, { device_state: b.vfio_device_mig_state.VFIO_DEVICE_STATE_STOP_COPY, data_fd: -1 }))).toBe(c.get('mig_state'));
      expect(hex(F.build('VFIO_DEVICE_FEATURE_DMA_LOGGING_START', b.VFIO_DEVICE_FEATURE_SET, { page_size: 4096n, num_ranges: 3, ranges: 0x7f0000001000n }))).toBe(c.get('logging_start'));
    }, 120_000);
  });
}
