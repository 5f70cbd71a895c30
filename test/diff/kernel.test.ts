/**
 * Real kernels: linux/vfio.h from 6.1 (bookworm) to 6.12 (trixie). Every size asserted here comes
 * from the ABI's gcc compiling the same header, never from our own layout code; the test checks
 * that the diff reports exactly what gcc sees, classified as kernel developers would.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import type { Change } from '../../generator/src/diff/types.js';
import { HEADERS, REQUIRE_TREES } from '../support/trees.js';
import { abi, compilerAvailable, diffTrees, FIXTURE, gccSizes, NEW, OLD } from './support.js';

const T61 = join(HEADERS, '6.1/include');
const T612 = join(HEADERS, '6.12/include');
const haveTrees = existsSync(join(T61, 'linux/vfio.h')) && existsSync(join(T612, 'linux/vfio.h'));
const haveGcc = ABIS.every(compilerAvailable);
const skip = !REQUIRE_TREES && (!haveTrees || !haveGcc);
const why = !haveTrees ? 'headers/6.1 or headers/6.12 missing (run `npx uapi-ts headers sync`)' : 'a cross gcc is missing (scripts/setup.sh --apt)';

const STRUCTS = ['vfio_device_info', 'vfio_iommu_type1_info', 'vfio_device_gfx_plane_info', 'vfio_device_ioeventfd'];
const LP64 = ['x86_64', 'aarch64', 's390x', 'ppc64', 'ppc64le', 'riscv64'];

describe.skipIf(skip)(`vfio.h 6.1 -> 6.12, sizes from gcc${skip ? ` (skipped: ${why})` : ''}`, () => {
  const changes = haveTrees ? diffTrees('linux/vfio.h', T61, T612, ABIS.map((a) => a.name)) : [];
  const gcc = new Map<string, { old: Map<string, number>; new: Map<string, number> }>(ABIS.map((a) => [a.name, { old: gccSizes(a, T61, 'linux/vfio.h', STRUCTS), new: gccSizes(a, T612, 'linux/vfio.h', STRUCTS) }]));
  const of = (abiName: string, struct: string): Change[] => changes.filter((c) => c.abi === abiName && c.record === `struct ${struct}`);
  const sizeChange = (abiName: string, struct: string): Change | undefined => of(abiName, struct).find((c) => c.subject === 'record');
  const size = (abiName: string, struct: string) => {
    const g = gcc.get(abiName)!;
    return { old: g.old.get(struct)!, new: g.new.get(struct)! };
  };

  it('vfio_device_info grows by appending `pad` on every ABI, a compatible argsz extension', () => {
    for (const a of ABIS) {
      const s = size(a.name, 'vfio_device_info');
      expect(s.new, `gcc on ${a.name}`).toBeGreaterThan(s.old);
      const c = sizeChange(a.name, 'vfio_device_info');
      expect(c, a.name).toMatchObject({ kind: 'compatible', action: 'grew', old: { size: s.old }, new: { size: s.new }, appended: ['pad'] });
      expect(c!.why).toBe(`vfio_device_info grew ${s.old} -> ${s.new} by appending \`pad\`; the struct is argsz-versioned, so old userspace still works`);
    }
  });

  it("vfio_iommu_type1_info's `pad` is size-neutral on LP64 and grows i386", () => {
    for (const name of LP64) {
      const s = size(name, 'vfio_iommu_type1_info');
      expect(s.new, `gcc on ${name}`).toBe(s.old);
      expect(sizeChange(name, 'vfio_iommu_type1_info'), name).toBeUndefined();
      expect(of(name, 'vfio_iommu_type1_info'), name).toMatchObject([{ kind: 'padding', action: 'named-padding', field: 'pad' }]);
    }
    const s = size('i386', 'vfio_iommu_type1_info');
    expect(s.new).toBeGreaterThan(s.old);
    expect(sizeChange('i386', 'vfio_iommu_type1_info')).toMatchObject({ action: 'grew', old: { size: s.old }, new: { size: s.new }, appended: ['pad'] });
  });

  it('__u64 -> __aligned_u64 grows vfio_device_gfx_plane_info and vfio_device_ioeventfd on i386 only: breaking there, nothing of the kind on x86_64', () => {
    for (const struct of ['vfio_device_gfx_plane_info', 'vfio_device_ioeventfd']) {
      const i = size('i386', struct);
      expect(i.new, `gcc i386 ${struct}`).toBeGreaterThan(i.old);
      const c = sizeChange('i386', struct);
      expect(c, struct).toMatchObject({ kind: 'breaking', action: 'grew', old: { size: i.old, align: 4 }, new: { size: i.new, align: 8 } });
      expect(c!.why).toMatch(/alignment went 4 -> 8/);

      const x = size('x86_64', struct);
      expect(x.new, `gcc x86_64 ${struct}`).toBe(x.old);
      // On x86_64 the struct keeps its size and layout: no breaking or compatible change, no size
      // change; only its tail padding is now named (`reserved`), which is reported as padding.
      expect(sizeChange('x86_64', struct)).toBeUndefined();
      expect(of('x86_64', struct).map((c) => c.kind)).toEqual(['padding']);
    }
  });

  it('the fixture sizes the classification tests rely on are what gcc says', () => {
    for (const name of ['x86_64', 'i386']) {
      const a = abi(name);
      const structs = ['demo_info', 'demo_pad', 'demo_align', 'demo_arg'];
      const o = gccSizes(a, OLD, 'linux/demo.h', structs);
      const n = gccSizes(a, NEW, 'linux/demo.h', structs);
      for (const c of diffTrees('linux/demo.h', OLD, NEW, [name]).filter((x) => x.subject === 'record' && x.old && x.new)) {
        const s = c.record!.replace('struct ', '');
        if (!structs.includes(s)) continue;
        expect([c.old!.size, c.new!.size], `${name} ${s} (${FIXTURE})`).toEqual([o.get(s), n.get(s)]);
      }
    }
  });
});
